"""How well free text is understood: top-1 accuracy of the reader against two baselines.

    ./uvw run python bench/accuracy.py [--rounds N] [--questions FILE] [--extra-provider FILE]

On the labelled questions of ``bench/questions.yaml`` and the real KB, it prints the top-1
accuracy and the median / p99 latency per question of

* **reader** -- the bot itself: ``bot.answers.core.answer(kb, question)``, the reply an agent would
  get;
* **bm25** -- ``bm25s`` over the topic answers: one document per (ISP, topic), the text of the
  reply the bot gives for it (heading "ISP › Topic" and the answer, or the "the document does not
  say" text); the query and the documents tokenised the same way as the reader (accents and case
  folded, punctuation dropped, chat abbreviations and the KB's vocabulary expanded);
* **rapidfuzz** -- the best ``fuzz.token_set_ratio`` (and, separately, ``fuzz.WRatio``) of the
  question against "ISP name + topic title + topic keywords", one string per (ISP, topic).

Scoring (top-1: only the one reply, or the one best document, counts):

* ISP named (``isp: id``): the reader is right when its reply is about that ISP and one of the
  labelled topics -- the answer, the "document does not say" reply (a right answer: the ISP's
  document is silent), or the choice between that ISP's equipment models for ``senha`` (the
  question named a model family, the reply lists the matching rows). A compact reply of two
  sections (two topics of that ISP answered together, ``Reply.also``) is right when either
  section is a labelled topic: both answers are on screen, no tap needed. A choice between
  topics, a "not sure" or "not understood" reply is a miss. A baseline is right when its best
  document is that (ISP, topic).
* No ISP named (``isp: null``): the right reply asks which ISP, with one button per ISP for the
  labelled topic; answering with some ISP's data is a miss. The baselines cannot ask: one is
  counted right when its best document has the labelled topic, whatever the ISP (lenient).
* Two ISPs named (``isp: [a, b]``): the right reply asks which of those two, for the topic; a
  baseline is right when its best document is one of them with the topic (lenient again).
* ``abstain``: messages that must not be answered with an ISP's data (greetings, other
  companies' callers). Reported apart, for the reader only: the baselines always answer.
* ``kind: whois`` ("quem atende Ubatuba?", topic ``cidades``, ``isp`` one id or a list): the
  question asks WHICH ISP, so naming the ISP(s) is the answer. The reader is right when its reply
  is about the topic and the ISPs it names (in its text or its buttons) are exactly the labelled
  ones -- the "who serves" reply, or the ISP's /cidades answer when one ISP is labelled. A
  baseline is right when its best document is one of the labelled ISPs' ``cidades``.
* ``kind: now`` ("transfiro agora?", "o financeiro está aberto?"): the reply must be about the
  labelled ISP and carry the clock (``Reply.clock``: the sector's or UPCALL's state now), about
  one of the labelled topics or as the /agora view of that ISP (topic ``horario``), which states
  every sector now. Without an ISP (``isp: null``), asking which ISP is right as for any
  question (buttons for the topic, or for /agora). Baselines: as for any question (they cannot
  know the time).

``--extra-provider FILE`` adds a provider YAML to a temporary copy of the KB (e.g. a made-up
sixth ISP): the scores with it must stay those without it.

Latency is wall time per question (warm caches), over ``--rounds`` passes of the whole set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from bot.answers import topics as answers
from bot.answers.core import answer, parse_command
from bot.answers.render.plain import to_plain
from bot.answers.reply import Reply, ReplyKind
from bot.knowledge.kb import KB, load_kb
from bot.reading.reader import question_words

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "bench" / "questions.yaml"
NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))

Pair = tuple[str, str]
"""(ISP id, topic id)."""


@dataclass(frozen=True)
class Question:
    text: str
    isps: tuple[str, ...]
    """Empty: no ISP named; one: that ISP; several: the bot must ask between them."""
    topics: frozenset[str]
    kind: str


@dataclass(frozen=True)
class Abstain:
    text: str
    expect: str


@dataclass(frozen=True)
class QuestionSet:
    questions: list[Question]
    """The tuning set: the reader was improved until it answers these."""
    holdout: list[Question]
    """Written after tuning and never tuned on: the honest estimate."""
    abstain: list[Abstain]


def _questions(items: list[dict[str, Any]]) -> list[Question]:
    out = []
    for item in items:
        isp = item["isp"]
        isps = () if isp is None else (isp,) if isinstance(isp, str) else tuple(isp)
        topic = item["topic"]
        topics = frozenset([topic] if isinstance(topic, str) else topic)
        out.append(Question(item["q"], isps, topics, item.get("kind", "")))
    return out


def load_questions(path: Path = QUESTIONS) -> QuestionSet:
    # libyaml's loader when present (it is with PyYAML's wheels): 1 s of CPU less for the
    # tuning set, which the test suite loads in every worker.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return QuestionSet(
        _questions(data["questions"]),
        _questions(data.get("holdout", [])),
        [Abstain(item["q"], item["expect"]) for item in data.get("abstain", [])],
    )


# --------------------------------------------------------------------------- scoring the reader


def _button_pairs(kb: KB, reply: Reply) -> list[tuple[str, str | None]]:
    """(ISP id, topic id) each button asks for ("/dns mutum" -> ("mutum", "dns"))."""
    pairs: list[tuple[str, str | None]] = []
    for button in reply.buttons:
        command = parse_command(button.ask)
        if command is None or not command.args:
            continue
        topic = kb.command_topics.get(command.name)
        topic_id = topic.id if topic else "horario" if command.name == "agora" else None
        pairs.append((command.args[0], topic_id))
    return pairs


def _named_isps(kb: KB, reply: Reply) -> set[str]:
    """The ISPs a reply names: in its text (by name) or its buttons."""
    plain = to_plain(reply)
    named = {p.id for p in kb.providers.values() if p.name in plain}
    return named | {isp for isp, _ in _button_pairs(kb, reply) if isp in kb.providers}


def reader_right(kb: KB, question: Question, reply: Reply) -> bool:
    if question.kind == "whois" and question.isps:
        if reply.topic_id not in question.topics:
            return False
        one = len(question.isps) == 1 and reply.provider_id == question.isps[0]
        if reply.kind is ReplyKind.ANSWER and one:
            return True
        return reply.kind is ReplyKind.ANSWER and _named_isps(kb, reply) == set(question.isps)
    if question.kind == "now" and len(question.isps) == 1:
        if reply.provider_id != question.isps[0] or not reply.clock:
            return False
        if reply.kind not in (ReplyKind.ANSWER, ReplyKind.NO_INFO):
            return False
        return reply.topic_id in question.topics or reply.topic_id == "horario"
    if len(question.isps) == 1:
        # A compact reply of two sections shows both topics' answers: either may be the one.
        shown = {reply.topic_id, *reply.also}
        if reply.provider_id != question.isps[0] or not shown & question.topics:
            return False
        if reply.kind in (ReplyKind.ANSWER, ReplyKind.NO_INFO):
            return True
        # The choice between one ISP's equipment models (topic senha, ISP known).
        return reply.kind is ReplyKind.CHOICE and reply.topic_id == "senha"
    expected_kind = ReplyKind.MISSING_PROVIDER if not question.isps else ReplyKind.CHOICE
    pairs = _button_pairs(kb, reply)
    if reply.kind is not expected_kind or not pairs:
        return False
    allowed = set(question.topics) | ({"horario"} if question.kind == "now" else set())
    if any(topic not in allowed for _, topic in pairs):
        return False
    offered = {isp for isp, _ in pairs}
    return offered == (set(kb.providers) if not question.isps else set(question.isps))


def reader_abstains(reply: Reply, expect: str) -> bool:
    if expect == "lookalike":
        return reply.kind is ReplyKind.LOOKALIKE
    return reply.kind not in (ReplyKind.ANSWER, ReplyKind.NO_INFO, ReplyKind.CARD)


def pair_right(question: Question, pair: Pair | None) -> bool:
    """Baselines: their best (ISP, topic) document."""
    if pair is None:
        return False
    isp, topic = pair
    if topic not in question.topics:
        return False
    return not question.isps or isp in question.isps


# --------------------------------------------------------------------------- the baselines


def pairs_of(kb: KB) -> list[Pair]:
    return [(p.id, t.id) for p in kb.providers.values() for t in kb.catalogue.topics]


def reply_text(kb: KB, pair: Pair) -> str:
    """What the bot says for (ISP, topic): the BM25 document."""
    provider, topic = kb.providers[pair[0]], kb.topics[pair[1]]
    reply = answers.topic_reply(kb, provider, topic)
    extra = " ".join(item.model for item in provider.equipment) if topic.id == "senha" else ""
    return f"{provider.name} {topic.title} {to_plain(reply)} {extra}"


class BM25Baseline:
    def __init__(self, kb: KB) -> None:
        import bm25s  # type: ignore[import-untyped]  # no stubs

        self.kb = kb
        self.pairs = pairs_of(kb)
        corpus = [question_words(kb, reply_text(kb, pair)) for pair in self.pairs]
        self.retriever = bm25s.BM25()
        self.retriever.index(corpus, show_progress=False)
        self.vocab = {w for doc in corpus for w in doc}

    def best(self, text: str) -> Pair | None:
        words = [w for w in question_words(self.kb, text) if w in self.vocab]
        if not words:
            return None
        docs, _scores = self.retriever.retrieve([words], k=1, show_progress=False)
        return self.pairs[int(docs[0][0])]


class FuzzBaseline:
    def __init__(self, kb: KB, scorer: Callable[..., float]) -> None:
        self.kb = kb
        self.scorer = scorer
        self.pairs = pairs_of(kb)
        self.choices = [
            " ".join(
                question_words(
                    kb,
                    " ".join([kb.providers[isp].name, kb.topics[t].title, *kb.topics[t].keywords]),
                )
            )
            for isp, t in self.pairs
        ]

    def best(self, text: str) -> Pair | None:
        query = " ".join(question_words(self.kb, text))
        found = process.extractOne(query, self.choices, scorer=self.scorer)
        return self.pairs[found[2]] if found else None


# --------------------------------------------------------------------------- running


@dataclass
class Result:
    name: str
    right: list[bool]
    seconds: list[float]

    @property
    def accuracy(self) -> float:
        return sum(self.right) / len(self.right)

    def line(self) -> str:
        ms = sorted(s * 1000 for s in self.seconds)
        p99 = ms[max(0, int(len(ms) * 0.99) - 1)]
        return (
            f"{self.name:<22} top-1 {self.accuracy * 100:5.1f} % "
            f"({sum(self.right)}/{len(self.right)})   "
            f"median {statistics.median(ms):7.3f} ms   p99 {p99:7.3f} ms"
        )


def timed(
    fn: Callable[[str], Any], texts: Sequence[str], rounds: int
) -> tuple[list[Any], list[float]]:
    """Each text's result, and one wall time per text per round."""
    out = [fn(t) for t in texts]  # warm: indexes are built on first use
    seconds: list[float] = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            fn(text)
            seconds.append(time.perf_counter() - start)
    return out, seconds


