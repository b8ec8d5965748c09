"""Inline keyboards for :attr:`Reply.buttons`, and the callback data that carries a button's ask.

Choosing a button means "answer ``button.ask`` as if typed", so the ask itself travels in the
callback data when it fits Telegram's 64 bytes (stateless: it survives a restart). A longer ask is
kept in a bounded in-memory table under a short key. A forged callback gains nothing: the ask is
answered with the same access check as a typed message.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answers.reply import Reply

CALLBACK_DATA_LIMIT = 64
"""Telegram's limit on callback data, in bytes."""
MAX_BUTTONS = 100
"""Telegram's limit on buttons in one inline keyboard."""
COLUMNS = 2

ASK_PREFIX = "?"
KEY_PREFIX = "#"


class AskStore:
    """Asks too long for callback data, by short key; the oldest are forgotten first."""

    def __init__(self, size: int = 2048) -> None:
        self._size = size
        self._asks: OrderedDict[str, str] = OrderedDict()

    def put(self, ask: str) -> str:
        key = hashlib.sha256(ask.encode()).hexdigest()[:20]
        self._asks[key] = ask
        self._asks.move_to_end(key)
        while len(self._asks) > self._size:
            self._asks.popitem(last=False)
        return key

    def get(self, key: str) -> str | None:
        return self._asks.get(key)

    def __len__(self) -> int:
        return len(self._asks)


def encode_ask(ask: str, store: AskStore) -> str:
    data = ASK_PREFIX + ask
    if len(data.encode()) <= CALLBACK_DATA_LIMIT:
        return data
    return KEY_PREFIX + store.put(ask)


def decode_ask(data: str, store: AskStore) -> str | None:
    """The ask a button carries, or ``None`` when it is unknown (forgotten, or not ours)."""
    if data.startswith(ASK_PREFIX):
        return data[len(ASK_PREFIX) :]
    if data.startswith(KEY_PREFIX):
        return store.get(data[len(KEY_PREFIX) :])
    return None


def keyboard_for(reply: Reply, store: AskStore) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    buttons = [
        InlineKeyboardButton(b.label, callback_data=encode_ask(b.ask, store))
        for b in reply.buttons[:MAX_BUTTONS]
    ]
    rows = [buttons[i : i + COLUMNS] for i in range(0, len(buttons), COLUMNS)]
    return InlineKeyboardMarkup(rows)
