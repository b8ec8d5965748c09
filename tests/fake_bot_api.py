"""A fake Telegram Bot API for tests: real HTTP/JSON on 127.0.0.1, or in-process for handler tests.

* :class:`FakeTelegram` is the API itself: it answers the methods the bot uses (getMe, getUpdates
  with offset and long-poll timeout, sendMessage, sendPhoto (a PNG upload, multipart as PTB sends
  it, recorded as an :class:`Upload`), editMessageText, editMessageMedia (a photo replaced by
  an upload, ``attach://``), answerCallbackQuery,
  answerInlineQuery, setMyCommands, getMyCommands, deleteWebhook, setWebhook, getChatMember,
  deleteMessage, ...), checks what Telegram checks (HTML entities, 4096 characters, 64-byte
  callback data, command names), and records every call (method + params + result + when).
  Faults are injected per method with :meth:`FakeTelegram.fail_next` (an error code, 429 with
  ``retry_after``, after a delay longer than the bot's read timeout) and
  :meth:`FakeTelegram.delay_next` (slow, then answered).
* :class:`FakeBotApiServer` serves it over HTTP (``ThreadingHTTPServer``): point
  ``TELEGRAM_API_URL`` at :attr:`FakeBotApiServer.base_url`.
* :class:`RecordingRequest` is PTB's ``BaseRequest`` answered by a :class:`FakeTelegram` without
  any socket, as PTB's own test suite does.
* :class:`Updates` builds update dicts the way Telegram sends them (entities in UTF-16 units).

Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 7000001,
    "is_bot": True,
    "first_name": "UPCALL",
    "username": "UpcallBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
TOKEN = "7000001:TEST_token-not-real"

GROUP = {"id": -1001000000001, "type": "supergroup", "title": "UPCALL agentes"}
OTHER_GROUP = {"id": -1009999999999, "type": "supergroup", "title": "Grupo desconhecido"}
SUPERVISOR = {"id": 101, "is_bot": False, "first_name": "Sara", "language_code": "pt-br"}
AGENT = {"id": 202, "is_bot": False, "first_name": "Ana", "language_code": "pt-br"}
MEMBER = {"id": 303, "is_bot": False, "first_name": "Caio", "language_code": "pt-br"}
STRANGER = {"id": 404, "is_bot": False, "first_name": "Estranho"}


def private_chat(user: dict[str, Any]) -> dict[str, Any]:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"]}


# --------------------------------------------------------------------------- Telegram's checks

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
PHOTO_BYTES_LIMIT = 10 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "tg-emoji",
    "blockquote",
}
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


class _EntityParser(HTMLParser):
    """Telegram's HTML parse mode, strictly enough to catch what Telegram refuses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"'
            )
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unexpected end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def plain_text(text: str, parse_mode: str | None) -> str:
    """The text as Telegram shows it, after parsing ``parse_mode`` (raises like Telegram)."""
    if parse_mode is None:
        return text
    if parse_mode != "HTML":
        raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode!r} in this fake")
    if re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text):
        raise ApiError(400, "Bad Request: can't parse entities: unsupported HTML entity")
    parser = _EntityParser()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise ApiError(400, f"Bad Request: can't parse entities: unclosed tag {parser.stack[-1]}")
    return "".join(parser.text)


def _check_message_text(text: Any, parse_mode: str | None) -> str:
    if not isinstance(text, str):
        raise ApiError(400, "Bad Request: message text is empty")
    shown = plain_text(text, parse_mode)
    if not shown.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(shown.encode("utf-16-le")) // 2 > MESSAGE_LIMIT:
        raise ApiError(400, "Bad Request: message is too long")
    return shown


@dataclass(frozen=True)
class Upload:
    """A file sent as multipart/form-data, as the bot uploaded it."""

    filename: str
    data: bytes
    mime_type: str


def _check_caption(caption: Any, parse_mode: str | None) -> None:
    if caption is None:
        return
    shown = plain_text(str(caption), parse_mode)
    if len(shown.encode("utf-16-le")) // 2 > CAPTION_LIMIT:
        raise ApiError(400, "Bad Request: message caption is too long")


