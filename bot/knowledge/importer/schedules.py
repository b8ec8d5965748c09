"""pt-BR schedule phrases -> weekly windows (``bot.knowledge.schema.Hours`` as plain dicts).

The seeds write hours like "Segunda à Sexta das 23:50h às 08h", "*Sexta a noite a partir das
22:50h", "Sábado após o 12h até Segunda as 09h30", "Domingos e Feriados 24h", "Horário de almoço
das 13:30h as 15:30", "24/7 ... De Segunda à Sábado Das 08h às 18h Somente Transbordo / Fora desse
Período é Virado Totalmente para Upcall", "Seg a Sex 08h-18h | Sáb 08h-13h". One phrase is read
into :class:`Phrase` (days, times, flags); :func:`coverage_windows` turns the phrases of UPCALL's
block into windows, resolving open starts ("a partir das 13h") against the other lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.knowledge.schema import HOLIDAY, HOLIDAY_EVE, WEEKDAYS
from bot.reading.text import fold

DAY_WORDS = {
    "segunda": "mon",
    "segundas": "mon",
    "seg": "mon",
    "terca": "tue",
    "tercas": "tue",
    "ter": "tue",
    "quarta": "wed",
    "quartas": "wed",
    "qua": "wed",
    "quinta": "thu",
    "quintas": "thu",
    "qui": "thu",
    "sexta": "fri",
    "sextas": "fri",
    "sex": "fri",
    "sabado": "sat",
    "sabados": "sat",
    "sab": "sat",
    "domingo": "sun",
    "domingos": "sun",
    "dom": "sun",
    "feriado": HOLIDAY,
    "feriados": HOLIDAY,
}
_GROUPS = {
    "dias uteis": ["mon", "tue", "wed", "thu", "fri"],
    "fins de semana": ["sat", "sun"],
    "finais de semana": ["sat", "sun"],
    "fim de semana": ["sat", "sun"],
    "final de semana": ["sat", "sun"],
    "todos os dias": list(WEEKDAYS),
    "diariamente": list(WEEKDAYS),
}
_WORD = re.compile(r"[a-z]+|\d{1,2}(?:[:h]\d{2})?h?(?:s|rs)?|[^\sa-z\d]")
_TIME = re.compile(r"(?<![\d/,.])(\d{1,2})(?:(?:h|:)(\d{2})|h)(?:h|hs|rs)?(?![\d/])")
_GMT = re.compile(r"(?:gmt|utc)\s*([+-−–])\s*(\d{1,2})", re.IGNORECASE)
_RANGE_WORDS = frozenset({"a", "ate", "de", "ao"})
_LIST_WORDS = frozenset({"e", ","})
OPEN_WORDS = ("a partir d", "apos", "depois d")
HOLIDAY_CONFIRM = re.compile(r"confirm|consult|verific|perguntar|avisad|informad|escalad")


@dataclass
class Phrase:
    """What one schedule line says."""

    days: list[str] = field(default_factory=list)
    times: list[dt.time] = field(default_factory=list)
    end_day: str | None = None
    open_start: bool = False
    whole_day: bool = False
    always: bool = False
    overflow: bool = False
    lunch: bool = False
    complement: bool = False

    @property
    def pairs(self) -> list[tuple[dt.time, dt.time]]:
        return list(zip(self.times[::2], self.times[1::2], strict=False))


DAY_PT = {
    "mon": "seg",
    "tue": "ter",
    "wed": "qua",
    "thu": "qui",
    "fri": "sex",
    "sat": "sáb",
    "sun": "dom",
    HOLIDAY: "feriado",
    HOLIDAY_EVE: "véspera de feriado",
}


def pt(*days: str) -> str:
    """Day codes as a supervisor reads them in a note: "seg, ter"."""
    return ", ".join(DAY_PT.get(d, d) for d in days)


def gmt_offset(text: str) -> int | None:
    """ "GMT -3" / "GMT-4" / "UTC−5" -> -3 / -4 / -5."""
    match = _GMT.search(text)
    if match is None:
        return None
    sign = 1 if match[1] == "+" else -1
    return sign * int(match[2])


def clock(hour: int, minute: int = 0) -> dt.time | None:
    if hour == 24 and minute == 0:
        return dt.time(0, 0)
    if 0 <= hour < 24 and 0 <= minute < 60:
        return dt.time(hour, minute)
    return None


def times_in(text: str) -> list[dt.time]:
    found: list[dt.time] = []
    for match in _TIME.finditer(fold(text)):
        value = clock(int(match[1]), int(match[2] or 0))
        if value is not None:
            found.append(value)
    return found


def _days_before(words: list[str]) -> list[str]:
    """Day codes of a run of day words: "segunda a sexta" a range, "sábados e feriados" a list."""
    days: list[str] = []
    pending_range = False
    for word in words:
        code = DAY_WORDS.get(word)
        if code is None:
            if word in _RANGE_WORDS and days:
                pending_range = True
            elif word in _LIST_WORDS:
                pending_range = False
            continue
        if days and (pending_range or _adjacent_range(words, days)) and code != HOLIDAY:
            start = days[-1]
            if start != HOLIDAY:
                i, j = WEEKDAYS.index(start), WEEKDAYS.index(code)
                span = [WEEKDAYS[(i + k) % 7] for k in range(1, (j - i) % 7 + 1)]
                days += [d for d in span if d not in days]
                pending_range = False
                continue
        if code not in days:
            days.append(code)
        pending_range = False
    return days


def _adjacent_range(words: list[str], days: list[str]) -> bool:
    # "De Segunda Sexta": two day words with nothing between, after "de".
    return bool(words) and words[0] == "de" and len(days) == 1


_DAY_DASH = re.compile(r"\b([a-z]+)\.?\s*[-–]\s*([a-z]+)\b")


def _day_range(match: re.Match[str]) -> str:
    if match[1] in DAY_WORDS and match[2] in DAY_WORDS:
        return f"{match[1]} a {match[2]}"
    return match[0]


def read_phrase(text: str) -> Phrase:
    folded = fold(text)
    phrase = Phrase()
    for group, codes in _GROUPS.items():
        if group in folded:
            phrase.days += [c for c in codes if c not in phrase.days]
    phrase.always = "24/7" in folded or "24x7" in folded or "24 x 7" in folded
    phrase.overflow = "transbordo" in folded
    phrase.lunch = "almoco" in folded
    phrase.complement = "fora dess" in folded or "fora deste" in folded
    phrase.open_start = any(w in folded for w in OPEN_WORDS)
    folded = _DAY_DASH.sub(_day_range, folded)  # "seg-sex": a range
    first_time = _TIME.search(folded)
    head = folded[: first_time.start()] if first_time else folded
    tail = folded[first_time.end() :] if first_time else ""
    words = _WORD.findall(head)
    for code in _days_before(words):
        if code not in phrase.days:
            phrase.days.append(code)
    last_time = list(_TIME.finditer(folded))[-1] if first_time else None
    between = folded[first_time.end() : last_time.start()] if first_time and last_time else ""
    if not phrase.days and tail and not any(w in DAY_WORDS for w in _WORD.findall(between)):
        # "08h às 18h de segunda a sexta": the days after the hours (no day before them, so a
        # day after is no end day); "Das 18h de sábado até 08h de segunda" is left as it was
        phrase.days = _days_before(_WORD.findall(tail))
        tail = "" if phrase.days else tail
    if "vespera" in head:
        # "Véspera de feriado a partir das 18h": the day before, not the holiday
        phrase.days = [HOLIDAY_EVE if d == HOLIDAY else d for d in phrase.days]
        if HOLIDAY_EVE not in phrase.days:
            phrase.days.append(HOLIDAY_EVE)
    for word in _WORD.findall(tail):
        if word in DAY_WORDS and DAY_WORDS[word] != HOLIDAY:
            phrase.end_day = DAY_WORDS[word]
            break
    phrase.times = times_in(text)
    if len(phrase.times) % 2 and len(phrase.times) > 1 and phrase.times[0] == phrase.times[1]:
        # "Sexta a partir das 18h (das 18h às 22h somente transbordo)": the bracket restates
        # the start and gives the end; one start, not an hour without its pair
        phrase.times = phrase.times[1:]
    if re.search(r"\b24\s*h(oras)?\b", folded) and len(phrase.times) <= 1:
        phrase.whole_day = True
        phrase.times = []
    return phrase


def hours(
    days: list[str],
    start: dt.time,
    end: dt.time,
    end_day: str | None = None,
    **extra: str,
) -> dict[str, object]:
    window: dict[str, object] = {
        "days": list(days),
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
    }
    if end_day is not None:
        window["end_day"] = end_day
    window.update({k: v for k, v in extra.items() if v})
    return window


@dataclass
class CoverageReading:
    windows: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Readings the tool chose, each with the original line."""
    unread: list[str] = field(default_factory=list)
    """Lines that looked like schedule but gave no window."""
    holiday_confirm: list[str] = field(default_factory=list)
    """Kinds of holiday ("national", "state", "extra") the document says to confirm."""


