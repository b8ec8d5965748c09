"""When UPCALL covers an ISP, and when the ISP's own sectors are open.

The YAML gives weekly windows (``bot.knowledge.schema.Coverage`` and
``bot.knowledge.schema.Sector``); this module turns
them into real intervals of time. Each window is laid out on the calendar in its own zone (UPCALL's
in America/Sao_Paulo, a sector's in the ISP's zone), converted to UTC, and the occurrences are
merged into :class:`Segment` runs of one mode: windows that touch or overlap are one run, so a
window continued by another at midnight never "closes and reopens". Where windows of different
modes overlap, ``full`` wins over ``overflow``.

Holidays (national and state, from ``holidays``, plus the YAML's ``extra`` dates) change only the
windows that *start* on the holiday: see ``Coverage.holiday_rule`` / ``Sector.holiday_rule``.

Everything here is pure: a provider and a time in, plain data out. Datetimes must be aware; the
results are aware datetimes in UTC (callers convert for display).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from bot.knowledge.derive import prepared
from bot.knowledge.schema import (
    HOLIDAY,
    HOLIDAY_EVE,
    WEEKDAYS,
    HolidayCalendar,
    Hours,
    Provider,
    Sector,
    Window,
)

if TYPE_CHECKING:
    from bot.knowledge.kb import KB

UTC = dt.UTC
OPEN = "open"
"""The mode of a sector's segments (sectors are open or closed, nothing in between)."""
_PRIORITY = {"full": 0, "overflow": 1, OPEN: 2}
"""Which mode an instant gets when windows of several modes cover it (lower wins)."""

LOOKBACK = dt.timedelta(days=8)
"""No window lasts a week: laying windows out from 8 days before catches any still running."""
LOOKAHEAD = dt.timedelta(days=15)
"""How far :func:`coverage_status` looks for the end of a run or the next start."""

EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(9998, 12, 31)
"""The dates the engine computes on: a year short of ``datetime``'s last leaves room for the look
ahead and a stated moment ("dia 25"); before 1970 the zones' old local mean times shift the clock
by odd minutes. Outside them a date is refused in words (one line), never an OverflowError."""


def supported(at: dt.datetime) -> bool:
    """Is ``at`` (its own calendar date) within ``EARLIEST`` .. ``LATEST``?"""
    return EARLIEST <= at.date() <= LATEST


EXTRA_HOLIDAY = "feriado local"
"""Name shown for a date of ``holidays.extra`` (the YAML gives no name)."""

EventKind = Literal["open", "close", "mode"]


@dataclass(frozen=True)
class Segment:
    """A maximal run of one mode, ``start <= t < end`` (aware datetimes, UTC)."""

    start: dt.datetime
    end: dt.datetime
    mode: str


@dataclass(frozen=True)
class Status:
    """The state at ``at``; ``None`` for a time beyond the span that was looked at."""

    at: dt.datetime
    covered: bool
    mode: str | None
    since: dt.datetime | None = None
    """Start of the current run of ``mode``."""
    until: dt.datetime | None = None
    """End of the current run of ``mode``: a close, or a change of mode."""
    next_mode: str | None = None
    """The mode from ``until`` on (``None``: coverage ends there)."""
    ends: dt.datetime | None = None
    """End of the continuous coverage (same as ``until`` unless the mode changes on the way)."""
    next_start: dt.datetime | None = None
    """When not covered: when coverage starts again."""
    next_start_mode: str | None = None


@dataclass(frozen=True)
class Event:
    """A boundary the group is told about: coverage opens, closes or changes mode."""

    at: dt.datetime
    provider: str
    event: EventKind
    mode: str | None
    """The mode from ``at`` on (``None`` for a close)."""


# --------------------------------------------------------------------------- holidays


