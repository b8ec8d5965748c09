"""How the bot's calls reach the Bot API: the rate limiter and the HTTP request object.

* :class:`ChatRateLimiter` is PTB's limiter, kept to Telegram's per-group limit on what the bot
  posts, not on what it reads (the membership check of an allowed group must not spend that
  group's budget).
* :class:`AiohttpRequest` is PTB's request interface (``BaseRequest``) over aiohttp's client.
  PTB's default, ``HTTPXRequest``, spent most of the bot's time in httpcore's connection pool
  (``bench/throughput.py``: about 55 % of the CPU per update, the pool checking every idle
  connection with a syscall on each call); aiohttp's pool keeps idle connections in a queue.
"""

from __future__ import annotations

import json
import re
import ssl
import urllib.request
from collections.abc import Callable, Coroutine
from functools import cache
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import certifi
from telegram.error import NetworkError, TimedOut
from telegram.ext import AIORateLimiter
from telegram.request import BaseRequest, RequestData

from bot.app import metrics
from bot.app.health import HEALTH
from handlers.deadline import StopDeadline

BOT_API_CONNECTIONS = 8
"""Connections for the bot's calls (``getUpdates`` has its own). Telegram accepts 30 messages a
second and answers a call in ~0.1-0.25 s from here: 8 calls in flight carry that. A call beyond
waits its turn in the pool's queue (first come, first served) and never fails for waiting."""


@cache  # one context for both request objects: loading the authorities takes ~80 ms
def tls_context() -> ssl.SSLContext:
    """Certificate checks against the system's authorities and certifi's bundle: a slim container
    without CA certificates still reaches Telegram (as PTB's HTTPX, which uses certifi, did), and a
    company's own authority installed in the system (a TLS-inspecting proxy) is trusted too."""
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=certifi.where())
    return context


JSON_HEADERS = {"Content-Type": "application/json"}

DEFAULT_NONE = BaseRequest.DEFAULT_NONE
"""PTB's public marker for "this timeout was not passed" (its type lives in a private module:
the timeouts below are typed ``object``, which any override of ``do_request`` may accept)."""


def timeout_or(value: object, default: float | None) -> float | None:
    """The timeout PTB passed (seconds, or None: no limit), else ``default`` (not passed)."""
    if value is None or isinstance(value, int | float):
        return None if value is None else float(value)
    return default


class NotDelivered(NetworkError):
    """The Bot API certainly did not carry the call out: no connection could be made, or it
    answered 5xx. Sending again cannot make a second copy (see ``handlers.telegram.send``). A
    timeout or a garbled reply is not this: the call may have been carried out."""


class Stopping(NetworkError):
    """The bot is stopping and its time for Bot API calls is up (:meth:`AiohttpRequest.stop_by`):
    the call was not made, or a connection could not be made. Never sent again: a stopping bot
    does not wait for the network to come back."""

    def __init__(self, why: str = "") -> None:
        super().__init__(f"the bot is stopping{': ' + why if why else ''}")


JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


class ChatRateLimiter(AIORateLimiter):
    """PTB's limiter, kept to what Telegram limits: what the bot posts in chats.

    ``AIORateLimiter`` counts every call that names a group, reads included. The membership
    check (``getChatMember`` on an allowed group) would then spend that group's 20-a-minute
    budget: a burst of agents writing in private would hold the group's answers for minutes.
    Reads (``get...``) skip the per-chat limits; a 429 on them is still waited out and retried.
    """

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        if endpoint.startswith("get"):
            # ``data`` only steers the limits here; the call itself is ``callback(*args)``.
            data = {key: value for key, value in data.items() if key != "chat_id"}
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


DOOR = "telegram"
DOOR_FAILURES = frozenset({401, 403, 404, 409}) | frozenset(range(500, 600))
"""Answers that mean the door does not work: token rejected (401/404), another process polling
with the same token (409), server errors. A 400 (message gone, text refused) or a 429 (flood
control) is Telegram answering: the door works."""


def _note_status(status: int) -> None:
    """Tell /healthz and the metrics how Telegram answered (hooks of :mod:`bot.app.health`)."""
    if status in DOOR_FAILURES:
        HEALTH.api_failed(DOOR, f"http:{status}")
        return
    HEALTH.api_ok(DOOR)
    if status >= 400:
        metrics.api_error(DOOR, f"http:{status}")


