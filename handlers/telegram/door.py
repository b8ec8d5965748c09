"""Telegram as a door for what the bot posts on its own (:class:`bot.app.doors.Door`).

Targets, from the settings: the notices (and the KB changelog) to ``NOTICE_CHAT_ID``, a shift
notice in the ISP's forum topic when ``NOTICE_THREADS`` names one (a deleted topic: in the chat);
without a notice chat the changelog goes to every allowed group and there are no shift notices.
Alerts and the weekly post go to ``SUPERVISOR_CHAT_ID``, else to each of ``SUPERVISOR_IDS`` in
private.

A notice chat that became a supergroup (Telegram answers ``migrate_to_chat_id``) is followed: the
post goes to the new id at once, later posts too, and the supervisors are told to update
``NOTICE_CHAT_ID``. The move is kept in ``migrations.json`` beside ``NOTICE_STATE_FILE`` (atomic,
with a backup copy: ``bot.posting.statefile``), so a restart before the setting is updated still
posts to the supergroup; a torn or foreign file is ignored (the setting as written).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.answers import messages as msg
from bot.answers.render import to_html_parts
from bot.answers.reply import Reply, ReplyKind, text
from bot.app.doors import Audience, DeliveryError, Posted
from bot.app.settings import Settings
from bot.posting.statefile import load_state, save_state
from handlers.telegram.state import BotApplication

log = logging.getLogger(__name__)

NAME = "telegram"
SEND_READ_TIMEOUT = 60.0
"""Seconds a post waits for Telegram's answer (answers to agents: PTB's 5 s). A send given up
while Telegram is merely slow may still be posted; trying it again would post it twice. So a post
waits long for the answer, up to the next try (``tests/test_faults.py``)."""


MIGRATIONS_FILE = "migrations.json"
"""Beside NOTICE_STATE_FILE: ``{"<old chat id>": <new chat id>}``, the migrations followed."""
MAX_HOPS = 8
"""A group migrates once; a longer chain (or a loop) in the file is not believed further."""


def migrations_path(settings: Settings) -> Path:
    return settings.notice_state_file.with_name(MIGRATIONS_FILE)


def _valid_moves(data: Mapping[str, Any]) -> dict[int, int]:
    moves: dict[int, int] = {}
    for old, new in data.items():
        try:
            moves[int(old)] = int(new)
        except (TypeError, ValueError):
            continue
    return moves


def followed_chat(chat: int | None, moves: Mapping[int, int]) -> int | None:
    """Where ``chat`` is now, after the migrations followed so far."""
    for _ in range(MAX_HOPS):
        if chat is None or chat not in moves or moves[chat] == chat:
            break
        chat = moves[chat]
    return chat


def _why(exc: TelegramError) -> str:
    return f"{exc.__class__.__name__}: {exc.message}"


class TelegramDoor:
    def __init__(self, application: BotApplication, settings: Settings) -> None:
        self.application = application
        self.settings = settings
        self.migrations = migrations_path(settings)
        self.moves = _valid_moves(load_state(self.migrations).data)
        self.notice_chat: int | None = followed_chat(settings.notice_chat_id, self.moves)
        if self.notice_chat != settings.notice_chat_id:
            log.warning(
                "NOTICE_CHAT_ID %s became %s (%s): notices follow it",
                settings.notice_chat_id,
                self.notice_chat,
                self.migrations,
            )
        self.threads = dict(settings.notice_threads)

    @property
    def name(self) -> str:
        return NAME

    def has_chat_for(self, audience: Audience) -> bool:
        """Whether this door has a chat of its own for ``audience`` (shift notices need one)."""
        if audience is Audience.NOTICES:
            return self.notice_chat is not None
        return bool(self.settings.supervisor_chat_id is not None or self.settings.supervisor_ids)

    def chats_for(self, audience: Audience) -> list[int]:
        if audience is Audience.NOTICES:
            if self.notice_chat is not None:
                return [self.notice_chat]
            return list(self.settings.allowed_chat_ids)
        if self.settings.supervisor_chat_id is not None:
            return [self.settings.supervisor_chat_id]
        return list(self.settings.supervisor_ids)

    async def post(
        self, audience: Audience, reply: Reply, *, provider: str | None = None
    ) -> Sequence[Posted]:
        posted: list[Posted] = []
        failures: list[TelegramError] = []
        for chat_id in self.chats_for(audience):
            thread = (
                self.threads.get(provider) if provider and chat_id == self.notice_chat else None
            )
            try:
                posted += await self._post_in(chat_id, thread, reply)
            except ChatMigrated as exc:
                posted += await self._follow(chat_id, exc.new_chat_id, thread, reply)
            except TelegramError as exc:
                # A supervisor who never opened the bot's private chat cannot be messaged.
                log.warning("could not post to %s: %s", chat_id, _why(exc))
                failures.append(exc)
        if failures and not posted:
            raise DeliveryError(_why(failures[0]))
        return posted

    async def _post_in(self, chat_id: int, thread: int | None, reply: Reply) -> list[Posted]:
        bot = self.application.bot
        posted: list[Posted] = []
        for part in to_html_parts(reply):
            try:
                message = await bot.send_message(
                    chat_id, part, message_thread_id=thread, read_timeout=SEND_READ_TIMEOUT
                )
            except BadRequest as exc:
                if thread is None or "thread" not in str(exc).lower():
                    raise
                # The ISP's forum topic is gone: the notice still matters, post it in the chat.
                log.warning("topic %s refused (%s): posting in the chat", thread, exc.message)
                thread = None
                message = await bot.send_message(chat_id, part, read_timeout=SEND_READ_TIMEOUT)
            posted.append(Posted(NAME, str(chat_id), str(message.message_id)))
        return posted

    async def _follow(self, old: int, new: int, thread: int | None, reply: Reply) -> list[Posted]:
        """``old`` became the supergroup ``new``: post there, and follow it (:meth:`follow`)."""
        log.warning("chat %s migrated to %s: posting there", old, new)
        try:
            posted = await self._post_in(new, thread, reply)
        except TelegramError as exc:
            raise DeliveryError(_why(exc)) from None
        await self.follow(old, new)
        return posted

    async def follow(self, old: int, new: int) -> None:
        """The notice chat ``old`` is now ``new`` (Telegram said so, in an answer or in an
        update): post there from now on and tell the supervisors to update the setting."""
        if old != self.notice_chat or old == new:
            return
        self.notice_chat = new
        log.warning("NOTICE_CHAT_ID %s became %s: notices follow it", old, new)
        self.moves[old] = new
        moves = {str(k): v for k, v in self.moves.items()}
        try:
            await asyncio.to_thread(save_state, self.migrations, moves)
        except OSError as exc:
            log.warning("migration of %s not kept in %s: %s", old, self.migrations, exc)
        words = msg.NOTICE_CHAT_MIGRATED.format(old=old, new=new)
        try:
            await self.post(Audience.SUPERVISORS, Reply(ReplyKind.ANSWER, (text(words),)))
        except DeliveryError as exc:
            log.warning("supervisors not told of the migration of %s: %s", old, exc)

    async def delete(self, posted: Posted) -> bool:
        try:
            return bool(
                await self.application.bot.delete_message(
                    _chat_id(posted.chat), int(posted.message_id)
                )
            )
        except (BadRequest, Forbidden) as exc:
            # Already deleted by someone, too old (48 h), no rights, chat gone: nothing to do.
            log.info(
                "could not delete message %s in %s: %s", posted.message_id, posted.chat, exc.message
            )
            return False
        except TelegramError as exc:
            raise DeliveryError(_why(exc)) from None


def _chat_id(chat: str) -> int | str:
    """Chat ids are kept as strings (``Posted``); Telegram's are integers, or ``@channel``."""
    try:
        return int(chat)
    except ValueError:
        return chat
