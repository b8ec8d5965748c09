"""The knowledge base's YAML schema: what a supervisor may write, validated by pydantic.

Two kinds of file live under ``knowledge/``:

* ``topics.yaml`` -- the topic catalogue (:class:`Catalogue`): which topics exist, the slash
  commands that ask for them and the words that point to them in free text.
* ``providers/<id>.yaml`` -- one ISP (:class:`Provider`): identity, aliases, systems, and one
  entry per topic, transcribed from the ISP's seed document.

Every model forbids unknown keys so that a typo in a key is an error, not a silently ignored line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

_ID_RE = r"^[a-z][a-z0-9_]*$"
_UFS = frozenset(
    [
        "AC",
        "AL",
        "AP",
        "AM",
        "BA",
        "CE",
        "DF",
        "ES",
        "GO",
        "MA",
        "MT",
        "MS",
        "MG",
        "PA",
        "PB",
        "PR",
        "PE",
        "PI",
        "RJ",
        "RN",
        "RS",
        "RO",
        "RR",
        "SC",
        "SP",
        "SE",
        "TO",
    ]
)

Id = Annotated[str, StringConstraints(pattern=_ID_RE, max_length=32)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _as_list(value: Any) -> Any:
    """Let a supervisor write a single string where a list is expected."""
    if isinstance(value, str):
        return [value]
    return value


StrList = Annotated[list[NonEmpty], BeforeValidator(_as_list)]


def _check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        # OSError: a directory of the zone database ("America", "America/": a file cut there).
        raise ValueError(f"fuso horário IANA desconhecido: {name!r}") from exc
    return name


def _check_uf(uf: str) -> str:
    if uf not in _UFS:
        raise ValueError(f"UF desconhecida: {uf!r}")
    return uf


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --------------------------------------------------------------------------- topics.yaml


class Topic(_Model):
    """One entry of the topic catalogue."""

    id: Id
    title: NonEmpty
    commands: Annotated[
        list[Annotated[str, StringConstraints(pattern=_ID_RE)]], Field(min_length=1)
    ]
    keywords: StrList = Field(default_factory=list)
    description: str = ""
    secret: bool = False
    """Default for the provider entries of this topic: does the answer carry credentials?"""

    @field_validator("commands")
    @classmethod
    def _no_repeats(cls, commands: list[str]) -> list[str]:
        if len(set(commands)) != len(commands):
            raise ValueError("comando repetido")
        return commands


class Catalogue(_Model):
    topics: Annotated[list[Topic], Field(min_length=1)]
    vocabulary: dict[NonEmpty, NonEmpty] = Field(default_factory=dict)
    """Words agents type -> the words the reader should see ("pgto": "pagamento"), applied to
    free text before the topic keywords are matched (whole words; a key may have several)."""
    generic: StrList = Field(default_factory=list)
    """Words that never name an ISP by context even when only one ISP's document writes them
    with a capital (technical terms and brands everyone uses: "PPPoE", "Android")."""
    not_served: StrList = Field(default_factory=list)
    """Companies UPCALL does not serve (the big carriers: "Claro", "Vivo"): a question naming
    one as a company ("cliente da claro") is told so. Many are also common words ("oi", "vivo"):
    those count only after "da", "cliente", "operadora"... (see ``bot.reading.reader``)."""

    @field_validator("vocabulary")
    @classmethod
    def _vocabulary(cls, vocabulary: dict[str, str]) -> dict[str, str]:
        from bot.reading.text import normalize

        seen: dict[str, str] = {}
        for typed, meant in vocabulary.items():
            key = normalize(typed)
            if not key:
                raise ValueError(f"vocabulário: {typed!r} não tem letras nem números")
            if not normalize(meant):
                raise ValueError(f"vocabulário: {typed!r} -> {meant!r} não tem letras nem números")
            if key in seen:
                raise ValueError(f"vocabulário: {typed!r} repete {seen[key]!r}")
            if key == normalize(meant):
                raise ValueError(f"vocabulário: {typed!r} aponta para si mesmo")
            seen[key] = typed
        return vocabulary

    @field_validator("not_served")
    @classmethod
    def _not_served(cls, names: list[str]) -> list[str]:
        from bot.reading.text import normalize

        seen: set[str] = set()
        for name in names:
            key = normalize(name)
            if not key:
                raise ValueError(f"not_served: {name!r} não tem letras nem números")
            if key in seen:
                raise ValueError(f"not_served: {name!r} repetido")
            seen.add(key)
        return names

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        seen_ids: set[str] = set()
        seen_cmds: dict[str, str] = {}
        for topic in self.topics:
            if topic.id in seen_ids:
                raise ValueError(f"tópico repetido: {topic.id}")
            seen_ids.add(topic.id)
            for cmd in topic.commands:
                if cmd in seen_cmds:
                    raise ValueError(
                        f"comando /{cmd} está em dois tópicos: {seen_cmds[cmd]} e {topic.id}"
                    )
                seen_cmds[cmd] = topic.id
        return self


# --------------------------------------------------------------------------- providers/<id>.yaml


class Template(_Model):
    """A suggested message ("Mensagem sugestiva"): copied verbatim by the agent."""

    title: str = "Mensagem sugestiva"
    text: NonEmpty


class TopicEntry(_Model):
    """What one ISP's document says about one topic."""

    text: NonEmpty
    templates: list[Template] = Field(default_factory=list)
    notes: StrList = Field(default_factory=list)
    """Supervisors' notes: ambiguities of the seed and the reading chosen. Shown to agents."""
    secret: bool | None = None
    """Does the text carry a password or system login? ``None``: the catalogue's default."""


