"""The one scheduler, as the core sees it: named timers that run a coroutine.

``handlers.scheduler.JobQueueScheduler`` is the implementation (APScheduler through PTB's
JobQueue, the project's fixed choice), whether Telegram is configured or not. Names matter: a job
replaces a pending one of the same name, jobs are dropped by name prefix, tests find them by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

Action = Callable[[], Awaitable[None]]


class Scheduler(Protocol):
    def once(self, name: str, delay: dt.timedelta, action: Action, *, data: Any = None) -> None:
        """Run ``action`` once, ``delay`` from now (however late the loop wakes up); a pending
        job of the same name is replaced."""
        ...

    def every(self, name: str, interval: dt.timedelta, action: Action) -> None:
        """Run ``action`` every ``interval``, the first time one interval from now."""
        ...

    def weekly(self, name: str, weekday: int, at: dt.time, action: Action) -> None:
        """Run ``action`` every week on ``weekday`` (0 = Sunday ... 6 = Saturday) at ``at``
        (an aware time)."""
        ...

    def drop(self, prefix: str) -> None:
        """Remove every job whose name starts with ``prefix``."""
        ...

    def names(self, prefix: str = "") -> list[str]:
        """The names of the pending jobs starting with ``prefix``."""
        ...
