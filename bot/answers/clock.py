"""The clock in answers: the state now of the ISP sector an answer routes to, and what to do.

An answer that says "transfer to the Financeiro" is only half an answer at 21:00: the agent needs
to know whether the Financeiro is open now, and if not what the ISP's rule says to do instead.
Each (ISP, topic) answer routes to a sector when its text names one of the ISP's sectors
("...transferir ao setor financeiro...") or, saying "transferir", the ISP has a sector for
transfers ("Suporte Interno (Transferências)"). The line then reads

    Financeiro: fechado; abre amanhã às 08:00 → com exceção após o horário de expediente

using the same coverage engine as /agora (``bot.coverage.engine``). The action when closed is the
clause of the answer that speaks of "fora (do horário)" or "após o horário"; failing one, the
generic rule (open an OS/occurrence as the ISP's rules say).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from zoneinfo import ZoneInfo

from bot.answers import messages as msg
from bot.answers.reply import BlockKind, Button, Reply, note
from bot.coverage import engine as coverage
from bot.coverage.answers import UPCALL_ZONE, as_aware, day_windows, moment_words
from bot.knowledge.kb import KB, derived
from bot.knowledge.schema import Provider, Sector
from bot.reading import moment
from bot.reading.text import STOPWORDS, left_unpaid, normalize, stem

NOW_WORDS = frozenset(
    {"agora", "agr", "aberto", "aberta", "abertos", "abertas", "fechado", "fechada", "momento"}
    | {"funcionando", "atendendo", "expediente"}
)
"""Words that ask about the state now ("o financeiro está aberto?", "transfiro agora?"; "agr"
is how agents type "agora")."""
NOW_PHRASES = ("essa hora", "esse horario", "nesse horario", "neste horario", "ainda da tempo")
_SINCE = re.compile(r"\b(ja|ainda nao) (abriu|abriram|fechou|fecharam)\b")
"""Opened or closed already: "a loja já abriu?", "o comercial já fechou?"."""
_VAGUE = frozenset(
    ["atendimento", "suporte", "setor", "setores", "provedor", "horario", "horarios"]
)
"""Words of sector names too common in the answers to say which sector is meant."""
_TRANSFER = "transfer"
_CLOSED_RULE = re.compile(r"\bfora\b|\bapos o horario\b|\bexcecao\b")
_CLOSED_LINE = re.compile(_CLOSED_RULE.pattern + r"|\bfechad[oa]s?\b")
"""A line of the sector rules about a closed sector ("Setor fechado: não transferir...")."""
_NEGATED = re.compile(r"\bnao (devemos |deve |pode |podemos )?transfer")
_CLAUSES = re.compile(r"[.;,\n]| e (?=abrir|gerar)")


@dataclass(frozen=True)
class Route:
    sector: Sector
    when_closed: str
    """The answer's own clause for outside the sector's hours ("" when it has none)."""


def asks_now(question: str) -> bool:
    """ "transfiro agora?", "o financeiro está aberto?"; not "e agora?" (what now?)."""
    words = normalize(question).split()
    joined = " ".join(words)
    if any(phrase in joined for phrase in NOW_PHRASES) or _SINCE.search(joined):
        return True
    return any(
        w in NOW_WORDS
        and not (w == "agora" and i > 0 and words[i - 1] == "e")
        and not left_unpaid(words, i)
        and not _said_of_the_connection(words, i)
        for i, w in enumerate(words)
    )


CONNECTION = frozenset("net internet wifi sinal conexao roteador onu".split())  # noqa: SIM905
"""What works or does not at the customer's: "a net funcionando" is no sector open now."""


def _said_of_the_connection(words: Sequence[str], i: int) -> bool:
    """Is "funcionando" at ``i`` said of the customer's connection ("mesmo com a net
    funcionando", "a internet tá funcionando")?"""
    return words[i] == "funcionando" and bool(CONNECTION.intersection(words[max(0, i - 3) : i]))


def _sector_keys(sector: Sector) -> set[str]:
    words = normalize(f"{sector.id} {sector.name}").replace("_", " ").split()
    return {w for w in words if w not in STOPWORDS and w not in _VAGUE and len(w) >= 2}


