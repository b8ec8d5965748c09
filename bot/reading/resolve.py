"""Finding the ISP and the equipment a query names: exact names and aliases first, then fuzzy.

"lasernt", "laser net", "vm net", "mutun" resolve to their ISP; "w5 1200g", "huawei v5",
"stavix" to their equipment row. When two candidates are about as good, both are returned so the
caller can ask the agent to choose instead of guessing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.knowledge.derive import remembered
from bot.knowledge.kb import KB, derived
from bot.knowledge.schema import Equipment, Lookalike, Provider
from bot.reading.context import short_form_is_word
from bot.reading.text import STOPWORDS, compact, fold, normalize

FUZZY_CUTOFF = 80.0
"""Below this score (0-100) a name is not considered a match at all."""
TIE_MARGIN = 6.0
"""Candidates within this many points of the best are offered as a choice."""
MIN_PREFIX = 4
"""A typed prefix ("seja", "mutu") of any name names an ISP from this many characters on."""
SHORT_PREFIX = 3
"""... and of an ISP's current name or id ("las", "mut", "sej", "vmn") from this many, unless it
is a stop word ("com", "sem", "mas"): a command's arguments are where an ISP is expected. Not
a former name's or an alias's ("san" of Sansara, "cab" of Caboimagem): a name two ISPs start
("net") is a tie as ever."""
CONNECTORS = frozenset("da do de pra pro para p na no com".split())  # noqa: SIM905
"""Words agents put before the ISP in a command ("/senha da laser w5"): not a model's."""


_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_LABEL_ANYWHERE = ":"
_LABEL_FIRST = ":,;-–—"
_VERBS = "tem tinha faz aceita atende cobra libera usa possui oferece trabalha vende precisa manda"
SUBJECT_VERBS = frozenset(_VERBS.split())
"""A short form that is also a word names the ISP as the first word before one of these:
"seja tem n2?", "seja atende Ubatuba?" (the verb "seja" is never followed by another verb;
"nova"/"mais"/"super" before a verb would need an article)."""


def label_positions(text: str) -> frozenset[int]:
    """Positions (in ``normalize(text).split()``) of the words written as a label: followed by
    ":" anywhere ("cliente seja: sem sinal"), or the first word followed by ",", ";" or a dash
    ("seja, cliente bloqueado...", "laser - fatura"). Agents head a question with the ISP so."""
    folded = fold(text)
    out: set[int] = set()
    for i, match in enumerate(_WORDS.finditer(folded)):
        after = folded[match.end() :].lstrip(" ")[:1]
        if after and (after in _LABEL_ANYWHERE or (i == 0 and after in _LABEL_FIRST)):
            out.add(i)
    return frozenset(out)


_CLAUSE_MARK = re.compile(r"[,;!?]|\.\s")


def clause_breaks(text: str) -> frozenset[int]:
    """Positions (in ``normalize(text).split()``) of the words a clause's punctuation comes
    right before: ",", ";", "!", "?" or a full stop ("cliente tem fibra, play store..." -> the
    position of "play"). A name's words are never split by one."""
    folded = fold(text)
    out: set[int] = set()
    previous = 0
    for i, match in enumerate(_WORDS.finditer(folded)):
        if i and _CLAUSE_MARK.search(folded[previous : match.start()]):
            out.add(i)
        previous = match.end()
    return frozenset(out)


def dotted_runs(text: str) -> tuple[range, ...]:
    """Positions (in ``normalize(text).split()``) of the words a text joined by dots, a host
    name as typed ("ixc.vitortelecom.com.br": 0..3); runs of numbers (an IP) are left out."""
    folded = fold(text)
    runs: list[range] = []
    start = previous = -1
    for i, match in enumerate(_WORDS.finditer(folded)):
        joined = previous >= 0 and folded[previous : match.start()] == "."
        if not joined:
            if start >= 0 and i - start > 1:
                runs.append(range(start, i))
            start = i
        previous = match.end()
        last = i
    if start >= 0 and previous >= 0 and last + 1 - start > 1:
        runs.append(range(start, last + 1))
    words = normalize(text).split()
    return tuple(r for r in runs if not all(words[i].isdigit() for i in r if i < len(words)))


