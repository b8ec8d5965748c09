"""Fixtures shared by the Telegram tests (test_access, test_handlers, test_e2e)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from bot.app.settings import Settings
from bot.knowledge import kb as kb_module
from bot.knowledge.kb import KB, load_kb
from fake_bot_api import AGENT, GROUP, SUPERVISOR, TOKEN

ROOT = Path(__file__).resolve().parent.parent
KB_DIR = ROOT / "knowledge"
PASSWORD = "Lnt12345@"
"""LaserNet's W5-1200G password in the real KB."""
MUTUM_DNS = "143.202.80.56"

# Tests reach only 127.0.0.1, directly: a proxy from the machine's environment would carry the
# bot's calls (the bot honours proxy variables, see handlers/transport.py) and those of the bots
# the end-to-end tests start, which inherit this environment.
for _name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
    os.environ.pop(_name, None)
    os.environ.pop(_name.lower(), None)


def kb_facts(kb: KB) -> list[str]:
    """Strings only the KB knows: none may reach a chat that is not allowed."""
    facts = [PASSWORD, MUTUM_DNS]
    for provider in kb.providers.values():
        facts += [provider.name, provider.id]
        facts += [pw for item in provider.equipment for pw in item.passwords]
    return facts


def make_settings(**overrides: Any) -> Settings:
    """Settings for tests: explicit values, no ``.env`` file read."""
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_api_url": "http://127.0.0.1:9/bot",  # never reached: tests swap the request
        "telegram_webhook_url": "",
        "allowed_chat_ids": [GROUP["id"]],
        "supervisor_ids": [SUPERVISOR["id"]],
        "agent_ids": [AGENT["id"]],
        "notice_chat_id": None,
        "kb_dir": KB_DIR,
        "timezone": "America/Sao_Paulo",
        "log_level": "INFO",
        "health_port": 0,  # no health server unless a test asks for one
    }
    # Files the bot writes go to a fresh folder, never the checkout's state/.
    scratch = Path(tempfile.mkdtemp(prefix="upcall-test-"))
    for name, file in (
        ("audit_file", "audit.jsonl"),
        ("notice_state_file", "notices.json"),
        ("gaps_file", "gaps.jsonl"),
    ):
        if name in Settings.model_fields:
            values[name] = scratch / file
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def real_kb() -> KB:
    return load_kb(KB_DIR)


@pytest.fixture
def settings() -> Settings:
    return make_settings()


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A copy of the real KB in ``tmp_path``: for tests where the watcher runs or files change,
    never on the checkout's own files."""
    target = tmp_path / "knowledge"
    shutil.copytree(KB_DIR, target)
    return target


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The YAML texts parsed, in order (the loader's one parsing function, counted)."""
    seen: list[str] = []
    real = kb_module._parse

    def counting(text: str) -> Any:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(kb_module, "_parse", counting)
    return seen
