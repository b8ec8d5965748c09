"""The coverage replies: /agora, /agora <isp>, /horario <isp> (windows in words) and /escala [dia]
(a day or a week, in words and as a :class:`~bot.answers.reply.Timeline` to draw).

The decisions are in :mod:`bot.coverage.engine`; this module only words them. Times are shown on
UPCALL's
clock (Brasília, GMT -3); where an ISP's zone differs at that moment (Mutum Fibra, GMT -4) its
local time follows in parentheses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.answers import messages as msg
from bot.answers import topics as answers
from bot.answers.reply import (
    Bar,
    Block,
    Button,
    Reply,
    ReplyKind,
    Span,
    Style,
    Timeline,
    TimelineRow,
    heading,
    note,
    text,
)
from bot.coverage import engine as coverage
from bot.knowledge.kb import KB
from bot.knowledge.schema import (
    HOLIDAY,
    HOLIDAY_EVE,
    WEEKDAYS,
    Hours,
    Provider,
    Sector,
    Topic,
    Window,
)
from bot.reading.text import normalize

UPCALL_ZONE = ZoneInfo("America/Sao_Paulo")
"""UPCALL's clock: the seeds write its windows in GMT -3."""

_MODE_WORDS = {"full": msg.MODE_FULL, "overflow": msg.MODE_OVERFLOW, coverage.OPEN: msg.MODE_OPEN}


def as_aware(now: dt.datetime | None) -> dt.datetime:
    """The moment asked about; a naive one is read on UPCALL's clock."""
    if now is None:
        return dt.datetime.now(dt.UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UPCALL_ZONE)


# --------------------------------------------------------------------------- clocks


def _hhmm(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")


def _day_label(day: dt.date, today: dt.date) -> str:
    delta = (day - today).days
    if delta == 0:
        return ""
    if delta == 1:
        return msg.TOMORROW
    if delta == -1:
        return msg.YESTERDAY
    return f"{msg.WEEKDAY_SHORT[day.weekday()]} {day:%d/%m}"


def _differs(provider: Provider, moment: dt.datetime) -> bool:
    local = moment.astimezone(ZoneInfo(provider.timezone))
    return local.utcoffset() != moment.astimezone(UPCALL_ZONE).utcoffset()


def _clocks_differ(zone: ZoneInfo, other: ZoneInfo, day: dt.date) -> bool:
    """Do the two zones show different times at noon of ``day``?"""
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=zone)
    return noon.astimezone(other).utcoffset() != noon.utcoffset()


def _stamp(when: dt.datetime) -> str:
    """``"seg 23/11 12:00"`` on UPCALL's clock."""
    upcall = when.astimezone(UPCALL_ZONE)
    return f"{msg.WEEKDAY_SHORT[upcall.weekday()]} {upcall:%d/%m %H:%M}"


def moment_words(moment: dt.datetime, now: dt.datetime, provider: Provider | None = None) -> str:
    """``"às 19:30"``, ``"amanhã às 08:00"``, ``"sáb 28/11 às 12:00"``; plus the ISP's local
    clock when it differs: ``"às 19:30 (18:30 no horário local)"``."""
    upcall = moment.astimezone(UPCALL_ZONE)
    label = _day_label(upcall.date(), now.astimezone(UPCALL_ZONE).date())
    clock = _hhmm(upcall)
    if provider is not None and _differs(provider, moment):
        local = _hhmm(moment.astimezone(ZoneInfo(provider.timezone)))
        clock = msg.LOCAL_CLOCK.format(here=clock, there=local)
    return f"{label} às {clock}" if label else f"às {clock}"


