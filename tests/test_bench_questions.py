"""The labelled questions of bench/accuracy.py: a valid set, and the reader keeps its accuracy."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.answers.core import answer
from bot.knowledge.kb import KB

ROOT = Path(__file__).resolve().parent.parent


def _accuracy_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_accuracy", ROOT / "bench" / "accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


ACCURACY = _accuracy_module()
SETS = ACCURACY.load_questions()


def test_the_set_is_large_and_labelled_with_real_ids(real_kb: KB) -> None:
    assert len(SETS.questions) >= 150
    for question in [*SETS.questions, *SETS.holdout]:
        assert set(question.isps) <= set(real_kb.providers), question
        assert question.topics and question.topics <= set(real_kb.topics), question
        assert len(question.isps) != 1 or question.isps[0] in real_kb.providers
    texts = [q.text.casefold() for q in [*SETS.questions, *SETS.holdout]]
    assert len(texts) == len(set(texts)), "a question is repeated"
    kinds = {q.kind for q in SETS.questions}
    assert {"typo", "abbreviation", "no-isp", "two-isps", "former-name"} <= kinds


def test_the_reader_stays_accurate(real_kb: KB) -> None:
    for questions, floor in ((SETS.questions, 0.95), (SETS.holdout, 0.9)):
        right = [
            ACCURACY.reader_right(real_kb, q, answer(real_kb, q.text, ACCURACY.NOW))
            for q in questions
        ]
        misses = [q.text for q, ok in zip(questions, right, strict=True) if not ok]
        assert sum(right) / len(right) >= floor, misses


@pytest.mark.parametrize("item", SETS.abstain, ids=lambda a: a.text)
def test_the_reader_abstains(real_kb: KB, item: object) -> None:
    reply = answer(real_kb, item.text, ACCURACY.NOW)  # type: ignore[attr-defined]
    assert ACCURACY.reader_abstains(reply, item.expect)  # type: ignore[attr-defined]


def test_scoring_rules(real_kb: KB) -> None:
    question = ACCURACY.Question
    ask = question("qual o dns?", (), frozenset({"dns"}), "")
    assert ACCURACY.reader_right(real_kb, ask, answer(real_kb, ask.text, ACCURACY.NOW))
    wrong = question("qual o dns?", (), frozenset({"bloqueio"}), "")
    assert not ACCURACY.reader_right(real_kb, wrong, answer(real_kb, wrong.text, ACCURACY.NOW))
    both = question("dns da mutum ou da vmnet", ("mutum", "vmnet"), frozenset({"dns"}), "")
    assert ACCURACY.reader_right(real_kb, both, answer(real_kb, both.text, ACCURACY.NOW))
    only = question("dns da mutum ou da vmnet", ("mutum",), frozenset({"dns"}), "")
    assert not ACCURACY.reader_right(real_kb, only, answer(real_kb, only.text, ACCURACY.NOW))
    assert ACCURACY.pair_right(ask, ("lasernet", "dns"))  # baselines: any ISP when none named
    assert not ACCURACY.pair_right(only, ("vmnet", "dns"))
