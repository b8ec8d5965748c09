"""The error handler: the traceback goes to the log, never to the chat. Where there is a chat, the
agent gets a short apology instead of silence.

A network failure (Telegram unreachable, a connection dropped, a call timed out) is bad luck, not
a bug: one WARNING line says which update lost its answer and whether the apology got through, no
traceback. Anything else (a bug) keeps its full traceback. PTB's own last ``getUpdates`` at
shutdown, when it fails for the network, is one line too (:class:`QuietNetworkFailures`)."""

from __future__ import annotations

import logging
from functools import partial

from telegram import Update
from telegram.error import BadRequest, Conflict, NetworkError, TelegramError

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
    network = network_failure(error)
    if not network:
        log.error("error handling %s", where, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        if network:
            log.warning("%s lost: Telegram could not be reached (%s)", where, error)
        return
    chat_id = update.effective_chat.id
    try:
        await deliver(
            partial(context.bot.send_message, chat_id, APOLOGY, parse_mode=None), "apology"
        )
    except TelegramError as exc:
        # Telegram takes the updates but refuses what the bot sends: never a silent loss.
        (log.warning if network else log.error)(
            "update %s in chat %s went unanswered: neither the answer nor the apology could be "
            "sent (%s)",
            update.update_id,
            chat_id,
            exc,
        )
        return
    if network:
        log.warning(
            "%s: the answer could not be sent (%s); the apology was sent instead", where, error
        )


def network_failure(error: object) -> bool:
    """Telegram unreachable, a connection dropped, a call timed out: not a bug. (PTB's
    ``BadRequest`` is a ``NetworkError`` too, but Telegram did answer: a bug of ours.)"""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


class QuietNetworkFailures(logging.Filter):
    """PTB's updater logs its last ``getUpdates`` at shutdown failing with a traceback; when the
    network is the cause, one WARNING line instead (other errors keep their traceback)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if str(record.msg).startswith("Error while calling `get_updates` one more time") and (
            network_failure(error)
        ):
            record.msg = (
                "could not confirm the last updates to Telegram while stopping (%s); they will "
                "be fetched again at the next start"
            )
            record.args = (error,)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


def quiet_network_failures() -> None:
    """Install :class:`QuietNetworkFailures` on PTB's updater logger (once)."""
    logger = logging.getLogger("telegram.ext.Updater")
    if not any(isinstance(f, QuietNetworkFailures) for f in logger.filters):
        logger.addFilter(QuietNetworkFailures())


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
