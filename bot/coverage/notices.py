"""Shift-change notices: what to post when UPCALL's coverage of an ISP opens, closes or changes
mode, and when to post it.

Two pieces, pure (``bot.posting.notices`` keeps the timers, delivers through every door and
remembers what each accepted):

* :func:`plan` -- pure: providers, a time, the horizon, lead and grace minutes and the keys already
  sent in; out, the notices to post now (one missed while the bot was down is posted once, marked
  late, within the grace) and the ones to schedule, each at its instant.
* :func:`notice_reply` -- the words of one notice, as a :class:`~bot.answers.reply.Reply`.

The boundaries themselves come from :func:`bot.coverage.engine.notices`.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Literal
from zoneinfo import ZoneInfo

from bot.answers import messages as msg
from bot.answers.reply import Block, Reply, ReplyKind, heading, note, text
from bot.coverage import engine as coverage
from bot.coverage.answers import UPCALL_ZONE, moment_words, until_words
from bot.coverage.engine import Event
from bot.knowledge.schema import Provider

log = logging.getLogger(__name__)

UTC = dt.UTC
NoticeKind = Literal["main", "lead"]
MAIN: NoticeKind = "main"
LEAD: NoticeKind = "lead"

ON_TIME = dt.timedelta(minutes=1)
"""Posted within this after its instant, a notice is on time; later, it says "(atrasado: ...)".
It is also the least grace: with ``NOTICE_GRACE_MINUTES=0`` a notice is still posted on time."""
EARLY = dt.timedelta(milliseconds=500)
"""A notice due this soon is posted now: a timer that wakes a hair early must not skip it."""

_MODE_WORDS = {"full": msg.NOTICE_MODE_FULL, "overflow": msg.NOTICE_MODE_OVERFLOW}
_ICONS = {"open": "🟢", "close": "🔴", "full": "🟢", "overflow": "🟡"}


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class Notice:
    """One message for the group: the boundary (``main``) or its advance notice (``lead``)."""

    event: Event
    kind: NoticeKind
    due: dt.datetime
    """When it should be posted: the boundary, or ``lead`` minutes before it."""
    late: bool = False
    """Posted after its instant (beyond :data:`ON_TIME`): the bot was down, or Telegram was."""

    @property
    def provider(self) -> str:
        return self.event.provider

    @property
    def key(self) -> str:
        """``<provider>:<event>:<at ISO, UTC>:<main|lead>``: what the state file remembers."""
        at = self.event.at.astimezone(UTC).isoformat()
        return f"{self.event.provider}:{self.event.event}:{at}:{self.kind}"


@dataclass(frozen=True)
class Plan:
    now: tuple[Notice, ...]
    """To post now, in order (late ones first)."""
    later: tuple[Notice, ...]
    """To post at their ``due`` instant, within the horizon."""

    @property
    def instants(self) -> list[dt.datetime]:
        """The distinct instants to wake up at: one timer serves every notice due then."""
        return sorted({n.due for n in self.later})


def _candidates(events: Iterable[Event], lead: dt.timedelta) -> list[Notice]:
    found: list[Notice] = []
    for event in events:
        found.append(Notice(event, MAIN, event.at))
        if lead > dt.timedelta(0):
            found.append(Notice(event, LEAD, event.at - lead))
    return found


def plan(
    providers: Iterable[Provider],
    now: dt.datetime,
    *,
    horizon: dt.timedelta,
    lead: dt.timedelta,
    grace: dt.timedelta,
    sent: Collection[str],
) -> Plan:
    """Which notices to post now and which to schedule, never one whose key is in ``sent``.

    * A boundary due now (or missed, up to ``grace`` ago) is posted now; beyond :data:`ON_TIME`
      it is marked late. One missed beyond the grace is dropped.
    * A missed boundary superseded by a later one of the same ISP, also due now, is dropped: the
      group needs the current state, not a replay ("opens (late)" then "closes (late)").
    * An advance notice (``lead`` > 0) is posted while its boundary is still ahead, even if its
      own instant passed (the bot started 4 minutes before: "em 4 min"); never after.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"datetime sem fuso: {now.isoformat()}")
    now = now.astimezone(UTC)
    lookback = max(grace, ON_TIME)
    events = coverage.notices(providers, now - lookback, now + horizon + lead + EARLY)
    candidates = _candidates(events, lead)
    ready = now + EARLY
    latest: dict[str, dt.datetime] = {}
    for notice in candidates:
        if notice.kind == MAIN and notice.due <= ready:
            latest[notice.provider] = max(notice.due, latest.get(notice.provider, notice.due))
    due_now: list[Notice] = []
    later: list[Notice] = []
    for notice in candidates:
        if notice.key in sent:
            continue
        if notice.due > ready:
            if notice.due < now + horizon:
                later.append(notice)
        elif notice.kind == LEAD:
            if notice.event.at > ready:
                due_now.append(notice)
        elif notice.due >= latest[notice.provider]:
            due_now.append(replace(notice, late=now - notice.due > ON_TIME))
    order = {MAIN: 0, LEAD: 1}
    due_now.sort(key=lambda n: (n.due, n.provider, order[n.kind]))
    later.sort(key=lambda n: (n.due, n.provider, order[n.kind]))
    return Plan(tuple(due_now), tuple(later))


# --------------------------------------------------------------------------- words


def _hhmm(moment: dt.datetime) -> str:
    return moment.astimezone(UPCALL_ZONE).strftime("%H:%M")


