"""The WhatsApp door, through a self-hosted Evolution API v2 (docs/whatsapp.md).

Where a message enters: :mod:`.webhook` (signed ``messages.upsert`` webhooks) -> :mod:`.inbound`
(the payload read) -> :mod:`.conversation` (is it a question? may this chat ask? the core's
answer, the credential policy) -> :mod:`.door` (WhatsApp markup, the ``/escala`` picture) ->
:mod:`.outbox` (paced, retried) -> :mod:`.evolution` (the REST calls). :mod:`.channel` runs it all;
:mod:`.cli` is ``upcall-bot whatsapp connect|groups``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app.settings import Settings
    from bot.knowledge.kb import KBHolder
    from handlers.whatsapp.channel import WhatsAppChannel
    from handlers.whatsapp.conversation import LaterDeletions
    from handlers.whatsapp.evolution import EvolutionClient


def build_channel(
    settings: Settings,
    holder: KBHolder,
    *,
    posting: LaterDeletions | None = None,
    client: EvolutionClient | None = None,
) -> WhatsAppChannel:
    """The WhatsApp :class:`~bot.app.doors.Channel` of ``upcall-bot run``. ``posting`` (the
    runner's ``bot.posting`` service) deletes credential answers later, across restarts; without
    it, a timer of this process does. Its reloader, when it has one, answers ``/recarregar``:
    a reload asked in WhatsApp posts the changelog on every door, as one asked in Telegram."""
    from handlers.whatsapp.channel import WhatsAppChannel

    reloader = getattr(posting, "reloader", None)
    return WhatsAppChannel(settings, holder, client, posting, reloader)