def until_words(moment: dt.datetime, now: dt.datetime, provider: Provider | None = None) -> str:
    """``moment_words`` after "até": tonight's midnight is "a meia-noite" ("aberto até a
    meia-noite"), not "amanhã às 00:00", which reads as the next night's."""
    upcall = moment.astimezone(UPCALL_ZONE)
    tonight = now.astimezone(UPCALL_ZONE).date() + dt.timedelta(days=1)
    if upcall.date() != tonight or (upcall.hour, upcall.minute) != (0, 0):
        return moment_words(moment, now, provider)
    if provider is not None and _differs(provider, moment):
        local = _hhmm(moment.astimezone(ZoneInfo(provider.timezone)))
        return msg.MIDNIGHT_LOCAL.format(there=local)
    return msg.MIDNIGHT


# --------------------------------------------------------------------------- /agora


def coverage_now_words(provider: Provider, now: dt.datetime | None) -> str:
    """UPCALL's coverage of the ISP now, in words ("transbordo até 08:00")."""
    when = as_aware(now)
    return _coverage_words(provider, coverage.coverage_status(provider, when), when)


def _coverage_words(provider: Provider, status: coverage.Status, now: dt.datetime) -> str:
    if provider.coverage is None:
        return msg.NOW_UNMODELLED.format(id=provider.id)
    if status.covered:
        mode = _MODE_WORDS.get(status.mode or "", status.mode or "")
        if status.until is None:
            return msg.NOW_COVERED_NO_END.format(mode=mode)
        words = msg.NOW_COVERED.format(mode=mode, until=until_words(status.until, now, provider))
        if status.next_mode:
            words += msg.NOW_THEN.format(mode=_MODE_WORDS.get(status.next_mode, status.next_mode))
        if status.ends is not None and status.ends != status.until:
            words += msg.NOW_ENDS.format(ends=moment_words(status.ends, now, provider))
        return words
    if status.next_start is None:
        return msg.NOW_NOT_COVERED_NO_START
    words = msg.NOW_NOT_COVERED.format(start=moment_words(status.next_start, now, provider))
    if status.next_start_mode == "overflow":
        words += f" ({msg.MODE_OVERFLOW})"
    return words


def now_reply(kb: KB, now: dt.datetime | None) -> Reply:
    """/agora: every ISP, covered or not, and until when or from when."""
    when = as_aware(now)
    lines = [
        f"• {p.name}: {_coverage_words(p, coverage.coverage_status(p, when), when)}"
        for p in kb.providers.values()
    ]
    return Reply(
        ReplyKind.ANSWER,
        (heading(msg.NOW_TITLE.format(when=_stamp(when))), text("\n".join(lines))),
        buttons=answers.provider_buttons(kb, kb.providers.values(), "/agora {id}"),
        topic_id="horario",
    )


def _sector_words(provider: Provider, sector: Sector, when: dt.datetime) -> tuple[bool, str]:
    status = coverage.sector_status(provider, sector, when)
    if status.covered:
        if status.until is None:
            return True, msg.SECTOR_OPEN_NO_END
        return True, msg.SECTOR_OPEN.format(until=until_words(status.until, when, provider))
    if status.next_start is None:
        return False, msg.SECTOR_CLOSED_NO_START
    return False, msg.SECTOR_CLOSED.format(start=moment_words(status.next_start, when, provider))