def photo_size(photo: Any, file_number: int) -> dict[str, Any]:
    """The PhotoSize Telegram answers for an uploaded PNG; what it refuses, refused likewise.

    Only PNG uploads are understood (what the bot sends); a string (file_id or URL) is taken as is.
    """
    if isinstance(photo, str) and photo:
        return {"file_id": photo, "file_unique_id": f"u{file_number}", "width": 1, "height": 1}
    if not isinstance(photo, Upload) or not photo.data:
        raise ApiError(400, "Bad Request: there is no photo in the request")
    data = photo.data
    if len(data) > PHOTO_BYTES_LIMIT:
        raise ApiError(413, "Request Entity Too Large")
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
    width, height = struct.unpack(">II", data[16:24])
    ratio_ok = bool(width and height) and max(width, height) <= 20 * min(width, height)
    if not ratio_ok or width + height > 10000:
        raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    return {
        "file_id": f"photo{file_number}",
        "file_unique_id": f"u{file_number}",
        "width": width,
        "height": height,
        "file_size": len(data),
    }


def _check_markup(markup: Any) -> None:
    if markup is None:
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )


# --------------------------------------------------------------------------- the API


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    result: Any = None
    error: str | None = None
    done: bool = False
    """Answered. Calls are logged in the order they arrive; a long poll is answered later."""
    at: float = field(default_factory=time.monotonic)
    """When the call arrived (``time.monotonic``): rate limits are checked from these."""
    answered_at: float | None = None

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass(frozen=True)
class Fault:
    """How the next call to a method misbehaves: held ``delay`` seconds (longer than the bot's read
    timeout: a timeout), then answered with error ``code`` (``None``: answered normally)."""

    code: int | None
    description: str = ""
    retry_after: int | None = None
    """Sent as ``parameters.retry_after``, as Telegram does with 429 "Too Many Requests"."""
    delay: float = 0.0
    release: threading.Event | None = None
    """When given, the hold ends as soon as it is set (``delay`` is then a ceiling)."""
    garbled: bool = False
    """Answered with bytes that are not HTTP (a broken proxy, a cut connection)."""


GARBLED = b"HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n{not json"
"""A reply no HTTP client can read: its length is not a number."""
GARBLED_STATUS = -1


