"""The ISP named by context: places, products, apps, systems and partners one document names.

Agents often name the customer's city or the app that fails instead of the ISP: "cliente de
Ubatuba sem sinal", "paramount plus não abre". This module builds, once per KB, an index of the
proper names each ISP's answers write, and finds them in a question.

What is a name (derived from the KB, so a new ISP's names work with no code change):

* a run of capitalised words in an answer, note or template ("Santa Rita do Trivelato", "Paramount
  Plus", "MG Cobranças"), every part of it of two words or more, and its single words written
  with a capital where a capital means a name, acronyms and inner capitals ("SeAC"), and those of
  the ``cidades`` answer (places may be more frequent words: "Fortaleza");
* the words after the ISP's own name in a product's name, two or more ("VM NET TELECOM SAC":
  "telecom sac", as agents type the app);
* IP addresses, phone numbers and distinctive domain labels; the name of the ISP's state;
  streets' names without their kind ("Jonas Bezerra");
* the supervisors' hints (``context:`` on a provider).

What is not: a word any KB text writes in lower case somewhere ("fibra", "rede", "centro") or
another form of one, a word frequent in Portuguese or English (``wordfreq``), a stop word, a
catalogue keyword unless a rare name ("flashman"), a word of the catalogue's ``generic`` list, an
ISP's own names and the other companies' (lookalikes), words under three letters. A common word
never names an ISP alone, whatever its case. See docs/reader.md §3.

Fragments (typed partly, see docs/reader.md §3): one to three octets of an IP joined by dots
("143.202", "ip .57"), a phone's last four digits after a phone's word ("ligou do 8077"), a
name with a word glued after it ("sgpsoft").

Owners: a name written by one ISP names it; by two, it narrows the choice to those two; by more,
it says nothing. Several names in one question: the ISPs all of them allow, else all they name.

Distinctive terms (``term_index``, ``find_terms``) are the words that are no names but that only
one or two ISPs' documents hold, rare as words ("carnê", "LOS"), or more frequent but one ISP's
alone and quoted with a second word of the same answer line ("triagem do N1 interno"): a
catalogue keyword the answer happens to write ("alteração cadastral") is the topic's neutral
wording, no quote of that ISP, so it needs that second word too, and two words of one keyword
typed as such are no pair ("suspensão temporária"). They count only where the question's
keywords point to a topic whose answer (of an owner) holds them, and only when no ISP and no
name is found. See docs/reader.md §3.

Distinctive phrases (``phrase_index``, ``find_phrases``) are two words side by side (only
prepositions between: "pausa no contrato") that one or two ISPs' answers write, one a word
another ISP writes too (the topic's: "bloqueio", "pagamento", "link") and the other a qualifier
no other ISP writes in any form ("parcial", "invertido", "dedicado"): "bloqueio parcial" ->
LaserNet, typed side by side in a question whose keywords point to that answer. Two words only
the owner writes are no phrase but a pair (above: "suspensão temporária", "alteração cadastral"
-- "cadastral" is VM NET's alone); a verb ("emitir a segunda via"), an article alone between
("baixe o app"), a figure ("48h corridas"), a word in the ISP's own notes of every ISP ("fuso
horário"), a qualifier another ISP writes ("ponto adicional": LaserNet's "roteador adicional")
or a trade's English word ("onu em bridge") make none. See docs/reader.md §3.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.answers import messages as msg
from bot.knowledge.derive import remembered
from bot.knowledge.kb import KB, derived
from bot.knowledge.schema import Provider
from bot.reading.text import PAYMENT_WORDS, STOPWORDS, fold, normalize, stem


def zipf_frequency(word: str, lang: str, wordlist: str) -> float:
    """``wordfreq.zipf_frequency``, imported at the first use: wordfreq and its language tables
    cost about 0.3 s of CPU to import, which a process that reads no question (a bot start, a
    ``kb`` command) need not pay."""
    from wordfreq import zipf_frequency as lookup

    return lookup(word, lang, wordlist=wordlist)


MAX_OWNERS = 2
"""A name more ISPs than this write says nothing about which one."""
COMMON_ZIPF = 3.6
"""A word at least this frequent in Portuguese (``wordfreq``'s Zipf scale: 3.6 is about four
times in a million words; "rede" 5.4, "fortaleza" 4.7, "ubatuba" 3.0, "kaspersky" 2.8) is a
common word."""
COMMON_ZIPF_EN = 4.0
"""The same in English, a little higher: "upgrade" 4.2 and "standard" 5.0 are common words,
"paramount" 3.7 and "kaspersky" 2.5 are names. (English is looked up in wordfreq's small list,
exact above Zipf 3: loaded in 0.04 s instead of 0.5 s.)"""
RARE_ZIPF = 2.0
RARE_MIN = 3
"""A catalogue keyword is a topic word ("mesh", "sla", "paramount"), never a name alone, unless it
is at least RARE_MIN letters and rarer than RARE_ZIPF in both languages ("flashman", "anlix")."""
PLACE_ZIPF = 4.8
"""Places (words of an ISP's ``cidades`` answer) are names up to this frequency: a city's name is
often a word too ("Fortaleza" 4.7, "Guarulhos" 3.8), but "Centro" 5.5, "Nova" 5.7 are words."""
MIN_STEM = 5
"""Stems this long say two words are forms of one ("cancelamentos", "cancelamento")."""
MIN_NAME = 3
"""Shorter single words are never names ("TV", "OS")."""
MAX_WORDS = 4
"""Longest run looked up in a question."""
FUZZY_MIN = 6
"""A misspelt or shortened single-word name ("ubatub", "caragua") is recognised from this many
letters on."""
FUZZY_PART = 5
"""A word of a multiword name misspelt ("vila guilerme", "coroa vermlha") is recognised from this
many letters on, the other words typed right."""
CONNECTORS = frozenset(["de", "da", "do", "das", "dos", "e"])
"""Small words inside a capitalised run: "Santa Rita do Trivelato"."""
PLACES_TOPIC = "cidades"
COVERAGE_TOPIC = "horario"
"""UPCALL's coverage topic (``bot.answers.clock.COVERAGE_TOPIC``, which reads the coverage
answers, which read this module: not imported)."""
STATES = {
    "AC": "Acre", "AL": "Alagoas", "AP": "Amapá", "AM": "Amazonas", "BA": "Bahia",
    "CE": "Ceará", "DF": "Distrito Federal", "ES": "Espírito Santo", "GO": "Goiás",
    "MA": "Maranhão", "MT": "Mato Grosso", "MS": "Mato Grosso do Sul", "MG": "Minas Gerais",
    "PA": "Pará", "PB": "Paraíba", "PR": "Paraná", "PE": "Pernambuco", "PI": "Piauí",
    "RJ": "Rio de Janeiro", "RN": "Rio Grande do Norte", "RS": "Rio Grande do Sul",
    "RO": "Rondônia", "RR": "Roraima", "SC": "Santa Catarina", "SP": "São Paulo",
    "SE": "Sergipe", "TO": "Tocantins",
}  # fmt: skip
"""An ISP's ``state`` names it by the state's name too ("quem atende na Bahia?")."""

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_URL = re.compile(r"\S+://\S+|\S+@\S+|www\.\S+|\b[A-Z][a-z]+/[A-Za-z_]+")
"""Addresses, e-mails and time zones ("America/Sao_Paulo"): no names in them."""
_BARE_HOST = re.compile(r"\b(?:[a-z0-9-]+\.)+(?:com|net|org|tv|app)(?:\.br)?\b")
"""A host in lower case without its scheme: "central.quorvatel.com.br", "speedtest.net"."""


@dataclass(frozen=True)
class ContextName:
    """A name found in a question and the ISPs whose documents write it."""

    typed: str
    """As the question wrote it (normalised)."""
    name: str
    """As the document writes it ("Ubatuba")."""
    owners: frozenset[str]
    start: int
    end: int
    term: bool = False
    """A distinctive term (``find_terms``), not a name: no place, no product to ask about."""
    phrase: bool = False
    """A distinctive phrase (``find_phrases``): its words are the topic's too."""
    password: bool = False
    """A password only this ISP's KB holds, typed (``codes.password_clue``): ``typed`` is empty
    and ``name`` says "senha digitada", never the password; an answer it picked is a credential
    answer (it tells whose password it is)."""


@dataclass(frozen=True)
class _Entry:
    display: str
    owners: frozenset[str]


@dataclass(frozen=True)
class ContextIndex:
    names: Mapping[str, _Entry]
    """Normalised name (1-4 words) -> how it is written and which ISPs write it."""
    singles: tuple[str, ...]
    """Single-word names long enough to be found misspelt."""
    places: Mapping[str, frozenset[str]]
    """ISP id -> the normalised names its ``cidades`` answer holds."""
    joined: Mapping[str, str] = field(default_factory=dict)
    """A name's words written together -> the name ("hbomax" typed "hbo max", and back)."""
    partial: Mapping[tuple[int, int, str], tuple[tuple[str, str], ...]] = field(
        default_factory=dict
    )
    """(words, position, the other words) -> (the word there, the name) of the multiword names a
    typo in one word still finds ("vila guilerme": (2, 1, "vila") -> ("guilherme", ...))."""
    partial_words: frozenset[str] = frozenset()
    """The words of the names in ``partial``: a window of other words is not looked up."""
    heads: Mapping[str, str] = field(default_factory=dict)
    """The word of a numbered name -> the name ("estufa" -> "estufa 1", the "Bairro Estufa 1"
    a document writes): found after a class noun ("loja da estufa"), where it is a name."""
    ip_parts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Octets of an IP typed partly ("143 202", "80 56", "57") -> the ISPs whose IPs hold them
    in that order (``_ip_parts_typed``)."""
    phone_tails: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """The last four digits of a phone -> the ISPs whose phones end so (``_phone_tails_typed``)."""
    states: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """A state's abbreviation ("pe") -> the ISPs in that state or whose texts write it as a
    place's state ("Sertânia - PE", "Clientes de PE"): ``_states_typed``."""


def _texts(provider: Provider) -> Iterable[tuple[str, str]]:
    """(topic id, text) of everything the ISP's document says."""
    for topic_id, entry in provider.topics.items():
        yield topic_id, entry.text
        for body in entry.notes:
            yield topic_id, body
        for template in entry.templates:
            yield topic_id, template.text
    for body in provider.notes:
        yield "", body
    for sector in provider.sectors:
        for body in sector.notes:
            yield "", body


def _lower_words(kb: KB) -> frozenset[str]:
    """Ordinary words: those some KB text writes in lower case, and the words of the catalogue
    (keywords, commands, vocabulary): topic words are never names alone ("mesh", "deezer")."""
    lower: set[str] = set()
    capitalised: dict[str, str] = {}
    for provider in kb.providers.values():
        for _topic, body in _texts(provider):
            # A host written without "https://" ("central.quorvatel.com.br") is in lower case
            # as hosts are: its labels are no words for that.
            for word in _WORD.findall(_BARE_HOST.sub(" ", _URL.sub(" ", body))):
                if word.islower():
                    lower.add(normalize(word))
                elif word[0].isupper():
                    capitalised.setdefault(normalize(word), word.casefold())
    catalogue: set[str] = set()
    for topic in kb.catalogue.topics:
        for keyword in (*topic.keywords, *topic.commands):
            catalogue.update(normalize(keyword).split())
    for meant in kb.catalogue.vocabulary.values():
        catalogue.update(normalize(meant).split())
    lower.update(w for w in catalogue if not _rare_name(capitalised.get(w)))
    return frozenset(lower)


def _rare_name(written: str | None) -> bool:
    """A catalogue keyword the texts write with a capital and that is a rare name rather than a
    word ("Flashman", "Leveduca"): long enough and rare in Portuguese and English."""
    return (
        written is not None
        and len(written) >= RARE_MIN
        and zipf_frequency(written, "pt", wordlist="small") < RARE_ZIPF
        and zipf_frequency(written, "en", wordlist="small") < RARE_ZIPF
    )


_OPENERS = frozenset('.:!?;•-–—("“*>')


MID, INITIAL, QUOTED = 0, 1, 2
"""Where a word stands: inside a sentence, where any word takes a capital (a line's or a
sentence's start), or right after an opening quote (also a place any word may take one)."""
_QUOTES = frozenset('"“(')
"""A parenthesis too: "Setor CONTRATAR (Canal Digital)" is an aside naming something."""


