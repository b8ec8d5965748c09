"""The one scheduler: APScheduler through PTB's JobQueue, with or without Telegram.

With Telegram configured it is the Telegram application's JobQueue (started and stopped with that
application). Without it (WhatsApp only), :func:`standalone_application` builds a PTB
``Application`` that never talks to Telegram (no updater, never initialised: no ``getMe``) only to
drive a JobQueue, which :class:`JobQueueScheduler` starts and stops itself.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any, cast
from zoneinfo import ZoneInfo

from telegram.ext import Application, Defaults
from telegram.request import BaseRequest, RequestData

from bot.posting.schedule import Action
from handlers.telegram.state import BotApplication, Context

log = logging.getLogger(__name__)

_JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True}
"""Run a timer however late the event loop wakes up: lateness is judged by the caller (notices:
the grace)."""
STANDALONE_TOKEN = "0:no-telegram"
"""The placeholder token of the scheduler-only application; never sent anywhere."""


class NoRequest(BaseRequest):
    """The standalone application's transport: it never calls the Bot API. (Without one, PTB
    builds its default ``HTTPXRequest`` twice, two HTTPX clients with their TLS contexts, about
    0.1 s of CPU at every start, for nothing.)"""

    @property
    def read_timeout(self) -> float | None:
        return None

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
        raise RuntimeError("the scheduler-only application never calls the Bot API")


def standalone_application(timezone: str) -> BotApplication:
    """A PTB application whose only use is its JobQueue (WhatsApp-only runs)."""
    application = (
        Application.builder()
        .token(STANDALONE_TOKEN)
        .updater(None)
        .request(NoRequest())
        .get_updates_request(NoRequest())
        .defaults(Defaults(tzinfo=ZoneInfo(timezone)))
        .build()
    )
    return cast(BotApplication, application)


def _callback(action: Action) -> Any:
    async def callback(_context: Context) -> None:
        try:
            await action()
        except Exception:
            # Never into PTB's error handlers: they answer chats, and a timer has none.
            log.exception("scheduled job failed")

    return callback


class JobQueueScheduler:
    """:class:`bot.posting.schedule.Scheduler` on the JobQueue of ``application``."""

    def __init__(self, application: BotApplication) -> None:
        if application.job_queue is None:
            raise RuntimeError("no JobQueue: install python-telegram-bot[job-queue]")
        self.application = application
        self.job_queue = application.job_queue

    def once(self, name: str, delay: dt.timedelta, action: Action, *, data: Any = None) -> None:
        """Replaces a pending job of the same name (a retry, a timer set again)."""
        self._replace(name)
        self.job_queue.run_once(
            _callback(action), when=delay, data=data, name=name, job_kwargs=_JOB_KWARGS
        )

    def every(self, name: str, interval: dt.timedelta, action: Action) -> None:
        # ``first`` explicit: added before the scheduler starts, APScheduler would put the first
        # run one interval later anyway; this says so.
        self._replace(name)
        self.job_queue.run_repeating(
            _callback(action), interval=interval, first=interval, name=name, job_kwargs=_JOB_KWARGS
        )

    def weekly(self, name: str, weekday: int, at: dt.time, action: Action) -> None:
        self._replace(name)
        self.job_queue.run_daily(_callback(action), time=at, days=(weekday,), name=name)

    def _replace(self, name: str) -> None:
        for job in self.job_queue.get_jobs_by_name(name):
            job.schedule_removal()

    def drop(self, prefix: str) -> None:
        for job in self.job_queue.jobs(f"^{re.escape(prefix)}"):
            job.schedule_removal()

    def names(self, prefix: str = "") -> list[str]:
        return [job.name or "" for job in self.job_queue.jobs(f"^{re.escape(prefix)}")]

    async def start(self) -> None:
        """Start the JobQueue (only for a standalone application; PTB starts the Telegram
        application's)."""
        await self.job_queue.start()

    async def stop(self) -> None:
        """Stop the JobQueue, letting jobs under way finish (nothing if it never started)."""
        if self.job_queue.scheduler.running:
            await self.job_queue.stop(wait=True)
