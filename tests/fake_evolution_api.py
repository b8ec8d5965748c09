"""A fake Evolution API v2 (WhatsApp gateway) for tests: real HTTP/JSON on 127.0.0.1.

Modelled on Evolution API 2.3.6 (github EvolutionAPI/evolution-api, main @ 3454bec, Baileys
7.0.0-rc.6); see NOTES.md next to this file for the source of every shape. In short:

* :class:`FakeEvolution` is the API and its memory. It serves, for one instance name, the
  endpoints the bot uses: ``POST /message/sendText/{i}``, ``POST /message/sendMedia/{i}``,
  ``DELETE /chat/deleteMessageForEveryone/{i}``, ``GET /instance/fetchInstances``,
  ``GET /instance/connectionState/{i}``, ``POST /webhook/set/{i}``, ``GET /webhook/find/{i}``,
  ``GET /group/fetchAllGroups/{i}?getParticipants=...`` and ``GET /``. It answers as Evolution
  does, guard by guard: an unknown instance is 404 (before the key is even looked at), a
  missing/wrong ``apikey`` header 401, the JSON-schema validation 400 with the nested message
  list, an unknown number 400 ``[{jid, exists: false, number}]``, a group the instance is not
  in 400 ``["[object Object]"]`` (sic), a send 201 with the sent message (``key``,
  ``pushName: "Você"``, ``status: "PENDING"``, ...).
* Every call is recorded (:class:`Call`: method, path, query, body, apikey, status, response,
  when); sends are also kept as :class:`Sent` (``sent_texts(group)``, ``sent_media``,
  ``deleted_ids``, ``wait_sent``, ``wait_for``).
* Faults: :meth:`FakeEvolution.fail_next`, :meth:`FakeEvolution.delay_next`,
  :meth:`FakeEvolution.down` / :meth:`FakeEvolution.up` (the port stops listening: connection
  refused; open connections are closed), :meth:`FakeEvolution.disconnect` (the WhatsApp
  session is closed: sends fail the way Evolution fails them).
* The webhook side: :meth:`FakeEvolution.deliver` POSTs an event to the URL registered with
  ``/webhook/set`` exactly as Evolution's WebhookController does (``Authorization: Bearer <JWT>``
  HS256-signed with the ``jwt_key`` header value, claims ``iat``, ``exp`` = iat+600, ``app:
  "evolution"``, ``action: "webhook"``; the other configured headers as they are), and
  :meth:`FakeEvolution.group_text` / :meth:`FakeEvolution.dm_text` build real-shaped
  ``messages.upsert`` events (PN or LID addressing). ``deliver_unsigned``, ``deliver_forged``,
  ``deliver_expired`` send what an attacker or a stale retry would.

The server runs aiohttp in a background thread with its own event loop, so synchronous pytest
tests and a bot running in a subprocess can both use it. Nothing here reaches beyond
127.0.0.1: webhook deliveries to any other host are refused.

Typical use::

    with serving() as evo:                      # evo.base_url -> the bot's EVOLUTION_API_URL
        start_bot(evolution_url=evo.base_url, apikey=API_KEY, instance=INSTANCE)
        evo.wait_for("webhook/set")             # the bot registered its webhook (jwt_key ...)
        assert evo.group_text(GROUP_JID, AGENT, f"{BOT.mention(True)} senha?",
                              mentions=[BOT]) == 200
        reply = evo.wait_sent(GROUP_JID)[0]     # what the bot answered (Sent)
        evo.fail_next("sendText", 500); evo.down(); evo.up(); evo.disconnect()
        assert evo.deliver_forged(evo.group_text_payload(text="x")) == 401
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import mimetypes
import re
import secrets
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import jwt
from aiohttp import web

EVOLUTION_VERSION = "2.3.6"
INSTANCE = "upcall"
API_KEY = "TEST-GLOBAL-APIKEY-not-real-0000"
"""``AUTHENTICATION_API_KEY``: the global key (any instance, fetchInstances of all)."""
INSTANCE_TOKEN = "6F1B0C2E-3D4A-4B5C-8D9E-0A1B2C3D4E5F"
"""The instance's own token (Evolution makes an uppercase UUID v4 when none is given)."""
INSTANCE_ID = "5d2f8a0e-7b1c-4c9e-9a3f-2e6b1d0c4a77"
"""``data.instanceId`` / fetchInstances ``id``: a UUID v4."""
JWT_KEY = "test-webhook-jwt-key-not-real-0123456789abcdef"
"""The value set as ``webhook.headers.jwt_key`` by default in :meth:`FakeEvolution.set_webhook`."""
CLIENT_NAME = "evolution_exchange"
JWT_TTL = 600
"""Evolution signs ``exp = iat + 600`` (webhook.controller.ts generateJwtToken)."""
NON_RETRYABLE = (400, 401, 403, 404, 422)
"""WEBHOOK_RETRY_NON_RETRYABLE_STATUS_CODES default: Evolution stops retrying on these."""

ALL_EVENTS = (
    "APPLICATION_STARTUP",
    "QRCODE_UPDATED",
    "MESSAGES_SET",
    "MESSAGES_UPSERT",
    "MESSAGES_EDITED",
    "MESSAGES_UPDATE",
    "MESSAGES_DELETE",
    "SEND_MESSAGE",
    "SEND_MESSAGE_UPDATE",
    "CONTACTS_SET",
    "CONTACTS_UPSERT",
    "CONTACTS_UPDATE",
    "PRESENCE_UPDATE",
    "CHATS_SET",
    "CHATS_UPSERT",
    "CHATS_UPDATE",
    "CHATS_DELETE",
    "GROUPS_UPSERT",
    "GROUP_UPDATE",
    "GROUP_PARTICIPANTS_UPDATE",
    "CONNECTION_UPDATE",
    "LABELS_EDIT",
    "LABELS_ASSOCIATION",
    "CALL",
    "TYPEBOT_START",
    "TYPEBOT_CHANGE_STATUS",
    "REMOVE_INSTANCE",
    "LOGOUT_INSTANCE",
    "INSTANCE_CREATE",
    "INSTANCE_DELETE",
    "STATUS_INSTANCE",
)
"""EventController.events: what ``webhook.events`` may contain (all of them when empty)."""


# --------------------------------------------------------------------------- people and groups


@dataclass(frozen=True)
class Member:
    """A WhatsApp user: a phone number (as WhatsApp registered it) and a LID."""

    name: str
    phone: str
    """Digits only, as registered (Brazil: some DDD >= 31 numbers without the 9th digit)."""
    lid: str
    """The LID's digits: ``<lid>@lid``."""
    admin: str | None = None
    """``"admin"``, ``"superadmin"`` or ``None``: the participant's role in the groups."""

    @property
    def pn_jid(self) -> str:
        return f"{self.phone}@s.whatsapp.net"

    @property
    def lid_jid(self) -> str:
        return f"{self.lid}@lid"

    def jid(self, lid: bool) -> str:
        return self.lid_jid if lid else self.pn_jid

    def mention(self, lid: bool) -> str:
        """How WhatsApp writes a mention of this user in the text: ``@`` + the JID's user part."""
        return "@" + (self.lid if lid else self.phone)


BOT = Member("UPCALL Bot", "5511900000000", "100000000000001")
"""The number the instance is connected with (``ownerJid``, the payloads' ``sender``)."""
SUPERVISOR = Member("Sara", "5511911110001", "200000000000101", admin="superadmin")
AGENT = Member("Ana", "5511922220002", "200000000000202")
MEMBER = Member("Caio", "553188887777", "200000000000303")
"""A Belo Horizonte (DDD 31) number: registered without the 9th digit, as Evolution's
createJid and WhatsApp do; ``5531988887777`` reaches it."""
STRANGER = Member("Estranho", "5511944440004", "200000000000404")
"""On WhatsApp, in no group of the bot's."""

