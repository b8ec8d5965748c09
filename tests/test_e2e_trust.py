"""The real bot process (``upcall-bot run``) at ``LOG_LEVEL=DEBUG``, broken on purpose: a garbled
Bot API reply, a full disk under its logs, damaged log lines, a password typed by an agent, a
channel post. It keeps answering, and the last test sweeps every file it wrote -- its log, the
audit and gaps logs, its state -- for every secret it knows.

Same harness as ``test_e2e`` (the fake Bot API on 127.0.0.1, long polling over HTTP); the tests
of this module run in order against one process.
"""

from __future__ import annotations

import resource
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_DIR, MUTUM_DNS, PASSWORD
from test_e2e import BOT_COMMAND, STARTUP_TIMEOUT, LiveBot, _env

from bot.app.logs import settings_secrets
from bot.app.settings import Settings
from bot.knowledge.kb import KB
from bot.knowledge.passwords import known_secrets
from fake_bot_api import (
    AGENT,
    GROUP,
    SUPERVISOR,
    TOKEN,
    ApiCall,
    FakeBotApiServer,
    plain_text,
    private_chat,
)
from handlers.telegram.errors import APOLOGY

WEBHOOK_SECRET = "whsec_trust_2b7Qx9LmP4"
TYPED_PASSWORD = "Xyz-98765q"
"""A password an agent types that the KB does not know."""
CHANNEL = {"id": -1007777777777, "type": "channel", "title": "Canal de avisos"}


def shown(call: ApiCall) -> str:
    return plain_text(call["text"], call.get("parse_mode"))


class Trust(LiveBot):
    workdir: Path

    def ask(
        self, chat: dict[str, Any], user: dict[str, Any], text: str
    ) -> tuple[ApiCall, list[ApiCall]]:
        """The first successful message the bot sends to ``chat``, and every call it made."""
        mark = self.api.mark()
        self.api.push(self.updates.message(chat, user, text))
        first = self.api.wait_for(
            "sendMessage", lambda c: c["chat_id"] == chat["id"] and c.error is None, since=mark
        )
        time.sleep(0.3)
        return first, [c for c in self.api.calls_since(mark) if c.method != "getUpdates"]

    def state(self, name: str) -> Path:
        return self.workdir / "state" / name


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trust]:
    workdir = tmp_path_factory.mktemp("trust")
    log_path = workdir / "bot.log"
    with FakeBotApiServer() as server:
        env = _env(server)
        env.update(
            LOG_LEVEL="DEBUG",
            TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,  # known, though unused by long polling
            AUDIT_FILE=str(workdir / "state" / "audit.jsonl"),
            GAPS_FILE=str(workdir / "state" / "gaps.jsonl"),
            NOTICE_STATE_FILE=str(workdir / "state" / "notices.json"),
        )
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                BOT_COMMAND, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        live = Trust(server.api, process, log_path)
        live.workdir = workdir
        try:
            server.api.wait_for("getUpdates", timeout=STARTUP_TIMEOUT, answered=False)
        except AssertionError:
            code, output = live.stop()
            pytest.fail(f"the bot did not start polling (exit {code}):\n{output}")
        try:
            yield live
        finally:
            live.stop()


def test_a_garbled_reply_to_an_answer_gets_the_apology(bot: Trust) -> None:
    bot.api.garble_next("sendMessage")
    first, calls = bot.ask(GROUP, AGENT, "/senha lasernet W5-1200G")
    assert [c.error for c in calls if c.method == "sendMessage"] == ["garbled", None]
    # It may have been posted: not sent again (never two copies); the agent is told.
    assert shown(first) == APOLOGY
    answer, _ = bot.ask(GROUP, AGENT, "/senha lasernet W5-1200G")
    assert PASSWORD in shown(answer)


def _file_size_limit(pid: int, limit: int) -> None:
    """The process's own ``ulimit -f``: writes past ``limit`` bytes fail (EFBIG), as on a full
    disk; ``resource.RLIM_INFINITY`` lifts it."""
    _soft, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (limit, hard))


def test_a_full_disk_costs_log_lines_only_and_the_logs_recover(bot: Trust) -> None:
    audit, gaps = bot.state("audit.jsonl"), bot.state("gaps.jsonl")
    audited, gapped = audit.read_bytes(), gaps.read_bytes() if gaps.exists() else b""
    _file_size_limit(bot.process.pid, 0)  # nothing more can be written to any file
    try:
        for chat, user in ((GROUP, AGENT), (private_chat(AGENT), AGENT)):
            answer, _ = bot.ask(chat, user, "/senha lasernet W5-1200G")
            assert PASSWORD in shown(answer)  # the answer, not the apology
        not_understood, _ = bot.ask(GROUP, AGENT, "@UpcallBot xyzzy plugh")
        assert shown(not_understood) != APOLOGY
        assert audit.read_bytes() == audited and gaps.read_bytes() == gapped  # lost, no more
    finally:
        _file_size_limit(bot.process.pid, resource.RLIM_INFINITY)
    # Space is back: the next lines are written, in groups and in private.
    for chat in (GROUP, private_chat(AGENT)):
        answer, _ = bot.ask(chat, AGENT, "/senha lasernet W5-1200G")
        assert PASSWORD in shown(answer)
    bot.ask(GROUP, AGENT, "@UpcallBot xyzzy plugh de novo")
    new_audit = audit.read_bytes()[len(audited) :].decode().splitlines()
    assert len(new_audit) == 2
    assert "xyzzy plugh de novo" in gaps.read_text(encoding="utf-8")


