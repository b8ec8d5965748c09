"""Sending a core :class:`~bot.answers.reply.Reply` to Telegram: HTML parts, the keyboard on the
last one.

Suggested messages (templates) stay inside the answer as ``<pre>`` blocks, as the renderer makes
them: Telegram shows a copy button on a code block, so the agent copies one with one tap, and the
answer stays one message (or as few as the 4096-character limit allows) in a busy group.

A reply with a timeline (``/escala``) goes first as a picture, then as the text. The text is the
fallback: a picture that cannot be drawn or sent is logged and left out. The bot remembers which
picture goes with the text message that carries the buttons
(``handlers.telegram.state.TimelinePhotos``,
the last 1,000): a button press edits that text in place and, when the new answer has a timeline
too, replaces the picture above it (``editMessageMedia``). A picture that cannot be drawn or
replaced (deleted, too old, or unknown: sent before a restart) is logged and left as it is; the
text is the answer.

Delivery (:func:`deliver`): every call that carries an answer gets a long read timeout
(:data:`ANSWER_READ_TIMEOUT`): Telegram accepting a message slowly (7 s) is an answer delivered,
not a failure followed by an apology. A call the Bot API certainly did not carry out
(:class:`~handlers.telegram.transport.NotDelivered`: no connection, a 5xx answer) is sent again
after :data:`RETRY_DELAYS`; a call that may have been carried out (a timeout, a garbled reply) is
never sent again, so an answer never shows twice. What still fails reaches the error handler,
which apologises (:mod:`handlers.telegram.errors`).

A long answer goes in several messages. When a later one fails, the earlier ones are in the
chat all the same: the audit line says how many went (``parts_sent`` of ``parts``), and those
that carry credentials in a group that deletes them are deleted like a whole answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, InputFile, InputMediaPhoto, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.answers.followup import Previous, answer_after
from bot.answers.render.telegram import caption_html, to_html_parts
from bot.answers.reply import Reply, Timeline
from bot.coverage.picture import draw_png
from bot.policy.credentials import Decision
from handlers.telegram.credentials import delete_later, gate, record_sent
from handlers.telegram.keyboard import keyboard_for
from handlers.telegram.state import Context, answered_of, asks_of, kb_of, now_of, photos_of
from handlers.telegram.transport import NotDelivered

log = logging.getLogger(__name__)

ANSWER_READ_TIMEOUT = 20.0
"""Seconds to wait for Telegram to accept an answer (PTB's default for other calls: 5)."""
RETRY_DELAYS = (0.5, 1.0, 2.0)
"""Waits before each new try of a call that was certainly not delivered."""

T = TypeVar("T")


async def deliver(call: Callable[..., Awaitable[T]], what: str = "answer") -> T:
    """``call(read_timeout=...)`` (a PTB method, its arguments bound), sent again while the Bot
    API certainly did not carry it out."""
    for delay in (*RETRY_DELAYS, None):
        try:
            return await call(read_timeout=ANSWER_READ_TIMEOUT)
        except NotDelivered as exc:
            if delay is None:
                raise
            log.warning("%s not delivered (%s); trying again in %s s", what, exc, delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


def answer_for(text: str, context: Context, previous: Previous | None = None) -> Reply:
    """The core's answer; ``previous``: the bot's answer ``text`` replies to, if known."""
    return answer_after(kb_of(context), text, now_of(context), previous)


def previous_answer(message: Message, context: Context) -> Previous | None:
    """What the bot's message that ``message`` replies to answered, if the bot remembers it
    (its last answers, in memory: :class:`bot.answers.followup.Answered`)."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    return answered_of(context).about(message.chat_id, replied.message_id)


def _remember(context: Context, sent: list[Message], reply: Reply) -> None:
    answered = answered_of(context)
    for message in sent:
        answered.remember(message.chat_id, message.message_id, reply)


def _parts(reply: Reply) -> list[str]:
    return [part for part in to_html_parts(reply) if part.strip()]


@dataclass
class _Progress:
    """What went out of one reply so far: its messages (a picture too), and how many of its
    text ``parts`` the chat accepted, in order."""

    messages: list[Message] = field(default_factory=list)
    parts: int = 0
    parts_sent: int = 0


def _settle(context: Context, decision: Decision, progress: _Progress, answered: Reply) -> None:
    """After the send, whole or cut short by an error: the audit line says how many parts went;
    the messages that went are remembered for follow-ups and, with credentials in a group that
    deletes them, deleted later. Never raises (on the error path, the error goes on)."""
    record_sent(context, decision, parts=progress.parts, parts_sent=progress.parts_sent)
    try:
        _remember(context, progress.messages, answered)
        if decision.delete_after and progress.messages:
            delete_later(context, progress.messages, decision.delete_after)
    except Exception:
        log.exception("could not schedule the deletion of an answer's messages")


async def send_reply(message: Message, reply: Reply, context: Context) -> list[Message]:
    """Answer ``message``: the picture if there is one, then the text parts; the first message
    quotes the question in groups; the keyboard goes on the last. Credentials go through the
    policy (:mod:`handlers.telegram.credentials`): audited, withheld from groups or deleted
    later."""
    answered = reply  # what it is about, also when the policy withholds it
    asked = message.text or message.caption or ""
    reply, decision = gate(reply, message.chat, message.from_user, asked, context)
    progress = _Progress()
    try:
        await _send(message, reply, context, progress)
    finally:  # an error goes on to the error handler, which apologises
        _settle(context, decision, progress, answered)
    return progress.messages


async def _send(message: Message, reply: Reply, context: Context, progress: _Progress) -> None:
    sent = progress.messages
    picture = None
    if reply.timeline is not None:
        picture = await send_timeline(message, reply.timeline)
        if picture is not None:
            sent.append(picture)
    parts = _parts(reply)
    progress.parts = len(parts)
    markup = keyboard_for(reply, asks_of(context))
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        quote = None if not sent else False
        sent.append(
            await deliver(
                partial(
                    message.reply_text,
                    part,
                    reply_markup=markup if last else None,
                    do_quote=quote,
                )
            )
        )
        progress.parts_sent += 1
    if picture is not None and parts and markup is not None:
        # A press on the buttons of the last part will replace this picture too.
        photos_of(context).remember(picture.chat_id, sent[-1].message_id, picture.message_id)


async def send_timeline(message: Message, timeline: Timeline) -> Message | None:
    """The timeline as a photo answering ``message``; ``None`` when it could not be drawn or sent
    (the text that follows says the same)."""
    png = await draw_png(timeline)
    if png is None:
        return None
    try:
        return await message.reply_photo(
            InputFile(png, filename="escala.png"), caption=caption_html(timeline)
        )
    except TelegramError as exc:
        log.warning("could not send the timeline picture (%s); the text follows", exc)
        return None


async def edit_into_reply(
    query: CallbackQuery, message: Message, reply: Reply, context: Context, asked: str = ""
) -> None:
    """A button press: the message that carried the buttons becomes the answer of ``asked``."""
    answered = reply
    reply, decision = gate(reply, message.chat, query.from_user, asked, context)
    progress = _Progress()
    try:
        await _edit_into(query, message, reply, context, progress)
    finally:
        _settle(context, decision, progress, answered)


async def _edit_into(
    query: CallbackQuery, message: Message, reply: Reply, context: Context, progress: _Progress
) -> None:
    """The edit (and the parts that follow it); ``progress``: the messages that now carry the
    answer."""
    parts = _parts(reply)
    progress.parts = len(parts)
    if not parts:
        return
    markup = keyboard_for(reply, asks_of(context))
    first, rest = parts[0], parts[1:]
    await _edit(query, first, markup if not rest else None)
    sent = progress.messages
    sent.append(message)
    progress.parts_sent += 1
    for index, part in enumerate(rest):
        last = index == len(rest) - 1
        sent.append(
            await deliver(
                partial(
                    message.reply_text, part, reply_markup=markup if last else None, do_quote=False
                )
            )
        )
        progress.parts_sent += 1
    if reply.timeline is not None:
        await _replace_timeline(context, message, sent[-1], reply.timeline)


async def _replace_timeline(
    context: Context, pressed: Message, keyboard: Message, timeline: Timeline
) -> None:
    """The picture above the ``pressed`` message, if the bot knows it, shows ``timeline`` now;
    ``keyboard`` is the message that carries the buttons after the edit. Whatever fails is logged:
    the text, already edited, is the answer."""
    photos = photos_of(context)
    chat_id = pressed.chat_id
    photo_id = photos.photo_of(chat_id, pressed.message_id)
    if photo_id is None:
        return
    png = await draw_png(timeline)
    if png is None:
        return
    media = InputMediaPhoto(
        png, caption=caption_html(timeline), parse_mode=ParseMode.HTML, filename="escala.png"
    )
    try:
        await context.bot.edit_message_media(media, chat_id=chat_id, message_id=photo_id)
    except TelegramError as exc:
        if "not modified" not in str(exc).lower():
            log.warning("could not replace the timeline picture (%s); the text says it", exc)
            if "not found" in str(exc).lower():  # deleted: do not draw for it again
                photos.forget(chat_id, pressed.message_id)
            return
        log.debug("the picture already shows this timeline")
    photos.remember(chat_id, keyboard.message_id, photo_id)


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await deliver(partial(query.edit_message_text, text, reply_markup=markup))
    except BadRequest as exc:
        # The same button pressed twice: the message already says this.
        if "not modified" not in str(exc).lower():
            raise
        log.debug("message already shows this answer")
