"""Unanswered questions in Telegram: recorded as they are answered, and ``/lacunas`` for
supervisors. The weekly summary (``GAPS_WEEKLY_AT``) is :class:`bot.posting.service.Posting`'s,
posted through every door.

What counts as a gap, the store and the report are :mod:`bot.policy.gaps`'; this module records at
the door. Inline queries are not recorded: they arrive letter by letter as the agent types.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.answers import messages as msg
from bot.answers.reply import Reply
from bot.app import metrics
from bot.policy.gaps import GapStore, gap_for, lacunas_reply
from bot.posting.service import WEEKLY_JOB
from handlers.telegram.access import supervisor_asks
from handlers.telegram.send import send_reply
from handlers.telegram.state import BotApplication, Context, kb_of, now_of, posting_in

log = logging.getLogger(__name__)

__all__ = ["WEEKLY_JOB", "handlers", "record", "schedule_weekly", "store_in"]


def store_in(bot_data: dict[Any, Any]) -> GapStore:
    """The process's one gap store (``GAPS_FILE``), shared with every door."""
    return posting_in(bot_data).gaps


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
    """The week's gaps to the supervisors at ``GAPS_WEEKLY_AT``: see
    :meth:`bot.posting.service.Posting.schedule_weekly` (every door)."""
    posting_in(application.bot_data).schedule_weekly()


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler("lacunas", on_lacunas, filters=filters.UpdateType.MESSAGE)]
