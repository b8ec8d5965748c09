"""Configuration: one typed object read from the environment and ``.env`` (see .env.example)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _id_list(value: object) -> object:
    """``"-100123, 456"`` -> ``[-100123, 456]``; empty -> ``[]``."""
    if isinstance(value, str):
        return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
    if isinstance(value, int):
        return [value]
    return value


IdList = Annotated[list[int], NoDecode, BeforeValidator(_id_list)]


def _thread_map(value: object) -> object:
    """``"vmnet:12, mutum:13"`` -> ``{"vmnet": 12, "mutum": 13}``; empty -> ``{}``."""
    if not isinstance(value, str):
        return value
    threads: dict[str, int] = {}
    for part in value.replace(";", ",").split(","):
        if not part.strip():
            continue
        provider, sep, thread = part.partition(":")
        if not sep or not provider.strip() or not thread.strip().isdigit():
            raise ValueError(f"NOTICE_THREADS: use <provedor>:<tópico>, ex.: vmnet:12 ({part!r})")
        threads[provider.strip()] = int(thread)
    return threads


ThreadMap = Annotated[dict[str, int], NoDecode, BeforeValidator(_thread_map)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: str = ""
    """Token from BotFather. Empty: ``upcall-bot`` opens the offline console instead."""
    telegram_api_url: str = "https://api.telegram.org/bot"
    """Bot API base URL; the token is appended as Telegram does. Tests use a local server."""
    telegram_webhook_url: str = ""
    """Public HTTPS URL for webhook mode; empty: long polling."""
    telegram_webhook_secret: str = ""
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = 8443

    allowed_chat_ids: IdList = Field(default_factory=list)
    """Groups where the bot answers everyone."""
    supervisor_ids: IdList = Field(default_factory=list)
    """Users with supervisor commands; also allowed in private chat."""
    agent_ids: IdList = Field(default_factory=list)
    """Extra users allowed in private chat."""
    notice_chat_id: int | None = None
    """Where shift-change notices are posted."""
    notice_lead_minutes: int = Field(default=10, ge=0)
    """An advance notice this many minutes before each boundary (0: none)."""
    notice_grace_minutes: int = Field(default=30, ge=0)
    """A notice missed while the bot was down is posted late, once, up to this long after."""
    notice_state_file: Path = Path("state/notices.json")
    """The notices already posted (JSON), so a restart never posts one twice."""
    notice_threads: ThreadMap = Field(default_factory=dict)
    """Forum topic per ISP in NOTICE_CHAT_ID (``vmnet:12,mutum:13``); others go to the chat."""

    kb_dir: Path = Path("knowledge")
    credentials_in_groups: bool = True
    """Answers with passwords or system logins may be sent in groups (else: private chat only)."""
    credentials_delete_after_seconds: int = 0
    """When > 0, messages carrying credentials are deleted after this many seconds."""
    audit_file: Path = Path("state/audit.jsonl")
    """Credentials audit log (JSON lines; never the secret)."""
    gaps_file: Path = Path("state/gaps.jsonl")
    """Questions the KB did not answer well (JSON lines; never the reply): /lacunas."""
    kb_secrets_file: Path | None = None
    """Credentials overlay merged into the KB (default: ``<KB_DIR>/secrets.yaml`` if present)."""
    kb_stale_days: int = 90
    """``kb lint`` warns about an ISP whose ``reviewed`` date is older than this."""
    kb_git_pull_seconds: float = 0
    """When > 0, ``git pull --ff-only`` the KB's repository on this period (0: off)."""
    supervisor_chat_id: int | None = None
    """Where KB errors go; empty: to each of SUPERVISOR_IDS in private."""
    timezone: str = "America/Sao_Paulo"
    """UPCALL's own clock: coverage windows and default display time."""
    log_level: str = "INFO"

    @property
    def has_token(self) -> bool:
        return bool(self.telegram_bot_token.strip())
