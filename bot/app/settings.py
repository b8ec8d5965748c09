"""Configuration: one typed object read from the environment and ``.env`` (see .env.example)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated, NamedTuple

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


class WeeklyAt(NamedTuple):
    """A weekly moment: ``weekday`` as PTB's ``run_daily`` counts (0 = Sunday ... 6 = Saturday)."""

    weekday: int
    hour: int
    minute: int


_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("dom", "domingo"),
            ("seg", "segunda", "segunda-feira"),
            ("ter", "terca", "terca-feira"),
            ("qua", "quarta", "quarta-feira"),
            ("qui", "quinta", "quinta-feira"),
            ("sex", "sexta", "sexta-feira"),
            ("sab", "sabado"),
        )
    )
    for name in names
}
_OFF = {"off", "desligado", "nunca"}


def _weekly_at(value: object) -> object:
    """``"seg 08:00"`` (also ``"segunda-feira 8:00"``, ``"sáb 18:30"``) -> ``WeeklyAt(1, 8, 0)``;
    ``"off"`` -> ``None``."""
    if not isinstance(value, str):
        return value
    folded = unicodedata.normalize("NFKD", value.strip().lower())
    text = "".join(c for c in folded if not unicodedata.combining(c))
    if text in _OFF:
        return None
    found = re.fullmatch(r"([a-z-]+)\s+(\d{1,2}):(\d{2})", text)
    day = _WEEKDAYS.get(found[1]) if found else None
    if found is None or day is None or int(found[2]) > 23 or int(found[3]) > 59:
        raise ValueError(f"GAPS_WEEKLY_AT: use <dia> <HH:MM>, ex.: seg 08:00, ou off ({value!r})")
    return WeeklyAt(day, int(found[2]), int(found[3]))


Weekly = Annotated[WeeklyAt | None, NoDecode, BeforeValidator(_weekly_at)]


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
    gaps_weekly_at: Weekly = WeeklyAt(1, 8, 0)
    """When the week's unanswered questions go to the supervisors (``seg 08:00``; ``off``)."""
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
