"""Reading a free-text question: which ISP(s), which topic, which equipment, and how sure we are.

"qual o dns da mutum?" -> (Mutum Fibra, dns); "senha do roteador W4-300F da lasernet" ->
(LaserNet, senha, W4-300F). The reader only ranks; ``bot.core`` decides what to answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from bot.kb import KB
from bot.resolve import equipment_in_text, find_lookalike, provider_names
from bot.schema import Equipment, Lookalike, Provider, Topic
from bot.text import compact, normalize

# Chat abbreviations agents type, expanded before matching (whole words only).
ABBREVIATIONS = {
    "qnts": "quantos",
    "qnt": "quanto",
    "qto": "quanto",
    "qtos": "quantos",
    "p": "para",
    "pra": "para",
    "vc": "voce",
    "vcs": "voces",
    "tb": "tambem",
    "tbm": "tambem",
    "q": "que",
    "pq": "porque",
    "oq": "o que",
    "n": "nao",
    "nd": "nada",
    "msg": "mensagem",
    "hj": "hoje",
    "dps": "depois",
    "td": "tudo",
    "cx": "caixa",
    "wpp": "whatsapp",
    "zap": "whatsapp",
    "tel": "telefone",
    "ender": "endereco",
    "end": "endereco",
}

FUZZY_WORD = 88.0
"""Score (0-100) from which a typed word counts as a misspelt keyword or ISP name."""
MIN_FUZZY_LEN = 5
"""Words shorter than this must match exactly (short words collide too easily)."""


@dataclass(frozen=True)
class TopicScore:
    topic: Topic
    score: float


@dataclass(frozen=True)
class Reading:
    providers: tuple[Provider, ...]
    topics: tuple[TopicScore, ...]
    equipment: Equipment | None
    lookalike: tuple[Lookalike, Provider] | None

    @property
    def best_topic(self) -> Topic | None:
        return self.topics[0].topic if self.topics else None


def expand(text: str) -> list[str]:
    words: list[str] = []
    for word in normalize(text).split():
        words += ABBREVIATIONS.get(word, word).split()
    return words


@lru_cache(maxsize=8)
def _keyword_index(kb: KB) -> tuple[tuple[str, str, int], ...]:
    """(normalised phrase, topic id, number of words) for every keyword and command."""
    out: list[tuple[str, str, int]] = []
    for topic in kb.catalogue.topics:
        phrases = {normalize(k) for k in topic.keywords} | set(topic.commands)
        phrases |= {normalize(topic.title)}
        for phrase in phrases:
            if phrase:
                out.append((phrase, topic.id, len(phrase.split())))
    return tuple(out)


def score_topics(kb: KB, words: list[str]) -> list[TopicScore]:
    """Topics ranked by the keywords found in the words (longer phrases weigh more)."""
    padded = f" {' '.join(words)} "
    singles = [w for w in words if len(w) >= MIN_FUZZY_LEN]
    scores: dict[str, float] = {}
    for phrase, topic_id, size in _keyword_index(kb):
        if f" {phrase} " in padded:
            gain = float(size * size)
        elif size == 1 and len(phrase) >= MIN_FUZZY_LEN and singles:
            best = max(fuzz.ratio(phrase, w) for w in singles)
            gain = 0.6 if best >= FUZZY_WORD else 0.0
        else:
            gain = 0.0
        if gain:
            scores[topic_id] = scores.get(topic_id, 0.0) + gain
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    return [TopicScore(kb.topics[t], s) for t, s in ranked]


def providers_in(kb: KB, words: list[str]) -> list[Provider]:
    """ISPs named in the words, by exact name/alias (1-3 words) or a close spelling."""
    found: list[Provider] = []
    grams = [
        (i, n, compact("".join(words[i : i + n]))) for n in (3, 2, 1) for i in range(len(words))
    ]
    names = [(compact(name), p) for p in kb.providers.values() for name in provider_names(p)]
    for _, _, gram in grams:
        for name, provider in names:
            if gram == name and provider not in found:
                found.append(provider)
    if found:
        return found
    for _, n, gram in grams:
        if n != 1 or len(gram) < MIN_FUZZY_LEN:
            continue
        for name, provider in names:
            if fuzz.ratio(gram, name) >= FUZZY_WORD - 8 and provider not in found:
                found.append(provider)
    return found


def _equipment_anywhere(kb: KB, words: list[str]) -> tuple[Provider, Equipment] | None:
    """An equipment model that only one ISP has, named without the ISP ("senha W5-1200G")."""
    hits = [(p, e) for p in kb.providers.values() if (e := equipment_in_text(p, words))]
    return hits[0] if len(hits) == 1 else None


def read(kb: KB, text: str) -> Reading:
    words = expand(text)
    providers = providers_in(kb, words)
    equipment = equipment_in_text(providers[0], words) if len(providers) == 1 else None
    if not providers:
        anywhere = _equipment_anywhere(kb, words)
        if anywhere:
            providers, equipment = [anywhere[0]], anywhere[1]
    lookalike = None
    if not providers:
        for n in (2, 1):
            for i in range(len(words) - n + 1):
                lookalike = lookalike or find_lookalike(kb, " ".join(words[i : i + n]))
    topics = score_topics(kb, words)
    if equipment is not None and not any(t.topic.id == "senha" for t in topics[:1]):
        topics = [TopicScore(kb.topics["senha"], 1.0), *topics]
    return Reading(tuple(providers), tuple(topics), equipment, lookalike)
