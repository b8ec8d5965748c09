"""Settings: the environment variable names are a contract, documented in .env.example and in the
README or docs/ (the settings reference, docs/settings.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.app.settings import Settings, WeeklyAt

ROOT = Path(__file__).resolve().parent.parent
NAMES = sorted(name.upper() for name in Settings.model_fields)
DOCS = "\n".join(
    path.read_text(encoding="utf-8")
    for path in [ROOT / "README.md", *sorted(ROOT.glob("docs/*.md"))]
)


@pytest.mark.parametrize("name", NAMES)
def test_every_variable_is_documented(name: str) -> None:
    assert f"\n{name}=" in (ROOT / ".env.example").read_text(encoding="utf-8")
    assert f"`{name}`" in DOCS


def test_the_names_the_issues_fixed() -> None:
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_URL",
        "ALLOWED_CHAT_IDS",
        "SUPERVISOR_IDS",
        "AGENT_IDS",
        "NOTICE_CHAT_ID",
        "TELEGRAM_WEBHOOK_URL",
        "NOTICE_LEAD_MINUTES",
        "NOTICE_GRACE_MINUTES",
        "KB_DIR",
        "KB_GIT_PULL_SECONDS",
        "SUPERVISOR_CHAT_ID",
        "KB_STALE_DAYS",
        "CREDENTIALS_IN_GROUPS",
        "CREDENTIALS_DELETE_AFTER_SECONDS",
    ):
        assert name in NAMES


def test_values_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("ALLOWED_CHAT_IDS", "-1001, -1002")
    monkeypatch.setenv("SUPERVISOR_IDS", "7")
    monkeypatch.setenv("NOTICE_CHAT_ID", "")
    monkeypatch.setenv("CREDENTIALS_IN_GROUPS", "false")
    settings = Settings()
    assert settings.allowed_chat_ids == [-1001, -1002]
    assert settings.supervisor_ids == [7]
    assert settings.notice_chat_id is None
    assert settings.credentials_in_groups is False
    assert settings.notice_lead_minutes == 10 and settings.notice_grace_minutes == 30


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=123:abc\nKB_STALE_DAYS=30\n", "utf-8")
    settings = Settings()
    assert settings.has_token and settings.kb_stale_days == 30


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("seg 08:00", WeeklyAt(1, 8, 0)),
        ("Segunda-feira 8:05", WeeklyAt(1, 8, 5)),
        ("sáb 18:30", WeeklyAt(6, 18, 30)),
        ("DOM 00:00", WeeklyAt(0, 0, 0)),
        ("off", None),
        ("Desligado", None),
    ],
)
def test_gaps_weekly_at(
    value: str, expected: WeeklyAt | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GAPS_WEEKLY_AT", value)
    assert Settings().gaps_weekly_at == expected


@pytest.mark.parametrize(
    "value", ["xx 08:00", "seg 25:00", "seg", "08:00", "seg 8h", "segxyz 8:00"]
)
def test_gaps_weekly_at_refuses_what_it_cannot_read(
    value: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GAPS_WEEKLY_AT", value)
    with pytest.raises(ValidationError, match="GAPS_WEEKLY_AT: use <dia> <HH:MM>"):
        Settings()


def test_gaps_weekly_at_defaults_to_monday_morning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GAPS_WEEKLY_AT", raising=False)
    assert Settings().gaps_weekly_at == WeeklyAt(1, 8, 0)
