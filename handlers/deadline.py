"""The stop deadline of a door's network client: once the bot is stopping, every call under
way or made from then on ends by one point on the loop's clock (``runner.STOP_DEADLINE`` after
SIGTERM), so an unreachable Bot API or Evolution gateway cannot hold the stop for each call's own
timeout and retries. Shared by the Telegram transport and the Evolution client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class StopDeadline:
    def __init__(self) -> None:
        self.at: float | None = None
        """Loop time after which no call may last; None: not stopping."""
        self._calls: set[asyncio.Timeout] = set()
        """The timers of the calls under way, moved to the deadline when one is set."""

    @property
    def stopping(self) -> bool:
        return self.at is not None

    def set(self, seconds: float) -> None:
        """Every call under way or made from now ends within ``seconds`` (never later than a
        deadline set before)."""
        deadline = asyncio.get_running_loop().time() + seconds
        if self.at is not None:
            deadline = min(deadline, self.at)
        self.at = deadline
        for timer in self._calls:
            when = timer.when()
            if when is None or when > deadline:
                timer.reschedule(deadline)

    def passed(self) -> bool:
        """No time is left: a call must not be made."""
        return self.at is not None and asyncio.get_running_loop().time() >= self.at

    @asynccontextmanager
    async def call(self) -> AsyncIterator[asyncio.Timeout]:
        """Around one call: its timer (``expired()`` once the deadline cut it; the cut comes out
        as :class:`TimeoutError`), moved to the deadline if one is set while it runs."""
        async with asyncio.timeout_at(self.at) as timer:  # a point on the loop clock, or None
            self._calls.add(timer)
            try:
                yield timer
            finally:
                self._calls.discard(timer)
