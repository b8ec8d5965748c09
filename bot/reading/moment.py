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
* **a day stated as today** ("hoje é domingo", "hj é sábado").

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
from zoneinfo import ZoneInfo

from bot.reading.text import SERVICE_ORDER

DAYS = {
    "segunda": 0, "terca": 1, "quarta": 2, "quinta": 3, "sexta": 4, "sabado": 5, "domingo": 6,
}  # fmt: skip
"""Weekday names (accents folded) -> Monday-based index."""
SHORT_DAYS = {"seg": 0, "ter": 1, "qua": 2, "qui": 3, "sex": 4, "sab": 5, "dom": 6}
"""Short forms: a day only beside an hour ("sáb 10h"; "ter" is also "to have")."""
TODAY, TOMORROW = frozenset({"hoje", "hj"}), frozenset({"amanha"})
HOLIDAY = frozenset({"feriado"})
"""A holiday beside an hour ("feriado 10h", "10h do feriado") or stated as today ("hoje é
feriado"): the ISP's next holiday (its calendar, ``resolve``'s ``holiday``), at that hour."""
_LINKS = frozenset({"de", "a", "as", "ao", "da", "do", "no", "na", "e", "feira"})
"""Words that may stand between a day and its hour ("10h de segunda", "sexta às 23h")."""
_INTRODUCERS = frozenset({"agora", "agr", "sao", "as"})
"""An hour right after these is the moment meant ("agora 17h", "são 9h", "às 22:30")."""
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
_HOURLESS = frozenset({"meio", "meia", "hoje", "hj", "agora", "agr"})
"""Words a stated moment may have when it has no digit ("meio dia", "hoje é domingo")."""
_RANGE = frozenset({"as", "a", "ate"})


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


@dataclass(frozen=True)
class _Time:
    hour: int
    minute: int
    start: int
    end: int
    """Position after the last word (its "da manhã" included)."""
    bare: bool
    """A bare number: an hour only after "às"/"são" and beside its day ("sexta às 23")."""
    midnight: bool = False
    """ "meia noite", "12h30 da noite": after the midnight that ends the day beside it ("sexta
    meia noite" is the night from Friday to Saturday; "hoje à meia noite", tonight's; "0h de
    sábado" says the same)."""


def _time_at(words: Sequence[str], i: int) -> _Time | None:
    word = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    bare = midnight = False
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
        elif nxt in _HOUR_WORDS or (nxt == "horas" and i > 0 and words[i - 1] in ("as", "sao")):
            end = i + 2
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
    if hour > 23 or minute > 59:
        return None
    return _Time(hour, minute, i, end, bare, midnight)


def _times(words: Sequence[str]) -> list[_Time]:
    found = [t for i in range(len(words)) if (t := _time_at(words, i)) is not None]
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


def _near(words: Sequence[str], time: _Time) -> tuple[int, int | None, int | None, bool] | None:
    """A day, "hoje", "amanhã" or "feriado" beside the hour: (its position, weekday, days
    ahead, a holiday)."""
    before = [time.start - 1, time.start - 2]
    after = [time.end, time.end + 1]
    for where, link in ((before[0], None), (before[1], before[0]), (after[0], None),
                        (after[1], after[0])):  # fmt: skip
        if where < 0 or where >= len(words):
            continue
        if link is not None and words[link] not in _LINKS:
            continue
        if words[where] == "feira" and where - 1 >= 0:
            where -= 1
        day = _day_at(words, where, short=True)
        if day is not None:
            return where, day, None, False
        if words[where] in TODAY:
            return where, None, 0, False
        if words[where] in TOMORROW:
            return where, None, 1, False
        if words[where] in HOLIDAY:
            return where, None, None, True
    return None