def provider_now_reply(
    kb: KB, provider: Provider, now: dt.datetime | None, stated: bool = False
) -> Reply:
    """/agora <isp>: UPCALL's coverage, the ISP's sectors open now, so transfer or open an OS.
    ``stated``: ``now`` is the moment a question stated ("domingo 10h"), and the title says so."""
    when = as_aware(now)
    status = coverage.coverage_status(provider, when)
    title = msg.NOW_PROVIDER_STATED_TITLE if stated else msg.NOW_PROVIDER_TITLE
    blocks: list[Block] = [
        heading(title.format(provider=provider.name, when=_stamp(when))),
        text(msg.NOW_UPCALL.format(state=_coverage_words(provider, status, when))),
    ]
    local = when.astimezone(ZoneInfo(provider.timezone))
    holiday = coverage.holiday_name(provider, local.date())
    if holiday:
        blocks.append(note(msg.NOW_HOLIDAY.format(provider=provider.name, name=holiday)))
        if coverage.holiday_to_confirm(provider, local.date()):
            blocks.append(note(msg.NOW_HOLIDAY_CONFIRM))
    if provider.sectors:
        lines = [(msg.NOW_SECTORS_STATED if stated else msg.NOW_SECTORS).format(local=_hhmm(local))]
        any_open = False
        for sector in provider.sectors:
            is_open, words = _sector_words(provider, sector, when)
            any_open = any_open or is_open
            lines.append(f"• {sector.name}: {words}")
        blocks.append(text("\n".join(lines)))
        closed = msg.GUIDE_ALL_CLOSED_STATED if stated else msg.GUIDE_ALL_CLOSED
        guide = msg.GUIDE_SOME_OPEN if any_open else closed
        blocks.append(note(guide.format(id=provider.id)))
    else:
        blocks.append(note(msg.GUIDE_NO_SECTORS.format(id=provider.id)))
    return Reply(
        ReplyKind.ANSWER,
        tuple(blocks),
        buttons=(
            Button("/horario", f"/horario {provider.id}"),
            Button("/setores", f"/setores {provider.id}"),
        ),
        provider_id=provider.id,
        topic_id="horario",
    )


# --------------------------------------------------------------------------- windows in words


def days_words(days: Sequence[str]) -> str:
    """``[mon, tue, wed, thu]`` -> ``"seg a qui"``; ``[sat, holiday]`` -> ``"sáb, feriados"``."""
    indexes = sorted(WEEKDAYS.index(d) for d in days if d not in (HOLIDAY, HOLIDAY_EVE))
    if len(indexes) == 7:
        parts = ["todos os dias"]
    else:
        runs: list[list[int]] = []
        for i in indexes:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        parts = []
        for run in runs:
            first, last = msg.WEEKDAY_SHORT[run[0]], msg.WEEKDAY_SHORT[run[-1]]
            if len(run) >= 3:
                parts.append(f"{first} a {last}")
            else:
                parts += [msg.WEEKDAY_SHORT[i] for i in run]
    if HOLIDAY in days:
        parts.append(msg.HOLIDAYS_WORD)
    if HOLIDAY_EVE in days:
        parts.append(msg.HOLIDAY_EVE_WORDS)
    return ", ".join(parts)


def _clock(
    time: dt.time, day: dt.date, zone: ZoneInfo, other: ZoneInfo | None, template: str
) -> str:
    here = dt.datetime.combine(day, time, tzinfo=zone)
    shown = _hhmm(here)
    if other is None:
        return shown
    there = _hhmm(here.astimezone(other))
    return template.format(here=shown, there=there) if there != shown else shown


def window_words(
    window: Hours, zone: ZoneInfo, other: ZoneInfo | None, ref: dt.date, template: str
) -> str:
    """One window's times: ``"08:00–18:00"``, ``"23:50 → 08:00 do dia seguinte"``,
    ``"13:00 até seg 09:00"``, ``"24h"``; the other clock in parentheses where it differs."""
    start = _clock(window.start, ref, zone, other, template)
    end = _clock(window.end, ref, zone, other, template)
    if window.end_day is not None:
        day = msg.WEEKDAY_SHORT[WEEKDAYS.index(window.end_day)]
        words = f"{start} {msg.HOURS_UNTIL_DAY.format(day=day, time=end)}"
    elif window.end > window.start:
        words = f"{start}–{end}"
    elif window.start == window.end == dt.time(0):
        words = msg.WHOLE_DAY
    elif window.end == dt.time(0) and other is None:
        words = f"{start}–24:00"
    else:
        words = f"{start} → {end} {msg.NEXT_DAY}"
    if isinstance(window, Window) and window.mode == "overflow":
        words += f" ({msg.MODE_OVERFLOW})"
    if window.note:
        words += f" ({window.note})"
    return words


def _zones(provider: Provider, ref: dt.date) -> tuple[ZoneInfo, ZoneInfo | None]:
    """UPCALL's zone, and the ISP's when its clock differs on ``ref``."""
    zone = ZoneInfo(provider.coverage.timezone if provider.coverage else UPCALL_ZONE.key)
    local = ZoneInfo(provider.timezone)
    return zone, (local if _clocks_differ(zone, local, ref) else None)


