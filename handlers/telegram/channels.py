"""A post in a channel the bot was added to: channels are never answered (``bot.policy.access``),
so the channel gets the one refusal with its id (then quiet for a while, as any refused chat),
never silence."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from handlers.telegram.access import may_ask_here, refuse
from handlers.telegram.state import Context


async def on_channel_post(update: Update, context: Context) -> None:
    message = update.channel_post
    if message is None:
        return
    if not await may_ask_here(message, context):  # a channel is always refused today
        await refuse(message, context)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [MessageHandler(filters.UpdateType.CHANNEL_POST, on_channel_post)]