OtherCompany = tuple[Lookalike, Provider | None]
"""Another company named: with the ISP whose document lists it (its customers call by mistake),
or ``None`` for a company of the catalogue's ``not_served`` (the big carriers)."""


@derived
def not_served_names(kb: KB) -> dict[str, OtherCompany]:
    """Normalised and compact names of the companies UPCALL does not serve."""
    out: dict[str, OtherCompany] = {}
    for name in kb.catalogue.not_served:
        company: OtherCompany = (Lookalike(name=name), None)
        for key in (normalize(name), compact(name)):
            out.setdefault(key, company)
    return out


@derived
def other_companies_first_words(kb: KB) -> frozenset[str]:
    """The first words of the lookalikes' and the companies not served's names: no ISP's short
    form ("net" of NET CLARO, "vivo" of VIVO FIBRA). One list for the resolver and the reader."""
    names = [lookalike.name for p in kb.providers.values() for lookalike in p.lookalikes]
    return frozenset(normalize(n).split()[0] for n in (*names, *kb.catalogue.not_served))


@dataclass(frozen=True)
class ProviderMatch:
    """Result of resolving a provider name; ``provider`` is set only when unambiguous."""

    candidates: tuple[Provider, ...] = ()
    lookalike: OtherCompany | None = None
    score: float = 0.0

    @property
    def provider(self) -> Provider | None:
        return self.candidates[0] if len(self.candidates) == 1 else None


@dataclass(frozen=True)
class EquipmentMatch:
    candidates: tuple[Equipment, ...] = ()
    score: float = 0.0

    @property
    def equipment(self) -> Equipment | None:
        return self.candidates[0] if len(self.candidates) == 1 else None


@dataclass(frozen=True)
class _Names:
    """Normalised name -> owner, for exact look-up; compact forms for fuzzy scoring."""

    exact: dict[str, str] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    """Compact names, scored in one C loop by rapidfuzz (500 ISPs: ~2,000 names)."""
    owners: list[str] = field(default_factory=list)
    """``owners[i]`` is the ISP id of ``keys[i]``."""
    sorted_keys: list[str] = field(default_factory=list)
    """``keys`` in order, for the names a typed prefix starts (a bisect, not a scan)."""
    sorted_owners: list[str] = field(default_factory=list)
    current: frozenset[str] = frozenset()
    """Compact current names and ids: the names a 3-letter prefix may start."""
    lookalikes: dict[str, OtherCompany] = field(default_factory=dict)
    """Normalised and compact names of the lookalikes -> (lookalike, the ISP that lists it), and
    of the companies not served -> (company, None)."""
    most_words: int = 1
    """Words in the longest name ("fadeto net 250": 3): the spans command arguments are tried in."""
    shared: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """A word of the names of several ISPs ("fibra": Mutum Fibra, Seja Fibra) -> those ISPs:
    typed alone it is a choice between them, never one of them."""
    short_forms: frozenset[int] = frozenset()
    """Indexes in ``keys`` of short forms ("laser"): scored for slips in 4+ letters only."""


def provider_names(provider: Provider) -> list[str]:
    return provider.names()


INITIALS_SKIP = frozenset("de da do das dos e".split())  # noqa: SIM905


def initials(provider: Provider) -> frozenset[str]:
    """The initials of the ISP's own name written in two or three words ("nc" of "Net Center",
    "sf" of "Seja Fibra", "vn" of "VM NET"): agents type them as a short form. Only a spelling
    of the current name or id (not "VM NET Telecom", not a former name: "Cabo Imagem").
    Callers keep those of one ISP alone."""
    own = {compact(provider.name), compact(provider.id)}
    found = set()
    for name in provider_names(provider):
        words = [w for w in normalize(name).split() if w not in INITIALS_SKIP]
        if compact(name) not in own or not 2 <= len(words) <= 3:
            continue
        if all(w.isalpha() for w in words):
            found.add("".join(w[0] for w in words))
    return frozenset(found)


