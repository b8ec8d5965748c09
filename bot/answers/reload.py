"""Replies about the knowledge itself: /versao, the changelog, the alerts for supervisors."""

from __future__ import annotations

import datetime as dt

from bot.answers import messages as msg
from bot.answers.reply import Block, Reply, ReplyKind, heading, note, text
from bot.coverage.answers import UPCALL_ZONE
from bot.knowledge.kb import KB
from bot.knowledge.reload import ReloadEvent, ReloadResult
from bot.knowledge.version import Version, current_version

MAX_LINES = 25
"""A changelog or an alert longer than this is cut: the group needs the gist, not the diff."""


SUBJECT_CHARS = 120
"""A commit subject longer than this is cut (an engineer's subject can run to three lines)."""


def _commit_line(template: str, version: Version | None, local: str) -> list[Block]:
    """The commit loaded; ``local`` instead when the files differ from it (an edit not committed:
    the commit's author and subject would credit someone else's change). Its date on UPCALL's
    clock (Brasília, as every time the bot shows), written as the bot writes dates; its subject
    quoted as written: supervisors write it, in whatever words they chose, so it is labelled as
    theirs, never translated."""
    if version is None:
        return []
    if version.local:
        template = local
    subject = version.subject
    if len(subject) > SUBJECT_CHARS:
        subject = subject[: SUBJECT_CHARS - 1].rstrip() + "…"
    return [
        note(
            template.format(
                short=version.short,
                subject=subject,
                author=version.author,
                date=_when(version.date),
            )
        )
    ]


def _when(iso: str) -> str:
    """Git's ISO date ("2026-11-30T01:55:07+00:00") as "29/11/2026 às 22:55" (Brasília)."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        return iso
    return f"{moment.astimezone(UPCALL_ZONE):%d/%m/%Y às %H:%M}"


def _capped(lines: list[str], more: str) -> str:
    shown = lines[:MAX_LINES]
    if len(lines) > MAX_LINES:
        shown.append(more.format(count=len(lines) - MAX_LINES))
    return "\n".join(f"• {line}" for line in shown)


def version_reply(kb: KB, version: Version | None = None) -> Reply:
    """/versao: the commit loaded and when the KB was loaded, both on UPCALL's clock."""
    found = version or current_version(kb.root)
    loaded = kb.loaded_at.astimezone(UPCALL_ZONE)
    blocks: list[Block] = [heading(msg.VERSION_TITLE)]
    commit = _commit_line(msg.VERSION_COMMIT, found, msg.VERSION_LOCAL)
    blocks += commit or [text(msg.VERSION_NO_GIT)]
    blocks.append(
        text(
            msg.VERSION_LOADED.format(
                loaded=f"{loaded:%d/%m/%Y às %H:%M:%S}",
                providers=len(kb.providers),
                topics=len(kb.topics),
            )
        )
    )
    return Reply(ReplyKind.ANSWER, tuple(blocks))


def changelog_reply(result: ReloadResult) -> Reply | None:
    """For the group after a good reload; None when there is nothing to tell. That it follows a
    bad version is no news for agents, who never saw the error (:func:`recovered_reply`)."""
    if result.event is not ReloadEvent.LOADED or not result.changes:
        return None
    blocks: list[Block] = [heading(msg.CHANGELOG_TITLE)]
    blocks.append(text(_capped(list(result.changes), msg.CHANGELOG_MORE)))
    blocks += _commit_line(msg.CHANGELOG_COMMIT, result.version, msg.CHANGELOG_LOCAL)
    return Reply(ReplyKind.ANSWER, tuple(blocks))


def broken_reply(result: ReloadResult) -> Reply | None:
    """For supervisors, once per bad version: the same lines as ``kb validate``."""
    if result.event is not ReloadEvent.BROKEN:
        return None
    lines = [str(p) for p in result.problems]
    blocks: list[Block] = [
        heading(msg.BROKEN_TITLE),
        text(_capped(lines, msg.BROKEN_MORE)),
    ]
    blocks += _commit_line(msg.CHANGELOG_COMMIT, result.version, msg.CHANGELOG_LOCAL)
    return Reply(ReplyKind.ANSWER, tuple(blocks))


def recovered_reply(result: ReloadResult) -> Reply | None:
    """For the supervisors, who were told of the error (:func:`broken_reply`): a good version
    answers again. None unless this good version follows a bad one."""
    if result.event is not ReloadEvent.LOADED or not result.fixed:
        return None
    blocks: list[Block] = [text(msg.CHANGELOG_FIXED)]
    blocks += _commit_line(msg.CHANGELOG_COMMIT, result.version, msg.CHANGELOG_LOCAL)
    return Reply(ReplyKind.ANSWER, tuple(blocks))


def reload_feedback(result: ReloadResult) -> Reply:
    """What the supervisor who typed /recarregar sees."""
    if result.event is ReloadEvent.LOADED:
        line = msg.RELOAD_LOADED.format(count=len(result.changes))
    elif result.event is ReloadEvent.UNCHANGED:
        line = msg.RELOAD_UNCHANGED
    else:
        line = msg.RELOAD_BROKEN
    blocks: list[Block] = [text(line)]
    if result.problems:
        blocks.append(text(_capped([str(p) for p in result.problems], msg.BROKEN_MORE)))
    return Reply(ReplyKind.ANSWER, tuple(blocks))
