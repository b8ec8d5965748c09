"""The WhatsApp door as a running service (:class:`~bot.app.doors.Channel`): the webhook server,
the outbox, and who the bot is.

At start the bot asks Evolution which number it is (``ownerJid``) and, from its groups'
participant lists, which LID (groups with LID addressing mention it by that). A wrong key or an
unknown instance stops the start with one pt-BR line; an unreachable Evolution does not (it may be
starting too, in the same ``docker compose up``): the bot asks again in the background.
"""

from __future__ import annotations

import asyncio
import logging

from bot.app import health
from bot.app.settings import Settings, whatsapp_problems
from bot.knowledge.kb import KBHolder
from bot.knowledge.reload import Reloader
from handlers.whatsapp.conversation import Conversation, LaterDeletions
from handlers.whatsapp.door import WhatsAppDoor
from handlers.whatsapp.evolution import (
    DOOR,
    EvolutionClient,
    GatewayDown,
    GatewayRejected,
    GatewayUnsure,
)
from handlers.whatsapp.outbox import Outbox
from handlers.whatsapp.questions import Identity
from handlers.whatsapp.webhook import WebhookServer

log = logging.getLogger(__name__)


IDENTITY_RETRY = (1.0, 60.0)
"""First and longest wait between two attempts to learn the bot's number while Evolution is
unreachable."""


class WhatsAppChannel:
    def __init__(
        self,
        settings: Settings,
        holder: KBHolder,
        client: EvolutionClient | None = None,
        deletions: LaterDeletions | None = None,
        reloader: Reloader | None = None,
    ) -> None:
        check_settings(settings)
        self.settings = settings
        self.client = client or EvolutionClient(
            settings.whatsapp_api_url, settings.whatsapp_api_key, settings.whatsapp_instance
        )
        self.me = Identity()
        self._door = WhatsAppDoor(
            settings, self.client, Outbox(settings.whatsapp_send_interval_seconds)
        )
        self.conversation = Conversation(settings, holder, self._door, self.me, deletions, reloader)
        self.server = WebhookServer(
            host=settings.whatsapp_webhook_host,
            port=settings.whatsapp_webhook_port,
            path=settings.whatsapp_webhook_path,
            secret=settings.whatsapp_webhook_secret,
            instance=settings.whatsapp_instance,
            handler=self.conversation.handle,
        )
        self._learning: asyncio.Task[None] | None = None

    @property
    def door(self) -> WhatsAppDoor:
        return self._door

    async def start(self) -> None:
        health.HEALTH.expect(DOOR)  # unhealthy until Evolution answers
        try:
            try:
                learned = await self._learn_identity()
            except GatewayRejected as exc:
                raise SystemExit(rejected_line(exc)) from exc
            await self.server.start()
        except BaseException:
            await self.client.close()
            raise
        if not learned:
            self._learning = asyncio.create_task(self._keep_learning(), name="whatsapp-identity")
        log.info("WhatsApp channel started (instance %s)", self.settings.whatsapp_instance)

    def stopping(self, seconds: float) -> None:
        """The process is stopping: every Evolution call ends within ``seconds`` from now and
        nothing is tried again (:meth:`EvolutionClient.stop_by`, :meth:`Outbox.stopping`), so
        that an unreachable Evolution cannot hold the stop past ``docker stop``'s 10 s."""
        self.client.stop_by(seconds)
        self._door.outbox.stopping()

    async def stop(self) -> None:
        if self._learning is not None:
            self._learning.cancel()
            await asyncio.gather(self._learning, return_exceptions=True)
        await self.server.stop()
        await self.conversation.stop()
        await self.client.close()

    async def _learn_identity(self) -> bool:
        """Ask Evolution who the bot is; ``False`` when it cannot be reached now."""
        try:
            owner = await self.client.owner_jid()
        except (GatewayDown, GatewayUnsure) as exc:
            log.warning("Evolution unreachable (%s): will ask again who the bot is", exc)
            return False
        if not owner:
            log.warning("the Evolution instance is not linked to a number yet (read its QR code)")
            return False
        self.me.add(owner)
        try:
            groups = await self.client.groups(participants=True)
        except (GatewayDown, GatewayUnsure, GatewayRejected) as exc:
            log.warning("could not list the groups to learn the bot's LID (%s)", exc)
            groups = []
        for group in groups:
            for person in group.get("participants") or []:
                if not isinstance(person, dict):
                    continue
                jids = [str(person.get(k) or "") for k in ("id", "phoneNumber", "lid", "jid")]
                if any(self.me.is_me(j) for j in jids if j):
                    for jid in jids:
                        if jid:
                            self.me.add(jid)
        log.info("WhatsApp: the bot is %s", ", ".join(self.me.jids))
        return True

    async def _keep_learning(self) -> None:
        wait, longest = IDENTITY_RETRY
        while True:
            await asyncio.sleep(wait)
            try:
                if await self._learn_identity():
                    return
            except GatewayRejected as exc:
                log.error("%s", rejected_line(exc))
                return
            wait = min(wait * 2, longest)


def check_settings(settings: Settings) -> None:
    problems = whatsapp_problems(settings)
    if problems:
        raise SystemExit(problems[0])


def rejected_line(exc: GatewayRejected) -> str:
    if exc.status in (401, 403):
        return "WhatsApp: a Evolution API recusou a chave (WHATSAPP_API_KEY)."
    if exc.status == 404:
        return "WhatsApp: instância não encontrada na Evolution API (WHATSAPP_INSTANCE)."
    return f"WhatsApp: a Evolution API recusou o pedido ({exc})."