def _route(provider: Provider, text_: str) -> Route | None:
    """The sector named in a sentence of the answer that says to transfer (not "não
    transferir"); failing a name, the ISP's sector for transfers."""
    sentences = [normalize(x) for x in re.split(r"[.\n]", text_)]
    transfer = [x for x in sentences if _TRANSFER in x and not _NEGATED.search(x)]
    if not transfer:
        return None
    words = set(" ".join(transfer).split())
    found = [s for s in provider.sectors if _sector_keys(s) & words]
    if not found:
        found = [
            s
            for s in provider.sectors
            if any(stem(k).startswith(_TRANSFER) for k in _sector_keys(s))
        ]
    if not found:
        return None
    sector = found[0]
    rule = _closed_clause(text_) or next((c for c in map(_closed_clause, sector.notes) if c), "")
    return Route(sector, rule)


_ACTION = re.compile(
    r"\b(?:ser\s+)?(?:abert[oa]|abrir|abra|gerar|gerad[oa]|registrar|registrad[oa])\b", re.I
)
"""Where the rule's action starts ("... dentro do horário e ser aberto OS ... fora dele")."""
_INFINITIVES = {
    "aberto": "abrir",
    "aberta": "abrir",
    "gerado": "gerar",
    "gerada": "gerar",
    "registrado": "registrar",
    "registrada": "registrar",
}
_WHEN_CLOSED = re.compile(r"\s+(?:fora|ap[oó]s|depois)\b.*$", re.I | re.S)
"""The rule's own "when": the line says it already (the sector is closed)."""


def _closed_clause(text_: str) -> str:
    """The action the text gives for outside the sector's hours, cut to its verb and object
    ("abrir OS de Outras Demandas"), or "" when it gives none (then the default line)."""
    clauses = _CLAUSES.split(text_)
    for i, clause in enumerate(clauses):
        if not clause.strip() or not _CLOSED_RULE.search(normalize(clause)):
            continue
        found = _ACTION.search(clause)
        if found is None and i + 1 < len(clauses):  # "fora do horário, gerar ocorrência"
            clause = clauses[i + 1]
            found = _ACTION.match(clause.strip()) and _ACTION.search(clause)
        if found is None:
            return ""  # "com exceção após o horário": no action written, the default says it
        action = _WHEN_CLOSED.sub("", clause[found.start() :])
        action = re.split(r"[()]", action)[0].strip(' "')
        infinitive = _INFINITIVES.get(found.group(0).lower().split()[-1])  # "ser aberto"
        if infinitive:  # the participle read as what to do: "abrir OS ..."
            action = infinitive + action[len(found.group(0)) :]
        return action
    return ""


@derived
def _routes(kb: KB) -> dict[tuple[str, str], Route | None]:
    return {}


def route(kb: KB, provider: Provider, topic_id: str) -> Route | None:
    """The sector this ISP's answer on the topic sends the customer to, if any."""
    routes = _routes(kb)
    key = (provider.id, topic_id)
    if key not in routes:
        entry = provider.topics.get(topic_id)
        routes[key] = _route(provider, entry.text) if entry is not None else None
    return routes[key]


def sector_now_line(provider: Provider, found: Route, now: dt.datetime | None) -> str:
    """``"Financeiro: fechado; abre amanhã às 08:00 → abrir OS de Outras Demandas"``."""
    is_open, state = _state(provider, found.sector, as_aware(now))
    action = msg.CLOCK_TRANSFER if is_open else found.when_closed or msg.CLOCK_CLOSED_DEFAULT
    return msg.CLOCK_LINE.format(sector=found.sector.name, state=state, action=action)


STATE_WORDS = frozenset(
    {"aberto", "aberta", "abertos", "abertas", "fechado", "fechada", "funcionando", "atendendo"}
)
"""Words that ask whether something is open, not what to do."""


def names_sector(provider: Provider, words: Sequence[str]) -> bool:
    """Does the question name one of the ISP's sectors ("o financeiro está aberto?")?"""
    return bool(sectors_named(provider, words))