@lru_cache(maxsize=256)
def _holiday_dates(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    calendar = holidays_lib.country_holidays(country, subdiv=subdivision, years=year)
    return frozenset(calendar.keys())


def calendar_of(provider: Provider) -> HolidayCalendar:
    return provider.coverage.holidays if provider.coverage else HolidayCalendar()


@lru_cache(maxsize=256)
def _holiday_names(country: str, subdivision: str | None, year: int) -> dict[dt.date, str]:
    calendar = holidays_lib.country_holidays(
        country, subdiv=subdivision, years=year, language="pt_BR"
    )
    return {day: str(name) for day, name in calendar.items()}


def holiday_name(provider: Provider, day: dt.date) -> str | None:
    """The holiday's name on ``day`` for this ISP (``None``: an ordinary day)."""
    calendar = calendar_of(provider)
    if day in calendar.extra:
        return EXTRA_HOLIDAY
    subdivision = calendar.subdivision or provider.state
    return _holiday_names(calendar.country, subdivision, day.year).get(day)


def holiday_kind(provider: Provider, day: dt.date) -> str | None:
    """``"extra"`` (listed in the YAML), ``"national"``, ``"state"`` or ``None``."""
    calendar = calendar_of(provider)
    if day in calendar.extra:
        return "extra"
    if day in _holiday_dates(calendar.country, None, day.year):
        return "national"
    subdivision = calendar.subdivision or provider.state
    if day in _holiday_dates(calendar.country, subdivision, day.year):
        return "state"
    return None


def holiday_to_confirm(provider: Provider, day: dt.date) -> bool:
    """A holiday of a kind the document says to confirm in the group (``holidays.confirm``)."""
    kind = holiday_kind(provider, day)
    return kind is not None and kind in calendar_of(provider).confirm


def is_holiday(provider: Provider, day: dt.date) -> bool:
    """A holiday whose windows apply; one to confirm counts as its weekday (nothing assumed)."""
    calendar = calendar_of(provider)
    if calendar.confirm:
        kind = holiday_kind(provider, day)
        return kind is not None and kind not in calendar.confirm
    subdivision = calendar.subdivision or provider.state
    return day in calendar.extra or day in _holiday_dates(calendar.country, subdivision, day.year)


@prepared
def _calendars_ahead(kb: KB) -> None:
    """Each ISP's holidays from the days a status looks back at to the end of next year, and
    the state of its coverage and sectors now, computed as the KB is loaded: the library's first
    calendar imports its 280 country modules (1-2 s) and each new year costs its own, which the
    first clock line of the process or the year would otherwise wait for."""
    at = kb.loaded_at if kb.loaded_at.utcoffset() is not None else dt.datetime.now(UTC)
    for provider in kb.providers.values():
        calendar = calendar_of(provider)
        subdivision = calendar.subdivision or provider.state
        for year in range((at - LOOKBACK).year, at.year + 2):
            _holiday_dates(calendar.country, None, year)
            _holiday_dates(calendar.country, subdivision, year)
            _holiday_names(calendar.country, subdivision, year)
        if provider.coverage is not None:
            coverage_status(provider, at)
        for sector in provider.sectors:
            sector_status(provider, sector, at)


# --------------------------------------------------------------------------- laying windows out


def _require_aware(moment: dt.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetime sem fuso: {moment.isoformat()}")


def _windows_starting(
    windows: Sequence[Hours], day: dt.date, holiday: bool, rule: str, eve: bool = False
) -> Iterable[tuple[Hours, str]]:
    """The windows that start on ``day``, each with the day code it starts as. ``eve``: the
    next day is a holiday (``holiday_eve`` windows start today, added to the others)."""
    weekday = WEEKDAYS[day.weekday()]
    weekday_applies = not (holiday and rule == "replace")
    for window in windows:
        as_holiday = holiday and HOLIDAY in window.days
        as_eve = eve and HOLIDAY_EVE in window.days
        if as_holiday or as_eve or (weekday_applies and weekday in window.days):
            yield window, weekday


def _occurrences(
    provider: Provider,
    windows: Sequence[Hours],
    zone: ZoneInfo,
    rule: str,
    lo: dt.datetime,
    hi: dt.datetime,
) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """Every window laid out on the calendar, as (start, end, mode) in UTC, meeting [lo, hi)."""
    out: list[tuple[dt.datetime, dt.datetime, str]] = []
    day = (lo - LOOKBACK).astimezone(zone).date()
    last = hi.astimezone(zone).date()
    while day <= last:
        holiday = is_holiday(provider, day)
        eve = any(HOLIDAY_EVE in w.days for w in windows) and is_holiday(
            provider, day + dt.timedelta(days=1)
        )
        for window, code in _windows_starting(windows, day, holiday, rule, eve):
            start = dt.datetime.combine(day, window.start, tzinfo=zone).astimezone(UTC)
            end_date = day + dt.timedelta(days=window.span_days(code))
            end = dt.datetime.combine(end_date, window.end, tzinfo=zone).astimezone(UTC)
            if end > lo and start < hi:
                mode = window.mode if isinstance(window, Window) else OPEN
                out.append((start, end, mode))
        day += dt.timedelta(days=1)
    return out


def merge(
    occurrences: Iterable[tuple[dt.datetime, dt.datetime, str]],
    lo: dt.datetime,
    hi: dt.datetime,
) -> list[Segment]:
    """Occurrences -> maximal runs of one mode inside [lo, hi); touching runs of a mode join."""
    deltas: dict[dt.datetime, dict[str, int]] = {}
    for start, end, mode in occurrences:
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        deltas.setdefault(start, {}).setdefault(mode, 0)
        deltas[start][mode] += 1
        deltas.setdefault(end, {}).setdefault(mode, 0)
        deltas[end][mode] -= 1
    active: dict[str, int] = {}
    segments: list[Segment] = []
    current: str | None = None
    since = lo
    for point in sorted(deltas):
        for mode, change in deltas[point].items():
            active[mode] = active.get(mode, 0) + change
        modes = [m for m, count in active.items() if count > 0]
        winner = min(modes, key=lambda m: _PRIORITY.get(m, 99)) if modes else None
        if winner == current:
            continue
        if current is not None and point > since:
            segments.append(Segment(since, point, current))
        current, since = winner, point
    return segments


def _span(lo: dt.datetime, hi: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    _require_aware(lo)
    _require_aware(hi)
    return lo.astimezone(UTC), hi.astimezone(UTC)


def provider_segments(provider: Provider, lo: dt.datetime, hi: dt.datetime) -> list[Segment]:
    """UPCALL's coverage of ``provider`` in [lo, hi), as runs of one mode."""
    lo, hi = _span(lo, hi)
    coverage = provider.coverage
    if coverage is None:
        return []
    zone = ZoneInfo(coverage.timezone)
    found = _occurrences(provider, coverage.windows, zone, coverage.holiday_rule, lo, hi)
    return merge(found, lo, hi)


def sector_zone(provider: Provider, sector: Sector) -> ZoneInfo:
    return ZoneInfo(sector.timezone or provider.timezone)


def sector_segments(
    provider: Provider, sector: Sector, lo: dt.datetime, hi: dt.datetime
) -> list[Segment]:
    """When the ISP's ``sector`` is open in [lo, hi)."""
    lo, hi = _span(lo, hi)
    zone = sector_zone(provider, sector)
    found = _occurrences(provider, sector.windows, zone, sector.holiday_rule, lo, hi)
    return merge(found, lo, hi)


# --------------------------------------------------------------------------- questions


def status_in(
    segments: Sequence[Segment], at: dt.datetime, lo: dt.datetime, hi: dt.datetime
) -> Status:
    """The state at ``at`` read from ``segments`` computed over [lo, hi)."""
    for i, segment in enumerate(segments):
        if segment.start <= at < segment.end:
            ends_at = segment.end
            j = i
            while j + 1 < len(segments) and segments[j + 1].start == segments[j].end:
                j += 1
                ends_at = segments[j].end
            following = segments[i + 1] if i + 1 < len(segments) else None
            joined = following is not None and following.start == segment.end
            return Status(
                at=at,
                covered=True,
                mode=segment.mode,
                since=segment.start if segment.start > lo else None,
                until=segment.end if segment.end < hi else None,
                next_mode=following.mode if joined and following else None,
                ends=ends_at if ends_at < hi else None,
            )
        if segment.start > at:
            return Status(
                at=at,
                covered=False,
                mode=None,
                next_start=segment.start,
                next_start_mode=segment.mode,
            )
    return Status(at=at, covered=False, mode=None)


_HOUR = dt.timedelta(hours=1)
_CACHE_SIZE = 64


def _around(at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The span looked at for a status at ``at``, aligned to the hour so that every question
    within the same hour reuses one computation."""
    base = at.replace(minute=0, second=0, microsecond=0)
    return base - LOOKBACK, base + LOOKAHEAD + _HOUR


def _cached(
    provider: Provider, key: tuple[Any, ...], compute: Callable[[], list[Segment]]
) -> list[Segment]:
    """Segments memoised on the provider object: a KB reload brings new objects, so a cached
    answer never outlives the windows it was computed from."""
    cache = provider._segments
    found = cache.get(key)
    if found is None:
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        found = cache[key] = compute()
    return found


def coverage_status(provider: Provider, at: dt.datetime) -> Status:
    """Is UPCALL covering ``provider`` at ``at``; in which mode, until when, or from when."""
    _require_aware(at)
    at = at.astimezone(UTC)
    lo, hi = _around(at)
    segments = _cached(provider, ("upcall", lo), lambda: provider_segments(provider, lo, hi))
    return status_in(segments, at, lo, hi)


def sector_status(provider: Provider, sector: Sector, at: dt.datetime) -> Status:
    """Is the ISP's ``sector`` open at ``at``; until when, or when it opens."""
    _require_aware(at)
    at = at.astimezone(UTC)
    lo, hi = _around(at)
    segments = _cached(
        provider, ("sector", sector.id, lo), lambda: sector_segments(provider, sector, lo, hi)
    )
    return status_in(segments, at, lo, hi)


def covered_at(provider: Provider, at: dt.datetime) -> bool:
    return coverage_status(provider, at).covered


def mode_at(provider: Provider, at: dt.datetime) -> str | None:
    return coverage_status(provider, at).mode


def open_at(provider: Provider, sector: Sector, at: dt.datetime) -> bool:
    return sector_status(provider, sector, at).covered


# --------------------------------------------------------------------------- notices


def boundary_events(provider_id: str, segments: Sequence[Segment]) -> list[Event]:
    """Every open, close and change of mode between the runs (not at the span's own edges)."""
    events: list[Event] = []
    previous: Segment | None = None
    for segment in segments:
        if previous is None or previous.end < segment.start:
            if previous is not None:
                events.append(Event(previous.end, provider_id, "close", None))
            events.append(Event(segment.start, provider_id, "open", segment.mode))
        else:
            events.append(Event(segment.start, provider_id, "mode", segment.mode))
        previous = segment
    if previous is not None:
        events.append(Event(previous.end, provider_id, "close", None))
    return events


def notices(providers: Iterable[Provider], start: dt.datetime, end: dt.datetime) -> list[Event]:
    """The notices due in [start, end), in time order: what a scheduler posts (no advance ones)."""
    start, end = _span(start, end)
    lo, hi = start - LOOKBACK, end + LOOKBACK
    events: list[Event] = []
    for provider in providers:
        segments = provider_segments(provider, lo, hi)
        events += [
            e
            for e in boundary_events(provider.id, segments)
            if start <= e.at < end and lo < e.at < hi
        ]
    events.sort(key=lambda e: (e.at, e.provider))
    return events


def day_bounds(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight to local midnight of ``day`` in ``zone``, in UTC."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return start, end.astimezone(UTC)


def day_segments(provider: Provider, day: dt.date, zone: ZoneInfo) -> list[Segment]:
    """The runs meeting ``day`` (local to ``zone``), whole: a night shift keeps its real ends."""
    start, end = day_bounds(day, zone)
    lo, hi = start - LOOKBACK, end + LOOKBACK

    def compute() -> list[Segment]:
        return [s for s in provider_segments(provider, lo, hi) if s.end > start and s.start < end]

    return _cached(provider, ("day", day, zone.key), compute)
