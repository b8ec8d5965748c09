"""Notices on both channels across a restart: the real process (``python -m bot run``) with
Telegram and WhatsApp configured, against the fake Bot API and the fake Evolution API.

The KB is a tiny one whose only ISP's coverage opened two minutes ago: its notice is due (late,
within the grace) the moment the bot starts. The first run has Evolution down: Telegram gets the
notice, WhatsApp does not. The second run, Evolution back, posts it to WhatsApp only. A third
posts nothing. Each channel gets it exactly once.

Needs the posting service (``bot.posting``, issue 11's channel-neutral posting); skipped without.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

pytest.importorskip("bot.posting")

from test_posting_e2e import NOTICE_CHAT, agora_kb
from test_whatsapp_e2e import (
    BOT_COMMAND,
    STARTUP_TIMEOUT,
    clean_env,
    stop_process,
    wait_listening,
    whatsapp_env,
)

from fake_bot_api import TOKEN, FakeBotApiServer
from fake_evolution_api import API_KEY, GROUP_JID, JWT_KEY, FakeEvolution, free_port

SETTLE = 1.0


def _start(env: dict[str, str], workdir: Path, port: int, name: str) -> subprocess.Popen[bytes]:
    with (workdir / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(
            BOT_COMMAND, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    assert wait_listening(port, process, STARTUP_TIMEOUT), (workdir / f"{name}.log").read_text()
    return process


def _stopped(process: subprocess.Popen[bytes], workdir: Path, name: str) -> str:
    code = stop_process(process)
    output = (workdir / f"{name}.log").read_text(errors="replace")
    assert code == 0, output
    assert "Traceback" not in output, output
    for secret in (TOKEN, API_KEY, JWT_KEY):
        assert secret not in output
    return output


def test_notices_reach_both_channels_exactly_once_across_a_restart(tmp_path: Path) -> None:
    kb_dir, _key = agora_kb(tmp_path)
    port = free_port()
    with FakeBotApiServer() as telegram, FakeEvolution() as evolution:
        evolution.set_webhook(f"http://127.0.0.1:{port}/whatsapp")
        env = clean_env() | whatsapp_env(evolution, port)
        env |= {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": telegram.base_url,
            "KB_DIR": str(kb_dir),
            "NOTICE_CHAT_ID": str(NOTICE_CHAT),
            "WHATSAPP_NOTICE_GROUP_ID": GROUP_JID,
            "NOTICE_STATE_FILE": str(tmp_path / "state" / "notices.json"),
            "NOTICE_LEAD_MINUTES": "0",
            "NOTICE_GRACE_MINUTES": "30",
        }

        def in_telegram() -> int:
            return sum(
                1
                for c in telegram.api.calls_to("sendMessage")
                if c["chat_id"] == NOTICE_CHAT and "Agora Net" in c.get("text", "") and c.done
            )

        def in_whatsapp() -> int:
            return sum("Agora Net" in t for t in evolution.sent_texts(GROUP_JID))

        evolution.down()
        first = _start(env, tmp_path, port, "run1")
        deadline = time.monotonic() + 30
        while in_telegram() < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        _stopped(first, tmp_path, "run1")
        assert in_telegram() == 1 and in_whatsapp() == 0

        evolution.up()
        second = _start(env, tmp_path, port, "run2")
        deadline = time.monotonic() + 30
        while in_whatsapp() < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(SETTLE)
        _stopped(second, tmp_path, "run2")
        assert (in_telegram(), in_whatsapp()) == (1, 1)

        third = _start(env, tmp_path, port, "run3")
        time.sleep(SETTLE)
        _stopped(third, tmp_path, "run3")
        assert (in_telegram(), in_whatsapp()) == (1, 1)