def written_in(provider: Provider, topic_id: str, sectors: Sequence[Sector]) -> bool:
    """Does the ISP's answer on the topic name one of these sectors?"""
    entry = provider.topics.get(topic_id)
    said = set(normalize(entry.text).split()) if entry is not None else set()
    return any(_sector_keys(s) & said for s in sectors)


WORKERS = {"tecnico": ("manutencao", "manutencoes")}
"""Who works in a sector named for what it does: a technician asked for ("tem técnico
agora?", "há algum técnico domingo?") is on the maintenance shift ("Plantão de manutenções");
not one the customer wants ("insiste em técnico mesmo com a net funcionando")."""


def sectors_named(provider: Provider, words: Sequence[str]) -> list[Sector]:
    """The ISP's sectors the question names ("tem técnico de campo agora?"; "técnico" names
    "Técnicos de campo": a plural is its singular; and "Plantão de manutenções": ``WORKERS``)."""
    said = {_singular(w) for w in words}
    said |= {
        _singular(job)
        for i, w in enumerate(words)
        for job in WORKERS.get(_singular(w), ())
        if any(x in _HAS for x in words[max(0, i - 3) : i])
    }
    return [s for s in provider.sectors if {_singular(k) for k in _sector_keys(s)} & said]


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def sectors_asked(kb: KB, provider: Provider, words: Sequence[str]) -> list[Sector]:
    """The sectors a question about someone being there asks about: those it names; an ISP
    with one sector ("Atendimento do provedor") is asked about by any team or someone ("o
    suporte da laser atende domingo?", "tem técnico sábado?")."""
    named = sectors_named(provider, words)
    if named or len(provider.sectors) != 1:
        return named
    return list(provider.sectors) if names_who(kb, words) else []


# --------------------------------------------------------------------------- someone there?

AVAILABLE_WORDS = STATE_WORDS | frozenset(
    {"funciona", "funcionam", "atende", "atendem", "volta", "voltam", "retorna", "retornam"}
)
"""Words asking whether a sector works at a moment ("o N2 funciona domingo 15h?")."""
_THERE = re.compile(r"\b(ta|tao|esta|estao|fica|ficam) (la|ai|on|de plantao)\b")
"""... "ainda tá lá?", "tá on?"."""
_HAS = frozenset({"tem", "ha", "teria", "tera", "existe"})
PEOPLE = frozenset(
    {"alguem", "ninguem", "pessoal", "atendente", "atendimento", "suporte", "setor", "provedor"}
)
"""Someone, any team: "tem alguém no comercial?"."""


@derived
def _who(kb: KB) -> frozenset[str]:
    """Words naming who works at some hours: the words of every ISP's sector names (the KB's
    "Técnicos de campo", "Plantão de massivas", "Loja"...), the teams agents name, someone."""
    keys = {_singular(k) for p in kb.providers.values() for s in p.sectors for k in _sector_keys(s)}
    return frozenset(keys | {_singular(w) for w in moment.TEAMS} | PEOPLE)


def names_who(kb: KB, words: Sequence[str]) -> bool:
    """Does the question name a team or someone ("técnico", "comercial", "alguém")?"""
    who = _who(kb)
    return any(_singular(w) in who for w in words)


def asks_availability(kb: KB, words: Sequence[str]) -> bool:
    """Does the question ask whether someone is there: "tá aberto", "funciona", "atende",
    "ainda tá lá", "tem alguém", "tem técnico de campo"?"""
    said = " ".join(words)
    if any(w in AVAILABLE_WORDS for w in words) or _THERE.search(said) or _SINCE.search(said):
        return True
    if moment.opening_words(words):  # "a loja abre sábado 10h?"; not "abre OS"
        return True
    who = _who(kb)
    return any(
        w in _HAS and any(_singular(x) in who for x in words[i + 1 : i + 4])
        for i, w in enumerate(words)
    )