GROUP_JID = "120363025246125486@g.us"
OTHER_GROUP_JID = "120363099999999999@g.us"
"""A group the bot is not in (not in fetchAllGroups; sends to it fail)."""


@dataclass
class Group:
    jid: str
    subject: str
    members: list[Member]
    addressing_mode: str = "lid"
    """``"lid"`` (what WhatsApp groups use now: ``key.participant`` is ``…@lid``) or ``"pn"``."""
    owner: Member | None = None
    creation: int = 1700000000
    desc: str | None = None
    announce: bool = False
    restrict: bool = False
    joined: bool = True
    """Whether the instance's number is a member (fetchAllGroups lists only these)."""


def default_groups() -> list[Group]:
    return [
        Group(
            GROUP_JID,
            "UPCALL agentes",
            [BOT, SUPERVISOR, AGENT, MEMBER],
            owner=SUPERVISOR,
            desc="Grupo dos agentes UPCALL",
        ),
        Group(OTHER_GROUP_JID, "Grupo desconhecido", [STRANGER], owner=STRANGER, joined=False),
    ]


# --------------------------------------------------------------------------- Evolution's helpers


def create_jid(number: str) -> str:
    """Evolution's ``createJid`` (src/utils/createJid.ts), Brazilian 9th digit rule included."""
    number = re.sub(r":\d+", "", number, count=1)
    if any(s in number for s in ("@g.us", "@s.whatsapp.net", "@lid", "@broadcast")):
        return number
    number = re.sub(r"\s", "", number).replace("+", "").replace("(", "").replace(")", "")
    number = number.split(":")[0].split("@")[0]
    if "-" in number and len(number) >= 24:
        return re.sub(r"[^\d-]", "", number) + "@g.us"
    number = re.sub(r"\D", "", number)
    if len(number) >= 18:
        return f"{number}@g.us"
    if number[:2] in ("52", "54") and len(number) == 13:
        number = number[:2] + number[3:]
    match = re.fullmatch(r"(\d{2})(\d{2})\d(\d{8})", number)
    if match and match[1] == "55" and not (int(match[3][0]) < 7 or int(match[2]) < 31):
        number = match[1] + match[2] + match[3]
    return f"{number}@s.whatsapp.net"


def get_device(message_id: str) -> str:
    """Baileys' ``getDevice``: ``data.source`` from the message id."""
    if re.fullmatch(r"3A.{18}", message_id):
        return "ios"
    if re.fullmatch(r"3E.{20}", message_id):
        return "web"
    if re.fullmatch(r".{21}|.{32}", message_id):
        return "android"
    if re.match(r"3F|.{18}$", message_id):
        return "desktop"
    return "unknown"


def new_sent_id() -> str:
    """Baileys' generateMessageIDV2: ``3EB0`` + 18 hex digits (source ``web``)."""
    return "3EB0" + secrets.token_hex(9).upper()


def new_phone_id() -> str:
    """A message id as an Android phone makes it: 32 hex digits (source ``android``)."""
    return secrets.token_hex(16).upper()


def js_bytes(data: bytes) -> dict[str, int]:
    """A Uint8Array as ``JSON.stringify`` writes it (what Evolution's webhook JSON carries)."""
    return {str(i): b for i, b in enumerate(data)}


def js_long(value: int, unsigned: bool = True) -> dict[str, Any]:
    """A protobuf ``Long`` as Evolution's deserializeMessageBuffers leaves it."""
    return {"low": value & 0xFFFFFFFF, "high": value >> 32, "unsigned": unsigned}


def local_iso_z() -> str:
    """``date_time``: Evolution shifts *local* time by the zone offset and keeps the ``Z``."""
    now = datetime.now()
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def prisma_now() -> str:
    """A Prisma DateTime in JSON: UTC, milliseconds, ``Z``."""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def event_key(event: str) -> str:
    """``messages.upsert`` -> ``MESSAGES_UPSERT`` (what ``webhook.events`` lists)."""
    return re.sub(r"[.-]", "_", event).upper()


# --------------------------------------------------------------------------- errors and schemas


class EvolutionError(Exception):
    """An answer Evolution's Express error handler writes: ``{status, error, response}``."""

    def __init__(self, status: int, error: str, message: Any) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.error = error
        self.message = message

    @property
    def body(self) -> dict[str, Any]:
        return {"status": self.status, "error": self.error, "response": {"message": self.message}}


def bad_request(*messages: Any) -> EvolutionError:
    return EvolutionError(400, "Bad Request", list(messages) if messages else None)


def not_found(*messages: Any) -> EvolutionError:
    return EvolutionError(404, "Not Found", list(messages) if messages else None)


def unauthorized() -> EvolutionError:
    return EvolutionError(401, "Unauthorized", "Unauthorized")


def internal(*messages: Any) -> EvolutionError:
    """``InternalServerErrorException(...)``: the message is a list."""
    return EvolutionError(500, "Internal Server Error", list(messages) if messages else None)


def crashed(message: str) -> EvolutionError:
    """A plain JS error reaching the handler (TypeError, Baileys' Boom): the message is a string."""
    return EvolutionError(500, "Internal Server Error", message)


_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    500: "Internal Server Error",
}


def _not_empty(*names: str) -> dict[str, Any]:
    """Evolution's ``isNotEmpty``: applies only when *every* key of the body is among ``names``."""
    return {
        "if": {"propertyNames": {"enum": list(names)}},
        "then": {
            "properties": {
                n: {"minLength": 1, "description": f'The "{n}" cannot be empty'} for n in names
            }
        },
    }


_NUMBER = {"type": "string", "description": "Invalid format"}
_DELAY = {"type": "integer", "description": "Enter a value in milliseconds"}
_QUOTED = {
    "properties": {
        "key": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "remoteJid": {"type": "string"},
                "fromMe": {"type": "boolean", "enum": [True, False]},
            },
            "required": ["id"],
            **_not_empty("id"),
        },
        "message": {"type": "object"},
    }
}
_MENTIONED = {
    "type": "array",
    "minItems": 1,
    "uniqueItems": True,
    "items": {
        "type": "string",
        "pattern": r"^\d+",
        "description": '"mentioned" must be an array of numeric strings',
    },
}
TEXT_SCHEMA = {  # src/validate/message.schema.ts textMessageSchema
    "type": "object",
    "properties": {
        "number": _NUMBER,
        "text": {"type": "string"},
        "linkPreview": {"type": "boolean"},
        "delay": _DELAY,
        "quoted": _QUOTED,
        "everyOne": {"type": "boolean", "enum": [True, False]},
        "mentioned": _MENTIONED,
    },
    "required": ["number", "text"],
}
MEDIA_SCHEMA = {  # mediaMessageSchema
    "type": "object",
    "properties": {
        "number": _NUMBER,
        "mediatype": {"type": "string", "enum": ["image", "document", "video", "audio"]},
        "mimetype": {"type": "string"},
        "media": {"type": "string"},
        "fileName": {"type": "string"},
        "caption": {"type": "string"},
        "delay": _DELAY,
        "quoted": _QUOTED,
        "everyOne": {"type": "boolean", "enum": [True, False]},
        "mentioned": _MENTIONED,
    },
    "required": ["number", "mediatype"],
}
DELETE_SCHEMA = {  # src/validate/chat.schema.ts deleteMessageSchema
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "fromMe": {"type": "boolean", "enum": [True, False]},
        "remoteJid": {"type": "string"},
        "participant": {"type": "string"},
    },
    "required": ["id", "fromMe", "remoteJid"],
    **_not_empty("id", "remoteJid", "participant"),
}
WEBHOOK_SCHEMA = {  # src/api/integrations/event/webhook/webhook.schema.ts
    "type": "object",
    "properties": {
        "webhook": {
            "type": "object",
            "properties": {
                "enabled": {"type": "boolean"},
                "url": {"type": "string"},
                "headers": {"type": "object"},
                "byEvents": {"type": "boolean"},
                "base64": {"type": "boolean"},
                "events": {
                    "type": "array",
                    "minItems": 0,
                    "items": {"type": "string", "enum": list(ALL_EVENTS)},
                },
            },
            "required": ["enabled", "url"],
            **_not_empty("enabled", "url"),
        }
    },
    "required": ["webhook"],
}