def test_a_password_typed_by_an_agent_is_stored_nowhere(bot: Trust) -> None:
    answer, _ = bot.ask(GROUP, AGENT, f"/senha lasernet W5-1200G {PASSWORD}")
    assert PASSWORD in shown(answer)
    bot.ask(private_chat(AGENT), AGENT, f"a senha: {TYPED_PASSWORD} do cliente não entra")
    audit = bot.state("audit.jsonl").read_text(encoding="utf-8")
    assert "/senha lasernet W5-1200G •••" in audit


def test_damaged_log_lines_do_not_break_lacunas_nor_auditoria(bot: Trust) -> None:
    for name in ("audit.jsonl", "gaps.jsonl"):
        with bot.state(name).open("ab") as handle:
            handle.write('{"at": "2026-11-22T03:00:00+00:00", "text": "aç'.encode()[:-1] + b"\n")
            handle.write(b'\xff\xfe\x00 broken\n{"at": "ontem", "text": null, "chat_id": "1"}\n')
    supervisor = private_chat(SUPERVISOR)
    report, _ = bot.ask(supervisor, SUPERVISOR, "/auditoria")
    assert "Auditoria" in shown(report) and "lasernet" in shown(report)
    gaps, _ = bot.ask(supervisor, SUPERVISOR, "/lacunas")
    assert "xyzzy plugh" in shown(gaps)


def test_control_characters_are_not_echoed_nor_stored(bot: Trust) -> None:
    answer, _ = bot.ask(private_chat(AGENT), AGENT, "plano\x1b[2J da \x00zzqx\x7f fibra")
    assert not any(ch in answer["text"] for ch in "\x00\x1b\x7f")
    gaps = bot.state("gaps.jsonl").read_text(encoding="utf-8", errors="replace")
    [stored] = [line for line in gaps.splitlines() if "zzqx" in line]
    assert not any(ch in stored for ch in "\x00\x1b\x7f"), stored


def test_a_channel_post_is_refused_with_the_channel_id(bot: Trust) -> None:
    calls = bot.exchange(bot.updates.channel_post(CHANNEL, "/dns mutum"), "sendMessage")
    [refusal] = calls
    assert refusal["chat_id"] == CHANNEL["id"] and str(CHANNEL["id"]) in shown(refusal)
    assert MUTUM_DNS not in shown(refusal)


def _secrets(real_kb: KB) -> dict[str, str]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, telegram_bot_token=TOKEN, telegram_webhook_secret=WEBHOOK_SECRET
    )
    found = {f"setting {n}": s for n, s in enumerate(settings_secrets(settings))}
    found.update({f"KB password {s!r}": s for s in known_secrets(real_kb)})
    found["typed password"] = TYPED_PASSWORD
    return found


def test_no_file_the_bot_wrote_holds_a_secret(bot: Trust, real_kb: KB) -> None:
    code, output = bot.stop()
    assert code == 0, output
    assert "Traceback" not in output or "NetworkError" in output  # the garbled reply, logged
    secrets = _secrets(real_kb)
    assert TOKEN in secrets.values() and WEBHOOK_SECRET in secrets.values()
    assert PASSWORD in secrets.values() and len(secrets) > 10
    written = [p for p in bot.workdir.rglob("*") if p.is_file()]
    names = sorted(p.relative_to(bot.workdir).as_posix() for p in written)
    assert {"bot.log", "state/audit.jsonl", "state/gaps.jsonl"} <= set(names)
    assert "DEBUG" in bot.log_path.read_text(errors="replace")  # the level asked for

    def found(text: str) -> list[str]:
        return [what for what, secret in secrets.items() if secret in text]

    leaks = {
        p.relative_to(bot.workdir).as_posix(): found(p.read_text(errors="replace")) for p in written
    }
    assert {name: what for name, what in leaks.items() if what} == {}
    assert KB_DIR.is_dir()  # (the real KB, read-only: nothing written there)


def test_a_rejected_token_is_not_printed(tmp_path: Path) -> None:
    """Telegram refuses the token at start (401): the bot stops, saying so, without the token."""
    wrong = "7000001:WRONG_token-never-valid"
    with FakeBotApiServer() as server:
        env = {**_env(server), "TELEGRAM_BOT_TOKEN": wrong}
        done = subprocess.run(
            BOT_COMMAND, cwd=tmp_path, env=env, capture_output=True, timeout=60, check=False
        )
    output = (done.stdout + done.stderr).decode(errors="replace")
    assert done.returncode != 0 and server.api.calls == []  # refused before any call was served
    assert wrong not in output and "recusou o TELEGRAM_BOT_TOKEN" in output, output