def holiday_kinds(folded: str) -> list[str]:
    """ "feriados estaduais e municipais" -> ["state", "extra"]; no kind named: all three."""
    kinds = [
        kind
        for word, kind in (("nacion", "national"), ("estadu", "state"), ("municip", "extra"))
        if word in folded
    ]
    return kinds or ["national", "state", "extra"]


_SENTENCE = re.compile(r"(?<=[a-z0-9]\.)\s+(?=[A-ZÀ-Ý*])")
"""Two sentences on one line are two schedule phrases ("Feriados nacionais 24h. Feriados
municipais: confirmar escala no grupo")."""


def coverage_windows(lines: list[str]) -> CoverageReading:
    """UPCALL's windows from the lines of its "Horário de atendimento" block."""
    out = CoverageReading()
    windows: list[dict[str, object]] = []
    always = False
    for line in [part for whole in lines for part in _SENTENCE.split(whole)]:
        phrase = read_phrase(line)
        folded = fold(line)
        if phrase.always:
            always = True
            continue
        if phrase.complement:
            if not always:
                out.notes.append(f'Linha lida como o resto da semana em cobertura total: "{line}"')
            always = True
            continue
        if HOLIDAY in phrase.days and not phrase.times and not phrase.whole_day:
            if HOLIDAY_CONFIRM.search(folded):
                out.holiday_confirm = holiday_kinds(folded)
                out.notes.append(f'Feriados a confirmar no grupo: "{line}"')
            else:
                out.unread.append(line)
            continue
        mode = "overflow" if phrase.overflow else "full"
        if phrase.lunch and len(phrase.times) >= 2:
            days = _last_weekdays(windows) or ["mon", "tue", "wed", "thu", "fri"]
            windows.append(
                hours(days, phrase.times[0], phrase.times[1], mode=mode, note="horário de almoço")
            )
            out.notes.append(
                f"Horário de almoço lido nos dias {pt(*days)} (o documento não repete os "
                f'dias): "{line}"'
            )
            continue
        if not phrase.days:
            if phrase.times or phrase.whole_day:
                out.unread.append(line)
            continue
        if phrase.whole_day:
            windows.append(hours(phrase.days, dt.time(0), dt.time(0), mode=mode))
            continue
        if phrase.open_start and len(phrase.times) == 1:
            _open_start(windows, phrase, mode, line, out)
            continue
        if len(phrase.times) < 2:
            out.unread.append(line)
            continue
        for start, end in phrase.pairs:
            end_day = phrase.end_day
            if (
                end_day is not None
                and len(phrase.days) == 1
                and _natural_end(phrase.days[0], start, end, end_day)
            ):
                end_day = None
            days = phrase.days
            if end_day is not None:
                days = [d for d in days if d not in (HOLIDAY, HOLIDAY_EVE)]
                if not days:
                    continue
            windows.append(hours(days, start, end, end_day, mode=mode))
        if len(phrase.times) % 2:
            out.notes.append(f'Horário sem par (ignorado o último): "{line}"')
    if always:
        windows = _fill_complement(windows)
    windows = _extend_whole_days(windows, out)
    out.windows = windows
    return out


