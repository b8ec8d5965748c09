"""The credential policy in Telegram: withhold in groups when configured, audit every credential
answer, delete sent credentials after ``CREDENTIALS_DELETE_AFTER_SECONDS``. (``/auditoria`` reads
the audit back: :mod:`handlers.telegram.auditoria`.)

The decisions are :func:`bot.policy.credentials.decide`'s; this module applies them to real chats.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Chat, Message, User

from bot.answers.reply import Reply
from bot.app.doors import Posted
from bot.policy.audit import AuditLog
from bot.policy.credentials import Asker, Decision
from bot.policy.credentials import gate as policy_gate
from bot.policy.credentials import record_sent as policy_record_sent
from handlers.telegram.door import NAME
from handlers.telegram.state import Context, kb_of, now_of, posting_in, settings_of

log = logging.getLogger(__name__)

AUDIT_KEY = "audit_log"


def audit_log_of(context: Context) -> AuditLog:
    log_ = context.bot_data.get(AUDIT_KEY)
    if not isinstance(log_, AuditLog):
        log_ = AuditLog(settings_of(context).audit_file)
        context.bot_data[AUDIT_KEY] = log_
    return log_


def gate(
    reply: Reply, chat: Chat, user: User | None, asked: str, context: Context
) -> tuple[Reply, Decision]:
    """The reply to send in ``chat`` (:func:`bot.policy.credentials.gate`), and the decision,
    for the deletion timer."""
    asker = Asker(
        user_id=user.id if user else None,
        user_name=user.full_name if user else "",
        chat_id=chat.id,
        chat_type=chat.type,
    )
    return policy_gate(
        reply,
        asker,
        asked,
        kb=kb_of(context),
        now=now_of(context),
        settings=settings_of(context),
    )


def record_sent(context: Context, decision: Decision, *, parts: int, parts_sent: int) -> None:
    """The audit line of ``decision``, with how many of the reply's ``parts`` Telegram
    accepted."""
    policy_record_sent(audit_log_of(context), decision, parts=parts, parts_sent=parts_sent)


def delete_later(context: Context, messages: Sequence[Message], seconds: int) -> None:
    """Delete ``messages`` after ``seconds``, also after a restart (``bot.posting.deletions``)."""
    posted = [Posted(NAME, str(m.chat_id), str(m.message_id)) for m in messages]
    posting_in(context.bot_data).delete_later(posted, seconds)