def _entry_shorthand(value: Any) -> Any:
    """``dns: "text"`` is short for ``dns: {text: "text"}``."""
    if isinstance(value, str):
        return {"text": value}
    return value


Entry = Annotated[TopicEntry, BeforeValidator(_entry_shorthand)]


class Equipment(_Model):
    """One row of an ISP's default credentials table."""

    model: NonEmpty
    aliases: StrList = Field(default_factory=list)
    kind: str = ""
    """Free words: "roteador", "ONU", ... (helps matching "onu huawei")."""
    login: str | None = None
    """``None`` when the seed has "-" or nothing: the equipment asks for a password only."""
    passwords: StrList = Field(default_factory=list)
    port: str | None = None
    notes: StrList = Field(default_factory=list)


class Lookalike(_Model):
    """Another company whose customers reach this ISP by mistake: never an alias."""

    name: NonEmpty
    note: str = ""


class FidelitySkip(_Model):
    """A seed line deliberately not transcribed, and why."""

    line: NonEmpty
    reason: NonEmpty


# --------------------------------------------------------------------------- coverage windows

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day codes in ``datetime.weekday()`` order (0 = Monday)."""
HOLIDAY = "holiday"
HOLIDAY_EVE = "holiday_eve"
"""The day before a holiday ("véspera de feriado"): its windows start that day."""

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DayKind = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday", "holiday_eve"]
Mode = Literal["full", "overflow"]
HolidayRule = Literal["add", "replace"]
HolidayKind = Literal["national", "state", "extra"]

_DAY_ALIASES = {
    "seg": "mon",
    "ter": "tue",
    "qua": "wed",
    "qui": "thu",
    "sex": "fri",
    "sab": "sat",
    "sáb": "sat",
    "dom": "sun",
    "feriado": "holiday",
    "feriados": "holiday",
    "vespera": "holiday_eve",
    "véspera": "holiday_eve",
}
_CLOCK_RE = re.compile(r"^([01]?\d|2[0-4])[:h]([0-5]\d)$")


def _day_alias(value: Any) -> Any:
    """Let a supervisor write the pt-BR abbreviation (``seg``, ``sáb``, ``feriado``)."""
    if isinstance(value, str):
        key = value.strip().casefold()
        return _DAY_ALIASES.get(key, key)
    return value


def _clock(value: Any) -> Any:
    """``"23:50"``/``"23h50"`` -> time; ``"24:00"`` is midnight at the end of the day."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 23:50 as the sexagesimal integer 1430.
        value = f"{value // 60}:{value % 60:02d}"
    if isinstance(value, str):
        match = _CLOCK_RE.match(value.strip())
        if match is None:
            raise ValueError(f'horário inválido: {value!r} (use HH:MM, ex.: "08:00")')
        hour, minute = int(match[1]), int(match[2])
        if hour == 24:
            if minute:
                raise ValueError(f"horário inválido: {value!r}")
            return dt.time(0, 0)
        return dt.time(hour, minute)
    raise ValueError("horário deve ser um texto HH:MM")