def evaluate(kb: KB, questions: Sequence[Question], rounds: int = 1) -> dict[str, Result]:
    texts = [q.text for q in questions]
    replies, seconds = timed(lambda t: answer(kb, t, NOW), texts, rounds)
    results = {
        "reader": Result(
            "reader (bot.answers.core)",
            [reader_right(kb, q, r) for q, r in zip(questions, replies, strict=True)],
            seconds,
        )
    }
    baselines: dict[str, Callable[[str], Pair | None]] = {
        "bm25": BM25Baseline(kb).best,
        "token_set_ratio": FuzzBaseline(kb, fuzz.token_set_ratio).best,
        "wratio": FuzzBaseline(kb, fuzz.WRatio).best,
    }
    names = {
        "bm25": "bm25 (bm25s)",
        "token_set_ratio": "rapidfuzz token_set",
        "wratio": "rapidfuzz WRatio",
    }
    for key, best in baselines.items():
        pairs, secs = timed(best, texts, rounds)
        right = [pair_right(q, p) for q, p in zip(questions, pairs, strict=True)]
        results[key] = Result(names[key], right, secs)
    return results


def load_with(extra: Sequence[Path]) -> KB:
    """The real KB, or a temporary copy of it with more provider files."""
    if not extra:
        return load_kb(ROOT / "knowledge")
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="kb-extra-")) / "knowledge"
    shutil.copytree(ROOT / "knowledge", root)
    for path in extra:
        shutil.copy(path, root / "providers" / path.name)
    return load_kb(root)


