"""Who may ask the bot: pure rules over ids and settings, no ``telegram`` import.

* In an allowed group (``ALLOWED_CHAT_IDS``) everyone there may ask.
* In a private chat, or in inline mode: supervisors, listed agents, and members of an allowed group
  (the membership answer comes from the Telegram layer, which asks ``getChatMember``; the answer is
  cached here for a few minutes).
* Anywhere else: one short refusal that shows the chat id, so a supervisor can allow it, and
  nothing of the knowledge base.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.app.settings import Settings

PRIVATE = "private"
GROUP_TYPES = frozenset({"group", "supergroup"})
MEMBER_STATUSES = frozenset({"creator", "administrator", "member"})
"""``getChatMember`` statuses of a group member (``restricted`` counts only with is_member)."""

MEMBER_TTL = 300.0
"""Seconds a "yes, member of an allowed group" answer is trusted."""
NON_MEMBER_TTL = 60.0
"""Seconds a "no" is trusted: short, so someone just added to the group gets in quickly."""


class Verdict(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    CHECK_MEMBERSHIP = "check_membership"
    """Allowed only if the user is in one of the allowed groups: ask Telegram."""


def user_verdict(user_id: int | None, settings: Settings) -> Verdict:
    """A person asking outside a group (private chat, inline mode)."""
    if user_id is None:
        return Verdict.DENY
    if user_id in settings.supervisor_ids or user_id in settings.agent_ids:
        return Verdict.ALLOW
    if settings.allowed_chat_ids:
        return Verdict.CHECK_MEMBERSHIP
    return Verdict.DENY


def chat_verdict(chat_type: str, chat_id: int, user_id: int | None, settings: Settings) -> Verdict:
    """A message (or a button press) in a chat of ``chat_type`` by ``user_id``."""
    if chat_type in GROUP_TYPES:
        return Verdict.ALLOW if chat_id in settings.allowed_chat_ids else Verdict.DENY
    if chat_type == PRIVATE:
        return user_verdict(user_id, settings)
    return Verdict.DENY  # channels, and anything Telegram adds later


def is_allowed(
    chat_type: str,
    chat_id: int,
    user_id: int | None,
    settings: Settings,
    member_of_allowed_group: bool = False,
) -> bool:
    """The whole rule, once the membership answer (if needed) is known."""
    verdict = chat_verdict(chat_type, chat_id, user_id, settings)
    return verdict is Verdict.ALLOW or (
        verdict is Verdict.CHECK_MEMBERSHIP and member_of_allowed_group
    )


def is_member_status(status: str, is_member: bool | None = None) -> bool:
    """Read one ``getChatMember`` answer: is this user in the group?"""
    return status in MEMBER_STATUSES or (status == "restricted" and bool(is_member))


@dataclass
class MembershipCache:
    """user id -> (member of an allowed group?, when it was asked). Times are monotonic seconds."""

    member_ttl: float = MEMBER_TTL
    non_member_ttl: float = NON_MEMBER_TTL
    _entries: dict[int, tuple[bool, float]] = field(default_factory=dict)

    def get(self, user_id: int, now: float) -> bool | None:
        """The cached answer, or ``None`` when unknown or too old."""
        entry = self._entries.get(user_id)
        if entry is None:
            return None
        member, asked_at = entry
        ttl = self.member_ttl if member else self.non_member_ttl
        if now - asked_at >= ttl:
            del self._entries[user_id]
            return None
        return member

    def put(self, user_id: int, member: bool, now: float) -> None:
        self._entries[user_id] = (member, now)

    def clear(self) -> None:
        self._entries.clear()


class Merged:
    """Look-ups asked at the same time for the same key share one call: 30 messages from one
    stranger arriving together ask the chat network once, not 30 times. Only calls in flight are
    shared; what to keep afterwards is the caller's cache."""

    def __init__(self) -> None:
        self._flying: dict[Hashable, asyncio.Task[bool]] = {}

    async def run(self, key: Hashable, call: Callable[[], Awaitable[bool]]) -> bool:
        """The shared call runs in its own task: any caller cancelled (the first one too) leaves
        it running for the others."""
        flying = self._flying.get(key)
        if flying is None:
            flying = asyncio.ensure_future(call())
            self._flying[key] = flying
            flying.add_done_callback(lambda done: self._done(key, done))
        return await asyncio.shield(flying)

    def _done(self, key: Hashable, task: asyncio.Task[bool]) -> None:
        if self._flying.get(key) is task:
            del self._flying[key]
        if not task.cancelled():
            task.exception()  # retrieved: no "never retrieved" warning when every waiter left

    def __len__(self) -> int:
        return len(self._flying)