def coverage_blocks(provider: Provider, ref: dt.date) -> list[Block]:
    """UPCALL's week for this ISP, in words, with the holiday rule and the supervisors' notes."""
    cover = provider.coverage
    if cover is None:
        return []
    zone, local = _zones(provider, ref)
    title = msg.HOURS_UPCALL_LOCAL.format(zone=provider.timezone) if local else msg.HOURS_UPCALL
    lines = [title]
    for window in cover.windows:
        words = window_words(window, zone, local, ref, msg.LOCAL_CLOCK)
        lines.append(f"• {days_words(window.days)}: {words}")
    where = msg.HOURS_HOLIDAYS_WHERE.format(state=cover.holidays.subdivision or provider.state)
    if cover.holidays.extra:
        dates = ", ".join(d.strftime("%d/%m/%Y") for d in cover.holidays.extra)
        where += msg.HOURS_HOLIDAYS_EXTRA.format(dates=dates)
    on_holiday = [w for w in cover.windows if HOLIDAY in w.days]
    if not on_holiday and cover.holiday_rule == "add":
        lines.append(msg.HOURS_HOLIDAYS_NONE.format(where=where))
    else:
        windows = "; ".join(window_words(w, zone, local, ref, msg.LOCAL_CLOCK) for w in on_holiday)
        rule = msg.HOURS_HOLIDAYS_ADD if cover.holiday_rule == "add" else msg.HOURS_HOLIDAYS_REPLACE
        lines.append(rule.format(where=where, windows=windows or "—"))
    return [text("\n".join(lines)), *(note(n) for n in cover.notes)]


def sector_line(provider: Provider, sector: Sector, ref: dt.date) -> str:
    """``"• Loja: seg a sex 08:00–18:00; sáb 08:00–13:00; fechado em feriados"``."""
    zone = coverage.sector_zone(provider, sector)
    upcall = UPCALL_ZONE if _clocks_differ(zone, UPCALL_ZONE, ref) else None
    groups: dict[tuple[str, ...], list[str]] = {}
    for window in sector.windows:
        words = window_words(window, zone, upcall, ref, msg.UPCALL_CLOCK)
        groups.setdefault(tuple(window.days), []).append(words)
    parts = [f"{days_words(days)} {' e '.join(times)}" for days, times in groups.items()]
    if not parts:
        parts.append(msg.HOURS_SECTOR_CLOSED)
    if not any(HOLIDAY in w.days for w in sector.windows):
        closed = sector.holiday_rule == "replace"
        parts.append(msg.HOURS_SECTOR_HOLIDAY_CLOSED if closed else msg.HOURS_SECTOR_HOLIDAY_NORMAL)
    return f"• {sector.name}: {'; '.join(parts)}"


def sector_blocks(provider: Provider, ref: dt.date) -> list[Block]:
    if not provider.sectors:
        return []
    differs = _clocks_differ(ZoneInfo(provider.timezone), UPCALL_ZONE, ref)
    title = msg.HOURS_SECTORS_UPCALL if differs else msg.HOURS_SECTORS
    lines = [title.format(zone=provider.timezone)]
    lines += [sector_line(provider, s, ref) for s in provider.sectors]
    notes = [note(f"{s.name}: {n}") for s in provider.sectors for n in s.notes]
    return [text("\n".join(lines)), *notes]


