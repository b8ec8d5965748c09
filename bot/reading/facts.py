"""Stated facts: the ISP named by the rule the agent quotes, not by a name.

Agents often ask to confirm a rule they half remember, without naming the ISP: "bloqueia no 4º
dia de atraso, né?", "o limite não era 35 dias?", "aceita comprovantes de agendamento?". The
figure or the wording they quote is one ISP's answer of the topic asked, and no other ISP's
answer of that topic writes it. That ISP is the one meant: the question is answered for it, with
the usual one-line reason ("4º dia → NETCENTER"), and the other ISPs' buttons stay one tap away.

Evidence is looked for only in the answers of the topics the question asks (its keywords'
favourites), so an ordinary word names no one: "multa" is every ISP's cancellation word, and a
word only one ISP writes somewhere else says nothing about this topic. Three kinds count:

* **a figure with its word** ("35 dias", "4º dia", "72 horas", "4h", "-27"): a number the
  question writes with the word after it (its unit: "dias", "horas", "primeiros") as one answer
  of the topic writes it; a number of two digits or more also counts bare ("tx -27 tá ok?");
* **a phrase** of two words typed side by side as the answer writes them (up to two small words
  between: "comprovantes de agendamento", "suspensão temporária"), that no other ISP's answer of
  the topic writes;
* **a rare word** (``RARE_ZIPF``: rarer than about one in ten million words of Portuguese) that
  only that answer of the topic writes ("renegociações", "gamers").

Each piece of evidence gives its owners a point; a figure with its word or a phrase gives two.
The ISP with the most points, at least ``ENOUGH``, and more than any other, is named; two ISPs
tied at the top narrow the choice to them ("bloqueia com 10 dias?": Mutum and VM NET both write
"10 dias"). What does not count:

* a credential topic's text (a password is never the reason an ISP is chosen);
* the words of a KB password, an ISP's or another company's name;
* a figure the question says is the customer's ("cliente com 36 dias", "faz 4 meses"):
  ``_customers``;
* an hour when the question states a moment ("domingo 10h"): the clock's, not a rule's;
* a pasted customer message (``read(terms=False)``): words an agent did not pick.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.knowledge.kb import KB, derived
from bot.knowledge.passwords import known_secrets
from bot.reading.context import (
    PHRASE_GAP,
    PHRASE_LINKS,
    ContextName,
    _company_words,
    _family,
    _phrase_word,
    zipf_frequency,
)
from bot.reading.text import STOPWORDS, fold, normalize

ENOUGH = 2
"""Points an ISP needs to be named (one figure with its word, or one phrase, or two lesser
pieces of evidence)."""
PAIR_ZIPF = 3.3
"""A phrase counts when one of its words is rarer than this in Portuguese (``wordfreq``'s Zipf
scale, the small list: 3.0 is one in a million words, a word under 3.0 is not listed:
"agendamento", "comprovantes"; "vencimento" 3.1; "reter" 3.6, "multa" 4.3)."""
WORD_ZIPF = 3.3
"""A single word counts a point when rarer than this ("gamers" 3.1, "renegociações")."""
MIN_WORD = 5
_VERB = re.compile(r"(?:am|em|ar|er|ir|ou|ei|ando|endo|indo|amos|emos|imos)$")
"""A verb's form ("configuram", "resetar"): a rare one is how anyone says it."""
FIGURE = 3
"""Points of a figure with its word ("35 dias") and of a phrase ("comprovantes de agendamento")."""
BARE = 1
"""Points of a bare figure of two digits or more ("-27") and of a rare word ("renegociações")."""
MAX_TOPICS = 2
"""The question's topics searched: its favourite and the next one, if close."""
CLOSE = 0.6
"""The next topic counts when its score is at least this share of the favourite's."""