_HOURS_RANGE = re.compile(
    r"\b\d{1,2}(?::\d\d|h\d{0,2})?\s*(?:às|as|a|até|ate|-|–)\s*\d{1,2}(?::\d\d|h)", re.I
)
"""Opening hours as documents write them: "08h às 18h", "07:30 até 11:30", "08h-13h"."""


COVERAGE_TOPIC = "horario"
"""UPCALL's hours of the ISP: the ranges of hours its text gives are not the ISP's sectors'."""


_DAY_ASKED = re.compile(
    r"\b(segunda|terca|quarta|quinta|sexta|sabado|domingo)s?\b|\bferiados?\b"
    r"|\b(fim|final) de semana\b|\b(que|q) horas\b|\bate quando\b|\bquando\b|\bhorarios?\b"
)


def asks_a_day(words: Sequence[str]) -> bool:
    """Does the question ask about a day or the hours, not now ("o financeiro abre sábado?",
    "que horas o comercial fecha?", "no feriado tem técnico?")?"""
    return _DAY_ASKED.search(" ".join(words)) is not None


def states_hours(provider: Provider, topic_id: str) -> bool:
    """Does the ISP's answer on the topic give opening hours of its own (a range of hours)?"""
    entry = provider.topics.get(topic_id)
    if entry is None or topic_id == COVERAGE_TOPIC:
        return False
    return _HOURS_RANGE.search(entry.text) is not None


SCHEDULE_WORDS = 3
"""A line gives a sector's hours when the sector is named among its first words (or last)."""


