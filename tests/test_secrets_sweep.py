"""No secret in any log line or error, whatever happens: the real ``upcall-bot run`` (and the
other commands) through every scenario below, each one's whole output and every file it wrote
grepped for every secret.

The secrets are found generically: the value of every variable of the scenario whose name says
TOKEN, SECRET, KEY or PASSWORD (so a new door's API key is swept as soon as a scenario sets it),
and every password of the KB the scenario loads (the public KB's and a secrets file's). A new
fault scenario is one more entry in :data:`SCENARIOS`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from conftest import KB_DIR

from bot.knowledge.kb import load_kb
from fake_bot_api import AGENT, GROUP, OTHER_GROUP, SUPERVISOR, TOKEN, FakeBotApiServer, Updates

WEBHOOK_SECRET = "Wh00k-secret_sweep-7f3a"
VAULT_PASSWORD = "Sw33p-Vault!pw"
TIMEOUT = 60.0
"""Generous: on a loaded two-CPU machine, starting the bot takes seconds."""
WORKERS = 3
_SECRET_NAME = re.compile(r"TOKEN|SECRET|KEY|PASSWORD", re.IGNORECASE)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Run:
    """One scenario's process: its environment, working directory and fake Telegram."""

    server: FakeBotApiServer
    workdir: Path
    env: dict[str, str]
    output: list[str]

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=self.workdir,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def finish(self, process: subprocess.Popen[str], *, stop: bool = False) -> int:
        if stop and process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            out, _ = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            out, _ = process.communicate()
        self.output.append(out)
        return process.returncode

    def get(self, url: str) -> None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                self.output.append(response.read().decode())
        except urllib.error.HTTPError as exc:
            self.output.append(exc.read().decode())


def running_bot(run: Run) -> None:
    """A day's work at LOG_LEVEL=DEBUG: credentials asked where allowed and where not, a send
    that fails, a secrets file broken and fixed while running, /healthz and /metrics read."""
    health = free_port()
    run.env.update(LOG_LEVEL="DEBUG", HEALTH_PORT=str(health))
    api, updates = run.server.api, Updates()
    process = run.start("run")
    try:
        api.wait_for("getUpdates", timeout=TIMEOUT, answered=False)
    except AssertionError:
        run.finish(process, stop=True)
        raise AssertionError(f"the bot did not start:\n{run.output[-1]}") from None
    for chat, user in ((GROUP, AGENT), (OTHER_GROUP, AGENT), (GROUP, SUPERVISOR)):
        mark = api.mark()
        api.push(updates.message(chat, user, "/senha lasernet W5-1200G"))
        api.wait_for("sendMessage", since=mark, timeout=TIMEOUT)
    api.fail_next("sendMessage", 500, "Internal Server Error")
    mark = api.mark()
    api.push(updates.message(GROUP, AGENT, "/senha lasernet W5-1200G"))
    api.wait_for("sendMessage", since=mark, timeout=TIMEOUT)  # the apology
    secrets_file = Path(run.env["KB_DIR"]) / "secrets.yaml"
    good = secrets_file.read_text("utf-8")
    mark = api.mark()
    secrets_file.write_text(good.replace("W5-1200G", "W5-9999X"), "utf-8")
    api.wait_for(
        "sendMessage", lambda c: c["chat_id"] == SUPERVISOR["id"], since=mark, timeout=TIMEOUT
    )  # the supervisors told the KB is broken
    secrets_file.write_text(good, "utf-8")
    run.get(f"http://127.0.0.1:{health}/healthz")
    run.get(f"http://127.0.0.1:{health}/metrics")
    assert run.finish(process, stop=True) == 0


def rejected_token(run: Run) -> None:
    run.env["TELEGRAM_BOT_TOKEN"] = "7000002:REJECTED_sweep-token"
    assert run.finish(run.start("run")) != 0


def webhook_registration_fails(run: Run) -> None:
    port = free_port()
    run.env.update(
        TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=str(port),
    )
    run.server.api.fail_next("setWebhook", 400, "Bad Request: bad webhook: Failed to resolve host")
    assert run.finish(run.start("run")) != 0