def _natural_end(day: str, start: dt.time, end: dt.time, end_day: str) -> bool:
    """ "Domingo das 16:50h às 08h de Segunda": the end day is what the clock already says."""
    following = WEEKDAYS[(WEEKDAYS.index(day) + 1) % 7]
    return end <= start and end_day == following


def _last_weekdays(windows: list[dict[str, object]]) -> list[str]:
    for window in reversed(windows):
        days = [d for d in window["days"] if d not in (HOLIDAY, HOLIDAY_EVE)]  # type: ignore[attr-defined]
        if days:
            return days
    return []


def _open_start(
    windows: list[dict[str, object]],
    phrase: Phrase,
    mode: str,
    line: str,
    out: CoverageReading,
) -> None:
    """ "Sexta a noite a partir das 22:50h": that day's window starts earlier (same end)."""
    start = phrase.times[0]
    for day in phrase.days:
        owner = next((w for w in windows if day in w["days"]), None)  # type: ignore[operator]
        if owner is not None:
            owner["days"] = [d for d in owner["days"] if d != day]  # type: ignore[attr-defined]
            end = dt.time.fromisoformat(str(owner["end"]))
            windows.append(
                hours([day], start, end, owner.get("end_day"), mode=mode)  # type: ignore[arg-type]
            )
            out.notes.append(
                f"Leitura adotada: neste dia o turno começa às {start:%H:%M} e termina como os "
                f'outros ({end:%H:%M}): "{line}"'
            )
        elif day == HOLIDAY_EVE:
            windows.append(hours([day], start, dt.time(0), mode=mode))
            out.notes.append(
                f"Leitura adotada: na véspera de feriado a cobertura começa às {start:%H:%M} e "
                f'segue até a meia-noite, quando começa o feriado: "{line}"'
            )
        else:
            windows.append(hours([day], start, dt.time(0), mode=mode))
            out.notes.append(f'Sem horário de fim: lido até a meia-noite: "{line}"')
    windows[:] = [w for w in windows if w["days"]]