def _words(line: str) -> Iterable[tuple[str, int, bool]]:
    """(word, where it stands -- ``MID``, ``INITIAL`` or ``QUOTED`` --, and only spaces between
    it and the word before)."""
    last = ""
    end = 0
    for match in _WORD.finditer(line):
        before = line[: match.start()].rstrip()
        initial = not before or before[-1] in _OPENERS or last in ("R", "Obs")
        place = (QUOTED if before and before[-1] in _QUOTES else INITIAL) if initial else MID
        joined = not line[end : match.start()].strip()
        last, end = match.group(), match.end()
        yield last, place, joined


def _runs(body: str) -> Iterable[list[tuple[str, int]]]:
    """Runs of capitalised words (connectors allowed inside), per line."""
    for line in _URL.sub(" ", body).splitlines():
        run: list[tuple[str, int]] = []
        pending: list[tuple[str, int]] = []
        for word, initial, joined in _words(line):
            if run and not joined:  # "Barroso - Fortaleza", "Deezer, Looke": two names
                yield run
                run, pending = [], []
            if word[0].isupper() and any(ch.isalpha() for ch in word):
                run += [*pending, (word, initial)]
                pending = []
            elif run and word.casefold() in CONNECTORS:
                pending.append((word, initial))
            else:
                if run:
                    yield run
                run, pending = [], []
        if run:
            yield run


def is_common(
    word: str,
    lower: frozenset[str] = frozenset(),
    stems: frozenset[str] = frozenset(),
    threshold: float = COMMON_ZIPF,
) -> bool:
    """A stop word, short, a word the KB writes in lower case or another form of one
    ("Cancelamentos", "Renegociações"), or frequent in Portuguese or English ("upgrade")."""
    key = normalize(word)
    root = stem(key)
    folded = word.casefold()
    return (
        key in STOPWORDS
        or key in lower
        or (len(root) >= MIN_STEM and root in stems)
        or len(key) < MIN_NAME
        or not any(ch.isalpha() for ch in key)
        or zipf_frequency(folded, "pt", wordlist="small") >= threshold
        or zipf_frequency(folded, "en", wordlist="small") >= COMMON_ZIPF_EN
    )


_NAME_NUMBER = re.compile(r"[^\W\d_]{5,}\d{1,4}")
"""A product's name with its number ("Leitura360"; "leitura 360" typed): the letters do the
naming, so no ISP's own name ("Mutum2025", a password, is excluded with the ISP's names)."""
_INFINITIVE = re.compile(r"^[a-z]{2,}(ar|er|ir)$")
"""A verb's infinitive ("liberar", "acessar"): the start of an instruction, not of a name."""


@derived
def _name_words(kb: KB) -> dict[str, frozenset[str]]:
    """ISP id -> the words (4+ letters) of the context names only it writes."""
    out: dict[str, set[str]] = {}
    for key, entry in context_index(kb).names.items():
        if len(entry.owners) == 1:
            (owner,) = entry.owners
            out.setdefault(owner, set()).update(w for w in key.split() if len(w) >= MIN_NAME_WORD)
    return {pid: frozenset(words) for pid, words in out.items()}


MIN_NAME_WORD = 4
"""A name's word this long or longer may be typed alone or with a slip (``near_a_name``)."""


def near_a_name(kb: KB, words: Sequence[str], provider_id: str) -> bool:
    """Is one of the words a word of a name only that ISP's document writes, typed alone or
    with one slip ("giga" of "CLARO e GIGA", "digtal" of "Canal Digital"): a name the index did
    not find whole, not an ordinary word?"""
    known = _name_words(kb).get(provider_id, frozenset())
    for word in words:
        if len(word) < MIN_NAME_WORD or not word.isalpha() or word in STOPWORDS:
            continue
        if word in known:
            return True
        if len(word) >= MIN_NAME_WORD + 1 and process.extractOne(
            word, known, scorer=OSA.distance, score_cutoff=1
        ):
            return True
    return False


@derived
def context_index(kb: KB) -> ContextIndex:
    lower = _lower_words(kb)
    stems = frozenset(stem(w) for w in lower)
    generic = frozenset(w for g in kb.catalogue.generic for w in normalize(g).split())
    keywords = {normalize(k) for t in kb.catalogue.topics for k in (*t.keywords, t.title)}
    keywords |= {normalize(v) for v in kb.catalogue.vocabulary.values()}
    sector_words = {normalize(x.name) for p in kb.providers.values() for x in p.sectors}
    excluded: set[str] = set()
    for provider in kb.providers.values():
        for name in (provider.id, provider.name, *provider.aliases):
            excluded.add(normalize(name))
            excluded.update(normalize(name).split())
        for lookalike in provider.lookalikes:
            excluded.add(normalize(lookalike.name))
        for item in provider.equipment:
            for name in (item.model, *item.aliases):
                excluded.add(normalize(name))
                excluded.update(normalize(name).split())
    candidates: dict[str, str] = {}
    """Normalised name -> as first written."""

    def add(run: Sequence[tuple[str, int]], place: bool, whole: bool) -> None:
        words = [w for w, _ in run]
        key = normalize(" ".join(words))
        parts = key.split()
        if not key or key in excluded or any(p in generic for p in parts):
            return
        if any(p[-1].isdigit() and p.rstrip("0123456789") in excluded for p in parts):
            return  # "Mutum2025": an ISP's name with a number
        if len(parts) > 1 and key in keywords:
            return
        if parts[0] in CONNECTORS or parts[-1] in CONNECTORS:
            return
        if len(parts) == 1:
            word, initial = run[0]
            # Acronyms ("IXC") and inner capitals ("MultiTV", "ShowRoom", "SeAC") are names
            # wherever they stand.
            acronym = (
                word.isalpha() and len(word) >= MIN_NAME and any(c.isupper() for c in word[1:])
            )
            # A place's whole name ("Fortaleza"), not a word of a longer one ("Vermelha").
            threshold = PLACE_ZIPF if place and whole else COMMON_ZIPF
            if is_common(word, lower, stems, threshold) or not (place or acronym or not initial):
                return
            if not word.isalpha() and not _NAME_NUMBER.fullmatch(word):
                return  # codes, versions, prices: "1Kbps", "2025"
        else:
            content = [w for w in words if normalize(w) not in CONNECTORS]
            if len(content) < 2 or all(normalize(w) in STOPWORDS for w in content):
                return  # "São Paulo", "São Manoel" keep their "são"
            # Common words in capitals are a name only as a whole run that does not start
            # where any word takes a capital, with a word no text writes in lower case, and
            # not a sector's name: "do \"Extremo Sul\"", "Combo 800 mb + Fibra Play
            # Premium"; not "Tipo de Ocorrência" at a sentence's start, not "Técnicos de
            # Campo" (a sector: every ISP has its field technicians).
            named = (
                whole
                and run[0][1] != INITIAL
                and not all(w.isupper() for w in content)  # "CLIQUE AQUI": shouting
                # "Conta Outra Vez" (an SVA) is a name, ordinary words though it has; two are
                # not ("Outra Vez"), nor a label that starts with a verb ("Liberar Acesso
                # Web": a menu's option, what to click).
                and (
                    (len(content) >= 3 and not _INFINITIVE.search(normalize(content[0])))
                    or any(normalize(w) not in lower for w in content)
                )
                and key not in sector_words
            )
            if not place and all(is_common(w) for w in content) and not named:
                return
            # A part of a longer run is a name only with a word no KB text writes in lower
            # case: "Rita do Trivelato" of "Santa Rita do Trivelato", not "Data de Vencimento"
            # of "(Alteração da Data de Vencimento, ...)", ordinary words an agent types.
            if not place and not whole and all(is_common(w, lower, stems) for w in content):
                return
            if place and not whole and _everyday_place(content):
                return  # "Vila Maria" of "Vila Maria Baixa": a name found in every city
            shouted = all(w.isupper() for w in content)
            if shouted and all(is_common(w, lower, stems) for w in content):
                return  # "SEGUNDA VIA DO BOLETO": a menu's option, ordinary words shouted
        candidates.setdefault(key, " ".join(words))

    for provider in kb.providers.values():
        for topic_id, body in _texts(provider):
            for run in _runs(body):
                for size in range(1, min(MAX_WORDS, len(run)) + 1):
                    for i in range(len(run) - size + 1):
                        add(run[i : i + size], topic_id == PLACES_TOPIC, size == len(run))
    # A product named after its ISP ("VM NET TELECOM SAC", the app): the words after the ISP's
    # name, two or more, name it too, as agents type the app ("o app telecom sac"); one word
    # after it ("Netcenter TV", "Mutum Fibra Wifi") is the ordinary thing it is.
    for provider in kb.providers.values():
        for _topic, body in _texts(provider):
            for run in _runs(body):
                for key, written in _after_own_name(provider, run):
                    if key not in excluded and not all(p in generic for p in key.split()):
                        candidates.setdefault(key, written)
    # A product named after its ISP, typed as the document itself shortens it ("Seja Fibra
    # Play" and "Fibra Play Básico": "fibra play"), or as an app by its own word ("Aplicativo
    # VM NET TELECOM SAC": "app sac").
    for provider in kb.providers.values():
        for key, written in _products_shortened(provider):
            if key not in excluded and key not in keywords:
                candidates.setdefault(key, written)
    # A brand in a list of brands, its first word capitalised ("ONU BRIDGE: Huawei, Think, Max
    # print"): the item whole is a name, whatever its words.
    for provider in kb.providers.values():
        for _topic, body in _texts(provider):
            for key, written in _listed_names(body):
                if key not in excluded and key not in keywords and key not in sector_words:
                    candidates.setdefault(key, written)
    # Addresses, numbers and domains only one document writes: "143.202.80.56", "(65)
    # 3308-1020", "ixc.vitortelecom.com.br" ("vitortelecom").
    identifiers: dict[str, set[str]] = {}
    writers: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        for _topic, body in _texts(provider):
            for word in normalize(body).split():
                writers.setdefault(word, set()).add(provider.id)
    widely = frozenset(w for w, ids in writers.items() if len(ids) > MAX_OWNERS)
    for provider in kb.providers.values():
        for key, written in _apps_by_their_word(provider, widely):
            if key not in excluded:
                identifiers.setdefault(key, set()).add(provider.id)
                candidates.setdefault(key, written)
    for provider in kb.providers.values():
        for _topic, body in _texts(provider):
            for key, written in _identifiers(body, lower, stems, generic):
                identifiers.setdefault(key, set()).add(provider.id)
                candidates.setdefault(key, written)
    # A word right after "banco", "app", "bairro"... is a name however it is written ("banco
    # sicredi"), unless a common word.
    for provider in kb.providers.values():
        for _topic, body in _texts(provider):
            for key, written in _after_class_nouns(body, lower, stems, generic, excluded):
                candidates.setdefault(key, written)
    # A street's name without its "Rua" ("Travessa Jonas Bezerra": "jonas bezerra"), however
    # frequent its words: people's names together name the street.
    streets: set[str] = set()
    for provider in kb.providers.values():
        for _topic, body in _texts(provider):
            for key, written in _street_names(body, excluded):
                streets.add(key)
                candidates.setdefault(key, written)
    # The neighbourhood after an address's number ("Rua X, 96 - Sumaré"), and the states'
    # names ("FILIAL - PERNAMBUCO"): places, whoever writes them.
    for provider in kb.providers.values():
        for _topic, body in _texts(provider):
            for written in _NEIGHBOURHOOD.findall(body):
                key = normalize(written)
                if key and not is_common(written, lower, stems, PLACE_ZIPF):
                    candidates.setdefault(key, written)
    for state in STATES.values():
        candidates.setdefault(normalize(state), state)
    # Kinds of place ("fazendas", "zona rural") one ISP alone writes.
    kinds: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        for _topic, body in _texts(provider):
            for word in normalize(body).split():
                if word in PLACE_KINDS:
                    kinds.setdefault(PLACE_KINDS[word], set()).add(provider.id)
    # Plan speeds and access ports ("400MB", "porta 8010"): numbers with their unit.
    for provider in kb.providers.values():
        for key, written in _measures(provider):
            identifiers.setdefault(key, set()).add(provider.id)
            candidates.setdefault(key, written)
    # Who writes each name: any ISP whose texts hold it, wherever and however capitalised.
    owners: dict[str, set[str]] = {}
    display = dict(candidates)
    places: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        for topic_id, body in _texts(provider):
            words = normalize(_URL.sub(" ", body)).split()
            for size in range(1, MAX_WORDS + 1):
                for i in range(len(words) - size + 1):
                    key = " ".join(words[i : i + size])
                    if key in candidates:
                        owners.setdefault(key, set()).add(provider.id)
                        if topic_id == PLACES_TOPIC:
                            places.setdefault(provider.id, set()).add(key)
        for key, ids in identifiers.items():
            if provider.id in ids:
                owners.setdefault(key, set()).add(provider.id)
        for system in provider.systems:  # "systems: [IXC, UPCHAT]": its texts, in a list
            if normalize(system) in candidates:
                owners.setdefault(normalize(system), set()).add(provider.id)
        for hint in provider.context:
            key = normalize(hint)
            if key:
                owners.setdefault(key, set()).add(provider.id)
                display.setdefault(key, hint)
    # The states' names name every ISP in that state, besides the documents that write them:
    # "São Paulo" is VM NET's city and Seja Fibra's state (a customer "de São Paulo" may be
    # either's; it named VM NET alone).
    for provider in kb.providers.values():
        state = STATES.get(provider.state, "")
        if state:
            owners.setdefault(normalize(state), set()).add(provider.id)
            display.setdefault(normalize(state), state)
            places.setdefault(provider.id, set()).add(normalize(state))
    names = {
        key: _Entry(display[key], frozenset(ids))
        for key, ids in owners.items()
        if len(ids) <= MAX_OWNERS
    }
    for key, ids in kinds.items():
        if len(ids) == 1 and key not in names:
            names[key] = _Entry(key.capitalize(), frozenset(ids))
    singles = tuple(
        sorted(k for k in names if " " not in k and len(k) >= FUZZY_MIN and k.isalpha())
    )
    joined = {key.replace(" ", ""): key for key in names}
    numbered: dict[str, set[str]] = {}
    for key in names:
        head, _, number = key.partition(" ")
        if head.isalpha() and number.isdigit():
            numbered.setdefault(head, set()).add(key)
    heads = {
        head: min(keys)
        for head, keys in numbered.items()
        if len({names[k].owners for k in keys}) == 1 and head not in excluded
    }
    in_places = {key for keys in places.values() for key in keys} | streets
    written_lower = {
        normalize(word)
        for provider in kb.providers.values()
        for _topic, body in _texts(provider)
        for word in _WORD.findall(body)
        if word.islower()
    }
    partial: dict[tuple[int, int, str], list[tuple[str, str]]] = {}
    for key in names:
        parts = key.split()
        if not 2 <= len(parts) <= MAX_WORDS or not all(p.isalpha() for p in parts):
            continue
        # A place's name, or one with a word that is no common word and that no text writes in
        # lower case ("Paramount Plus", not "Data de Vencimento": its typo is an ordinary
        # phrase misspelt).
        if key not in in_places and all(
            is_common(p) or p in written_lower or p in CONNECTORS for p in parts
        ):
            continue
        for at, part in enumerate(parts):
            if len(part) >= FUZZY_PART and part not in CONNECTORS:
                others = " ".join(parts[:at] + parts[at + 1 :])
                partial.setdefault((len(parts), at, others), []).append((part, key))
    return ContextIndex(
        names,
        singles,
        {pid: frozenset(keys) for pid, keys in places.items()},
        joined,
        {where: tuple(found) for where, found in partial.items()},
        frozenset(w for _size, _at, others in partial for w in others.split()),
        heads,
        _ip_parts(kb),
        _phone_tails(identifiers),
        _state_abbreviations(kb),
    )