UNITS = {
    "h": "hora", "hs": "hora", "hr": "hora", "hrs": "hora", "hora": "hora", "horas": "hora",
    "dia": "dia", "dias": "dia", "d": "dia",
    "mes": "mes", "meses": "mes",
    "db": "db", "dbm": "db",
    "mb": "mega", "mega": "mega", "megas": "mega", "mbps": "mega", "m": "mega",
    "min": "minuto", "minuto": "minuto", "minutos": "minuto",
}  # fmt: skip
"""Spellings of one unit: "72h" is "72 horas"."""
HOURS = frozenset(["hora"])
CUSTOMERS = re.compile(
    r"\b(?:(?:cliente|ele|ela)(?: \w+){0,3}|(?:faz|fez|ha|desde)(?: \w+)?"
    r"|(?:ja|ta|esta) (?:com|no|na|em)) $"
)
"""Words just before a figure that make it the customer's ("cliente com 36 dias", "mudou há 4
meses", "já tá com 33"): the situation, not the rule quoted."""
RULE_CUES = frozenset("limite regra era maximo minimo ate cada apos passou".split())  # noqa: SIM905
"""Words just before a figure that make it a rule after all: "o cliente passou do limite de 35
dias", "cliente tem até 72 horas"."""


@dataclass(frozen=True)
class _Answer:
    figures: frozenset[tuple[str, str]]
    """(number, unit or "") of each figure the answer writes; a bare one too."""
    numbers: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    """(family, family) of two words side by side, as ``context._line_pairs`` reads them."""
    families: frozenset[str]


@dataclass(frozen=True)
class FactsIndex:
    answers: Mapping[str, Mapping[str, _Answer]]
    """Topic id -> ISP id -> what its public answer of that topic writes."""
    zipf: Mapping[str, float]
    """A word the answers write (folded) -> how frequent it is in Portuguese, as written."""
    family_zipf: Mapping[str, float]
    """Word family -> the same for its most frequent form: for a form the answers do not write."""
    catalogue: frozenset[tuple[str, str]]
    """Pairs of words side by side in a topic's title, description or keywords: the catalogue's
    wording ("dias de atraso", "segunda via"), anyone's."""


@dataclass(frozen=True)
class Stated:
    names: tuple[ContextName, ...]
    """The evidence, as context names whose owners are the ISP(s) chosen."""
    topic_id: str


_TOKEN = re.compile(r"(?:(?<=\s)-|^-)?\d+(?:[.,:/]\d+)*|[^\W\d_]+", re.UNICODE)
"""A figure as written ("-26.00", "100,00", "07:30", "30/60"; a minus sign only after a space:
"08h-18h" is a range) or a word."""
_HOUR_MINUTES = re.compile(r"\b(\d{1,2})h(\d{2})\b")
"""'7h30' is '7:30'."""
_ZERO_DECIMALS = re.compile(r"[.,]0+$")
_EXACT = re.compile(r"[:/]|,\d\d$")
"""A time, a ratio or a price with its cents ("07:30", "30/60", "100,00"); not "-26.00"."""


def _number(token: str) -> str:
    """A figure's canonical form: "-26.00" -> "-26", "07:30" -> "7:30", "004" -> "4"."""
    sign, digits, rest = re.fullmatch(r"(-?)(\d+)(.*)", _ZERO_DECIMALS.sub("", token)).groups()  # type: ignore[union-attr]
    return sign + str(int(digits)) + rest


@dataclass(frozen=True)
class Figure:
    number: str
    unit: str
    """The unit's key ("hora" for "h", "72h", "horas"), or the family of the word after."""
    shown: str
    """As written, with its word ("35 dias", "-27")."""
    before: tuple[str, ...]
    """Up to four words before it."""
    exact: bool
    """Written with cents, a colon or a slash ("100,00", "07:30", "30/60"): a price, a time, not
    a count. (A sign alone is not: "rx -27, tá bom?" may be the customer's reading.)"""


def figures(text: str) -> list[Figure]:
    """The figures of a text: the unit is the first word after one that is no stop word, one
    small word skipped ("3 em atraso", "35 dias de atraso"), a glued one too ("72h", "26dBm");
    an ordinal's mark is no unit ("4º dia": "dia")."""
    folded = _HOUR_MINUTES.sub(r"\1:\2", fold(_ORDINAL.sub("#", text)))
    matches = list(_TOKEN.finditer(folded))
    tokens = [m.group() for m in matches]
    found = []
    for i, token in enumerate(tokens):
        if not (token[0].isdigit() or token[0] == "-"):
            continue
        mark = "º" if folded[matches[i].end() : matches[i].end() + 1] == "#" else ""
        unit, end = "", i + 1
        for j in range(i + 1, min(i + 3, len(tokens))):
            after = tokens[j]
            if after[0].isdigit() or after[0] == "-":
                break
            if after in UNITS or (after not in STOPWORDS and len(after) > 1):
                unit, end = after, j + 1
                break
        shown = " ".join([token + mark, *tokens[i + 1 : end]])
        if unit in UNITS and len(unit) <= 2:
            shown = token + unit  # "72h", "4h"
        key = UNITS.get(unit, _family(unit) if unit else "")
        before = tuple(t for t in tokens[max(0, i - 4) : i] if not t[0].isdigit())
        exact = bool(_EXACT.search(token))
        found.append(Figure(_number(token), key, shown, before, exact))
    return found


