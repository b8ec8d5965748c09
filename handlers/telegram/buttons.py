"""A press on one of the answer's buttons: the message that offered the choice becomes the answer
of the chosen ``ask``, exactly as if the agent had typed it."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.policy.access import refusal_alert
from handlers.telegram import gaps
from handlers.telegram.access import may_ask_in_chat
from handlers.telegram.keyboard import decode_ask
from handlers.telegram.send import answer_for, edit_into_reply
from handlers.telegram.state import Context, asks_of

log = logging.getLogger(__name__)

EXPIRED = "Esta opção expirou. Faça a pergunta de novo."


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    message = query.message
    if not isinstance(message, Message):
        # Too old for the bot to see, or a button under an inline-mode message (we send none).
        await query.answer(EXPIRED, show_alert=True)
        return
    allowed = await may_ask_in_chat(message.chat.type, message.chat.id, query.from_user.id, context)
    if not allowed:
        log.info("refused button press in chat %s by %s", message.chat.id, query.from_user.id)
        await query.answer(refusal_alert(message.chat.id), show_alert=True)
        return
    ask = decode_ask(query.data or "", asks_of(context))
    if ask is None:
        await query.answer(EXPIRED, show_alert=True)
        return
    try:
        await query.answer()  # stop the client's spinner first: the answer follows
    except TelegramError as exc:
        # The spinner stops by itself after a while; the answer is what the agent wants.
        log.warning("could not answer the button press in chat %s: %s", message.chat.id, exc)
    reply = answer_for(ask, context)
    gaps.record(context, message.chat.id, ask, reply)
    await edit_into_reply(query, message, reply, context, ask)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CallbackQueryHandler(on_button)]
