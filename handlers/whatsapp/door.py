"""The WhatsApp door: a core :class:`~bot.answers.reply.Reply` sent as WhatsApp messages, and
the :class:`~bot.app.doors.Door` the bot's own posts go through.

A reply with a timeline (``/escala``) goes first as a picture (``sendMedia``), then as text; the
text is the answer, a picture that cannot be drawn or sent is logged and left out. The text parts
(``bot.answers.render.whatsapp``) follow in order; the first quotes the question in a group.

Audiences: :attr:`~bot.app.doors.Audience.NOTICES` is ``WHATSAPP_NOTICE_GROUP_ID``,
:attr:`~bot.app.doors.Audience.SUPERVISORS` each of ``WHATSAPP_SUPERVISORS`` in private.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from bot.answers.render.whatsapp import to_whatsapp_parts
from bot.answers.reply import Reply
from bot.app.doors import Audience, DeliveryError, Posted
from bot.app.settings import Settings
from bot.coverage.picture import draw_png
from handlers.whatsapp.evolution import (
    EvolutionClient,
    GatewayDown,
    GatewayRejected,
    GatewayUnsure,
    Quote,
    SentMessage,
)
from handlers.whatsapp.outbox import Outbox, Send

log = logging.getLogger(__name__)

NAME = "whatsapp"
POST_RETRY_FOR = 10.0
"""Seconds a post (notice, alert) is retried here before the caller is told to try later."""


class WhatsAppDoor:
    def __init__(
        self,
        settings: Settings,
        client: EvolutionClient,
        outbox: Outbox,
        *,
        post_retry_for: float = POST_RETRY_FOR,
    ) -> None:
        self.settings = settings
        self.client = client
        self.outbox = outbox
        self.post_retry_for = post_retry_for

    @property
    def name(self) -> str:
        return NAME

    # ------------------------------------------------------------------ replies

    async def send(
        self,
        chat: str,
        reply: Reply,
        quote: Quote | None = None,
        *,
        retry_for: float | None = None,
    ) -> list[SentMessage]:
        """``reply`` in ``chat``: the picture if any, then the text parts. What was sent."""
        sends: list[Send] = []
        if reply.timeline is not None:
            png = await draw_png(reply.timeline)
            if png is not None:
                sends.append(self._image(chat, png, reply.timeline.title))
        parts = text_parts(reply)
        for index, part in enumerate(parts):
            sends.append(self._text(chat, part, quote if index == 0 else None))
        return await self.outbox.send(chat, sends, retry_for=retry_for)

    def _text(self, chat: str, text: str, quote: Quote | None) -> Send:
        return lambda: self.client.send_text(chat, text, quote)

    def _image(self, chat: str, png: bytes, caption: str) -> Send:
        async def send() -> SentMessage:
            try:
                sent = await self.client.send_image(chat, png, caption)
            except (GatewayRejected, GatewayUnsure) as exc:
                # The text that follows says the same: a refused picture must not cost it.
                log.warning("could not send the timeline picture (%s); the text follows", exc)
                return SentMessage(chat, "", picture=True)
            return replace(sent, picture=True)

        return send

    async def delete_sent(self, message: SentMessage) -> bool:
        try:
            await self.client.delete(message)
        except GatewayRejected as exc:
            log.info("could not delete message %s in %s: %s", message.id, message.chat, exc)
            return False
        return True

    # ------------------------------------------------------------------ the Door contract

    def chats_for(self, audience: Audience) -> list[str]:
        if audience is Audience.NOTICES:
            group = self.settings.whatsapp_notice_group_id.strip()
            return [group] if group else []
        return [chat for s in self.settings.whatsapp_supervisors if (chat := private_chat(s))]

    def has_chat_for(self, audience: Audience) -> bool:
        return bool(self.chats_for(audience))

    async def post(
        self, audience: Audience, reply: Reply, *, provider: str | None = None
    ) -> Sequence[Posted]:
        posted: list[Posted] = []
        for chat in self.chats_for(audience):
            try:
                sent = await self.send(chat, reply, retry_for=self.post_retry_for)
            except GatewayDown as exc:
                raise DeliveryError(f"WhatsApp: {exc}") from exc
            posted += [Posted(NAME, m.chat, m.id, m.participant) for m in sent if m.id]
        return posted

    async def delete(self, posted: Posted) -> bool:
        message = SentMessage(posted.chat, posted.message_id, posted.participant)
        try:
            return await self.delete_sent(message)
        except (GatewayDown, GatewayUnsure) as exc:  # deleting twice does no harm
            raise DeliveryError(f"WhatsApp: {exc}") from exc


def text_parts_sent(sent: Sequence[SentMessage]) -> int:
    """How many of an answer's text parts went out (a picture before them is not one)."""
    return sum(not m.picture for m in sent)


def text_parts(reply: Reply) -> list[str]:
    """The messages ``reply``'s text goes in (a long one is split)."""
    return [p for p in to_whatsapp_parts(reply) if p.strip()]


def private_chat(supervisor: str) -> str:
    """Where to write to a supervisor: ``123@lid`` as it is, a number as its digits."""
    entry = supervisor.strip()
    if entry.endswith("@lid") or entry.endswith("@s.whatsapp.net"):
        return entry
    return "".join(c for c in entry if c.isdigit())