_ORDINAL = re.compile(r"(?<=\d)(?:[ºª°]|[oa](?![^\W\d_]))")
"""An ordinal's mark ("4º", "4o", "2ª"): no word, "4º dia" is 4 and "dia"."""


def _pairs(words: Sequence[str]) -> Iterable[tuple[int, int]]:
    """(i, j) of two words with only ``PHRASE_LINKS`` (up to ``PHRASE_GAP``) between them."""
    for i, word in enumerate(words):
        if not _phrase_word(word):
            continue
        for j in range(i + 1, min(len(words), i + PHRASE_GAP + 2)):
            if words[j] in PHRASE_LINKS:
                continue
            if _phrase_word(words[j]):
                yield i, j
            break


@derived
def facts_index(kb: KB) -> FactsIndex:
    """What each ISP's public answer of each topic writes: figures, phrases, word families."""
    answers: dict[str, dict[str, _Answer]] = {}
    zipf: dict[str, float] = {}
    family_zipf: dict[str, float] = {}
    for provider in kb.providers.values():
        for topic_id, entry in provider.topics.items():
            if kb.is_secret(provider, topic_id):
                continue
            written: set[tuple[str, str]] = set()
            pairs: set[tuple[str, str]] = set()
            families: set[str] = set()
            for body in (entry.text, *(t.text for t in entry.templates)):
                for line in body.splitlines():
                    for figure in figures(line):
                        written.add((figure.number, figure.unit))
                        written.add((figure.number, ""))
                    # Punctuation breaks a phrase ("Demandas - Alteração"): each piece alone.
                    for piece in _BREAK.split(line):
                        words = normalize(piece).split()
                        for i, j in _pairs(words):
                            pairs.add((_family(words[i]), _family(words[j])))
                        families.update(_family(w) for w in words if _phrase_word(w))
                    for word in _WRITTEN.findall(line):
                        key = normalize(word).replace(" ", "")
                        frequency = zipf_frequency(word.casefold(), "pt", wordlist="small")
                        zipf[key] = max(zipf.get(key, 0.0), frequency)
                        family = _family(key)
                        family_zipf[family] = max(family_zipf.get(family, 0.0), frequency)
            answers.setdefault(topic_id, {})[provider.id] = _Answer(
                frozenset(written),
                frozenset(n for n, _u in written),
                frozenset(pairs),
                frozenset(families),
            )
    catalogue: set[tuple[str, str]] = set()
    for topic in kb.catalogue.topics:
        for phrase in (topic.title, topic.description, *topic.keywords):
            words = normalize(phrase).split()
            catalogue.update((_family(words[i]), _family(words[j])) for i, j in _pairs(words))
    return FactsIndex(answers, zipf, family_zipf, frozenset(catalogue))


_BREAK = re.compile(r"[.;:!?()\[\]|=\-–—/]+\s")
_WRITTEN = re.compile(r"[^\W\d_]+", re.UNICODE)


@derived
def _excluded(kb: KB) -> frozenset[str]:
    """Words never evidence: the KB's passwords' and the companies' names'."""
    secret = {w for s in known_secrets(kb) for w in normalize(s).split()}
    return frozenset(secret | _company_words(kb))


def _customers(figure: Figure) -> bool:
    """Is the figure the customer's own ("cliente com 36 dias", "mudou há 4 meses")?"""
    before = " ".join(figure.before) + " "
    return bool(CUSTOMERS.search(before)) and not set(figure.before[-2:]) & RULE_CUES


def _rare(index: FactsIndex, word: str, below: float) -> bool:
    """Is this word of the question, as the answers write it, rarer than ``below`` in
    Portuguese? (A form they do not write: as frequent as its family's most frequent form.)"""
    frequency = index.zipf.get(word)
    if frequency is None:
        frequency = index.family_zipf.get(_family(word), below)
    return frequency < below