@dataclass
class FakeTelegram:
    """The Bot API's behaviour and memory. Thread-safe: the HTTP server answers from threads."""

    token: str = TOKEN
    bot_user: dict[str, Any] = field(default_factory=lambda: dict(BOT_USER))
    calls: list[ApiCall] = field(default_factory=list)
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    """(chat id, user id) -> getChatMember status; anyone else has left."""
    member_errors: dict[int, str] = field(default_factory=dict)
    """chat id -> a 400 description getChatMember answers for that chat (e.g. chat not found)."""
    failures: dict[str, list[Fault]] = field(default_factory=dict)
    """method -> faults to answer, one per call, before behaving again."""
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    webhook: dict[str, Any] = field(default_factory=dict)
    migrated: dict[int, int] = field(default_factory=dict)
    """group id -> the supergroup it became: sending there fails with ``migrate_to_chat_id``."""

    def __post_init__(self) -> None:
        self._cond = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(9001)
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._photo_data: dict[tuple[int, int], bytes] = {}
        """(chat id, message id) -> the bytes of the photo the bot uploaded for it."""
        self._file_numbers = itertools.count(1_000_001)
        self._stopped = False

    # ---- test side

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; it gets the next update_id."""
        with self._cond:
            update = {"update_id": next(self._update_ids), **update}
            self._remember_chats(update)
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def fail_next(
        self,
        method: str,
        code: int,
        description: str,
        retry_after: int | None = None,
        delay: float | None = None,
        until: threading.Event | None = None,
    ) -> None:
        """The next call to ``method`` fails with ``code``; after ``delay`` seconds if given, or
        as soon as the test sets ``until``.

        A delay blocks the thread that answers: use it with :class:`FakeBotApiServer` (one thread
        per connection), not with :class:`RecordingRequest` (it would block the bot's loop)."""
        fault = Fault(code, description, retry_after, delay or 0.0, until)
        with self._cond:
            self.failures.setdefault(method, []).append(fault)

    def garble_next(self, method: str) -> None:
        """The next call to ``method`` gets :data:`GARBLED` instead of an HTTP reply."""
        with self._cond:
            self.failures.setdefault(method, []).append(Fault(None, garbled=True))

    def delay_next(self, method: str, seconds: float, until: threading.Event | None = None) -> None:
        """The next call to ``method`` is held ``seconds`` (or until the test sets ``until``),
        then answered normally (Telegram slow, the message posted all the same). Same caveat as
        :meth:`fail_next`."""
        with self._cond:
            self.failures.setdefault(method, []).append(Fault(None, delay=seconds, release=until))

    def calls_to(self, method: str) -> list[ApiCall]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def calls_since(self, index: int) -> list[ApiCall]:
        with self._cond:
            return list(self.calls[index:])

    def mark(self) -> int:
        """Position in the call log, for :meth:`calls_since` / :meth:`wait_for`."""
        with self._cond:
            return len(self.calls)

    def wait_for(
        self,
        method: str,
        where: Callable[[ApiCall], bool] = lambda _c: True,
        *,
        since: int = 0,
        timeout: float = 10.0,
        answered: bool = True,
    ) -> ApiCall:
        """The first call to ``method`` after position ``since`` matching ``where``; waits.

        With ``answered=False`` a call counts as soon as it arrives (a long poll, say)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for call in self.calls[since:]:
                    if call.method == method and (call.done or not answered) and where(call):
                        return call
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls[since:]]
                    raise AssertionError(f"no {method} call within {timeout}s; saw {seen}")
                self._cond.wait(left)

    def wait_fetched(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until a getUpdates arrives with an offset past ``update_id``: the bot has it."""
        self.wait_for(
            "getUpdates",
            lambda c: int(c.get("offset") or 0) > update_id,
            timeout=timeout,
            answered=False,
        )

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """A message as Telegram keeps it now (edits applied); ``None`` if deleted or unknown."""
        with self._cond:
            return self._messages.get((chat_id, message_id))

    def photo_data(self, chat_id: int, message_id: int) -> bytes | None:
        """The bytes of the photo a message shows now, as the bot uploaded them (sendPhoto,
        editMessageMedia); ``None`` if the message is gone or its photo was not uploaded."""
        with self._cond:
            if (chat_id, message_id) not in self._messages:
                return None
            return self._photo_data.get((chat_id, message_id))

    def pending_updates(self) -> int:
        with self._cond:
            return len(self._updates)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    # ---- API side

    def handle(self, method: str, params: dict[str, Any], *, wait: bool = True) -> tuple[int, Any]:
        """Answer one call: (HTTP status, JSON body)."""
        call = ApiCall(method, params)
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()
        try:
            with self._cond:
                failures = self.failures.get(method)
                fault = failures.pop(0) if failures else None
            if fault is not None:
                # Outside the lock: other calls go on meanwhile.
                if fault.release is not None:
                    fault.release.wait(fault.delay or None)
                elif fault.delay:
                    time.sleep(fault.delay)
                if fault.garbled:
                    with self._cond:
                        call.error, call.done = "garbled", True
                        call.answered_at = time.monotonic()
                        self._cond.notify_all()
                    return GARBLED_STATUS, None
                if fault.code is not None:
                    extra = {"retry_after": fault.retry_after} if fault.retry_after else None
                    raise ApiError(fault.code, fault.description, extra)
            if method == "getUpdates":
                result = self._get_updates(params, wait)
            else:
                with self._cond:
                    answer = getattr(self, f"_api_{method}", None)
                    if answer is None:
                        raise ApiError(404, "Not Found: method not found")
                    result = answer(params)
            body: dict[str, Any] = {"ok": True, "result": result}
            status, error = 200, None
        except ApiError as exc:
            result, error = None, exc.description
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            status = exc.code
        with self._cond:
            call.result, call.error, call.done = result, error, True
            call.answered_at = time.monotonic()
            self._cond.notify_all()
        return status, body

    def _remember_chats(self, update: dict[str, Any]) -> None:
        for value in update.values():
            if isinstance(value, dict):
                chat = value.get("chat") or (value.get("message") or {}).get("chat")
                if chat:
                    self._chats[chat["id"]] = chat
                if "message_id" in value and "chat" in value:
                    self._messages[(value["chat"]["id"], value["message_id"])] = value

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        return self._chats.get(chat_id) or (
            {"id": chat_id, "type": "private", "first_name": "?"}
            if chat_id > 0
            else {"id": chat_id, "type": "supergroup", "title": "?"}
        )

    def _get_updates(self, params: dict[str, Any], wait: bool) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if offset:
                    # Telegram forgets every update before the offset: they are confirmed.
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or not wait or self._stopped:
                    return self._updates[:limit]
                left = deadline - time.monotonic()
                if left <= 0:
                    return []
                self._cond.wait(left)

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        return True

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = dict(params)
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not _COMMAND_RE.match(command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 3 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = (params.get("scope") or {"type": "default"})["type"]
        self.commands[scope] = commands
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        scope = (params.get("scope") or {"type": "default"})["type"]
        return self.commands.get(scope, [])

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_migrated(params.get("chat_id"))
        chat = self._chat(params.get("chat_id"))
        _check_message_text(params.get("text"), params.get("parse_mode"))
        _check_markup(params.get("reply_markup"))
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            "text": params["text"],
        }
        return self._post(chat, params, message)

    def _check_migrated(self, chat_id: Any) -> None:
        """Telegram's answer to a post in a group that became a supergroup."""
        try:
            new = self.migrated.get(int(chat_id))
        except (TypeError, ValueError):
            return
        if new is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": new},
            )

    def _post(
        self, chat: dict[str, Any], params: dict[str, Any], message: dict[str, Any]
    ) -> dict[str, Any]:
        """Keep a new message of the bot, with its keyboard and the message it quotes."""
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        reply = params.get("reply_parameters") or {}
        quoted = self._messages.get((chat["id"], reply.get("message_id", 0)))
        if reply and quoted is None and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        if quoted is not None:
            message["reply_to_message"] = quoted
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        _check_caption(params.get("caption"), params.get("parse_mode"))
        _check_markup(params.get("reply_markup"))
        message_id = next(self._message_ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            "photo": [photo_size(params.get("photo"), message_id)],
        }
        if params.get("caption"):
            message["caption"] = params["caption"]
        message = self._post(chat, params, message)
        if isinstance(params.get("photo"), Upload):
            self._photo_data[(chat["id"], message_id)] = params["photo"].data
        return message

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (params.get("chat_id"), params.get("message_id"))
        message = self._messages.get(key)  # type: ignore[arg-type]
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if "text" not in message:  # a photo
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        _check_message_text(params.get("text"), params.get("parse_mode"))
        _check_markup(params.get("reply_markup"))
        markup = params.get("reply_markup")
        if message["text"] == params["text"] and message.get("reply_markup") == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message = {**message, "text": params["text"], "edit_date": int(time.time())}
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        self._messages[key] = message  # type: ignore[index]
        return message

    def _api_editMessageMedia(self, params: dict[str, Any]) -> dict[str, Any]:
        """A photo replaced by another, caption included. ``media`` is the InputMediaPhoto as JSON
        (a string in a multipart form); its ``media`` is a file_id or ``attach://<name>``, the
        upload then being the form part ``<name>``. Only photos: what the bot sends."""
        key = (params.get("chat_id"), params.get("message_id"))
        message = self._messages.get(key)  # type: ignore[arg-type]
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if "photo" not in message:
            raise ApiError(400, "Bad Request: there is no media in the message to edit")
        media = params.get("media")
        if isinstance(media, str):
            with contextlib.suppress(ValueError):
                media = json.loads(media)
        if not isinstance(media, dict):
            raise ApiError(400, "Bad Request: can't parse InputMedia: can't parse JSON object")
        if media.get("type") != "photo":
            raise ApiError(400, f"Bad Request: media type {media.get('type')!r} not in this fake")
        source = media.get("media")
        if isinstance(source, str) and source.startswith("attach://"):
            source = params.get(source.removeprefix("attach://"))
        caption = media.get("caption")
        _check_caption(caption, media.get("parse_mode"))
        _check_markup(params.get("reply_markup"))
        markup = params.get("reply_markup")
        same_file = isinstance(source, str) and source == message["photo"][-1]["file_id"]
        if (
            same_file
            and message.get("caption") == caption
            and message.get("reply_markup") == markup
        ):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        size = photo_size(source, next(self._file_numbers))
        edited = {**message, "photo": [size], "edit_date": int(time.time())}
        for name, value in (("caption", caption), ("reply_markup", markup)):
            edited.pop(name, None)
            if value:
                edited[name] = value
        self._messages[key] = edited  # type: ignore[index]
        if isinstance(source, Upload):
            self._photo_data[key] = source.data  # type: ignore[index]
        else:
            self._photo_data.pop(key, None)  # type: ignore[arg-type]
        return edited

    def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        key = (params.get("chat_id"), params.get("message_id"))
        if self._messages.pop(key, None) is None:  # type: ignore[arg-type]
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if not params.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        if len(params.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _api_answerInlineQuery(self, params: dict[str, Any]) -> bool:
        results = params.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [r.get("id") for r in results]
        if len(set(ids)) != len(ids):
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        for result in results:
            content = result.get("input_message_content") or {}
            _check_message_text(content.get("message_text"), content.get("parse_mode"))
            if not result.get("title"):
                raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
        return True

    def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, user_id = params.get("chat_id"), params.get("user_id")
        if chat_id in self.member_errors:
            raise ApiError(400, self.member_errors[chat_id])  # type: ignore[index]
        status = self.members.get((chat_id, user_id), "left")  # type: ignore[arg-type]
        user = {"id": user_id, "is_bot": False, "first_name": "?"}
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "kicked":
            member["until_date"] = 0
        elif status == "administrator":
            member.update(
                dict.fromkeys(
                    [
                        "can_be_edited",
                        "is_anonymous",
                        "can_manage_chat",
                        "can_delete_messages",
                        "can_manage_video_chats",
                        "can_restrict_members",
                        "can_promote_members",
                        "can_change_info",
                        "can_invite_users",
                        "can_post_stories",
                        "can_edit_stories",
                        "can_delete_stories",
                    ],
                    False,
                )
            )
        return member

    def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    def _api_logOut(self, params: dict[str, Any]) -> bool:
        return True


# --------------------------------------------------------------------------- transports

_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "query",
        "callback_query_id",
        "inline_query_id",
        "parse_mode",
        "url",
        "secret_token",
        "next_offset",
        "language_code",
        "inline_message_id",
        "start_parameter",
    }
)


