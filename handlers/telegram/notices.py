"""Shift-change notices, seen from the Telegram application: the jobs live on its JobQueue, the
work is :mod:`bot.posting.notices`' (every door, per-door state, retries with backoff). What is
left here is the application's view of it, for ``post_init`` and tests.

"Now" comes from a clock in ``bot_data[CLOCK_KEY]`` when the application builds its own
:class:`~bot.posting.service.Posting` (tests and the benchmark set their own); timers are set as
delays from that clock, so a shifted clock shifts them too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from bot.posting.notices import AT_PREFIX, JOB_PREFIX, PLAN_JOB, REPLAN_JOB, RETRY_JOB
from bot.posting.notices import NoticeService as NoticeState
from handlers.telegram.state import BotApplication, posting_in

__all__ = [
    "AT_PREFIX",
    "CLOCK_KEY",
    "JOB_PREFIX",
    "PLAN_JOB",
    "REPLAN_JOB",
    "RETRY_JOB",
    "NoticeState",
    "clock_in",
    "post_due",
    "reschedule",
    "schedule_upcoming",
    "start",
    "state_in",
]

Clock = Callable[[], dt.datetime]
CLOCK_KEY = "notices_clock"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def clock_in(bot_data: Mapping[Any, Any]) -> Clock:
    clock = bot_data.get(CLOCK_KEY)
    return clock if callable(clock) else utc_now


def state_in(bot_data: dict[Any, Any]) -> NoticeState | None:
    """The notice service once it has loaded its state; ``None`` while off or not started."""
    service = posting_in(bot_data).notices
    return service if service.ledger is not None else None


async def start(application: BotApplication) -> None:
    await posting_in(application.bot_data).notices.start()


async def reschedule(application: BotApplication) -> None:
    await posting_in(application.bot_data).notices.reschedule()


def schedule_upcoming(application: BotApplication) -> list[dt.datetime]:
    return posting_in(application.bot_data).notices.schedule_upcoming()


async def post_due(application: BotApplication) -> int:
    return await posting_in(application.bot_data).post_due_notices()
