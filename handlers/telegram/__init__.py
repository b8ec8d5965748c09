"""Telegram handlers, one module per family; each a thin adapter over ``bot.answers.core``.

``register`` is the table of contents: what the bot reacts to, in the order PTB tries them.
"""

from __future__ import annotations

from bot.knowledge.kb import KB
from handlers.telegram import (
    auditoria,
    buttons,
    channels,
    commands,
    errors,
    gaps,
    inline,
    knowledge,
    membership,
    text,
)
from handlers.telegram.state import BotApplication


def register(application: BotApplication, kb: KB) -> None:
    application.add_handlers(
        [
            *knowledge.handlers(),  # /recarregar (supervisors)
            *auditoria.handlers(),  # /auditoria (supervisors)
            *gaps.handlers(),  # /lacunas (supervisors): the questions the KB did not answer
            *commands.handlers(kb),  # /senha lasernet W5-1200G, /ajuda, unknown commands
            *text.handlers(),  # free text: private chat, or mentioning / replying to the bot
            *buttons.handlers(),  # a press on a choice button
            *inline.handlers(),  # @UpcallBot dns mutum
            *membership.handlers(),  # the bot added to a group
            *channels.handlers(),  # a channel post: refused with the channel's id
        ]
    )
    application.add_error_handler(errors.on_error)
