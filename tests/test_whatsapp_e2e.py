"""End to end in WhatsApp: the real bot process (``upcall-bot run``) against the fake Evolution API
on 127.0.0.1, over real HTTP: signed ``messages.upsert`` webhooks in, REST calls out.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import KB_DIR, MUTUM_DNS, PASSWORD, kb_facts

from bot.knowledge.kb import KB
from fake_evolution_api import (
    AGENT,
    API_KEY,
    BOT,
    GROUP_JID,
    INSTANCE,
    JWT_KEY,
    MEMBER,
    STRANGER,
    SUPERVISOR,
    FakeEvolution,
    Group,
    Sent,
    free_port,
)

BOT_COMMAND = [sys.executable, "-m", "bot", "run"]
STARTUP_TIMEOUT = 60.0
"""A cold start under load (tests in parallel) may take more than 15 s."""
SETTLE = 0.3
"""After the last expected call: time for an unexpected extra one to show up."""
DELETE_AFTER = 1
"""CREDENTIALS_DELETE_AFTER_SECONDS in these tests."""
LOOSE_GROUP = "120363000000000777@g.us"
"""A group the bot was added to but that is not in WHATSAPP_GROUP_IDS."""
_SETTINGS_ENV = (
    "TELEGRAM_",
    "WHATSAPP_",
    "ALLOWED_CHAT_IDS",
    "SUPERVISOR_IDS",
    "AGENT_IDS",
    "NOTICE_CHAT_ID",
    "KB_DIR",
    "TIMEZONE",
    "LOG_LEVEL",
    "CREDENTIALS_",
)
_PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")

Deliver = Callable[[], int | None]
"""A webhook delivery by the fake: the bot's HTTP status."""


def clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith(_SETTINGS_ENV) and k.upper() not in _PROXY_ENV
    }


def whatsapp_env(evolution: FakeEvolution, port: int) -> dict[str, str]:
    return {
        "WHATSAPP_API_URL": evolution.base_url,
        "WHATSAPP_API_KEY": API_KEY,
        "WHATSAPP_INSTANCE": INSTANCE,
        "WHATSAPP_WEBHOOK_SECRET": JWT_KEY,
        "WHATSAPP_WEBHOOK_HOST": "127.0.0.1",
        "WHATSAPP_WEBHOOK_PORT": str(port),
        "WHATSAPP_WEBHOOK_PATH": "/whatsapp",
        "WHATSAPP_GROUP_IDS": GROUP_JID,
        "WHATSAPP_SUPERVISORS": f"+{SUPERVISOR.phone}",
        "WHATSAPP_SEND_INTERVAL_SECONDS": "0.05",
        "KB_DIR": str(KB_DIR),
        "TIMEZONE": "America/Sao_Paulo",
        "LOG_LEVEL": "INFO",
        "NO_PROXY": "*",
        "HEALTH_PORT": "0",
    }