def hours_reply(kb: KB, provider: Provider, topic: Topic, now: dt.datetime | None) -> Reply:
    """/horario <isp>: the week's windows and the ISP's own hours in words, then the seed's text."""
    ref = as_aware(now).astimezone(UPCALL_ZONE).date()
    structured = [*coverage_blocks(provider, ref), *sector_blocks(provider, ref)]
    if not structured:
        return answers.topic_reply(kb, provider, topic)
    blocks = [
        heading(msg.HOURS_TITLE.format(provider=provider.name, title=topic.title)),
        *structured,
    ]
    if answers.has_topic(provider, topic):
        blocks += answers.topic_blocks(kb, provider, topic)
    return Reply(
        ReplyKind.ANSWER,
        tuple(blocks),
        buttons=(Button("/agora", f"/agora {provider.id}"),),
        credentials=answers.has_topic(provider, topic) and kb.is_secret(provider, topic.id),
        provider_id=provider.id,
        topic_id=topic.id,
    )


# --------------------------------------------------------------------------- /escala


_WEEKDAY_WORDS = {
    "seg": 0, "segunda": 0, "ter": 1, "terca": 1, "qua": 2, "quarta": 2, "qui": 3, "quinta": 3,
    "sex": 4, "sexta": 4, "sab": 5, "sabado": 5, "dom": 6, "domingo": 6,
}  # fmt: skip
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")


def parse_day(query: str, today: dt.date) -> dt.date | None:
    """``""``/hoje, amanhã, ontem, seg..dom (the next one, today included), DD/MM[/AAAA], ISO."""
    words = normalize(query).replace(" feira", "")
    if words in ("", "hoje"):
        return today
    if words == "amanha":
        return today + dt.timedelta(days=1)
    if words == "ontem":
        return today - dt.timedelta(days=1)
    if words in _WEEKDAY_WORDS:
        return today + dt.timedelta(days=(_WEEKDAY_WORDS[words] - today.weekday()) % 7)
    stripped = query.strip()
    match = _DATE_RE.match(stripped)
    try:
        if match:
            day, month, year = int(match[1]), int(match[2]), match[3]
            if year is None:
                found = dt.date(today.year, month, day)
                # "/escala 05/01" asked in December means next January.
                return found.replace(year=today.year + 1) if (today - found).days > 180 else found
            return dt.date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        return dt.date.fromisoformat(stripped)
    except ValueError:
        return None


def _edge(moment: dt.datetime, day: dt.date, start: bool) -> str:
    local = moment.astimezone(UPCALL_ZONE)
    if local.date() == day:
        return _hhmm(local)
    if not start and local.date() == day + dt.timedelta(days=1) and local.time() == dt.time(0):
        return "24:00"
    return f"{msg.WEEKDAY_SHORT[local.weekday()]} {_hhmm(local)}"


def _local_hours(provider: Provider, day: dt.date) -> str | None:
    """``"-1"`` when the ISP's clock differs from UPCALL's at noon of ``day``, else ``None``."""
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=UPCALL_ZONE)
    if not _differs(provider, noon):
        return None
    shift = noon.astimezone(ZoneInfo(provider.timezone)).utcoffset() or dt.timedelta()
    hours = (shift - (noon.utcoffset() or dt.timedelta())) / dt.timedelta(hours=1)
    return f"{hours:+g}"


Runs = dict[tuple[str, dt.date], list[coverage.Segment]]
"""UPCALL's runs meeting each (ISP id, day), laid out once for both the words and the picture."""


def day_runs(kb: KB, days: Sequence[dt.date]) -> Runs:
    return {
        (p.id, day): coverage.day_segments(p, day, UPCALL_ZONE)
        for p in kb.providers.values()
        for day in days
    }


def _runs_of(provider: Provider, day: dt.date, runs: Runs | None) -> list[coverage.Segment]:
    if runs is not None and (provider.id, day) in runs:
        return runs[(provider.id, day)]
    return coverage.day_segments(provider, day, UPCALL_ZONE)


def day_windows(provider: Provider, day: dt.date, runs: Runs | None = None) -> str:
    """UPCALL's windows of the ISP meeting the day, on Brasília's clock: ``"seg 18:00–09:00 ·
    18:00–qua 09:00"`` (or that there are none)."""
    parts = []
    for segment in _runs_of(provider, day, runs):
        words = f"{_edge(segment.start, day, True)}–{_edge(segment.end, day, False)}"
        if segment.mode == "overflow":
            words += f" ({msg.MODE_OVERFLOW})"
        parts.append(words)
    return " · ".join(parts) or msg.SCHEDULE_NONE