def _what(event: Event) -> tuple[str, str]:
    """(icon, words) of what starts or ends."""
    mode = event.mode or ""
    if event.event == "open":
        words = msg.NOTICE_OPEN.format(mode=_MODE_WORDS.get(mode, mode))
        return _ICONS["open"], words
    if event.event == "close":
        return _ICONS["close"], msg.NOTICE_CLOSE
    words = msg.NOTICE_TO_OVERFLOW if mode == "overflow" else msg.NOTICE_TO_FULL
    return _ICONS.get(mode, _ICONS["full"]), words


def _title(notice: Notice, provider: Provider, now: dt.datetime) -> str:
    icon, what = _what(notice.event)
    if notice.kind == LEAD:
        seconds = (notice.event.at - now).total_seconds()
        minutes = max(1, math.floor(seconds / 60 + 0.5))
        return msg.NOTICE_LEAD_TITLE.format(provider=provider.name, minutes=minutes, what=what)
    title = msg.NOTICE_TITLE.format(icon=icon, provider=provider.name, what=what)
    if notice.late:
        title += msg.NOTICE_LATE.format(time=_hhmm(notice.event.at))
    return title


def _capitalized(words: str) -> str:
    return words[:1].upper() + words[1:]


def _until_words(provider: Provider, at: dt.datetime, now: dt.datetime) -> str:
    """Open or mode change: which mode, until when, and what follows."""
    status = coverage.coverage_status(provider, at)
    mode = _MODE_WORDS.get(status.mode or "", status.mode or "")
    if status.until is None:
        return _capitalized(msg.NOW_COVERED_NO_END.format(mode=mode)) + "."
    words = msg.NOTICE_UNTIL.format(mode=mode, until=until_words(status.until, now, provider))
    if status.next_mode:
        words += msg.NOW_THEN.format(mode=_MODE_WORDS.get(status.next_mode, status.next_mode))
    if status.ends is not None and status.ends != status.until:
        words += msg.NOW_ENDS.format(ends=moment_words(status.ends, now, provider))
    return _capitalized(words) + "."


def _next_words(provider: Provider, at: dt.datetime, now: dt.datetime) -> str:
    """A close: when coverage starts again, and until when."""
    status = coverage.coverage_status(provider, at)
    if status.next_start is None:
        return msg.NOTICE_NO_NEXT
    words = msg.NOTICE_NEXT.format(start=moment_words(status.next_start, now, provider))
    if status.next_start_mode == "overflow":
        words += f" ({msg.NOTICE_MODE_OVERFLOW})"
    following = coverage.coverage_status(provider, status.next_start)
    end = following.ends or following.until
    if end is not None:
        words = msg.NOTICE_NEXT_UNTIL.format(words=words, end=moment_words(end, now, provider))
    return words + "."


def _tools_words(provider: Provider) -> str | None:
    parts = []
    if provider.channels:
        parts.append(msg.NOTICE_CHANNELS.format(channels=", ".join(provider.channels)))
    if provider.systems:
        parts.append(msg.NOTICE_SYSTEMS.format(systems=", ".join(provider.systems)))
    return " · ".join(parts) or None


def _sector_blocks(provider: Provider, moment: dt.datetime, now: dt.datetime) -> list[Block]:
    """Which of the ISP's sectors are open at ``moment``: for those the document transfers to
    (``Sector.transfer``), transfer there, or open an OS."""
    if not provider.sectors:
        return [note(msg.GUIDE_NO_SECTORS.format(id=provider.id))]
    local = moment.astimezone(ZoneInfo(provider.timezone))
    lines = [msg.NOTICE_SECTORS.format(when=moment_words(moment, now, provider))]
    for sector in provider.sectors:
        status = coverage.sector_status(provider, sector, moment)
        if status.covered:
            state = (
                msg.SECTOR_OPEN.format(until=until_words(status.until, now, provider))
                if status.until is not None
                else msg.SECTOR_OPEN_NO_END
            )
            action = msg.NOTICE_TRANSFER
        else:
            state = (
                msg.SECTOR_CLOSED.format(start=moment_words(status.next_start, now, provider))
                if status.next_start is not None
                else msg.SECTOR_CLOSED_NO_START
            )
            action = msg.NOTICE_OPEN_OS
        # Only a sector the document transfers to gets an action (QA7 #20): never "transferir"
        # to a duty or a shop the document only gives the hours of.
        line = f"• {sector.name}: {state}"
        lines.append(f"{line} → {action}" if sector.transfer else line)
    blocks = [text("\n".join(lines))]
    holiday = coverage.holiday_name(provider, local.date())
    if holiday:
        blocks.append(note(msg.NOTICE_HOLIDAY.format(provider=provider.name, name=holiday)))
    blocks.append(note(msg.NOTICE_GUIDE.format(id=provider.id)))
    return blocks


def notice_reply(notice: Notice, provider: Provider, now: dt.datetime) -> Reply:
    """The notice as the group reads it at ``now``: the ISP, what starts or ends and when (on
    UPCALL's clock, and the ISP's where it differs), until when or the next window, and, while
    UPCALL attends, the channels and systems in use and which sectors take a transfer."""
    event = notice.event
    blocks: list[Block] = [
        heading(_title(notice, provider, now)),
        text(msg.NOTICE_WHEN.format(when=moment_words(event.at, now, provider))),
    ]
    if event.event == "close":
        blocks.append(text(_next_words(provider, event.at, now)))
    else:
        blocks.append(text(_until_words(provider, event.at, now)))
        tools = _tools_words(provider)
        if tools:
            blocks.append(text(tools))
        # An advance notice tells what the sectors will be at the boundary; one posted at or
        # after it, what they are now.
        moment = event.at if notice.kind == LEAD else max(now, event.at)
        blocks += _sector_blocks(provider, moment, now)
    return Reply(ReplyKind.ANSWER, tuple(blocks), provider_id=provider.id, topic_id="horario")
