"""How the bot's calls reach the Bot API: the rate limiter and the HTTP request object.

Both are PTB's own, adjusted where a flood showed them wanting (``tests/test_flood.py``,
``bench/throughput.py``):

* :class:`ChatRateLimiter` keeps Telegram's per-group limit on what the bot posts, not on what it
  reads (the membership check of an allowed group must not spend that group's budget).
* :class:`BoundedRequest` keeps a burst of calls out of httpcore's connection pool queue, whose
  bookkeeping grows with (connections x waiting calls) on every call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest, RequestData

BOT_API_CONNECTIONS = 8
"""Connections for the bot's calls (``getUpdates`` has its own). Telegram accepts 30 messages a
second and answers a call in ~0.1-0.25 s from here: 8 calls in flight carry that. A call beyond
waits its turn (never fails, see :class:`BoundedRequest`). More connections only cost: httpcore
checks every idle one on every call (bench/throughput.py: ~5 ms of CPU per update with 16,
~3.8 ms with 8)."""

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


class BoundedRequest(HTTPXRequest):
    """PTB's HTTPX request, letting at most ``connection_pool_size`` calls into httpx at once.

    The bot answers up to 256 updates concurrently. When more calls wait for a connection than
    the pool has, httpcore 1.0 re-matches every waiting call against every connection each time
    one frees (``_assign_requests_to_connections``): in a flood the bot spent most of its time
    there (``bench/throughput.py``: 150 -> 240 updates/s). Calls wait here instead, in an
    asyncio semaphore (first come, first served), so httpcore's queue stays empty, and httpx's
    pool timeout (1 s) cannot fail a call that merely waited its turn in a burst. Each call is
    still bounded by its read and write timeouts.
    """

    def __init__(self, connection_pool_size: int = BOT_API_CONNECTIONS, **options: Any) -> None:
        """``options``: the other arguments of ``HTTPXRequest`` (tests shorten read_timeout)."""
        super().__init__(connection_pool_size=connection_pool_size, **options)
        self._size = connection_pool_size
        self._slots: asyncio.Semaphore | None = None

    async def initialize(self) -> None:
        self._slots = asyncio.Semaphore(self._size)  # bound to the running loop
        await super().initialize()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._size)
        async with self._slots:
            return await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