def stated(words: Sequence[str]) -> Stated | None:
    """The moment the words (normalised) state, if one is clearly stated."""
    if not any(w[:1].isdigit() or w in _HOURLESS for w in words):
        return None  # the usual question: no digit, no "meio dia", no "hoje é"
    times = _times(words)
    for k, time in enumerate(times):
        if _in_range(words, times, k) or _limited(words, time.start):
            continue
        if time.bare and not (time.start > 0 and words[time.start - 1] in ("as", "sao")):
            continue  # "sexta dia 10" is a date; "sexta às 23" an hour
        span = set(range(time.start, time.end))
        near = _near(words, time)
        if near is not None:
            where, weekday, ahead, holiday = near
            if where < time.start and _limited(words, where, _LIMITS):
                continue  # "desde sexta 10h", "até sexta 18h": a start or a limit
            if time.midnight and not holiday:  # the midnight that ends that day
                weekday = None if weekday is None else (weekday + 1) % 7
                ahead = None if ahead is None else ahead + 1
            at = frozenset(span | {where})
            return Stated(weekday, ahead, time.hour, time.minute, at, holiday)
        introduced = time.start > 0 and words[time.start - 1] in _INTRODUCERS
        if introduced and not time.bare:
            return Stated(None, None, time.hour, time.minute, frozenset(span))
    for i, word in enumerate(words[:-1]):
        if word not in TODAY and word not in ("agora", "agr"):
            continue
        j = i + 1 + (words[i + 1] in ("e", "eh"))
        day = _day_at(words, j, short=False) if j < len(words) else None
        if day is not None:
            return Stated(day, None, None, 0, frozenset({j}))
        if j < len(words) and words[j] in HOLIDAY and word in TODAY:
            return Stated(None, None, None, 0, frozenset({j}), holiday=True)
    return None


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
    such weekday; for "feriado", the next day ``holiday`` says is one, else today) at that hour
    (else at the present time of day)."""
    local = now.astimezone(zone)
    day = local.date()
    if said.holiday:
        ahead = (day + dt.timedelta(days=n) for n in range(HOLIDAY_SEARCH))
        day = next((d for d in ahead if holiday is not None and holiday(d)), day)
        clock = (
            dt.time(local.hour, local.minute)
            if said.hour is None
            else dt.time(said.hour, said.minute)
        )
        return dt.datetime.combine(day, clock, tzinfo=zone)
    if said.days_ahead is not None:
        day += dt.timedelta(days=said.days_ahead)
    elif said.weekday is not None:
        day += dt.timedelta(days=(said.weekday - day.weekday()) % 7)
    if said.hour is None:
        clock = dt.time(local.hour, local.minute)
    else:
        clock = dt.time(said.hour, said.minute)
    moment = dt.datetime.combine(day, clock, tzinfo=zone)
    if said.days_ahead is not None or said.hour is None:
        return moment
    period = dt.timedelta(days=1 if said.weekday is None else 7)
    if moment - period >= local - GRACE:
        return moment - period
    if said.weekday is None and moment < local - GRACE:
        moment += period
    return moment


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
_WHEN_ASKED = re.compile(r"\b(que|q) horas\b|\bate quando\b|\bquando\b|\bhorarios?\b|\balmoco\b")


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
    return [i for i, w in enumerate(words) if w in OPENING and not _opens_a_ticket(words, i)]


def _opening(words: Sequence[str], said: Stated | None) -> bool:
    place = any(w in PLACES for w in words)
    if not place and any(w in TEAMS for w in words):
        return False
    opening = bool(opening_words(words))
    if not opening and not (place and any(w in WORKING for w in words)):
        return False
    asked = _WHEN_ASKED.search(" ".join(words))
    return asked is not None or any(w in DAYS for w in words) or said is not None


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
    out.update(i for i in range(1, len(words)) if words[i] == "horas" and words[i - 1] in _WHAT)
    opening = _opening(words, said)
    if opening:
        # "abre" asks the hours: the texts' "abrir OS" is another verb.
        out.update(opening_words(words))
        out.update(i for i, w in enumerate(words) if w in WORKING)
    return out, opening
