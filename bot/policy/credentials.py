"""The credential policy: where an answer carrying passwords or system logins may go, for how long,
and what the audit log says about it. Decisions, and :func:`gate` that every door calls before
sending and :func:`record_sent` after (the audit line says whether the send went through); the
doors only send, and delete later when told to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.answers import messages as msg
from bot.answers.core import answer
from bot.answers.reply import Block, Reply, ReplyKind, heading, note, text
from bot.app.settings import Settings
from bot.knowledge.kb import KB
from bot.knowledge.passwords import echo, mask
from bot.knowledge.typed_passwords import BOT_MENTION
from bot.policy.audit import AuditEntry, AuditLog
from bot.reading.text import clean_input

PRIVATE = "private"


@dataclass(frozen=True)
class Decision:
    deliver: bool
    """False: send :func:`withheld_reply` instead of the answer."""
    delete_after: int | None
    """Seconds after which the sent message is deleted; None: kept."""
    audit: bool
    """Whether this answer goes to the audit log."""
    entry: AuditEntry | None = None
    """The audit line, once :func:`gate` made it; written by :func:`record_sent` after the send,
    with its outcome."""


def decide(reply: Reply, chat_type: str, settings: Settings) -> Decision:
    if not reply.credentials:
        return Decision(deliver=True, delete_after=None, audit=False)
    deliver = chat_type == PRIVATE or settings.credentials_in_groups
    seconds = settings.credentials_delete_after_seconds
    return Decision(
        deliver=deliver, delete_after=seconds if deliver and seconds > 0 else None, audit=True
    )


def withheld_reply(reply: Reply, asked: str, kb: KB) -> Reply:
    """What a group sees instead of credentials when the policy keeps them out of groups (the
    question quoted back without a password typed in it, nor the bot's @mention: the private
    chat needs none; a follow-up's command in full)."""
    ask = reply.stands_for or asked
    private_ask = " ".join(BOT_MENTION.sub(" ", clean_input(ask)).split())
    return Reply(
        ReplyKind.ANSWER,
        (text(msg.CREDENTIALS_WITHHELD.format(ask=echo(kb, private_ask))),),
        provider_id=reply.provider_id,
        topic_id=reply.topic_id,
        equipment=reply.equipment,
    )


def audit_entry(
    reply: Reply,
    *,
    kb: KB,
    asked: str,
    now: dt.datetime,
    user_id: int | str | None,
    user_name: str,
    chat_id: int | str,
    chat_type: str,
    allowed: bool,
    sent: bool | None = None,
) -> AuditEntry:
    return AuditEntry(
        at=now.isoformat(timespec="seconds"),
        user_id=user_id,
        user_name=user_name,
        chat_id=chat_id,
        chat_type=chat_type,
        provider=reply.provider_id,
        topic=reply.topic_id,
        equipment=reply.equipment,
        query=mask(kb, clean_input(asked))[:200],  # a password the agent typed is never stored
        allowed=allowed,
        sent=sent,
    )


@dataclass(frozen=True)
class Asker:
    """Who asked, where: what the audit log records (ids as each network writes them)."""

    user_id: int | str | None
    user_name: str
    chat_id: int | str
    chat_type: str
    """``private`` for a private chat; anything else is a group."""


def gate(
    reply: Reply,
    asker: Asker,
    asked: str,
    *,
    kb: KB,
    now: dt.datetime,
    settings: Settings,
) -> tuple[Reply, Decision]:
    """The reply to send (the answer, or the withheld notice, with the deletion warning when it
    will be deleted); and the decision, for the deletion timer and the audit line, which the door
    writes with :func:`record_sent` once it knows whether the send went through."""
    withheld_here = asker.chat_type != PRIVATE and not settings.credentials_in_groups
    if withheld_here and not reply.credentials and _only_credentials(kb, reply, now):
        # Every option of this menu would be withheld here: refused up front, in one line,
        # rather than a menu whose every tap says "not in groups" (and replaces the menu).
        reply = replace(reply, credentials=True)
    decision = decide(reply, asker.chat_type, settings)
    if decision.audit:
        entry = audit_entry(
            reply,
            kb=kb,
            asked=asked,
            now=now,
            user_id=asker.user_id,
            user_name=asker.user_name,
            chat_id=asker.chat_id,
            chat_type=asker.chat_type,
            allowed=decision.deliver,
        )
        decision = replace(decision, entry=entry)
    if not decision.deliver:
        return withheld_reply(reply, asked, kb), decision
    if decision.delete_after:
        warning = note(msg.CREDENTIALS_WILL_DELETE.format(seconds=decision.delete_after))
        reply = replace(reply, blocks=(*reply.blocks, warning))
    return reply, decision


MENU_KINDS = frozenset(
    {
        ReplyKind.CHOICE,
        ReplyKind.MISSING_PROVIDER,
        ReplyKind.UNKNOWN_PROVIDER,
        ReplyKind.UNKNOWN_EQUIPMENT,
        ReplyKind.UNSURE,
    }
)
"""Replies that are a menu: their buttons are what they offer."""


def _only_credentials(kb: KB, reply: Reply, now: dt.datetime) -> bool:
    """A menu whose every button answers with credentials (an equipment choice for /senha)."""
    if reply.kind not in MENU_KINDS or not reply.buttons:
        return False
    return all(answer(kb, button.ask, now).credentials for button in reply.buttons)


def record_sent(audit: AuditLog, decision: Decision, *, parts: int, parts_sent: int) -> None:
    """Write the audit line of ``decision`` (if it has one) with the outcome of the send: the
    reply went in ``parts`` messages, of which the chat network accepted the first
    ``parts_sent``. The credentials count as sent only when the policy let them go and every
    part was accepted; withheld, no part carried them. Never raises (the answer went, or its
    error is handled)."""
    if decision.entry is None:
        return
    if not decision.deliver:
        audit.append(replace(decision.entry, sent=False, parts=None, parts_sent=None))
        return
    sent = parts > 0 and parts_sent >= parts
    audit.append(replace(decision.entry, sent=sent, parts=parts, parts_sent=parts_sent))


def audit_reply(entries: Sequence[AuditEntry], provider: str | None, zone: dt.tzinfo) -> Reply:
    suffix = f" — {provider}" if provider else ""
    blocks: list[Block] = [heading(msg.AUDIT_TITLE.format(suffix=suffix))]
    if not entries:
        blocks.append(text(msg.AUDIT_EMPTY))
    lines = []
    for entry in entries:
        at = dt.datetime.fromisoformat(entry.at).astimezone(zone)
        what = " › ".join(x for x in (entry.provider, entry.topic, entry.equipment) if x)
        lines.append(
            msg.AUDIT_LINE.format(
                at=f"{at:%d/%m %H:%M}",
                user=entry.user_name or "?",
                user_id=entry.user_id,
                chat="privado" if entry.chat_type == PRIVATE else str(entry.chat_id),
                what=what or entry.query,
                withheld=_outcome(entry),
            )
        )
    if lines:
        blocks.append(text("\n".join(lines)))
    return Reply(ReplyKind.LIST, tuple(blocks))


def _outcome(entry: AuditEntry) -> str:
    """What ``/auditoria`` says after a line: withheld, not delivered, or nothing (sent)."""
    if not entry.allowed:
        return msg.AUDIT_WITHHELD
    if entry.sent is False and entry.parts and entry.parts_sent:
        return msg.AUDIT_PARTLY_SENT.format(sent=entry.parts_sent, parts=entry.parts)
    if entry.sent is False:
        return msg.AUDIT_NOT_SENT
    return ""
