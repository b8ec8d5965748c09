"""One WhatsApp message in, the answer out: the same decisions as in Telegram, from the core.

1. Not a question (:mod:`.questions`), and not a number answering a list (:mod:`.choices`): left
   alone, not recorded.
2. A chat that may not ask (``bot.policy.access.whatsapp_may_ask``): one short refusal with the
   chat's id, and nothing of the knowledge base.
3. ``/recarregar``, ``/auditoria`` and ``/lacunas``: supervisors only (``WHATSAPP_SUPERVISORS``),
   as in Telegram; ``/versao``, like every other command, is the core's.
4. Anything else: ``bot.answers.core.answer`` -- for a reply quoting one of the bot's recent
   answers, with what that answer was about (``bot.answers.followup``: "e a senha?" under
   Mutum's DNS is Mutum's; "👍" gets nothing); an unanswered question recorded as a gap
   (``bot.policy.gaps``); the credential policy applied (``bot.policy.credentials.gate``:
   audited, withheld from groups, or deleted after ``CREDENTIALS_DELETE_AFTER_SECONDS``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Sequence
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.answers import messages as msg
from bot.answers.core import parse_command, provider_argument
from bot.answers.followup import Answered, answer_after
from bot.answers.reload import reload_feedback
from bot.answers.reply import Reply, ReplyKind, Span, Style, text
from bot.app.doors import Posted
from bot.app.ordering import ChatTurns
from bot.app.settings import Settings
from bot.knowledge.kb import KB, KBHolder
from bot.knowledge.reload import Reloader
from bot.policy.access import (
    RefusalLimiter,
    is_whatsapp_supervisor,
    refusal_words,
    whatsapp_may_ask,
)
from bot.policy.audit import AuditLog
from bot.policy.credentials import PRIVATE, Asker, audit_reply, gate, record_sent
from bot.policy.gaps import GapStore, gap_for, lacunas_reply
from handlers.whatsapp.choices import Choices
from handlers.whatsapp.door import NAME, WhatsAppDoor, text_parts, text_parts_sent
from handlers.whatsapp.evolution import GatewayDown, Quote, SentMessage
from handlers.whatsapp.inbound import Incoming
from handlers.whatsapp.questions import Identity, SentIds, question_in

log = logging.getLogger(__name__)

AUDIT_LIMIT = 30
GROUP = "group"
SUPERVISOR_ONLY = {
    "recarregar": msg.RELOAD_SUPERVISORS_ONLY,
    "auditoria": msg.AUDIT_SUPERVISORS_ONLY,
    "lacunas": msg.GAPS_SUPERVISORS_ONLY,
}
"""The commands that need the bot's files or its reloader, and their refusal to others."""


class LaterDeletions(Protocol):
    """Who deletes posted messages later, also after a restart (``bot.posting``'s ``Posting``,
    when ``upcall-bot run`` passes one)."""

    def delete_later(self, posted: Sequence[Posted], seconds: int) -> None: ...


def refusal_reply(chat: str, private: bool) -> Reply:
    before, after = refusal_words(private)
    return Reply(ReplyKind.HELP, (text(before, " ", Span(chat, Style.CODE), "\n", after),))


