"""Slash commands: every topic command of the catalogue, the meta commands, and the menus.

A photo captioned with a command is answered as the command (as on WhatsApp); an edited
command is not answered again.

``/senha@UpcallBot lasernet W5-1200G`` goes to the core as typed; the core strips the suffix and
reads the arguments. Commands are registered from the catalogue loaded at start; a command added by
a later reload still reaches the core through the fallback handler (unknown commands included, so
the core can say "did you mean /dns?").
"""

from __future__ import annotations

import logging
import re

from telegram import BotCommand, Message, MessageEntity, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.answers.core import META_COMMANDS
from bot.knowledge.kb import KB
from handlers.telegram import gaps
from handlers.telegram.access import may_ask_here, refuse
from handlers.telegram.send import answer_for, previous_answer, send_reply
from handlers.telegram.state import Context
from handlers.telegram.text import CAPTION_COMMAND, said

log = logging.getLogger(__name__)

MAX_MENU_COMMANDS = 100
"""Telegram's limit on commands in one menu (per scope and language)."""
DESCRIPTION_MIN, DESCRIPTION_MAX = 3, 256
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")

META_MENU = (
    BotCommand("provedor", "ficha completa de um provedor"),
    BotCommand("provedores", "lista de provedores atendidos"),
    BotCommand("buscar", "procura a resposta a partir de uma pergunta, também nos textos"),
    BotCommand("agora", "quem a UPCALL cobre agora e quais setores estão abertos"),
    BotCommand("escala", "cobertura de um dia ou da semana, em imagem"),
    BotCommand("ajuda", "como usar o bot e lista de assuntos"),
)


def is_command_name(name: str) -> bool:
    """What Telegram accepts as a bot command (and PTB's CommandHandler)."""
    return bool(_COMMAND_RE.match(name))


def command_names(kb: KB) -> list[str]:
    """Every command the core answers: all topic commands (aliases included) and the meta ones."""
    names = [*kb.command_topics, *META_COMMANDS]
    return [name for name in dict.fromkeys(names) if is_command_name(name)]


def _description(text: str, fallback: str) -> str:
    text = " ".join(text.split()) or " ".join(fallback.split())
    if len(text) < DESCRIPTION_MIN:
        text = f"{text}{'.' * (DESCRIPTION_MIN - len(text))}"
    if len(text) > DESCRIPTION_MAX:
        text = text[: DESCRIPTION_MAX - 1].rstrip() + "…"
    return text


def menu_commands(kb: KB) -> list[BotCommand]:
    """The command menu: each topic's canonical command, then the meta ones; at most 100."""
    topics = [
        BotCommand(t.commands[0], _description(t.description, t.title))
        for t in kb.catalogue.topics
        if is_command_name(t.commands[0])
    ]
    room = MAX_MENU_COMMANDS - len(META_MENU)
    if len(topics) > room:
        log.warning("menu: %d topics, only the first %d fit Telegram's limit", len(topics), room)
    return [*topics[:room], *META_MENU]


def addressed_elsewhere(message: Message, bot_username: str) -> bool:
    """``/cmd@OtherBot``: a command for another bot in the same group."""
    kinds: list[str | None] = [MessageEntity.BOT_COMMAND]
    entities = (
        message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    )
    for entity, text in entities.items():
        if entity.offset == 0:
            _, _, target = text.partition("@")
            return bool(target) and target.casefold() != bot_username.casefold()
    return False


async def on_command(update: Update, context: Context) -> None:
    message = update.effective_message
    asked = said(message) if message is not None else ""
    if message is None or not asked:
        return
    if addressed_elsewhere(message, context.bot.username):
        return
    if not await may_ask_here(message, context):
        await refuse(message, context)
        return
    reply = answer_for(asked, context, previous_answer(message, context))
    gaps.record(context, message.chat.id, asked, reply)
    await send_reply(message, reply, context)


def handlers(kb: KB) -> list[BaseHandler[Update, Context, None]]:
    only_new = filters.UpdateType.MESSAGE  # an edited command is not asked again
    return [
        CommandHandler(command_names(kb), on_command, filters=only_new),
        MessageHandler(filters.COMMAND & only_new, on_command),
        MessageHandler(CAPTION_COMMAND & only_new, on_command),  # a photo captioned /dns mutum
    ]
