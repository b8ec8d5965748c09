"""Choices in WhatsApp: buttons do not work in groups through a gateway, so the bot sends them as
a numbered list (``bot.answers.render.whatsapp``) and the agent answers with the number, either
replying to that message, or just typing it: the same agent, in the same chat, within
:data:`CHOICE_MINUTES` minutes.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from dataclasses import dataclass

from bot.answers.reply import Button
from handlers.whatsapp.inbound import Incoming

CHOICE_MINUTES = 5
MEMORY = 1000
"""Numbered lists remembered (by message, and by agent), the oldest forgotten first."""
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


@dataclass(frozen=True)
class Pick:
    """An answer with a number: the chosen button, or ``None`` when out of range."""

    number: int
    button: Button | None
    count: int


@dataclass(frozen=True)
class _Offer:
    buttons: tuple[Button, ...]
    at: float


class Choices:
    def __init__(self, ttl: float = CHOICE_MINUTES * 60, size: int = MEMORY) -> None:
        self._ttl = ttl
        self._size = size
        self._by_message: OrderedDict[tuple[str, str], _Offer] = OrderedDict()
        self._by_agent: OrderedDict[tuple[str, str], _Offer] = OrderedDict()

    def offer(self, chat: str, agent: str, message_id: str, buttons: tuple[Button, ...]) -> None:
        """The bot sent ``buttons`` as a numbered list in ``message_id``, answering ``agent``."""
        offer = _Offer(buttons, time.monotonic())
        for memory, key in (
            (self._by_message, (chat, message_id)),
            (self._by_agent, (chat, agent)),
        ):
            memory[key] = offer
            memory.move_to_end(key)
            while len(memory) > self._size:
                memory.popitem(last=False)

    def pick(self, message: Incoming, text: str) -> Pick | None:
        """``text`` (the message without the bot's mention) as a choice, when it is a number
        answering a list; ``None`` otherwise."""
        found = _NUMBER.match(text)
        if found is None:
            return None
        offer = (
            self._by_message.get((message.chat, message.quoted_id)) if message.quoted_id else None
        )
        if offer is None:
            agent_key = (message.chat, message.sender)
            recent = self._by_agent.get(agent_key)
            if recent is None or time.monotonic() - recent.at > self._ttl:
                return None
            offer = recent
        number = int(found[1])
        count = len(offer.buttons)
        if not 1 <= number <= count:
            return Pick(number, None, count)
        self._by_agent.pop((message.chat, message.sender), None)
        return Pick(number, offer.buttons[number - 1], count)
