"""PTB's update processor with per-chat turns (:class:`bot.app.ordering.ChatTurns`): updates of
different chats run concurrently, those of one chat one after the other, in arrival order.

A chat's turn is taken before a concurrency slot, so a flood in one chat (a stranger sending 600
messages) waits in its own queue without holding the slots every other chat needs. (PTB's own
semaphore is taken first and cannot be moved: it is set high, and the real bound is ours.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.app.ordering import ChatTurns

MAX_CONCURRENT_UPDATES = 256
"""Updates handled at once (PTB's default with ``concurrent_updates(True)``)."""
WAITING = 1 << 20
"""Updates let past PTB's semaphore (handled or waiting for their chat's turn)."""


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(WAITING)
        self.turns = ChatTurns()
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        async with self.turns.turn(chat.id if chat is not None else None), self._slots:
            await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
