"""Hot reload: all or nothing, one alert per bad version, the fix announced, watchfiles for real."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
from pathlib import Path

from bot.knowledge.kb import KBHolder, ParseCache, load_kb
from bot.knowledge.reload import Reloader, ReloadEvent, ReloadResult
from kbfactory import BETA, write_kb


def make(tmp_path: Path) -> tuple[Reloader, Path]:
    kb_dir = write_kb(tmp_path)
    return Reloader(KBHolder(load_kb(kb_dir)), kb_dir), kb_dir


def edit_beta(kb_dir: Path, text: str) -> None:
    (kb_dir / "providers" / "beta.yaml").write_text(text, encoding="utf-8")


def test_untouched_is_unchanged(tmp_path: Path) -> None:
    reloader, _ = make(tmp_path)
    assert reloader.reload_now().event is ReloadEvent.UNCHANGED


def test_good_edit_swaps_and_lists_changes(tmp_path: Path) -> None:
    reloader, kb_dir = make(tmp_path)
    old = reloader.holder.kb
    edit_beta(kb_dir, BETA.replace("10 dias", "12 dias"))
    result = reloader.reload_now()
    assert result.event is ReloadEvent.LOADED
    assert result.changes == ("Beta Fibra › tópico /bloqueio alterado",)
    assert reloader.holder.kb is not old
    assert reloader.holder.kb.providers["beta"].topics["bloqueio"].text == "Bloqueio com 12 dias."


def test_bad_edit_keeps_old_kb_and_alerts_once(tmp_path: Path) -> None:
    reloader, kb_dir = make(tmp_path)
    old = reloader.holder.kb
    edit_beta(kb_dir, BETA + "  bloqueio: duplicado\n")
    first = reloader.reload_now()
    assert first.event is ReloadEvent.BROKEN
    assert [str(p) for p in first.problems] == [
        "knowledge/providers/beta.yaml:10: chave repetida: 'bloqueio'"
    ]
    assert reloader.holder.kb is old
    assert reloader.reload_now().event is ReloadEvent.STILL_BROKEN
    edit_beta(kb_dir, BETA + "  outro: x\n")  # a different bad version: alerted again
    assert reloader.reload_now().event is ReloadEvent.BROKEN
    edit_beta(kb_dir, BETA.replace("10 dias", "11 dias"))
    fixed = reloader.reload_now()
    assert fixed.event is ReloadEvent.LOADED and fixed.fixed
    assert fixed.changes == ("Beta Fibra › tópico /bloqueio alterado",)


def test_vanished_directory_keeps_last_good_kb(tmp_path: Path) -> None:
    reloader, kb_dir = make(tmp_path)
    old = reloader.holder.kb
    kb_dir.rename(tmp_path / "moved")
    assert reloader.reload_now().event is ReloadEvent.BROKEN
    assert reloader.holder.kb is old


async def test_watch_reloads_after_a_real_edit(tmp_path: Path) -> None:
    reloader, kb_dir = make(tmp_path)
    seen: list[ReloadResult] = []
    got = asyncio.Event()

    async def listener(result: ReloadResult) -> None:
        seen.append(result)
        got.set()

    reloader.listeners.append(listener)
    stop = asyncio.Event()
    task = asyncio.create_task(reloader.watch(stop))
    await asyncio.sleep(0.5)  # let the watcher start
    edit_beta(kb_dir, BETA.replace("10 dias", "20 dias"))
    await asyncio.wait_for(got.wait(), timeout=15)
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    assert [r.changes for r in seen] == [("Beta Fibra › tópico /bloqueio alterado",)]
    assert reloader.holder.kb.providers["beta"].topics["bloqueio"].text == "Bloqueio com 20 dias."


def test_a_reload_parses_again_only_the_edited_file(tmp_path: Path, parses: list[str]) -> None:
    """The holder's parse cache: the first load fills it, a reload after one edit parses one
    file (bench/scale.py: a reload of 500 ISPs after one edit, against a full load)."""
    kb_dir = write_kb(tmp_path)
    cache = ParseCache()
    reloader = Reloader(KBHolder(load_kb(kb_dir, cache=cache), cache), kb_dir)
    loaded = len(parses)
    edit_beta(kb_dir, BETA.replace("10 dias", "12 dias"))
    assert reloader.reload_now().event is ReloadEvent.LOADED
    assert parses[loaded:] == [(kb_dir / "providers" / "beta.yaml").read_text(encoding="utf-8")]


# --------------------------------------------------------------------------- /versao, in pt-BR


def test_versao_says_the_commit_date_in_brasilia_and_labels_the_subject(tmp_path: Path) -> None:
    """QA: /versao showed git's raw ISO UTC date and an English subject as if the bot said it."""
    from bot.answers.reload import version_reply
    from bot.answers.render import to_plain
    from bot.knowledge.version import Version

    kb = load_kb(write_kb(tmp_path / "kb"))
    subject = "Catalogue: 'sumiu do chat', not 'sumiu' " + "and a long engineering tail " * 6
    version = Version("a" * 40, "2d2ecf6", "Sara", "2026-11-30T01:55:07+00:00", subject)
    shown = to_plain(version_reply(kb, version))
    assert "Commit 2d2ecf6 de 29/11/2026 às 22:55 (horário de Brasília), por Sara." in shown
    assert "T01:55" not in shown and "+00:00" not in shown and "data:" not in shown
    assert "Descrição do commit, como escrita no git: “Catalogue: 'sumiu do chat'" in shown
    assert "…”" in shown and "tail " * 6 not in shown  # a long subject is cut
    assert "Carregada em " in shown and " (horário de Brasília) · 2 provedores" in shown
    local = Version("a" * 40, "2d2ecf6", "Sara", "2026-11-30T01:55:07+00:00", "Beta", local=True)
    assert "sobre o commit 2d2ecf6 de 29/11/2026 às 22:55, descrito no git como “Beta”" in (
        to_plain(version_reply(kb, local))
    )


