"""End to end: the real bot process (``upcall-bot run``) against our fake Telegram Bot API on
127.0.0.1, over real HTTP. Updates are fed as Telegram would (long polling with offsets) and the
exact calls the bot makes are asserted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_DIR, MUTUM_DNS, PASSWORD, kb_facts
from telegram import Update

from bot.knowledge.kb import KB
from bot.knowledge.version import git_version
from fake_bot_api import (
    AGENT,
    GROUP,
    MEMBER,
    OTHER_GROUP,
    SUPERVISOR,
    TOKEN,
    ApiCall,
    FakeBotApiServer,
    FakeTelegram,
    Updates,
    button_data,
    plain_text,
    private_chat,
)

BOT_COMMAND = [sys.executable, "-m", "bot", "run"]
"""``upcall-bot run``, through the interpreter running the tests (same venv, no PATH lookup)."""

SETTLE = 0.3
"""After the last expected call: time for an unexpected extra call to show up."""
STARTUP_TIMEOUT = 60.0
"""A ceiling, not a wait: on a busy machine (the suite runs in parallel) a cold start can take
many seconds."""
STRANGER_A = {"id": 4041, "is_bot": False, "first_name": "Estranho A"}
STRANGER_B = {"id": 4042, "is_bot": False, "first_name": "Estranho B"}
_SETTINGS_ENV = (
    "TELEGRAM_",
    "ALLOWED_CHAT_IDS",
    "SUPERVISOR_IDS",
    "AGENT_IDS",
    "NOTICE_CHAT_ID",
    "KB_DIR",
    "TIMEZONE",
    "LOG_LEVEL",
    "HEALTH_",
)
_PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@dataclass
class LiveBot:
    api: FakeTelegram
    process: subprocess.Popen[bytes]
    log_path: Path
    health_port: int = 0
    updates: Updates = field(default_factory=Updates)

    def exchange(
        self, update: dict[str, Any], until: str, where: Callable[[ApiCall], bool] = lambda c: True
    ) -> list[ApiCall]:
        """Push ``update``; wait for the ``until`` call; return every non-polling call it caused."""
        mark = self.api.mark()
        self.api.push(update)
        self.api.wait_for(until, where, since=mark)
        time.sleep(SETTLE)
        return [c for c in self.api.calls_since(mark) if c.method != "getUpdates"]

    def ignored(self, update: dict[str, Any]) -> list[ApiCall]:
        """Push ``update`` and return the calls it caused once the bot has surely fetched it."""
        mark = self.api.mark()
        update_id = self.api.push(update)["update_id"]
        self.api.wait_fetched(update_id)
        time.sleep(SETTLE)
        return [c for c in self.api.calls_since(mark) if c.method != "getUpdates"]

    def stop(self) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        return self.process.returncode, self.log_path.read_text(errors="replace")


def _env(server: FakeBotApiServer, health_port: int = 0) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith(_SETTINGS_ENV) and k.upper() not in _PROXY_ENV
    }
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=server.base_url,
        ALLOWED_CHAT_IDS=str(GROUP["id"]),
        SUPERVISOR_IDS=str(SUPERVISOR["id"]),
        AGENT_IDS=str(AGENT["id"]),
        KB_DIR=str(KB_DIR),
        TIMEZONE="America/Sao_Paulo",
        LOG_LEVEL="INFO",
        HEALTH_HOST="127.0.0.1",
        HEALTH_PORT=str(health_port),
        NO_PROXY="*",
    )
    return env


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    workdir = tmp_path_factory.mktemp("bot")  # no .env here: only the variables below count
    log_path = workdir / "bot.log"
    health_port = free_port()
    with FakeBotApiServer() as server:
        server.api.members[(GROUP["id"], MEMBER["id"])] = "member"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                BOT_COMMAND,
                cwd=workdir,
                env=_env(server, health_port),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        bot = LiveBot(server.api, process, log_path, health_port)
        try:
            server.api.wait_for("getUpdates", timeout=STARTUP_TIMEOUT, answered=False)
        except AssertionError:
            code, output = bot.stop()
            pytest.fail(f"the bot did not start polling (exit {code}):\n{output}")
        try:
            yield bot
        finally:
            bot.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def http_get(port: int, path: str) -> tuple[int, str, str]:
    """(status, content type, body) of ``GET http://127.0.0.1:port/path``."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            body = response.read().decode()
            return response.status, response.headers["Content-Type"], body
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode()


def _methods(calls: list[ApiCall]) -> list[str]:
    return [c.method for c in calls]


def _shown(call: ApiCall) -> str:
    return plain_text(call["text"], call.get("parse_mode"))


# --------------------------------------------------------------------------- the live bot