def decode_params(raw: dict[str, str]) -> dict[str, Any]:
    """Form fields as PTB sends them: strings as is, everything else JSON-encoded."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _STRING_PARAMS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except (TypeError, ValueError):
            params[key] = value
    return params


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    """Headers and body go out in two writes: with Nagle on, the body waits for the client's
    delayed ACK (~40 ms a call on Linux), which Telegram's servers do not cost."""

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _answer(self) -> None:
        api = self.server.api
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        target = self.path
        if target.startswith("http://"):  # asked as a proxy: "POST http://host/bot.../method"
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            with self.server.lock:
                self.server.proxied.append(parts.netloc)
        path, _, query = target.partition("?")
        match = re.fullmatch(r"/bot([^/]+)/(\w+)/?", path)
        if match is None:
            self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, method = match.groups()
        if token != api.token:
            self._send(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        raw: dict[str, str] = dict(parse_qsl(query))
        kind = self.headers.get("Content-Type", "")
        if "json" in kind and body:
            params = {**decode_params(raw), **json.loads(body)}
        elif kind.startswith("multipart/form-data"):
            fields, files = parse_multipart(kind, body)
            params = {**decode_params({**raw, **fields}), **files}
        else:
            raw.update(parse_qsl(body.decode()))
            params = decode_params(raw)
        status, payload = api.handle(method, params)
        if status == GARBLED_STATUS:
            self.wfile.write(GARBLED)
            self.close_connection = True
            return
        self._send(status, payload)

    do_GET = do_POST = _answer

    def _send(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            # The bot gave up on this long poll (it is stopping): nobody is listening.
            self.close_connection = True


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, Upload]]:
    """A multipart/form-data body: (plain fields, uploaded files)."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    form = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    for part in form.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        data = part.get_payload(decode=True)
        assert isinstance(data, bytes)
        filename = part.get_filename()
        if filename is None:
            fields[name] = data.decode()
        else:
            files[name] = Upload(filename, data, part.get_content_type())
    return fields, files


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024
    """Connections waiting to be accepted. socketserver's 5 resets a bot that opens its whole
    pool (256 connections) at once in a flood; Telegram's servers take them."""
    api: FakeTelegram
    lock: threading.Lock
    proxied: list[str]
    """Hosts of the calls that came as to a proxy (absolute URI), in order."""