def _usual_end(windows: list[dict[str, object]]) -> dt.time | None:
    """The end of the night shifts ("18h às 09h" -> 09:00), if the block has any."""
    ends = [
        str(w["end"])
        for w in windows
        if str(w["end"]) < str(w["start"]) and "end_day" not in w and str(w["end"]) != "00:00"
    ]
    if not ends:
        return None
    return dt.time.fromisoformat(max(set(ends), key=ends.count))


def _covered(windows: list[dict[str, object]], skip: dict[str, object], minute: int) -> bool:
    """Is this minute of the week (0 = Monday 00:00) inside a window other than ``skip``?"""
    week = 7 * 1440
    for window in windows:
        if window is skip:
            continue
        for day in window["days"]:  # type: ignore[attr-defined]
            if day in (HOLIDAY, HOLIDAY_EVE):
                continue
            start = WEEKDAYS.index(day) * 1440 + _minutes(str(window["start"]))
            if (minute - start) % week < _length(window, day):
                return True
    return False


def _night_into(windows: list[dict[str, object]], day: str) -> dict[str, object] | None:
    """The window of ``day`` alone that runs past midnight into the next day, if any."""
    for window in windows:
        crosses = str(window["end"]) < str(window["start"]) and "end_day" not in window
        if window["days"] == [day] and crosses:
            return window
    return None


def _extend_whole_days(
    windows: list[dict[str, object]], out: CoverageReading
) -> list[dict[str, object]]:
    """A whole day ("Domingos 24h") before a weekday whose night shift ends in the morning runs
    on to that shift's end (the Sunday before a Monday 09h end is covered until 09h)."""
    usual = _usual_end(windows)
    if usual is None:
        return windows
    result: list[dict[str, object]] = []
    for window in windows:
        whole = window["start"] == window["end"] == "00:00" and "end_day" not in window
        if not whole:
            result.append(window)
            continue
        keep = list(window["days"])  # type: ignore[call-overload]
        for day in window["days"]:  # type: ignore[attr-defined]
            if day in (HOLIDAY, HOLIDAY_EVE):
                continue
            index = WEEKDAYS.index(day)
            if all(_covered(windows, window, index * 1440 + m) for m in range(0, 1440, 10)):
                keep.remove(day)  # inside a longer window ("sábado 12h até segunda 09h")
                out.notes.append(
                    f"O dia inteiro ({pt(day)}) já está dentro de outra janela: não repetido."
                )
                continue
            if _covered(windows, window, ((index + 1) % 7) * 1440):
                continue  # the next morning is covered already
            following = WEEKDAYS[(WEEKDAYS.index(day) + 1) % 7]
            starts_next = any(
                following in w["days"] and w["start"] == "00:00"  # type: ignore[operator]
                for w in windows
            )
            if starts_next:
                continue
            keep.remove(day)
            before = _night_into(windows, WEEKDAYS[(index - 1) % 7])
            if before is not None:
                # One window from the evening before to the morning after, not two overlapping.
                before["end"], before["end_day"] = f"{usual:%H:%M}", following
                out.notes.append(
                    f"Leitura adotada: de {pt(WEEKDAYS[(index - 1) % 7])} {before['start']} sem "
                    f"interrupção até {pt(following)} {usual:%H:%M} (o {pt(day)} inteiro dentro)."
                )
                continue
            result.append(
                hours([day], dt.time(0), usual, following, mode=str(window.get("mode", "full")))
            )
            out.notes.append(
                f"Leitura adotada: o dia inteiro ({pt(day)}) segue até {usual:%H:%M} do dia "
                "seguinte, fim habitual do turno da noite."
            )
        if keep:
            result.append({**window, "days": keep})
    return result


