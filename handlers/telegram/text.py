"""Free text. In a private chat every text is a question. In a group (privacy mode stays on) only
a message that mentions the bot or replies to one of its messages is; the rest is the agents'
own conversation and is left alone.

A photo's caption is read like a text (as on WhatsApp): a screenshot captioned "@UpcallBot dns
da mutum?" is a question. A reply to one of the bot's answers takes the ISP or the topic it does
not name from that answer (``bot.answers.followup``); "👍" to an answer gets nothing. An edited
message is not read again (``filters.UpdateType.MESSAGE``): the bot answered it as first sent;
a corrected question is sent anew."""

from __future__ import annotations

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.answers.reply import ReplyKind
from bot.reading.text import question_lines
from handlers.telegram import gaps
from handlers.telegram.access import may_ask_here, refuse
from handlers.telegram.send import answer_for, previous_answer, send_reply
from handlers.telegram.state import Context


def _mentions(message: Message, bot: Bot) -> list[str]:
    """The pieces of the text that name this bot (``@UpcallBot`` or a text mention)."""
    found = []
    kinds: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    entities = (
        message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    )
    for entity, text in entities.items():
        if entity.type == MessageEntity.MENTION:
            if text.removeprefix("@").casefold() == bot.username.casefold():
                found.append(text)
        elif entity.user is not None and entity.user.id == bot.id:
            found.append(text)
    return found


def _replies_to_bot(message: Message, bot: Bot) -> bool:
    replied = message.reply_to_message
    return (
        replied is not None
        and replied.forum_topic_created is None  # a forum topic's first message is no reply
        and replied.from_user is not None
        and replied.from_user.id == bot.id
    )


def said(message: Message) -> str:
    """The message's words: its text, or a photo's (or document's) caption."""
    return message.text or message.caption or ""


def question_in(message: Message, bot: Bot) -> str | None:
    """The question this message asks the bot, or ``None`` when it is not addressed to it."""
    text = said(message)
    if message.via_bot is not None and message.via_bot.id == bot.id:
        return None  # an answer an agent posted through inline mode, not a question
    if message.chat.type == ChatType.PRIVATE:
        return text
    mentions = _mentions(message, bot)
    if not mentions and not _replies_to_bot(message, bot):
        return None
    for mention in mentions:
        text = text.replace(mention, " ")
    return question_lines(text)  # line breaks kept, as in a private chat


async def on_text(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    question = question_in(message, context.bot)
    if question is None:
        return
    if not await may_ask_here(message, context):
        await refuse(message, context)
        return
    reply = answer_for(question, context, previous_answer(message, context))
    if reply.kind is ReplyKind.NOD:
        return  # "👍" to the bot's answer
    gaps.record(context, message.chat.id, question, reply)
    await send_reply(message, reply, context)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    only_new = filters.UpdateType.MESSAGE  # an edited message is not asked again
    return [
        MessageHandler(filters.TEXT & ~filters.COMMAND & only_new, on_text),
        MessageHandler(filters.CAPTION & ~CAPTION_COMMAND & only_new, on_text),
    ]


CAPTION_COMMAND = filters.CaptionRegex(r"^\s*/")
"""A caption that is a command (``/dns mutum`` under a screenshot): :mod:`.commands` answers it."""
