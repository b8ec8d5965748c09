"""Which catalogue topic a passage answers, read by the bot's own reader (``bot.reading``).

The question (or a block's heading) is read as an agent's question would be; the catalogue's
keywords decide, the answers of the other ISPs in the KB break ties. A passage whose question
gives no keyword is read again with its answer; a passage nothing points to is left for review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from bot.knowledge.kb import KB
from bot.knowledge.schema import Catalogue, Provider
from bot.reading.reader import read
from bot.reading.text import normalize

CLOSE = 0.75
"""A runner-up scoring this share of the winner makes the reading uncertain."""
FIELD_WORDS = frozenset(
    "login usuario usuarios user senha senhas password url link email e mail".split()  # noqa: SIM905
)
"""A label made of these words only is a field of the block above ("Senha: CPF"), not a topic."""


@dataclass(frozen=True)
class Placement:
    topic: str | None
    score: float
    uncertain: bool
    runner_up: str | None = None
    by_answer: bool = False
    """Placed by the answer's words because the question named no topic."""


def reading_kb(catalogue: Catalogue, others: dict[str, Provider]) -> KB:
    """A KB to read with: the catalogue and the ISPs already in the KB (not the one imported)."""
    return KB(
        catalogue=catalogue,
        providers=MappingProxyType(dict(others)),
        root=Path("."),
        loaded_at=dt.datetime.now(dt.UTC),
    )


class Placer:
    def __init__(self, kb: KB, names: tuple[str, ...] = ()) -> None:
        self.kb = kb
        self.names = tuple(n for n in (normalize(name) for name in names) if n)
        """The imported ISP's own names: not topic words ("fibra" in "Seja Fibra Play")."""

    def scores(self, text: str) -> list[tuple[str, float, float]]:
        """(topic id, score, keyword score), best first."""
        words = f" {normalize(text)} "
        for name in self.names:
            words = words.replace(f" {name} ", " ")
        reading = read(self.kb, words.strip(), terms=False)  # a document's words are no clues
        return [(t.topic.id, t.score, t.keywords) for t in reading.topics]

    def label(self, text: str) -> dict[str, float]:
        """Topic id -> keyword evidence of a heading or label (the catalogue's words only)."""
        words = normalize(text).split()
        if not words or set(words) <= FIELD_WORDS:
            return {}
        return {topic_id: keywords for topic_id, _s, keywords in self.scores(text) if keywords}

    def place(self, question: str, answer: str) -> Placement:
        ranked = [r for r in self.scores(question) if r[2] > 0] if question else []
        by_answer = False
        if not ranked:
            ranked = self.scores(f"{question} {answer}" if question else answer)
            by_answer = True
        if not ranked:
            return Placement(None, 0.0, True, by_answer=by_answer)
        best = ranked[0]
        second = ranked[1] if len(ranked) > 1 else None
        uncertain = by_answer or (second is not None and second[1] >= CLOSE * best[1])
        return Placement(
            best[0],
            best[1],
            uncertain,
            runner_up=second[0] if second is not None else None,
            by_answer=by_answer,
        )