def schedule_line(provider: Provider, day: dt.date, runs: Runs | None = None) -> str:
    """``"• NETCENTER: sex 22:50–08:00 · 22:50–dom 08:00"``."""
    if provider.coverage is None:
        return f"• {provider.name}: {msg.NOW_UNMODELLED.format(id=provider.id)}"
    line = f"• {provider.name}: {day_windows(provider, day, runs)}"
    holiday = coverage.holiday_name(provider, day)
    if holiday:
        line += f" ({msg.SCHEDULE_HOLIDAY.format(name=holiday)})"
    hours = _local_hours(provider, day)
    if hours is not None:
        line += msg.SCHEDULE_LOCAL.format(hours=hours)
    return line


# ---- the picture: the same days as bars (drawn by ``bot.coverage.picture``)


def _minute_of(moment: dt.datetime, day: dt.date) -> int:
    """Minutes from ``day``'s midnight on UPCALL's clock, clipped to the day (0-1440)."""
    local = moment.astimezone(UPCALL_ZONE)
    if local.date() < day:
        return 0
    if local.date() > day:
        return 24 * 60
    return local.hour * 60 + local.minute


def _clock_of(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _bar_words(start: int, end: int, from_before: bool, to_after: bool) -> str:
    if from_before and to_after:
        return msg.TIMELINE_BAR_ALL_DAY
    if from_before:
        return msg.TIMELINE_BAR_UNTIL.format(end=_clock_of(end))
    if to_after:
        return msg.TIMELINE_BAR_FROM.format(start=_clock_of(start))
    return msg.TIMELINE_BAR.format(start=_clock_of(start), end=_clock_of(end))


def day_bars(provider: Provider, day: dt.date, runs: Runs | None = None) -> tuple[Bar, ...]:
    """UPCALL's runs for ``provider`` on ``day`` (its clock), cut at the day's midnights."""
    lo, hi = coverage.day_bounds(day, UPCALL_ZONE)
    bars = []
    for segment in _runs_of(provider, day, runs):
        start, end = _minute_of(segment.start, day), _minute_of(segment.end, day)
        if start >= end:
            continue
        before, after = segment.start < lo, segment.end > hi
        words = _bar_words(start, end, before, after)
        bars.append(Bar(start, end, segment.mode, before, after, words))
    return tuple(bars)


def _row_note(provider: Provider, day: dt.date, *, clock: bool) -> str:
    parts = []
    if provider.coverage is None:
        parts.append(msg.TIMELINE_UNMODELLED)
    holiday = coverage.holiday_name(provider, day)
    if holiday:
        parts.append(msg.SCHEDULE_HOLIDAY.format(name=holiday))
    hours = _local_hours(provider, day) if clock else None
    if hours is not None:
        parts.append(msg.TIMELINE_LOCAL.format(hours=hours))
    return " · ".join(parts)


def _now_minute(now: dt.datetime, day: dt.date) -> int | None:
    local = now.astimezone(UPCALL_ZONE)
    return local.hour * 60 + local.minute if local.date() == day else None


def _day_words(day: dt.date, year: bool = True) -> str:
    """``"seg 23/11/2026"``, or ``"seg 23/11"``."""
    date = f"{day:%d/%m/%Y}" if year else f"{day:%d/%m}"
    return f"{msg.WEEKDAY_SHORT[day.weekday()]} {date}"


def day_timeline(kb: KB, day: dt.date, now: dt.datetime, runs: Runs | None = None) -> Timeline:
    """One row per ISP: its coverage on ``day``."""
    rows = tuple(
        TimelineRow(
            p.name,
            day_bars(p, day, runs),
            _row_note(p, day, clock=True),
            now=_now_minute(now, day),
        )
        for p in kb.providers.values()
    )
    title = msg.TIMELINE_TITLE.format(span=_day_words(day))
    return Timeline(title, msg.TIMELINE_ZONE, day, day, rows)


def week_timeline(
    kb: KB, days: Sequence[dt.date], now: dt.datetime, runs: Runs | None = None
) -> Timeline:
    """One group per ISP, one row per day."""
    rows: list[TimelineRow] = []
    for p in kb.providers.values():
        hours = _local_hours(p, days[0])
        group = f"{p.name} · {msg.TIMELINE_LOCAL.format(hours=hours)}" if hours else p.name
        rows += [
            TimelineRow(
                _day_words(d, year=False),
                day_bars(p, d, runs),
                _row_note(p, d, clock=False),
                group=group,
                now=_now_minute(now, d),
            )
            for d in days
        ]
    span = f"{_day_words(days[0], year=False)} a {_day_words(days[-1])}"
    return Timeline(
        msg.TIMELINE_TITLE.format(span=span), msg.TIMELINE_ZONE, days[0], days[-1], tuple(rows)
    )


# ---- the replies

_WEEK_WORDS = ("semana",)
"""``/escala semana [dia]``: seven days from ``dia`` (today when omitted)."""
WEEK_DAYS = 7
SCHEDULE_REACH = dt.timedelta(days=5 * 366)
"""How far from today /escala looks; beyond, the date is a typo (and 31/12/9999 has no next day)."""


def _usage(query: str) -> Reply:
    return Reply(ReplyKind.NOT_UNDERSTOOD, (text(msg.SCHEDULE_USAGE.format(query=query)),))


def schedule_reply(kb: KB, query: str, now: dt.datetime | None) -> Reply:
    """/escala [dia] and /escala semana [dia]: coverage (UPCALL's clock) for every ISP, as text
    and as a timeline picture."""
    when = as_aware(now)
    today = when.astimezone(UPCALL_ZONE).date()
    first_word, _, rest = query.strip().partition(" ")
    week = normalize(first_word) in _WEEK_WORDS
    day = parse_day(rest if week else query, today)
    if day is None or abs(day - today) > SCHEDULE_REACH:
        return _usage(query)
    if week:
        return week_reply(kb, day, when)
    runs = day_runs(kb, [day])
    lines = [schedule_line(p, day, runs) for p in kb.providers.values()]
    before, after = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    return Reply(
        ReplyKind.ANSWER,
        (heading(msg.SCHEDULE_TITLE.format(day=_day_words(day))), text("\n".join(lines))),
        buttons=(
            Button(f"◀ {before:%d/%m}", f"/escala {before:%d/%m/%Y}"),
            Button(f"{after:%d/%m} ▶", f"/escala {after:%d/%m/%Y}"),
        ),
        topic_id="horario",
        timeline=day_timeline(kb, day, when, runs),
    )


def week_reply(kb: KB, first: dt.date, now: dt.datetime) -> Reply:
    """/escala semana: seven days from ``first``, one paragraph per day."""
    days = [first + dt.timedelta(days=i) for i in range(WEEK_DAYS)]
    title = msg.SCHEDULE_WEEK_TITLE.format(
        first=_day_words(days[0], year=False), last=_day_words(days[-1])
    )
    blocks = [heading(title)]
    runs = day_runs(kb, days)
    for day in days:
        lines = [schedule_line(p, day, runs) for p in kb.providers.values()]
        blocks.append(text(Span(_day_words(day, year=False), Style.BOLD), "\n" + "\n".join(lines)))
    before, after = first - dt.timedelta(days=WEEK_DAYS), first + dt.timedelta(days=WEEK_DAYS)
    return Reply(
        ReplyKind.ANSWER,
        tuple(blocks),
        buttons=(
            Button(msg.SCHEDULE_WEEK_BEFORE, f"/escala semana {before:%d/%m/%Y}"),
            Button(msg.SCHEDULE_WEEK_AFTER, f"/escala semana {after:%d/%m/%Y}"),
        ),
        topic_id="horario",
        timeline=week_timeline(kb, days, now, runs),
    )
