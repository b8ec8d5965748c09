"""Knowledge in git: KB_GIT_PULL_SECONDS pulls and reloads, and the changelog names the commit."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path

import pytest

from bot.answers.reload import changelog_reply
from bot.answers.render.plain import to_plain
from bot.knowledge.kb import KBHolder, load_kb
from bot.knowledge.reload import Reloader, ReloadEvent, ReloadResult
from kbfactory import BETA, write_kb


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
        env={
            "GIT_AUTHOR_NAME": "Sara Supervisora",
            "GIT_AUTHOR_EMAIL": "sara@example.com",
            "GIT_COMMITTER_NAME": "Sara Supervisora",
            "GIT_COMMITTER_EMAIL": "sara@example.com",
            "HOME": str(cwd),
            "PATH": "/usr/bin:/bin:/usr/local/bin",
        },
    )
    return done.stdout.strip()


def repos(tmp_path: Path) -> tuple[Path, Path]:
    """An upstream repository with a KB, and the bot's clone of it."""
    upstream = tmp_path / "upstream"
    write_kb(upstream)
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", ".")
    git(upstream, "commit", "-q", "-m", "Base inicial")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    return upstream, clone


def supervisor_commits(upstream: Path) -> str:
    path = upstream / "knowledge" / "providers" / "beta.yaml"
    path.write_text(BETA.replace("10 dias", "25 dias"), encoding="utf-8")
    git(upstream, "commit", "-q", "-am", "Beta: bloqueio com 25 dias")
    return git(upstream, "rev-parse", "--short", "HEAD")


async def test_pull_loop_reloads_and_names_the_commit(tmp_path: Path) -> None:
    upstream, clone = repos(tmp_path)
    kb_dir = clone / "knowledge"
    seen: list[ReloadResult] = []
    got = asyncio.Event()

    async def listener(result: ReloadResult) -> None:
        seen.append(result)
        got.set()

    reloader = Reloader(KBHolder(load_kb(kb_dir)), kb_dir, [listener])
    assert reloader.version is not None and reloader.version.subject == "Base inicial"
    short = supervisor_commits(upstream)
    stop = asyncio.Event()
    task = asyncio.create_task(reloader.pull_forever(0.2, stop))
    await asyncio.wait_for(got.wait(), timeout=20)
    stop.set()
    await asyncio.wait_for(task, timeout=10)

    [result] = seen
    assert result.event is ReloadEvent.LOADED
    assert result.changes == ("Beta Fibra › tópico /bloqueio alterado",)
    assert result.version is not None and result.version.short == short
    assert reloader.holder.kb.providers["beta"].topics["bloqueio"].text == "Bloqueio com 25 dias."
    reply = changelog_reply(result)
    assert reply is not None
    post = to_plain(reply)
    assert f"Commit {short} de Sara Supervisora: Beta: bloqueio com 25 dias" in post


async def test_nothing_upstream_nothing_reloaded(tmp_path: Path) -> None:
    _, clone = repos(tmp_path)
    kb_dir = clone / "knowledge"
    calls: list[ReloadResult] = []

    async def listener(result: ReloadResult) -> None:
        calls.append(result)

    reloader = Reloader(KBHolder(load_kb(kb_dir)), kb_dir, [listener])
    stop = asyncio.Event()
    task = asyncio.create_task(reloader.pull_forever(0.1, stop))
    await asyncio.sleep(1.0)
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    assert calls == []


def test_an_uncommitted_edit_is_announced_as_local_not_credited_to_the_last_commit(
    tmp_path: Path,
) -> None:
    """A supervisor edits the clone the bot reads and does not commit: the announcement credited
    the last commit ("Commit 8650a78 … <its subject>"), someone else's change. It says the change
    is local and uncommitted; once committed, it names that commit."""
    from bot.answers.reload import version_reply

    _, clone = repos(tmp_path)
    kb_dir = clone / "knowledge"
    reloader = Reloader(KBHolder(load_kb(kb_dir)), kb_dir, [])
    path = kb_dir / "providers" / "beta.yaml"
    path.write_text(BETA.replace("10 dias", "25 dias"), encoding="utf-8")
    result = reloader.reload_now()
    assert result.event is ReloadEvent.LOADED
    reply = changelog_reply(result)
    assert reply is not None
    shown = to_plain(reply)
    assert "Alteração local, sem commit." in shown
    assert "Base inicial" not in shown and "Commit " not in shown
    versao = to_plain(version_reply(reloader.holder.kb))
    assert "Alteração local, sem commit (sobre o commit" in versao
    git(clone, "commit", "-q", "-am", "Beta: bloqueio com 25 dias")
    assert "Commit " in to_plain(version_reply(reloader.holder.kb))
    assert "sem commit" not in to_plain(version_reply(reloader.holder.kb))
    # An ignored file beside the KB (an import report) is no local change.
    (kb_dir / "providers" / "x.import.txt").write_text("relatório\n", encoding="utf-8")
    (clone / ".git" / "info" / "exclude").write_text("*.import.txt\n", encoding="utf-8")
    assert "sem commit" not in to_plain(version_reply(reloader.holder.kb))


def test_versao_runs_git_again_only_when_something_git_reads_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/versao ran two git processes at every call (0.1-0.15 s); it reads them again only after
    a change in the repository (a commit, the index) or under the KB directory."""
    from bot.knowledge import version

    _, clone = repos(tmp_path)
    kb_dir = clone / "knowledge"
    runs: list[Path] = []
    real = version.git_version

    def counting(directory: Path) -> version.Version | None:
        runs.append(directory)
        return real(directory)

    monkeypatch.setattr(version, "git_version", counting)
    # Files written in the index's second are "racily clean": git status hashes them and writes
    # the index again at every call, until a later second. Files an hour old are not.
    for path in clone.rglob("*"):
        if ".git" not in path.parts:
            os.utime(path, (time.time() - 3600, time.time() - 3600))
    first = version.current_version(kb_dir)
    assert first is not None and first.subject == "Base inicial" and not first.local
    version.current_version(kb_dir)  # settled: git status may have refreshed its index once
    settled = len(runs)
    for _ in range(3):
        assert version.current_version(kb_dir) == first
    assert len(runs) == settled

    path = kb_dir / "providers" / "beta.yaml"
    path.write_text(BETA.replace("10 dias", "25 dias"), encoding="utf-8")
    edited = version.current_version(kb_dir)
    assert edited is not None and edited.local
    git(clone, "commit", "-q", "-am", "Beta: bloqueio com 25 dias")
    committed = version.current_version(kb_dir)
    assert committed is not None and not committed.local
    assert committed.subject == "Beta: bloqueio com 25 dias"
    (kb_dir / "providers" / "novo.txt").write_text("rascunho\n", encoding="utf-8")
    drafted = version.current_version(kb_dir)
    assert drafted is not None and drafted.local
    (clone / ".git" / "info" / "exclude").write_text("*.txt\n", encoding="utf-8")
    ignored = version.current_version(kb_dir)
    assert ignored is not None and not ignored.local


def test_versao_outside_git_says_so(tmp_path: Path) -> None:
    from bot.knowledge.version import current_version

    assert current_version(write_kb(tmp_path / "solto")) is None
