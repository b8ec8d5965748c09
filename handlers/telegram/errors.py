"""The error handler: the traceback goes to the log, never to the chat. Where there is a chat, the
agent gets a short apology instead of silence."""

from __future__ import annotations

import logging
from functools import partial

from telegram import Update
from telegram.error import Conflict, NetworkError, TelegramError

from handlers.telegram.send import deliver
from handlers.telegram.state import Context

log = logging.getLogger(__name__)

APOLOGY = "Desculpe, não consegui responder agora. Tente de novo em instantes."


async def on_error(update: object, context: Context) -> None:
    error = context.error
    if isinstance(error, Conflict):
        log.error("another process is polling with this bot token; stop it (%s)", error)
        return
    if update is None and isinstance(error, NetworkError):
        # Polling hiccups (Telegram or the network away for a moment): PTB retries by itself.
        log.warning("network error while polling: %s", error)
        return
    where = _describe(update)
    log.error("error handling %s", where, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    chat_id = update.effective_chat.id
    try:
        await deliver(
            partial(context.bot.send_message, chat_id, APOLOGY, parse_mode=None), "apology"
        )
    except TelegramError as exc:
        # Telegram takes the updates but refuses what the bot sends: never a silent loss.
        log.error(
            "update %s in chat %s went unanswered: neither the answer nor the apology could be "
            "sent (%s)",
            update.update_id,
            chat_id,
            exc,
        )


def _describe(update: object) -> str:
    """Which update failed, without its text (it may carry a customer's data)."""
    if isinstance(update, Update):
        chat = update.effective_chat
        user = update.effective_user
        return (
            f"update {update.update_id} (chat {chat.id if chat else None}, "
            f"user {user.id if user else None})"
        )
    return "no update" if update is None else type(update).__name__
