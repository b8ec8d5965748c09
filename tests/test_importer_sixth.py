"""The unseen document: a sixth ISP (tests/data/sixth, written without reading the importer)
imported untouched into a copy of the KB, validated, and its kb-test cases run.

The floor is what the importer scored when the document was first imported (docs/import.md).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.knowledge.importer import import_document
from bot.knowledge.kb import load_kb
from bot.knowledge.regression import describe_failure, run_suites

ROOT = Path(__file__).resolve().parent.parent
SIXTH = ROOT / "tests" / "data" / "sixth"
FLOOR = 45 / 53
"""Share of the cases answered right by the untouched draft, as measured (see docs/import.md)."""


def test_the_unseen_document_imports_into_a_kb_that_answers_its_cases(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", kb)
    import_document(
        SIXTH / "novarede.txt", kb_dir=kb, seeds_dir=tmp_path / "seeds", provider_id="novarede"
    )
    loaded = load_kb(kb)
    assert "novarede" in loaded.providers
    now = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    outcomes, problems = run_suites(loaded, [SIXTH / "novarede_cases.yaml"], now)
    assert not problems
    passed = sum(o.passed for o in outcomes)
    share = passed / len(outcomes)
    print(f"\nsixth document: {passed}/{len(outcomes)} cases right ({share:.1%})")
    for outcome in outcomes:
        if not outcome.passed:
            print(describe_failure(outcome).splitlines()[0])
    assert share >= FLOOR
