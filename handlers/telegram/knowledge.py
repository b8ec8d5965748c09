"""Knowledge by commit, in Telegram: ``/recarregar``, and the application's view of the KB watcher.

The watcher, the reload and what a reload posts (changelog to the notice chats, alerts to the
supervisors, for every door) are :class:`bot.posting.service.Posting`'s; the decisions live in
:mod:`bot.knowledge.reload` and :mod:`bot.answers.reload`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.answers import messages as msg
from bot.answers.reload import reload_feedback
from bot.knowledge.reload import Reloader
from handlers.telegram.access import supervisor_asks
from handlers.telegram.send import send_reply
from handlers.telegram.state import BotApplication, Context, posting_in

log = logging.getLogger(__name__)

AfterReload = Callable[[BotApplication], Awaitable[None]]


def on_reload(application: BotApplication, callback: AfterReload) -> None:
    """Run ``callback(application)`` after every good reload (e.g. the command menus)."""

    async def run() -> None:
        await callback(application)

    posting_in(application.bot_data).on_reload(run)


def reloader_of(application: BotApplication) -> Reloader:
    return posting_in(application.bot_data).reloader


async def start(application: BotApplication) -> None:
    """Start watching ``KB_DIR`` (and pulling git, when configured) in the background."""
    posting_in(application.bot_data).start_watching()


async def stop(application: BotApplication) -> None:
    """Stop the watcher; cancel it if it has not ended within a few seconds."""
    await posting_in(application.bot_data).stop_watching()


# --------------------------------------------------------------------------- /recarregar


async def on_recarregar(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    if not await supervisor_asks(message, context, msg.RELOAD_SUPERVISORS_ONLY):
        return
    application: Any = context.application
    result = await reloader_of(application).reload(confirmed=True)  # a supervisor asked
    await send_reply(message, reload_feedback(result), context)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("recarregar", on_recarregar, filters=filters.UpdateType.MESSAGE),
    ]