def test_start_up_registers_menus_and_long_polls_all_update_types(live: LiveBot) -> None:
    start = _methods(live.api.calls[:5])
    assert start == ["getMe", "setMyCommands", "setMyCommands", "deleteWebhook", "getUpdates"]
    menus = live.api.calls_to("setMyCommands")
    assert {c["scope"]["type"] for c in menus} == {"all_group_chats", "all_private_chats"}
    assert all(c.error is None for c in menus)
    assert "senha" in [c["command"] for c in menus[0]["commands"]]
    poll = live.api.calls_to("getUpdates")[0]
    assert sorted(poll["allowed_updates"]) == sorted(Update.ALL_TYPES)
    assert poll["timeout"] > 0  # long polling


@pytest.mark.parametrize("text", ["/senha lasernet W5-1200G", "/senha@UpcallBot lasernet W5-1200G"])
def test_senha_in_the_allowed_group(live: LiveBot, text: str) -> None:
    update = live.updates.message(GROUP, AGENT, text)
    calls = live.exchange(update, "sendMessage")
    assert _methods(calls) == ["sendMessage"]
    sent = calls[0]
    assert sent["chat_id"] == GROUP["id"]
    assert sent["parse_mode"] == "HTML"
    assert PASSWORD in sent["text"]
    assert PASSWORD in _shown(sent)  # valid HTML, as Telegram parses it
    assert sent["reply_parameters"]["message_id"] == update["message"]["message_id"]


def test_an_unknown_chat_is_refused_with_its_id_and_no_kb_content(
    live: LiveBot, real_kb: KB
) -> None:
    calls = live.exchange(
        live.updates.message(OTHER_GROUP, SUPERVISOR, "/senha lasernet W5-1200G"), "sendMessage"
    )
    assert _methods(calls) == ["sendMessage"]
    refusal = calls[0]
    assert refusal["chat_id"] == OTHER_GROUP["id"]
    assert str(OTHER_GROUP["id"]) in _shown(refusal)
    for fact in kb_facts(real_kb):
        assert fact not in refusal["text"]


def test_a_stranger_in_private_is_refused_after_a_membership_check(live: LiveBot) -> None:
    calls = live.exchange(
        live.updates.message(private_chat(STRANGER_A), STRANGER_A, "/dns mutum"), "sendMessage"
    )
    assert _methods(calls) == ["getChatMember", "sendMessage"]
    assert calls[0]["chat_id"] == GROUP["id"] and calls[0]["user_id"] == STRANGER_A["id"]
    assert str(STRANGER_A["id"]) in _shown(calls[1])
    assert MUTUM_DNS not in _shown(calls[1])


def test_a_group_member_asks_in_private_checked_once(live: LiveBot) -> None:
    chat = private_chat(MEMBER)
    calls = live.exchange(live.updates.message(chat, MEMBER, "qual o dns da mutum?"), "sendMessage")
    assert _methods(calls) == ["getChatMember", "sendMessage"]
    assert MUTUM_DNS in _shown(calls[1])
    assert "reply_parameters" not in calls[1].params  # no quoting in a private chat
    calls = live.exchange(live.updates.message(chat, MEMBER, "/dns mutum"), "sendMessage")
    assert _methods(calls) == ["sendMessage"]  # the membership is cached


def test_a_button_press_becomes_the_answer(live: LiveBot) -> None:
    calls = live.exchange(live.updates.message(GROUP, AGENT, "/dns"), "sendMessage")
    assert _methods(calls) == ["sendMessage"]
    choice = calls[0].result
    data = dict(button_data(choice))["Mutum Fibra"]
    press = live.updates.callback(MEMBER, choice, data)
    calls = live.exchange(press, "editMessageText")
    assert _methods(calls) == ["answerCallbackQuery", "editMessageText"]
    assert calls[0]["callback_query_id"] == press["callback_query"]["id"]
    edit = calls[1]
    assert (edit["chat_id"], edit["message_id"]) == (GROUP["id"], choice["message_id"])
    assert MUTUM_DNS in _shown(edit)
    assert edit.error is None


def test_an_inline_query_gets_the_answer_as_an_article(live: LiveBot) -> None:
    query = live.updates.inline_query(AGENT, "dns mutum")
    calls = live.exchange(query, "answerInlineQuery")
    assert _methods(calls) == ["answerInlineQuery"]
    call = calls[0]
    assert call["inline_query_id"] == query["inline_query"]["id"]
    assert call["is_personal"] is True
    [article] = call["results"]
    content = article["input_message_content"]
    assert MUTUM_DNS in plain_text(content["message_text"], content["parse_mode"])


def test_an_inline_query_from_a_stranger_gets_nothing(live: LiveBot) -> None:
    calls = live.exchange(live.updates.inline_query(STRANGER_B, "dns mutum"), "answerInlineQuery")
    assert _methods(calls) == ["getChatMember", "answerInlineQuery"]
    assert calls[1]["results"] == []