def _js(value: Any) -> str:
    """A value as JavaScript's Array.join writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _is_type(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    return True


def validate(value: Any, schema: dict[str, Any], path: str = "instance") -> list[str]:
    """The npm ``jsonschema`` subset Evolution's schemas use, with RouterBroker's messages: the
    schema's ``description`` when it has one, else the error's stack minus ``instance.``."""
    errors: list[str] = []

    def err(sub: dict[str, Any], where: str, text: str) -> None:
        errors.append(sub.get("description") or f"{where} {text}".replace("instance.", "", 1))

    kind = schema.get("type")
    if kind and not _is_type(value, kind):
        err(schema, path, f"is not of a type(s) {kind}")
    if "enum" in schema and not any(value == v and type(value) is type(v) for v in schema["enum"]):
        err(schema, path, "is not one of enum values: " + ",".join(_js(v) for v in schema["enum"]))
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            err(schema, path, f"does not meet minimum length of {schema['minLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            err(schema, path, f'does not match pattern "{schema["pattern"]}"')
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            err(schema, path, f"does not meet minimum length of {schema['minItems']}")
        if schema.get("uniqueItems"):
            seen = [json.dumps(v, sort_keys=True) for v in value]
            if len(set(seen)) != len(seen):
                err(schema, path, "contains duplicate item")
        if "items" in schema:
            for i, item in enumerate(value):
                errors += validate(item, schema["items"], f"{path}[{i}]")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                err(schema, path, f'requires property "{name}"')
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                errors += validate(value[name], sub, f"{path}.{name}")
        cond = schema.get("if", {}).get("propertyNames", {}).get("enum")
        if cond is not None and all(k in cond for k in value):
            for name, sub in schema["then"]["properties"].items():
                if name in value:
                    errors += validate(value[name], sub, f"{path}.{name}")
    return errors


def _check(body: Any, schema: dict[str, Any]) -> None:
    errors = validate(body, schema)
    if errors:
        raise bad_request(errors)  # RouterBroker.dataValidate: message is [[...]]


# --------------------------------------------------------------------------- records


@dataclass
class Call:
    """One HTTP request to the fake, as it arrived and as it was answered."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    apikey: str | None
    headers: dict[str, str]
    status: int | None = None
    response: Any = None
    at: float = field(default_factory=time.monotonic)
    answered_at: float | None = None

    @property
    def done(self) -> bool:
        return self.answered_at is not None

    def json(self, key: str, default: Any = None) -> Any:
        return self.body.get(key, default) if isinstance(self.body, dict) else default


@dataclass
class Sent:
    """A message the instance sent (a 201 from sendText / sendMedia)."""

    kind: str
    """``"text"`` or ``"media"``."""
    jid: str
    """The chat: a group JID or the number's JID as WhatsApp registered it."""
    text: str | None
    """The text, or the media's caption."""
    key_id: str
    body: dict[str, Any]
    response: dict[str, Any]
    mentioned: list[str] = field(default_factory=list)
    """The JIDs mentioned (``mentioned`` through createJid, or everyone)."""
    quoted_id: str | None = None
    """The id of the quoted message, when the quote took (see :meth:`FakeEvolution._quote`)."""
    mediatype: str | None = None
    mimetype: str | None = None
    file_name: str | None = None
    media: bytes | str | None = None
    """Decoded bytes of a base64 ``media`` (or the upload), or the URL as given."""
    at: float = field(default_factory=time.monotonic)


@dataclass
class Delivery:
    """One webhook POST the fake made (each retry is its own Delivery)."""

    url: str
    event: str | None
    payload: Any
    headers: dict[str, str]
    status: int
    """The receiver's HTTP status; 0 when it could not be reached (refused, timeout)."""
    body: str = ""
    error: str | None = None
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Fault:
    status: int | None
    delay: float = 0.0
    body: Any = None


class _Sentinel:
    pass


EVOLUTION = _Sentinel()
"""``deliver(token=EVOLUTION)``: authorise as Evolution would (a JWT if ``jwt_key`` is set)."""


# --------------------------------------------------------------------------- the fake


