"""Shift-change notices in Telegram: PTB's JobQueue wakes the bot at each boundary and posts.

What to post and when is decided in :mod:`bot.coverage.notices`; this module keeps the timers and
sends.

* A plan job (:data:`PLAN_JOB` as the job queue starts, :data:`REPLAN_JOB` every
  :data:`REPLAN_EVERY`) sets one ``run_once`` timer per boundary instant of the next
  :data:`HORIZON` and posts what is due now (one missed while the bot was down: late, within the
  grace).
* The instant job posts every notice due at its instant. A send that fails is logged and tried
  again :data:`RETRY_AFTER` later, for as long as the grace allows.
* A notice is marked sent only once Telegram accepted it, in the state file
  (``NOTICE_STATE_FILE``), so neither a restart nor two jobs at the same instant post it twice.

"Now" comes from a clock in ``bot_data[CLOCK_KEY]`` (tests and the benchmark set their own);
timers are set as delays from that clock, so a shifted clock shifts them too.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from telegram.error import BadRequest, TelegramError

from bot.answers.render import to_html_parts
from bot.answers.reply import Reply
from bot.app import metrics
from bot.app.health import HEALTH
from bot.app.settings import Settings
from bot.coverage import notices
from handlers.telegram.state import SETTINGS_KEY, BotApplication, Context, holder_in

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]

HORIZON = dt.timedelta(hours=48)
"""How far ahead the boundary timers are set."""
REPLAN_EVERY = dt.timedelta(hours=1)
"""How often the timers are set again (the horizon moves on; a missed one is caught)."""
RETRY_AFTER = dt.timedelta(minutes=1)
"""After a failed send, the next try (within the grace)."""
SEND_READ_TIMEOUT = 60.0
"""Seconds a notice waits for Telegram's answer (answers to agents: PTB's 5 s). A send given up
while Telegram is merely slow may still be posted; trying it again would post it twice. So a
notice waits long for the answer, up to the next try (``tests/test_faults.py``)."""

JOB_PREFIX = "notices:"
"""Every job of this module is named with this prefix: :func:`reschedule` drops them all."""
PLAN_JOB = f"{JOB_PREFIX}plan"
"""Runs once as the job queue starts: posts what is due, sets the timers."""
REPLAN_JOB = f"{JOB_PREFIX}replan"
"""The same, every :data:`REPLAN_EVERY`."""
AT_PREFIX = f"{JOB_PREFIX}at:"
RETRY_JOB = f"{JOB_PREFIX}retry"
_JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True}
"""Run a timer however late the event loop wakes up: the grace is checked by
``bot.coverage.notices``."""

CLOCK_KEY = "notices_clock"
STATE_KEY = "notices"
_OFF_LOGGED_KEY = "notices_off_logged"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class NoticeState:
    """What the notice jobs share, in ``bot_data[STATE_KEY]``."""

    store: notices.SentStore
    chat_id: int
    threads: Mapping[str, int]
    lead: dt.timedelta
    grace: dt.timedelta
    in_flight: set[str] = field(default_factory=set)
    """Keys being sent right now: a second job at the same instant leaves them alone."""


def clock_in(bot_data: Mapping[Any, Any]) -> Clock:
    clock = bot_data.get(CLOCK_KEY)
    return clock if callable(clock) else utc_now


def state_in(bot_data: Mapping[Any, Any]) -> NoticeState | None:
    state = bot_data.get(STATE_KEY)
    return state if isinstance(state, NoticeState) else None


def _settings(application: BotApplication) -> Settings:
    settings = application.bot_data.get(SETTINGS_KEY)
    if not isinstance(settings, Settings):
        raise RuntimeError("bot_data has no settings: build the app with build_application")
    return settings


def _set_up(application: BotApplication) -> NoticeState | None:
    """The shared state, loaded once; ``None`` when notices are off (no chat, no JobQueue)."""
    bot_data = application.bot_data
    state = state_in(bot_data)
    if state is not None:
        return state
    settings = _settings(application)
    chat_id = settings.notice_chat_id
    off = None
    if chat_id is None:
        off = "NOTICE_CHAT_ID is not set: no shift-change notices"
    elif application.job_queue is None:
        off = "no JobQueue (install python-telegram-bot[job-queue]): no shift-change notices"
    if chat_id is None or off is not None:
        if not bot_data.get(_OFF_LOGGED_KEY):
            log.info(off)
            bot_data[_OFF_LOGGED_KEY] = True
        return None
    unknown = set(settings.notice_threads) - set(holder_in(bot_data).kb.providers)
    if unknown:
        log.warning("NOTICE_THREADS names unknown providers: %s", ", ".join(sorted(unknown)))
    state = NoticeState(
        store=notices.SentStore.load(settings.notice_state_file, clock_in(bot_data)()),
        chat_id=chat_id,
        threads=dict(settings.notice_threads),
        lead=dt.timedelta(minutes=settings.notice_lead_minutes),
        grace=dt.timedelta(minutes=settings.notice_grace_minutes),
    )
    bot_data[STATE_KEY] = state
    log.info(
        "shift-change notices to chat %s (%d already sent on record)",
        state.chat_id,
        len(state.store),
    )
    return state


async def start(application: BotApplication) -> None:
    """From the app's ``post_init``: load the sent notices and set the timers."""
    if _set_up(application) is None or application.job_queue is None:
        return
    job_queue = application.job_queue
    # Not ``run_repeating(first=0)``: added before the scheduler starts (post_init), APScheduler
    # would put its first run one interval later.
    job_queue.run_once(_on_plan, when=0, name=PLAN_JOB, job_kwargs=_JOB_KWARGS)
    job_queue.run_repeating(
        _on_plan, interval=REPLAN_EVERY, first=REPLAN_EVERY, name=REPLAN_JOB, job_kwargs=_JOB_KWARGS
    )