class AiohttpRequest(BaseRequest):
    """PTB's ``BaseRequest`` over an ``aiohttp.ClientSession``, with ``HTTPXRequest``'s defaults
    and errors: a timeout raises ``TimedOut``, any other client failure ``NetworkError`` (PTB
    retries or reports them as it does for HTTPX).

    Timeouts map onto aiohttp's: ``connect_timeout`` bounds opening a connection, and
    ``read_timeout`` bounds each wait for the server, from the moment the request is sent (so it
    covers writing a small request too; an upload gets ``media_write_timeout`` on top). A call
    that finds every connection busy waits in the pool's queue with no pool timeout: in a burst
    it is sent in its turn instead of failing.

    Parameters go as one JSON body (``multipart/form-data`` when a file is uploaded). Proxy
    variables (``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``) are honoured as HTTPX honours them,
    read once per host: aiohttp's own ``trust_env`` looks them up (and ``~/.netrc``) in a
    thread on every call, which cost more than the rest of the call.
    """

    def __init__(
        self,
        connection_pool_size: int = BOT_API_CONNECTIONS,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}
        self._stop = StopDeadline()

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # Made here, in the running loop, as aiohttp requires.
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._size, limit_per_host=self._size, ssl=tls_context()
                ),
                headers={"User-Agent": self.USER_AGENT},
                timeout=aiohttp.ClientTimeout(total=None),
            )

    def proxy_for(self, url: str) -> str | None:
        """The proxy the environment names for ``url`` (None: go direct), as HTTPX reads it."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            proxy = urllib.request.getproxies().get(parts.scheme)
            if proxy is not None and urllib.request.proxy_bypass(parts.netloc):
                proxy = None
            self._proxies[key] = proxy
        return self._proxies[key]

    def stop_by(self, seconds: float) -> None:
        """The bot is stopping: every call under way or made from now ends within ``seconds``
        (``TimedOut`` when cut: the call may have been carried out), and a call that cannot
        connect, or comes after the deadline, raises :class:`Stopping` (never sent again). With
        the Bot API unreachable, stopping would otherwise wait for each call's own timeouts
        (an answer waits 20 s, a notice 60 s) and the retries after them."""
        self._stop.set(seconds)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = DEFAULT_NONE,
        write_timeout: object = DEFAULT_NONE,
        connect_timeout: object = DEFAULT_NONE,
        pool_timeout: object = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        uploads = request_data.multipart_data if request_data is not None else None
        read = timeout_or(read_timeout, self._read_timeout)
        connect = timeout_or(connect_timeout, self._connect_timeout)
        write = timeout_or(
            write_timeout, self._media_write_timeout if uploads else self._write_timeout
        )
        if uploads and read is not None and write is not None:
            read += write  # the read timer runs while the upload is written

        body: aiohttp.FormData | bytes | None = None
        headers: dict[str, str] | None = None
        if uploads and request_data is not None:
            body = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():  # form fields, as PTB's
                body.add_field(name, value)
            for name, (filename, content, mime_type) in uploads.items():
                body.add_field(name, content, filename=filename, content_type=mime_type)
        elif request_data is not None and request_data.parameters:
            # Values as JSON itself (numbers, objects), not PTB's form fields (each a JSON string).
            body, headers = json.dumps(request_data.parameters).encode(), JSON_HEADERS
        timeout = aiohttp.ClientTimeout(
            total=None, connect=None, sock_connect=connect, sock_read=read
        )
        # aiohttp's error texts name the URL, which holds the token (…/bot<TOKEN>/method): the
        # error raised says what failed without it, and is raised outside the ``except`` so that
        # aiohttp's does not ride along as its context (a traceback would print it).
        failure: NetworkError | None = None
        kind = ""  # what failed, for /healthz and the metrics
        if self._stop.passed():
            raise Stopping("no time left for the Bot API")
        try:
            async with (
                self._stop.call(),
                session.request(
                    method,
                    url,
                    data=body,
                    headers=headers,
                    timeout=timeout,
                    proxy=self.proxy_for(url),
                ) as response,
            ):
                status, payload = response.status, await response.read()
        except TimeoutError:  # aiohttp's timeouts are asyncio's (TimeoutError)
            failure, kind = TimedOut(), "timeout"
        except aiohttp.ClientConnectorError as err:  # never connected: nothing was sent
            why = f"aiohttp.{err.__class__.__name__}: {_without_url(err, url)}"
            failure = Stopping(why) if self._stop.stopping else NotDelivered(why)
            kind = f"network:{err.__class__.__name__}"
        except aiohttp.ClientError as err:
            failure = NetworkError(f"aiohttp.{err.__class__.__name__}: {_without_url(err, url)}")
            kind = f"network:{err.__class__.__name__}"
        if failure is not None:
            HEALTH.api_failed(DOOR, kind)
            raise failure
        _note_status(status)
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            why = f"{_description(payload, status)} ({status})"
            raise Stopping(why) if self._stop.stopping else NotDelivered(why)
        if status >= HTTPStatus.MULTIPLE_CHOICES and not _is_json_object(payload):
            # PTB would quote a body that is not the Bot API's JSON in its error (a proxy's page
            # may echo the URL, token included): the HTTP phrase stands in for it.
            payload = json.dumps({"ok": False, "description": _description(b"", status)}).encode()
        return status, payload


_BOT_PATH = re.compile(r"/bot[^/\s'\"]*")


def _without_url(err: aiohttp.ClientError, url: str) -> str:
    """The error's text with the request's URL (and any Bot API path) left out."""
    text = str(err).replace(url, "<Bot API>")
    return _BOT_PATH.sub("/bot<token>", text)


def _is_json_object(payload: bytes) -> bool:
    try:
        return isinstance(json.loads(payload.decode("utf-8", "replace")), dict)
    except ValueError:
        return False


def _description(payload: bytes, status: int) -> str:
    """What a 5xx answer says: the Bot API's ``description``, else the HTTP phrase (never the
    body itself: a proxy's error page may echo the request)."""
    try:
        description = json.loads(payload.decode("utf-8", "replace")).get("description")
    except (ValueError, AttributeError):
        description = None
    if isinstance(description, str) and description:
        return description
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Server error"
