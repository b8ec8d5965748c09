"""The unanswered questions ("gaps"): what agents asked that the KB did not answer well.

A reply whose ``gap`` flag is set -- not understood, read with low confidence, only passages
found, "the document does not say", an equipment model the document does not list -- is recorded
by the door that sent it (Telegram, WhatsApp, the console as chat ``console``) as one JSON line:
when, which chat, the question as the agent typed it, the kind of reply and its best guess of ISP
and topic. The reply itself is never stored, and a password an agent typed into the question is
masked (bot.knowledge.passwords.mask: those the KB knows and any typed one).

``/lacunas`` and the weekly post to the supervisors read the lines back: per ISP, the questions
grouped by their normalised words, most frequent first, with the last time each was asked.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.answers import messages as msg
from bot.answers.reply import Block, Reply, ReplyKind, heading, note, text
from bot.knowledge.kb import KB
from bot.knowledge.passwords import mask
from bot.reading.reader import question_words
from bot.reading.text import clean_input
from bot.storage.jsonl import JsonLines, aware_time, typed

log = logging.getLogger(__name__)

DEFAULT_DAYS = 7
"""/lacunas without arguments: the last week (as the weekly post)."""
MAX_DAYS = 366
PER_PROVIDER = 5
"""Most frequent questions shown per ISP; the rest are counted."""
MAX_TEXT = 300
"""A question longer than this is stored cut (no agent question is that long)."""


@dataclass(frozen=True)
class Gap:
    at: str
    """ISO 8601 with offset."""
    chat_id: int | str
    """A Telegram chat id, a WhatsApp JID, or ``console``."""
    text: str
    """The question as typed (passwords masked)."""
    kind: str
    """The reply's kind (``ReplyKind`` value)."""
    provider: str | None
    """Best guess of the ISP (id), if any."""
    topic: str | None
    """Best guess of the topic (id), if any."""

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.at)


# --------------------------------------------------------------------------- what is recorded


def gap_for(
    kb: KB, question: str, reply: Reply, chat_id: int | str, now: dt.datetime
) -> Gap | None:
    """The record of this question, or ``None`` when its reply answered it."""
    if not reply.gap or not question.strip():
        return None
    return Gap(
        at=now.isoformat(timespec="seconds"),
        chat_id=chat_id,
        text=mask(kb, " ".join(clean_input(question).split()))[:MAX_TEXT],
        kind=reply.kind.value,
        provider=reply.provider_id,
        topic=reply.topic_id,
    )


# --------------------------------------------------------------------------- the store


class GapStore:
    """JSON lines, appended (``GAPS_FILE``). A broken line is skipped, never fatal."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = JsonLines(path)

    def append(self, gap: Gap) -> None:
        """Append one line; an I/O error is logged, never raised (the answer was sent)."""
        self._file.append(asdict(gap))

    def since(self, start: dt.datetime) -> list[Gap]:
        """The gaps recorded at or after ``start`` (an aware time), oldest first."""
        gaps = (_parse(record) for record in self._file.records())
        return [gap for gap in gaps if gap is not None and gap.when >= start]


def _parse(record: dict[str, object]) -> Gap | None:
    """The gap a line holds; ``None`` for a line with a field missing or of the wrong type
    (``"at": "ontem"``, ``"text": null``), which is skipped."""
    gap = typed(record, Gap)
    return gap if gap is not None and aware_time(gap.at) is not None else None


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class GapGroup:
    """One question asked (in some spelling) once or more."""

    provider: str | None
    key: str
    """The question's words, normalised with abbreviations expanded: what groups it."""
    text: str
    """The latest spelling, as typed."""
    count: int
    last: dt.datetime
    kind: str
    """Of the latest reply."""
    topic: str | None
    """The latest guess."""


def group_gaps(kb: KB, gaps: Iterable[Gap]) -> dict[str | None, list[GapGroup]]:
    """Per ISP (``None``: not identified), the groups most frequent first, then most recent;
    ISPs with more gaps first, the unidentified last."""
    groups: dict[tuple[str | None, str], GapGroup] = {}
    for gap in sorted(gaps, key=lambda g: g.when):
        key = " ".join(question_words(kb, gap.text))
        before = groups.get((gap.provider, key))
        groups[(gap.provider, key)] = GapGroup(
            gap.provider,
            key,
            gap.text,
            (before.count if before else 0) + 1,
            gap.when,
            gap.kind,
            gap.topic or (before.topic if before else None),
        )
    by_provider: dict[str | None, list[GapGroup]] = {}
    for group in groups.values():
        by_provider.setdefault(group.provider, []).append(group)
    for items in by_provider.values():
        items.sort(key=lambda g: (-g.count, -g.last.timestamp()))

    def order(pid: str | None) -> tuple[int, int]:
        return (pid is None, -sum(g.count for g in by_provider[pid]))

    return {pid: by_provider[pid] for pid in sorted(by_provider, key=order)}


def gaps_reply(kb: KB, gaps: Sequence[Gap], title: str, zone: dt.tzinfo | None = None) -> Reply:
    blocks: list[Block] = [heading(title)]
    grouped = group_gaps(kb, gaps)
    if not grouped:
        blocks.append(text(msg.GAPS_NONE))
    for pid, groups in grouped.items():
        provider = kb.providers.get(pid) if pid else None
        name = provider.name if provider else (pid or msg.GAPS_NO_PROVIDER)
        total = sum(g.count for g in groups)
        blocks.append(heading(msg.GAPS_PROVIDER.format(provider=name, count=total)))
        lines = [_line(kb, g, zone) for g in groups[:PER_PROVIDER]]
        if len(groups) > PER_PROVIDER:
            lines.append(msg.GAPS_MORE.format(count=len(groups) - PER_PROVIDER))
        blocks.append(text("\n".join(lines)))
    if grouped:
        blocks.append(note(msg.GAPS_HINT))
    return Reply(ReplyKind.LIST, tuple(blocks))


def _line(kb: KB, group: GapGroup, zone: dt.tzinfo | None) -> str:
    last = group.last.astimezone(zone) if zone else group.last
    line = "• " + msg.GAPS_LINE.format(
        count=group.count,
        text=group.text,
        reason=msg.GAP_REASONS.get(group.kind, group.kind),
        last=last.strftime("%d/%m %H:%M"),
    )
    topic = kb.topics.get(group.topic) if group.topic else None
    if topic is not None:
        line += msg.GAPS_GUESS.format(guess=topic.title)
    return line


def lacunas_reply(kb: KB, store: GapStore, now: dt.datetime, args: Sequence[str] = ()) -> Reply:
    """``/lacunas [dias]``: the gaps of the last days (default: a week)."""
    days = DEFAULT_DAYS
    if args:
        if len(args) > 1 or not args[0].isdigit() or not 1 <= int(args[0]) <= MAX_DAYS:
            return Reply(ReplyKind.EMPTY, (text(msg.GAPS_USAGE),))
        days = int(args[0])
    gaps = store.since(now - dt.timedelta(days=days))
    return gaps_reply(kb, gaps, msg.GAPS_TITLE.format(days=days), now.tzinfo)


def weekly_reply(kb: KB, store: GapStore, now: dt.datetime) -> Reply:
    """The weekly post: the seven days before ``now``."""
    start = now - dt.timedelta(days=DEFAULT_DAYS)
    title = msg.GAPS_WEEKLY_TITLE.format(
        first=start.strftime("%d/%m"), last=(now - dt.timedelta(minutes=1)).strftime("%d/%m")
    )
    return gaps_reply(kb, store.since(start), title, now.tzinfo)
