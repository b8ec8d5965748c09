"""The credential policy: where an answer carrying passwords or system logins may go, for how long,
and what the audit log says about it. Decisions, and :func:`gate` that every door calls before
sending; the doors only send, and delete later when told to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.answers import messages as msg
from bot.answers.reply import Block, Reply, ReplyKind, heading, note, text
from bot.app.settings import Settings
from bot.knowledge.kb import KB
from bot.knowledge.passwords import echo, mask
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
    question quoted back without a password typed in it)."""
    return Reply(
        ReplyKind.ANSWER,
        (text(msg.CREDENTIALS_WITHHELD.format(ask=echo(kb, clean_input(asked)))),),
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
    delivered: bool,
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
        delivered=delivered,
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
    audit: AuditLog,
) -> tuple[Reply, Decision]:
    """The reply to send (the answer, or the withheld notice, with the deletion warning when it
    will be deleted), audited when it carries credentials; and the decision, for the deletion
    timer."""
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
            delivered=decision.deliver,
        )
        audit.append(entry)
    if not decision.deliver:
        return withheld_reply(reply, asked, kb), decision
    if decision.delete_after:
        warning = note(msg.CREDENTIALS_WILL_DELETE.format(seconds=decision.delete_after))
        reply = replace(reply, blocks=(*reply.blocks, warning))
    return reply, decision


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
                withheld="" if entry.delivered else msg.AUDIT_WITHHELD,
            )
        )
    if lines:
        blocks.append(text("\n".join(lines)))
    return Reply(ReplyKind.LIST, tuple(blocks))
