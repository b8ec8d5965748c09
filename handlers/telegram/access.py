"""The access check in Telegram terms: the rules of :mod:`bot.policy.access`, plus
``getChatMember``.

A private-chat (or inline) user who is neither supervisor nor listed agent is let in when they are a
member of one of the allowed groups; Telegram is asked once and the answer cached a few minutes.
"""

from __future__ import annotations

import html
import logging
import time

from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden

from bot.app.settings import Settings
from bot.policy.access import (
    MembershipCache,
    Merged,
    Verdict,
    chat_verdict,
    is_member_status,
    refusal_html,
    user_verdict,
)
from handlers.telegram.state import Context, lookups_of, membership_of, refusals_of, settings_of

log = logging.getLogger(__name__)


async def member_of_allowed_group(
    bot: Bot, settings: Settings, user_id: int, cache: MembershipCache, merged: Merged | None = None
) -> bool:
    """Is ``user_id`` in one of the allowed groups? Cached; simultaneous look-ups of one user
    share one round of ``getChatMember`` calls."""
    cached = cache.get(user_id, time.monotonic())
    if cached is not None:
        return cached
    if merged is None:
        return await _look_up(bot, settings, user_id, cache)
    return await merged.run(user_id, lambda: _look_up(bot, settings, user_id, cache))


async def _look_up(bot: Bot, settings: Settings, user_id: int, cache: MembershipCache) -> bool:
    member = False
    for chat_id in settings.allowed_chat_ids:
        try:
            found = await bot.get_chat_member(chat_id, user_id)
        except (BadRequest, Forbidden) as exc:
            # "user not found", "chat not found", or the bot was removed from that group.
            log.info("getChatMember(%s, %s) failed: %s", chat_id, user_id, exc)
            continue
        if is_member_status(found.status, getattr(found, "is_member", None)):
            member = True
            break
    cache.put(user_id, member, time.monotonic())
    return member


async def _settle(verdict: Verdict, user_id: int | None, context: Context) -> bool:
    if verdict is not Verdict.CHECK_MEMBERSHIP or user_id is None:
        return verdict is Verdict.ALLOW
    settings = settings_of(context)
    return await member_of_allowed_group(
        context.bot, settings, user_id, membership_of(context), lookups_of(context)
    )


async def may_ask_in_chat(
    chat_type: str, chat_id: int, user_id: int | None, context: Context
) -> bool:
    verdict = chat_verdict(chat_type, chat_id, user_id, settings_of(context))
    return await _settle(verdict, user_id, context)


async def may_ask_as_user(user_id: int | None, context: Context) -> bool:
    """Inline mode: only the person counts, wherever the answer will be posted."""
    return await _settle(user_verdict(user_id, settings_of(context)), user_id, context)


async def may_ask_here(message: Message, context: Context) -> bool:
    user_id = message.from_user.id if message.from_user else None
    return await may_ask_in_chat(message.chat.type, message.chat.id, user_id, context)


async def refuse(message: Message, context: Context) -> None:
    """The refusal with the chat id, once per chat per quiet period (then nothing)."""
    chat = message.chat
    user_id = message.from_user.id if message.from_user else None
    if not refusals_of(context).should_refuse(chat.id, time.monotonic()):
        log.debug("refused chat %s again: quiet", chat.id)
        return
    log.info("refused chat %s (%s), user %s", chat.id, chat.type, user_id)
    await message.reply_text(refusal_html(chat.type, chat.id))


async def supervisor_asks(message: Message, context: Context, refusal: str) -> bool:
    """True when ``message`` is a supervisor's, in a chat where the bot answers. Otherwise the
    sender has been told why not (the usual refusal, or ``refusal`` for a non-supervisor)."""
    if not await may_ask_here(message, context):
        await refuse(message, context)
        return False
    user_id = message.from_user.id if message.from_user else None
    if user_id in settings_of(context).supervisor_ids:
        return True
    await message.reply_text(html.escape(refusal, quote=False))
    return False
