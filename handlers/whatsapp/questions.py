"""What is a question to the bot in WhatsApp.

Through a gateway the bot sees every message of its groups (there is no privacy mode). In a group
only three kinds are questions: a slash command, a message that mentions the bot's number, and a
reply to one of the bot's messages. The agents' own conversation is left alone: not answered, not
recorded as an unanswered question. In a private chat every text is a question.

The bot knows its number from Evolution (``ownerJid`` of ``/instance/fetchInstances``). Groups
with LID addressing mention it by its LID instead: that one is learned from the groups'
participant lists, and from replies to the bot's messages.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from bot.policy.access import whatsapp_keys
from bot.reading.text import question_lines
from handlers.whatsapp.inbound import Incoming

SENT_MEMORY = 5000
"""Ids of the bot's own last messages kept, to know a reply to one of them."""


class Identity:
    """The bot's own JIDs (its number, its LID)."""

    def __init__(self, *jids: str) -> None:
        self._keys: set[str] = set()
        self.jids: list[str] = []
        for jid in jids:
            self.add(jid)

    def add(self, jid: str) -> None:
        keys = whatsapp_keys(jid)
        if keys and not keys <= self._keys:
            self._keys |= keys
            self.jids.append(jid)

    def is_me(self, jid: str) -> bool:
        return bool(whatsapp_keys(jid) & self._keys)

    @property
    def known(self) -> bool:
        return bool(self._keys)

    def user_parts(self) -> set[str]:
        """How a mention of the bot is written in a text: ``@`` + one of these."""
        return {jid.split("@", 1)[0].split(":", 1)[0] for jid in self.jids}


class SentIds:
    """Ids of the messages the bot sent lately (bounded; forgotten at a restart, when a reply
    is still recognised by its quoted author)."""

    def __init__(self, size: int = SENT_MEMORY) -> None:
        self._size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, message_id: str) -> None:
        self._ids[message_id] = None
        self._ids.move_to_end(message_id)
        while len(self._ids) > self._size:
            self._ids.popitem(last=False)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)


def replies_to_bot(message: Incoming, me: Identity, sent: SentIds) -> bool:
    if not message.quoted_id:
        return False
    if message.quoted_id in sent:
        return True
    return bool(message.quoted_participant) and me.is_me(message.quoted_participant)


def _mention_pattern(me: Identity) -> re.Pattern[str] | None:
    parts = sorted(me.user_parts(), key=len, reverse=True)
    if not parts:
        return None
    return re.compile(r"@(?:" + "|".join(re.escape(p) for p in parts) + r")\b")


def mentions_bot(message: Incoming, me: Identity) -> bool:
    if any(me.is_me(jid) for jid in message.mentions):
        return True
    pattern = _mention_pattern(me)
    return pattern is not None and pattern.search(message.text) is not None


def question_in(message: Incoming, me: Identity, sent: SentIds) -> str | None:
    """The question ``message`` asks the bot (the mention of the bot taken out), or ``None``
    when it is not addressed to the bot."""
    text = message.text.strip()
    if not text or message.from_me:
        return None
    addressed = mentions_bot(message, me) or replies_to_bot(message, me, sent)
    if message.in_group and not text.startswith("/") and not addressed:
        return None
    pattern = _mention_pattern(me)
    if pattern is not None:
        text = pattern.sub(" ", text)
    return question_lines(text)  # line breaks kept, as the Telegram door keeps them