@derived
def initials_of_one(kb: KB) -> dict[str, str]:
    """Initials (``initials``) -> the one ISP they stand for; none that two ISPs' names share,
    that is any ISP's name or first word, another company's, or a stop word."""
    owners: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        for letters in initials(provider):
            owners.setdefault(letters, set()).add(provider.id)
    taken = {
        w for p in kb.providers.values() for n in provider_names(p) for w in normalize(n).split()
    }
    taken |= {compact(n) for p in kb.providers.values() for n in provider_names(p)}
    taken |= set(not_served_names(kb)) | other_companies_first_words(kb)
    taken |= {
        key
        for p in kb.providers.values()
        for lookalike in p.lookalikes
        for key in (normalize(lookalike.name), compact(lookalike.name))
    }
    # A word of the catalogue ("tv", "ip", "os" of "Tele Vale", "Inter Pontal", "Onda Sul"):
    # "/dns tv" is the TV topic's word, not an ISP typed short.
    catalogue = kb.catalogue
    taken |= set(kb.command_topics) | {t.id for t in catalogue.topics}
    taken |= {normalize(k) for t in catalogue.topics for k in t.keywords if " " not in k.strip()}
    taken |= {normalize(w) for w in (*catalogue.generic, *catalogue.vocabulary)}
    return {
        letters: next(iter(ids))
        for letters, ids in owners.items()
        if len(ids) == 1 and letters not in taken and letters not in STOPWORDS
    }


@derived
def _provider_index(kb: KB) -> _Names:
    exact: dict[str, str] = {}
    keys: list[str] = []
    owners: list[str] = []
    lookalikes: dict[str, OtherCompany] = {}
    short_forms: set[int] = set()
    most_words = 1
    shared = name_words_shared(kb)
    for provider in kb.providers.values():
        for name in provider_names(provider):
            for key in {normalize(name), compact(name)}:
                if normalize(name) in shared and name not in (provider.id, provider.name):
                    break  # an alias "Fibra" is no more Fibra Fácil's than Mutum Fibra's
                exact.setdefault(key, provider.id)
            else:
                keys.append(compact(name))
                owners.append(provider.id)
            most_words = max(most_words, len(normalize(name).split()))
        for lookalike in provider.lookalikes:
            for key in (normalize(lookalike.name), compact(lookalike.name)):
                lookalikes.setdefault(key, (lookalike, provider))
    for key, company in not_served_names(kb).items():
        lookalikes.setdefault(key, company)
    # Short forms: the first word of a name of several words, when it is no other ISP's or
    # company's ("vm" for VM NET, "seja" for Seja Fibra; not "net": NET CLARO; not "fibra" of
    # a "Fibra Fácil" when Mutum Fibra and Seja Fibra have the word too).
    firsts: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        for name in provider_names(provider):
            words = normalize(name).split()
            if len(words) > 1 and not alias_word_only(kb, provider, words[0]):
                firsts.setdefault(words[0], set()).add(provider.id)
    for word in other_companies_first_words(kb):
        firsts.setdefault(word, set()).add("")
    for word, sharers in shared.items():
        firsts.setdefault(word, set()).update(sharers)
    for word, ids in firsts.items():
        if len(ids) == 1 and "" not in ids and word not in exact and word not in lookalikes:
            exact[word] = next(iter(ids))
            if len(word) >= MIN_PREFIX and word.isalpha():
                # A short form is a name agents type in a hurry too: a slip in it ("/porta
                # lasr" for "laser") is scored as a slip in any name, typed with 4+ letters.
                short_forms.add(len(keys))
                keys.append(word)
                owners.append(exact[word])
    for letters, pid in initials_of_one(kb).items():
        exact.setdefault(letters, pid)  # "/dns nc"
    ordered = sorted(zip(keys, owners, strict=True))
    current = {compact(p.name) for p in kb.providers.values()} | set(kb.providers)
    return _Names(
        exact=exact,
        keys=keys,
        owners=owners,
        sorted_keys=[key for key, _ in ordered],
        sorted_owners=[owner for _, owner in ordered],
        current=frozenset(current),
        lookalikes=lookalikes,
        most_words=most_words,
        shared={w: ids for w, ids in shared.items() if w not in lookalikes},
        short_forms=frozenset(short_forms),
    )


