"""The moment a question states: "domingo 10h", "17h sábado", "sexta às 23h", "hj é domingo".

Agents write the day and the hour when they know them ("netcenter n2 atende agr? domingo 10h"):
the clock of the answer is then that moment, not the server's. Only a moment the text clearly
states counts:

* a **day and an hour** side by side, in either order, with at most a linking word between
  ("domingo 10h", "17h sábado", "sexta às 23h", "2h da manhã de terça", "sábado meio dia");
* **hoje/amanhã and an hour** ("hj 22h", "amanhã às 8h");
* **an hour after "agora", "são" or "às"** ("agora 17h", "são 9h", "o cliente ligou às 22:30"),
  not after a verb of opening hours ("abre às 8h?" asks the hours) nor within a range
  ("das 8h às 18h");
* **a day stated as today** ("hoje é domingo", "hj é sábado");
* **ontem, or a date, and an hour** ("ontem 22h", "dia 25 às 10h", "25/12 10h");
* in a question about UPCALL's coverage or /agora's arguments (``alone``), **an hour or a day by
  itself** ("mutum 14h é com a gente?", "vmnet amanhã é com a gente?").

Said of the past (a past-tense verb beside it: "pagou sexta às 16h", "tava aberto"), it is the
last such moment, not the next.

An hour is 0-23, written "10h", "12h30", "10hs", "22:30", "10 horas" (after "às"/"são"),
"meio dia", "meia noite" (beside a day, the midnight that ends it: "sexta meia noite" is
Saturday 0h), optionally with "da manhã/tarde/noite". "48h", "72 horas",
"10 dias" are spans, never a moment; an hour after "em", "prazo de", "até", "das"... is a span or
a limit, not a moment. A full weekday name needs its hour or "hoje é" ("segunda via" is no day);
its short forms ("sáb", "ter", "qua") count only beside an hour.

The words of a stated moment are a circumstance, not a topic: "domingo" beside its hour does not
point to the weekend shift (``bot.reading.reader.without_circumstances``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.reading.text import SERVICE_ORDER

DAYS = {
    "segunda": 0, "terca": 1, "quarta": 2, "quinta": 3, "sexta": 4, "sabado": 5, "domingo": 6,
}  # fmt: skip
"""Weekday names (accents folded) -> Monday-based index."""
SHORT_DAYS = {"seg": 0, "ter": 1, "qua": 2, "qui": 3, "sex": 4, "sab": 5, "dom": 6}
"""Short forms: a day only beside an hour ("sáb 10h"; "ter" is also "to have")."""
TODAY, TOMORROW = frozenset({"hoje", "hj"}), frozenset({"amanha"})
YESTERDAY = frozenset({"ontem"})
MONTHS = {
    "janeiro": 1, "fevereiro": 2, "marco": 3, "abril": 4, "maio": 5, "junho": 6, "julho": 7,
    "agosto": 8, "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
}  # fmt: skip
"""Month names (accents folded): "25 de dezembro"."""
_PAST = re.compile(r"^(?!estou$)\w{2,}ou$|^\w+(aram|eram|iram|avam)$|^\w{2,}ava$|^\w{2,}[ei]u$")
"""A verb in a past tense: "ligou", "pagaram", "tava", "estava", "caiu", "bateu"."""
PAST_WORDS = frozenset(
    """
    era eram foi foram teve tiveram tinha tinham fez fizeram esteve estiveram veio vieram deu
    atendia atendiam abria fechava tava tavam ontem
    """.split()  # noqa: SIM905
)
_NOT_PAST = frozenset(
    {"trava", "lava", "cava", "java", "brava", "oitava", "museu", "europeu", "pneu", "chapeu"}
)
PAST_REACH = 4
"""A past verb this many words before a moment or after it makes it the last such moment:
"pagou sexta às 16h", "domingo 10h era com a gente?"."""
HOLIDAY = frozenset({"feriado"})
"""A holiday beside an hour ("feriado 10h", "10h do feriado") or stated as today ("hoje é
feriado"): the ISP's next holiday (its calendar, ``resolve``'s ``holiday``), at that hour."""
LINKS = frozenset({"de", "a", "as", "ao", "da", "do", "no", "na", "e", "feira"})
"""Words that may stand between a day and its hour ("10h de segunda", "sexta às 23h")."""
_INTRODUCERS = frozenset({"agora", "agr", "sao", "as"})
"""An hour right after these is the moment meant ("agora 17h", "são 9h", "às 22:30")."""
_SPAN_AFTER = frozenset(
    """
    sem seguidas seguidos corridas corridos uteis direto direta diretas atras parado parada
    fora offline depois apos antes pra para de horas
    """.split()  # noqa: SIM905
)
"""Words after an hour that make it a span ("20h sem internet", "12h seguidas")."""


def _heads_the_question(words: Sequence[str], time: _Time) -> bool:
    """An hour of the clock opening the question -- after the ISP's name, which the reader
    takes out ("lasernet 20h cliente quer cancelar", "mutum, 22h, transfiro?") -- is the
    moment asked, as after "às"; not when the words after it make it a span ("20h sem
    internet") nor when a day follows ("20h de terça": the day's own rule reads it)."""
    if time.start != 0 or time.bare or time.spoken or time.hour > 23:
        return False
    return time.end >= len(words) or words[time.end] not in _SPAN_AFTER


_LIMITS = frozenset(
    """
    ate das dos desde partir apos depois antes entre em de por ha prazo durante dentro uns
    umas cerca mais menos quase r
    """.split()  # noqa: SIM905
)
"""Before an hour or a day (or before its "às"), these make it a limit or a span: "até 18h",
"das 8h", "em 2h", "prazo de 12h", "R$ 10,00", "desde sexta 10h", "até sexta 18h"."""
_ASKING = frozenset(
    """
    abre abrem abrir fecha fecham fechar funciona funcionam atende atendem aberto aberta
    abertos abertas fechado fechada volta voltam inicia comeca termina encerra
    """.split()  # noqa: SIM905
)
"""Before an hour (or its "às"), these make it the hours asked: "abre às 8h?". Before a day
and its hour they ask about that moment: "funciona domingo 15h?", "atende terça 14h?"."""
_NOT_A_MOMENT = _LIMITS | _ASKING
_PARTS = {"manha": 0, "madrugada": 0, "tarde": 12, "noite": 12}
_HOUR = re.compile(r"^(\d{1,2})(?:h|hs|hrs?)(\d{2})?$")
_NUMBER = re.compile(r"^\d{1,2}$")
_MINUTES = re.compile(r"^(\d{2})h?$")
_HOUR_WORDS = frozenset({"h", "hs", "hr", "hrs"})
_HOURLESS = frozenset({"meio", "meia", "hoje", "hj", "agora", "agr", "amanha", "ontem"})
"""Words a stated moment may have when it has no digit ("meio dia", "hoje é domingo")."""
_RANGE = frozenset({"as", "a", "ate"})


class NoSuchDate(ValueError):
    """A date stated that its month never has near now ("31/11", "30/02"): no moment, and never
    the present one in its place."""

    def __init__(self, day: int, month: int) -> None:
        super().__init__(f"{day:02d}/{month:02d}")
        self.shown = f"{day:02d}/{month:02d}"


@dataclass(frozen=True)
class Stated:
    """A moment the question states; ``None`` fields were not said."""

    weekday: int | None
    days_ahead: int | None
    """0 for "hoje", 1 for "amanhã"."""
    hour: int | None
    minute: int
    at: frozenset[int]
    """Positions of its words (the day, the hour) in the words read."""
    holiday: bool = False
    """The day is a holiday ("feriado 10h"): the next one of the ISP's calendar."""
    past: bool = False
    """Said of the past ("ligou domingo 10h", "sexta 16h tava aberto?"): the last such moment."""
    midnight: bool = False
    """The midnight ending the day named ("domingo meia noite"; ``weekday`` is the next day)."""
    date: tuple[int, int | None, int | None] | None = None
    """A date stated (day, month, year): "dia 25 às 10h", "25/12 10h"; the next such date."""
    whole_day: bool = False
    """A day by itself, not today ("vmnet amanhã é com a gente?", "domingo é com a gente?"):
    the question is about that whole day, not its present time of day."""


@dataclass(frozen=True)
class _Time:
    hour: int
    minute: int
    start: int
    end: int
    """Position after the last word (its "da manhã" included)."""
    bare: bool
    """A bare number: an hour only after "às"/"são" and beside its day ("sexta às 23")."""
    spoken: bool = False
    """ "22 horas": an hour after "às"/"são" or beside its day ("domingo 22 horas"); else a
    span ("ficou 3 horas sem internet")."""
    part: bool = False
    """Said with its part of the day ("2h da manhã", "9 da noite"): an hour of the clock, never
    a span -- the moment meant, as after "às"."""
    midnight: bool = False
    """ "meia noite", "12h30 da noite": after the midnight that ends the day beside it ("sexta
    meia noite" is the night from Friday to Saturday; "hoje à meia noite", tonight's; "0h de
    sábado" says the same)."""


def _time_at(words: Sequence[str], i: int) -> _Time | None:
    word = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    bare = midnight = part_said = False
    if word == "meio" and nxt == "dia":
        hour, minute, end = 12, 0, i + 2
    elif word == "meia" and nxt == "noite":
        hour, minute, end, midnight = 0, 0, i + 2, True
    elif (found := _HOUR.match(word)) is not None:
        hour, minute, end = int(found[1]), int(found[2] or 0), i + 1
    elif _NUMBER.match(word):
        hour, minute, end = int(word), 0, i + 1
        minutes = _MINUTES.match(nxt)
        if minutes is not None:  # "22:30" reads "22 30"
            minute, end = int(minutes[1]), i + 2
        elif nxt in _HOUR_WORDS:
            end = i + 2
        elif nxt == "horas":  # "às 22 horas", "domingo 22 horas"
            end = i + 2
            return None if hour > 23 else _Time(hour, 0, i, end, False, spoken=True)
        elif nxt == "da" and i + 2 < len(words) and words[i + 2] in _PARTS:
            end = i + 1
        else:
            bare = True
    else:
        return None
    if end < len(words) and words[end] == "reais":
        return None
    if end + 1 < len(words) and words[end] == "da" and words[end + 1] in _PARTS:
        part = words[end + 1]
        if part == "noite" and hour == 12:
            hour, midnight = 0, True
        elif hour < 12 and (part == "tarde" or (part == "noite" and hour >= 6)):
            hour += _PARTS[part]
        end += 2
        bare = False
        part_said = True
    if hour > 23 or minute > 59:
        return None
    return _Time(hour, minute, i, end, bare, part=part_said, midnight=midnight)


@dataclass(frozen=True)
class _Date:
    start: int
    end: int
    day: int
    month: int | None
    year: int | None

    @property
    def possible(self) -> bool:
        return self.year is None or self.year in YEARS


_YEAR = re.compile(r"^(\d{2}|\d{4})$")
YEARS = range(2000, 2100)
"""The years a stated date may have ("25/12/26" is 2026). Another year ("31/12/9999 23h") makes
the date, and the hour beside it, no moment: past the dates computed (it was an OverflowError)."""


def _number(word: str, low: int, high: int) -> int | None:
    return int(word) if word.isdigit() and len(word) <= 2 and low <= int(word) <= high else None


def _date_at(words: Sequence[str], i: int) -> _Date | None:
    """ "dia 25", "dia 25/12", "25 de dezembro", "25/12" (read "25 12"; "10/12" only beside an
    hour, "10:12" reads the same), "25/12/2026"."""
    start = i
    named = words[i] == "dia"
    if named:
        i += 1
    if i >= len(words) or (day := _number(words[i], 1, 31)) is None:
        return None
    month: int | None = None
    year: int | None = None
    end = i + 1
    if end + 1 < len(words) and words[end] == "de" and words[end + 1] in MONTHS:
        month, end = MONTHS[words[end + 1]], end + 2
    elif end < len(words) and (number := _number(words[end], 1, 12)) is not None:
        month, end = number, end + 1
        if end < len(words) and words[end].isdigit() and _YEAR.match(words[end]):
            year, end = int(words[end]), end + 1
            year += 2000 if year < 100 else 0
        elif not named and day <= 23:
            # "10 12" is also 10:12: a date only when an hour stands beside it.
            after = words[end + (end < len(words) and words[end] in _RANGE) :][:1]
            before = words[max(start - 2, 0) : start]
            if not any(_HOUR.match(w) for w in [*after, *before]):
                return None
    elif not named:
        return None
    return _Date(start, end, day, month, year)


def _dates(words: Sequence[str]) -> list[_Date]:
    out: list[_Date] = []
    for i in range(len(words)):
        if out and i < out[-1].end:
            continue
        if (words[i] == "dia" or words[i][:1].isdigit()) and (found := _date_at(words, i)):
            out.append(found)
    return out


def _times(words: Sequence[str], dates: Sequence[_Date] = ()) -> list[_Time]:
    taken = {i for d in dates for i in range(d.start, d.end)}
    found = [
        t for i in range(len(words)) if i not in taken and (t := _time_at(words, i)) is not None
    ]
    # Overlaps ("22 30" is also a bare "30"): the earlier reading wins.
    out: list[_Time] = []
    for t in found:
        if not out or t.start >= out[-1].end:
            out.append(t)
    return out


def _in_range(words: Sequence[str], times: Sequence[_Time], k: int) -> bool:
    """ "das 8h às 18h", "8h-18h" (read "8h 18h"): hours of a window, not a moment. Only the
    hours just before and after ``times[k]`` can be its other end (at most one word between):
    looking no further keeps a message full of hours linear."""
    time = times[k]
    for other in times[max(k - 1, 0) : k + 2]:
        if other is time:
            continue
        between = words[min(time.end, other.end) : max(time.start, other.start)]
        if len(between) <= 1 and all(w in _RANGE for w in between):
            return True
    return False


def _limited(words: Sequence[str], start: int, blocking: frozenset[str] = _NOT_A_MOMENT) -> bool:
    """Is the hour (or day) at ``start`` a span, a limit or the hours asked ("até 18h", "abre
    às 8h", "desde sexta")?"""
    before = start - 1
    if before >= 0 and words[before] == "as":
        before -= 1
    return before >= 0 and words[before] in blocking


def _day_at(words: Sequence[str], i: int, short: bool) -> int | None:
    word = words[i]
    if word in DAYS:
        return DAYS[word]
    if word == "2a" or (word[:1] in "23456" and word[1:] == "a" and len(word) == 2):
        return int(word[0]) - 2 if i + 1 < len(words) and words[i + 1] == "feira" else None
    return SHORT_DAYS.get(word) if short else None


@dataclass(frozen=True)
class _Day:
    at: frozenset[int]
    weekday: int | None = None
    ahead: int | None = None
    holiday: bool = False
    date: _Date | None = None


def _near(words: Sequence[str], time: _Time, dates: Sequence[_Date] = ()) -> _Day | None:
    """A day, a date, "hoje", "amanhã", "ontem" or "feriado" beside the hour."""
    before = [time.start - 1, time.start - 2]
    after = [time.end, time.end + 1]
    for where, link in ((before[0], None), (before[1], before[0]), (after[0], None),
                        (after[1], after[0])):  # fmt: skip
        if where < 0 or where >= len(words):
            continue
        if link is not None and words[link] not in LINKS:
            continue
        for date in dates:
            if (where < time.start and where == date.end - 1) or where == date.start:
                return _Day(frozenset(range(date.start, date.end)), date=date)
        if words[where] == "feira" and where - 1 >= 0:
            where -= 1
        day = _day_at(words, where, short=True)
        if day is not None:
            return _Day(frozenset({where}), weekday=day)
        if words[where] in TODAY:
            return _Day(frozenset({where}), ahead=0)
        if words[where] in TOMORROW:
            return _Day(frozenset({where}), ahead=1)
        if words[where] in YESTERDAY:
            return _Day(frozenset({where}), ahead=-1)
        if words[where] in HOLIDAY:
            return _Day(frozenset({where}), holiday=True)
    return None


def _is_past(word: str) -> bool:
    return word not in _NOT_PAST and (word in PAST_WORDS or _PAST.match(word) is not None)


FUTURE_WORDS = frozenset(
    """
    vai vao vou vamos ira irao iremos pretende pretendem quer querem pode podem posso
    consegue conseguem deve devem devo precisa precisam proximo proxima agendar marcar
    """.split()  # noqa: SIM905
)
"""Words of a moment to come ("vai ligar domingo 10h", "pode ligar domingo 10h?", "próximo
domingo 10h"): nearer the moment than a past verb, the moment is the next one ("ligou, vai
retornar domingo 10h"). Also "pra"/"para" before the moment or an infinitive ("pediu pra
retornar domingo 10h"; not "ligou pra gente domingo 10h")."""
_PURPOSE = frozenset({"pra", "para"})


def _future(words: Sequence[str], i: int, at: frozenset[int]) -> bool:
    if words[i] in FUTURE_WORDS:
        return True
    nxt = words[i + 1] if i + 1 < len(words) else ""
    return words[i] in _PURPOSE and (i + 1 in at or (nxt.endswith(("ar", "er", "ir"))))


def _past(words: Sequence[str], at: frozenset[int]) -> bool:
    """A verb in a past tense beside the moment ("pagou sexta às 16h", "domingo 10h era com a
    gente?", "ligou ontem"), unless a word of a moment to come stands nearer it ("ligou, vai
    retornar domingo 10h": the nearest of them says which)."""
    first, last = min(at), max(at)
    before = range(first - 1, max(first - PAST_REACH, 0) - 1, -1)
    after = range(last + 1, min(last + 1 + PAST_REACH, len(words)))
    nearest: list[tuple[int, bool]] = []  # (distance, past?)
    for side, edge in ((before, first), (after, last)):
        for i in side:
            if _is_past(words[i]):
                nearest.append((abs(i - edge), True))
                break
            if _future(words, i, at):
                nearest.append((abs(i - edge), False))
                break
    return bool(nearest) and min(nearest)[1]


def stated(words: Sequence[str], alone: bool = False) -> Stated | None:
    """The moment the words (normalised) state, if one is clearly stated. ``alone``: the
    question asks about UPCALL's coverage ("mutum 14h é com a gente?", "vmnet amanhã é com a
    gente?"), where an hour or a day by itself is the moment asked."""
    return _stated(tuple(words), alone)


_HOURLESS_ALONE = _HOURLESS | DAYS.keys()


@lru_cache(maxsize=1024)
def _stated(words: tuple[str, ...], alone: bool) -> Stated | None:
    """``stated``, remembered: one answer reads the same words several times (the
    circumstances, the words of when, the opening hours, the clock)."""
    hourless = _HOURLESS_ALONE if alone else _HOURLESS
    if hourless.isdisjoint(words) and not any(w[:1].isdigit() for w in words):
        return None  # the usual question: no digit, no "meio dia", no "hoje é"
    dates = _dates(words)
    times = _times(words, dates)
    lone: Stated | None = None
    for k, time in enumerate(times):
        if _in_range(words, times, k) or _limited(words, time.start):
            continue
        after_as = time.start > 0 and words[time.start - 1] in ("as", "sao")
        if time.bare and not after_as:
            continue  # "sexta dia 10" is a date; "sexta às 23" an hour
        span = set(range(time.start, time.end))
        near = _near(words, time, dates)
        if near is not None and near.date is not None and not near.date.possible:
            continue  # "31/12/9999 23h": no moment, nor 23h alone
        if near is not None:
            if min(near.at) < time.start and _limited(words, min(near.at), _LIMITS):
                continue  # "desde sexta 10h", "até sexta 18h": a start or a limit
            weekday, ahead = near.weekday, near.ahead
            midnight = time.midnight and not near.holiday  # the midnight that ends that day
            if midnight:
                weekday = None if weekday is None else (weekday + 1) % 7
                ahead = None if ahead is None else ahead + 1
            at = frozenset(span | near.at)
            date = None if near.date is None else (near.date.day, near.date.month, near.date.year)
            past = ahead is None and not near.holiday and _past(words, at)
            return Stated(
                weekday, ahead, time.hour, time.minute, at, near.holiday, past, midnight, date
            )
        if time.spoken and not after_as:
            continue  # "ficou 3 horas sem internet": a span
        introduced = (
            time.part
            or (time.start > 0 and words[time.start - 1] in _INTRODUCERS)
            or _heads_the_question(words, time)
        )
        if (introduced or alone) and not time.bare and lone is None:
            at = frozenset(span)
            lone = Stated(None, None, time.hour, time.minute, at, past=_past(words, at))
    if lone is not None:
        return lone
    for i, word in enumerate(words[:-1]):
        if word not in TODAY and word not in ("agora", "agr"):
            continue
        j = i + 1 + (words[i + 1] in ("e", "eh"))
        day = _day_at(words, j, short=False) if j < len(words) else None
        if day is not None:
            return Stated(day, None, None, 0, frozenset({j}))
        if j < len(words) and words[j] in HOLIDAY and word in TODAY:
            return Stated(None, None, None, 0, frozenset({j}), holiday=True)
    for i, word in enumerate(words[:-1]):
        if word in HOLIDAY and words[i + 1] in TODAY:  # "feriado hoje", "feriado hj"
            return Stated(None, None, None, 0, frozenset({i}), holiday=True)
    if alone:  # "vmnet amanhã é com a gente?", "domingo é com a gente?", "dia 25 ..."
        for i, word in enumerate(words):
            if i > 0 and _limited(words, i, _LIMITS):
                continue
            ahead = (
                0 if word in TODAY else 1 if word in TOMORROW else -1 if word in YESTERDAY else None
            )
            day = DAYS.get(word)
            if ahead is not None or day is not None:
                at = frozenset({i})
                past = ahead is None and _past(words, at)
                return Stated(day, ahead, None, 0, at, past=past, whole_day=ahead != 0)
        for found in dates:
            if not found.possible:
                continue
            if found.start == 0 or not _limited(words, found.start, _LIMITS):
                at = frozenset(range(found.start, found.end))
                return Stated(
                    None, None, None, 0, at, past=_past(words, at),
                    date=(found.day, found.month, found.year), whole_day=True,
                )  # fmt: skip
    return None


UPCALL_CLOCK, LOCAL_CLOCK = "upcall", "local"
_CLOCK_NAMES = (
    (
        UPCALL_CLOCK,
        re.compile(
            r"\b(horario|hora|hr|horas) (de|da|em) (brasilia|bsb|sp|sao paulo|upcall)\b"
            r"|\b(brasilia|bsb)\b|\bnoss[oa] (horario|hora)\b|\bhorario nosso\b"
            r"|\bgmt 3\b|\butc 3\b"
        ),
    ),
    (
        LOCAL_CLOCK,
        re.compile(
            r"\b(horario|hora|hr|horas) (deles|dele|dela|local|do provedor|da cidade)\b"
            r"|\b(horario|hora|hr|horas) (de|do|da) (la|mato grosso|mt|cuiaba)\b"
            r"|\bfuso (deles|dele|local|do provedor)\b|\bgmt 4\b|\butc 4\b"
        ),
    ),
)
"""Which clock an hour is said on, when the question names one: Brasília's (UPCALL's: "9h
horário de Brasília", "BSB", "no nosso horário", "GMT-3") or the ISP's own ("horário deles",
"hora local", "horário de lá", "horário de Mato Grosso", "GMT-4")."""


def named_clock(words: Sequence[str]) -> str | None:
    """``UPCALL_CLOCK`` or ``LOCAL_CLOCK`` when the words (normalised) name the clock of the
    hour they state; ``None`` when they name none, or both."""
    said = " ".join(words)
    found = {name for name, pattern in _CLOCK_NAMES if pattern.search(said)}
    return found.pop() if len(found) == 1 else None


def clock_words(words: Sequence[str]) -> set[int]:
    """Positions of the words naming the clock ("horário de Brasília"): a circumstance."""
    said = " ".join(words)
    starts = [0]
    for w in words[:-1]:
        starts.append(starts[-1] + len(w) + 1)
    out: set[int] = set()
    for _, pattern in _CLOCK_NAMES:
        for found in pattern.finditer(said):
            out.update(i for i, at in enumerate(starts) if found.start() <= at < found.end())
    return out


_BAD_HOUR = re.compile(r"^(\d{1,2})(?:h|hs|hrs?)(\d{2})?$|^(\d{1,2}):(\d{2})$")


def invalid_hour(words: Sequence[str]) -> str | None:
    """An hour written that no clock has ("25h", "10h75", "24:30"), as typed: the arguments
    of /agora ("/agora mutum 25h") say an hour, never a span."""
    for word in words:
        found = _BAD_HOUR.match(word)
        if found is None:
            continue
        hour = int(found[1] or found[3])
        minute = int(found[2] or found[4] or 0)
        if hour > 23 or minute > 59:
            return word
    return None


_WHOLE_HOURS = re.compile(r"^(\d{1,2})(?:h|hs|hrs?)$")


def a_span(word: str) -> bool:
    """Whole hours past a day's ("48h", "72hrs"): a span an ISP's rule counts ("desbloqueio por
    48h", "prazo de 72h"), not an hour of the clock -- unless a day is stated beside it."""
    found = _WHOLE_HOURS.match(word)
    return found is not None and int(found[1]) > 23


GRACE = dt.timedelta(hours=1)
"""An hour alone ("são 9h", "às 22:30") is today's when it is at most this much past; else the
next day's: the next such moment from now. Across midnight, the one at most this much past is
yesterday's ("são 23h30" said at 00:30), and a weekday's may be last week's ("domingo 23h50"
said on Monday at 00:20)."""


HOLIDAY_SEARCH = 400
"""Days looked ahead for the next holiday ("feriado 10h")."""


def resolve(
    said: Stated,
    now: dt.datetime,
    zone: ZoneInfo,
    holiday: Callable[[dt.date], bool] | None = None,
) -> dt.datetime:
    """The moment meant, on the ISP's clock (``zone``): that day (today included, or the next
    such weekday or date; for "feriado", the next day ``holiday`` says is one, else today; said
    of the past, the last such one) at that hour (else at the present time of day)."""
    local = now.astimezone(zone)
    day = local.date()
    clock = (
        dt.time(local.hour, local.minute) if said.hour is None else dt.time(said.hour, said.minute)
    )
    if said.holiday:
        ahead = (day + dt.timedelta(days=n) for n in range(HOLIDAY_SEARCH))
        day = next((d for d in ahead if holiday is not None and holiday(d)), day)
        return dt.datetime.combine(day, clock, tzinfo=zone)
    if said.date is not None:
        return _on_date(said, local, clock)
    if said.days_ahead is not None:
        day += dt.timedelta(days=said.days_ahead)
    elif said.weekday is not None:
        days = (said.weekday - day.weekday()) % 7
        if said.midnight:  # the day named is the one before: today's when today is that day
            days = (said.weekday - 1 - day.weekday()) % 7 + 1
        day += dt.timedelta(days=days)
    moment = dt.datetime.combine(day, clock, tzinfo=zone)
    if said.days_ahead is not None or (said.hour is None and not said.past):
        return moment
    period = dt.timedelta(days=1 if said.weekday is None else 7)
    if said.past:  # "pagou sexta às 16h": the last such moment
        while moment > local:
            moment -= period
        return moment
    if moment - period >= local - GRACE:
        return moment - period
    if said.weekday is None and moment < local - GRACE:
        moment += period
    return moment


def _on_date(said: Stated, local: dt.datetime, clock: dt.time) -> dt.datetime:
    """ "dia 25 às 10h", "25/12 10h": the next such date (today included), or the last one
    said of the past; a day a month lacks is skipped to the next month that has it. A day its
    month lacks ("31/11"): :class:`NoSuchDate`."""
    assert said.date is not None
    day, month, year = said.date
    if year is not None and month is not None:
        dates = [(year, month)]
    elif month is not None:
        dates = [(local.year + n, month) for n in (-1, 0, 1)]
    else:
        dates = [
            (local.year + (local.month - 1 + n) // 12, (local.month - 1 + n) % 12 + 1)
            for n in range(-1, 13)
        ]
    candidates = []
    for y, m in dates:
        try:
            on = dt.datetime.combine(dt.date(y, m, day), clock, tzinfo=local.tzinfo)
        except ValueError:  # 31/04, 30/02
            continue
        candidates.append(on + dt.timedelta(days=1) if said.midnight else on)
    if not candidates:
        assert month is not None  # a day alone is found in some month of the next year
        raise NoSuchDate(day, month)
    if said.past:
        past = [c for c in candidates if c <= local]
        return max(past) if past else candidates[0]
    today = dt.datetime.combine(local.date(), dt.time(), tzinfo=local.tzinfo)
    ahead = [c for c in candidates if c >= today]
    return min(ahead) if ahead else max(candidates)


OPENING = frozenset(
    "abre abrem fecha fecham aberto aberta abertos abertas fechado fechada".split()  # noqa: SIM905
)
"""Words asking whether or when a place is open: a day beside them is the day asked about
("a loja abre sábado?"), not the weekend shift."""
WORKING = frozenset("funciona funcionam funcionando".split())  # noqa: SIM905
"""... and these, said of a place ("o presencial funciona sábado?"; "o suporte funciona
domingo?" asks about a team, the weekend shift)."""
PLACES = frozenset(
    """
    loja lojas matriz filial filiais sede showroom presencial escritorio unidade agencia
    balcao
    """.split()  # noqa: SIM905
)
"""Places that open and close (the answer is the contacts': "Horário Loja: Seg a Sex 08h-18h")."""
TEAMS = frozenset(
    """
    suporte sac financeiro comercial tecnico tecnicos setor setores n2 n3 ouvidoria
    retencao cobranca plantao upcall equipe noc
    """.split()  # noqa: SIM905
)
"""Teams, not places: "que horas o suporte abre?" asks a sector's hours or the shift's."""
TICKETS = frozenset(
    """
    os chamado chamados ocorrencia ocorrencias protocolo protocolos ticket tickets solicitacao
    solicitacoes reclamacao
    """.split()  # noqa: SIM905
) | {SERVICE_ORDER}
"""What an agent opens ("abre OS sábado?", "abro chamado que horas?"): then "abre" is no
place opening."""
_ARTICLES = frozenset({"o", "a", "um", "uma", "uns", "umas"})
_WHAT = frozenset({"que", "q"})
HOURS_WRITTEN = frozenset({"horas", "hrs", "hs"})
"""The word "horas" as agents type it alone ("abre que hrs?"); "10hrs" is an hour (``_HOUR``)."""
_WHEN_ASKED = re.compile(
    r"\b(que|q) (horas|hrs|hs)\b|\bate quando\b|\bquando\b|\bhorarios?\b|\balmoco\b"
)


def asks_opening_hours(words: Sequence[str]) -> bool:
    """ "A matriz abre que horas?", "fica aberto até quando?", "o presencial funciona sábado?",
    "... funciona agora? 17h sábado": whether or when a place opens, on a day or at an hour (not
    a team: "o financeiro abre sábado?")."""
    return _opening(words, stated(words))


def _opens_a_ticket(words: Sequence[str], i: int) -> bool:
    """ "abre OS", "abre uma ocorrência": the verb at ``i`` opens a ticket, not a door."""
    after = words[i + 1 : i + 3]
    if after[:1] and after[0] in _ARTICLES:
        after = after[1:]
    return bool(after) and after[0] in TICKETS


def opening_words(words: Sequence[str]) -> list[int]:
    """Positions of the words asking whether a place opens ("abre", "fechado"), not those
    opening a ticket ("abre OS")."""
    if OPENING.isdisjoint(words):
        return []
    return [i for i, w in enumerate(words) if w in OPENING and not _opens_a_ticket(words, i)]


def _opening(words: Sequence[str], said: Stated | None) -> bool:
    place = not PLACES.isdisjoint(words)
    if not place and not TEAMS.isdisjoint(words):
        return False
    opening = bool(opening_words(words))
    if not opening and not (place and not WORKING.isdisjoint(words)):
        return False
    asked = _WHEN_ASKED.search(" ".join(words))
    return asked is not None or not DAYS.keys().isdisjoint(words) or said is not None


def when_words(words: Sequence[str]) -> set[int]:
    """Positions of words that only say when: a stated moment's ("domingo 10h") and the
    "horas" of "que horas" (a moment asked, not a span: "em quantas horas" is the deadline);
    the verb of an opening-hours question ("abre", "fica aberto"). Neither a keyword nor a
    search term."""
    return _when(words)[0]


def circumstances(words: Sequence[str]) -> set[int]:
    """Positions of words that say when, not what, for the keywords: ``when_words``, and the
    weekday names of a question about opening hours ("abre que horas no sábado?"; the answer
    texts, which write "Sábado: 07:30 às 11:30", still see them)."""
    out, opening = _when(words)
    if opening:
        out.update(i for i, w in enumerate(words) if w in DAYS)
    return out


def _when(words: Sequence[str]) -> tuple[set[int], bool]:
    said = stated(words)
    out = set(said.at) if said is not None else set()
    if said is not None:
        out.update(clock_words(words))  # "9h horário de Brasília": "horário" is no topic
    out.update(
        i for i in range(1, len(words)) if words[i] in HOURS_WRITTEN and words[i - 1] in _WHAT
    )
    opening = _opening(words, said)
    if opening:
        # "abre" asks the hours: the texts' "abrir OS" is another verb.
        out.update(opening_words(words))
        out.update(i for i, w in enumerate(words) if w in WORKING)
    return out, opening