def _own_names(provider: Provider) -> list[list[str]]:
    """The ISP's name and aliases, normalised and split, longest first."""
    names = {tuple(normalize(n).split()) for n in (provider.name, *provider.aliases)}
    return [list(n) for n in sorted(names, key=len, reverse=True) if n]


def _products_shortened(provider: Provider) -> Iterable[tuple[str, str]]:
    """(key, as written) of a product named after its ISP ("Seja Fibra Play") less the ISP's
    first word, when the document writes that shorter name as a run of its own ("Fibra Play
    Básico = R$98", "Combo 800 mb + Fibra Play Premium"): the document calls the product so,
    and so do agents ("usuário do fibra play"). "VM NET TV" gives nothing: no text writes "NET
    TV" alone."""
    runs = [[w for w, _ in run] for _topic, body in _texts(provider) for run in _runs(body)]
    starts = {tuple(normalize(" ".join(run)).split()) for run in runs}
    for run in runs:
        keys = normalize(" ".join(run)).split()
        if len(keys) != len(run):
            continue  # a word normalising to two ("Wi-Fi"): positions would not match
        for own in _own_names(provider):
            n = len(own)
            found = [at for at in range(len(keys) - n) if keys[at : at + n] == own]
            if n < 2 or not found:
                continue
            at = found[0]
            short = tuple(keys[at + 1 : at + n + 1])  # "fibra play" of "seja fibra play"
            if any(start[: len(short)] == short and start[0] != own[0] for start in starts):
                yield " ".join(short), " ".join(run[at + 1 : at + n + 1])
            break


_APP_NAMED = re.compile(r"\b(?i:app|aplicativo)\s+([A-ZÀ-Ý][\w+-]*(?:\s[A-ZÀ-Ý][\w+-]*)*)")
"""An app's name written after "app"/"aplicativo", its words capitalised: "aplicativo VM NET
TELECOM SAC", "App Seja Fibra Play"."""
APP_NOUNS = ("app", "aplicativo")
SERVICE_WORDS = frozenset(
    "sac central atendimento suporte cliente clientes fibra net telecom internet ouvidoria".split()  # noqa: SIM905
)
"""Words of every company's customer service ("app sac" is any bank's app too): an app's own
word among them names no ISP alone (QA11 F2)."""


def _apps_by_their_word(provider: Provider, widely: frozenset[str]) -> Iterable[tuple[str, str]]:
    """(key, as written) of an app named after its ISP, told by the one word after the ISP's
    name with "app" before it ("Aplicativo VM NET TELECOM SAC": "app sac", "aplicativo sac"),
    when that word is no frequent word ("play" of "App Seja Fibra Play" and "tv" of "App
    Netcenter TV" are everyone's: "o app play store", "o app de tv"), nor one more than
    ``MAX_OWNERS`` ISPs write ("pix": "o app pix" is any bank's). The word alone says nothing
    (two ISPs write "SAC"); with "app" before it, it is this ISP's app."""
    for _topic, body in _texts(provider):
        for run in _APP_NAMED.findall(body):
            keys = normalize(run).split()
            for own in _own_names(provider):
                if keys[: len(own)] != own:
                    continue
                tail = keys[len(own) :]
                if (
                    len(tail) == 1
                    and not is_common(tail[0])
                    and tail[0] not in widely
                    and tail[0] not in SERVICE_WORDS
                ):
                    for noun in APP_NOUNS:
                        yield f"{noun} {tail[0]}", run
                break


LIST_ITEMS = 3
"""A line lists things from this many items after its label ("ONU BRIDGE: Huawei, Think, Max
print")."""


def _listed_names(body: str) -> Iterable[tuple[str, str]]:
    """(key, as written) of the items of two or three words, the first capitalised and the
    others in lower case, of a list after a label ("ONU BRIDGE: Huawei, Think, Max print" ->
    "Max print"): a brand's name written as a list's item, though "max" and "print" are words.
    One word alone ("Think") is a word still; an item in lower case ("cartões em loja") is no
    name; one in capitals ("MERCUSYS AC1200") is a capitalised run, read as such."""
    for line in _URL.sub(" ", body).splitlines():
        label, colon, rest = line.partition(":")
        items = [item.strip() for item in rest.split(",")]
        if not colon or not label.strip() or len(items) < LIST_ITEMS:
            continue
        for item in items:
            words = item.split()
            if (
                2 <= len(words) <= 3
                and words[0][:1].isupper()
                and words[0].isalpha()
                and all(w.isalpha() and w.islower() for w in words[1:])
            ):
                yield normalize(item), item


_STATE_WRITTEN = re.compile(r"(?:\s[-–/]\s?|\bde\s|\()(" + "|".join(STATES) + r")\b(?!\s?[a-zà-ý])")
"""A state's abbreviation written as a place's state: "Sertânia - PE", "(Clientes de PE)",
"Cuiabá/MT" -- not "MG Cobranças" (a company's name), nor inside a word."""


def _state_abbreviations(kb: KB) -> dict[str, frozenset[str]]:
    """A state's abbreviation (lower case) -> the ISPs whose ``state`` it is or whose texts
    write it as a place's state; two at most (more say nothing)."""
    owners: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        if provider.state in STATES:
            owners.setdefault(provider.state.casefold(), set()).add(provider.id)
        for _topic, body in _texts(provider):
            for code in _STATE_WRITTEN.findall(body):
                owners.setdefault(code.casefold(), set()).add(provider.id)
    return {code: frozenset(ids) for code, ids in owners.items() if len(ids) <= MAX_OWNERS}


CUSTOMER_WORDS = frozenset(["cliente", "clientes", "cli", "assinante", "assinantes", "cidade"])
STATE_LINKS = frozenset(["de", "do", "da", "em", "no", "na"])
PLACE_LINKS = frozenset(["de", "do", "da", "dos", "das"])
"""A state is never "PE do ...": "cliente no pé do morro", "cliente de pe de galinha"."""


def _states_typed(index: ContextIndex, words: Sequence[str], used: set[int]) -> list[ContextName]:
    """A state typed by its two letters where only a state can stand: right after "cliente
    de" ("qual vpn uso pro cliente de pe?" -> VM NET's "Clientes de PE"). Two letters alone are
    words ("pe", "se", "to", "ma"): nowhere else."""
    found: list[ContextName] = []
    for i, word in enumerate(words):
        owners = index.states.get(word)
        if not owners or i in used or i < 2:
            continue
        if i + 1 < len(words) and words[i + 1] in PLACE_LINKS:
            continue
        if words[i - 1] in STATE_LINKS and words[i - 2] in CUSTOMER_WORDS:
            used.add(i)
            found.append(ContextName(word, word.upper(), owners, i, i + 1))
    return found


def _after_own_name(
    provider: Provider, run: Sequence[tuple[str, int]]
) -> Iterable[tuple[str, str]]:
    """(key, as written) of the words that follow the ISP's own name in a run of capitalised
    words, when they are two or more and not only connectors ("VM NET TELECOM SAC": "telecom
    sac")."""
    words = [w for w, _ in run]
    keys = [normalize(w) for w in words]
    for name in (provider.name, *provider.aliases):
        own = normalize(name).split()
        n = len(own)
        for at in range(len(keys) - n):
            rest = words[at + n :]
            content = [w for w in rest if normalize(w) not in CONNECTORS | STOPWORDS]
            if keys[at : at + n] == own and len(content) >= 2 and len(rest) <= MAX_WORDS:
                yield normalize(" ".join(rest)), " ".join(rest)


NEIGHBOURHOOD_KINDS = frozenset(
    "jardim vila parque bairro conjunto residencial sao santa santo nossa senhora".split()  # noqa: SIM905
)
"""The first words of the place names every Brazilian city repeats: "Jardim América", "Vila
Maria", "Parque São Jorge", "Santa Maria", "São José"."""
EVERYDAY_ZIPF = 5.0
"""... with an everyday word after them ("Brasil" 6.0, "Maria" 5.2, "Nova" 5.7); "Rita" 4.3,
"Medeiros" 4.0, "Julieta" 3.7 are rarer names."""


def _everyday_place(content: Sequence[str]) -> bool:
    """Is this part of a longer place's name a kind and one everyday word ("Vila Maria" of
    "Vila Maria Baixa")? Typed alone it is found in many cities: the document's place is more
    specific, so it names no one."""
    return (
        len(content) == 2
        and normalize(content[0]) in NEIGHBOURHOOD_KINDS
        and zipf_frequency(content[1].casefold(), "pt", wordlist="small") >= EVERYDAY_ZIPF
    )