def wait_listening(port: int, process: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def stop_process(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    return process.returncode


@dataclass
class LiveWhatsApp:
    evolution: FakeEvolution
    process: subprocess.Popen[bytes]
    log_path: Path
    workdir: Path
    health_port: int

    def answers(self, chat: str, deliver: Deliver, count: int = 1) -> list[Sent]:
        """What the bot sent to ``chat`` after ``deliver()`` (which must return 200)."""
        before = len(self.evolution.sent_messages(chat))
        assert deliver() == 200
        self.evolution.wait_sent(chat, count=before + count)
        time.sleep(SETTLE)
        return self.evolution.sent_messages(chat)[before:]

    def nothing_after(self, deliver: Deliver, expect: int = 200) -> list[Sent]:
        before = len(self.evolution.sent)
        assert deliver() == expect
        time.sleep(SETTLE)
        return self.evolution.sent[before:]

    def stop(self) -> tuple[int, str]:
        code = stop_process(self.process)
        return code, self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveWhatsApp]:
    workdir = tmp_path_factory.mktemp("whatsapp")
    log_path = workdir / "bot.log"
    port = free_port()
    with FakeEvolution() as evolution:
        evolution.add_group(Group(LOOSE_GROUP, "Grupo solto", [BOT, AGENT, STRANGER]))
        evolution.set_webhook(f"http://127.0.0.1:{port}/whatsapp")
        env = clean_env() | whatsapp_env(evolution, port)
        env["CREDENTIALS_DELETE_AFTER_SECONDS"] = str(DELETE_AFTER)
        health_port = free_port()
        env["HEALTH_PORT"] = str(health_port)
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                BOT_COMMAND, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        bot = LiveWhatsApp(evolution, process, log_path, workdir, health_port)
        try:
            if not wait_listening(port, process, STARTUP_TIMEOUT):
                code, output = bot.stop()
                pytest.fail(f"the bot did not listen (exit {code}):\n{output}")
            evolution.wait_for("fetchAllGroups", timeout=STARTUP_TIMEOUT)
            yield bot
        finally:
            bot.stop()


def _gaps(live: LiveWhatsApp) -> list[dict[str, object]]:
    path = live.workdir / "state" / "gaps.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# --------------------------------------------------------------------------- answers


def test_start_up_learns_the_bots_number_and_lid(live: LiveWhatsApp) -> None:
    fetch = live.evolution.calls_to("fetchInstances")[0]
    assert fetch.apikey == API_KEY and fetch.query == {"instanceName": INSTANCE}
    groups = live.evolution.calls_to("fetchAllGroups")[0]
    assert groups.query == {"getParticipants": "true"}


def test_healthz_reports_the_whatsapp_door(live: LiveWhatsApp) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    url = f"http://127.0.0.1:{live.health_port}/healthz"
    deadline = time.monotonic() + STARTUP_TIMEOUT  # it starts once the doors have started
    while True:
        try:
            with opener.open(url, timeout=5) as answer:
                body = json.loads(answer.read())
            break
        except OSError:
            assert time.monotonic() < deadline, "no /healthz"
            time.sleep(0.1)
    assert answer.status == 200 and body["status"] == "ok", body
    assert body["doors"]["whatsapp"]["last_ok"] is not None
    assert body["kb"]["providers"] == 5


def test_a_command_in_the_allowed_group_is_answered_in_whatsapp_markup(
    live: LiveWhatsApp,
) -> None:
    evolution = live.evolution
    payload = evolution.group_text_payload(GROUP_JID, AGENT, "/senha lasernet W5-1200G")
    [sent] = live.answers(GROUP_JID, lambda: evolution.deliver(payload))
    text = sent.text or ""
    assert f"```{PASSWORD}```" in text  # a credential is never formatting
    assert text.startswith("*LaserNet")  # the heading in bold
    assert "<b>" not in text and "<code>" not in text and "&lt;" not in text
    assert sent.quoted_id == payload["data"]["key"]["id"]  # it quotes the question
    assert sent.body["number"] == GROUP_JID
    # The credential policy: audited, and deleted after CREDENTIALS_DELETE_AFTER_SECONDS.
    assert f"{DELETE_AFTER} s" in text
    deadline = time.monotonic() + DELETE_AFTER + 5
    while sent.key_id not in evolution.deleted_ids(GROUP_JID) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sent.key_id in evolution.deleted_ids(GROUP_JID)
    audit = (live.workdir / "state" / "audit.jsonl").read_text()
    entry = json.loads(audit.splitlines()[-1])
    assert entry["chat_id"] == GROUP_JID and entry["provider"] == "lasernet"
    assert PASSWORD not in audit


def test_a_question_mentioning_the_bot_is_answered(live: LiveWhatsApp) -> None:
    evolution = live.evolution
    text = f"{BOT.mention(True)} qual o dns da mutum?"
    [sent] = live.answers(
        GROUP_JID, lambda: evolution.group_text(GROUP_JID, MEMBER, text, mentions=[BOT])
    )
    assert MUTUM_DNS in (sent.text or "")
    assert (sent.text or "").startswith("*Mutum Fibra")


def test_a_reply_to_the_bots_message_is_answered(live: LiveWhatsApp) -> None:
    evolution = live.evolution
    [first] = live.answers(GROUP_JID, lambda: evolution.group_text(GROUP_JID, AGENT, "/ajuda"))
    [sent] = live.answers(
        GROUP_JID,
        lambda: evolution.group_text(GROUP_JID, AGENT, "dns da mutum", quoted_id=first.key_id),
    )
    assert MUTUM_DNS in (sent.text or "")


def test_the_agents_chatter_is_ignored_and_not_recorded(live: LiveWhatsApp) -> None:
    evolution = live.evolution
    before = len(_gaps(live))
    chatter = ["qual o dns da mutum?", "alguém sabe a senha do roteador xyzzy?", "bom dia"]
    for text in chatter:
        assert live.nothing_after(lambda t=text: evolution.group_text(GROUP_JID, AGENT, t)) == []
    assert len(_gaps(live)) == before


def test_a_group_not_allowed_gets_its_id_and_nothing_of_the_kb(
    live: LiveWhatsApp, real_kb: KB
) -> None:
    evolution = live.evolution
    [refusal] = live.answers(
        LOOSE_GROUP, lambda: evolution.group_text(LOOSE_GROUP, AGENT, "/senha lasernet W5-1200G")
    )
    assert LOOSE_GROUP in (refusal.text or "")
    for fact in kb_facts(real_kb):
        assert fact not in (refusal.text or "")


def test_a_strangers_private_chat_gets_nothing_of_the_kb(live: LiveWhatsApp, real_kb: KB) -> None:
    evolution = live.evolution
    [refusal] = live.answers(
        STRANGER.pn_jid, lambda: evolution.dm_text(STRANGER, "qual o dns da mutum?")
    )
    for fact in kb_facts(real_kb):
        assert fact not in (refusal.text or "")
    assert "acesso" in (refusal.text or "")
    # Refused once: the next messages get nothing for a while.
    assert live.nothing_after(lambda: evolution.dm_text(STRANGER, "/dns mutum")) == []


@pytest.mark.parametrize("lid", [False, True])
def test_a_supervisor_is_answered_in_private(live: LiveWhatsApp, lid: bool) -> None:
    evolution = live.evolution
    chat = SUPERVISOR.lid_jid if lid else SUPERVISOR.pn_jid
    [sent] = live.answers(chat, lambda: evolution.dm_text(SUPERVISOR, "/dns mutum", lid=lid))
    assert MUTUM_DNS in (sent.text or "")
    assert sent.quoted_id is None  # no quoting in a private chat


def test_recarregar_is_a_supervisor_s_command_in_whatsapp_too(live: LiveWhatsApp) -> None:
    """The runner's reload (the one that posts the changelog on every door), asked in WhatsApp;
    refused to an agent as Telegram refuses it."""
    evolution = live.evolution
    chat = SUPERVISOR.pn_jid
    [done] = live.answers(chat, lambda: evolution.dm_text(SUPERVISOR, "/recarregar"))
    assert "Base recarregada" in (done.text or "")
    [refused] = live.answers(
        GROUP_JID, lambda: evolution.group_text(GROUP_JID, AGENT, "/recarregar")
    )
    assert refused.text == "Só supervisores podem usar /recarregar."


def test_unsigned_forged_and_expired_webhooks_get_401_and_no_effect(live: LiveWhatsApp) -> None:
    evolution = live.evolution
    calls = evolution.mark()
    for deliver in (
        evolution.deliver_unsigned,
        evolution.deliver_forged,
        evolution.deliver_expired,
    ):
        payload = evolution.group_text_payload(GROUP_JID, AGENT, "/dns mutum")
        assert live.nothing_after(lambda d=deliver, p=payload: d(p), expect=401) == []
    assert evolution.calls_since(calls) == []


def test_a_repeated_delivery_is_answered_once(live: LiveWhatsApp) -> None:
    evolution = live.evolution
    payload = evolution.group_text_payload(GROUP_JID, AGENT, "/dns mutum")
    sent = live.answers(GROUP_JID, lambda: evolution.deliver(payload))
    assert len(sent) == 1
    assert live.nothing_after(lambda: evolution.deliver(payload)) == []


def test_a_numbered_choice_by_reply_and_by_the_same_agent(live: LiveWhatsApp) -> None:
    evolution = live.evolution
    [choice] = live.answers(GROUP_JID, lambda: evolution.group_text(GROUP_JID, AGENT, "/dns"))
    listed = re.findall(r"^(\d+)\. (.+)$", choice.text or "", re.M)
    number = next(n for n, label in listed if label == "Mutum Fibra")
    [picked] = live.answers(
        GROUP_JID,
        lambda: evolution.group_text(GROUP_JID, MEMBER, number, quoted_id=choice.key_id),
    )
    assert MUTUM_DNS in (picked.text or "")
    # Without replying: the same agent, in the same group, just types the number.
    live.answers(GROUP_JID, lambda: evolution.group_text(GROUP_JID, AGENT, "/dns"))
    [typed] = live.answers(GROUP_JID, lambda: evolution.group_text(GROUP_JID, AGENT, number))
    assert MUTUM_DNS in (typed.text or "")
    # Another agent's bare number is chatter.
    assert live.nothing_after(lambda: evolution.group_text(GROUP_JID, MEMBER, number)) == []


def test_escala_sends_the_picture_then_the_text(live: LiveWhatsApp) -> None:
    evolution = live.evolution
    sent = live.answers(
        GROUP_JID, lambda: evolution.group_text(GROUP_JID, AGENT, "/escala"), count=2
    )
    assert [s.kind for s in sent] == ["media", "text"]
    assert sent[0].mediatype == "image" and isinstance(sent[0].media, bytes)
    assert sent[0].media.startswith(b"\x89PNG")


def test_the_gateway_down_for_a_while_then_back_loses_nothing(live: LiveWhatsApp) -> None:
    evolution = live.evolution
    before = len(evolution.sent_messages(GROUP_JID))
    evolution.down()
    try:
        assert evolution.group_text(GROUP_JID, AGENT, "/dns mutum") == 200
        assert evolution.group_text(GROUP_JID, MEMBER, "/dns lasernet") == 200
        time.sleep(1.0)
        assert len(evolution.sent_messages(GROUP_JID)) == before
    finally:
        evolution.up()
    sent = evolution.wait_sent(GROUP_JID, count=before + 2, timeout=15)[before:]
    time.sleep(SETTLE)
    assert len(evolution.sent_messages(GROUP_JID)) == before + 2  # each answered once
    texts = [s.text or "" for s in sent]
    assert any(MUTUM_DNS in t for t in texts)
    assert any("LaserNet" in t for t in texts)


def test_the_bot_stops_cleanly_without_leaking_secrets(live: LiveWhatsApp) -> None:
    code, output = live.stop()
    assert code == 0, output
    assert "Traceback" not in output, output
    for secret in (API_KEY, JWT_KEY, PASSWORD):
        assert secret not in output


# --------------------------------------------------------------------------- both channels


def _facts(shown: str) -> str:
    """The words of an answer, whatever the markup: for comparing the two doors."""
    return " ".join(shown.replace("`", "").replace("*", "").replace("_", "").split())


def test_both_channels_give_the_same_facts(tmp_path: Path) -> None:
    from fake_bot_api import AGENT as TG_AGENT
    from fake_bot_api import GROUP as TG_GROUP
    from fake_bot_api import TOKEN, FakeBotApiServer, Updates, plain_text

    port = free_port()
    log_path = tmp_path / "bot.log"
    with FakeBotApiServer() as telegram, FakeEvolution() as evolution:
        evolution.set_webhook(f"http://127.0.0.1:{port}/whatsapp")
        env = clean_env() | whatsapp_env(evolution, port)
        env |= {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": telegram.base_url,
            "ALLOWED_CHAT_IDS": str(TG_GROUP["id"]),
        }
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                BOT_COMMAND, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            assert wait_listening(port, process, STARTUP_TIMEOUT), log_path.read_text()
            telegram.api.wait_for("getUpdates", timeout=STARTUP_TIMEOUT, answered=False)
            updates = Updates()
            for question in ("/dns mutum", "/senha lasernet W5-1200G", "/provedor mutum"):
                mark = telegram.api.mark()
                telegram.api.push(updates.message(TG_GROUP, TG_AGENT, question))
                call = telegram.api.wait_for("sendMessage", since=mark)
                in_telegram = plain_text(call["text"], call.get("parse_mode"))
                before = len(evolution.sent_messages(GROUP_JID))
                assert evolution.group_text(GROUP_JID, AGENT, question) == 200
                sent = evolution.wait_sent(GROUP_JID, count=before + 1)[before:]
                in_whatsapp = "\n\n".join(s.text or "" for s in sent)
                assert _facts(in_whatsapp).startswith(_facts(in_telegram)[:3000]), question
        finally:
            code = stop_process(process)
        output = log_path.read_text()
        assert code == 0, output
        assert "Traceback" not in output, output


def test_a_rejected_key_stops_the_start_with_one_line(tmp_path: Path) -> None:
    with FakeEvolution() as evolution:
        env = clean_env() | whatsapp_env(evolution, free_port())
        env["WHATSAPP_API_KEY"] = "wrong-key"
        done = subprocess.run(
            BOT_COMMAND, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
    assert done.returncode != 0
    assert "recusou a chave (WHATSAPP_API_KEY)" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "wrong-key" not in done.stderr + done.stdout
