"""Unanswered questions in Telegram: recorded as they are answered, ``/lacunas`` for supervisors,
and a weekly summary posted to the supervisors' chats (``GAPS_WEEKLY_AT``, default Mondays 08:00).

What counts as a gap, the store and the report are :mod:`bot.policy.gaps`'; this module records at
the
door and sends. Inline queries are not recorded: they arrive letter by letter as the agent types.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any, cast
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.answers import messages as msg
from bot.answers.reply import Reply
from bot.app import metrics
from bot.app.settings import Settings
from bot.policy.gaps import GapStore, gap_for, lacunas_reply, weekly_reply
from handlers.telegram.access import supervisor_asks
from handlers.telegram.knowledge import post, supervisor_chats
from handlers.telegram.send import send_reply
from handlers.telegram.state import SETTINGS_KEY, BotApplication, Context, holder_in, kb_of, now_of

log = logging.getLogger(__name__)

GAPS_KEY = "gaps_store"
WEEKLY_JOB = "gaps:weekly"


def store_in(bot_data: dict[Any, Any]) -> GapStore:
    store = bot_data.get(GAPS_KEY)
    if not isinstance(store, GapStore):
        settings: Settings = bot_data[SETTINGS_KEY]
        store = GapStore(settings.gaps_file)
        bot_data[GAPS_KEY] = store
    return store


def record(context: Context, chat_id: int, question: str, reply: Reply) -> None:
    """Count the question and its answer (metrics); record it if its reply is a gap. Never raises:
    the agent's answer comes first."""
    try:
        gap = gap_for(kb_of(context), question, reply, chat_id, now_of(context))
        metrics.answered("telegram", reply.kind, gap=gap is not None)
        if gap is not None:
            store_in(context.bot_data).append(gap)
    except Exception:
        log.exception("could not record an unanswered question")


# --------------------------------------------------------------------------- /lacunas


async def on_lacunas(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    if not await supervisor_asks(message, context, msg.GAPS_SUPERVISORS_ONLY):
        return
    args = context.args or []
    # Read in a worker thread: a large gaps file must not hold the other chats' answers.
    store = store_in(context.bot_data)
    reply = await asyncio.to_thread(lacunas_reply, kb_of(context), store, now_of(context), args)
    await send_reply(message, reply, context)


# --------------------------------------------------------------------------- the weekly post


def schedule_weekly(application: BotApplication) -> None:
    """Post the week's gaps to the supervisors at ``GAPS_WEEKLY_AT`` (default Monday 08:00, in
    UPCALL's clock); ``off``: never."""
    queue = application.job_queue
    if queue is None:
        log.warning("no JobQueue: the weekly summary of unanswered questions is off")
        return
    for job in queue.get_jobs_by_name(WEEKLY_JOB):
        job.schedule_removal()
    settings: Settings = application.bot_data[SETTINGS_KEY]
    weekly = settings.gaps_weekly_at
    if weekly is None:
        log.info("GAPS_WEEKLY_AT is off: no weekly summary of unanswered questions")
        return
    at = dt.time(weekly.hour, weekly.minute, tzinfo=ZoneInfo(settings.timezone))
    queue.run_daily(post_weekly, time=at, days=(weekly.weekday,), name=WEEKLY_JOB)


async def post_weekly(context: Context) -> None:
    application = cast(BotApplication, context.application)
    settings: Settings = application.bot_data[SETTINGS_KEY]
    kb = holder_in(application.bot_data).kb
    now = dt.datetime.now(ZoneInfo(settings.timezone))
    reply = await asyncio.to_thread(weekly_reply, kb, store_in(application.bot_data), now)
    await post(application, supervisor_chats(settings), reply)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler("lacunas", on_lacunas, filters=filters.UpdateType.MESSAGE)]
