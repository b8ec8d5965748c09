"""Webhook mode end to end: the real ``upcall-bot run`` with ``TELEGRAM_WEBHOOK_URL`` set registers
the webhook with its secret, answers updates POSTed with that secret, and refuses the others."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import KB_DIR, PASSWORD

from fake_bot_api import AGENT, GROUP, TOKEN, FakeBotApiServer, FakeTelegram, Updates, plain_text

SECRET = "s3cret-token_ok"
STARTUP_TIMEOUT = 60.0
"""A ceiling, not a wait: on a busy machine (the suite runs in parallel) a cold start can take
many seconds."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def post(url: str, update: dict[str, object], secret: str | None) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(update).encode(), headers={"Content-Type": "application/json"}
    )
    if secret is not None:
        request.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except urllib.error.URLError:
        return 0  # not listening (yet)


class Webhook:
    def __init__(
        self, api: FakeTelegram, url: str, process: subprocess.Popen[bytes], log: Path
    ) -> None:
        self.api, self.url, self.process, self.log = api, url, process, log
        self.updates = Updates()


@pytest.fixture(scope="module")
def webhook(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webhook]:
    workdir = tmp_path_factory.mktemp("webhook")
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    with FakeBotApiServer() as server:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(
                ("TELEGRAM_", "ALLOWED_", "SUPERVISOR_", "AGENT_", "NOTICE_", "HEALTH_")
            )
        }
        env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=server.base_url,
            TELEGRAM_WEBHOOK_URL=url,
            TELEGRAM_WEBHOOK_SECRET=SECRET,
            TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
            TELEGRAM_WEBHOOK_PORT=str(port),
            ALLOWED_CHAT_IDS=str(GROUP["id"]),
            KB_DIR=str(KB_DIR),
            HEALTH_PORT="0",
            NO_PROXY="*",
            LOG_LEVEL="DEBUG",  # the last test reads the log for secrets
        )
        log = workdir / "bot.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=workdir,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        hook = Webhook(server.api, url, process, log)
        try:
            server.api.wait_for("setWebhook", timeout=STARTUP_TIMEOUT)
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while post(url, {"update_id": 1}, SECRET) not in (200, 201, 204):
                assert time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.2)
            yield hook
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def test_webhook_registered_with_its_secret(webhook: Webhook) -> None:
    [call] = webhook.api.calls_to("setWebhook")
    assert call["url"] == webhook.url
    assert call["secret_token"] == SECRET
    assert webhook.api.calls_to("getUpdates") == []  # no polling in webhook mode


def test_update_with_the_secret_is_answered(webhook: Webhook) -> None:
    mark = webhook.api.mark()
    update = webhook.api.push(webhook.updates.message(GROUP, AGENT, "/senha lasernet W5-1200G"))
    assert post(webhook.url, update, SECRET) == 200
    webhook.api.wait_for("sendMessage", since=mark)
    [sent] = webhook.api.calls_to("sendMessage")[-1:]
    assert PASSWORD in plain_text(sent["text"], sent.get("parse_mode"))


@pytest.mark.parametrize("secret", [None, "wrong"])
def test_update_without_the_secret_is_refused(webhook: Webhook, secret: str | None) -> None:
    mark = webhook.api.mark()
    update = webhook.updates.message(GROUP, AGENT, "/dns mutum")
    update["update_id"] = 999
    assert post(webhook.url, update, secret) == 403
    time.sleep(0.5)
    assert [c for c in webhook.api.calls_since(mark) if c.method == "sendMessage"] == []


def test_no_file_the_webhook_bot_wrote_holds_a_secret(webhook: Webhook) -> None:
    """At LOG_LEVEL=DEBUG, after a credential answer and refused requests: the log and the
    bot's files hold neither the token, nor the webhook secret, nor the password it sent."""
    webhook.process.send_signal(signal.SIGINT)
    assert webhook.process.wait(timeout=15) == 0
    workdir = webhook.log.parent
    written = [p for p in workdir.rglob("*") if p.is_file()]
    assert webhook.log in written and "DEBUG" in webhook.log.read_text(errors="replace")
    for path in written:
        text = path.read_text(errors="replace")
        for secret in (TOKEN, SECRET, PASSWORD):
            assert secret not in text, (path.name, secret)