Day = Annotated[DayKind, BeforeValidator(_day_alias)]
WeekdayName = Annotated[Weekday, BeforeValidator(_day_alias)]
Clock = Annotated[dt.time, BeforeValidator(_clock)]


class Hours(_Model):
    """One weekly window: it starts on each of ``days`` at ``start`` and ends at ``end``.

    Without ``end_day`` the window ends the same day, or the next day when ``end <= start``
    (``"23:50" -> "08:00"`` crosses midnight; ``"00:00" -> "00:00"`` is the whole day). With
    ``end_day`` it ends on the next such weekday ("sábado das 13h até segunda 09:30" is
    ``days: [sat], start: "13:00", end_day: mon, end: "09:30"``).
    """

    days: Annotated[list[Day], Field(min_length=1)]
    start: Clock
    end: Clock
    end_day: WeekdayName | None = None
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> Hours:
        if len(set(self.days)) != len(self.days):
            raise ValueError("dia repetido em days")
        if self.end_day is None:
            return self
        if HOLIDAY in self.days or HOLIDAY_EVE in self.days:
            raise ValueError(
                "end_day não pode ser usado com holiday ou holiday_eve (o dia da semana varia)"
            )
        for day in self.days:
            if day == self.end_day and self.end <= self.start:
                raise ValueError(
                    f"end_day {self.end_day} igual ao dia de início {day}: janela de 7 dias? "
                    "Remova end_day ou corrija o horário"
                )
        return self

    def span_days(self, day: str) -> int:
        """How many days after the start day (``day``) the window ends."""
        if self.end_day is not None:
            return (WEEKDAYS.index(self.end_day) - WEEKDAYS.index(day)) % 7
        return 0 if self.end > self.start else 1


class Window(Hours):
    """A window of UPCALL coverage; ``overflow``: UPCALL takes only the ISP's overflow."""

    mode: Mode = "full"


class HolidayCalendar(_Model):
    """National and state holidays from the ``holidays`` package, plus dates a supervisor lists."""

    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = "BR"
    subdivision: Annotated[str, AfterValidator(_check_uf)] | None = None
    """``None``: the ISP's ``state``."""
    extra: list[dt.date] = Field(default_factory=list)
    """Municipal holidays and other days off, ``AAAA-MM-DD``."""
    confirm: list[HolidayKind] = Field(default_factory=list)
    """Holidays the document says to confirm in the group ("feriados estaduais: confirmar no
    grupo"): on such a day the windows are those of the weekday (nothing is assumed) and the
    bot tells agents to confirm. ``national``, ``state`` (the subdivision's own) or ``extra``."""

    @field_validator("confirm")
    @classmethod
    def _no_repeated_kind(cls, kinds: list[str]) -> list[str]:
        if len(set(kinds)) != len(kinds):
            raise ValueError("tipo de feriado repetido em confirm")
        return kinds