PLACE_KINDS = {
    "fazenda": "fazenda", "fazendas": "fazenda", "rural": "rural", "rurais": "rural",
    "sitio": "sitio", "sitios": "sitio", "chacara": "chacara", "chacaras": "chacara",
    "assentamento": "assentamento", "assentamentos": "assentamento",
}  # fmt: skip
"""Kinds of place a customer lives in: one ISP alone writing one ("áreas rurais, fazendas": it
serves them) names it; written by two or more, it says nothing (every ISP may have farms)."""
CLASS_NOUNS = frozenset(
    [
        "banco",
        "app",
        "aplicativo",
        "loja",
        "bairro",
        "comunidade",
        "distrito",
        "povoado",
        "condominio",
        "plataforma",
        "parceiro",
        "parceira",
    ]
)
"""Nouns a name follows: "banco sicredi", "comunidade são manoel", "app cdntv"."""
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _after_class_nouns(
    body: str,
    lower: frozenset[str],
    stems: frozenset[str],
    generic: frozenset[str],
    excluded: set[str],
) -> Iterable[tuple[str, str]]:
    """(key, as written) of the word after a class noun, when it is not a common word (the KB
    writing it in lower case does not count: "sicredi" is written so)."""
    tokens = _TOKEN.findall(_URL.sub(" ", body))
    for before, word, after in zip(tokens, tokens[1:], [*tokens[2:], ""], strict=False):
        key = normalize(word)
        if normalize(before) not in CLASS_NOUNS or key in generic or key in excluded:
            continue
        if word.isalpha() and after.isdigit() and len(after) <= 2 and word[0].isupper():
            yield f"{key} {after}", f"{word} {after}"  # "Bairro Estufa 1": the name and its number
        if word.isalpha() and not is_common(word, frozenset(), stems - {stem(key)}):
            yield key, word.capitalize() if word.islower() else word


_NEIGHBOURHOOD = re.compile(
    r"\b(?:Rua|R\.|Avenida|Av\.?|Travessa|Estrada|Rodovia|Alameda|Pra[çc]a)\s[^\n,]+,\s*"
    r"(?:n[º°o]\.?\s*)?\d+[A-Za-z]?\s*[-–—]\s*([A-ZÀ-Ý][^\W\d_]+(?:\s[A-ZÀ-Ý][^\W\d_]+)*)"
)
"""The neighbourhood written after an address's number: "Rua X, 96 - Sumaré"."""
_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
_PHONE = re.compile(r"(?<![\d.])(?:\(?\d{2,4}\)?[\s-]?)?\d{3,5}[\s-]?\d{4}(?!\d|\.\d)")
"""A phone, ended by a sentence's full stop too ("WhatsApp (47) 99123-8077."), not by a
decimal's (an IP's "170.82.44.20")."""
_HOST = re.compile(r"(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})", re.I)
_HOST_PATH = re.compile(r"(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})/([a-z]{2,})\b", re.I)
"""A host and the first part of its path ("https://www.speedtest.net/pt"): the page one
document gives, where another gives the host alone."""
_AREA_CODE = re.compile(r"\(0?([1-9][1-9])\)\s?\d{4,5}[\s-]?\d{4}\b")
"""A phone's area code in parentheses, "(85) 3276-5247": "ddd 85" names the ISP(s) writing it."""
_TOLL_FREE = re.compile(r"(?<!\d)(0[3589]00)[\s-]?(\d{3})[\s-]?\d{4}(?!\d)")
"""A toll-free or shared-cost number ("0800 680 0002"): agents tell it by its prefix and the
group after it ("o 0800 680"), as a city's phone by its area code and first four digits."""
TOLL_KEY = "tel0800 "
"""Key prefix of a toll-free number's first groups ("tel0800 0800 680"): not a typed word."""
PHONE_DIGITS = 8
AREA_KEY = "ddd "
"""Key prefix of an area code the texts write ("ddd 85")."""
"""A phone number is recognised by its last 8 digits, however it is typed."""


def _identifiers(
    body: str, lower: frozenset[str], stems: frozenset[str], generic: frozenset[str]
) -> Iterable[tuple[str, str]]:
    """(key, as written) of the IP addresses, phone numbers and distinctive domain labels."""
    for ip in _IPV4.findall(body):
        yield normalize(ip), ip
    for phone in _PHONE.findall(body):
        digits = "".join(ch for ch in phone if ch.isdigit())
        if len(digits) >= PHONE_DIGITS:
            yield PHONE_KEY + digits[-PHONE_DIGITS:], phone.strip()
    for code in _AREA_CODE.findall(body):
        yield f"{AREA_KEY}{code}", f"DDD {code}"
    for prefix, exchange in _TOLL_FREE.findall(body):
        yield f"{TOLL_KEY}{prefix} {exchange}", f"{prefix} {exchange}…"
    for host in _HOST.findall(body):
        bare = host[4:] if host.casefold().startswith("www.") else host
        if "." in bare:
            yield normalize(bare), bare  # "Fast.com": the whole host, though "fast" is a word
        for label in re.split(r"[.-]", host.casefold())[:-1]:
            plain = len(label) >= FUZZY_MIN and label.isalpha() and label not in generic
            if plain and not is_common(label, lower, stems):
                yield label, label
    for host, segment in _HOST_PATH.findall(body):
        bare = host[4:] if host.casefold().startswith("www.") else host
        key = normalize(f"{bare} {segment}")
        if len(key.split()) <= MAX_WORDS:
            yield key, f"{bare}/{segment}"  # "speedtest.net/pt": a host two ISPs write, one's page


_STREET = re.compile(
    r"\b(?:Rua|R\.|Avenida|Av\.?|Travessa|Tv\.|Estrada|Rodovia|Alameda|Pra[çc]a)\s+"
    r"((?:[A-ZÀ-Ý][^\W\d_]+)(?:\s(?:(?:d[aoe]s?)\s)?[A-ZÀ-Ý][^\W\d_]+)*)"
)
"""A street's name after its kind: "Travessa Jonas Bezerra", "Av. dos Canários" (its first
word capitalised; "do", "da"... inside)."""


def _street_names(body: str, excluded: set[str]) -> Iterable[tuple[str, str]]:
    """(key, as written) of the streets' names of two to ``MAX_WORDS`` words, without their
    kind ("Jonas Bezerra"): agents type the name alone. A person's name is made of frequent
    words ("Jonas" 4.1, "Bezerra" 3.8), but two of them together name one street; one alone
    names no one."""
    for written in _STREET.findall(body):
        key = normalize(written)
        parts = key.split()
        content = [p for p in parts if p not in CONNECTORS]
        if len(content) >= 2 and len(parts) <= MAX_WORDS and key not in excluded:
            yield key, written


def _ip_parts(kb: KB) -> dict[str, frozenset[str]]:
    """Every run of one to three octets of each IP the ISPs' texts write -> its ISPs."""
    parts: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        for _topic, body in _texts(provider):
            for ip in _IPV4.findall(body):
                octets = ip.split(".")
                for size in range(1, 4):
                    for at in range(len(octets) - size + 1):
                        key = " ".join(str(int(o)) for o in octets[at : at + size])
                        parts.setdefault(key, set()).add(provider.id)
    return {key: frozenset(ids) for key, ids in parts.items()}


PHONE_TAIL = 4
"""A phone is often told by its last four digits ("o final 8077")."""


