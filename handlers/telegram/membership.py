"""The bot added to a group: if the group is not allowed, say so at once with the chat id, so the
supervisor who added it learns the id to put in ``ALLOWED_CHAT_IDS``. And a group that became a
supergroup (``migrate_to_chat_id``): when it is the notice chat, the notices follow it."""

from __future__ import annotations

import time

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import BaseHandler, ChatMemberHandler, MessageHandler, filters

from bot.policy.access import GROUP_TYPES, refusal_html
from handlers.telegram.door import NAME, TelegramDoor
from handlers.telegram.state import Context, posting_in, refusals_of, settings_of

_OUT = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}
_IN = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.RESTRICTED}


async def on_my_chat_member(update: Update, context: Context) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type not in GROUP_TYPES:
        return
    joined = change.old_chat_member.status in _OUT and change.new_chat_member.status in _IN
    if joined and change.chat.id not in settings_of(context).allowed_chat_ids:
        chat = change.chat
        refusals_of(context).should_refuse(chat.id, time.monotonic())  # the next one is quiet
        await context.bot.send_message(chat.id, refusal_html(chat.type, chat.id))


async def on_migrate(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    door = posting_in(context.bot_data).door_named(NAME)
    if isinstance(door, TelegramDoor):
        await door.follow(message.chat_id, message.migrate_to_chat_id)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate),
    ]