# --------------------------------------------------------------------------- memory


def scanned(obj: object) -> bool:
    """Does the cyclic garbage collector walk this object (frozen ones it never does)?"""
    return any(o is obj for o in gc.get_objects())


def test_the_bots_kb_is_kept_out_of_the_garbage_collectors_scans(
    tmp_path: Path, gc_unfrozen: None
) -> None:
    kb = load_kb(write_kb(tmp_path), prepare=True)
    assert scanned(kb)
    holder = KBHolder(kb, freeze_memory=True)
    assert not scanned(holder.kb)


FREED_IN_A_CYCLE = """
import sys, weakref
from pathlib import Path
sys.path.insert(0, "tests")
from test_reload import BETA, Reloader, KBHolder, ReloadEvent, edit_beta, load_kb, scanned, write_kb
kb_dir = write_kb(Path(sys.argv[1]))
reloader = Reloader(KBHolder(load_kb(kb_dir, prepare=True), freeze_memory=True), kb_dir)
first = reloader.holder.kb
first._derived[scanned] = first  # a cycle: reference counting alone never frees it
old = weakref.ref(first)
del first
edit_beta(kb_dir, BETA.replace("10 dias", "12 dias"))
assert reloader.reload_now().event is ReloadEvent.LOADED
print("freed" if old() is None else "kept", "scanned" if scanned(reloader.holder.kb) else "frozen")
"""


def test_a_reload_frees_the_old_frozen_kb_even_held_in_a_cycle(tmp_path: Path) -> None:
    """Frozen objects are freed by reference counting, never by the collector: a reload unfreezes
    the old KB so that one caught in a reference cycle still goes, then freezes the new one. (No
    gc.collect() in the scenario: the reload does it.) Run in a fresh interpreter: the collector's
    frozen generation and what earlier tests left in this worker are process-wide."""
    done = subprocess.run(
        [sys.executable, "-c", FREED_IN_A_CYCLE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["freed", "frozen"]


def test_a_reload_leaves_the_collector_alone_for_other_holders(tmp_path: Path) -> None:
    reloader, kb_dir = make(tmp_path)
    edit_beta(kb_dir, BETA.replace("10 dias", "12 dias"))
    assert reloader.reload_now().event is ReloadEvent.LOADED
    assert gc.get_freeze_count() == 0


def test_a_whole_isp_removed_is_held_until_a_supervisor_confirms(tmp_path: Path) -> None:
    """QA7 #23: deleting ``providers/netcenter.yaml`` (a bad ``git mv``) was a good reload: the
    group was told "provedor removido" and the ISP was gone. A deleted file has no ``reviewed:``
    to change (the shrink guard's sign of a deliberate edit): the supervisors confirm instead."""
    reloader, kb_dir = make(tmp_path)
    old = reloader.holder.kb
    (kb_dir / "providers" / "beta.yaml").unlink()
    held = reloader.reload_now()
    assert held.event is ReloadEvent.BROKEN
    assert [str(p) for p in held.problems] == [
        "knowledge/providers/beta.yaml: Beta Fibra sairia da base (arquivo do provedor apagado "
        "ou renomeado?): a versão em uso continua respondendo; se a remoção é intencional, um "
        "supervisor confirma com /recarregar"
    ]
    assert reloader.holder.kb is old and "beta" in reloader.holder.kb.providers
    assert reloader.reload_now().event is ReloadEvent.STILL_BROKEN  # the watcher again: held
    confirmed = reloader.reload_now(confirmed=True)  # /recarregar
    assert confirmed.event is ReloadEvent.LOADED and confirmed.fixed
    assert "beta" not in reloader.holder.kb.providers


def test_a_renamed_id_is_named_at_its_line(tmp_path: Path) -> None:
    """QA7 #23: "id 'beta2' difere do nome do arquivo" pointed at line 1; the id is on line 2."""
    reloader, kb_dir = make(tmp_path)
    assert BETA.startswith("id: beta\n")
    edit_beta(kb_dir, BETA.replace("id: beta\n", "id: beta\nid: beta2\n", 1))
    result = reloader.reload_now()
    assert "knowledge/providers/beta.yaml:2: id 'beta2' difere do nome do arquivo 'beta'" in [
        str(p) for p in result.problems
    ]
