"""Clues that are numbers or codes: an access port typed bare, a UTC offset, a password's words.

Agents name the customer's ISP by what they have in front of them: the port they tried ("onu na
8010 qual login", "na 2389 não responde"), the ISP's clock ("o provedor é gmt-4, né?"). Both are
derived from the KB, so a new ISP's ports and time zone work with no code change:

* **ports**: a number of 3-5 digits typed alone, in a question about access (a credential, an
  equipment or a port word; ``ACCESS_WORDS``), that the KB writes as an access port (the context
  index's "porta 8010": a number after "porta", the ``porta`` answer's, an equipment row's)
  names its one ISP, or narrows the choice to its two. Not a year, an hour, a speed, a price, a
  day count, a phone's or an address's piece, a customer's code or a contract's, a call's or a
  service order's number (``_number_alone``).
* **UTC offsets**: "gmt-4", "utc -4", "-04:00", "fuso -4", or the time zone's own city after
  "fuso"/"horário de" ("fuso de Cuiabá"), name the ISPs whose ``timezone`` (the tz database)
  has that offset, when at most two do and not every ISP does: the ISP whose clock differs from
  the others'.
* **plan speeds**: in a question about the plans, a number alone after "de" ("o de 30") is a
  plan's speed in megas ("30 Mega"), as "plano de 30" already is for the context index.
* **prices**: a price two ISPs write is the one whose answer of the topic asked writes it ("o
  reset cobra R$50?"), and a round sum no text writes with cents names the ISP(s) whose answer
  of the topic asked charges it ("a mudança de ponto é 20 reais?"): a sum alone is anyone's.
* **passwords**: a name the context index found only inside a KB password ("MFibra" of
  "@MFibra$0125") is no clue: an agent typing the password would get it quoted back as the
  reason for the ISP (``not_a_password``); nor is a name inside the password an agent types
  for a customer ("a senha do wifi dele é fortaleza": ``not_typed``). The KB password itself,
  typed whole, names the one ISP holding it when it is distinctive (``password_clue``,
  ``passwords.telling_secrets``: "senha Lnt12345@ não entra" is LaserNet's; "admin", two ISPs'
  value, and "fortaleza", a word, are no one's): the reason shown is "senha digitada", never
  the password, and the answer is a credential answer (it tells whose password it is).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from zoneinfo import ZoneInfo

from bot.knowledge.kb import KB, derived
from bot.knowledge.passwords import (
    known_secrets,
    mask,
    range_topics,
    telling_ranges,
    telling_secrets,
)
from bot.knowledge.typed_passwords import QUOTED_VALUE, changed_password
from bot.reading.context import (
    MAX_OWNERS,
    PLAN_WORDS,
    PRICE,
    PRICE_AFTER,
    PRICE_CUES,
    PRICE_KEY,
    SPEED,
    SPEED_UNITS,
    ContextName,
    context_index,
    price_key,
    prices_typed,
    speed_key,
)
from bot.reading.text import compact, normalize

PORT_KEY = "porta "
"""How the context index keys an access port: "porta 8010"."""
PORT_DIGITS = (3, 5)
"""A port typed alone has this many digits: "80" is too many other things."""
ACCESS_WORDS = frozenset(
    """
    porta portas acesso acessar acessa acessam acessou acessando entrar entra entrou entram
    entrando logar loga logou logando login logins senha senhas usuario usuarios credencial
    credenciais roteador roteadores onu onus ont modem equipamento equipamentos admin
    """.split()  # noqa: SIM905
)
"""Words of a question about access (a login, an equipment's page, a port): a number typed
beside one may be the port tried."""
UNITS_AFTER = (
    frozenset(
        """
    h hs hr hrs hora horas min mins minuto minutos dia dias mes meses ano anos semana semanas
    vez vezes metro metros m2 km
    """.split()  # noqa: SIM905
    )
    | frozenset(SPEED_UNITS)
    | PRICE_AFTER
)
"""After a number, these make it a time, a day count, a speed, a price: no port."""
CUES_BEFORE = PRICE_CUES | frozenset(
    "as ate das desde plano planos combo pacote ano dia em de".split()  # noqa: SIM905
)
"""Before a number, these make it an hour ("às 2000"), a price or a plan's speed ("plano
2389"), a date or a year ("em 2389", "de 2389"): no port."""
IDENTIFIERS = frozenset(
    """
    cod codigo contrato protocolo prot id matricula os ordemservico chamado ticket pedido cpf cnpj
    numero num
    """.split()  # noqa: SIM905
)
"""Before a number (with "do cliente" between, at most), these make it the customer's code, a
contract's, a call's or a service order's number ("cliente cód 9020 sem acesso", "código do
cliente 9020"): no port."""
IDENTIFIER_LINKS = frozenset({"do", "da", "de", "cliente", "assinante"})
"""Words that may stand between an identifier word and its number."""
YEARS = range(1900, 2101)
"""A number in this range is a year before it is a port."""
WEB_PORTS = frozenset({443, 591, 8000, 8008, 8080, 8081, 8443, 8888})
"""The web ports countless routers and servers use by default (HTTPS and the HTTP alternates):
typed alone, such a port is everyone's, as a common word is, and names no ISP even when one
document alone writes it ("roteador na 8080 não abre"). With the ISP named it still says the
topic (:func:`own_port`)."""


def is_port(name: ContextName) -> bool:
    """Is this context name an access port ("porta 8010", typed or found bare)?"""
    return normalize(name.name).startswith(PORT_KEY)


def access_asked(words: Sequence[str]) -> bool:
    """Do the question's words ask about access (a login, the equipment, a port)?"""
    return not ACCESS_WORDS.isdisjoint(words)


def _number_alone(words: Sequence[str], i: int) -> bool:
    """Is ``words[i]`` a number of a port's size standing alone: no digits beside it (a phone's
    or an IP's pieces: "0800 680 0002", "192 168 0 1"), no unit after it, no price, plan or
    hour cue before it, no leading zero, not a year?"""
    word = words[i]
    low, high = PORT_DIGITS
    if not word.isdigit() or not low <= len(word) <= high or word.startswith("0"):
        return False
    if int(word) in YEARS:
        return False
    before = words[i - 1] if i > 0 else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    if before.isdigit() or after.isdigit():
        return False
    return after not in UNITS_AFTER and before not in CUES_BEFORE and not _identifier(words, i)


def _identifier(words: Sequence[str], i: int) -> bool:
    """Is ``words[i]`` the number of an identifier: a code, a contract, a protocol, an OS?"""
    for before in reversed(words[max(0, i - 3) : i]):
        if before in IDENTIFIERS:
            return True
        if before not in IDENTIFIER_LINKS:
            return False
    return False


def port_typed(words: Sequence[str], i: int) -> bool:
    """Is ``words[i]`` a number that may be a port typed ("na 8080", "porta 2389")?"""
    return _number_alone(words, i)


def port_clues(kb: KB, words: Sequence[str], used: set[int]) -> list[ContextName]:
    """The access ports typed alone in a question about access ("onu na 8010 qual login"): each
    with the ISPs (one or two) that write it as a port. The positions found are added to
    ``used``."""
    if not access_asked(words):
        return []
    names = context_index(kb).names
    found: list[ContextName] = []
    for i, word in enumerate(words):
        if i in used or not _number_alone(words, i):
            continue
        entry = names.get(PORT_KEY + str(int(word)))
        if entry is None or int(word) in WEB_PORTS:
            continue
        used.add(i)
        found.append(ContextName(word, entry.display, entry.owners, i, i + 1))
    return found


def own_port(kb: KB, words: Sequence[str], provider_id: str, equipment: bool = False) -> bool:
    """Does a question about access, naming the ISP, type one of its ports alone ("netcenter:
    admin não entrou, tento na 8081?")? ``equipment``: a model or brand of the ISP is named,
    which is itself about access ("tp link é na 8080?")."""
    if not (equipment or access_asked(words)):
        return False
    names = context_index(kb).names
    for i, word in enumerate(words):
        if _number_alone(words, i):
            entry = names.get(PORT_KEY + str(int(word)))
            if entry is not None and provider_id in entry.owners:
                return True
    return False


# --------------------------------------------------------------------------- UTC offsets

_OFFSET = re.compile(
    r"\b(?:gmt|utc|fuso(?:\s+hor[aá]rio)?)\s*(?:(?:[eé]|do|de)\s+)?([+\-−–])?\s*(\d{1,2})"
    r"(?:[:h](\d{2}))?(?![\d,.]\d)\b"
    r"|(?<![\w:])([+\-−])(\d{2}):(\d{2})\b",
    re.IGNORECASE,
)
"""An offset as agents write it: "gmt-4", "GMT -4", "utc-04:00", "fuso -4", "-04:00"."""
_ZONE_CITY = re.compile(r"\b(?:fuso|horario|hora)(?: horario)?(?: local)? (?:de|do|da|em) ")
"""Before a time zone's city: "fuso de Cuiabá", "horário de cuiaba"."""
OFFSET_SAMPLES = ((1, 15), (7, 15))
"""Days of the year the ISPs' offsets are read on (one in each half: summer time, where a zone
keeps one, gives a second offset)."""


def _offsets(zone: str, year: int) -> frozenset[int]:
    """The zone's UTC offsets in minutes on the sample days of ``year``."""
    tz = ZoneInfo(zone)
    found = set()
    for month, day in OFFSET_SAMPLES:
        offset = dt.datetime(year, month, day, 12, tzinfo=tz).utcoffset()
        if offset is not None:
            found.add(int(offset.total_seconds() // 60))
    return frozenset(found)


@derived
def offset_owners(kb: KB) -> Mapping[int, frozenset[str]]:
    """UTC offset (minutes) -> the ISPs whose time zone has it, for the offsets that say whose
    clock it is: at most ``MAX_OWNERS`` ISPs, and not every ISP of the KB."""
    year = dt.datetime.now(dt.UTC).year
    owners: dict[int, set[str]] = {}
    for provider in kb.providers.values():
        for minutes in _offsets(provider.timezone, year):
            owners.setdefault(minutes, set()).add(provider.id)
    everyone = len(kb.providers)
    return {
        minutes: frozenset(ids)
        for minutes, ids in owners.items()
        if len(ids) <= MAX_OWNERS and len(ids) < everyone
    }


@derived
def _zone_cities(kb: KB) -> Mapping[str, frozenset[str]]:
    """A time zone's city as typed ("cuiaba" of America/Cuiaba) -> the ISPs of that zone, for
    the zones whose offset says whose clock it is (``offset_owners``)."""
    distinct = offset_owners(kb)
    year = dt.datetime.now(dt.UTC).year
    cities: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        if any(m in distinct for m in _offsets(provider.timezone, year)):
            city = normalize(provider.timezone.rsplit("/", 1)[-1].replace("_", " "))
            cities.setdefault(city, set()).add(provider.id)
    return {city: frozenset(ids) for city, ids in cities.items()}


def offset_name(minutes: int) -> str:
    """-240 -> "GMT-4"; -210 -> "GMT-3:30"."""
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _span(text: str, start: int, end: int) -> tuple[int, int]:
    """The positions, among ``normalize(text).split()``, of the words of ``text[start:end]``."""
    first = len(normalize(text[:start]).split())
    return first, first + max(1, len(normalize(text[start:end]).split()))


def offset_clues(kb: KB, text: str) -> list[ContextName]:
    """The UTC offsets (and time zones' cities after "fuso de") the text names, each with the
    ISPs whose clock it is. An offset typed without a sign ("gmt 4") is read as either."""
    owners = offset_owners(kb)
    found: list[ContextName] = []
    if owners:
        for match in _OFFSET.finditer(text):
            sign, hours, minutes = match.group(1, 2, 3) if match.group(2) else match.group(4, 5, 6)
            size = int(hours) * 60 + int(minutes or 0)
            signs = (-1,) if sign and sign != "+" else (1,) if sign else (-1, 1)
            meant = [s * size for s in signs if s * size in owners]
            if len(meant) != 1:
                continue  # no ISP's clock, or "gmt 3" typed where +3 and -3 are both one's
            start, end = _span(text, match.start(), match.end())
            # Kept as the documents write an offset ("GMT-4": "gmt 4"), however typed: "-04:00"
            # is no number to look for in the answers' digits.
            shown = offset_name(meant[0])
            found.append(ContextName(normalize(shown), shown, owners[meant[0]], start, end))
    said = normalize(text)
    for city, ids in _zone_cities(kb).items():
        for match in re.finditer(_ZONE_CITY.pattern + re.escape(city) + r"\b", said):
            first = said[: match.end() - len(city)].count(" ")
            found.append(ContextName(city, city.title(), ids, first, first + len(city.split())))
    return found


# --------------------------------------------------------------------------- passwords


@derived
def _password_words(kb: KB) -> frozenset[str]:
    """The words of the KB's passwords ("mfibra", "0125" of "@MFibra$0125"), as typed."""
    return frozenset(w for secret in known_secrets(kb) for w in normalize(secret).split())


@derived
def _public_text(kb: KB) -> Mapping[str, str]:
    """ISP id -> its public answers' text, normalised, between spaces."""
    return {
        p.id: " "
        + " ".join(normalize(e.text) for t, e in p.topics.items() if not kb.is_secret(p, t))
        + " "
        for p in kb.providers.values()
    }


GIVEN_PASSWORD = re.compile(
    r"(?i)\b(?:senhas?|passwords?|pass|pwd)\b(?:[^\n.?!;]{0,40}?"
    r"(?:[:=]|\s(?:é|e|eh|era|ficou|fica|virou)\s)"
    r"|\s+\d[\d\s]*(?!\s*(?:primeir|[uú]ltim|d[ií]git|n[uú]mer|caracter|letra)))"
)
"""A password given, not asked about: "senha: x", "a senha do wifi dele é x" (the masker
also masks, to be safe, words after "login" or a bare "senha", which here may be what is
asked: "login e senha do app <nome>"); a password changed or set ("trocou a senha para x",
"colocou x como senha", "senha nova x": ``changed_password``) is given too; so is a figure
right after the cue ("senha 0800 680 não entra"; not "senha 4 primeiros dígitos") and a value
between quotes (``QUOTED_VALUE``: 'senha "abrir ordem de serviço" deu erro')."""


def not_typed(kb: KB, text: str, names: Sequence[ContextName]) -> list[ContextName]:
    """The names, less those inside a password the agent types ("a senha do wifi dele é
    fortaleza", "senha: portoseguro"), as the stores mask it (``passwords.mask``): the
    customer's password names no ISP, and is never the reason shown."""
    if not names or (
        GIVEN_PASSWORD.search(text) is None
        and QUOTED_VALUE.search(text) is None
        and not changed_password(text)
    ):
        return list(names)
    masked = mask(kb, text)
    if masked == text:
        return list(names)
    # A name the masking took away (whole, or glued in one word: "portoseguro"); compared
    # run together, as the words may be spaced or accented otherwise than the name.
    before, after = compact(text), compact(masked)
    return [n for n in names if compact(n.typed) not in before or compact(n.typed) in after]


TYPED_PASSWORD = "senha digitada"
"""The reason shown for an ISP a typed KB password named ("senha digitada → LaserNet")."""


@derived
def _telling_pattern(kb: KB) -> re.Pattern[str] | None:
    """Any of the KB's distinctive passwords as a whole word, in any case."""
    secrets = sorted(telling_secrets(kb), key=len, reverse=True)
    if not secrets:
        return None
    alternatives = "|".join(re.escape(s) for s in secrets)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


RANGE_AFTER_CUE = 6
"""A password written as a range ("1 ao 5") counts up to this many words after "senha"
("senha da central é 1 ao 5", "senha 1 ao 5")."""


@derived
def _range_pattern(kb: KB) -> re.Pattern[str] | None:
    """A password word, then within :data:`RANGE_AFTER_CUE` words one of the KB's passwords
    written as a range (group ``value``), in a normalised text."""
    values = sorted(telling_ranges(kb), key=len, reverse=True)
    if not values:
        return None
    alternatives = "|".join(re.escape(v) for v in values)
    return re.compile(
        rf"\bsenhas?\b(?: \S+){{0,{RANGE_AFTER_CUE}}}? (?P<value>{alternatives})(?![\w])"
    )


def password_positions(kb: KB, words: Sequence[str]) -> set[int]:
    """The positions of the (normalised) words that are words of a KB password ("mfibra" of
    "@MFibra$0125"): read as the password, not as an ISP's name typed short."""
    secret = _password_words(kb)
    return {i for i, word in enumerate(words) if word in secret}


def password_clue(kb: KB, text: str) -> ContextName | None:
    """The ISP whose distinctive KB password the question types ("senha Lnt12345@ não entra",
    "tentei a net2019* e não foi"; a range, "1 ao 5", right after a password word: "senha da
    central é 1 ao 5?"), as a context name that never holds the password; ``None`` when none
    is typed, or those typed are two ISPs' (which would say whose each is)."""
    pattern = _telling_pattern(kb)
    owners: set[str] = set()
    if pattern is not None:
        owners = {telling_secrets(kb)[m.group(0).casefold()] for m in pattern.finditer(text)}
    ranged = _range_pattern(kb)
    if ranged is not None and "senha" in text.casefold():
        ranges = telling_ranges(kb)
        said = normalize(text)
        owners |= {
            ranges[m.group("value")]
            for m in ranged.finditer(said)
            if _its_topic_named(kb, m.group("value"), said)
        }
    if len(owners) != 1:
        return None
    return ContextName("", TYPED_PASSWORD, frozenset(owners), 0, 0, term=True, password=True)


def _its_topic_named(kb: KB, value: str, said: str) -> bool:
    """Does the (normalised) question name a topic whose text writes this range password (its
    id or a catalogue keyword: "senha da central é 1 ao 5")? Its digits are anyone's ("1 ao 5"
    is 12345): without that topic it is a customer's own password ("a senha do wifi dele é 1
    ao 5"), which names no one."""
    spaced = f" {said} "
    for topic_id in range_topics(kb).get(value, ()):
        topic = kb.topics.get(topic_id)
        words = [topic_id, *(topic.keywords if topic is not None else ())]
        if any(f" {normalize(w)} " in spaced for w in words):
            return True
    return False


def not_a_password(kb: KB, names: Iterable[ContextName]) -> list[ContextName]:
    """The names, less those made only of a KB password's words that no public answer of their
    owners writes ("MFibra" of a secret "@MFibra$0125"): the agent typed the password, which
    names no ISP in words anyone may read."""
    secret = _password_words(kb)
    if not secret:
        return list(names)
    public = _public_text(kb)
    kept = []
    for name in names:
        words = name.typed.split()
        hidden = all(w in secret for w in words) and not any(
            f" {name.typed} " in public.get(pid, "") for pid in name.owners
        )
        if not hidden:
            kept.append(name)
    return kept


# --------------------------------------------------------------------------- plan speeds


def is_speed(name: ContextName) -> bool:
    """Is this context name a plan's speed ("200mega", as the index keys "200MB", "200 megas")?"""
    typed = name.typed.replace(" ", "")
    return typed[:1].isdigit() and typed.lstrip("0123456789") in {"mega", "giga", "kbps"}


MEASURED_BEFORE = frozenset(
    """
    deu dando bateu batendo bate chegando chega chegou mediu medi medindo mede marcou marca
    marcando puxando puxa puxou so apenas somente caiu caindo baixou
    """.split()  # noqa: SIM905
)
"""Words right before a speed that make it measured ("o teste deu 75 mega", "tá chegando só
40", "bateu 400mb"), the customer's reading, not a plan."""
MEASURE_LINKS = frozenset("a uns umas tipo quase so apenas ate de no com pra para".split())  # noqa: SIM905
"""Small words between such a word and the speed ("deu uns 75 mega", "chega só a 40")."""
SPEED_TESTS = frozenset("teste testes speedtest speed fast medidor medicao nperf ookla".split())  # noqa: SIM905
"""A speed test named near a speed: what it measured ("no speedtest 400mb")."""
MEASURE_REACH = 4
"""How many words before or after a speed a speed test's name may be."""


def not_measured(names: Sequence[ContextName], words: Sequence[str]) -> list[ContextName]:
    """The names, less the speeds typed as a measure (a speed test's result, what reaches the
    customer: "fiz o teste deu 75 mega", "cliente mediu 400mb no fast", "tá chegando só 40
    mega"): a reading is no plan, whoever sells a plan of that speed. A plan named ("plano de
    75 mega", "contratou 75 mega") stays one, a test beside it or not."""
    return [n for n in names if not (is_speed(n) and _measured(words, n.start, n.end))]


def _measured(words: Sequence[str], start: int, end: int) -> bool:
    before = words[max(0, start - MEASURE_REACH) : start]
    return measured(before, words[end : end + MEASURE_REACH])


PLAN_CUES = PLAN_WORDS | {"contratou", "contratado", "assina", "assinou"}


def measured(before: Sequence[str], after: Sequence[str]) -> bool:
    """Is a speed with these words before and after it (normalised, up to
    :data:`MEASURE_REACH` each) a measure rather than a plan (:func:`not_measured`)?"""
    if PLAN_CUES & set(before[-PLAN_BEFORE:]):
        return False
    at = len(before) - 1
    while at >= 0 and len(before) - at <= 3 and before[at] in MEASURE_LINKS - MEASURED_BEFORE:
        at -= 1
    if at >= 0 and before[at] in MEASURED_BEFORE:
        return True
    return bool(SPEED_TESTS & {*before[-MEASURE_REACH:], *after[:MEASURE_REACH]})


PLANS_TOPIC = "planos"
SPEED_DIGITS = (2, 4)


def speed_clues(
    kb: KB, words: Sequence[str], used: set[int], topics: Iterable[str]
) -> list[ContextName]:
    """In a question about the plans (its keywords point to them: "quais os planos rádio?"), a
    number alone after "de" ("o de 30", "aquele de 200") is a plan's speed in megas, as "plano
    de 30" is: the plan one or two ISPs sell at that speed names them. The positions found are
    added to ``used``."""
    if PLANS_TOPIC not in set(topics):
        return []
    names = context_index(kb).names
    found: list[ContextName] = []
    low, high = SPEED_DIGITS
    for i, word in enumerate(words):
        if i in used or i == 0 or words[i - 1] != "de" or not low <= len(word) <= high:
            continue
        if not word.isdigit() or word.startswith("0"):
            continue
        before = words[i - 2] if i > 1 else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if after.isdigit() or after in UNITS_AFTER or before in PRICE_CUES or before.isdigit():
            continue
        key = speed_key(word, "mega")
        entry = names.get(key)
        if entry is None:
            continue
        used.add(i)
        found.append(ContextName(key, entry.display, entry.owners, i, i + 1))
    return found


@derived
def _speeds_by_topic(kb: KB) -> Mapping[tuple[str, str], frozenset[str]]:
    """(ISP id, topic id) -> the speeds its answer writes, keyed as the context index keys them."""
    out: dict[tuple[str, str], set[str]] = {}
    for provider in kb.providers.values():
        for topic_id, entry in provider.topics.items():
            for number, unit in SPEED.findall(entry.text):
                key = speed_key(number, unit)
                if key:
                    out.setdefault((provider.id, topic_id), set()).add(key)
    return {where: frozenset(keys) for where, keys in out.items()}


def topics_writing_speed(kb: KB, provider_id: str, key: str) -> list[str]:
    """The ISP's topics whose answers write the speed ("200mega")."""
    speeds = _speeds_by_topic(kb)
    return [t for t in kb.providers[provider_id].topics if key in speeds.get((provider_id, t), ())]


PLAN_BEFORE = 3
"""A speed typed within this many words after a plan word ("plano de 100 mega") is the plan's."""


def speeds_of_the_topic(
    kb: KB, names: Sequence[ContextName], words: Sequence[str], topic_id: str
) -> list[ContextName]:
    """The names, with a speed two ISPs sell narrowed to the one whose answer of the topic asked
    writes it, when the speed is no plan's ("na redução o cliente fica com 100mbps?": the one
    document whose blocking answer says "ficam com 100Mbps"). A plan's speed ("o plano de 100
    mega reduz?") or a question about the plans keeps both owners."""
    if topic_id == PLANS_TOPIC:
        return list(names)
    out = []
    for name in names:
        before = words[max(0, name.start - PLAN_BEFORE) : name.start]
        if is_speed(name) and len(name.owners) > 1 and PLAN_WORDS.isdisjoint(before):
            key = name.typed.replace(" ", "")
            writing = {p for p in name.owners if topic_id in topics_writing_speed(kb, p, key)}
            if len(writing) == 1:
                name = replace(name, owners=frozenset(writing))
        out.append(name)
    return out


_ROUND_PRICE = re.compile(r"\bR\$\s?(\d{1,4})(?![\d,.]\d)|\b(\d{1,4})\s?reais\b", re.I)


@derived
def _prices_by_topic(kb: KB) -> Mapping[tuple[str, str], frozenset[str]]:
    """(ISP id, topic id) -> the prices its answer writes, keyed as the context index keys them
    ("49,90": "preco 49 90" and "preco 50"), and the round amounts written without cents
    ("R$50", "20 reais": "preco 50", "preco 20")."""
    out: dict[tuple[str, str], set[str]] = {}
    for provider in kb.providers.values():
        for topic_id, entry in provider.topics.items():
            keys = out.setdefault((provider.id, topic_id), set())
            for reais, cents in PRICE.findall(entry.text):
                keys.add(price_key(reais, cents))
                keys.add(price_key(str(int(reais) + (cents != "00"))))
            for written, spoken in _ROUND_PRICE.findall(entry.text):
                keys.add(price_key(written or spoken))
    return {where: frozenset(keys) for where, keys in out.items()}


@derived
def _plan_lines(kb: KB) -> Mapping[str, tuple[tuple[frozenset[str], frozenset[str]], ...]]:
    """ISP id -> (speeds, prices) of each line of its answers writing both ("600 Mega = R$89":
    {"600mega"}, {"preco 89"}), keyed as the context index keys them; a price with cents is
    also its whole reais and those rounded up ("89,90": "preco 89 90", "preco 89", "preco 90")."""
    out: dict[str, list[tuple[frozenset[str], frozenset[str]]]] = {}
    for provider in kb.providers.values():
        for entry in provider.topics.values():
            for line in entry.text.splitlines():
                speeds = {speed_key(number, unit) for number, unit in SPEED.findall(line)}
                rounds = _ROUND_PRICE.findall(line)
                prices = {price_key(written or spoken) for written, spoken in rounds}
                for reais, cents in PRICE.findall(line):
                    prices |= {price_key(reais, cents), price_key(reais)}
                    prices.add(price_key(str(int(reais) + (cents != "00"))))
                speeds.discard("")
                if speeds and prices:
                    out.setdefault(provider.id, []).append((frozenset(speeds), frozenset(prices)))
    return {pid: tuple(lines) for pid, lines in out.items()}


PAIR_SPAN = 4
"""A price this many words or fewer from a speed is that plan's price ("600 mega ainda é R$89")."""
PRICE_JOINS = frozenset({"por", "a", "custa", "sai", "eh", "e", "pra", "no", "valor"})
"""Words joining a speed to a bare number that is its price ("600 mega por 89")."""


def speeds_at_their_price(
    kb: KB, names: Sequence[ContextName], words: Sequence[str]
) -> list[ContextName]:
    """The names, with a speed typed with a price beside it (one plan: "600 mega ainda é
    R$89?", "plano de 600 mega por 89,90") read as the pair it is:

    * several ISPs sell the speed: narrowed to those whose one line writes it with that price
      (Seja Fibra's "600 Mega = R$89"; LaserNet's 600MB is 99,90), and the price shown in the
      reason beside the speed, as it is what decided;
    * no ISP's line writes the pair: the price is no clue (the plan typed is nobody's; LaserNet's
      89,90 is its 400MB): the speed alone names its owner(s), two or more asking between them.
    """
    speeds = [n for n in names if is_speed(n)]
    if not speeds:
        return list(names)
    taken = {i for n in speeds for i in range(n.start, n.end)}
    typed = [*prices_typed(words, taken), *_joined_prices(words, speeds, taken)]
    typed += [(_price_key(n), n.start, n.end) for n in names if _price_key(n)]
    if not typed:
        return list(names)
    lines = _plan_lines(kb)
    out: list[ContextName] = []
    shown: dict[tuple[int, int], ContextName] = {}  # prices that decided, by position
    nobodys: set[tuple[int, int]] = set()  # prices no line writes with the speed beside them
    for name in names:
        if name in speeds:
            key = name.typed.replace(" ", "")
            near = [t for t in typed if _beside(name, t[1], t[2])]
            pairs = {
                (p, t) for p in name.owners for t in near
                for sp, pr in lines.get(p, ()) if key in sp and t[0] in pr
            }  # fmt: skip
            writing = frozenset(p for p, _t in pairs)
            if near and not writing:
                nobodys.update((s, e) for _k, s, e in near)
            elif writing and writing != name.owners:
                name = replace(name, owners=writing)
                for _p, (k, s, e) in pairs:
                    display = "R$ " + ",".join(k.removeprefix(PRICE_KEY).split())
                    typed_as = " ".join(words[s:e])
                    shown[(s, e)] = ContextName(typed_as, display, writing, s, e)
        out.append(name)
    kept = [n for n in out if not (_price_key(n) and (n.start, n.end) in nobodys)]
    have = {(n.start, n.end) for n in kept}
    kept += [n for at, n in shown.items() if at not in have and at not in nobodys]
    return sorted(kept, key=lambda n: n.start)


def _beside(speed: ContextName, start: int, end: int) -> bool:
    return 0 <= start - speed.end <= PAIR_SPAN or 0 <= speed.start - end <= PAIR_SPAN


def _joined_prices(
    words: Sequence[str], speeds: Sequence[ContextName], taken: set[int]
) -> list[tuple[str, int, int]]:
    """A bare number joined to a speed by "por", "a", "custa"... ("600 mega por 89", "600mb a
    89,90"): that plan's price."""
    found = []
    for speed in speeds:
        at = speed.end
        while at < len(words) and at - speed.end < 2 and words[at] in PRICE_JOINS:
            at += 1
        if at == speed.end or at >= len(words) or at in taken:
            continue
        word = words[at]
        if not word.isdigit() or len(word) > 4:
            continue
        cents = words[at + 1] if at + 1 < len(words) else ""
        if len(cents) == 2 and cents.isdigit():
            found.append((price_key(word, cents), at, at + 2))
        else:
            found.append((price_key(word), at, at + 1))
    return found


def _price_key(name: ContextName) -> str:
    """The index's key of a price found in a question ("99 90": "preco 99 90"), or ""."""
    if not name.name.startswith("R$ "):
        return ""
    parts = name.typed.split()
    if not all(p.isdigit() for p in parts) or len(parts) > 2:
        return ""
    return price_key(*parts)


def _writing_price(kb: KB, owners: Iterable[str], key: str, topic_id: str) -> frozenset[str]:
    prices = _prices_by_topic(kb)
    return frozenset(p for p in owners if key in prices.get((p, topic_id), ()))


def prices_of_the_topic(
    kb: KB, names: Sequence[ContextName], words: Sequence[str], topic_id: str
) -> list[ContextName]:
    """The names, with a price two ISPs write narrowed to the one whose answer of the topic
    asked writes it, when the price is no plan's ("o reset cobra R$50?": the one document whose
    reset answer charges 50, not the other's plan of 49,90). A plan's price ("plano de 50
    reais") or a question about the plans keeps both owners."""
    if topic_id == PLANS_TOPIC:
        return list(names)
    out = []
    for name in names:
        key = _price_key(name)
        before = words[max(0, name.start - PLAN_BEFORE) : name.start]
        if key and len(name.owners) > 1 and PLAN_WORDS.isdisjoint(before):
            writing = _writing_price(kb, name.owners, key, topic_id)
            if len(writing) == 1:
                name = replace(name, owners=writing)
        out.append(name)
    return out


def round_price_clues(
    kb: KB, words: Sequence[str], used: set[int], topic_id: str
) -> list[ContextName]:
    """A round amount the index does not key ("20 reais", "R$ 30": written without cents by
    an answer) names the one or two ISPs whose answer of the topic the keywords point to
    writes it ("a mudança de ponto é 20 reais?": the one document whose move answer charges
    20). Only supported by the topic asked: a sum alone is anyone's."""
    if topic_id == PLANS_TOPIC:
        return []
    found: list[ContextName] = []
    index = context_index(kb).names
    for key, start, end in prices_typed(words, set(used)):
        if key in index or len(key.split()) > 2:
            continue
        writing = _writing_price(kb, kb.providers, key, topic_id)
        if 0 < len(writing) <= MAX_OWNERS:
            typed = " ".join(words[start:end])
            found.append(ContextName(typed, f"R$ {key.split()[1]}", writing, start, end))
    return found
