"""Health and metrics (bot.app.health, bot.app.metrics): the report's rules, the server, the
port check. The real ``upcall-bot run`` serving them: tests/test_e2e.py."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import subprocess
import threading
from pathlib import Path

import aiohttp
import pytest
from conftest import make_settings

from bot.answers.reply import ReplyKind
from bot.app import metrics
from bot.app.health import (
    FAILING_AFTER,
    DoorHealth,
    Health,
    note_kb,
    port_problem,
    start_server,
)
from bot.knowledge.kb import load_kb
from bot.knowledge.reload import ReloadEvent
from handlers import runner
from kbfactory import write_kb

T0 = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def loaded(health: Health) -> Health:
    health.kb_loaded("abc1234", T0, 5)
    return health


def test_healthy_once_the_kb_is_loaded_and_each_door_answered() -> None:
    health = Health()
    health.expect("telegram")
    ok, body = health.report(T0)
    assert not ok
    assert body["problems"] == ["knowledge base not loaded", "telegram: no successful call yet"]
    loaded(health)
    health.api_ok("telegram", T0)
    ok, body = health.report(T0)
    assert ok and body["status"] == "ok"
    assert body["kb"] == {
        "version": "abc1234",
        "loaded_at": T0.isoformat(),
        "providers": 5,
        "uncommitted": None,
    }
    assert body["doors"]["telegram"]["last_ok"] == T0.isoformat()


def test_a_door_failing_for_a_minute_is_unhealthy_until_a_call_goes_through() -> None:
    health = loaded(Health())
    health.api_ok("telegram", T0)
    health.api_failed("telegram", "http:401", T0 + dt.timedelta(seconds=1))
    assert health.report(T0 + dt.timedelta(seconds=30))[0]  # a blip is not an outage
    ok, body = health.report(T0 + dt.timedelta(seconds=1) + FAILING_AFTER)
    assert not ok and body["problems"][0].startswith("telegram: calls failing since")
    assert body["doors"]["telegram"]["error"] == "http:401"
    health.api_ok("telegram", T0 + dt.timedelta(minutes=3))
    assert health.report(T0 + dt.timedelta(minutes=3))[0]


def _git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "S", "GIT_AUTHOR_EMAIL": "s@example.com", "HOME": str(cwd)}
    env |= {"GIT_COMMITTER_NAME": "S", "GIT_COMMITTER_EMAIL": "s@example.com"}
    env["PATH"] = "/usr/bin:/bin:/usr/local/bin"
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=env, timeout=30
    )
    return done.stdout.strip()


def test_healthz_marks_a_local_edit_of_the_kb(tmp_path: Path) -> None:
    """The bot's announcement says "Alteração local, sem commit" for a KB edited and not
    committed; /healthz said only the commit, as if its text were what answers."""
    kb_dir = write_kb(tmp_path / "repo")
    _git(tmp_path / "repo", "init", "-q", "-b", "main")
    _git(tmp_path / "repo", "add", ".")
    _git(tmp_path / "repo", "commit", "-q", "-m", "Base")
    short = _git(tmp_path / "repo", "rev-parse", "--short", "HEAD")
    health = Health()
    note_kb(load_kb(kb_dir), health)
    kb = health.report(T0)[1]["kb"]
    assert (kb["version"], kb["uncommitted"]) == (short, False)
    beta = kb_dir / "providers" / "beta.yaml"
    beta.write_text(beta.read_text("utf-8").replace("10 dias", "12 dias"), "utf-8")
    note_kb(load_kb(kb_dir), health)  # as the reload after the edit does
    kb = health.report(T0)[1]["kb"]
    assert (kb["version"], kb["uncommitted"]) == (short, True)
    assert health.report(T0)[1]["kb"]["uncommitted"] is True  # found once, kept
    outside = Health()
    note_kb(load_kb(write_kb(tmp_path / "plain")), outside)
    kb = outside.report(T0)[1]["kb"]
    assert (kb["version"], kb["uncommitted"]) == (None, None)


def test_next_notice_is_reported() -> None:
    health = loaded(Health())
    health.notice_planned(T0 + dt.timedelta(hours=2))
    assert health.report(T0)[1]["next_notice"] == (T0 + dt.timedelta(hours=2)).isoformat()


def test_failures_are_counted_in_the_metrics() -> None:
    sample = ("upcall_api_errors_total", {"door": "test", "error": "network:X"})
    before = metrics.REGISTRY.get_sample_value(*sample) or 0
    Health().api_failed("test", "network:X")
    assert metrics.REGISTRY.get_sample_value(*sample) == before + 1


def test_metric_hooks() -> None:
    def value(name: str, **labels: str) -> float:
        return metrics.REGISTRY.get_sample_value(name, labels) or 0.0

    before = (
        value("upcall_questions_total", door="t"),
        value("upcall_answers_total", door="t", kind="no_info"),
        value("upcall_gaps_total", door="t"),
        value("upcall_notices_sent_total", door="t"),
        value("upcall_notices_late_total", door="t"),
        value("upcall_kb_reloads_total", result="broken"),
    )
    metrics.answered("t", "no_info", gap=True)
    metrics.notice_posted("t", late=True)
    metrics.notice_posted("t", late=False)
    metrics.reloaded("broken")
    after = (
        value("upcall_questions_total", door="t"),
        value("upcall_answers_total", door="t", kind="no_info"),
        value("upcall_gaps_total", door="t"),
        value("upcall_notices_sent_total", door="t"),
        value("upcall_notices_late_total", door="t"),
        value("upcall_kb_reloads_total", result="broken"),
    )
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1, 1, 2, 1, 1]


async def test_the_server_answers_healthz_and_metrics() -> None:
    health = Health()
    health.expect("telegram")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    runner = await start_server("127.0.0.1", port, health)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 503
                assert json.loads(await response.text())["status"] == "unhealthy"
            loaded(health).api_ok("telegram")
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 200
            async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
                assert response.status == 200
                assert "# TYPE upcall_questions_total counter" in await response.text()
    finally:
        await runner.cleanup()


def test_a_port_in_use_is_one_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        line = port_problem("127.0.0.1", port)
        assert line is not None and "\n" not in line
        assert f"A porta {port} de 127.0.0.1 já está em uso" in line and "HEALTH_PORT=0" in line
        with pytest.raises(SystemExit) as exited:
            runner.run(make_settings(health_port=port))
        assert exited.value.code == line
    assert port_problem("127.0.0.1", port) is None


@pytest.mark.parametrize(
    ("status", "works"),
    [(200, True), (400, True), (429, True), (401, False), (409, False), (502, False)],
)
def test_how_telegram_answered_tells_whether_the_door_works(status: int, works: bool) -> None:
    from handlers.telegram import transport

    state = transport.HEALTH.doors.setdefault("telegram", DoorHealth())
    transport.HEALTH.api_ok("telegram")
    transport._note_status(status)
    assert (state.failing_since is None) == works
    transport.HEALTH.api_ok("telegram")  # as the next good call would


async def test_the_kb_version_is_found_off_the_event_loop_and_outside_the_lock() -> None:
    """The first /healthz after a load runs ``git log``: a slow one must not stall the loop (or
    the hooks, which take the lock) meanwhile."""
    health = Health()
    running, release, done = threading.Event(), threading.Event(), threading.Event()

    def slow_git() -> str:
        running.set()
        release.wait(10)  # a ceiling: the test releases it
        done.set()
        return "abc1234"

    health.kb_loaded(slow_git, T0, 5)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    runner = await start_server("127.0.0.1", port, health)
    try:
        async with aiohttp.ClientSession() as session:
            request = asyncio.create_task(session.get(f"http://127.0.0.1:{port}/healthz"))
            # The request is being served, git running: run on the loop, git would hold it
            # (and this wait) until its ceiling.
            assert await asyncio.to_thread(running.wait, 10)
            health.api_ok("telegram")  # a hook on the loop: takes the lock
            assert not done.is_set()  # it did not wait for git
            release.set()
            async with await request as response:
                assert json.loads(await response.text())["kb"]["version"] == "abc1234"
    finally:
        release.set()
        await runner.cleanup()


def test_known_series_exist_at_zero_from_the_start() -> None:
    def exists(name: str, **labels: str) -> bool:
        return metrics.REGISTRY.get_sample_value(name, labels) is not None

    for door in ("telegram", "whatsapp", "console"):
        assert exists("upcall_questions_total", door=door)
        assert exists("upcall_gaps_total", door=door)
        assert exists("upcall_notices_sent_total", door=door)
        assert exists("upcall_notices_failed_total", door=door)
        for kind in ReplyKind:
            assert exists("upcall_answers_total", door=door, kind=kind.value), kind
    for event in ReloadEvent:
        assert exists("upcall_kb_reloads_total", result=event.value), event


def test_no_metric_hook_ever_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def labels(self, *_labels: str) -> Broken:
            raise ValueError("broken")

        def set(self, _value: float) -> None:
            raise ValueError("broken")

    for name in (
        "QUESTIONS", "ANSWERS", "GAPS", "NOTICES_SENT", "NOTICES_LATE", "NOTICES_FAILED",
        "RELOADS", "API_ERRORS", "KB_PROVIDERS", "KB_LOADED",
    ):  # fmt: skip
        monkeypatch.setattr(metrics, name, Broken())
    metrics.answered("telegram", "answer", gap=True)
    metrics.notice_posted("telegram", late=True)
    metrics.notice_failed("telegram")
    metrics.reloaded("loaded")
    metrics.api_error("telegram", "http:500")
    metrics.kb_loaded(5, 0.0)
