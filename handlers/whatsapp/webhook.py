"""Where WhatsApp messages enter: the ``aiohttp.web`` server Evolution posts its webhooks to.

``upcall-bot whatsapp connect`` registers ``WHATSAPP_WEBHOOK_URL`` with
``headers: {"jwt_key": WHATSAPP_WEBHOOK_SECRET}``; Evolution then signs every POST with
``Authorization: Bearer <JWT>`` (HS256, ``exp`` ten minutes after ``iat``). A request without a
valid, unexpired token signed with that secret gets 401 and has no effect.

A signed delivery is answered 200 at once and handled in a task: Evolution waits for no answer
and retries a slow or failed delivery, so the same message (``data.key.id``) may arrive twice; it
is answered once (the last :data:`SEEN_MEMORY` ids are remembered).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

import jwt
from aiohttp import web

from handlers.whatsapp.inbound import Incoming, read_upsert

log = logging.getLogger(__name__)

SEEN_MEMORY = 10_000
TOKEN_MEMORY = 64
"""Accepted tokens remembered (one per second of deliveries)."""
LEEWAY = 30
"""Seconds of clock difference tolerated between Evolution's machine and the bot's."""
MAX_BODY = 4 * 1024 * 1024
"""A text message's webhook is a few kilobytes; media arrive as URLs unless base64 is on."""
BY_EVENT_SUFFIX = "/messages-upsert"
"""Evolution's path suffix when a webhook is set ``byEvents``."""

Handler = Callable[[Incoming], Coroutine[Any, Any, None]]


def signed(header: str | None, secret: str) -> bool:
    """``Authorization: Bearer <JWT>`` as Evolution makes it: signed with ``secret`` (HS256),
    ``exp`` not passed, ``app: evolution``, ``action: webhook``. Anything else: ``False``."""
    return expiry(header, secret) is not None


def expiry(header: str | None, secret: str) -> float | None:
    """The ``exp`` of a token :func:`signed` accepts, else ``None``."""
    if not secret or not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        claims = jwt.decode(
            token.strip(),
            secret,
            algorithms=["HS256"],
            options={"require": ["exp", "iat"]},
            leeway=LEEWAY,
        )
    except jwt.PyJWTError:
        return None
    if claims.get("app") != "evolution" or claims.get("action") != "webhook":
        return None
    exp = claims.get("exp")
    return float(exp) if isinstance(exp, int | float) else None


class Signatures:
    """:func:`signed`, remembering the last tokens it accepted until they expire: Evolution
    signs ``{iat, exp}`` in whole seconds, so every event of one second carries the same token,
    and a burst is checked once."""

    def __init__(
        self, secret: str, size: int = TOKEN_MEMORY, clock: Callable[[], float] = time.time
    ) -> None:
        self._secret = secret
        self._clock = clock
        self._size = size
        self._accepted: OrderedDict[str, float] = OrderedDict()

    def valid(self, header: str | None) -> bool:
        now = self._clock()
        if header is not None:
            exp = self._accepted.get(header)
            if exp is not None:
                if now <= exp + LEEWAY:
                    return True
                del self._accepted[header]
        exp = expiry(header, self._secret)
        if exp is None or header is None:
            return False
        self._accepted[header] = exp
        if len(self._accepted) > self._size:
            self._accepted.popitem(last=False)
        return True


class Seen:
    """The last ``size`` message ids, to answer a re-delivered message once."""

    def __init__(self, size: int = SEEN_MEMORY) -> None:
        self._size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def first_time(self, key: str) -> bool:
        if key in self._ids:
            return False
        self._ids[key] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._ids)


class WebhookServer:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        path: str,
        secret: str,
        instance: str,
        handler: Handler,
    ) -> None:
        self.host, self.port = host, port
        self.path = "/" + path.strip("/")
        self._signatures = Signatures(secret)
        self._instance = instance
        self._handler = handler
        self._seen = Seen()
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None

    def application(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self.path, self._on_post)
        app.router.add_post(self.path.rstrip("/") + BY_EVENT_SUFFIX, self._on_post)
        return app

    async def start(self) -> None:
        """Listen; ``SystemExit`` with one pt-BR line when the port cannot be taken."""
        runner = web.AppRunner(self.application(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise SystemExit(
                f"WhatsApp: não foi possível escutar em {self.host}:{self.port} "
                f"(WHATSAPP_WEBHOOK_HOST/PORT): {exc.strerror or exc}."
            ) from exc
        self._runner = runner
        if self.port == 0:  # tests: the port the system chose
            self.port = runner.addresses[0][1]
        log.info("WhatsApp webhook listening on %s:%d%s", self.host, self.port, self.path)

    async def stop(self, timeout: float = 5.0) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks), timeout=timeout)
            for task in pending:
                task.cancel()

    async def _on_post(self, request: web.Request) -> web.Response:
        if not self._signatures.valid(request.headers.get("Authorization")):
            log.warning("WhatsApp webhook refused: missing or invalid signature")
            return web.json_response({"error": "unauthorized"}, status=401)
        try:
            payload = json.loads(await request.read())
        except ValueError:
            return web.json_response({"error": "invalid JSON"}, status=400)
        if isinstance(payload, dict) and payload.get("instance") not in (None, self._instance):
            log.info("webhook of another instance ignored")
            return web.json_response({"ok": True})
        message = read_upsert(payload)
        if message is not None and self._seen.first_time(f"{message.chat}/{message.id}"):
            task = asyncio.create_task(self._handler(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return web.json_response({"ok": True})
