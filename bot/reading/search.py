"""Searching inside the answers: which passage of which ISP's document says these words.

Every topic text of every ISP is cut into passages (its paragraphs; each note and each suggested
message is a passage too; for ``senha``, the list of equipment models, never the passwords) and
indexed with BM25 over light pt-BR stems, the topic's title included (the reply shows the
passage under it). A word that only one ISP's document uses ("MG Cobranças", "Carmella", "Olé
TV") finds that passage.

A hit has two measures. ``coverage`` is the share of the question's informative words (weighed
by idf) that the passage holds: 1.0 when it holds every one, near 0 when it holds only common
ones; words the KB never uses count in the total, so a question about something the KB does not
know gets low coverage everywhere. ``score`` is BM25 on the same scale (more for repeated words
and short passages): it orders the hits, coverage decides how much they say.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.answers import messages as msg
from bot.answers.reply import Block, Button, Reply, ReplyKind, Span, Style, text
from bot.knowledge.kb import KB, derived
from bot.knowledge.passwords import echo
from bot.knowledge.schema import Provider, TopicEntry
from bot.reading.text import STOPWORDS, normalize, service_orders, stem

K1, B = 1.2, 0.75
"""BM25's usual constants (term saturation, length normalisation)."""
MAX_PASSAGE_LINES = 8
"""A longer paragraph is cut into pieces of this many lines: a hit should point at the fact."""
MAX_HITS = 5
SNIPPET_CHARS = 280
MIN_COVERAGE = 0.35
"""Hits below this are noise (one common word in a long text) and are never shown."""
RELATIVE_COVERAGE = 0.6
"""Nor hits that hold much less of the question than the best one ("cobranças" alone, when
another passage holds "MG Cobranças")."""

_BLANK_LINE = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Passage:
    provider_id: str
    topic_id: str
    text: str
    secret: bool
    """It may carry a password or a system login (the topic's credential flag)."""
    label: str = ""
    """Searched with the text, not shown: a suggested message's title ("Mensagem sugestiva"),
    by which agents ask for it."""
    note: bool = False
    """A note of the KB (the supervisors' or the importer's reading of the document, e.g.
    "leitura adotada: ..."), not the ISP's own text: the reply marks it as such."""


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    """BM25 over the question's total word weight: orders the hits."""
    coverage: float
    """Share (0-1) of the question's word weight found in the passage."""


def search_terms(words: Iterable[str]) -> list[str]:
    """The stems a question is searched by: stop words dropped, each stem once."""
    return list(dict.fromkeys(stem(w) for w in words if w not in STOPWORDS and len(w) > 1))


def _pieces(body: str) -> list[str]:
    pieces: list[str] = []
    for paragraph in _BLANK_LINE.split(body.strip()):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        for i in range(0, len(lines), MAX_PASSAGE_LINES):
            pieces.append("\n".join(lines[i : i + MAX_PASSAGE_LINES]))
    return [p for p in pieces if normalize(p)]


def _entry_passages(kb: KB, provider: Provider, topic_id: str, entry: TopicEntry) -> list[Passage]:
    secret = kb.is_secret(provider, topic_id)
    out = [Passage(provider.id, topic_id, body, secret) for body in _pieces(entry.text)]
    out += [Passage(provider.id, topic_id, body, secret, note=True) for body in entry.notes]
    for template in entry.templates:
        out.append(Passage(provider.id, topic_id, template.text.strip(), secret, template.title))
    return out


def passages_of(kb: KB) -> list[Passage]:
    out: list[Passage] = []
    for provider in kb.providers.values():
        for topic in kb.catalogue.topics:
            entry = provider.topics.get(topic.id)
            if entry is not None:
                out += _entry_passages(kb, provider, topic.id, entry)
        if provider.equipment and "senha" in kb.topics:
            models = ", ".join(item.model for item in provider.equipment)
            out.append(Passage(provider.id, "senha", f"{msg.SEARCH_MODELS} {models}", False))
    return out