def test_group_chatter_and_other_bots_commands_are_left_alone(live: LiveBot) -> None:
    assert live.ignored(live.updates.message(GROUP, AGENT, "qual o dns da mutum?")) == []
    assert live.ignored(live.updates.message(GROUP, AGENT, "/dns@OtherBot mutum")) == []


def test_a_mention_in_the_group_is_answered(live: LiveBot) -> None:
    update = live.updates.message(GROUP, AGENT, "@UpcallBot qual o dns da mutum?")
    calls = live.exchange(update, "sendMessage")
    assert _methods(calls) == ["sendMessage"]
    assert MUTUM_DNS in _shown(calls[0])


def test_a_reply_to_the_bot_is_answered(live: LiveBot) -> None:
    first = live.exchange(live.updates.message(GROUP, AGENT, "/ajuda"), "sendMessage")[0]
    update = live.updates.message(GROUP, AGENT, "dns da mutum", reply_to=first.result)
    calls = live.exchange(update, "sendMessage")
    assert _methods(calls) == ["sendMessage"]
    assert MUTUM_DNS in _shown(calls[0])


def test_added_to_an_unknown_group_the_bot_posts_its_id(live: LiveBot) -> None:
    calls = live.exchange(live.updates.bot_added(OTHER_GROUP, SUPERVISOR), "sendMessage")
    assert _methods(calls) == ["sendMessage"]
    assert str(OTHER_GROUP["id"]) in _shown(calls[0])


def test_the_running_bot_answers_healthz(live: LiveBot) -> None:
    status, kind, body = http_get(live.health_port, "/healthz")
    assert status == 200, body
    assert kind.startswith("application/json")
    report = json.loads(body)
    assert report["status"] == "ok" and report["problems"] == []
    assert report["kb"]["providers"] == 5
    assert report["kb"]["version"]  # the checkout's last commit touching knowledge/
    local = git_version(KB_DIR)
    assert local is not None and report["kb"]["uncommitted"] is local.local  # an edit not committed
    assert dt.datetime.fromisoformat(report["kb"]["loaded_at"]).tzinfo is not None
    telegram = report["doors"]["telegram"]
    assert dt.datetime.fromisoformat(telegram["last_ok"]) > dt.datetime.now(dt.UTC) - dt.timedelta(
        minutes=5
    )
    assert "next_notice" in report  # no NOTICE_CHAT_ID here: null


def test_the_running_bot_counts_questions_in_metrics(live: LiveBot) -> None:
    before = _metric(live, 'upcall_questions_total{door="telegram"}')
    live.exchange(live.updates.message(GROUP, AGENT, "/dns mutum"), "sendMessage")
    status, kind, body = http_get(live.health_port, "/metrics")
    assert status == 200 and kind.startswith("text/plain")
    assert _metric(live, 'upcall_questions_total{door="telegram"}') == before + 1
    assert 'upcall_answers_total{door="telegram",kind="answer"}' in body
    for name in (
        "upcall_gaps_total",
        "upcall_notices_sent_total",
        "upcall_notices_late_total",
        "upcall_kb_reloads_total",
        "upcall_api_errors_total",
        "upcall_kb_providers 5.0",
    ):
        assert name in body, name


def _metric(live: LiveBot, sample: str) -> float:
    _, _, body = http_get(live.health_port, "/metrics")
    for line in body.splitlines():
        if line.startswith(sample + " "):
            return float(line.split()[-1])
    return 0.0


def test_a_telegram_outage_while_polling_is_survived(live: LiveBot) -> None:
    live.api.fail_next("getUpdates", 502, "Bad Gateway")
    live.exchange(live.updates.message(GROUP, AGENT, "/dns mutum"), "sendMessage")
    # The poll after that one fails; the bot waits a moment and polls again.
    calls = live.exchange(live.updates.message(GROUP, AGENT, "/dns mutum"), "sendMessage")
    assert _methods(calls) == ["sendMessage"]
    assert MUTUM_DNS in _shown(calls[0])
    assert [c.error for c in live.api.calls_to("getUpdates") if c.error] == ["Bad Gateway"]


def test_the_bot_stops_cleanly_having_confirmed_every_update(live: LiveBot) -> None:
    code, output = live.stop()
    assert code == 0, output
    assert "Traceback" not in output, output
    assert TOKEN not in output  # the token never reaches the log
    assert live.api.pending_updates() == 0
    errors = [c.error for c in live.api.calls if c.error]
    assert set(errors) <= {"Bad Gateway"}  # only the outage the test above caused
    if errors:
        assert "network error while polling" in output  # a warning, without a traceback
