"""Tests of the fake Evolution API itself: that it answers as Evolution 2.3.6 does."""

from __future__ import annotations

import base64
import json
import struct
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest

from fake_evolution_api import (
    AGENT,
    API_KEY,
    BOT,
    GROUP_JID,
    INSTANCE,
    INSTANCE_ID,
    INSTANCE_TOKEN,
    JWT_KEY,
    MEMBER,
    OTHER_GROUP_JID,
    STRANGER,
    SUPERVISOR,
    FakeEvolution,
    create_jid,
    serving,
)

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(
    evo: FakeEvolution,
    method: str,
    path: str,
    body: Any = None,
    apikey: str | None = API_KEY,
    timeout: float = 10.0,
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if apikey is not None:
        headers["apikey"] = apikey
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(evo.base_url + path, data, headers, method=method)
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def png(width: int = 2, height: int = 1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


class Receiver:
    """The bot's side of the webhook, for these tests: records what arrives, answers
    ``answer(headers, body)`` (200 by default)."""

    def __init__(self, answer: Callable[[dict[str, str], Any], int] | None = None) -> None:
        self.got: list[tuple[str, dict[str, str], Any]] = []
        self.answer = answer or (lambda _h, _b: 200)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                headers = dict(self.headers.items())
                outer.got.append((self.path, headers, body))
                self.send_response(outer.answer(headers, body))
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/evolution/webhook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def evo() -> Iterator[FakeEvolution]:
    with serving() as fake:
        yield fake


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def verifying(key: str) -> Callable[[dict[str, str], Any], int]:
    """A receiver check as the bot should make it: 401 unless a valid Evolution JWT."""

    def answer(headers: dict[str, str], _body: Any) -> int:
        auth = headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return 401
        try:
            claims = jwt.decode(
                auth[7:], key, algorithms=["HS256"], options={"require": ["iat", "exp"]}
            )
        except jwt.PyJWTError:
            return 401
        return 200 if (claims.get("app"), claims.get("action")) == ("evolution", "webhook") else 401

    return answer


# --------------------------------------------------------------------------- sending


def test_send_text_to_group_answers_201_with_the_sent_message(evo: FakeEvolution) -> None:
    status, body = call(
        evo, "POST", f"/message/sendText/{INSTANCE}", {"number": GROUP_JID, "text": "Olá, grupo"}
    )
    assert status == 201
    assert body["key"]["remoteJid"] == GROUP_JID
    assert body["key"]["fromMe"] is True
    assert body["key"]["id"].startswith("3EB0") and len(body["key"]["id"]) == 22
    assert body["pushName"] == "Você"
    assert body["status"] == "PENDING"
    assert body["message"] == {"conversation": "Olá, grupo"}
    assert "contextInfo" not in body  # a plain group text has none
    assert body["messageType"] == "conversation"
    assert isinstance(body["messageTimestamp"], int)
    assert body["instanceId"] == INSTANCE_ID
    assert body["source"] == "web"
    assert evo.sent_texts(GROUP_JID) == ["Olá, grupo"]
    assert evo.calls_to("sendText")[0].status == 201


def test_send_text_with_mentions_and_quote_of_a_delivered_message(
    evo: FakeEvolution, receiver: Receiver
) -> None:
    evo.set_webhook(receiver.url)
    payload = evo.group_text_payload(GROUP_JID, AGENT, "qual a senha?", msg_id="A" * 32)
    assert evo.deliver(payload) == 200
    status, body = call(
        evo,
        "POST",
        f"/message/sendText/{INSTANCE}",
        {
            "number": GROUP_JID,
            "text": f"@{AGENT.phone} aqui está",
            "mentioned": [AGENT.phone],
            "quoted": {"key": {"id": "A" * 32}},  # key only: found among stored messages
        },
    )
    assert status == 201
    ctx = body["contextInfo"]
    assert ctx["mentionedJid"] == [AGENT.pn_jid]
    assert ctx["stanzaId"] == "A" * 32
    assert ctx["participant"] == AGENT.lid_jid  # the quoted message's key.participant
    assert ctx["quotedMessage"] == {"conversation": "qual a senha?"}
    sent = evo.sent_messages(GROUP_JID)[0]
    assert sent.quoted_id == "A" * 32 and sent.mentioned == [AGENT.pn_jid]
    # A quote by key of a message Evolution never stored silently does not happen.
    status, body = call(
        evo,
        "POST",
        f"/message/sendText/{INSTANCE}",
        {"number": GROUP_JID, "text": "x", "quoted": {"key": {"id": "UNKNOWN"}}},
    )
    assert status == 201 and "contextInfo" not in body


def test_auth_unknown_instance_and_validation_errors(evo: FakeEvolution) -> None:
    path = f"/message/sendText/{INSTANCE}"
    unauthorized = {"status": 401, "error": "Unauthorized", "response": {"message": "Unauthorized"}}
    assert call(evo, "POST", path, {"number": GROUP_JID, "text": "x"}, apikey=None) == (
        401,
        unauthorized,
    )
    assert call(evo, "POST", path, {"number": GROUP_JID, "text": "x"}, apikey="wrong") == (
        401,
        unauthorized,
    )
    # The instance's own token is as good as the global key.
    assert (
        call(evo, "POST", path, {"number": GROUP_JID, "text": "x"}, apikey=INSTANCE_TOKEN)[0] == 201
    )
    # The instance guard runs before the key is checked.
    assert call(evo, "POST", "/message/sendText/nope", {}, apikey=None) == (
        404,
        {
            "status": 404,
            "error": "Not Found",
            "response": {"message": ['The "nope" instance does not exist']},
        },
    )
    status, body = call(evo, "POST", path, {"number": GROUP_JID})
    assert (status, body["response"]["message"]) == (400, [['instance requires property "text"']])
    status, body = call(evo, "POST", path, {"number": GROUP_JID, "text": "  "})
    assert (status, body["response"]["message"]) == (400, ["Text is required"])
    status, body = call(evo, "POST", path, {"number": 5511, "text": "x", "delay": 1.5})
    assert body["response"]["message"] == [["Invalid format", "Enter a value in milliseconds"]]
    status, body = call(evo, "GET", "/message/nothing")
    assert (status, body["response"]["message"]) == (404, ["Cannot GET /message/nothing"])
    assert evo.sent_texts() == ["x"]


def test_unknown_number_and_group_not_joined(evo: FakeEvolution) -> None:
    path = f"/message/sendText/{INSTANCE}"
    status, body = call(evo, "POST", path, {"number": "5511955550000", "text": "oi"})
    assert status == 400
    assert body == {
        "status": 400,
        "error": "Bad Request",
        "response": {
            "message": [
                {"jid": "5511955550000@s.whatsapp.net", "exists": False, "number": "5511955550000"}
            ]
        },
    }
    status, body = call(evo, "POST", path, {"number": OTHER_GROUP_JID, "text": "oi"})
    assert (status, body["response"]["message"]) == (400, ["[object Object]"])
    # The 9th digit: 5531 9 8888-7777 reaches the number WhatsApp has as 553188887777.
    assert create_jid("5531988887777") == MEMBER.pn_jid
    status, body = call(evo, "POST", path, {"number": "+55 (31) 98888-7777", "text": "oi"})
    assert (status, body["key"]["remoteJid"]) == (201, MEMBER.pn_jid)
    assert "mentionedJid" in body["contextInfo"]  # direct messages carry Evolution's contextInfo
    assert evo.sent_texts(MEMBER.phone) == ["oi"]


def test_send_media_and_delete_for_everyone(evo: FakeEvolution) -> None:
    picture = png(3, 2)
    status, body = call(
        evo,
        "POST",
        f"/message/sendMedia/{INSTANCE}",
        {
            "number": GROUP_JID,
            "mediatype": "image",
            "mimetype": "image/png",
            "caption": "Roteador",
            "media": base64.b64encode(picture).decode(),
            "fileName": "roteador.png",
        },
    )
    assert status == 201
    image = body["message"]["imageMessage"]
    assert body["messageType"] == "imageMessage"
    assert image["caption"] == "Roteador"
    assert image["mimetype"] == "image/png"  # the file name's type wins
    assert (image["width"], image["height"]) == (3, 2)
    assert body["contextInfo"] == {}
    sent = evo.sent_media(GROUP_JID)[0]
    assert (sent.media, sent.text, sent.file_name) == (picture, "Roteador", "roteador.png")
    # Not an image: sharp refuses it, a 500.
    status, body = call(
        evo,
        "POST",
        f"/message/sendMedia/{INSTANCE}",
        {"number": GROUP_JID, "mediatype": "image", "media": "data:image/png;base64,AAAA"},
    )
    assert status == 500
    assert body["response"]["message"] == ["Error: Input buffer contains unsupported image format"]

    key_id = evo.sent[0].key_id
    delete = {"id": key_id, "remoteJid": GROUP_JID, "fromMe": True}
    status, body = call(evo, "DELETE", f"/chat/deleteMessageForEveryone/{INSTANCE}", delete)
    assert status == 201
    assert body["message"]["protocolMessage"] == {
        "key": {"remoteJid": GROUP_JID, "fromMe": True, "id": key_id},
        "type": "REVOKE",
    }
    assert isinstance(body["messageTimestamp"], str) and body["status"] == "PENDING"
    assert evo.deleted_ids(GROUP_JID) == [key_id]
    status, body = call(
        evo,
        "DELETE",
        f"/chat/deleteMessageForEveryone/{INSTANCE}",
        {"id": "X", "remoteJid": "120363000000000000@g.us", "fromMe": False},
    )
    assert status == 500
    assert body["response"]["message"][0] == "Error while deleting message for everyone"


def test_fetch_instances_groups_and_connection_state(evo: FakeEvolution) -> None:
    status, body = call(evo, "GET", "/instance/fetchInstances")
    assert status == 200 and len(body) == 1
    row = body[0]
    assert (row["name"], row["connectionStatus"], row["ownerJid"], row["token"]) == (
        INSTANCE,
        "open",
        BOT.pn_jid,
        INSTANCE_TOKEN,
    )
    assert call(evo, "GET", "/instance/fetchInstances", apikey=INSTANCE_TOKEN)[0] == 200
    assert call(evo, "GET", "/instance/fetchInstances", apikey="wrong")[0] == 401
    assert call(evo, "GET", "/instance/fetchInstances?instanceName=nope")[0] == 404

    status, body = call(evo, "GET", f"/group/fetchAllGroups/{INSTANCE}?getParticipants=false")
    assert status == 200
    assert [g["id"] for g in body] == [GROUP_JID]  # not OTHER_GROUP_JID: the bot is not in it
    group = body[0]
    assert (group["subject"], group["size"]) == ("UPCALL agentes", 4)
    assert "participants" not in group
    status, body = call(evo, "GET", f"/group/fetchAllGroups/{INSTANCE}?getParticipants=true")
    by_phone = {p["phoneNumber"]: p for p in body[0]["participants"]}
    assert by_phone[BOT.pn_jid]["id"] == BOT.lid_jid  # how the bot learns its own LID
    assert by_phone[SUPERVISOR.pn_jid]["admin"] == "superadmin"
    status, body = call(evo, "GET", f"/group/fetchAllGroups/{INSTANCE}")
    assert (status, body["response"]["message"]) == (
        400,
        ["The getParticipants needs to be informed in the query"],
    )

    assert call(evo, "GET", f"/instance/connectionState/{INSTANCE}")[1] == {
        "instance": {"instanceName": INSTANCE, "state": "open"}
    }
    evo.disconnect()
    assert call(evo, "GET", "/instance/fetchInstances")[1][0]["connectionStatus"] == "close"
    status, body = call(
        evo, "POST", f"/message/sendText/{INSTANCE}", {"number": AGENT.phone, "text": "x"}
    )
    assert (status, body["response"]["message"]) == (500, "Connection Closed")
    evo.reconnect()
    assert (
        call(evo, "POST", f"/message/sendText/{INSTANCE}", {"number": AGENT.phone, "text": "x"})[0]
        == 201
    )


# --------------------------------------------------------------------------- webhook


def test_webhook_set_find_and_a_signed_delivery(evo: FakeEvolution, receiver: Receiver) -> None:
    assert call(evo, "GET", f"/webhook/find/{INSTANCE}") == (200, None)
    hook = {
        "webhook": {
            "enabled": True,
            "url": receiver.url,
            "headers": {"jwt_key": JWT_KEY, "X-Upcall": "1"},
            "byEvents": False,
            "base64": False,
            "events": ["MESSAGES_UPSERT"],
        }
    }
    status, row = call(evo, "POST", f"/webhook/set/{INSTANCE}", hook)
    assert status == 201
    assert (row["url"], row["enabled"], row["events"], row["webhookByEvents"]) == (
        receiver.url,
        True,
        ["MESSAGES_UPSERT"],
        False,
    )
    assert row["headers"] == {"jwt_key": JWT_KEY, "X-Upcall": "1"}
    assert call(evo, "GET", f"/webhook/find/{INSTANCE}") == (200, row)

    assert evo.group_text(GROUP_JID, AGENT, "@100000000000001 oi", mentions=[BOT]) == 200
    path, headers, body = receiver.got[0]
    assert path == "/evolution/webhook"
    assert "jwt_key" not in {k.lower() for k in headers}
    assert headers["X-Upcall"] == "1"
    token = headers["Authorization"].removeprefix("Bearer ")
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(token, JWT_KEY, algorithms=["HS256"])
    assert set(claims) == {"iat", "exp", "app", "action"}
    assert claims["exp"] - claims["iat"] == 600
    assert (claims["app"], claims["action"]) == ("evolution", "webhook")
    assert abs(claims["iat"] - time.time()) < 5

    assert set(body) == {
        "event",
        "instance",
        "data",
        "destination",
        "date_time",
        "sender",
        "server_url",
        "apikey",
    }
    assert (body["event"], body["instance"], body["sender"], body["apikey"]) == (
        "messages.upsert",
        INSTANCE,
        BOT.pn_jid,
        INSTANCE_TOKEN,
    )
    data = body["data"]
    assert data["key"]["remoteJid"] == GROUP_JID
    assert data["key"]["participant"] == AGENT.lid_jid  # the group is LID-addressed
    assert data["key"]["participantAlt"] == AGENT.pn_jid
    assert data["key"]["addressingMode"] == "lid"
    assert data["message"]["conversation"] == "@100000000000001 oi"
    assert "extendedTextMessage" not in data["message"]  # flattened by Evolution
    assert data["contextInfo"]["mentionedJid"] == [BOT.lid_jid]
    assert (data["messageType"], data["status"], data["source"]) == (
        "conversation",
        "DELIVERY_ACK",
        "android",
    )

    # Not subscribed: Evolution would not post it.
    assert evo.deliver(evo.envelope("contacts.update", {})) is None
    # Disabled: events emptied, nothing posted; enabled without `events`: a 500 (sic).
    status, row = call(
        evo,
        "POST",
        f"/webhook/set/{INSTANCE}",
        {"webhook": {"enabled": False, "url": receiver.url}},
    )
    assert (status, row["events"]) == (201, [])
    assert evo.group_text(GROUP_JID, AGENT, "oi") is None
    status, body = call(
        evo, "POST", f"/webhook/set/{INSTANCE}", {"webhook": {"enabled": True, "url": receiver.url}}
    )
    assert status == 500
    assert body["response"]["message"] == "Cannot read properties of undefined (reading 'length')"
    status, body = call(evo, "POST", f"/webhook/set/{INSTANCE}", {"url": receiver.url})
    assert (status, body["response"]["message"]) == (
        400,
        [['instance requires property "webhook"']],
    )


def test_pn_addressing_quotes_and_by_events(evo: FakeEvolution, receiver: Receiver) -> None:
    evo.set_webhook(receiver.url, by_events=True)
    _, sent = call(
        evo, "POST", f"/message/sendText/{INSTANCE}", {"number": GROUP_JID, "text": "resposta"}
    )
    payload = evo.group_text_payload(
        GROUP_JID, SUPERVISOR, "obrigada", quoted_id=sent["key"]["id"], lid=False
    )
    key = payload["data"]["key"]
    assert (key["participant"], key["participantAlt"], key["addressingMode"]) == (
        SUPERVISOR.pn_jid,
        SUPERVISOR.lid_jid,
        "pn",
    )
    assert payload["data"]["contextInfo"] == {
        "stanzaId": sent["key"]["id"],
        "participant": BOT.pn_jid,
        "quotedMessage": {"conversation": "resposta"},
    }
    assert evo.deliver(payload) == 200
    assert receiver.got[0][0] == "/evolution/webhook/messages-upsert"
    dm = evo.dm_text_payload(STRANGER, "oi", lid=True)["data"]["key"]
    assert (dm["remoteJid"], dm["remoteJidAlt"]) == (STRANGER.lid_jid, STRANGER.pn_jid)
    dm = evo.dm_text_payload(STRANGER, "oi", lid=True, rewrite_lid=True)["data"]["key"]
    assert dm["remoteJid"] == STRANGER.pn_jid


def test_unsigned_forged_expired_deliveries_and_retries(evo: FakeEvolution) -> None:
    receiver = Receiver(verifying(JWT_KEY))
    try:
        evo.set_webhook(receiver.url)
        payload = evo.group_text_payload(GROUP_JID, AGENT, "oi")
        assert evo.deliver(payload) == 200
        assert evo.deliver_unsigned(payload) == 401
        assert evo.deliver_forged(payload) == 401
        assert evo.deliver_expired(payload) == 401
        assert evo.deliver(payload, token=evo.make_jwt(app="other")) == 401
        assert "Authorization" not in evo.deliveries[1].headers
    finally:
        receiver.close()

    flaky = iter([503, 500, 200])
    receiver = Receiver(lambda _h, _b: next(flaky))
    try:
        evo.set_webhook(receiver.url)
        before = len(evo.deliveries)
        assert evo.group_text(GROUP_JID, AGENT, "oi") == 503
        assert evo.deliver(receiver.got[0][2], retries=3) == 200
        tokens = {d.headers["Authorization"] for d in evo.deliveries[before + 1 :]}
        assert len(tokens) == 1  # retries reuse the token made for the event
    finally:
        receiver.close()
    assert evo.deliver(payload) == 0  # nobody listening
    assert evo.deliveries[-1].error
    with pytest.raises(ValueError):
        evo.deliver(payload, url="http://example.com/hook")


def test_send_message_event_when_subscribed(evo: FakeEvolution, receiver: Receiver) -> None:
    evo.set_webhook(receiver.url, events=["MESSAGES_UPSERT", "SEND_MESSAGE"])
    _, sent = call(
        evo, "POST", f"/message/sendText/{INSTANCE}", {"number": GROUP_JID, "text": "oi"}
    )
    deadline = time.monotonic() + 5
    while not receiver.got and time.monotonic() < deadline:
        time.sleep(0.01)
    _, _, body = receiver.got[0]
    assert body["event"] == "send.message"
    assert body["data"]["key"] == sent["key"]


# --------------------------------------------------------------------------- faults


def test_fail_next_delay_next_down_up(evo: FakeEvolution) -> None:
    path = f"/message/sendText/{INSTANCE}"
    text = {"number": GROUP_JID, "text": "oi"}
    evo.fail_next("sendText", 500, times=2)
    assert call(evo, "POST", path, text)[0] == 500
    assert call(evo, "POST", path, text)[0] == 500
    assert call(evo, "POST", path, text)[0] == 201
    assert [c.status for c in evo.calls_to("/message/sendText")] == [500, 500, 201]
    assert evo.sent_texts(GROUP_JID) == ["oi"]  # failed calls sent nothing

    evo.delay_next("sendText", 0.3)
    started = time.monotonic()
    assert call(evo, "POST", path, text)[0] == 201
    assert time.monotonic() - started >= 0.3

    evo.delay_next("sendText", 5)
    with pytest.raises(OSError):  # TimeoutError: the bot's read timeout
        call(evo, "POST", path, text, timeout=0.3)

    port = evo.port
    evo.down()
    with pytest.raises(urllib.error.URLError) as refused:
        call(evo, "POST", path, text)
    assert isinstance(refused.value.reason, ConnectionRefusedError)
    evo.up()
    assert evo.port == port
    assert call(evo, "POST", path, text)[0] == 201
    mark = evo.mark()
    assert call(evo, "GET", f"/webhook/find/{INSTANCE}")[0] == 200
    assert evo.wait_for("webhook/find", since=mark).status == 200
