"""What the bot posts on its own, through the real process (``python -m bot run``) and the fake
Bot API on 127.0.0.1: start-up failures in one line, a damaged notice state, deletions across a
restart, SIGTERM while a notice is being sent, a notice group that became a supergroup.

The KB is a tiny one whose only ISP's coverage opened two minutes ago: its notice is due (late,
within the grace) the moment the bot starts, whatever the time the suite runs.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_e2e import BOT_COMMAND, STARTUP_TIMEOUT, _env

from fake_bot_api import (
    AGENT,
    GROUP,
    SUPERVISOR,
    TOKEN,
    ApiCall,
    FakeBotApiServer,
    Updates,
    plain_text,
)
from handlers.telegram import channel
from kbfactory import write_kb

SP = ZoneInfo("America/Sao_Paulo")
NOTICE_CHAT = -1002000000002
SUPERGROUP = -1002000000099
SETTLE = 1.0
"""After the start: time for a notice that should not be posted to show up."""


def agora_kb(root: Path) -> tuple[Path, str]:
    """A KB whose ISP "Agora Net" opened two minutes ago, for an hour; and that notice's key."""
    opened = dt.datetime.now(SP).replace(second=0, microsecond=0) - dt.timedelta(minutes=2)
    closes = opened + dt.timedelta(hours=1)
    provider = f"""\
        id: agora
        name: Agora Net
        timezone: America/Sao_Paulo
        state: SP
        reviewed: 2026-01-01
        topics:
          dns: "Primário 10.9.9.9"
          senha:
            text: Não informar ao cliente.
        equipment:
          - model: "W5-1200G"
            login: admin
            passwords: ["Segredo1@"]
        coverage:
          timezone: America/Sao_Paulo
          windows:
            - days: [mon, tue, wed, thu, fri, sat, sun]
              start: "{opened:%H:%M}"
              end: "{closes:%H:%M}"
              mode: full
        """
    kb_dir = write_kb(root, {"agora": provider})
    key = f"agora:open:{opened.astimezone(dt.UTC).isoformat()}:main"
    return kb_dir, key


@dataclass
class Run:
    process: subprocess.Popen[bytes]
    log_path: Path

    def wait(self, timeout: float = 60) -> tuple[int, str]:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        return self.process.returncode, self.log_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.wait()


@dataclass
class Bot:
    server: FakeBotApiServer
    workdir: Path
    env: dict[str, str]
    state: Path
    runs: int = 0

    def start(self, wait_polling: bool = True) -> Run:
        self.runs += 1
        log_path = self.workdir / f"run{self.runs}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                BOT_COMMAND, cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        run = Run(process, log_path)
        if wait_polling:
            mark = len(self.server.api.calls_to("getUpdates"))
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while len(self.server.api.calls_to("getUpdates")) <= mark:
                if process.poll() is not None or time.monotonic() > deadline:
                    code, output = run.stop()
                    pytest.fail(f"the bot did not start polling (exit {code}):\n{output}")
                time.sleep(0.02)
        return run

    def notices(self, chat_id: int = NOTICE_CHAT) -> list[ApiCall]:
        return [
            c
            for c in self.server.api.calls_to("sendMessage")
            if c["chat_id"] == chat_id and "Agora Net" in c.get("text", "") and c.done
        ]

    def sent(self) -> dict[str, dict[str, str]]:
        if not self.state.exists():
            return {}
        doors: dict[str, dict[str, str]] = json.loads(self.state.read_text("utf-8"))["doors"]
        return doors


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Bot]:
    kb_dir, _key = agora_kb(tmp_path)
    state = tmp_path / "state" / "notices.json"
    with FakeBotApiServer() as server:
        env = _env(server)
        env.update(
            KB_DIR=str(kb_dir),
            NOTICE_CHAT_ID=str(NOTICE_CHAT),
            NOTICE_STATE_FILE=str(state),
            NOTICE_LEAD_MINUTES="0",
            NOTICE_GRACE_MINUTES="30",
            AUDIT_FILE=str(tmp_path / "state" / "audit.jsonl"),
            GAPS_FILE=str(tmp_path / "state" / "gaps.jsonl"),
        )
        yield Bot(server, tmp_path, env, state)


def wait(condition: object, timeout: float = 10, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.02)


def clean(code: int, output: str) -> None:
    assert code == 0, output
    assert "Traceback" not in output, output
    assert TOKEN not in output
    # A short log: APScheduler's INFO line per planned job ("Added job notices:at:...") is not in it.
    assert "Added job" not in output and " INFO apscheduler" not in output, output