def no_network(run: Run) -> None:
    run.env["TELEGRAM_API_URL"] = f"http://127.0.0.1:{free_port()}/bot"
    assert run.finish(run.start("run")) != 0


def bad_settings(run: Run) -> None:
    run.env.update(
        TELEGRAM_BOT_TOKEN="7000001 sweep token with spaces",
        TELEGRAM_WEBHOOK_SECRET="not a valid secret: Wh00k!",
        TIMEZONE="Brasil/Sao_Paulo",
    )
    assert run.finish(run.start("run")) == 2  # every mode checks them alike (tests/test_cli.py)


def broken_secrets_file(run: Run) -> None:
    secrets_file = Path(run.env["KB_DIR"]) / "secrets.yaml"
    secrets_file.write_text(
        "providers:\n  lasernet:\n    equipment:\n"
        f"      - {{model: W5-NOPE, passwords: ['{VAULT_PASSWORD}']}}\n"
        f"  ghost:\n    equipment: [{{model: X, passwords: ['{VAULT_PASSWORD}']}}]\n",
        "utf-8",
    )
    assert run.finish(run.start("run")) != 0  # the same lines as kb validate


SCENARIOS: dict[str, Callable[[Run], None]] = {
    "running bot": running_bot,
    "rejected token": rejected_token,
    "webhook registration fails": webhook_registration_fails,
    "no network": no_network,
    "bad settings": bad_settings,
    "broken secrets file": broken_secrets_file,
}


def test_no_secret_in_any_log_or_error(tmp_path: Path) -> None:
    """Every scenario at once (each its own fake Telegram and process): the wall time of the
    slowest, not of all."""
    with ThreadPoolExecutor(WORKERS) as pool:
        runs = {
            name: pool.submit(sweep, name, tmp_path / f"s{i}") for i, name in enumerate(SCENARIOS)
        }
    leaks = [problem for future in runs.values() for problem in future.result()]
    assert leaks == []


def sweep(scenario: str, tmp_path: Path) -> list[str]:
    """Run one scenario; the places where a secret showed (none, one hopes)."""
    kb_dir = tmp_path / "knowledge"
    shutil.copytree(KB_DIR, kb_dir)
    (kb_dir / "secrets.yaml").write_text(
        "providers:\n  lasernet:\n    equipment:\n"
        f"      - {{model: W5-1200G, passwords: ['{VAULT_PASSWORD}']}}\n",
        "utf-8",
    )
    kb_passwords = [
        password
        for provider in load_kb(kb_dir).providers.values()
        for item in provider.equipment
        for password in item.passwords
    ]
    assert VAULT_PASSWORD in kb_passwords
    workdir = tmp_path / "work"
    workdir.mkdir()
    with FakeBotApiServer() as server:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("TELEGRAM_", "HEALTH_", "LOG_", "KB_", "NOTICE_"))
            and k not in ("ALLOWED_CHAT_IDS", "SUPERVISOR_IDS", "AGENT_IDS", "SUPERVISOR_CHAT_ID")
        }
        env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=server.base_url,
            TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
            ALLOWED_CHAT_IDS=str(GROUP["id"]),
            SUPERVISOR_IDS=str(SUPERVISOR["id"]),
            AGENT_IDS=str(AGENT["id"]),
            KB_DIR=str(kb_dir),
            HEALTH_PORT="0",
            LOG_LEVEL="INFO",
            NO_PROXY="*",
        )
        run = Run(server, workdir, env, [])
        SCENARIOS[scenario](run)
    secrets = {v for k, v in run.env.items() if _SECRET_NAME.search(k) and len(v) >= 4}
    secrets |= set(kb_passwords)
    written = [
        (str(path.relative_to(workdir)), path.read_text("utf-8", errors="replace"))
        for path in workdir.rglob("*")
        if path.is_file()
    ]
    places = [(f"output {i}", text) for i, text in enumerate(run.output)] + written
    assert run.output and all(run.output), f"{scenario}: no output to sweep"
    return [
        f"{scenario}: a secret ({len(secret)} chars) in {where}"
        for secret in sorted(secrets)
        for where, text in places
        if secret in text
    ]