class FakeBotApiServer:
    """:class:`FakeTelegram` over HTTP on 127.0.0.1 (a free port), served from a thread."""

    def __init__(self, api: FakeTelegram | None = None) -> None:
        self.api = api or FakeTelegram()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.api = self.api
        self._server.lock = threading.Lock()
        self._server.proxied = []
        # socketserver looks for a shutdown request every poll_interval (0.5 s by default):
        # each server stopped would cost half a second of waiting.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """The ``TELEGRAM_API_URL``: the token is appended as Telegram does."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/bot"

    @property
    def proxied(self) -> list[str]:
        """The hosts of the calls this server took as an HTTP proxy (``HTTP_PROXY`` set to it)."""
        with self._server.lock:
            return list(self._server.proxied)

    def start(self) -> FakeBotApiServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.api.stop()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeBotApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class RecordingRequest(BaseRequest):
    """PTB's request object answered in process by a :class:`FakeTelegram`; no network at all."""

    def __init__(self, api: FakeTelegram) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        if f"/bot{self.api.token}/" not in url:
            return 401, b'{"ok": false, "error_code": 401, "description": "Unauthorized"}'
        raw = request_data.json_parameters if request_data else {}
        params = decode_params(raw)
        if request_data is not None and request_data.contains_files:
            for name, (filename, content, mime_type) in request_data.multipart_data.items():
                data = content if isinstance(content, bytes) else content.read()
                params[name] = Upload(filename or name, data, mime_type)
        status, payload = self.api.handle(api_method, params, wait=False)
        return status, json.dumps(payload).encode()


