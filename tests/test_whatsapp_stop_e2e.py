"""SIGTERM with Evolution unreachable (issue 14): the real process (``python -m bot run``, WhatsApp
only) against the fake Evolution API, the gateway refusing connections or holding every call
while an answer is being sent or a notice is due. The process ends within :data:`STOP_BOUND`, with
no traceback, and a notice cut short is not marked sent: the next process posts it.

Needs the posting service (``bot.posting``); skipped without.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("bot.posting")

from test_posting_e2e import agora_kb
from test_whatsapp_e2e import BOT_COMMAND, STARTUP_TIMEOUT, clean_env, wait_listening, whatsapp_env

from fake_evolution_api import AGENT, API_KEY, GROUP_JID, JWT_KEY, FakeEvolution, free_port

STOP_BOUND = 8.0
"""Seconds a SIGTERM may take with Evolution away: within ``docker stop``'s 10 s."""
HELD = 60.0
"""Seconds the fake holds a call that 'never answers'."""


def _wait(what: str, done: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _sent(state: Path) -> dict[str, dict[str, str]]:
    if not state.exists():
        return {}
    doors: dict[str, dict[str, str]] = json.loads(state.read_text("utf-8"))["doors"]
    return doors


def _held(evolution: FakeEvolution) -> bool:
    return any(not c.done for c in evolution.calls_to("sendText"))


@pytest.mark.parametrize("gateway", ["refusing", "not answering"])
@pytest.mark.parametrize("sending", ["notice", "answer"])
def test_sigterm_with_evolution_unreachable_ends_quickly(
    tmp_path: Path, gateway: str, sending: str
) -> None:
    kb_dir, _key = agora_kb(tmp_path)
    state = tmp_path / "state" / "notices.json"
    port = free_port()
    log_path = tmp_path / "bot.log"
    with FakeEvolution() as evolution:
        evolution.set_webhook(f"http://127.0.0.1:{port}/whatsapp")
        env = clean_env() | whatsapp_env(evolution, port)
        env |= {
            "KB_DIR": str(kb_dir),
            "NOTICE_STATE_FILE": str(state),
            "NOTICE_LEAD_MINUTES": "0",
            "NOTICE_GRACE_MINUTES": "30",
            "WHATSAPP_NOTICE_GROUP_ID": GROUP_JID if sending == "notice" else "",
        }
        if gateway == "not answering":
            evolution.fail_next("sendText", 502, times=5, delay=HELD)
        elif sending == "notice":
            evolution.down()  # refused from the start: the notice is retried
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                BOT_COMMAND, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            assert wait_listening(port, process, STARTUP_TIMEOUT), log_path.read_text()
            if sending == "answer":
                evolution.wait_for("fetchAllGroups", timeout=STARTUP_TIMEOUT)
                if gateway == "refusing":
                    evolution.down()
                assert evolution.group_text(GROUP_JID, AGENT, "/dns agora") == 200
            if gateway == "not answering":
                _wait("a held sendText", lambda: _held(evolution))
            else:
                time.sleep(1.0)  # the bot meets the refusals and retries
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
                code = -9
            took = time.monotonic() - started
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=5)
        output = log_path.read_text(errors="replace")
        print(f"stop {sending} {gateway}: {took:.2f} s")
        assert code == 0, output
        assert "Traceback" not in output, output
        assert API_KEY not in output and JWT_KEY not in output
        assert took < STOP_BOUND, f"{took:.1f} s\n{output}"
        if sending == "notice":
            assert "not posted to whatsapp" in output, output
            assert not _sent(state).get("whatsapp"), output  # the next process posts it
            evolution.faults.clear()
            evolution.up()
            with log_path.open("wb") as log:
                again = subprocess.Popen(
                    BOT_COMMAND, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
                )
            try:
                _wait("the notice posted by the next process", lambda: bool(_sent(state)))
                _wait("the notice marked", lambda: bool(_sent(state).get("whatsapp")))
            finally:
                again.send_signal(signal.SIGTERM)
                again.wait(timeout=15)
            assert sum("Agora Net" in t for t in evolution.sent_texts(GROUP_JID)) == 1