class PassageIndex:
    """BM25 over every passage of the KB. Built once per KB (see :func:`passage_index`)."""

    def __init__(self, passages: Sequence[Passage], titles: Mapping[str, str]) -> None:
        self.passages = tuple(passages)
        # A passage is found by its topic's title too, as the reply shows it under the title:
        # "comprovante" finds VM NET's rule even though that text never repeats the word.
        self._terms = [
            Counter(
                stem(w)
                for w in normalize(service_orders(self._written(p, titles), typed=False)).split()
            )
            for p in passages
        ]
        self._lengths = [sum(c.values()) for c in self._terms]
        self._average = sum(self._lengths) / max(1, len(self._lengths))
        # BM25's length normalisation of each passage, once per KB instead of once per
        # candidate of every question (the same expression: the same floats).
        self._norms = [K1 * (1 - B + B * length / self._average) for length in self._lengths]
        df: Counter[str] = Counter()
        for terms in self._terms:
            df.update(terms.keys())
        self._postings: dict[str, list[int]] = {}
        for index, terms in enumerate(self._terms):
            for term in terms:
                self._postings.setdefault(term, []).append(index)
        total = len(passages)
        self._idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in df.items()}
        # A word no answer uses weighs as a typical word of the KB, not as the rarest one: it
        # says the question may be about something the KB lacks, but no more than any word.
        idfs = sorted(self._idf.values())
        self._unknown_idf = idfs[len(idfs) // 2] if idfs else 1.0
        self._implied: dict[tuple[re.Pattern[str], int], bool] = {}

    @staticmethod
    def _written(passage: Passage, titles: Mapping[str, str]) -> str:
        return f"{titles[passage.topic_id]} {passage.label} {passage.text}"

    def _holds(self, pattern: re.Pattern[str], index: int) -> bool:
        """Does the passage's text match the pattern (an implied term's)? Kept: the same few
        patterns come with every question naming a kind of fact."""
        key = (pattern, index)
        held = self._implied.get(key)
        if held is None:
            held = self._implied[key] = bool(pattern.search(self.passages[index].text))
        return held

    def weight(self, term: str) -> float:
        return self._idf.get(term, self._unknown_idf)

    def search(
        self,
        terms: Sequence[str],
        providers: Collection[str] | None = None,
        implied: Mapping[str, re.Pattern[str]] | None = None,
    ) -> list[Hit]:
        """Passages (of ``providers`` only, when given) holding some of ``terms``, best first.

        ``implied``: a term a passage holds when its text matches the pattern though the word
        is not written ("link" by a URL, "preço" by "R$ 99,90")."""
        total = sum(self.weight(t) for t in terms)
        if not total:
            return []
        # Only the passages holding some term can score: the postings, not a scan of them all;
        # and each term adds to the passages holding it (a pasted message's 400 terms against
        # every passage was a third of its answer). Each passage's sum adds its terms in the
        # question's order, as a passage-by-passage loop would: the same scores to the last bit.
        candidates = sorted({i for t in terms for i in self._postings.get(t, ())})
        if providers is not None:
            candidates = [i for i in candidates if self.passages[i].provider_id in providers]
        scores = dict.fromkeys(candidates, 0.0)
        found = dict.fromkeys(candidates, 0.0)
        norms = self._norms
        for term in terms:
            weight = self.weight(term)
            pattern = implied.get(term) if implied else None
            holders = self._postings.get(term, ()) if pattern is None else candidates
            for index in holders:
                if index not in scores:
                    continue  # another ISP's
                tf = self._terms[index].get(term, 0)
                if not tf and pattern is not None and self._holds(pattern, index):
                    tf = 1
                if tf:
                    scores[index] += weight * tf * (K1 + 1) / (tf + norms[index])
                    found[index] += weight
        hits = [
            Hit(self.passages[i], scores[i] / total, found[i] / total)
            for i in candidates
            if scores[i]
        ]
        hits.sort(key=lambda h: (-h.score, len(h.passage.text)))
        return hits


@derived
def passage_index(kb: KB) -> PassageIndex:
    return PassageIndex(
        passages_of(kb), {t.id: f"{t.title} {t.description}" for t in kb.catalogue.topics}
    )


def best_hits(hits: Sequence[Hit], limit: int = MAX_HITS) -> list[Hit]:
    """The strongest hits: enough coverage (MIN_COVERAGE, and RELATIVE_COVERAGE of the best),
    one per (ISP, topic), never the same text twice for an ISP."""
    seen_topics: set[tuple[str, str]] = set()
    seen_texts: set[tuple[str, str]] = set()
    best = max((hit.coverage for hit in hits), default=0.0)
    floor = max(MIN_COVERAGE, best * RELATIVE_COVERAGE)
    out: list[Hit] = []
    for hit in hits:
        if hit.coverage < floor:
            continue
        p = hit.passage
        key, body = (p.provider_id, p.topic_id), (p.provider_id, normalize(p.text))
        if key in seen_topics or body in seen_texts:
            continue
        seen_topics.add(key)
        seen_texts.add(body)
        out.append(hit)
        if len(out) == limit:
            break
    return out


def matched_line(kb: KB, body: str, words: Iterable[str]) -> str:
    """The line of a passage that holds most of the question's words (weighed by idf; the
    first of equals): what a choice button shows of where the answer is."""
    terms = set(search_terms(words))
    index = passage_index(kb)
    best, best_weight = "", 0.0
    for line, stems in _line_stems(body):
        held = stems & terms
        weight = sum(index.weight(t) for t in held)
        if weight > best_weight:
            best, best_weight = line.strip(), weight
    if best:
        return best
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    return lines[0] if lines else ""


@lru_cache(maxsize=2048)
def _line_stems(body: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each line of a passage with the stems it writes (once per passage, not per question)."""
    return tuple(
        (line, frozenset(stem(w) for w in normalize(service_orders(line, typed=False)).split()))
        for line in body.splitlines()
    )


def snippet(body: str, limit: int = SNIPPET_CHARS) -> str:
    flat = " / ".join(line.strip() for line in body.splitlines() if line.strip())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def search_reply(kb: KB, question: str, hits: Sequence[Hit]) -> Reply:
    """The passages found, each under "ISP › topic", with a button that opens the topic; a
    passage from a note of the KB is marked as one (in italics, "Observação da base"): it is
    not the ISP's text."""
    # Quoted masked, as every echo of what was typed: the reply may go to a group, and a
    # password typed ("senha: x", a KB password) is never repeated.
    shown = echo(kb, question)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    blocks: list[Block] = [text(msg.SEARCH_TITLE.format(query=shown))]
    buttons: list[Button] = []
    for hit in hits:
        provider = kb.providers[hit.passage.provider_id]
        topic = kb.topics[hit.passage.topic_id]
        label = f"{provider.name} › {topic.title}"
        found = (
            Span(f"{msg.SEARCH_NOTE} {snippet(hit.passage.text)}", Style.ITALIC)
            if hit.passage.note
            else Span(snippet(hit.passage.text))
        )
        blocks.append(text(Span(label, Style.BOLD), Span("\n"), found))
        buttons.append(Button(label, f"/{topic.commands[0]} {provider.id}"))
    blocks.append(text(msg.SEARCH_HINT))
    return Reply(
        ReplyKind.SEARCH,
        tuple(blocks),
        buttons=tuple(buttons),
        credentials=any(hit.passage.secret for hit in hits),
        provider_id=hits[0].passage.provider_id if hits else None,
        topic_id=hits[0].passage.topic_id if hits else None,
        confidence=hits[0].coverage if hits else 0.0,
    )
