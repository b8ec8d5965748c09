"""The contract every door fulfils, for what the bot posts on its own.

Shift-change notices, the KB changelog, broken-KB alerts and their fix, the weekly gaps post and
the delayed deletion of credential answers are written once, as a core
:class:`~bot.answers.reply.Reply`, and handed to every configured door (Telegram, WhatsApp)
through this small interface. Each door renders the reply in its own format and knows its own
targets (the notice group, the supervisors) from the settings.

A door also runs: :class:`Channel` is what ``upcall-bot run`` starts and stops, one per
configured network, around one KB and one scheduler. ``handlers.runner`` finds a channel through
``handlers.<network>.build_channel(settings, holder, *, posting) -> Channel`` (``posting``: the
process's :class:`bot.posting.service.Posting`, for the gap store and delayed deletions) and adds
its ``door`` to the posting. The core's side is :mod:`bot.posting` (see docs/posting.md).

Optional: a door may define ``has_chat_for(audience) -> bool``. Shift-change notices go only
through doors that have a chat of their own for :attr:`Audience.NOTICES` (Telegram without
``NOTICE_CHAT_ID`` still posts the changelog to its groups, but no shift notices); a door without
the method is taken to have one.

Nothing here imports a chat library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.answers.reply import Reply


class Audience(StrEnum):
    """Who a post is for; each door maps it to its own chats."""

    NOTICES = "notices"
    """The notice group: shift changes and the KB changelog."""
    SUPERVISORS = "supervisors"
    """The supervisors: broken-KB alerts and the fix, the weekly gaps post."""


@dataclass(frozen=True)
class Posted:
    """A message a door posted, with what it takes to delete it later, even after a restart.

    Plain strings only, so that it can be kept in a JSON state file."""

    door: str
    chat: str
    message_id: str
    participant: str = ""
    """WhatsApp needs the sender of a group message to delete it; empty elsewhere."""


class DeliveryError(Exception):
    """The door could not deliver now (network down, 5xx, timeout, flood control): try again.

    The message carries no secret (no token, URL with a token, API key or KB password)."""


class Door(Protocol):
    """One chat network, seen from the core."""

    @property
    def name(self) -> str:
        """``telegram`` or ``whatsapp``: the key of this door in state files and logs."""
        ...

    async def post(
        self, audience: Audience, reply: Reply, *, provider: str | None = None
    ) -> Sequence[Posted]:
        """Deliver ``reply`` to ``audience``; ``provider`` (an ISP id) picks a per-ISP thread
        where the door has one (Telegram forum topics, ``NOTICE_THREADS``).

        Returns what was posted (empty when the door has no chat for that audience). Raises
        :class:`DeliveryError` when it may work later; never raises anything else."""
        ...

    async def delete(self, posted: Posted) -> bool:
        """Delete a message this door posted; ``False`` when it is gone or cannot be deleted
        (nothing to retry), :class:`DeliveryError` when it may work later."""
        ...


class Channel(Protocol):
    """A door as a running service: started and stopped by ``upcall-bot run``."""

    @property
    def door(self) -> Door: ...

    async def start(self) -> None:
        """Begin receiving questions. Raises ``SystemExit`` with one pt-BR line when it cannot
        (rejected token, port in use, gateway unreachable)."""
        ...

    async def stop(self) -> None:
        """Stop receiving; finish what is queued; close sessions.

        A channel may also have ``stopping(seconds: float) -> None``, called first when the
        process stops: its network calls must end within ``seconds`` from then."""
        ...