def alias_word_only(kb: KB, provider: Provider, word: str) -> bool:
    """Is this first word of one of the ISP's names an ordinary word that starts only an alias
    or a former name, not the ISP's current name or id ("cabo" of "Cabo Imagem", Seja Fibra)?
    Such a word never names the ISP alone, in a command or in free text: "ligado no cabo",
    "/dns cabo" are the cable. (The current name's "seja" is a short form where a name goes.)"""
    current = compact(provider.name).startswith(word) or provider.id.startswith(word)
    return not current and short_form_is_word(kb, word)


@derived
def name_words_shared(kb: KB) -> dict[str, tuple[str, ...]]:
    """Words (2+ letters) of the names of two or more ISPs, with those ISPs in the KB's order:
    "fibra" -> (mutum, sejafibra). Such a word stands for none of them alone."""
    owners: dict[str, list[str]] = {}
    for provider in kb.providers.values():
        for name in provider_names(provider):
            for word in normalize(name).split():
                found = owners.setdefault(word, [])
                if len(word) >= 2 and word.isalpha() and provider.id not in found:
                    found.append(provider.id)
    return {word: tuple(ids) for word, ids in owners.items() if len(ids) > 1}


def _fuzzy_scores(index: _Names, key: str, word: bool = False) -> list[tuple[float, str]]:
    """Every (score, owner) at or above the cutoff: typos by ratio, typed prefixes ("seja").
    ``word``: the key is an ordinary word, a prefix only of the current names ("cabo" starts
    the alias Caboimagem: the cable, ``alias_word_only``)."""
    hits = process.extract(
        key, index.keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
    )
    short = len(key) < MIN_PREFIX
    scored = [
        (float(score), index.owners[i])
        for _, score, i in hits
        if not (short and i in index.short_forms)
    ]
    if len(key) >= MIN_PREFIX or (len(key) == SHORT_PREFIX and key not in STOPWORDS):
        at = bisect_left(index.sorted_keys, key)
        while at < len(index.sorted_keys) and index.sorted_keys[at].startswith(key):
            name = index.sorted_keys[at]
            if (not short and not word) or name in index.current:
                scored.append((_score(key, name), index.sorted_owners[at]))
            at += 1
    return scored


def _score(query: str, name: str) -> float:
    """How well a compact query names a compact name, 0-100 (a prefix: 90 and more)."""
    if query == name:
        return 100.0
    if name.startswith(query):
        return 90.0 + 10.0 * len(query) / len(name) - 0.01
    return float(fuzz.ratio(query, name))


def _best(scored: Iterable[tuple[float, str]]) -> tuple[list[str], float]:
    """Owners whose best score is within TIE_MARGIN of the top, best first."""
    best: dict[str, float] = {}
    for score, owner in scored:
        if score >= FUZZY_CUTOFF and score > best.get(owner, 0.0):
            best[owner] = score
    if not best:
        return [], 0.0
    top = max(best.values())
    if top >= 100.0:
        return [o for o, s in best.items() if s >= 100.0], top
    ranked = sorted(best, key=lambda o: -best[o])
    return [o for o in ranked if best[o] >= top - TIE_MARGIN], top


def find_lookalike(kb: KB, query: str) -> OtherCompany | None:
    lookalikes = _provider_index(kb).lookalikes
    return lookalikes.get(normalize(query)) or lookalikes.get(compact(query))


MEMO_LIMIT = 4096
"""Entries a per-KB memo of names resolved keeps before it starts over: a bound on its memory
(a pasted message's words, every one tried as a name, cannot grow it for ever)."""


@derived
def _resolved(kb: KB) -> dict[str, ProviderMatch]:
    """Names as typed -> what they resolve to in this KB. The KB never changes once loaded and
    the same few names (an ISP's, a command's words) come with every question; the memo goes
    with its KB at a reload."""
    return {}


@derived
def _split(kb: KB) -> dict[tuple[str, ...], tuple[ProviderMatch, tuple[str, ...]]]:
    """Command arguments -> :func:`split_provider`'s answer, as :func:`_resolved`."""
    return {}


def resolve_provider(kb: KB, query: str) -> ProviderMatch:
    """Resolve one name as typed ("laser net", "mutun", "caboimagem")."""
    return remembered(_resolved(kb), query, lambda: _resolve_provider(kb, query), MEMO_LIMIT)