# --------------------------------------------------------------------------- start-up failures


def test_start_up_failures_are_one_line_each_without_a_secret(bot: Bot) -> None:
    """A rejected token (PTB's own message holds it), no network, a proxy that refuses, the
    webhook port in use: one pt-BR line each, exit code not 0, sessions closed, no traceback.
    The four processes run at once (each takes seconds to import)."""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    proxy = f"http://127.0.0.1:{closed}"
    rejected = "7000001:REJECTED-token-value"
    cases = {
        channel.TOKEN_REJECTED: {"TELEGRAM_BOT_TOKEN": rejected},
        channel.NO_NETWORK.format(host="127.0.0.1"): {
            "TELEGRAM_API_URL": f"http://127.0.0.1:{closed}/bot"
        },
        # .invalid never resolves: nothing leaves this machine, the proxy refuses first.
        channel.NO_NETWORK.format(host="api.telegram.invalid"): {
            "TELEGRAM_API_URL": "https://api.telegram.invalid/bot",
            "HTTPS_PROXY": proxy,
            "HTTP_PROXY": proxy,
            "NO_PROXY": "",
        },
        channel.PORT_IN_USE.format(port=port, listen="127.0.0.1"): {
            "TELEGRAM_WEBHOOK_URL": "https://bot.example.invalid/telegram",
            "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
            "TELEGRAM_WEBHOOK_PORT": str(port),
        },
    }
    runs: dict[str, Run] = {}
    try:
        for index, (line, env) in enumerate(cases.items()):
            log_path = bot.workdir / f"failure{index}.log"
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    BOT_COMMAND,
                    cwd=bot.workdir,
                    env={**bot.env, **env},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            runs[line] = Run(process, log_path)
        for line, run in runs.items():
            code, output = run.wait(STARTUP_TIMEOUT + 30)
            assert code != 0, output
            assert "Traceback" not in output and "Unclosed" not in output, output
            assert TOKEN not in output and rejected not in output, output
            assert [text for text in output.splitlines() if text.strip()][-1] == line, output
    finally:
        taken.close()
        for run in runs.values():
            run.stop()
    assert bot.server.api.calls_to("getUpdates") == []


# --------------------------------------------------------------------------- the notice state