def stated_facts(
    kb: KB,
    text: str,
    words: Sequence[str],
    used: set[int],
    topics: Sequence[tuple[str, float]],
    moment_stated: bool = False,
) -> Stated | None:
    """The ISP(s) whose answer of one of the question's ``topics`` ((id, score), best first)
    writes the figures, phrases or rare words the question quotes (module doc). ``used``: the
    positions already read as names; ``moment_stated``: the question states a moment ("domingo
    10h"), whose hours are no rule's."""
    if not topics:
        return None
    index = facts_index(kb).answers
    excluded = _excluded(kb)
    typed = figures(text)
    best = topics[0][1]
    searched = [t for t, score in topics[:MAX_TOPICS] if score >= CLOSE * best]
    best_found: tuple[int, str, list[ContextName]] | None = None
    for topic_id in searched:
        answers = index.get(topic_id)
        if not answers or len(answers) < 2:
            continue
        points, found = _evidence(
            typed, words, used, answers, excluded, moment_stated, facts_index(kb)
        )
        if found and (best_found is None or points > best_found[0]):
            best_found = (points, topic_id, found)
    if best_found is None:
        return None
    return Stated(tuple(best_found[2]), best_found[1])


def _evidence(
    typed: Sequence[Figure],
    words: Sequence[str],
    used: set[int],
    answers: Mapping[str, _Answer],
    excluded: frozenset[str],
    moment_stated: bool,
    index: FactsIndex,
) -> tuple[int, list[ContextName]]:
    """(the points of the ISP(s) named, the evidence naming them) or (0, [])."""
    pieces: list[tuple[int, int, str, frozenset[str], int]] = []
    taken = set(used)
    for figure in typed:
        if _customers(figure) or (moment_stated and (figure.unit in HOURS or ":" in figure.number)):
            continue
        if any(w in excluded for w in normalize(figure.shown).split()):
            continue
        number, unit = figure.number, figure.unit
        owners = frozenset(p for p, a in answers.items() if (number, unit) in a.figures)
        weight = FIGURE if unit or figure.exact else BARE
        shown = figure.shown
        if not owners and unit and len(number.lstrip("-")) >= 2:
            # "rx -26 tx -27": the word after is another figure's, the number still counts.
            owners = frozenset(p for p, a in answers.items() if number in a.numbers)
            weight = FIGURE if figure.exact else BARE
            shown = shown.split()[0]
        elif not unit and not figure.exact and len(number.lstrip("-")) < 2:
            continue
        if owners and len(owners) <= 2 and len(owners) < len(answers):
            pieces.append((-1, -1, shown, owners, weight))
    for i, j in _pairs(words):
        if {i, j} & taken or words[i] in excluded or words[j] in excluded:
            continue
        pair = (_family(words[i]), _family(words[j]))
        rare = _rare(index, words[i], PAIR_ZIPF) or _rare(index, words[j], PAIR_ZIPF)
        if pair in index.catalogue or not rare:
            continue  # the catalogue's wording, or two ordinary words ("horário da loja")
        owners = frozenset(p for p, a in answers.items() if pair in a.pairs)
        if owners and len(owners) <= 2 and len(owners) < len(answers):
            pieces.append((i, j + 1, " ".join(words[i : j + 1]), owners, FIGURE))
            taken.update(range(i, j + 1))
    for i, word in enumerate(words):
        if i in taken or word in excluded or word in STOPWORDS or not _phrase_word(word):
            continue
        family = _family(word)
        if len(word) < MIN_WORD or not _rare(index, word, WORD_ZIPF) or _VERB.search(word):
            continue
        owners = frozenset(p for p, a in answers.items() if family in a.families)
        if len(owners) == 1:
            pieces.append((i, i + 1, word, owners, BARE))
            taken.add(i)
    if not pieces:
        return 0, []
    points: dict[str, int] = {}
    for *_rest, owners, weight in pieces:
        for pid in owners:
            points[pid] = points.get(pid, 0) + weight
    ranked = sorted(points.items(), key=lambda kv: -kv[1])
    top = ranked[0][1]
    leaders = frozenset(pid for pid, p in ranked if p == top)
    if top < ENOUGH or len(leaders) > 2:
        return 0, []
    return top, [
        ContextName(shown, shown, leaders, max(start, 0), max(end, 0), term=True)
        for start, end, shown, owners, _weight in pieces
        if owners & leaders
    ]
