"""Sending a core :class:`~bot.reply.Reply` to Telegram: HTML parts, the keyboard on the last one.

Suggested messages (templates) stay inside the answer as ``<pre>`` blocks, as the renderer makes
them: Telegram shows a copy button on a code block, so the agent copies one with one tap, and the
answer stays one message (or as few as the 4096-character limit allows) in a busy group.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.core import answer
from bot.render import to_html_parts
from bot.reply import Reply
from handlers.keyboard import keyboard_for
from handlers.state import Context, asks_of, kb_of, now_of

log = logging.getLogger(__name__)


def answer_for(text: str, context: Context) -> Reply:
    return answer(kb_of(context), text, now_of(context))


def _parts(reply: Reply) -> list[str]:
    return [part for part in to_html_parts(reply) if part.strip()]


async def send_reply(message: Message, reply: Reply, context: Context) -> list[Message]:
    """Answer ``message``: the first part quotes it in groups; the keyboard goes on the last."""
    parts = _parts(reply)
    markup = keyboard_for(reply, asks_of(context))
    sent: list[Message] = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        sent.append(
            await message.reply_text(
                part,
                reply_markup=markup if last else None,
                do_quote=None if index == 0 else False,
            )
        )
    return sent


async def edit_into_reply(
    query: CallbackQuery, message: Message, reply: Reply, context: Context
) -> None:
    """A button press: the message that carried the buttons becomes the answer."""
    parts = _parts(reply)
    if not parts:
        return
    markup = keyboard_for(reply, asks_of(context))
    first, rest = parts[0], parts[1:]
    await _edit(query, first, markup if not rest else None)
    for index, part in enumerate(rest):
        last = index == len(rest) - 1
        await message.reply_text(part, reply_markup=markup if last else None, do_quote=False)


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        # The same button pressed twice: the message already says this.
        if "not modified" not in str(exc).lower():
            raise
        log.debug("message already shows this answer")
