"""The real Application polling the fake Bot API over real HTTP on 127.0.0.1, in this process.

:func:`polling` does what ``Application.run_polling`` does (initialize, ``post_init``: menus, KB
watcher, notices; long polling; start; and back, ``post_stop`` included), in steps a test can wait
on, with the bot's own request objects (:class:`handlers.telegram.transport.AiohttpRequest`) whose read
timeout the test chooses. Used by the fault and flood tests. Nothing here reaches beyond
127.0.0.1: the fake server binds there (the test session clears proxy variables, see conftest).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import BaseRateLimiter

from bot.app.settings import Settings
from bot.knowledge.kb import KBHolder
from fake_bot_api import ApiCall, FakeBotApiServer, FakeTelegram
from handlers.telegram.app import build_application
from handlers.telegram.state import BotApplication
from handlers.telegram.transport import AiohttpRequest

POLL_TIMEOUT = 1
"""Long-poll seconds: short, so that stopping the updater never waits long."""


def http_requests(read_timeout: float = 5.0) -> tuple[AiohttpRequest, AiohttpRequest]:
    """(request, get_updates_request) as ``build_application`` makes them, with our read
    timeout."""
    return (
        AiohttpRequest(read_timeout=read_timeout),
        AiohttpRequest(1, read_timeout=read_timeout),
    )


def build_live(
    server: FakeBotApiServer,
    settings: Settings,
    holder: KBHolder,
    *,
    read_timeout: float = 5.0,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> BotApplication:
    """``build_application`` pointed at ``server`` over HTTP."""
    request, get_updates = http_requests(read_timeout)
    settings = settings.model_copy(update={"telegram_api_url": server.base_url})
    return build_application(
        settings,
        holder,
        request=request,
        get_updates_request=get_updates,
        rate_limiter=rate_limiter,
    )


@asynccontextmanager
async def polling(
    app: BotApplication,
    *,
    error_callback: Callable[[Exception], None] | None = None,
    poll_timeout: int = POLL_TIMEOUT,
) -> AsyncIterator[BotApplication]:
    """The app running as ``upcall-bot run`` runs it (long polling), until the block ends."""
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(
            timeout=poll_timeout,
            allowed_updates=Update.ALL_TYPES,
            error_callback=error_callback,
        )
        await app.start()
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
    finally:
        await app.shutdown()


async def wait_until(
    condition: Callable[[], bool], timeout: float, what: str = "condition"
) -> None:
    """Poll ``condition`` from the event loop (the bot keeps running) until true or timeout."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        await asyncio.sleep(0.01)


async def wait_call(
    api: FakeTelegram,
    method: str,
    where: Callable[[ApiCall], bool] = lambda _c: True,
    *,
    since: int = 0,
    timeout: float = 10.0,
) -> ApiCall:
    """``FakeTelegram.wait_for`` without blocking the bot's event loop."""

    def found() -> ApiCall | None:
        for call in api.calls_since(since):
            if call.method == method and call.done and where(call):
                return call
        return None

    await wait_until(lambda: found() is not None, timeout, f"a {method} call")
    call = found()
    assert call is not None
    return call