# --------------------------------------------------------------------------- updates


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities_for(text: str) -> list[dict[str, Any]]:
    """The entities Telegram attaches: a leading bot command, and @mentions."""
    entities = []
    command = re.match(r"/\w+(@\w+)?", text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": _utf16_len(command[0])})
    for mention in re.finditer(r"(?<![\w/])@\w{5,}", text):
        entities.append(
            {
                "type": "mention",
                "offset": _utf16_len(text[: mention.start()]),
                "length": _utf16_len(mention[0]),
            }
        )
    return entities


class Updates:
    """Update dicts as Telegram sends them (without update_id: :meth:`FakeTelegram.push` adds it)."""

    def __init__(self) -> None:
        self._message_ids = itertools.count(100)
        self._query_ids = itertools.count(1)

    def message(
        self,
        chat: dict[str, Any],
        user: dict[str, Any],
        text: str,
        *,
        reply_to: dict[str, Any] | None = None,
        via_bot: dict[str, Any] | None = None,
        edited: bool = False,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
        }
        entities = entities_for(text)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if via_bot is not None:
            message["via_bot"] = via_bot
        if edited:
            message["edit_date"] = int(time.time())
            return {"edited_message": message}
        return {"message": message}

    def channel_post(self, chat: dict[str, Any], text: str) -> dict[str, Any]:
        """A post in a channel (no sender user: the channel itself signs it)."""
        return {
            "channel_post": {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": chat,
                "sender_chat": chat,
                "text": text,
            }
        }

    def callback(self, user: dict[str, Any], message: dict[str, Any], data: str) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": f"cbq{next(self._query_ids)}",
                "from": user,
                "message": message,
                "chat_instance": f"ci{message['chat']['id']}",
                "data": data,
            }
        }

    def inline_query(
        self, user: dict[str, Any], query: str, chat_type: str = "sender"
    ) -> dict[str, Any]:
        return {
            "inline_query": {
                "id": f"iq{next(self._query_ids)}",
                "from": user,
                "query": query,
                "offset": "",
                "chat_type": chat_type,
            }
        }

    def bot_added(self, chat: dict[str, Any], by: dict[str, Any]) -> dict[str, Any]:
        return {
            "my_chat_member": {
                "chat": chat,
                "from": by,
                "date": int(time.time()),
                "old_chat_member": {"status": "left", "user": BOT_USER},
                "new_chat_member": {"status": "member", "user": BOT_USER},
            }
        }


def button_data(message: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(label, callback data) of every button of a sent message."""
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            yield button["text"], button.get("callback_data", "")


@contextlib.contextmanager
def serving(api: FakeTelegram | None = None) -> Iterator[FakeBotApiServer]:
    server = FakeBotApiServer(api).start()
    try:
        yield server
    finally:
        server.stop()