class Conversation:
    def __init__(
        self,
        settings: Settings,
        holder: KBHolder,
        door: WhatsAppDoor,
        me: Identity,
        deletions: LaterDeletions | None = None,
        reloader: Reloader | None = None,
    ) -> None:
        self.settings = settings
        # The runner's (its reloads post the changelog on every door); alone, one of its own.
        self.reloader = reloader or Reloader(
            holder, settings.kb_dir, secrets_file=settings.kb_secrets_file
        )
        self.deletions = deletions
        self.holder = holder
        self.door = door
        self.me = me
        self.sent = SentIds()
        self.answered = Answered()
        self.choices = Choices()
        self.audit = AuditLog(settings.audit_file)
        self.gaps = GapStore(settings.gaps_file)
        self._zone = ZoneInfo(settings.timezone)
        self._deletions: set[asyncio.Task[None]] = set()
        self.turns = ChatTurns()
        self.refusals = RefusalLimiter()

    def now(self) -> dt.datetime:
        return dt.datetime.now(self._zone)

    async def handle(self, message: Incoming) -> None:
        """Answer ``message`` if it asks the bot something, after the answers to the chat's
        earlier messages (``bot.app.ordering``). Never raises."""
        try:
            async with self.turns.turn(message.chat):
                await self._handle(message)
        except Exception:
            log.exception("could not answer WhatsApp message %s in %s", message.id, message.chat)

    async def _handle(self, message: Incoming) -> None:
        if message.instance_jid:  # known even when Evolution could not be asked at start
            self.me.add(message.instance_jid)
        if message.from_me:
            if message.in_group:  # the linked phone writing: its JIDs are the bot's
                for jid in message.sender_jids:
                    self.me.add(jid)
            return
        question = question_in(message, self.me, self.sent)
        bare = " ".join(message.text.split())
        pick = self.choices.pick(message, question if question is not None else bare)
        if pick is None and question is None:
            return
        if not whatsapp_may_ask(message.chat, message.person, self.settings):
            if self.refusals.should_refuse(message.chat, time.monotonic()):
                log.info("refused WhatsApp chat %s (sender %s)", message.chat, message.sender)
                await self._send(message, refusal_reply(message.chat, not message.in_group))
            return
        kb = self.holder.kb  # read once: one answer never mixes two KBs
        previous = None
        if pick is not None:
            if pick.button is None:
                words = msg.CHOICE_OUT_OF_RANGE.format(number=pick.number, count=pick.count)
                await self._send(message, Reply(ReplyKind.EMPTY, (text(words),)))
                return
            question = pick.button.ask
        elif message.quoted_id:
            previous = self.answered.about(message.chat, message.quoted_id)
        assert question is not None
        reply = await self._supervisor_reply(kb, message, question) or answer_after(
            kb, question, self.now(), previous
        )
        if reply.kind is ReplyKind.NOD:
            return  # "👍" to the bot's answer
        self._record_gap(kb, message, question, reply)
        answered = reply  # what it is about, also when the policy withholds it
        asker = Asker(
            user_id=message.sender,
            user_name=message.name,
            chat_id=message.chat,
            chat_type=GROUP if message.in_group else PRIVATE,
        )
        reply, decision = gate(
            reply,
            asker,
            question,
            kb=kb,
            now=self.now(),
            settings=self.settings,
        )
        parts = len(text_parts(reply))
        try:
            sent = await self._send(message, reply)
        except BaseException:
            record_sent(self.audit, decision, parts=parts, parts_sent=0)
            raise
        # The text parts the gateway confirmed, in order (a later part may fail after the first
        # reached the chat); a picture before them is not one of them.
        record_sent(self.audit, decision, parts=parts, parts_sent=text_parts_sent(sent))
        for m in sent:
            self.answered.remember(message.chat, m.id, answered)
        if reply.buttons and sent:
            self.choices.offer(message.chat, message.sender, sent[-1].id, reply.buttons)
        if decision.delete_after and sent:
            self.delete_later(sent, decision.delete_after)

    async def _supervisor_reply(self, kb: KB, message: Incoming, question: str) -> Reply | None:
        """``/recarregar``, ``/auditoria`` and ``/lacunas``; the reload and the logs run in a
        worker thread (they may be long), every other chat keeps being answered meanwhile."""
        command = parse_command(question)
        if command is None or command.name not in SUPERVISOR_ONLY:
            return None
        if not is_whatsapp_supervisor(message.person, self.settings):
            return Reply(ReplyKind.HELP, (text(SUPERVISOR_ONLY[command.name]),))
        if command.name == "recarregar":
            return reload_feedback(await self.reloader.reload(confirmed=True))
        if command.name == "lacunas":
            return await asyncio.to_thread(lacunas_reply, kb, self.gaps, self.now(), command.args)
        provider_id = None
        if command.args:
            found = provider_argument(kb, "auditoria", command.args)
            if isinstance(found, Reply):
                return found
            provider_id = found[0].id
        entries = await asyncio.to_thread(self.audit.latest, AUDIT_LIMIT, provider_id)
        return audit_reply(entries, provider_id, self._zone)

    def _record_gap(self, kb: KB, message: Incoming, question: str, reply: Reply) -> None:
        try:
            gap = gap_for(kb, question, reply, message.chat, self.now())
            if gap is not None:
                self.gaps.append(gap)
        except Exception:
            log.exception("could not record an unanswered question")

    async def _send(self, message: Incoming, reply: Reply) -> list[SentMessage]:
        quote = (
            Quote(message.id, message.chat, message.text, message.sender)
            if message.in_group
            else None
        )
        try:
            sent = await self.door.send(message.chat, reply, quote)
        except GatewayDown:
            return []  # logged by the outbox; nothing more to do for this question
        sent = [m for m in sent if m.id]
        for m in sent:
            self.sent.add(m.id)
        return sent

    # ------------------------------------------------------------------ deletion

    def delete_later(self, messages: list[SentMessage], seconds: int) -> None:
        """Delete ``messages`` after ``seconds``: through ``deletions`` when there is one (it
        keeps them across a restart), else with a timer of this process."""
        if self.deletions is not None:
            posted = [Posted(NAME, m.chat, m.id, m.participant) for m in messages]
            self.deletions.delete_later(posted, seconds)
            return
        task = asyncio.create_task(self._delete_after(messages, seconds))
        self._deletions.add(task)
        task.add_done_callback(self._deletions.discard)

    async def _delete_after(self, messages: list[SentMessage], seconds: float) -> None:
        await asyncio.sleep(seconds)
        for message in messages:

            async def delete(m: SentMessage = message) -> SentMessage:
                await self.door.delete_sent(m)
                return m

            try:
                await self.door.outbox.send(message.chat, [delete], retry_for=60)
            except GatewayDown:
                log.warning("could not delete message %s in %s", message.id, message.chat)

    async def stop(self) -> None:
        """Forget pending deletions (logged): they do not survive a stop."""
        for task in list(self._deletions):
            task.cancel()
        if self._deletions:
            log.warning("%d credential deletion(s) pending at stop", len(self._deletions))
            await asyncio.gather(*self._deletions, return_exceptions=True)