class FakeEvolution:
    """Evolution API v2 for one instance, over HTTP on 127.0.0.1, served from a thread."""

    def __init__(
        self,
        *,
        instance: str = INSTANCE,
        api_key: str = API_KEY,
        instance_token: str = INSTANCE_TOKEN,
        instance_id: str = INSTANCE_ID,
        bot: Member = BOT,
        groups: Sequence[Group] | None = None,
        contacts: Sequence[Member] | None = None,
        port: int = 0,
        expose_apikey: bool = True,
        emit_send_message: bool = True,
    ) -> None:
        self.instance = instance
        self.api_key = api_key
        self.instance_token = instance_token
        self.instance_id = instance_id
        self.bot = bot
        self.groups: dict[str, Group] = {g.jid: g for g in (groups or default_groups())}
        people = list(contacts or [SUPERVISOR, AGENT, MEMBER, STRANGER])
        for g in self.groups.values():
            people += g.members
        self.contacts: dict[str, Member] = {m.phone: m for m in [bot, *people]}
        """Numbers on WhatsApp, by registered phone digits."""
        self.expose_apikey = expose_apikey
        """AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES: the payloads' ``apikey`` is the instance
        token when true, ``null`` when false."""
        self.emit_send_message = emit_send_message
        """Deliver ``send.message`` after each send when the webhook subscribes SEND_MESSAGE."""
        self.connected = True
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.deleted: list[dict[str, Any]] = []
        self.deliveries: list[Delivery] = []
        self.faults: dict[str, list[Fault]] = {}
        self.webhook: dict[str, Any] | None = None
        """The Webhook row ``/webhook/set`` stored (``/webhook/find`` answers it), or None."""
        self.created_at = prisma_now()
        self._cond = threading.Condition()
        self._messages: dict[str, dict[str, Any]] = {}
        """id -> message data (sent and delivered): what Evolution's DB lets a quote find."""
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        """``EVOLUTION_API_URL`` for the bot: ``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def is_up(self) -> bool:
        return self._runner is not None

    def start(self) -> FakeEvolution:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run_loop, name="fake-evolution", daemon=True)
        self._thread.start()
        self._in_loop(self._listen())
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        if self._runner is not None:
            self._in_loop(self._unlisten())
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._loop.close()
        self._loop = None
        with self._cond:
            self._cond.notify_all()

    def down(self) -> None:
        """Stop listening (connections refused) and close open connections, requests in
        flight included (the client sees the connection drop)."""
        if self._runner is not None:
            self._in_loop(self._unlisten())

    def up(self) -> None:
        """Listen again, on the same port."""
        if self._runner is None:
            self._in_loop(self._listen())

    def __enter__(self) -> FakeEvolution:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run_loop(self) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def _in_loop(self, coro: Any, timeout: float = 15.0) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _listen(self) -> None:
        app = web.Application(client_max_size=136 * 1024 * 1024)  # express json({limit: 136mb})
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.2, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self._port, reuse_address=True)
        await site.start()
        if self._port == 0:
            self._port = runner.addresses[0][1]
        self._runner = runner

    async def _unlisten(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        # Handlers whose client already gave up (a delay past its timeout) may still be
        # sleeping: nothing serves them any more.
        current = asyncio.current_task()
        stragglers = [t for t in asyncio.all_tasks() if t is not current]
        for task in stragglers:
            task.cancel()
        await asyncio.gather(*stragglers, return_exceptions=True)

    # ------------------------------------------------------------------ test-side setup

    def set_webhook(
        self,
        url: str,
        *,
        jwt_key: str | None = JWT_KEY,
        events: Sequence[str] = ("MESSAGES_UPSERT",),
        headers: dict[str, str] | None = None,
        enabled: bool = True,
        by_events: bool = False,
        base64: bool = False,
    ) -> dict[str, Any]:
        """Store a webhook as ``POST /webhook/set`` would, without a request."""
        hdrs = dict(headers or {})
        if jwt_key is not None:
            hdrs["jwt_key"] = jwt_key
        return self._store_webhook(
            {
                "enabled": enabled,
                "url": url,
                "headers": hdrs,
                "events": list(events),
                "byEvents": by_events,
                "base64": base64,
            }
        )

    def add_group(self, group: Group) -> None:
        with self._cond:
            self.groups[group.jid] = group
            for m in group.members:
                self.contacts.setdefault(m.phone, m)

    def leave_group(self, jid: str) -> None:
        """The instance's number leaves (or is removed from) the group."""
        with self._cond:
            self.groups[jid].joined = False

    def disconnect(self) -> None:
        """The WhatsApp session closes (phone logged out, network lost): ``connectionStatus``
        becomes ``close`` and sends fail as Evolution fails them."""
        with self._cond:
            self.connected = False

    def reconnect(self) -> None:
        with self._cond:
            self.connected = True

    def fail_next(
        self,
        path: str,
        status: int,
        times: int = 1,
        *,
        body: Any = None,
        message: Any = None,
        delay: float = 0.0,
    ) -> None:
        """The next ``times`` requests whose path matches ``path`` (a suffix such as
        ``"sendText"``, ``"/message/sendText"`` or ``"/message/sendText/upcall"``) are answered
        ``status`` (after ``delay`` seconds), with ``body`` or an Evolution-shaped error."""
        if body is None:
            body = EvolutionError(
                status, _REASONS.get(status, "Error"), message or [f"injected {status}"]
            ).body
        with self._cond:
            self.faults.setdefault(_norm(path), []).extend([Fault(status, delay, body)] * times)

    def delay_next(self, path: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` matching requests are held ``seconds``, then answered normally."""
        with self._cond:
            self.faults.setdefault(_norm(path), []).extend([Fault(None, seconds)] * times)

    # ------------------------------------------------------------------ queries

    def mark(self) -> int:
        with self._cond:
            return len(self.calls)

    def calls_to(self, path: str, method: str | None = None) -> list[Call]:
        with self._cond:
            return [
                c
                for c in self.calls
                if _matches(c.path, _norm(path)) and (method is None or c.method == method)
            ]

    def calls_since(self, index: int) -> list[Call]:
        with self._cond:
            return list(self.calls[index:])

    def wait_for(
        self,
        path: str,
        where: Callable[[Call], bool] = lambda _c: True,
        *,
        since: int = 0,
        timeout: float = 10.0,
    ) -> Call:
        """The first answered call to ``path`` after position ``since`` matching ``where``."""
        deadline = time.monotonic() + timeout
        key = _norm(path)
        with self._cond:
            while True:
                for call in self.calls[since:]:
                    if call.done and _matches(call.path, key) and where(call):
                        return call
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [f"{c.method} {c.path}" for c in self.calls[since:]]
                    raise AssertionError(f"no call to {path} within {timeout}s; saw {seen}")
                self._cond.wait(left)

    def sent_messages(self, chat: str | None = None, kind: str | None = None) -> list[Sent]:
        """Messages sent (201), to ``chat`` (a JID or a number) if given."""
        jid = self._chat_jid(chat) if chat is not None else None
        with self._cond:
            return [
                s
                for s in self.sent
                if (jid is None or s.jid == jid) and (kind is None or s.kind == kind)
            ]

    def sent_texts(self, chat: str | None = None) -> list[str]:
        return [s.text or "" for s in self.sent_messages(chat, "text")]

    def sent_media(self, chat: str | None = None) -> list[Sent]:
        return self.sent_messages(chat, "media")

    def deleted_ids(self, chat: str | None = None) -> list[str]:
        with self._cond:
            return [d["id"] for d in self.deleted if chat is None or d["remoteJid"] == chat]

    def wait_sent(
        self,
        chat: str | None = None,
        *,
        count: int = 1,
        kind: str | None = None,
        timeout: float = 10.0,
    ) -> list[Sent]:
        """Wait until at least ``count`` messages were sent to ``chat``; all of them."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.sent_messages(chat, kind)
            if len(found) >= count:
                return found
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{len(found)} messages sent to {chat} within {timeout}s")
            with self._cond:
                self._cond.wait(min(left, 0.05))

    def _chat_jid(self, chat: str) -> str:
        jid = create_jid(chat)
        if jid.endswith("@s.whatsapp.net"):
            jid = self._on_whatsapp(jid)[0]
        return jid

    # ------------------------------------------------------------------ HTTP side

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.method
        path = request.path
        query = dict(request.query)
        headers = {k: v for k, v in request.headers.items()}
        files: dict[str, bytes] = {}
        parse_error: str | None = None
        body: Any = {}
        kind = request.headers.get("Content-Type", "")
        raw = await request.read()
        if raw and "json" in kind:
            try:
                body = json.loads(raw)
            except ValueError as exc:
                parse_error = f"Unexpected token in JSON: {exc}"
                body = raw.decode(errors="replace")
        elif raw and kind.startswith("multipart/form-data"):
            body = {}
            reader = await _multipart(request, raw)
            for name, (filename, data) in reader.items():
                if filename is None:
                    body[name] = data.decode()
                else:
                    files[name] = data
        elif raw and kind.startswith("application/x-www-form-urlencoded"):
            body = dict(await request.post())
        call = Call(method, path, query, body, request.headers.get("apikey"), headers)
        with self._cond:
            self.calls.append(call)
            fault = self._pop_fault(path)
            self._cond.notify_all()
        try:
            if fault is not None and fault.delay:
                await asyncio.sleep(fault.delay)
            if fault is not None and fault.status is not None:
                status, payload = fault.status, fault.body
            elif parse_error is not None:  # express json() failing: status 400, no `error`
                status, payload = 400, crashed(parse_error).body | {"status": 400}
            else:
                try:
                    status, payload = await self._route(request, method, path, query, body, files)
                except EvolutionError as exc:
                    status, payload = exc.status, exc.body
        except asyncio.CancelledError:
            with self._cond:
                call.status, call.response, call.answered_at = 0, None, time.monotonic()
                self._cond.notify_all()
            raise
        with self._cond:
            call.status, call.response, call.answered_at = status, payload, time.monotonic()
            self._cond.notify_all()
        return web.Response(
            text=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            status=status,
            content_type="application/json",
            charset="utf-8",
        )

    def _pop_fault(self, path: str) -> Fault | None:
        for key, queue in self.faults.items():
            if queue and _matches(path, key):
                return queue.pop(0)
        return None

    async def _route(
        self,
        request: web.Request,
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
        files: dict[str, bytes],
    ) -> tuple[int, Any]:
        if method == "GET" and path == "/":
            return 200, {
                "status": 200,
                "message": "Welcome to the Evolution API, it is working!",
                "version": EVOLUTION_VERSION,
                "clientName": CLIENT_NAME,
                "manager": f"{self.base_url}/manager",
                "documentation": "https://doc.evolution-api.com",
                "whatsappWebVersion": "2.3000.1028950950",
            }
        if method == "GET" and re.fullmatch(r"/instance/fetchInstances/?", path, re.I):
            self._auth(request, None, fetch_instances=True)
            return 200, self._fetch_instances(query, request.headers.get("apikey", ""))
        for verb, pattern, handler in self._routes:
            match = re.fullmatch(pattern, path, re.I)
            if match and method == verb:
                name = match[1]
                if name != self.instance:  # instanceExistsGuard, before the key is checked
                    raise not_found(f'The "{name}" instance does not exist')
                self._auth(request, name)
                answer: tuple[int, Any] = await handler(self, body, query, files)
                return answer
        url = request.path_qs
        raise EvolutionError(404, "Not Found", [f"Cannot {method} {url}"])

    def _auth(self, request: web.Request, name: str | None, fetch_instances: bool = False) -> None:
        """authGuard.apikey: the global key, or this instance's token."""
        key = request.headers.get("apikey")
        if not key:
            raise unauthorized()
        if key == self.api_key:
            return
        if (name == self.instance or fetch_instances) and key == self.instance_token:
            return
        raise unauthorized()

    # ---- /message

    async def _send_text(
        self, body: Any, query: dict[str, str], files: dict[str, bytes]
    ) -> tuple[int, Any]:
        _check(body, TEXT_SCHEMA)
        text = body["text"]
        if not text.strip():
            raise bad_request("Text is required")
        return 201, await self._send(body, "text", {"conversation": text}, "conversation", text)

    async def _send_media(
        self, body: Any, query: dict[str, str], files: dict[str, bytes]
    ) -> tuple[int, Any]:
        if isinstance(body, dict) and "file" in files:
            body = {**body, "media": base64.b64encode(files["file"]).decode()}
        if (
            isinstance(body, dict)
            and isinstance(body.get("delay"), str)
            and body["delay"].isdigit()
        ):
            body["delay"] = int(body["delay"])  # multer fields are strings; schema wants integer
        _check(body, MEDIA_SCHEMA)
        mediatype = body["mediatype"]
        media = body.get("media")
        if not isinstance(media, str):
            raise internal(
                "TypeError [ERR_INVALID_ARG_TYPE]: The first argument must be of type string or "
                "an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. "
                "Received undefined"
            )
        is_url = re.match(r"^https?://", media) is not None
        data: bytes | None = None if is_url else _lenient_b64(media)
        if mediatype == "image" and data is not None and _image_kind(data) is None:
            raise internal("Error: Input buffer contains unsupported image format")
        file_name = body.get("fileName")
        mimetype = body.get("mimetype")
        if mediatype == "image":
            file_name = file_name or "image.jpg"
            mimetype = "image/jpeg"  # sharp re-encodes every image as JPEG
        elif mediatype == "video":
            file_name = file_name or "video.mp4"
        elif mediatype == "document" and not file_name:
            found = re.match(r".*/(.+?)\.", media) if is_url else None
            if found is None:
                raise internal("TypeError: Cannot read properties of null (reading '1')")
            file_name = found[1]
        if mimetype is None and file_name:
            mimetype = mimetypes.guess_type(file_name)[0] or "false"
        if file_name:  # prepareMediaMessage: the file name's type wins over `mimetype`
            mimetype = mimetypes.guess_type(file_name)[0] or "false"
            if mimetype == "application/mp4":
                mimetype = "video/mp4"
        content: dict[str, Any] = {
            "url": "https://mmg.whatsapp.net/o1/v/t62.7118-24/f2/m231/"
            + secrets.token_hex(16)
            + "?ccb=9-4&oh=01_fake&oe=6900AAAA&_nc_sid=e6ed6c&mms3=true",
            "mimetype": mimetype,
            "fileSha256": js_bytes(secrets.token_bytes(32)),
            "fileLength": js_long(len(data) if data is not None else 0),
            "mediaKey": js_bytes(secrets.token_bytes(32)),
            "fileEncSha256": js_bytes(secrets.token_bytes(32)),
            "directPath": "/o1/v/t62.7118-24/f2/m231/" + secrets.token_hex(16),
            "mediaKeyTimestamp": js_long(int(time.time()), unsigned=False),
        }
        if body.get("caption") is not None:
            content["caption"] = body["caption"]
        if file_name:
            content["fileName"] = file_name
        if mediatype == "image" and data is not None:
            size = _image_size(data)
            if size:
                content["height"], content["width"] = size[1], size[0]
        if mediatype == "video":
            content["gifPlayback"] = False
        message_type = f"{mediatype}Message"
        extra = {
            "mediatype": mediatype,
            "mimetype": mimetype,
            "file_name": file_name,
            "media": media if is_url else data,
        }
        response = await self._send(
            body, "media", {message_type: content}, message_type, body.get("caption"), extra, ctx={}
        )
        return 201, response

    async def _send(
        self,
        body: dict[str, Any],
        kind: str,
        message: dict[str, Any],
        message_type: str,
        text: str | None,
        extra: dict[str, Any] | None = None,
        ctx: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """sendMessageWithTyping: resolve the number, check the group, send, answer messageRaw."""
        number = body["number"]
        jid, exists = self._on_whatsapp(number)
        is_group = jid.endswith("@g.us")
        with self._cond:
            connected = self.connected
        if not connected and not is_group:
            raise crashed("Connection Closed")  # whatsappNumber -> onWhatsApp, outside the try
        if not exists and not is_group and "@broadcast" not in jid:
            raise bad_request({"jid": jid, "exists": False, "number": number})
        if is_group:
            group = self.groups.get(jid)
            if group is None or not group.joined:
                # NotFoundException('Group not found') thrown inside the try, caught, and
                # rethrown as BadRequestException(error.toString()) of a plain object.
                raise bad_request("[object Object]")
            if not connected:
                raise bad_request("Error: Connection Closed")
        delay = body.get("delay")
        if isinstance(delay, int | float) and delay > 0:
            await asyncio.sleep(delay / 1000)  # "composing" for `delay` ms before sending
        context: dict[str, Any] | None = dict(ctx) if ctx is not None else None
        mentioned: list[str] = []
        if is_group:
            group = self.groups[jid]
            if body.get("mentionsEveryOne"):
                mentioned = [m.jid(group.addressing_mode == "lid") for m in group.members]
            elif body.get("mentioned"):
                mentioned = [create_jid(m) for m in body["mentioned"]]
            if mentioned:
                context = {**(context or {}), "mentionedJid": mentioned}
        else:
            context = {
                "mentionedJid": [],
                "groupMentions": [],
                "ephemeralSettingTimestamp": js_long(int(time.time()) - 172800, unsigned=False),
                "disappearingMode": {"initiator": 0},
                **(context or {}),
            }
        quoted_id = None
        quote = self._quote(body.get("quoted"), jid)
        if quote is not None:
            context = {**(context or {}), **quote}
            quoted_id = quote["stanzaId"]
        key_id = new_sent_id()
        response: dict[str, Any] = {
            "key": {"remoteJid": jid, "fromMe": True, "id": key_id},
            "pushName": "Você",
            "status": "PENDING",
            "message": message,
        }
        if context is not None:
            response["contextInfo"] = context
        response |= {
            "messageType": message_type,
            "messageTimestamp": int(time.time()),
            "instanceId": self.instance_id,
            "source": "web",
        }
        sent = Sent(
            kind,
            jid,
            text,
            key_id,
            body,
            response,
            mentioned=mentioned,
            quoted_id=quoted_id,
            **(extra or {}),
        )
        with self._cond:
            self.sent.append(sent)
            self._messages[key_id] = response
            hook = dict(self.webhook) if self.webhook else None
            self._cond.notify_all()
        if (
            self.emit_send_message
            and hook
            and hook["enabled"]
            and "SEND_MESSAGE" in (hook["events"] or [])
        ):
            payload = self.envelope("send.message", json.loads(json.dumps(response)))
            threading.Thread(target=self.deliver, args=(payload,), daemon=True).start()
        return response

    def _quote(self, quoted: Any, chat: str) -> dict[str, Any] | None:
        """The contextInfo Baileys adds for ``quoted``: with ``message`` as given, or found by
        ``key.id`` among the messages Evolution stored (here: sent and delivered); otherwise the
        quote silently does not happen, as with Evolution."""
        if not isinstance(quoted, dict) or not isinstance(quoted.get("key"), dict):
            return None
        key = quoted["key"]
        message = quoted.get("message")
        if message is None:
            with self._cond:
                stored = self._messages.get(key["id"])
            if stored is None:
                return None
            key = {**stored["key"], **key}
            message = stored.get("message")
        message = dict(message or {})
        message.pop("messageContextInfo", None)
        if key.get("fromMe"):
            participant = self.bot.pn_jid
        else:
            participant = key.get("participant") or key.get("remoteJid") or chat
            participant = re.sub(r":\d+@", "@", participant)
        ctx = {"participant": participant, "stanzaId": key["id"], "quotedMessage": message}
        if key.get("remoteJid") and key["remoteJid"] != chat:
            ctx["remoteJid"] = key["remoteJid"]
        return ctx

    def _on_whatsapp(self, number: str) -> tuple[str, bool]:
        """whatsappNumber for one number: (jid, exists)."""
        jid = create_jid(number)
        if jid.endswith("@g.us"):
            group = self.groups.get(jid)
            return jid, bool(group and group.joined)
        if "@lid" in jid or "@broadcast" in jid:
            return jid, "@lid" in jid
        user = jid.split("@")[0]
        candidates = [user]
        if user.startswith("55"):
            if len(user) == 12:
                candidates.append(user[:4] + "9" + user[4:])
            if len(user) == 13 and user[4] == "9":
                candidates.append(user[:4] + user[5:])
        for candidate in candidates:
            if candidate in self.contacts:
                return f"{candidate}@s.whatsapp.net", True
        return jid, False

    # ---- /chat

    async def _delete(
        self, body: Any, query: dict[str, str], files: dict[str, bytes]
    ) -> tuple[int, Any]:
        _check(body, DELETE_SCHEMA)
        remote = body["remoteJid"]
        failure = "Error while deleting message for everyone"
        with self._cond:
            connected = self.connected
        if not connected:
            raise internal(failure, "Error: Connection Closed")
        if "@" not in remote:  # the key goes to Baileys as given: no createJid here
            raise internal(
                failure, "TypeError: Cannot read properties of undefined (reading 'server')"
            )
        if remote.endswith("@g.us"):
            group = self.groups.get(remote)
            if group is None:
                raise internal(failure, "Error: item-not-found")
            if not group.joined:
                raise internal(failure, "Error: forbidden")
        revoked = {k: body[k] for k in ("remoteJid", "fromMe", "id", "participant") if k in body}
        with self._cond:
            known = body["id"] in self._messages
            self.deleted.append({**revoked, "known": known})
            self._messages.pop(body["id"], None)
            self._cond.notify_all()
        response: dict[str, Any] = {
            "key": {"remoteJid": remote, "fromMe": True, "id": new_sent_id()},
            "message": {"protocolMessage": {"key": revoked, "type": "REVOKE"}},
            "messageTimestamp": str(int(time.time())),  # protobuf toJSON: longs as strings
        }
        if remote.endswith("@g.us"):
            response["participant"] = f"{self.bot.phone}:7@s.whatsapp.net"  # creds.me.id
        response["status"] = "PENDING"
        return 201, response

    # ---- /instance

    def _instance_row(self) -> dict[str, Any]:
        with self._cond:
            connected = self.connected
            count = len(self._messages)
        return {
            "id": self.instance_id,
            "name": self.instance,
            "connectionStatus": "open" if connected else "close",
            "ownerJid": self.bot.pn_jid,
            "profileName": self.bot.name,
            "profilePicUrl": None,
            "integration": "WHATSAPP-BAILEYS",
            "number": None,
            "businessId": None,
            "token": self.instance_token,
            "clientName": CLIENT_NAME,
            "disconnectionReasonCode": None if connected else 428,
            "disconnectionObject": None,
            "disconnectionAt": None,
            "createdAt": self.created_at,
            "updatedAt": self.created_at,
            "Chatwoot": None,
            "Proxy": None,
            "Rabbitmq": None,
            "Nats": None,
            "Sqs": None,
            "Websocket": None,
            "Setting": {
                "id": "cmsetting0000000000000001",
                "rejectCall": False,
                "msgCall": "",
                "groupsIgnore": False,
                "alwaysOnline": False,
                "readMessages": False,
                "readStatus": False,
                "syncFullHistory": False,
                "wavoipToken": "",
                "createdAt": self.created_at,
                "updatedAt": self.created_at,
                "instanceId": self.instance_id,
            },
            "_count": {"Message": count, "Contact": len(self.contacts), "Chat": len(self.groups)},
        }

    def _fetch_instances(self, query: dict[str, str], key: str) -> list[dict[str, Any]]:
        name = query.get("instanceName")
        instance_id = query.get("instanceId")
        if key != self.api_key:  # the instance token: only its own instance, or 401
            if (name and name != self.instance) or (
                instance_id and instance_id != self.instance_id
            ):
                raise unauthorized()
            return [self._instance_row()]
        if instance_id and instance_id != self.instance_id:
            raise not_found(f'Instance "{instance_id}" not found')
        if name and name != self.instance:
            raise not_found(f'Instance "{name}" not found')
        return [self._instance_row()]

    async def _connection_state(
        self, body: Any, query: dict[str, str], files: dict[str, bytes]
    ) -> tuple[int, Any]:
        with self._cond:
            state = "open" if self.connected else "close"
        return 200, {"instance": {"instanceName": self.instance, "state": state}}

    # ---- /webhook

    async def _webhook_set(
        self, body: Any, query: dict[str, str], files: dict[str, bytes]
    ) -> tuple[int, Any]:
        _check(body, WEBHOOK_SCHEMA)
        return 201, self._store_webhook(dict(body["webhook"]))

    def _store_webhook(self, hook: dict[str, Any]) -> dict[str, Any]:
        if not hook.get("enabled"):
            hook["events"] = []
        elif "events" not in hook:  # `data.webhook.events.length` on undefined
            raise crashed("Cannot read properties of undefined (reading 'length')")
        elif len(hook["events"]) == 0:
            hook["events"] = list(ALL_EVENTS)
        now = prisma_now()
        with self._cond:
            old = self.webhook or {}
            row = {
                "id": old.get("id") or "cm" + secrets.token_hex(12)[:23],
                "url": hook["url"],
                "headers": hook.get("headers", old.get("headers")),
                "enabled": hook["enabled"],
                "events": hook["events"],
                "webhookByEvents": hook.get("byEvents", old.get("webhookByEvents", False)),
                "webhookBase64": hook.get("base64", old.get("webhookBase64", False)),
                "createdAt": old.get("createdAt") or now,
                "updatedAt": now,
                "instanceId": self.instance_id,
            }
            self.webhook = row
            self._cond.notify_all()
            return dict(row)

    async def _webhook_find(
        self, body: Any, query: dict[str, str], files: dict[str, bytes]
    ) -> tuple[int, Any]:
        with self._cond:
            return 200, dict(self.webhook) if self.webhook else None

    # ---- /group

    async def _fetch_all_groups(
        self, body: Any, query: dict[str, str], files: dict[str, bytes]
    ) -> tuple[int, Any]:
        flag = query.get("getParticipants")
        if not flag:
            raise bad_request("The getParticipants needs to be informed in the query")
        if flag not in ("true", "false"):
            raise bad_request(
                {
                    "property": "getParticipants",
                    "message": "getParticipants is not one of enum values: true,false",
                }
            )
        with self._cond:
            if not self.connected:
                raise crashed("Connection Closed")
            groups = [g for g in self.groups.values() if g.joined]
        result = []
        for g in groups:
            lid = g.addressing_mode == "lid"
            item: dict[str, Any] = {
                "id": g.jid,
                "subject": g.subject,
                "subjectOwner": g.owner.jid(lid) if g.owner else None,
                "subjectTime": g.creation,
                "pictureUrl": None,
                "size": len(g.members),
                "creation": g.creation,
                "owner": g.owner.jid(lid) if g.owner else None,
            }
            if g.desc is not None:
                item["desc"] = g.desc
                item["descId"] = f"{g.creation:X}DESC"
            item |= {
                "restrict": g.restrict,
                "announce": g.announce,
                "isCommunity": False,
                "isCommunityAnnounce": False,
            }
            if flag == "true":
                item["participants"] = [_participant(m, lid) for m in g.members]
            result.append(item)
        return 200, result

    _routes: tuple[tuple[str, str, Callable[..., Any]], ...] = (
        ("POST", r"/message/sendText/([^/]+)/?", _send_text),
        ("POST", r"/message/sendMedia/([^/]+)/?", _send_media),
        ("DELETE", r"/chat/deleteMessageForEveryone/([^/]+)/?", _delete),
        ("GET", r"/instance/connectionState/([^/]+)/?", _connection_state),
        ("POST", r"/webhook/set/([^/]+)/?", _webhook_set),
        ("GET", r"/webhook/find/([^/]+)/?", _webhook_find),
        ("GET", r"/group/fetchAllGroups/([^/]+)/?", _fetch_all_groups),
    )

    # ------------------------------------------------------------------ webhook side

    def jwt_key(self) -> str | None:
        """The ``jwt_key`` the webhook was set with (what the bot must verify with)."""
        with self._cond:
            headers = (self.webhook or {}).get("headers") or {}
        return headers.get("jwt_key")

    def make_jwt(
        self, key: str | None = None, *, now: int | None = None, ttl: int = JWT_TTL, **claims: Any
    ) -> str:
        """A token as Evolution's generateJwtToken makes it (jsonwebtoken, HS256):
        ``{iat, exp: iat + 600, app: "evolution", action: "webhook"}``. ``claims`` override
        (``None`` removes one)."""
        key = key if key is not None else (self.jwt_key() or JWT_KEY)
        iat = int(time.time()) if now is None else now
        payload: dict[str, Any] = {
            "iat": iat,
            "exp": iat + ttl,
            "app": "evolution",
            "action": "webhook",
        }
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(payload, key, algorithm="HS256")

    def envelope(self, event: str, data: Any) -> dict[str, Any]:
        """The body WebhookController.emit POSTs for ``event``."""
        with self._cond:
            hook = dict(self.webhook) if self.webhook else None
        destination = (
            hook["url"] if hook else f"{self.base_url}/{event_key(event).replace('_', '-').lower()}"
        )
        return {
            "event": event,
            "instance": self.instance,
            "data": data,
            "destination": destination,
            "date_time": local_iso_z(),
            "sender": self.bot.pn_jid,
            "server_url": self.base_url,
            "apikey": self.instance_token if self.expose_apikey else None,
        }

    def _member(self, who: Member | str) -> Member:
        if isinstance(who, Member):
            return who
        digits = who.split("@")[0].split(":")[0]
        with self._cond:
            people = [self.bot, *self.contacts.values()]
        for m in people:
            if digits in (m.phone, m.lid):
                return m
        if who.endswith("@lid"):
            return Member(digits, "", digits)
        return Member(digits, create_jid(digits).split("@")[0], "")

    def _context_for(
        self,
        lid: bool,
        mentions: Sequence[Member | str],
        quoted_id: str | None,
        quoted_text: str | None,
        quoted_participant: Member | str | None,
    ) -> dict[str, Any] | None:
        ctx: dict[str, Any] = {}
        if quoted_id is not None:
            with self._cond:
                stored = self._messages.get(quoted_id)
            author: Member | str | None = quoted_participant
            text = quoted_text
            if stored is not None:
                if author is None:
                    author = (
                        self.bot
                        if stored["key"].get("fromMe")
                        else stored["key"].get("participant")
                    )
                if text is None:
                    text = (stored.get("message") or {}).get("conversation")
            author_m = self._member(author if author is not None else self.bot)
            ctx |= {
                "stanzaId": quoted_id,
                "participant": _jid_of(author_m, lid),
                "quotedMessage": {"conversation": text or ""},
            }
        if mentions:
            ctx["mentionedJid"] = [
                m if isinstance(m, str) and "@" in m else _jid_of(self._member(m), lid)
                for m in mentions
            ]
        return ctx or None

    def _message_data(
        self,
        key: dict[str, Any],
        push_name: str,
        text: str,
        ctx: dict[str, Any] | None,
        from_me: bool,
        timestamp: int | None,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": key,
            "pushName": push_name,
            "status": "SERVER_ACK" if from_me else "DELIVERY_ACK",
            "message": {
                "conversation": text,
                "messageContextInfo": {
                    "deviceListMetadata": {
                        "senderKeyHash": js_bytes(secrets.token_bytes(10)),
                        "senderTimestamp": js_long(int(time.time()) - 86400),
                        "recipientKeyHash": js_bytes(secrets.token_bytes(10)),
                        "recipientTimestamp": js_long(int(time.time()) - 3600),
                    },
                    "deviceListMetadataVersion": 2,
                    "messageSecret": js_bytes(secrets.token_bytes(32)),
                },
            },
        }
        if ctx is not None:  # extendedTextMessage flattened by prepareMessage: context up here
            data["contextInfo"] = ctx
        data |= {
            "messageType": "conversation",
            "messageTimestamp": int(time.time()) if timestamp is None else timestamp,
            "instanceId": self.instance_id,
            "source": get_device(key["id"]),
        }
        return data

    def group_text_payload(
        self,
        group_jid: str = GROUP_JID,
        participant: Member | str = AGENT,
        text: str = "",
        mentions: Sequence[Member | str] = (),
        quoted_id: str | None = None,
        from_me: bool = False,
        msg_id: str | None = None,
        lid: bool | None = None,
        *,
        quoted_text: str | None = None,
        quoted_participant: Member | str | None = None,
        push_name: str | None = None,
        timestamp: int | None = None,
    ) -> dict[str, Any]:
        """A ``messages.upsert`` event for a text in a group, as Evolution 2.3.6 posts it.

        ``lid`` None follows the group's addressing mode. LID: ``key.participant`` is
        ``<lid>@lid`` and ``key.participantAlt`` the phone JID; PN: the other way round.
        Mentions are JIDs in the same addressing (put ``member.mention(lid)`` in ``text``).
        ``quoted_id`` of a message the fake sent quotes it (its text, the bot as author)."""
        group = self.groups.get(group_jid)
        if lid is None:
            lid = group is None or group.addressing_mode == "lid"
        who = self.bot if from_me else self._member(participant)
        key: dict[str, Any] = {
            "remoteJid": group_jid,
            "fromMe": from_me,
            "id": msg_id or new_phone_id(),
            "participant": _jid_of(who, lid),
        }
        alt = _jid_of(who, not lid)
        if alt:
            key["participantAlt"] = alt
        key["addressingMode"] = "lid" if lid else "pn"
        ctx = self._context_for(lid, mentions, quoted_id, quoted_text, quoted_participant)
        data = self._message_data(key, push_name or who.name, text, ctx, from_me, timestamp)
        return self.envelope("messages.upsert", data)

    def dm_text_payload(
        self,
        sender: Member | str = AGENT,
        text: str = "",
        *,
        lid: bool = False,
        from_me: bool = False,
        msg_id: str | None = None,
        quoted_id: str | None = None,
        quoted_text: str | None = None,
        push_name: str | None = None,
        timestamp: int | None = None,
        rewrite_lid: bool = False,
    ) -> dict[str, Any]:
        """A ``messages.upsert`` for a direct message. LID: ``remoteJid`` ``<lid>@lid`` and
        ``remoteJidAlt`` the phone JID (2.3.6); ``rewrite_lid`` gives 2.3.7's shape, where
        ``remoteJid`` is replaced by ``remoteJidAlt`` before the webhook."""
        who = self._member(sender)
        key: dict[str, Any] = {"remoteJid": _jid_of(who, lid)}
        alt = _jid_of(who, not lid)
        if alt:
            key["remoteJidAlt"] = alt
        key |= {
            "fromMe": from_me,
            "id": msg_id or new_phone_id(),
            "addressingMode": "lid" if lid else "pn",
        }
        if rewrite_lid and lid and alt:
            key["remoteJid"] = alt
        ctx = self._context_for(lid, (), quoted_id, quoted_text, None)
        name = self.bot.name if from_me else (push_name or who.name)
        data = self._message_data(key, name, text, ctx, from_me, timestamp)
        return self.envelope("messages.upsert", data)

    def group_text(self, *args: Any, **kwargs: Any) -> int | None:
        """Build :meth:`group_text_payload` and :meth:`deliver` it; the receiver's status."""
        return self.deliver(self.group_text_payload(*args, **kwargs))

    def dm_text(self, *args: Any, **kwargs: Any) -> int | None:
        return self.deliver(self.dm_text_payload(*args, **kwargs))

    def deliver(
        self,
        payload: Any,
        *,
        token: str | _Sentinel | None = EVOLUTION,
        headers: dict[str, str] | None = None,
        url: str | None = None,
        force: bool = False,
        retries: int = 0,
        retry_delay: float = 0.05,
        timeout: float = 10.0,
    ) -> int | None:
        """POST ``payload`` to the webhook as Evolution does; the receiver's HTTP status.

        * The URL is the registered one (+ ``/messages-upsert`` with ``byEvents``) unless
          ``url`` is given; only loopback hosts are allowed.
        * Evolution sends an event only when the webhook is enabled and lists it: otherwise
          nothing is sent and None is returned (``force`` sends anyway). No webhook at all
          (and no ``url``) raises LookupError.
        * Headers: the configured ones minus ``jwt_key``, ``Authorization: Bearer <JWT>`` when
          ``jwt_key`` is configured (``token``: EVOLUTION as Evolution; None: no Authorization;
          a string: that bearer token), then ``headers``.
        * ``retries``: like Evolution, POST again (same body, same token) after a failure that
          is not 400/401/403/404/422 (connection errors, 5xx, other 4xx), up to ``retries``
          more times, ``retry_delay`` seconds apart (Evolution: 5 s doubling, up to 10 tries).
        * A receiver that cannot be reached gives status 0 (see :attr:`deliveries`)."""
        event = payload.get("event") if isinstance(payload, dict) else None
        with self._cond:
            hook = dict(self.webhook) if self.webhook else None
        send_headers: dict[str, str] = {
            "Accept": "application/json, text/plain, */*",
            "Content-Type": "application/json",
            "User-Agent": "axios/1.12.2",
        }
        configured = dict((hook or {}).get("headers") or {})
        key = configured.pop("jwt_key", None)
        if url is None:
            if hook is None:
                raise LookupError("no webhook: POST /webhook/set first (or set_webhook())")
            listed = event is not None and event_key(event) in (hook["events"] or [])
            if not force and not (hook["enabled"] and listed):
                return None
            url = hook["url"]
            if hook.get("webhookByEvents") and event:
                url = f"{url}/{event_key(event).replace('_', '-').lower()}"
        _check_loopback(url)
        send_headers |= {k: str(v) for k, v in configured.items()}
        if isinstance(token, _Sentinel):
            if key is not None:
                send_headers["Authorization"] = f"Bearer {self.make_jwt(str(key))}"
        elif token is None:
            send_headers.pop("Authorization", None)
        else:
            send_headers["Authorization"] = f"Bearer {token}"
        send_headers |= headers or {}
        data = json.dumps(payload, ensure_ascii=False).encode()
        status = 0
        for attempt in range(retries + 1):
            status = self._post(url, event, payload, data, send_headers, timeout)
            if 200 <= status < 300 or status in NON_RETRYABLE:
                break
            if attempt < retries:
                time.sleep(retry_delay)
        if isinstance(payload, dict) and event == "messages.upsert":
            msg = payload.get("data")
            if isinstance(msg, dict) and isinstance(msg.get("key"), dict) and "id" in msg["key"]:
                with self._cond:
                    self._messages[msg["key"]["id"]] = msg
        return status

    def deliver_unsigned(self, payload: Any, **kwargs: Any) -> int | None:
        """As :meth:`deliver`, without ``Authorization`` (a webhook set without ``jwt_key``)."""
        return self.deliver(payload, token=None, **kwargs)

    def deliver_forged(
        self, payload: Any, key: str = "not-the-jwt-key-but-just-as-long-0123456789", **kwargs: Any
    ) -> int | None:
        """As :meth:`deliver`, with a well-formed token signed with the wrong key."""
        return self.deliver(payload, token=self.make_jwt(key), **kwargs)

    def deliver_expired(self, payload: Any, age: int = 3600, **kwargs: Any) -> int | None:
        """As :meth:`deliver`, with a token signed right but issued ``age`` seconds ago (an
        Evolution retry more than 10 minutes after the event carries one of these)."""
        return self.deliver(payload, token=self.make_jwt(now=int(time.time()) - age), **kwargs)

    def _post(
        self,
        url: str,
        event: str | None,
        payload: Any,
        data: bytes,
        headers: dict[str, str],
        timeout: float,
    ) -> int:
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        record = Delivery(url, event, payload, dict(headers), 0)
        try:
            with opener.open(request, timeout=timeout) as answer:
                record.status = answer.status
                record.body = answer.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            record.status = exc.code
            record.body = exc.read().decode(errors="replace")
        except (urllib.error.URLError, OSError) as exc:
            record.error = str(getattr(exc, "reason", exc))
        with self._cond:
            self.deliveries.append(record)
            self._cond.notify_all()
        return record.status


# --------------------------------------------------------------------------- small helpers


def _jid_of(member: Member, lid: bool) -> str:
    if lid:
        return member.lid_jid if member.lid else ""
    return member.pn_jid if member.phone else ""


def _participant(member: Member, lid: bool) -> dict[str, Any]:
    """A participant as Baileys 7's extractGroupMetadata gives it (``id`` in the group's
    addressing, the other form in ``phoneNumber`` / ``lid``)."""
    if lid:
        return {"id": member.lid_jid, "phoneNumber": member.pn_jid, "admin": member.admin}
    return {"id": member.pn_jid, "lid": member.lid_jid, "admin": member.admin}


def _norm(path: str) -> str:
    return path.strip("/")


def _matches(path: str, key: str) -> bool:
    """``key`` is a suffix of ``path``, or whole segments inside it (``sendText`` matches
    ``/message/sendText/upcall``)."""
    p = path.strip("/")
    return p == key or p.endswith("/" + key) or f"/{key}/" in f"/{p}/"


def _check_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the fake delivers only to loopback, not {host!r}")


def _lenient_b64(text: str) -> bytes:
    """Node's ``Buffer.from(text, 'base64')``: ignores what is not base64 (a ``data:`` prefix
    is decoded as garbage, not stripped)."""
    cleaned = re.sub(r"[^A-Za-z0-9+/_-]", "", text).replace("-", "+").replace("_", "/")
    cleaned = cleaned[: len(cleaned) - len(cleaned) % 4] if len(cleaned) % 4 == 1 else cleaned
    try:
        return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        return b""


def _image_kind(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _image_size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return None


async def _multipart(request: web.Request, raw: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Fields of a multipart body (already read): name -> (filename, bytes)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    form = BytesParser(policy=HTTP).parsebytes(head + raw)
    out: dict[str, tuple[str | None, bytes]] = {}
    for part in form.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        payload = part.get_payload(decode=True)
        out[name] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(**kwargs: Any) -> Iterator[FakeEvolution]:
    """``with serving() as evo:`` a started :class:`FakeEvolution`, stopped afterwards."""
    evo = FakeEvolution(**kwargs).start()
    try:
        yield evo
    finally:
        evo.stop()