def test_a_damaged_notice_state_neither_stops_the_bot_nor_posts_twice(bot: Bot) -> None:
    first = bot.start()
    wait(lambda: bool(bot.sent().get("telegram")), what="the notice marked sent")
    clean(*first.stop())
    [posted] = bot.notices()
    assert "atrasado" in plain_text(posted["text"], posted.get("parse_mode"))

    # A damaged byte (invalid UTF-8): the bot starts, the backup says the notice went out.
    bot.state.write_bytes(b'{"version": 2, "doors": {"telegram": {"\xff\xfe')
    second = bot.start()
    time.sleep(SETTLE)
    code, output = second.stop()
    clean(code, output)
    assert "backup" in output
    assert len(bot.notices()) == 1

    # Truncated, and no backup either: the window already due is taken as posted.
    text = bot.state.read_bytes()
    bot.state.write_bytes(text[: len(text) // 2])
    bot.state.with_name("notices.json.bak").unlink()
    third = bot.start()
    time.sleep(SETTLE)
    clean(*third.stop())
    assert len(bot.notices()) == 1
    # Written again, whole: the next start reads it.
    assert bot.sent()["telegram"]


def test_sigterm_while_a_notice_is_sent_loses_nothing(bot: Bot) -> None:
    bot.server.api.delay_next("sendMessage", 1.5)
    run = bot.start()
    bot.server.api.wait_for(
        "sendMessage", lambda c: c["chat_id"] == NOTICE_CHAT, answered=False, timeout=10
    )
    clean(*run.stop(signal.SIGTERM))
    [posted] = bot.notices()
    assert posted.error is None
    assert bot.sent()["telegram"]  # accepted, and marked before the process ended


STOP_BOUND = 8.0
"""Seconds a SIGTERM may take with the Bot API away: well within ``docker stop``'s 10 s (it took
12 s to 40 s before the stop deadline, waiting for each call's own timeouts and retries)."""


def timed_stop(run: Run) -> tuple[int, str, float]:
    started = time.monotonic()
    code, output = run.stop(signal.SIGTERM)
    return code, output, time.monotonic() - started


def test_sigterm_with_telegram_not_answering_ends_quickly_and_keeps_the_notice(bot: Bot) -> None:
    """Telegram holds every call (the notice, the last getUpdates): the process ends within the
    bound, in a few WARNING lines, the notice not marked sent; the next start posts it once."""
    release = threading.Event()
    api = bot.server.api
    api.fail_next("sendMessage", 502, "Bad Gateway", delay=60, until=release)
    run = bot.start()
    for _ in range(3):  # the poll under way when the signal comes, or the one after
        api.fail_next("getUpdates", 502, "Bad Gateway", delay=60, until=release)
    api.wait_for("sendMessage", lambda c: c["chat_id"] == NOTICE_CHAT, answered=False, timeout=10)
    code, output, took = timed_stop(run)
    release.set()
    clean(code, output)
    assert took < STOP_BOUND, output
    assert "not posted to telegram" in output  # the notice cut short, said in one line
    assert not bot.sent().get("telegram")  # not marked: the next process posts it
    api.failures.clear()
    second = bot.start()
    wait(lambda: bool(bot.sent().get("telegram")), what="the notice posted by the next process")
    clean(*second.stop())
    assert [c.error for c in bot.notices()] == ["Bad Gateway", None]


def test_sigterm_with_telegram_refusing_connections_is_quick_and_quiet(bot: Bot) -> None:
    """Telegram gone while the bot runs (connections refused): a refused notice and an unanswered
    question are one WARNING line each, no traceback; SIGTERM ends quickly, the notice kept."""
    api = bot.server.api
    for _ in range(3):
        api.fail_next("sendMessage", 502, "Bad Gateway")
    run = bot.start()
    wait(lambda: len(bot.notices()) >= 1, what="the refused notice")
    api.fail_next("sendMessage", 502, "Bad Gateway", delay=60)  # the answer, held
    api.push(Updates().message(GROUP, AGENT, "/dns agora"))
    api.wait_for("sendMessage", lambda c: c["chat_id"] == GROUP["id"], answered=False, timeout=10)
    bot.server.stop()  # the held answer's connection drops; new ones are refused
    time.sleep(1.0)  # the bot meets the outage: the answer, the apology, polling
    code, output, took = timed_stop(run)
    clean(code, output)
    assert took < STOP_BOUND, output
    assert "went unanswered" in output, output  # the lost answer, one line
    assert " ERROR " not in output, output
    assert not bot.sent().get("telegram")


def test_a_notice_group_that_became_a_supergroup_is_followed(bot: Bot) -> None:
    bot.server.api.migrated[NOTICE_CHAT] = SUPERGROUP
    run = bot.start()
    wait(lambda: bool(bot.notices(SUPERGROUP)), what="the notice in the supergroup")
    told = bot.server.api.wait_for("sendMessage", lambda c: c["chat_id"] == SUPERVISOR["id"])
    clean(*run.stop())
    words = plain_text(told["text"], told.get("parse_mode"))
    assert str(SUPERGROUP) in words and "NOTICE_CHAT_ID" in words
    assert len(bot.notices(SUPERGROUP)) == 1
    assert bot.sent()["telegram"]


# --------------------------------------------------------------------------- deletions


def test_a_credential_answer_is_deleted_after_a_restart(bot: Bot) -> None:
    bot.env["CREDENTIALS_DELETE_AFTER_SECONDS"] = "2"
    bot.env["NOTICE_CHAT_ID"] = ""
    run = bot.start()
    update = Updates().message(GROUP, AGENT, "/senha agora W5-1200G")
    mark = bot.server.api.mark()
    bot.server.api.push(update)
    answer = bot.server.api.wait_for("sendMessage", since=mark)
    assert "será apagada em 2 s" in plain_text(answer["text"], answer.get("parse_mode"))
    clean(*run.stop())  # before the 2 s
    assert bot.server.api.calls_to("deleteMessage") == []
    time.sleep(2)
    again = bot.start()  # overdue: deleted at start
    deleted = bot.server.api.wait_for("deleteMessage", timeout=10)
    clean(*again.stop())
    assert int(deleted["message_id"]) == answer.result["message_id"]
    assert int(deleted["chat_id"]) == GROUP["id"]
    assert bot.server.api.message(GROUP["id"], answer.result["message_id"]) is None
    pending = json.loads((bot.state.with_name("deletions.json")).read_text("utf-8"))
    assert pending["pending"] == []