def _phone_tails(identifiers: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    """The last ``PHONE_TAIL`` digits of every phone the texts write -> the ISPs whose phones
    end so (all of them: a tail several ISPs' phones share says nothing); and the first four of
    its eight (the exchange's prefix after the area code, "(85) 3276-…"), keyed "^3276"."""
    tails: dict[str, set[str]] = {}
    for key, ids in identifiers.items():
        if key.startswith(PHONE_KEY):
            tails.setdefault(key[-PHONE_TAIL:], set()).update(ids)
            digits = key[len(PHONE_KEY) :]
            if len(digits) == PHONE_DIGITS:
                tails.setdefault(HEAD + digits[:PHONE_TAIL], set()).update(ids)
    return {tail: frozenset(ids) for tail, ids in tails.items()}


HEAD = "^"
"""Key prefix of a phone's first four digits in ``ContextIndex.phone_tails``."""


SPEED_UNITS = {"mb": "mega", "mbps": "mega", "mega": "mega", "megas": "mega", "m": "mega"}
SPEED_UNITS |= {"giga": "giga", "gigas": "giga", "gb": "giga", "g": "giga", "kbps": "kbps"}
"""How a speed is written ("400MB", "400 mega", "10M"): kept as "400mega", one word."""
PLAN_WORDS = frozenset(["plano", "planos", "combo", "pacote"])
"""A number right after these (or after "plano de") is a speed in megas: "combo 800"."""
NOT_SPEEDS_AFTER = frozenset(
    "dia dias mes meses ano anos hora horas vez vezes parcela parcelas reais real".split()  # noqa: SIM905
)
"""... unless one of these follows it: "plano de 30 dias" is a span, "plano de 60 reais" a
price."""
SPEED = re.compile(
    r"\b(\d{1,4})\s?(" + "|".join(sorted(SPEED_UNITS, key=len, reverse=True)) + r")\b", re.I
)
"""A speed as a text writes it ("400MB", "400 mega"): the number and the unit."""
_PORT = re.compile(r"\bportas?\b\W{0,3}(?:\w+\W+){0,2}?(\d{2,5})\b", re.I)
PORT_TOPIC = "porta"


def speed_key(number: str, unit: str) -> str:
    """ "400", "MB" -> "400mega" (a plan's speed however it is typed); "" if not a speed."""
    kind = SPEED_UNITS.get(unit.casefold(), "")
    return f"{int(number)}{kind}" if kind and number.isdigit() else ""


def _measures(provider: Provider) -> Iterable[tuple[str, str]]:
    """(key, as written) of the plan speeds ("400MB": "400mega") and the access ports ("porta
    8010": the numbers after "porta", the ``porta`` answer's, the equipment rows') an ISP's
    texts give."""
    for topic_id, body in _texts(provider):
        # The equipment answer's speeds are a device's rating ("TPLINK 300MBPS"), no plan's.
        for number, unit in SPEED.findall(body) if topic_id != EQUIPMENT_TOPIC else ():
            key = speed_key(number, unit)
            if key:
                yield key, f"{int(number)} {SPEED_UNITS[unit.casefold()].capitalize()}"
        ports = _PORT.findall(body)
        if topic_id == PORT_TOPIC:
            ports += re.findall(r"\b\d{2,5}\b", body)
        for port in ports:
            yield f"porta {port}", f"porta {port}"
    for item in provider.equipment:
        if item.port and item.port.isdigit():
            yield f"porta {item.port}", f"porta {item.port}"
    for _topic_id, body in _texts(provider):
        for reais, cents in PRICE.findall(body):
            written = f"R$ {int(reais)},{cents}"
            yield price_key(reais, cents), written
            rounded = str(int(reais) + (cents != "00"))
            yield price_key(rounded), f"R$ {rounded}"


PRICE_KEY = "preco "
"""Prices are kept under "preco <reais> <cents>" (exact, "99,90") and "preco <reais>" (whole
reais, rounded up: "100 reais" is 99,90 as agents say it, or 100,00)."""
PRICE = re.compile(r"(?<![\d,.])(\d{1,4}),(\d{2})(?!\d|,\d)")
"""A price with cents as a text writes it; a comma may follow it ("R$ 84,00, abrir OS")."""
PRICE_CUES = PAYMENT_WORDS | frozenset(
    "r rs plano planos mensalidade pagando fatura combo pacote".split()  # noqa: SIM905
)
"""Words before a number (within two words) that make it a price: "plano de 99,90", "R$ 40"."""
PRICE_AFTER = frozenset(["reais", "real", "conto", "contos", "pila"])
"""Words after a number that make it a price: "50 reais"."""
ELIDED = frozenset([("o", "de"), ("a", "de"), ("os", "de"), ("as", "de")])
"""A number with cents after these is a price with its noun left out: "quer o de 99,90" (the
plan of 99,90), "o de 69,90 é fibra?"; a whole number so is no price ("o de 100": a speed)."""


def price_key(reais: str, cents: str = "") -> str:
    """ "99", "90" -> "preco 99 90"; "100" -> "preco 100"."""
    return f"{PRICE_KEY}{int(reais)} {cents}" if cents else f"{PRICE_KEY}{int(reais)}"


def _plan_asked(words: Sequence[str]) -> bool:
    """Does the question name a plan: a plan word or a speed ("plano de 600mb", "o de 100 mega")?"""
    return any(
        w in PLAN_WORDS
        or SPEED.fullmatch(w)
        or (w in SPEED_UNITS and i > 0 and words[i - 1].isdigit())
        for i, w in enumerate(words)
    )


def prices_typed(words: Sequence[str], used: set[int]) -> Iterable[tuple[str, int, int]]:
    """(key, start, end) of the prices in a question's words: a number with a cue before it
    ("plano de 99,90": "99 90" once normalised) or "reais" after it ("50 reais"); a number
    with cents in a question naming a plan anywhere ("o de 600mb ainda é 99,90?": the plan's
    price, however far from the plan word), or after "o de" (``ELIDED``: "quer o de 99,90")."""
    plan = _plan_asked(words)
    for i, word in enumerate(words):
        if i in used or not word.isdigit() or len(word) > 4:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        cued = bool(PRICE_CUES & {*words[max(0, i - 2) : i]})
        if len(nxt) == 2 and nxt.isdigit() and i + 1 not in used:
            after = words[i + 2] if i + 2 < len(words) else ""
            if cued or after in PRICE_AFTER or plan or tuple(words[max(0, i - 2) : i]) in ELIDED:
                yield price_key(word, nxt), i, i + 2
        elif nxt in PRICE_AFTER or (cued and words[i - 1] in ("r", "rs")):
            yield price_key(word), i, i + 1


PHONE_KEY = "tel "
"""Phone numbers are kept under "tel <last 8 digits>"."""


def _typo_budget(word: str) -> int:
    return 1 if len(word) <= 8 else 2


PLACE_ABBREVIATIONS = {
    "sta": "santa",
    "sto": "santo",
    "jd": "jardim",
    "jdm": "jardim",
    "pq": "parque",
    "vl": "vila",
    "com": "comunidade",
    "av": "avenida",
    "s": "sao",
}
"""How addresses are abbreviated ("sta rita", "jd brasil", "pq novo mundo"): tried as well."""


STREET_KINDS = frozenset("rua r avenida av travessa trav alameda estrada rodovia praca".split())  # noqa: SIM905
"""Before a place's name, these make it a street's: streets are named after cities, states and
neighbourhoods everywhere ("rua Barroso", "avenida Bahia"), so it says nothing about the ISP."""


def _a_place(index: ContextIndex, key: str) -> bool:
    return any(key in keys for keys in index.places.values())


PERSON_TITLES = frozenset(
    "sr sra srta senhor senhora seu dona dr dra doutor doutora".split()  # noqa: SIM905
)
"""Titles before a person's name: "o sr. Barroso", "dona Fortaleza", "seu Jonas Bezerra" are
people, whatever place or street the document writes by that name."""
COMPANY_BEFORE = frozenset(
    """
    empresa firma construtora transportadora supermercado mercado mercadinho farmacia drogaria
    padaria escritorio distribuidora
    """.split()  # noqa: SIM905
)
COMPANY_AFTER = frozenset(
    """
    ltda eireli cia materiais comercio construcoes transportes advogados associados engenharia
    contabilidade distribuidora supermercado supermercados
    """.split()  # noqa: SIM905
)
"""A kind of business right before a place's name or a company's word right after it:
"supermercado Barroso", "Barroso Materiais" are companies, not the place (a product's or a
partner's name stays one: "a empresa MG Cobranças" is Seja Fibra's partner)."""


def _a_person_or_company(index: ContextIndex, words: Sequence[str], name: ContextName) -> bool:
    """Is this name read as a person's (a title before it, a first name between or not: "o
    sr. Barroso", "seu João Barroso") or, for a place, a company's ("supermercado Barroso",
    "Barroso Materiais")? Then it is no place: it names no ISP. A connector breaks the title's
    reach ("seu João de Sertânia": Sertânia is where he lives)."""
    start = name.start
    for gap in (1, 2):
        if start - gap < 0:
            break
        if words[start - gap] in PERSON_TITLES:
            between = words[start - gap + 1 : start]
            if all(w.isalpha() and w not in STOPWORDS for w in between):
                return True
    if not _a_place(index, name.typed):
        return False
    before = words[start - 1] if start > 0 else ""
    after = words[name.end] if name.end < len(words) else ""
    return before in COMPANY_BEFORE or after in COMPANY_AFTER


def find_context(
    kb: KB,
    words: Sequence[str],
    used: set[int],
    known: frozenset[str],
    dotted: Sequence[DottedRun] = (),
    people: set[int] | None = None,
) -> list[ContextName]:
    """Names in the question's words (longest first; positions in ``used`` are skipped, and
    the positions of the names found are added to it). A word the KB never uses may be a
    misspelt single-word name ("ubatub", "caraguatatuba"). ``dotted``: the numbers the text
    wrote joined by dots (``dotted_numbers``), where a part of an IP may be. ``people``: filled
    with the positions of the names read as a person's or a company's (``_a_person_or_company``),
    which are no clue and no word to look for either."""
    index = context_index(kb)
    found: list[ContextName] = []
    # Three or four numbers joined by dots are an address ("170.82.44.20"), no price -- even in
    # a question about plans, where "82 44" would otherwise read as R$ 82,44.
    hosts = {i for start, end, _lead in dotted if end - start >= IP_RUN for i in range(start, end)}
    for price, start, end in list(prices_typed(words, used | hosts)):
        entry = index.names.get(price)
        used.update(range(start, end))  # a price is no speed: "plano de 50 reais"
        if entry is not None:
            written = " ".join(words[start:end])
            found.append(ContextName(written, entry.display, entry.owners, start, end))
    spelled = [PLACE_KINDS.get(w) or PLACE_ABBREVIATIONS.get(w, w) for w in words]
    for i, word in enumerate(words):  # "400mb", "400 megas": "400mega"
        typed = SPEED.fullmatch(word)
        if typed:
            spelled[i] = speed_key(*typed.groups()) or word
        elif i > 0 and words[i - 1].isdigit() and word in SPEED_UNITS:
            spelled[i] = SPEED_UNITS[word]
        elif word.isdigit() and PLAN_WORDS & {*words[max(0, i - 2) : i]}:
            unit = words[i + 1] if i + 1 < len(words) else ""
            if unit not in SPEED_UNITS and unit not in NOT_SPEEDS_AFTER:
                spelled[i] = speed_key(word, "mega")
    # A longer name with one word misspelt first: "resideciais sao paulo" is VM NET's
    # "Residenciais São Paulo", not the state's name that its last two words are.
    found += _misspelt_multiword(index, spelled, used, known)
    for size in range(min(MAX_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            span = range(start, start + size)
            if used & set(span):
                continue
            key = " ".join(words[start : start + size])
            entry = index.names.get(key)
            if entry is None:
                key = " ".join(spelled[start : start + size])
                entry = index.names.get(key)
            if entry is None and key.replace(" ", "") in index.joined:
                key = index.joined[key.replace(" ", "")]
                entry = index.names[key]
            if entry is None:
                continue
            used.update(span)
            if start and words[start - 1] in STREET_KINDS and _a_place(index, key):
                continue  # "rua Barroso", "av. São Paulo": a street any city may have
            found.append(ContextName(key, entry.display, entry.owners, start, start + size))
    for start in range(len(words)):
        for end in range(start + 1, min(start + MAX_WORDS, len(words)) + 1):
            numbers = words[start:end]
            if used & set(range(start, end)) or not all(w.isdigit() for w in numbers):
                continue
            digits = "".join(numbers)
            entry = index.names.get(PHONE_KEY + digits[-PHONE_DIGITS:])
            if len(digits) >= PHONE_DIGITS and entry is not None:
                used.update(range(start, end))
                found.append(ContextName(digits, entry.display, entry.owners, start, end))
    found += _phone_tails_typed(index, words, used)
    found += _states_typed(index, words, used)
    found += _ip_parts_typed(index, words, used, (*dotted, *_ip_endings(words)))
    for i, word in enumerate(words):  # "loja da estufa": "Bairro Estufa 1"
        numbered = index.heads.get(word, "")
        before = [w for w in words[max(0, i - 2) : i] if w not in CONNECTORS]
        if numbered and i not in used and before and before[-1] in CLASS_NOUNS:
            used.add(i)
            entry = index.names[numbered]
            found.append(ContextName(word, entry.display, entry.owners, i, i + 1))
    found += _glued_names(index, words, used, known)
    for i, word in enumerate(words):
        if i in used or word in known or len(word) < FUZZY_MIN or not word.isalpha():
            continue
        hit = process.extractOne(
            word, index.singles, scorer=OSA.distance, score_cutoff=_typo_budget(word)
        )
        name = str(hit[0]) if hit is not None else _unique_prefix(index, word)
        if name:
            entry = index.names[name]
            used.add(i)
            found.append(ContextName(word, entry.display, entry.owners, i, i + 1))
    # Read, and so kept from being found again, but no clue: a person's or a company's name.
    persons = [n for n in found if _a_person_or_company(index, words, n)]
    if people is not None:
        people.update(i for n in persons for i in range(n.start, n.end))
    return sorted((n for n in found if n not in persons), key=lambda n: n.start)


PHONE_CUES = frozenset(
    [
        *("numero", "num", "telefone", "tel", "fone", "celular", "cel", "contato"),
        *("whatsapp", "whats", "wpp", "zap", "ligou", "liga", "ligar", "ligando", "ligacao"),
        *("final", "terminado", "termina", "terminando"),
    ]
)
"""Words before a phone's last four digits (within three words): "ligou do 8077", "numero
final 8077". Four digits alone are a year, a port, a price."""


MONEY_WORDS = frozenset(["mil", "reais", "real", "rs", "milhao", "milhoes", "centavos"])
"""Words after digits that make them money, not a phone: "0800 680 mil reais de multa"."""
NOT_PHONE_CUES = frozenset(["cep"])
"""Words before digits that make them something else than a phone: "cep 85 3276"."""


def _phone_tails_typed(
    index: ContextIndex, words: Sequence[str], used: set[int]
) -> list[ContextName]:
    """Phones told by their last four digits after a phone's word ("o whats final 7538"), by
    the area code and the first four ("ligou do (85)3276", "o cliente do 85 3276 ligou"), or
    by a toll-free number's first groups ("o 0800 680"); not the end of a longer number
    ("ligar no 98765 1020": another phone, whose tail says nothing), nor the start of one
    ("0800 680 1234" is another number of that prefix)."""
    found: list[ContextName] = []
    for i, word in enumerate(words):
        toll = index.names.get(f"{TOLL_KEY}{' '.join(words[i : i + 2])}")
        following = i + 2 < len(words) and (words[i + 2].isdigit() or words[i + 2] in MONEY_WORDS)
        if toll is not None and not used & {i, i + 1} and not following:
            used.update((i, i + 1))
            found.append(
                ContextName(" ".join(words[i : i + 2]), toll.display, toll.owners, i, i + 2)
            )
            continue
        if i in used or len(word) != PHONE_TAIL or not word.isdigit():
            continue
        if NOT_PHONE_CUES & {*words[max(0, i - 3) : i]} or (
            i + 1 < len(words) and words[i + 1] in MONEY_WORDS
        ):
            continue
        owners = index.phone_tails.get(word, frozenset())
        shown = f"…{word}"
        after_area_code = i > 0 and len(words[i - 1]) == 2 and words[i - 1].isdigit()
        if not owners and after_area_code:
            # "ligou do (85)3276": the area code, then the first four digits of the number --
            # under an area code the ISP writes ("(11) 3276" is another city's phone), and
            # with no more digits after ("(85) 3276-0000" is another phone of that exchange).
            area = index.names.get(f"{AREA_KEY}{words[i - 1]}")
            whole = i + 1 < len(words) and words[i + 1].isdigit()
            heads = index.phone_tails.get(HEAD + word, frozenset())
            owners = heads & area.owners if area is not None and not whole else frozenset()
            shown = f"({words[i - 1]}) {word}…"
        elif i > 0 and words[i - 1].isdigit():
            continue
        # The cue before the digits, or (a whole area code and exchange typed: a phone's
        # shape already) right after them: "o cliente do 85 3276 ligou".
        cued = PHONE_CUES & {*words[max(0, i - 4) : i]} or (
            after_area_code and PHONE_CUES & {*words[i + 1 : i + 3]}
        )
        if 0 < len(owners) <= MAX_OWNERS and cued:
            used.add(i)
            found.append(ContextName(word, shown, owners, i, i + 1))
    return found


DottedRun = tuple[int, int, bool]
"""(start, end) of numbers a text wrote joined by dots ("143.202"), in its normalised words,
and whether a dot came before the first (".57")."""
IP_RUN = 3
"""Numbers joined by dots from this many on are (part of) an IP address, not a price."""


def dotted_numbers(text: str) -> tuple[DottedRun, ...]:
    """The runs of numbers joined by dots in a text, with their positions in
    ``normalize(text).split()``: two or more ("143.202", "o 80.56"), or one after a lone dot
    ("ip .57"). Normalising turns the dots into spaces; these say which numbers were one."""
    folded = fold(text)
    tokens = list(_TOKEN.finditer(folded))
    runs: list[DottedRun] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.group().isdigit():
            i += 1
            continue
        before = folded[max(0, token.start() - 2) : token.start()]
        lead = before.endswith(".") and (len(before) < 2 or not before[0].isalnum())
        end = i + 1
        while (
            end < len(tokens)
            and tokens[end].group().isdigit()
            and folded[tokens[end - 1].end() : tokens[end].start()] == "."
        ):
            end += 1
        if end - i > 1 or lead:
            runs.append((i, end, lead))
        i = end
    return tuple(runs)


IP_WORDS = frozenset(["ip", "ips", "dns", "servidor", "endereco", "gateway"])
"""Words an IP's last octet told in words follows (``_ip_endings``)."""
ENDING_WORDS = frozenset(["final", "termina", "terminado", "terminando", "terminada"])
"""Words right before a number's ending: "ip final 57", "dns terminado em 56"."""


def _ip_endings(words: Sequence[str]) -> Iterable[DottedRun]:
    """An IP's last octet told in words ("o ip final 57", "dns terminado em 56"): a number of
    two or three digits right after an ending's word (and "em"), an IP's word within three
    words before that; read as ".57" is."""
    for i, word in enumerate(words):
        if not (word.isdigit() and 2 <= len(word) <= 3) or i < 2:
            continue
        at = i - 2 if words[i - 1] == "em" else i - 1
        if at >= 1 and words[at] in ENDING_WORDS and IP_WORDS & {*words[max(0, at - 3) : at]}:
            yield i, i + 1, True


def _ip_parts_typed(
    index: ContextIndex, words: Sequence[str], used: set[int], dotted: Sequence[DottedRun]
) -> list[ContextName]:
    """An IP typed partly ("143.202", "o 80.56", "ip .57"): one to three octets joined by dots
    that an ISP's IP holds in that order. Short parts say little: two octets need two digits
    each or three in one ("12.3" is a date, "1.1" a version), one octet a dot before it and two
    digits."""
    found: list[ContextName] = []
    for start, end, lead in dotted:
        octets = list(words[start:end])
        size = len(octets)
        if size > 3 or used & set(range(start, end)):
            continue
        if any(len(o) > 3 or int(o) > 255 for o in octets):
            continue
        if size == 1 and not (lead and len(octets[0]) >= 2):
            continue
        if size == 2 and not (all(len(o) >= 2 for o in octets) or any(len(o) == 3 for o in octets)):
            continue
        owners = index.ip_parts.get(" ".join(str(int(o)) for o in octets), frozenset())
        if 0 < len(owners) <= MAX_OWNERS:
            used.update(range(start, end))
            written = ("." if size == 1 else "") + ".".join(octets)
            found.append(ContextName(" ".join(octets), written, owners, start, end))
    return found


def _misspelt_multiword(
    index: ContextIndex, words: Sequence[str], used: set[int], known: frozenset[str]
) -> list[ContextName]:
    """Multiword names typed with one word misspelt, the others right ("jardim juleta"): a word
    the KB never uses, one or two letters (``_typo_budget``) from the name's word there. Several
    names that disagree on the owners say nothing."""
    found: list[ContextName] = []
    if not index.partial:
        return found
    parts = index.partial_words
    last = len(words) - 1
    typos = [
        i
        for i, word in enumerate(words)
        if word not in known
        and len(word) >= FUZZY_PART - 1
        and word.isalpha()
        and ((i > 0 and words[i - 1] in parts) or (i < last and words[i + 1] in parts))
    ]
    if not typos:
        return found
    for size in range(min(MAX_WORDS, len(words)), 1, -1):
        # Only the windows around a word the KB never uses: a long pasted message costs little.
        starts = sorted(
            {s for i in typos for s in range(max(0, i - size + 1), min(i, len(words) - size) + 1)}
        )
        for start in starts:
            span = range(start, start + size)
            if used & set(span):
                continue
            window = list(words[start : start + size])
            hits: set[str] = set()
            for at in (i - start for i in typos if start <= i < start + size):
                word = window[at]
                rest = window[:at] + window[at + 1 :]
                if not all(w in parts for w in rest):
                    continue
                others = " ".join(rest)
                for part, key in index.partial.get((size, at, others), ()):
                    budget = _typo_budget(part)
                    if OSA.distance(word, part, score_cutoff=budget) <= budget:
                        hits.add(key)
            if len({index.names[key].owners for key in hits}) != 1:
                continue
            key = min(hits)
            entry = index.names[key]
            used.update(span)
            found.append(
                ContextName(" ".join(window), entry.display, entry.owners, start, start + size)
            )
    return found


GLUED_TAILS = frozenset(["app", "soft", "web", "online", "tv", "play", "plus", "sistema"])
"""Words agents glue to a product's or a system's name ("sgpsoft", "leveducaapp")."""


def _glued_names(
    index: ContextIndex, words: Sequence[str], used: set[int], known: frozenset[str]
) -> list[ContextName]:
    """A name with a word glued after it ("leveducaapp", "sgpsoft"): a word the KB never uses
    and no Portuguese word ("bahiano" is one), a single-word name followed by one of
    ``GLUED_TAILS`` or a word of three letters or more the KB uses (no stop word)."""
    found: list[ContextName] = []
    for i, word in enumerate(words):
        if i in used or word in known or len(word) <= MIN_NAME + 1 or not word.isalpha():
            continue
        if zipf_frequency(word, "pt", wordlist="small") > 0:
            continue
        for cut in range(MIN_NAME, len(word) - 1):
            head, tail = word[:cut], word[cut:]
            entry = index.names.get(head)
            plain = len(tail) >= MIN_NAME and tail in known and tail not in STOPWORDS
            glued = tail in GLUED_TAILS or plain
            if entry is not None and glued:
                used.add(i)
                found.append(ContextName(head, entry.display, entry.owners, i, i + 1))
                break
    return found


def _unique_prefix(index: ContextIndex, word: str) -> str:
    """A name a shortened word starts ("caragua": "caraguatatuba"), when all the names it
    starts point to the same ISPs; else ""."""
    names = index.singles
    at = bisect_left(names, word)
    found = []
    while at < len(names) and names[at].startswith(word):
        found.append(names[at])
        at += 1
    owners = {index.names[name].owners for name in found}
    return found[0] if len(owners) == 1 else ""


def context_owners(names: Sequence[ContextName]) -> frozenset[str]:
    """The ISPs the names point to together: those every name allows, else all they name."""
    if not names:
        return frozenset()
    common = frozenset.intersection(*(n.owners for n in names))
    return common or frozenset.union(*(n.owners for n in names))


@derived
def _ordinary(kb: KB) -> tuple[frozenset[str], frozenset[str]]:
    lower = _lower_words(kb)
    return lower, frozenset(stem(w) for w in lower)


@derived
def _common_memo(kb: KB) -> dict[str, bool]:
    """This KB's answers of :func:`common_word` and :func:`short_form_is_word`, kept in the KB:
    a reload starts afresh (a process-wide memo keyed on ``id()`` of a KB's word set could hand
    a new KB, whose set got the freed one's id, the old KB's answers)."""
    return {}


MEMO_WORDS = 50_000
"""At most this many words remembered per KB (then the memo starts again)."""


def _remembered(kb: KB, key: str, compute: Callable[[], bool]) -> bool:
    return remembered(_common_memo(kb), key, compute, MEMO_WORDS)


def common_word(kb: KB, word: str) -> bool:
    """Is this (normalised) word a common word for this KB (see :func:`is_common`)?"""
    lower, stems = _ordinary(kb)
    return _remembered(kb, word, lambda: is_common(word, lower, stems))


SHORT_FORM_ZIPF = 4.5
"""An ISP's short form ("laser", "vm", "seja", "nova") is the word, not the name, when it is a
stop word, a word some KB text writes in lower case ("rede", "cabo") or at least this frequent in
Portuguese or English ("seja" 5.8, "nova" 5.7, "super" 5.1, "oi" 5.2). "laser" (4.0 / 4.2) and
"vm" are names wherever they stand: agents type them as names, and the KB never uses them as
words. Higher than ``COMMON_ZIPF``: here the word is already the start of an ISP's name."""


def short_form_is_word(kb: KB, word: str) -> bool:
    """Is this (normalised) short form of an ISP's name also an ordinary word?"""
    lower, _stems = _ordinary(kb)
    return _remembered(
        kb,
        "short:" + word,
        lambda: (
            word in STOPWORDS
            or word in lower
            or not word.isalpha()
            or zipf_frequency(word, "pt", wordlist="small") >= SHORT_FORM_ZIPF
            or zipf_frequency(word, "en", wordlist="small") >= SHORT_FORM_ZIPF
        ),
    )


# --------------------------------------------------------------------------- distinctive terms

TERM_ZIPF = 3.0
"""A word that is no name (written in lower case, a catalogue keyword, frequent) is still a clue
when only one or two ISPs' texts hold it and it is no common word: rarer than this in Portuguese
("carnê" 2.4; "triagem" 3.4 and "invertido" 3.4 count only in pairs: ``PAIR_ZIPF``). Lower
than a name's test (``COMMON_ZIPF``) because wordfreq splits a word's frequency over its
forms: "vencida", "piscando", "reter", "insatisfeito", "danificado" read 3.1-3.6 though
"vencer", "piscar", "reter" are everyday words. (A review's 20 made-up questions naming no
ISP: 10 answered for one at 3.6, none at 3.0; the development sets lost 2 of 991 and the fresh
blind set 4 one of 207.)"""
PAIR_ZIPF = 4.5
"""A word from ``TERM_ZIPF`` up to this frequency ("triagem" 3.4, "temporária" 4.0, "dedicado"
4.4) that only one ISP's texts hold counts only beside another such word of the same ISP's
answer line ("triagem do N1 interno", "suspensão temporária", "pré-paga ... cobre"), or inside
a catalogue keyword of several words that answer writes ("link dedicado"): two of its words
together quote that line, which an ordinary question seldom does; one alone is an ordinary
word ("reter", "vencida", "fraco", "premium" each name no one)."""
TERM_ZIPF_EN = COMMON_ZIPF_EN
"""The same in English, for a word the KB writes in lower case ("bridge" 4.8, "menu" 4.3,
"upgrade" 4.2: the words of a trade); one it only writes with a capital is a product's name
("Watch" 5.3, "Premium" 4.3)."""
MAX_ACRONYM = 4
"""A word the KB writes only in capitals and this short is an acronym ("LOS"): its frequency as
a word (Spanish "los") says nothing."""
EQUIPMENT_TOPIC = "equipamentos"
"""Brands written in this answer ("ONU (Fiberhome ou TPLink)") are the ISP's equipment: a clue
though the catalogue's ``generic`` list holds them (that list says a brand names no one *as a
name*; a brand the question's topic finds in one or two ISPs' answers narrows to them)."""


@dataclass(frozen=True)
class _Term:
    display: str
    """As the KB most often writes it ("carnê")."""
    owners: frozenset[str]
    where: frozenset[tuple[str, str]]
    """(ISP id, topic id) whose texts hold it."""
    lines: tuple[tuple[str, frozenset[str]], ...] = ()
    """One owner: the (topic id, words) of each line of its answers holding the word."""
    paired: bool = False
    """A more frequent word (``TERM_ZIPF`` to ``PAIR_ZIPF``): it counts only beside a second
    word of one of those lines that only its owner writes."""


@dataclass(frozen=True)
class TermIndex:
    terms: Mapping[str, _Term]
    families: Mapping[str, frozenset[str]]
    """A word's family (``_family``) -> the ISPs whose texts hold one of its forms (or that
    answer a topic whose title holds one)."""
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """A word -> the catalogue's keywords of several words holding it ("suspensão temporária"):
    typed, they are the topic's own wording, and their words are no mates for each other."""


def _term_key(token: str) -> str:
    """A token's key: "Carnê" -> "carne"; "Wi-Fi", "aceitá-los" -> one word ("wifi", "aceitalos")
    so that a pronoun's "-los" is no "LOS"."""
    return normalize(token).replace(" ", "")


FAMILY = 6
"""Words sharing their first letters this many are forms of one word ("bloqueado",
"bloqueio"; "aplicativo", "aplicativos"); a shorter word's family is its stem ("pagou",
"pagar")."""


_PLURALS = (("oes", "ao"), ("aes", "ao"), ("ais", "al"), ("eis", "el"), ("is", "l"), ("s", ""))


def singular(key: str) -> str:
    """ "cartoes" -> "cartao", "canais" -> "canal", "radios" -> "radio"."""
    for plural, singular in _PLURALS:
        if key.endswith(plural) and len(key) > len(plural) + 2:
            return key[: -len(plural)] + singular
    return key


def term_family(word: str) -> str:
    """The key of a word's family in ``TermIndex.families``."""
    return _family(_term_key(word))


def _family(key: str) -> str:
    key = singular(key)
    return key[:FAMILY] if len(key) > FAMILY else stem(key)


@derived
def term_index(kb: KB) -> TermIndex:
    """Words only one or two ISPs' texts hold and that are rare as words: see ``find_terms``.

    Owners: every ISP whose texts hold the word, and every ISP that answers a topic whose title
    or commands hold it -- the document asked that question ("IPv6": the seeds' question line,
    which the KB files as the topic, not as text)."""
    names = context_index(kb).names
    generic = frozenset(w for g in kb.catalogue.generic for w in normalize(g).split())
    excluded = company_words(kb)
    owners: dict[str, set[str]] = {}
    where: dict[str, set[tuple[str, str]]] = {}
    forms: dict[str, dict[str, int]] = {}
    brands: set[str] = set()
    for provider in kb.providers.values():
        # The equipment rows are the ISP's too ("ONU ZTE F670L": a brand another ISP's
        # answer writes is shared with it).
        for item in provider.equipment:
            for token in _WORD.findall(" ".join((item.model, *item.aliases))):
                key = _term_key(token)
                owners.setdefault(key, set()).add(provider.id)
                where.setdefault(key, set()).add((provider.id, EQUIPMENT_TOPIC))
        for topic_id, body in _texts(provider):
            for token in _WORD.findall(_URL.sub(" ", body)):
                key = _term_key(token)
                owners.setdefault(key, set()).add(provider.id)
                where.setdefault(key, set()).add((provider.id, topic_id))
                seen = forms.setdefault(key, {})
                seen[token] = seen.get(token, 0) + 1
                if topic_id == EQUIPMENT_TOPIC and token[0].isupper():
                    brands.add(key)
    # The coverage's own words, as every ISP's coverage answer shows them ("só transbordo"):
    # an ISP whose coverage has an overflow window writes "transbordo" as well, whatever its
    # text says -- the word is never one ISP's when two have such windows.
    for provider in kb.providers.values():
        windows = provider.coverage.windows if provider.coverage is not None else ()
        if any(w.mode == "overflow" for w in windows):
            for token in _WORD.findall(msg.MODE_OVERFLOW):
                key = _term_key(token)
                if key not in STOPWORDS:
                    owners.setdefault(key, set()).add(provider.id)
                    where.setdefault(key, set()).add((provider.id, COVERAGE_TOPIC))
    # The answers' own lines (not the supervisors' notes on how the seed was read: "sinal mais
    # fraco" there is their wording), for the words that need a second one.
    held: dict[tuple[str, str], list[tuple[str, frozenset[str]]]] = {}
    for provider in kb.providers.values():
        for topic_id, line in _answer_lines(provider):
            keys = [_term_key(t) for t in _WORD.findall(_URL.sub(" ", line))]
            words = frozenset(k for k in keys if not k.isdigit() and k not in STOPWORDS)
            for key in words:
                held.setdefault((provider.id, key), []).append((topic_id, words))
    alone = {  # single capitalised words inside a sentence: "a Watch", "ONU (Fiberhome ou ...)"
        _term_key(run[0][0])
        for provider in kb.providers.values()
        for _topic, body in _texts(provider)
        for run in _runs(body)
        if len(run) == 1 and run[0][1] == MID
    }
    for topic in kb.catalogue.topics:
        asked = normalize(" ".join([topic.title, topic.description, *topic.commands])).split()
        answering = {p.id for p in kb.providers.values() if topic.id in p.topics}
        for word in asked:
            owners.setdefault(word, set()).update(answering)
    units = _units(kb)
    # Other forms of a word are the same word: "bloqueado" is one ISP's, but "bloqueio",
    # "bloquear" are everyone's.
    family: dict[str, set[str]] = {}
    for key, ids in owners.items():
        family.setdefault(_family(key), set()).update(ids)
    terms: dict[str, _Term] = {}
    for key, ids in owners.items():
        if len(ids) > MAX_OWNERS or key not in forms or key in names or key in excluded:
            continue
        if len(family[_family(key)]) > MAX_OWNERS or key in SPEED_UNITS or key in units:
            continue
        if len(key) < MIN_NAME or not key.isalpha() or key in STOPWORDS:
            continue
        if key in generic and key not in brands:
            continue
        # As most often written, shouting aside ("Paramount", not VM NET's "PARAMOUNT").
        quiet = [f for f in forms[key] if not f.isupper()] or list(forms[key])
        written = max(quiet, key=lambda f: forms[key][f])
        acronym = len(key) <= MAX_ACRONYM and all(f.isupper() for f in forms[key])
        lower = any(f.islower() for f in forms[key])
        english = zipf_frequency(written.casefold(), "en", wordlist="small") >= TERM_ZIPF_EN
        frequent = zipf_frequency(written.casefold(), "pt", wordlist="small") >= TERM_ZIPF or (
            lower and english
        )
        lines = tuple(held.get((next(iter(ids)), key), ())) if len(ids) == 1 else ()
        # An English word the KB writes only with a capital, standing alone inside a sentence,
        # is a product's name ("a Watch", "o Fast"): its Portuguese frequency is borrowed.
        product = not lower and english and key in alone
        paired = frequent and not acronym and not product
        below = zipf_frequency(written.casefold(), "pt", wordlist="small") < PAIR_ZIPF
        if frequent and product and not below:
            continue
        # Frequent: only one ISP's, with a second word of one of its answer lines.
        if paired and (not below or not lines or (lower and english)):
            continue
        terms[key] = _Term(written, frozenset(ids), frozenset(where[key]), lines, paired)
    keywords: dict[str, list[str]] = {}
    for topic in kb.catalogue.topics:
        for keyword in topic.keywords:
            phrase = normalize(keyword)
            for word in phrase.split() if len(phrase.split()) > 1 else ():
                keywords.setdefault(word, []).append(phrase)
    return TermIndex(
        terms,
        {k: frozenset(v) for k, v in family.items()},
        {k: tuple(v) for k, v in keywords.items()},
    )


_GLUED_UNIT = re.compile(r"\d([^\W\d_]+)\b")


def _units(kb: KB) -> frozenset[str]:
    """Units of measure: the words any KB text writes glued to a number ("-26dBm", "22dB",
    "400MB", "48h"). A unit says what was measured, not whose rule: every ONU reading is in dBm,
    so "-27 dbm" names no one, though NETCENTER alone writes "dBm" apart from its number."""
    return frozenset(
        _term_key(unit)
        for provider in kb.providers.values()
        for _topic, body in _texts(provider)
        for unit in _GLUED_UNIT.findall(body)
    )


def _answer_lines(provider: Provider) -> Iterable[tuple[str, str]]:
    """(topic id, line) of the ISP's answers and suggested messages: its document's own words,
    not the supervisors' notes about how it was read."""
    for topic_id, entry in provider.topics.items():
        for body in (entry.text, *(t.text for t in entry.templates)):
            for line in body.splitlines():
                if line.strip():
                    yield topic_id, line


def find_terms(
    kb: KB, words: Sequence[str], used: set[int], topics: Iterable[str]
) -> list[ContextName]:
    """Distinctive terms in the question's words: a word one or two ISPs' texts hold, rare as a
    word (``TERM_ZIPF``), that an owner's answer of one of the question's ``topics`` (those its
    keywords point to) holds -- "cliente quer o carnê em vez do boleto": the invoice topic, whose
    LaserNet answer says "carnê"; or a more frequent word one ISP alone writes, beside another
    word of the question that only that ISP writes, both on one line of its answer of an asked
    topic (``PAIR_ZIPF``). Terms that disagree (no ISP holds them all) say nothing."""
    index = term_index(kb)
    asked = frozenset(topics)
    # A phrase one or two ISPs write ("bloqueio parcial") first; its words are no terms then.
    phrases = find_phrases(kb, words, used, asked)
    used = used | {k for p in phrases for k in range(p.start, p.end)}
    keys = list(words)
    joined: set[int] = set()
    for i in range(len(words) - 1):  # "pré-paga" is typed "pre paga", "wi-fi" "wi fi"
        if words[i] + words[i + 1] in index.terms and not {i, i + 1} & used | joined:
            keys[i], keys[i + 1] = words[i] + words[i + 1], ""
            joined.add(i)
    said = {w for w in keys if w and not w.isdigit() and w not in STOPWORDS}
    typed = f" {' '.join(words)} "
    found: list[ContextName] = []
    for i, word in enumerate(keys):
        term = index.terms.get(word)
        if term is None or i in used:
            continue
        if term.paired or not asked:
            # With no keyword, a rare word needs its second word too ("picando todas as
            # luzes": the line of Mutum's N2 answer); its line's topic is the one asked.
            kin = {
                w
                for phrase in index.keywords.get(word, ())
                if f" {phrase} " in typed
                for w in phrase.split()
            }
            mates = {
                w for w in said - {word} - kin if index.families.get(_family(w)) == term.owners
            }
            places = [line for topic, line in term.lines if topic in asked or not asked]
            # A catalogue keyword the answer writes ("alteração cadastral") is the topic's
            # wording, anyone's: it needs the mate word as well.
            if not any(mates & line for line in places):
                continue
        elif not any(topic in asked for _pid, topic in term.where):
            continue
        end = i + 2 if i in joined else i + 1
        found.append(ContextName(word, term.display, term.owners, i, end, term=True))
    found = phrases + found
    if found and not frozenset.intersection(*(n.owners for n in found)):
        return []
    return found


def is_place(kb: KB, name: ContextName) -> bool:
    """Is this context name a place (of an owner's ``cidades`` answer, or its state)?"""
    index = context_index(kb)
    if name.typed in index.states and name.name == name.typed.upper():
        return True  # "cliente de PE": a state told by its letters
    return any(name.typed in index.places.get(pid, frozenset()) for pid in name.owners)


@derived
def _place_leads(kb: KB) -> dict[str, tuple[str, frozenset[str]]]:
    """The leading words of a place's name -> (the whole name, its owners): "vila maria" ->
    "Vila Maria Baixa" (VM NET); and a numbered name's word -> the name ("estufa" -> "Estufa 1",
    the "Bairro Estufa 1" of a store's address). Leads that are a kind of place alone ("vila",
    "parque do"), end with a connector, or, one word, are a common word ("nova" of Nova Mutum,
    "porto" of Porto Seguro) are left out; so are leads that are names already, and those of
    more than ``MAX_OWNERS`` ISPs' places."""
    index = context_index(kb)
    lower, stems = _ordinary(kb)
    wholes = {key for keys in index.places.values() for key in keys if key in index.names}
    own = {
        w for p in kb.providers.values() for n in (p.name, *p.aliases) for w in normalize(n).split()
    }
    found: dict[str, set[str]] = {}
    for key in wholes:
        parts = key.split()
        for size in range(1, len(parts)):
            lead = parts[:size]
            content = [
                w for w in lead if w not in CONNECTORS | NEIGHBOURHOOD_KINDS and w not in STOPWORDS
            ]
            if not content or lead[-1] in CONNECTORS or lead[0] in CONNECTORS or own & {*lead}:
                continue  # "mutum" of "Mutum e Santa Rita": the ISP's own name
            if size == 1 and is_common(lead[0], lower, stems):
                continue
            found.setdefault(" ".join(lead), set()).add(key)
    for head, key in index.heads.items():
        found.setdefault(head, set()).add(key)
    leads: dict[str, tuple[str, frozenset[str]]] = {}
    for typed, keys in found.items():
        owners = frozenset(pid for key in keys for pid in index.names[key].owners)
        if typed in index.names or not 0 < len(owners) <= MAX_OWNERS:
            continue
        whole = max(keys, key=lambda k: (len(k), k))  # "vila maria baixa", not "maria baixa"
        leads[typed] = (index.names[whole].display, owners)
    return leads


TOWN_LINKS = frozenset(["de", "do", "da", "em", "no", "na"])
"""A place's lead then one of these and more words ("jardim brasil em recife") is another town's
place: no answer by lead (QA11 F8)."""


def places_led(kb: KB, words: Sequence[str]) -> list[ContextName]:
    """The places a who-serves question names by their leading words ("quem cobre vila
    maria?": VM NET's "Vila Maria Baixa"; "cliente do estufa, qual provedor?": Seja Fibra's
    "Bairro Estufa 1"). Only where who serves is asked: the reply shows the whole name and each
    ISP's coverage line, so the agent sees which place matched ("Vila Maria" may be another
    city's, which is why these words name no one in any other question). Leads that disagree
    on the owners say nothing."""
    leads = _place_leads(kb)
    found: list[ContextName] = []
    used: set[int] = set()
    for size in range(min(MAX_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            span = set(range(start, start + size))
            lead = leads.get(" ".join(words[start : start + size]))
            if lead is None or used & span:
                continue
            after = words[start + size : start + size + 2]
            if len(after) == 2 and after[0] in TOWN_LINKS and after[1].isalpha():
                return []  # "vila maria de são josé dos campos": another town's place
            used |= span
            display, owners = lead
            found.append(
                ContextName(
                    " ".join(words[start : start + size]), display, owners, start, start + size
                )
            )
    return found if len({n.owners for n in found}) == 1 else []


# --------------------------------------------------------------------------- distinctive phrases

PHRASE_GAP = 2
"""Small words allowed between a phrase's two words, in the text and in the question ("pausa no
contrato", "triagem do nosso N1 interno")."""
PHRASE_LINKS = frozenset("de da do das dos no na nos nas em ao nosso nossa".split())  # noqa: SIM905
"""The small words that may stand inside a phrase: the prepositions that make a noun qualify
another ("setor de agendamento", "pausa no contrato"); not "e", "ou", "é" ("SSID e Senha",
"senha é o ID": two things side by side), nor an article alone ("Baixe o App", "pausar o
contrato": a verb and its object, how anyone says it)."""
_VERB = re.compile(r"^[a-z]{2,}(ar|er|ir)(em|es|mos)?$|^[a-z]{3,}ndo$")
"""A verb's infinitive (personal too) or gerund ("emitir", "insistirem", "piscando"): a phrase
it starts or ends is an instruction worded as anyone words it ("emitir a segunda via")."""


@dataclass(frozen=True)
class _Phrase:
    display: str
    """As the answer writes it ("Bloqueio Parcial")."""
    owners: frozenset[str]
    where: frozenset[tuple[str, str]]
    """(ISP id, topic id) whose answers write it."""
    qualifier: int = 1
    """Which of its two words is the qualifier (0: the first, "ID do contrato")."""


@dataclass(frozen=True)
class PhraseIndex:
    phrases: Mapping[tuple[str, str], _Phrase]
    """(family of the first word, family of the second) -> the phrase, in the text's order."""


def _phrase_words(line: str) -> Iterable[tuple[str, str, bool]]:
    """(key, as written, joined to the word before by spaces only) of a line's words."""
    line = _URL.sub(" ", line)
    end = 0
    for match in _WORD.finditer(line):
        joined = not line[end : match.start()].strip()
        end = match.end()
        yield _term_key(match.group()), match.group(), joined


def _line_pairs(words: Sequence[tuple[str, str, bool]]) -> Iterable[tuple[str, str, str]]:
    """(first key, second key, as written) of two of a line's words (``_phrase_words``) with
    only spaces and at most ``PHRASE_GAP`` ``PHRASE_LINKS`` between them (punctuation breaks a
    phrase: "Demandas - Alteração")."""
    for i, (key, written, _joined) in enumerate(words):
        if not phrase_word(key):
            continue
        for j in range(i + 1, min(len(words), i + PHRASE_GAP + 2)):
            other, second, joined = words[j]
            if not joined:
                break
            if other in PHRASE_LINKS:
                continue
            if phrase_word(other):
                between = " ".join(w for _k, w, _j in words[i + 1 : j])
                yield key, other, " ".join(filter(None, (written, between, second)))
            break


@derived
def company_words(kb: KB) -> frozenset[str]:
    """The words of every ISP's id, name and aliases and of the other companies' names
    (lookalikes): a company's own words are no term nor phrase of anyone's."""
    words: set[str] = set()
    for provider in kb.providers.values():
        for name in (provider.id, provider.name, *provider.aliases):
            words.update(normalize(name).split())
        for lookalike in provider.lookalikes:
            words.update(normalize(lookalike.name).split())
    return frozenset(words)


@derived
def phrase_index(kb: KB) -> PhraseIndex:
    """Phrases of two words that one or two ISPs' answers write: a word another ISP writes too
    (the topic's own: "bloqueio", "pagamento", "link") and beside it a qualifier only the
    phrase's owners write ("parcial", "invertido", "dedicado"). See ``find_phrases``."""
    names = context_index(kb).names
    excluded = company_words(kb)
    # Who writes a word as such (its singular: "cadastral" is VM NET's alone though
    # "cadastro" is everyone's), and who writes one of its forms (``_family``), under which
    # topics -- in the answers (the supervisors' notes say what a document does not: "o
    # documento não define o setor de agendamento"), and in the topics' titles, descriptions
    # and commands, as for terms: every ISP answering "IPTV" was asked about IPTV.
    writers: dict[str, set[str]] = {}
    kin: dict[str, set[tuple[str, str]]] = {}
    owners: dict[frozenset[str], set[str]] = {}
    where: dict[tuple[str, str], set[tuple[str, str]]] = {}
    shown: dict[tuple[str, str], dict[str, int]] = {}
    for provider in kb.providers.values():
        for topic_id, line in _answer_lines(provider):
            words = list(_phrase_words(line))
            for key, _written, _joined in words:
                writers.setdefault(singular(key), set()).add(provider.id)
                kin.setdefault(_family(key), set()).add((provider.id, topic_id))
            for first, second, written in _line_pairs(words):
                pair = (_family(first), _family(second))
                owners.setdefault(frozenset(pair), set()).add(provider.id)
                where.setdefault(pair, set()).add((provider.id, topic_id))
                seen = shown.setdefault(pair, {})
                seen[written] = seen.get(written, 0) + 1
        # Its equipment rows ("ONU ZTE F670L": a brand another ISP's answer writes is
        # shared with it), and the notes on the ISP itself: its state, its time zone, which
        # every ISP has ("fuso" is in every ISP's notes; Mutum's "Fuso Horário" is no quote).
        for item in provider.equipment:
            for token in _WORD.findall(" ".join((item.model, *item.aliases))):
                writers.setdefault(singular(_term_key(token)), set()).add(provider.id)
                kin.setdefault(_family(_term_key(token)), set()).add((provider.id, EQUIPMENT_TOPIC))
        for body in provider.notes:
            for key, _written, _joined in _phrase_words(body):
                kin.setdefault(_family(key), set()).add((provider.id, ""))
    for topic in kb.catalogue.topics:
        asked = normalize(" ".join([topic.title, topic.description, *topic.commands])).split()
        answering = {p.id for p in kb.providers.values() if topic.id in p.topics}
        for word in asked:
            writers.setdefault(singular(word), set()).update(answering)
            kin.setdefault(_family(word), set()).update((pid, topic.id) for pid in answering)

    def shared(key: str, ids: set[str]) -> bool:
        """Does an ISP that does not write the phrase write this word itself?"""
        return bool(writers.get(singular(key), set()) - ids)

    def qualifier(key: str, written: str, ids: set[str]) -> bool:
        """Only the phrase's owners write a form of it ("adicional" of Mutum's "ponto
        adicional" is LaserNet's "roteador adicional" too, "úteis" of LaserNet's "dias úteis"
        Mutum's "horas úteis"); no verb ("emitir a segunda via" is how anyone says it), no
        common word, no trade's English word, no name of an ISP, a speed unit or a number."""
        held = {pid for pid, _topic in kin.get(_family(key), set())}
        english = zipf_frequency(written.casefold(), "en", wordlist="small") >= TERM_ZIPF_EN
        acronym = written.isupper() and len(written) <= MAX_ACRONYM
        return (
            held <= ids
            and len(key) >= 2
            and key not in excluded
            and key not in SPEED_UNITS
            and key not in names
            and not _VERB.search(key)
            and zipf_frequency(written.casefold(), "pt", wordlist="small") < PAIR_ZIPF
            # "onu em bridge", "TV Box": a trade's English words, anyone's; "ID", "PJ" are
            # acronyms.
            and (acronym or not english)
        )

    phrases: dict[tuple[str, str], _Phrase] = {}
    for pair, places in where.items():
        ids = owners[frozenset(pair)]
        if len(ids) > MAX_OWNERS:
            continue
        forms = shown[pair]
        quiet = [f for f in forms if not f.isupper()] or list(forms)
        written = max(quiet, key=lambda f: forms[f])
        first, second = written.split()[0], written.split()[-1]
        a, b = _term_key(first), _term_key(second)
        # One word the topic's (another ISP writes it too), the other the owners' qualifier
        # of it. Two words only the owners write are a pair of terms (``find_terms``), the
        # catalogue's wording when it lists them: "suspensão temporária".
        if shared(a, ids) and qualifier(b, second, ids):
            which = 1
        elif shared(b, ids) and qualifier(a, first, ids):
            which = 0
        else:
            continue
        phrases[pair] = _Phrase(written, frozenset(ids), frozenset(places), which)
    return PhraseIndex(phrases)


def find_phrases(
    kb: KB, words: Sequence[str], used: set[int], topics: Iterable[str]
) -> list[ContextName]:
    """Distinctive phrases in the question's words: two words typed side by side (up to
    ``PHRASE_GAP`` ``PHRASE_LINKS`` between), in the order one or two ISPs' answers write them,
    one a word another ISP writes too, the other a qualifier of it only they write ("bloqueio
    parcial": LaserNet's answer), when an owner's answer of one of the question's ``topics``
    (those its keywords point to) writes it. A phrase whose qualifier is a rare term alone is
    left to ``find_terms``."""
    index = phrase_index(kb).phrases
    terms = term_index(kb).terms
    asked = frozenset(topics)
    if not index or not asked:
        return []
    found: list[ContextName] = []
    taken = set(used)
    for i, j in word_pairs(words):
        if {i, j} & taken:
            continue
        phrase = index.get((_family(_term_key(words[i])), _family(_term_key(words[j]))))
        if phrase is None or not any(topic in asked for _pid, topic in phrase.where):
            continue
        alone = terms.get(words[(i, j)[phrase.qualifier]])
        if alone is not None and not alone.paired:
            continue  # a rare word that names its owners alone: the term says it
        typed = " ".join(words[i : j + 1])
        found.append(
            ContextName(typed, phrase.display, phrase.owners, i, j + 1, term=True, phrase=True)
        )
        taken.update(range(i, j + 1))
    return found


def word_pairs(words: Sequence[str]) -> Iterable[tuple[int, int]]:
    """(i, j) of two words (of a question, or of a line of an answer: ``facts``) with only
    ``PHRASE_LINKS`` (up to ``PHRASE_GAP``) between them, as ``_line_pairs`` reads a line."""
    for i, word in enumerate(words):
        if not phrase_word(word):
            continue
        for j in range(i + 1, min(len(words), i + PHRASE_GAP + 2)):
            if words[j] in PHRASE_LINKS:
                continue
            if phrase_word(words[j]):
                yield i, j
            break


def phrase_word(key: str) -> bool:
    """A word a phrase is made of: no stop word, no number, time or speed ("48h corridas",
    "300MBPS": a figure, not a word)."""
    return bool(key) and key not in STOPWORDS and key.isalnum() and not key[0].isdigit()