async def reschedule(application: BotApplication) -> None:
    """Drop this module's timers and plan again: the KB changed, so may the boundaries."""
    _drop_jobs(application, JOB_PREFIX)
    await start(application)


def _drop_jobs(application: BotApplication, prefix: str) -> None:
    if application.job_queue is None:
        return
    for job in application.job_queue.jobs():
        if job.name and job.name.startswith(prefix):
            job.schedule_removal()


# --------------------------------------------------------------------------- the jobs


async def _on_plan(context: Context) -> None:
    application = cast(BotApplication, context.application)
    # Timers first: a send that hangs or fails must not leave the day without them.
    schedule_upcoming(application)
    await post_due(application)


async def _on_instant(context: Context) -> None:
    application = cast(BotApplication, context.application)
    job, job_queue = context.job, application.job_queue
    if job is not None and job_queue is not None and isinstance(job.data, dt.datetime):
        left = job.data - clock_in(application.bot_data)()
        if left > notices.EARLY:
            # Woke before the instant (the wall clock stepped back?): wait for the rest.
            job_queue.run_once(
                _on_instant, when=left, data=job.data, name=job.name, job_kwargs=_JOB_KWARGS
            )
            return
    await post_due(application)


def schedule_upcoming(application: BotApplication) -> list[dt.datetime]:
    """One timer per boundary instant of the horizon (the previous ones dropped); returns them."""
    state = state_in(application.bot_data)
    job_queue = application.job_queue
    if state is None or job_queue is None:
        return []
    _drop_jobs(application, AT_PREFIX)
    now = clock_in(application.bot_data)()
    upcoming = notices.plan(
        holder_in(application.bot_data).kb.providers.values(),
        now,
        horizon=HORIZON,
        lead=state.lead,
        grace=state.grace,
        sent=state.store.keys() | state.in_flight,
    )
    HEALTH.notice_planned(min(upcoming.instants, default=None))
    for instant in upcoming.instants:
        job_queue.run_once(
            _on_instant,
            when=max(instant - now, dt.timedelta(0)),
            data=instant,
            name=f"{AT_PREFIX}{instant.isoformat()}",
            job_kwargs=_JOB_KWARGS,
        )
    return upcoming.instants


async def post_due(application: BotApplication) -> int:
    """Post every notice due now, each once; returns how many Telegram accepted."""
    state = state_in(application.bot_data)
    if state is None:
        return 0
    clock = clock_in(application.bot_data)
    kb = holder_in(application.bot_data).kb
    due = notices.plan(
        kb.providers.values(),
        clock(),
        horizon=dt.timedelta(0),
        lead=state.lead,
        grace=state.grace,
        sent=state.store.keys() | state.in_flight,
    ).now
    posted, failed = 0, False
    for notice in due:
        # Checked again: while this loop awaited Telegram, another job may have posted it.
        if notice.key in state.store or notice.key in state.in_flight:
            continue
        state.in_flight.add(notice.key)
        try:
            reply = notices.notice_reply(notice, kb.providers[notice.provider], clock())
            if await _send(application, state, notice, reply):
                state.store.mark(notice.key, clock())
                posted += 1
            else:
                failed = True
        finally:
            state.in_flight.discard(notice.key)
    if failed and application.job_queue is not None:
        _drop_jobs(application, RETRY_JOB)
        application.job_queue.run_once(
            _on_instant, when=RETRY_AFTER, name=RETRY_JOB, job_kwargs=_JOB_KWARGS
        )
    return posted


async def _send(
    application: BotApplication, state: NoticeState, notice: notices.Notice, reply: Reply
) -> bool:
    """Post the notice; False (logged) when Telegram refused it or could not be reached."""
    thread = state.threads.get(notice.provider)
    try:
        for part in to_html_parts(reply):
            try:
                await application.bot.send_message(
                    state.chat_id,
                    part,
                    message_thread_id=thread,
                    read_timeout=SEND_READ_TIMEOUT,
                )
            except BadRequest as exc:
                if thread is None or "thread" not in str(exc).lower():
                    raise
                # The ISP's forum topic is gone: the notice still matters, post it in the chat.
                log.warning(
                    "topic %s of %s refused (%s): posting in the chat", thread, notice.provider, exc
                )
                thread = None
                await application.bot.send_message(
                    state.chat_id, part, read_timeout=SEND_READ_TIMEOUT
                )
    except TelegramError as exc:
        log.warning("notice %s not posted (%s); trying again within the grace", notice.key, exc)
        metrics.notice_failed("telegram")
        return False
    log.info("notice %s posted%s", notice.key, " (late)" if notice.late else "")
    metrics.notice_posted("telegram", late=notice.late)
    return True