def _resolve_provider(kb: KB, query: str) -> ProviderMatch:
    if not normalize(query):
        return ProviderMatch()
    index = _provider_index(kb)
    owner = index.exact.get(normalize(query)) or index.exact.get(compact(query))
    if owner:
        return ProviderMatch((kb.providers[owner],), score=100.0)
    lookalike = find_lookalike(kb, query)
    if lookalike:
        return ProviderMatch(lookalike=lookalike)
    shared = index.shared.get(normalize(query))
    if shared:
        return ProviderMatch(tuple(kb.providers[o] for o in shared), score=100.0)
    key = compact(query)
    word = key.isalpha() and short_form_is_word(kb, key)
    owners, top = _best(_fuzzy_scores(index, key, word))
    return ProviderMatch(tuple(kb.providers[o] for o in owners), score=top)


def split_provider(kb: KB, words: Sequence[str]) -> tuple[ProviderMatch, list[str]]:
    """Find the provider among command arguments; return it and the remaining words.

    The provider is usually first ("/senha lasernet W5-1200G"), possibly in several words
    ("seja fibra", "vm net", as many as its longest name has); failing that, any position is
    tried ("/senha W5-1200G lasernet"). Longer spans first: the whole name before a part of it.
    A connector right before the name ("/senha da laser W5") goes with it.
    """

    def split() -> tuple[ProviderMatch, tuple[str, ...]]:
        match, rest = _split_provider(kb, words)
        return match, tuple(rest)

    found = remembered(_split(kb), tuple(words), split, MEMO_LIMIT)
    return found[0], list(found[1])


def _split_provider(kb: KB, words: Sequence[str]) -> tuple[ProviderMatch, list[str]]:
    sizes = range(min(_provider_index(kb).most_words, max(1, len(words))), 0, -1)
    spans = [(0, n) for n in sizes] + [(i, i + n) for i in range(1, len(words)) for n in sizes]
    fallback: tuple[ProviderMatch, list[str]] | None = None
    for start, end in spans:
        if end > len(words):
            continue
        match = resolve_provider(kb, " ".join(words[start:end]))
        before = start - 1 if start and normalize(words[start - 1]) in CONNECTORS else start
        rest = list(words[:before]) + list(words[end:])
        if match.provider is not None and match.score >= 100.0:
            return match, rest
        if (match.candidates or match.lookalike) and (
            fallback is None or _weight(match) > _weight(fallback[0])
        ):
            fallback = (match, rest)
    return fallback or (ProviderMatch(), list(words))


def _weight(match: ProviderMatch) -> float:
    """A whole other company's name ("net claro") weighs as a whole ISP's name."""
    return 100.0 if match.lookalike else match.score


def equipment_names(item: Equipment) -> list[str]:
    return [item.model, *item.aliases]


def resolve_equipment(provider: Provider, query: str) -> EquipmentMatch:
    """Resolve an equipment model of one ISP ("w5 1200g", "huawei v5", "stavix")."""
    key = compact(query)
    if not key:
        return EquipmentMatch()
    # A name typed exactly (what a button or the reader asks): those models, no fuzzy scores.
    exact = [i for i in provider.equipment if any(compact(n) == key for n in equipment_names(i))]
    if exact:
        return EquipmentMatch(tuple(exact), score=100.0)
    scored: list[tuple[float, str]] = []
    for item in provider.equipment:
        for name in equipment_names(item):
            target = compact(name)
            if key == target:
                score = 100.0
            elif len(key) >= 3 and key in target:
                # A distinctive word of the model ("stavix", "zyxel", "mercusys").
                score = 95.0 - 0.01
            else:
                score = max(
                    float(fuzz.ratio(key, target)),
                    float(fuzz.token_set_ratio(normalize(query), normalize(name))) - 5.0,
                )
            scored.append((score, item.model))
    models, top = _best(scored)
    by_model = {item.model: item for item in provider.equipment}
    return EquipmentMatch(tuple(by_model[m] for m in models), score=top)


def equipment_in_text(provider: Provider, words: Sequence[str]) -> Equipment | None:
    """An equipment model named somewhere in a sentence (exact name or alias, 1-3 words)."""
    joined = {compact("".join(words[i : i + n])) for n in (1, 2, 3) for i in range(len(words))}
    for item in provider.equipment:
        if any(compact(name) in joined for name in equipment_names(item)):
            return item
    return None