# --------------------------------------------------------------------------- refusals

REFUSAL_GROUP = (
    "⛔ Este grupo não está liberado para o bot da UPCALL.\n"
    "ID do chat: <code>{chat_id}</code>\n"
    "Envie este ID a um supervisor para liberar o grupo."
)
REFUSAL_PRIVATE = (
    "⛔ Você não tem acesso a este bot.\n"
    "ID do chat: <code>{chat_id}</code>\n"
    "Envie este ID a um supervisor para liberar seu acesso."
)
REFUSAL_ALERT = "Sem acesso a este bot. ID do chat: {chat_id}. Peça a um supervisor para liberar."
"""For a button press: shown in a pop-up, plain text (no HTML there)."""


def refusal_html(chat_type: str, chat_id: int) -> str:
    """The one short refusal (Telegram HTML): the chat id, and nothing of the knowledge base."""
    template = REFUSAL_PRIVATE if chat_type == PRIVATE else REFUSAL_GROUP
    return template.format(chat_id=int(chat_id))


def refusal_alert(chat_id: int) -> str:
    return REFUSAL_ALERT.format(chat_id=int(chat_id))


REFUSAL_QUIET = 600.0
"""Seconds after a refusal in which that chat is not refused again: one message tells the
stranger the chat id; a flood of messages from strangers then costs nothing of the bot's send
budget, which the agents' answers share."""
REFUSALS_KEPT = 10_000
"""Chats remembered at most; the oldest forgotten first (a flood of distinct strangers)."""


@dataclass
class RefusalLimiter:
    """Whether to refuse a chat now or stay quiet: one refusal per chat (a private chat is its
    user) per :data:`REFUSAL_QUIET` seconds. Times are monotonic seconds."""

    quiet: float = REFUSAL_QUIET
    kept: int = REFUSALS_KEPT
    _last: dict[int | str, float] = field(default_factory=dict)

    def should_refuse(self, chat_id: int | str, now: float) -> bool:
        last = self._last.get(chat_id)
        if last is not None and now - last < self.quiet:
            return False
        self._last.pop(chat_id, None)
        self._last[chat_id] = now  # newest last: the dict's order is the age
        while len(self._last) > self.kept:
            del self._last[next(iter(self._last))]
        return True


# --------------------------------------------------------------------------- WhatsApp

GROUP_SUFFIX = "@g.us"
LID_SUFFIX = "@lid"


@functools.lru_cache(maxsize=4096)
def whatsapp_keys(jid: str) -> frozenset[str]:
    """What identifies a WhatsApp person, comparable with :func:`whatsapp_keys` of a setting.

    ``5511999990000@s.whatsapp.net`` (a device suffix ``:7`` ignored), ``+55 (11) 99999-0000``
    -> the digits, and for a Brazilian mobile also the form without (or with) the 9th digit,
    which WhatsApp registers either way; ``123@lid`` -> ``lid:123``."""
    user, _, server = jid.strip().partition("@")
    user = user.split(":", 1)[0]
    if server == "lid":
        return frozenset({f"lid:{user}"}) if user.isdigit() else frozenset()
    digits = "".join(c for c in user if c.isdigit())
    if not digits or server not in ("", "s.whatsapp.net", "c.us"):
        return frozenset()
    keys = {digits}
    if digits.startswith("55") and len(digits) == 13 and digits[4] == "9":
        keys.add(digits[:4] + digits[5:])
    elif digits.startswith("55") and len(digits) == 12 and digits[4] in "6789":
        keys.add(f"{digits[:4]}9{digits[4:]}")
    return frozenset(keys)


def is_whatsapp_supervisor(person: frozenset[str], settings: Settings) -> bool:
    """``person``: the :func:`whatsapp_keys` of every JID known for the sender."""
    return any(person & whatsapp_keys(entry) for entry in settings.whatsapp_supervisors)


def whatsapp_may_ask(chat: str, person: frozenset[str], settings: Settings) -> bool:
    """An allowed group: everyone there. A private chat: supervisors only."""
    if chat.endswith(GROUP_SUFFIX):
        return chat in settings.whatsapp_group_ids
    return is_whatsapp_supervisor(person, settings)


def refusal_words(private: bool) -> tuple[str, str]:
    """The refusal of a door without HTML: (the line before the chat id, the line after)."""
    if private:
        return (
            "⛔ Você não tem acesso a este bot. ID:",
            "Envie este ID a um supervisor para liberar seu acesso.",
        )
    return (
        "⛔ Este grupo não está liberado para o bot da UPCALL. ID do grupo:",
        "Envie este ID a um supervisor para liberar o grupo.",
    )
