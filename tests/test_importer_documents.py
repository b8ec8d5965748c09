"""Documents the importer's authors did not write: each made-up ISP (tests/data/<n>/, written
by someone who read only the five seeds, never the importer) is imported untouched into a copy
of the KB, validated, and its kb-test cases (written from the document alone) are run.

* sixth (Nova Rede Telecom, Acre GMT-5): 45/53 (84.9 %) on first sight; its misses prompted
  fixes (table rows and a table under a heading stay with their block, branch names stay in
  their answer, a porta topic from the table's port column, sector rows, "véspera de
  feriado", "é a antiga X", callers named before "ligam por engano"): 49/53, then 51/53 with
  the reader's second round and the seventh's rules, 52/53 with the third. A development document now.
* seventh (Mais Fibra Net, Mato Grosso GMT-4): 44/54 (81.5 %) on first sight; its misses
  prompted the rules in tests/test_importer_rules.py: 47/54 (87.0 %), then 49/54 (90.7 %) with
  the eighth's round, 53/54 with the reader's third round (issue 12). A development document now.
* eighth (Super Link Fibra, Rondônia GMT-4): written while the seventh's rules were made and
  kept from their author; imported once by the frozen importer (39dea93): 32/42 (76.2 %), the
  honest first-sight figure. Its misses were then studied (general rules, each unit-tested on a
  made-up snippet in tests/test_importer_rules.py): 38/42 (90.5 %), 39/42 with the reader's
  third round. A development document now;
  the sealed ninth measures generalisation.

* ninth (Gameleira Fibra, Acre GMT-5, former name Seringal Net): written by someone who read
  only the five seeds and kept sealed from the importer's and reader's authors while the eighth's
  round was made; imported untouched once by main at 1e24b18: 50/64 (78.1 %), and once by the
  merge of that round (c84471d): 55/64 (85.9 %). Opened after that to study its misses: a
  development document from then on (a tenth, sealed, measures generalisation). The ninth's
  rules (tests/test_importer_rules.py): 62/64 (96.9 %); with them the eighth answers 40/42.

* tenth (Mandacaru Telecom, Patos - PB, GMT-3, former name PatosNet): written by someone who
  read only the five seeds and kept sealed while the ninth's round was made; imported untouched
  once by main at 0771c95: 63/72 (87.5 %), and once by the merge of the ninth's round
  (8b6e930): 64/72 (88.9 %), below the 90 % goal. Opened after that: a development document
  from then on (an eleventh, sealed, measures generalisation). The tenth's rules
  (tests/test_importer_rules.py): 69/72 (95.8 %); the other documents unchanged.

* eleventh (Capim Dourado Fibra, Palmas - TO, GMT-3, former name TOCNET INTERNET): written by
  someone who read only the five seeds, sealed while the ninth's and tenth's rounds were made,
  and never opened by the importer's or the reader's authors; imported untouched by main at
  8b6e930: 55/61 (90.2 %), with `--id` or with the id the importer makes; docs/import.md has the
  run on the session's final main. The honest figure for an unseen document.

Each floor is the last measured figure (docs/import.md), so a change that makes any of them
worse fails here.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.knowledge.importer import import_document
from bot.knowledge.kb import load_kb
from bot.knowledge.regression import describe_failure, run_suites

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


@pytest.mark.parametrize(
    ("folder", "provider_id", "passed_at_least", "cases"),
    [
        ("sixth", "novarede", 52, 53),
        ("seventh", "maisfibra", 53, 54),
        ("eighth", "superlink", 40, 42),
        ("ninth", "gameleira", 62, 64),
        # 68: "sexta 19h a upcall já pega a mandacaru?" expects the seed's "somente transbordo",
        # which the yes/no coverage reply no longer repeats (QA7 #6); its verdict says "UPCALL
        # só transbordo até às 22:00" and the day's windows "19:00–22:00 (só transbordo)".
        ("tenth", "mandacaru", 68, 72),
        ("eleventh", "capimdourado", 55, 61),
    ],
)
def test_a_document_imports_into_a_kb_that_answers_its_cases(
    tmp_path: Path, folder: str, provider_id: str, passed_at_least: int, cases: int
) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", kb)
    source = DATA / folder
    import_document(
        source / f"{provider_id}.txt",
        kb_dir=kb,
        seeds_dir=tmp_path / "seeds",
        provider_id=provider_id,
    )
    loaded = load_kb(kb)
    assert provider_id in loaded.providers
    now = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    outcomes, problems = run_suites(loaded, [source / f"{provider_id}_cases.yaml"], now)
    assert not problems
    assert len(outcomes) == cases
    passed = sum(o.passed for o in outcomes)
    print(f"\n{folder} document: {passed}/{len(outcomes)} cases right ({passed / cases:.1%})")
    for outcome in outcomes:
        if not outcome.passed:
            print(describe_failure(outcome).splitlines()[0])
    assert passed >= passed_at_least