class Coverage(_Model):
    """When UPCALL attends this ISP (the seed's "Horário de atendimento da UPCALL").

    Holidays: with ``holiday_rule: add`` (default) the ``holiday`` windows are added to those of
    the weekday, so a holiday never reduces coverage; with ``replace`` the weekday's windows
    that start on a holiday are dropped and only the ``holiday`` ones start that day. With
    ``add`` and no ``holiday`` window a holiday is an ordinary weekday (the seed is silent).
    Windows that started the day before run to their end either way.
    Overlapping windows of different modes: ``full`` wins.
    """

    timezone: Annotated[str, AfterValidator(_check_zone)] = "America/Sao_Paulo"
    holidays: HolidayCalendar = Field(default_factory=HolidayCalendar)
    holiday_rule: HolidayRule = "add"
    windows: Annotated[list[Window], Field(min_length=1)]
    notes: StrList = Field(default_factory=list)


class Sector(_Model):
    """One of the ISP's own sectors (loja, N2, financeiro...), with hours in the ISP's zone.

    On a holiday the weekday hours do not apply (``holiday_rule: replace``): the sector opens only
    in its ``holiday`` windows, if any.
    """

    id: Id
    name: NonEmpty
    windows: list[Hours] = Field(default_factory=list)
    holiday_rule: HolidayRule = "replace"
    timezone: Annotated[str, AfterValidator(_check_zone)] | None = None
    """``None``: the ISP's ``timezone``."""
    transfer: bool = False
    """The document uses this sector as a transfer target ("transferir ao setor financeiro"):
    shift-change notices then say "→ transferir" while it is open and "→ abrir OS" while it is
    closed. Otherwise (a duty, a shop, a sector the document only gives hours of, or where it is
    ambiguous) they show its hours and no action."""
    notes: StrList = Field(default_factory=list)


class Provider(_Model):
    _segments: dict[Any, Any] = PrivateAttr(default_factory=dict)
    """Coverage computed for this provider (bot.coverage.engine); lives and dies with the model."""

    id: Id
    name: NonEmpty
    aliases: StrList = Field(default_factory=list)
    lookalikes: list[Lookalike] = Field(default_factory=list)
    timezone: Annotated[str, AfterValidator(_check_zone)]
    state: Annotated[str, AfterValidator(_check_uf)]
    systems: StrList = Field(default_factory=list)
    channels: StrList = Field(default_factory=list)
    reviewed: dt.date
    seed: str = ""
    notes: StrList = Field(default_factory=list)
    context: StrList = Field(default_factory=list)
    """Supervisors' hints: more names that point to this ISP in a question (a neighbourhood, a
    product, a partner the document does not write). Names taken from the document need none."""
    topics: dict[Id, Entry] = Field(default_factory=dict)
    equipment: list[Equipment] = Field(default_factory=list)
    default_port: str | None = None
    """Access port of the equipment rows that give none (the seed's single "porta de acesso")."""
    fidelity_skip: list[FidelitySkip] = Field(default_factory=list)
    coverage: Coverage | None = None
    """UPCALL's windows for this ISP (``None``: not modelled; /agora says so)."""
    sectors: list[Sector] = Field(default_factory=list)
    """The ISP's own sectors and their hours, in the ISP's zone."""

    def names(self) -> list[str]:
        """What agents call this ISP: its id, its name, its aliases."""
        return [self.id, self.name, *self.aliases]

    @model_validator(mode="after")
    def _unique_models(self) -> Provider:
        seen: set[str] = set()
        for item in self.equipment:
            key = re.sub(r"\W+", "", item.model.casefold())
            if key in seen:
                raise ValueError(f"equipamento repetido: {item.model}")
            seen.add(key)
        return self

    @model_validator(mode="after")
    def _unique_sectors(self) -> Provider:
        ids = [s.id for s in self.sectors]
        for sector_id in ids:
            if ids.count(sector_id) > 1:
                raise ValueError(f"setor repetido: {sector_id}")
        return self