def hours_in(provider: Provider, topic_id: str, sectors: Sequence[Sector]) -> bool:
    """Does the ISP's answer on the topic give the hours of one of these sectors: a line that
    starts or ends with its name (within its first words, common words such as "horário" and
    "atendimento" left out: a schedule, not a rule that mentions it in passing) and has a
    range of hours ("Horário Loja: Seg a Sex 08h-18h", "Financeiro das 08h às 17h"), or such
    a heading just above one ("Horário do atendimento N2:" / "Segunda a Sexta: 08h às 18h")?"""
    entry = provider.topics.get(topic_id)
    if entry is None or topic_id == COVERAGE_TOPIC:
        return False
    if any(not _sector_keys(s) for s in sectors):  # "Atendimento do provedor": any hours
        return states_hours(provider, topic_id)
    keys = {_singular(k) for s in sectors for k in _sector_keys(s)}
    lines = [line for line in entry.text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        said = [w for w in normalize(line).split() if w not in STOPWORDS and w not in _VAGUE]
        ends = said[:SCHEDULE_WORDS] + said[-1:]  # "Das 08h às 20h - Manutenções"
        if not keys & {_singular(w) for w in ends}:
            continue
        if any(_HOURS_RANGE.search(x) for x in lines[i : i + 2]):
            return True
    return False


def _targets(kb: KB, provider: Provider) -> set[str]:
    """The sectors some answer of the ISP transfers to."""
    found = (route(kb, provider, t) for t in provider.topics)
    return {r.sector.id for r in found if r is not None}


def _rule_for(provider: Provider, sector: Sector) -> str:
    """What the document says to do while the sector is closed: its notes' clause, else the
    clause of a line of the sector rules (``setores``) naming it ("... e abrir OS de Outras
    Demandas fora dele")."""
    found = next((c for c in map(_closed_clause, sector.notes) if c), "")
    entry = provider.topics.get("setores")
    if found or entry is None or entry.secret:
        return found
    keys = _sector_keys(sector)
    for line in entry.text.splitlines():
        if keys & set(normalize(line).split()) and (clause := _closed_clause(line)):
            return clause
    return ""


def sector_lines(
    kb: KB, provider: Provider, sectors: Sequence[Sector], now: dt.datetime | None
) -> list[str]:
    """One line per sector asked about: its state now and, when the document gives one, the
    action ("⏱ Agora: Loja: fechado, abre às 08:00"; "⏱ Agora: Comercial: aberto, fecha às
    18:00 → transferir", for a sector the ISP's answers transfer to)."""
    when = as_aware(now)
    out = []
    for sector in sectors:
        is_open, state = _state(provider, sector, when)
        target = sector.id in _targets(kb, provider)
        if is_open:
            action = msg.CLOCK_TRANSFER if target else ""
        else:
            action = _rule_for(provider, sector) or (msg.CLOCK_CLOSED_DEFAULT if target else "")
        line = f"{sector.name}: {state}" + (f" → {action}" if action else "")
        out.append(msg.CLOCK_NOW + line)
    return out


def _state(provider: Provider, sector: Sector, when: dt.datetime) -> tuple[bool, str]:
    status = coverage.sector_status(provider, sector, when)
    if status.covered:
        until = status.until
        if until is None:
            return True, msg.SECTOR_OPEN_NO_END
        return True, msg.CLOCK_OPEN.format(until=moment_words(until, when, provider))
    start = status.next_start
    if start is None:
        return False, msg.SECTOR_CLOSED_NO_START
    return False, msg.CLOCK_CLOSED.format(start=moment_words(start, when, provider))


def sectors_now_line(provider: Provider, now: dt.datetime | None) -> str:
    """``"⏱ Agora: Loja aberto até 17:00 · Suporte Interno fechado; abre ..."``."""
    when = as_aware(now)
    parts = [f"{s.name}: {_state(provider, s, when)[1]}" for s in provider.sectors]
    return msg.CLOCK_SECTORS.format(states=" · ".join(parts), id=provider.id)


_HOURS = re.compile(r"\b\d{1,2}(?:h|:\d\d)")


def hours_written(provider: Provider, sectors: Sequence[Sector]) -> list[str]:
    """The lines of the ISP's ``setores`` answer that give these sectors' hours as the document
    wrote them ("Retenção / Segunda à Sexta / 09h às 17h"): a line naming one of them and an
    hour."""
    entry = provider.topics.get("setores")
    if entry is None or entry.secret:
        return []
    out = []
    for line in entry.text.splitlines():
        said = set(normalize(line).split())
        if _HOURS.search(line) and any(_sector_keys(s) & said for s in sectors):
            out.append(line.strip())
    return out


CLOSED_RULES = 3
"""Lines of the ISP's sector rules shown, at most, when a sector is closed."""


def closed_rules(provider: Provider, now: dt.datetime | None) -> list[str]:
    """The document's own rules for a closed sector (from its ``setores`` answer): the lines
    that say what to do outside the hours or when closed ("... e abrir OS de Outras Demandas
    fora dele", "Setor fechado: não transferir") and name a sector closed now or none at all
    (a rule for every sector). Nothing when every sector is open."""
    entry = provider.topics.get("setores")
    when = as_aware(now)
    closed = [s for s in provider.sectors if not _state(provider, s, when)[0]]
    if entry is None or not closed:
        return []
    lines = [line.strip() for line in entry.text.splitlines() if line.strip()]
    out = []
    for line in lines:
        said = set(normalize(line).split())
        if not _CLOSED_LINE.search(normalize(line)):
            continue
        names = [s for s in provider.sectors if _sector_keys(s) & said]
        if not names or any(s in closed for s in names):
            out.append(line)
    return out[:CLOSED_RULES]


# --------------------------------------------------------------------------- a stated moment


def stated_moment(
    words: Sequence[str],
    now: dt.datetime | None,
    provider: Provider | None,
    alone: bool | None = None,
) -> dt.datetime | None:
    """The moment the question states ("domingo 10h", "hj é sábado"), on the ISP's clock (on
    UPCALL's when no one ISP is known): the next such moment from ``now``, today included (the
    last one, said of the past: "pagou sexta às 16h"). ``alone``: an hour or a day by itself is
    the moment (/agora's arguments; ``None``: when the question asks about UPCALL's coverage,
    "mutum 14h é com a gente?")."""
    coverage_asked = alone is None and _COVERAGE.search(" ".join(words)) is not None
    if alone is None:
        alone = coverage_asked
    said = moment.stated(words, alone)
    if said is None:
        return None
    zone = stated_zone(words, provider, coverage_asked)
    holiday = None
    if provider is not None:
        holiday = partial(coverage.is_holiday, provider)
    try:
        return moment.resolve(said, as_aware(now), zone, holiday)
    except OverflowError:  # a moment past the last date ``datetime`` holds: none stated
        return None


def stated_zone(words: Sequence[str], provider: Provider | None, coverage_asked: bool) -> ZoneInfo:
    """The clock a stated hour is read on: the one the words name ("9h horário de Brasília",
    "9h horário deles"); else, in a question about UPCALL's coverage ("mutum 9h é com a
    gente?", an UPCALL agent speaking of UPCALL's shift), Brasília's; else the ISP's (a
    customer's "liguei às 9h", /agora's arguments). No one ISP known: Brasília's."""
    if provider is None:
        return UPCALL_ZONE
    named = moment.named_clock(words)
    if named == moment.UPCALL_CLOCK or (named is None and coverage_asked):
        return UPCALL_ZONE
    return ZoneInfo(provider.timezone)


def on_upcall_clock(when: dt.datetime, provider: Provider | None) -> bool:
    """Was ``when`` (from ``stated_moment``) read on Brasília's clock for an ISP on another?"""
    if provider is None or getattr(when.tzinfo, "key", None) != UPCALL_ZONE.key:
        return False
    return when.astimezone(ZoneInfo(provider.timezone)).utcoffset() != when.utcoffset()


def agora_at(provider: Provider, when: dt.datetime) -> str:
    """The /agora command for the ISP at that moment, dated on the ISP's clock (how /agora
    reads its arguments): "/agora mutum 09/12/2026 20h00"."""
    local = when.astimezone(ZoneInfo(provider.timezone))
    return f"/agora {provider.id} {local:%d/%m/%Y %Hh%M}"


def stated_words(when: dt.datetime, provider: Provider | None = None, named: bool = True) -> str:
    """ "dom 29/11 às 10:00"; on an ISP's own clock (``when``'s zone, that of
    ``stated_moment``), with Brasília's: "ter 01/12 às 10:00 no horário local (11:00 em
    Brasília)"; a holiday of the ISP named: "sex 25/12 (Natal) às 10:00"."""
    day = f"{msg.WEEKDAY_SHORT[when.weekday()]} {when:%d/%m}"
    holiday = coverage.holiday_name(provider, when.date()) if provider is not None else None
    if holiday:
        day = msg.STATED_HOLIDAY.format(day=day, name=holiday)
    upcall = when.astimezone(UPCALL_ZONE)
    if provider is not None and on_upcall_clock(when, provider):
        local = when.astimezone(ZoneInfo(provider.timezone))
        said = msg.STATED_UPCALL if named else msg.STATED_UPCALL_DEFAULT
        return said.format(day=day, clock=f"{upcall:%H:%M}", local=f"{local:%H:%M}")
    if upcall.utcoffset() == when.utcoffset():
        return msg.STATED_MOMENT.format(day=day, clock=f"{when:%H:%M}")
    return msg.STATED_LOCAL.format(day=day, clock=f"{when:%H:%M}", upcall=f"{upcall:%H:%M}")


def stated_day(words: Sequence[str], now: dt.datetime | None) -> dt.date | None:
    """The whole day a question about UPCALL's coverage states by itself, not today ("vmnet
    amanhã é com a gente?", "domingo é com a gente?"), on UPCALL's calendar."""
    said = moment.stated(words, alone=True)
    if said is None or not said.whole_day:
        return None
    try:
        return moment.resolve(said, as_aware(now), UPCALL_ZONE).date()
    except OverflowError:
        return None


def on_day(reply: Reply, provider: Provider, day: dt.date) -> Reply:
    """The reply's clock line replaced by UPCALL's windows of the ISP on that day ("⏱ No dia
    informado, ter 01/12: UPCALL seg 18:00–09:00 · 18:00–qua 09:00 ...")."""
    said = msg.CLOCK_DAY.format(
        day=f"{msg.WEEKDAY_SHORT[day.weekday()]} {day:%d/%m}",
        windows=day_windows(provider, day),
        date=f"{day:%d/%m/%Y}",
    )
    blocks = [
        note(said) if b.kind is BlockKind.NOTE and b.plain.startswith(msg.CLOCK_MARK) else b
        for b in reply.blocks
    ]
    return replace(reply, blocks=tuple(blocks))


def at_stated(reply: Reply, words: str, agora: str | None = None) -> Reply:
    """The reply's clock lines said at the stated moment ("⏱ Agora: UPCALL ..." -> "⏱ Na hora
    da pergunta, dom 29/11 às 10:00: UPCALL ..."); ``agora``: the /agora command at that
    moment, for their "(veja /agora <isp>)", which would show now."""
    blocks = []
    for block in reply.blocks:
        said = block.plain
        if block.kind is BlockKind.NOTE and said.startswith(msg.CLOCK_MARK):
            line = said.removeprefix(msg.CLOCK_NOW).removeprefix(msg.CLOCK_MARK)
            if agora is not None and reply.provider_id is not None:
                line = line.replace(f"(veja /agora {reply.provider_id})", f"(veja {agora})")
            block = note(msg.CLOCK_STATED.format(moment=words, line=line))
        blocks.append(block)
    return replace(reply, blocks=tuple(blocks))


def verdict_only(reply: Reply, provider: Provider, when: dt.datetime) -> Reply:
    """A yes/no question about UPCALL's coverage at a stated moment ("mutum quarta 20h é com a
    gente?"): the title and the verdict (with the window it falls in), and where the whole
    schedule is (/horario, /escala of that day) -- not the week, its notes and the seed's text."""
    kept = [
        b
        for b in reply.blocks
        if b.kind is BlockKind.HEADING
        or (b.kind is BlockKind.NOTE and b.plain.startswith(msg.CLOCK_MARK))
    ]
    if len(kept) == len(reply.blocks) or not any(b.kind is BlockKind.NOTE for b in kept):
        return reply
    day = when.astimezone(UPCALL_ZONE).date()
    schedule = f"/escala {day:%d/%m/%Y}"
    kept.append(
        note(
            msg.VERDICT_MORE.format(
                weekday=msg.WEEKDAY_SHORT[day.weekday()],
                windows=day_windows(provider, day),
                id=provider.id,
                day=schedule,
            )
        )
    )
    buttons = (
        Button("/horario", f"/horario {provider.id}"),
        Button("/escala", schedule),
        Button("/agora", agora_at(provider, when)),
    )
    return replace(reply, blocks=tuple(kept), buttons=buttons)


# --------------------------------------------------------------------------- UPCALL's coverage

_US = r"(a gente|nos|upcall|a upcall)"
_COVERAGE = re.compile(
    rf"\bcom {_US}\b"
    r"|\b(volt\w*|pass\w*|fic\w*|e|esta|ta|com) (pro|para o|ao|o|com o) provedor\b"
    rf"|\b{_US} ((que|quem|ja|ainda|ta|esta|vai|so) ){{0,3}}(?!atendiment)"
    r"(cobr|atend|peg|assum|comec|entr)\w*"
    r"|\b(atendemos|cobrimos|assumimos)\b"
    r"|\bnos ou eles\b|\ba gente ou (o provedor|eles)\b"
)
"""Who is serving the ISP's customers, UPCALL or the ISP: "já é com a gente?", "já voltou pro
provedor?", "quando a upcall cobre a mutum?", "nós ou eles?"."""
_WHEN = re.compile(r"\b(ja|ainda|agora|agr|quando|horas|horario|partir)\b")
"""... asked about a moment: "isso é com a gente?" (whose job) is not the coverage."""


def asks_coverage(words: Sequence[str]) -> bool:
    """Is this a question about UPCALL's coverage of the ISP at some moment ("ainda é com a
    gente ou já voltou pro provedor?", "qdo a upcall cobre a mutum?", "sexta 23h já é com a
    gente?")?"""
    said = " ".join(words)
    if not _COVERAGE.search(said):
        return False
    return bool(_WHEN.search(said)) or moment.stated(words, alone=True) is not None
