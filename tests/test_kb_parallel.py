"""The first load of a large KB parses part of its files in a second process (bot.knowledge.yamlworker):
the same KB, the same problems and lines as parsing everything here, and a failing second process
costs only time. The threshold is lowered so that the tiny KBs of the tests take that path."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_DIR

from bot.knowledge import kb as kb_module
from bot.knowledge import yamlworker
from bot.knowledge.kb import KB, KBError, ParseCache, load_kb
from kbfactory import ALFA, BETA, write_kb


@pytest.fixture
def parsed_here(monkeypatch: pytest.MonkeyPatch, parses: list[str]) -> list[str]:
    """Two CPUs, any size taken in two processes; the texts this process parses, in order."""
    monkeypatch.setattr(kb_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(kb_module, "_cpus", lambda: 2)
    return parses


def dump(kb: KB) -> dict[str, Any]:
    return {pid: p.model_dump() for pid, p in kb.providers.items()}


def problems(kb_dir: Path, cache: ParseCache | None = None) -> list[str]:
    with pytest.raises(KBError) as caught:
        load_kb(kb_dir, cache=cache)
    return [str(p) for p in caught.value.problems]


def test_the_real_kb_loads_the_same_in_two_processes(
    tmp_path: Path, parsed_here: list[str]
) -> None:
    kb_dir = tmp_path / "knowledge"
    shutil.copytree(KB_DIR, kb_dir)
    cache = ParseCache()
    both = load_kb(kb_dir, cache=cache)
    files = sorted((kb_dir / "providers").glob("*.yaml"))
    here = len(parsed_here)
    assert 1 < here < len(files) + 1  # topics and some providers here, the rest elsewhere
    assert len(cache) == len(files) + 1  # the other process's files are cached too
    kb_module.PARALLEL_MIN_BYTES = 1 << 62  # (restored by monkeypatch)
    assert dump(both) == dump(load_kb(kb_dir))
    load_kb(kb_dir, cache=cache)  # a reload: all from the cache, no second process
    assert len(parsed_here) == here + len(files) + 1  # the one-process load above, only


def test_a_load_without_a_cache_takes_the_second_process_too(
    tmp_path: Path, parsed_here: list[str]
) -> None:
    kb = load_kb(write_kb(tmp_path))
    assert sorted(kb.providers) == ["alfa", "beta"]
    assert (
        len(parsed_here) == 1
    )  # the topics here; alfa and beta (whole files, up to 45 % and past it) elsewhere


def test_problems_found_in_the_second_process_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beta (the last file, the second process's) with a repeated key, then broken YAML (which the
    second process leaves to this one): the same lines either way."""
    repeated = write_kb(tmp_path / "a", {"alfa": ALFA, "beta": BETA + "  dns: outra coisa\n"})
    broken = write_kb(tmp_path / "b", {"alfa": ALFA, "beta": BETA + "topics: [unclosed\n"})
    alone = [problems(repeated), problems(broken)]
    monkeypatch.setattr(kb_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(kb_module, "_cpus", lambda: 2)
    assert [problems(repeated), problems(broken)] == alone
    assert alone[0] == ["knowledge/providers/beta.yaml:10: chave repetida: 'dns'"]
    assert "YAML inválido" in alone[1][0]


@pytest.mark.parametrize(
    ("command", "logged"),
    [
        ([sys.executable, "-c", "import sys; sys.exit(3)"], "the YAML worker failed (3)"),
        ([sys.executable, "-c", "print('not a pickle')"], "answer is unreadable"),
        (["/nonexistent/python3"], "could not start the YAML worker"),
    ],
)
def test_a_failing_second_process_costs_only_time(
    tmp_path: Path,
    parsed_here: list[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    command: list[str],
    logged: str,
) -> None:
    monkeypatch.setattr(kb_module, "WORKER_COMMAND", command)
    with caplog.at_level(logging.WARNING, logger="bot.knowledge.kb"):
        kb = load_kb(write_kb(tmp_path))
    assert sorted(kb.providers) == ["alfa", "beta"]
    assert len(parsed_here) == 3  # everything here
    assert logged in caplog.text


def test_no_second_process_on_one_cpu_or_for_a_small_kb(
    tmp_path: Path, parsed_here: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    kb_dir = write_kb(tmp_path)
    monkeypatch.setattr(kb_module, "_cpus", lambda: 1)
    load_kb(kb_dir)
    monkeypatch.setattr(kb_module, "_cpus", lambda: 2)
    monkeypatch.setattr(kb_module, "PARALLEL_MIN_BYTES", 2_000_000)  # the real value
    load_kb(kb_dir)
    assert len(parsed_here) == 6  # two loads, three files each, all here


def test_the_worker_skips_what_it_cannot_parse(tmp_path: Path) -> None:
    good, broken, missing = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"
    good.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    broken.write_text("a: [\n", encoding="utf-8")
    [(name, digest, pickled, repeated)] = yamlworker.parse_files(
        [str(good), str(broken), str(missing)]
    )
    assert name == str(good) and repeated == [(3, "a")]
    assert digest == yamlworker.digest(good.read_text(encoding="utf-8"))
    import pickle

    assert pickle.loads(pickled) == {"a": 3, "b": 2}


def test_what_the_second_process_parses_goes_to_the_cache_given(
    tmp_path: Path, parsed_here: list[str]
) -> None:
    kb_dir = write_kb(tmp_path)
    files = sorted((kb_dir / "providers").glob("*.yaml"))
    cache = ParseCache()  # empty
    elsewhere, used = kb_module._parse_elsewhere(files, cache)
    assert elsewhere is not None and used is cache
    elsewhere.collect(cache, lambda p: p)
    assert len(cache) == len(elsewhere.paths) > 0
