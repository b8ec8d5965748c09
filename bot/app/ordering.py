"""Answers to one chat in the order its questions came, whatever the door.

Questions from different chats are answered concurrently (one slow answer must not hold the
others), but two questions in one chat are answered one after the other: the second answer never
overtakes the first, and the parts of a long answer are not interleaved with the next one. A door
runs the handling of each message inside ``async with chats.turn(chat_id)``; turns are given in
the order they were asked for (asyncio's locks are fair), which is the order the messages arrived.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class ChatTurns:
    """One FIFO turn at a time per key (a chat); nothing kept for a chat with no one waiting."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def turn(self, key: Hashable | None) -> AsyncIterator[None]:
        """Wait for ``key``'s turn (``None``: no chat, no turn to wait for)."""
        if key is None:
            yield
            return
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        """Chats with an answer under way or waiting."""
        return len(self._locks)