def describe(kb: KB, reply: Reply) -> str:
    about = f"{reply.provider_id}/{reply.topic_id}"
    options = ", ".join(b.ask for b in reply.buttons[:6])
    return f"{reply.kind.value} {about}" + (f" [{options}]" if options else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="timing passes (default 20)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument(
        "--extra-provider",
        type=Path,
        action="append",
        default=[],
        help="a provider YAML added to a temporary copy of the KB (repeatable)",
    )
    args = parser.parse_args()

    kb = load_with(args.extra_provider)
    sets = load_questions(args.questions)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{platform.python_implementation()} {platform.python_version()}; "
        f"{len(kb.providers)} ISPs, {len(kb.topics)} topics"
    )
    first = "tuning set" if args.questions == QUESTIONS else f"{args.questions.name}"
    for title, questions in ((first, sets.questions), ("holdout set", sets.holdout)):
        if not questions:
            continue
        results = evaluate(kb, questions, args.rounds)
        print(f"\n{title}: {len(questions)} questions")
        for result in results.values():
            print(result.line())
        reader = results["reader"]
        kinds = Counter(q.kind for q in questions if q.kind)
        if kinds:
            right = Counter(q.kind for q, ok in zip(questions, reader.right, strict=True) if ok)
            print("reader by kind: " + ", ".join(f"{k} {right[k]}/{n}" for k, n in kinds.items()))
        misses = [q for q, ok in zip(questions, reader.right, strict=True) if not ok]
        if misses:
            print(f"reader misses ({len(misses)}):")
        for q in misses:
            expected = f"{'/'.join(q.isps) or '(ask)'} {'|'.join(sorted(q.topics))}"
            got = describe(kb, answer(kb, q.text, NOW))
            print(f"  {q.text!r}: expected {expected}; got {got}")

    held = [reader_abstains(answer(kb, a.text, NOW), a.expect) for a in sets.abstain]
    print(f"\nreader abstains where it must: {sum(held)}/{len(held)}")
    for a, ok in zip(sets.abstain, held, strict=True):
        if not ok:
            print(f"  {a.text!r}: expected {a.expect}; got {describe(kb, answer(kb, a.text, NOW))}")


if __name__ == "__main__":
    main()
