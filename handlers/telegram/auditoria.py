"""``/auditoria [isp]``: the latest credential answers, for supervisors.

The audit file is read in a worker thread: it may hold tens of thousands of lines (and its rotated
files), and every other chat keeps being answered meanwhile.
"""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.answers import messages as msg
from bot.answers.core import provider_argument
from bot.answers.reply import Reply
from bot.policy.credentials import audit_reply
from handlers.telegram.access import supervisor_asks
from handlers.telegram.credentials import audit_log_of
from handlers.telegram.send import send_reply
from handlers.telegram.state import Context, kb_of, settings_of

AUDIT_LIMIT = 30
"""How many entries /auditoria shows."""


async def on_auditoria(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    if not await supervisor_asks(message, context, msg.AUDIT_SUPERVISORS_ONLY):
        return
    provider_id = None
    args = context.args or []
    if args:
        found = provider_argument(kb_of(context), "auditoria", args)
        if isinstance(found, Reply):
            await send_reply(message, found, context)
            return
        provider_id = found[0].id
    audit = audit_log_of(context)
    entries = await asyncio.to_thread(audit.latest, AUDIT_LIMIT, provider_id)
    zone = ZoneInfo(settings_of(context).timezone)
    await send_reply(message, audit_reply(entries, provider_id, zone), context)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler("auditoria", on_auditoria, filters=filters.UpdateType.MESSAGE)]