def _fill_complement(windows: list[dict[str, object]]) -> list[dict[str, object]]:
    """ "24/7 ... Somente Transbordo das 08h às 18h; fora desse período, total": full coverage
    wherever no other window is, as weekly windows."""
    minutes = 7 * 1440
    taken = [False] * minutes
    for window in windows:
        for day in window["days"]:  # type: ignore[attr-defined]
            if day in (HOLIDAY, HOLIDAY_EVE):
                continue
            start = WEEKDAYS.index(day) * 1440 + _minutes(str(window["start"]))
            length = _length(window, day)
            for m in range(start, start + length):
                taken[m % minutes] = True
    if all(taken):
        return windows
    if not any(taken):
        return [hours(list(WEEKDAYS), dt.time(0), dt.time(0), mode="full")]
    first_free = next(m for m in range(minutes) if not taken[m] and taken[m - 1])
    runs: list[tuple[int, int]] = []
    m = first_free
    checked = 0
    while checked < minutes:
        if not taken[m % minutes] and taken[(m - 1) % minutes]:
            end = m
            while not taken[end % minutes]:
                end += 1
            runs.append((m % minutes, end - m))
            checked += end - m
            m = end
        else:
            m += 1
            checked += 1
    grouped: dict[tuple[str, str, int], list[str]] = {}
    for start, length in runs:
        day = WEEKDAYS[start // 1440]
        begin = start % 1440
        finish = (start + length) % minutes
        span = (finish // 1440 - start // 1440) % 7
        key = (_clock_text(begin), _clock_text(finish % 1440), span)
        grouped.setdefault(key, []).append(day)
    filled = list(windows)
    for (begin_text, end_text, span), days in grouped.items():
        start_t, end_t = dt.time.fromisoformat(begin_text), dt.time.fromisoformat(end_text)
        natural = (1 if end_t <= start_t else 0) == span
        if natural:
            filled.append(hours(days, start_t, end_t, mode="full"))
        else:
            for day in days:
                end_day = WEEKDAYS[(WEEKDAYS.index(day) + span) % 7]
                filled.append(hours([day], start_t, end_t, end_day, mode="full"))
    return filled


def _minutes(text: str) -> int:
    hour, minute = text.split(":")
    return int(hour) * 60 + int(minute)


def _clock_text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _length(window: dict[str, object], day: str) -> int:
    start, end = _minutes(str(window["start"])), _minutes(str(window["end"]))
    end_day = window.get("end_day")
    if end_day is not None:
        span = (WEEKDAYS.index(str(end_day)) - WEEKDAYS.index(day)) % 7
        return span * 1440 + end - start
    return end - start if end > start else 1440 - start + end


# --------------------------------------------------------------------------- sector hours


def sector_windows(text: str, days_hint: list[str] | None = None) -> list[dict[str, object]]:
    """Windows of one sector line: "Seg a Sex 08h-18h | Sáb 08h-13h", "Das 08h às 12h e das
    14h às 18h" (days from ``days_hint``), "Segunda\tSexta\t07:30\t11:30\t13:30\t17:30"."""
    windows: list[dict[str, object]] = []
    previous: list[str] = []
    for piece in re.split(r"\s*[|;]\s*|\s+/\s+", text):
        if "\t" in piece:
            cells = [c.strip() for c in piece.split("\t") if c.strip()]
            days_text = " a ".join(c for c in cells if not times_in(c))
            phrase = read_phrase(days_text)
            phrase.times = [t for c in cells for t in times_in(c)]
        else:
            phrase = read_phrase(piece)
        # "Segunda a Sexta 8h às 12h / 13h às 18h": a piece without days has the last ones
        days = phrase.days or list(days_hint or previous)
        if not days:
            continue
        previous = days
        if phrase.whole_day:
            windows.append(hours(days, dt.time(0), dt.time(0)))
            continue
        for start, end in phrase.pairs:
            windows.append(hours(days, start, end))
    return windows
