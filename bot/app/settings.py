"""Configuration: one typed object read from the environment and ``.env`` (see .env.example)."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from dotenv.parser import parse_stream
from pydantic import AfterValidator, BeforeValidator, Field, ValidationError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _ids(sign: int) -> BeforeValidator:
    """A list of chat or user ids from ``"-100123, -100456"``; ``sign`` -1: groups (negative ids),
    +1: users (positive ids), 0: either."""

    def parse(value: object) -> object:
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            return value
        ids: list[int] = []
        for part in value.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not re.fullmatch(r"[+-]?\d+", part):
                raise ValueError(f"{part!r} não é um número de chat/usuário; separe por vírgulas")
            ids.append(_signed(int(part), sign))
        return ids

    return BeforeValidator(parse)


def _signed(number: int, sign: int) -> int:
    if number == 0:
        raise ValueError("0 não é um id do Telegram")
    if sign < 0 and number > 0:
        raise ValueError(
            f"{number} é positivo, mas grupos têm id negativo (faltou o sinal de menos?)"
        )
    if sign > 0 and number < 0:
        raise ValueError(f"{number} é negativo, mas usuários têm id positivo")
    return number


def _one_id(sign: int) -> BeforeValidator:
    def parse(value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if not re.fullmatch(r"[+-]?\d+", text):
                raise ValueError("deve ser um número (id do chat)")
            value = int(text)
        if isinstance(value, int):
            return _signed(value, sign)
        return value

    return BeforeValidator(parse)


GroupIds = Annotated[list[int], NoDecode, _ids(-1)]
UserIds = Annotated[list[int], NoDecode, _ids(+1)]
GroupId = Annotated[int | None, _one_id(-1)]
ChatId = Annotated[int | None, _one_id(0)]


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
            raise ValueError(f"use <provedor>:<tópico> separados por vírgula ({part.strip()!r})")
        if int(thread) < 1:
            raise ValueError(
                f"o número do tópico começa em 1 ({part.strip()!r}); para postar fora de um "
                "tópico, deixe o provedor fora de NOTICE_THREADS"
            )
        threads[provider.strip()] = int(thread)
    return threads


ThreadMap = Annotated[dict[str, int], NoDecode, BeforeValidator(_thread_map)]


def _jid_list(value: object) -> object:
    """``"120363...@g.us, 5511999990000"`` -> ``["120363...@g.us", "5511999990000"]``."""
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return value


JidList = Annotated[list[str], NoDecode, BeforeValidator(_jid_list)]

_GROUP_JID_RE = re.compile(r"^[0-9-]+@g\.us$")
_PERSON_RE = re.compile(r"^(?:\+?[0-9 ().-]{8,}|[0-9]+@(?:lid|s\.whatsapp\.net))$")


def _group_jid(value: str) -> str:
    value = value.strip()
    if value and not _GROUP_JID_RE.match(value):
        raise ValueError("um grupo do WhatsApp termina em @g.us (veja upcall-bot whatsapp groups)")
    return value


def _group_jids(values: list[str]) -> list[str]:
    return [_group_jid(value) for value in values]


def _people(values: list[str]) -> list[str]:
    for value in values:
        if not _PERSON_RE.match(value) or sum(c.isdigit() for c in value) < 8:
            raise ValueError(f"{value!r}: use o número com DDI (5511999990000) ou o LID (…@lid)")
    return values


_INSTANCE_RE = re.compile(r"^[A-Za-z0-9._-]+$")


def _instance(value: str) -> str:
    value = value.strip()
    if value and not _INSTANCE_RE.match(value):
        raise ValueError("use letras, números, ponto, _ e - (o nome da instância na Evolution)")
    return value


def _no_spaces(value: str) -> str:
    if any(c.isspace() for c in value.strip()):
        raise ValueError("não pode ter espaços")
    return value.strip()


WHATSAPP_SECRET_MIN = 32


def _whatsapp_secret(value: str) -> str:
    value = value.strip()
    if value and (len(value) < WHATSAPP_SECRET_MIN or any(c.isspace() for c in value)):
        raise ValueError(
            f"use ao menos {WHATSAPP_SECRET_MIN} caracteres, sem espaços (openssl rand -hex 32)"
        )
    return value


def _url_path(value: str) -> str:
    value = value.strip()
    if not value.startswith("/") or any(c.isspace() for c in value):
        raise ValueError("deve começar com / e não ter espaços")
    return value


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
        raise ValueError("use <dia> <HH:MM> (seg, ter, qua, qui, sex, sáb, dom) ou off")
    return WeeklyAt(day, int(found[2]), int(found[3]))


Weekly = Annotated[WeeklyAt | None, NoDecode, BeforeValidator(_weekly_at)]


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: "America"
        raise ValueError("fuso horário desconhecido (use um nome IANA)") from exc
    return value


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(value: str) -> str:
    level = value.strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError(f"nível desconhecido (use {', '.join(LOG_LEVELS)})")
    return level


def _http_url(value: str) -> str:
    """An ``http(s)://host/...`` address (whether ``http://`` will do: :func:`cross_problems`)."""
    if not value:
        return value
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("deve ser um endereço http:// ou https://")
    return value.strip()


def shown_url(value: str, *, path: bool = False) -> str:
    """An address fit to print or log: ``scheme://host:port`` (and its path if ``path``), never
    the ``user:password@`` a gateway behind a proxy may carry, nor a query."""
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "[endereço inválido]"
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    where = f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")
    return where + (parts.path if path else "")


def url_secrets(value: str) -> list[str]:
    """The credentials written in an address (``user:password@``): what the log redacts."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return []
    found = []
    if parts.password:
        found += [parts.password, f"{parts.username}:{parts.password}"]
    return found


_WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def _webhook_secret(value: str) -> str:
    if value and not _WEBHOOK_SECRET_RE.match(value):
        raise ValueError("use de 1 a 256 caracteres A-Z, a-z, 0-9, _ e -")
    return value


_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


def _token(value: str) -> str:
    value = value.strip()
    if value and not _TOKEN_RE.match(value):
        raise ValueError("não tem a forma de um token do @BotFather (<número>:<letras>)")
    return value


def _not_a_directory(value: Path) -> Path:
    if value.is_dir():
        raise ValueError("é um diretório; indique um arquivo")
    return value


def _host(value: str) -> str:
    value = value.strip()
    if not value or not re.fullmatch(r"[A-Za-z0-9.:_-]+", value):
        raise ValueError("deve ser um endereço IP ou nome de máquina")
    return value


Port = Annotated[int, Field(ge=1, le=65535)]
FilePath = Annotated[Path, AfterValidator(_not_a_directory)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: Annotated[str, AfterValidator(_token)] = ""
    """Token from BotFather. Empty: ``upcall-bot`` opens the offline console instead."""
    telegram_api_url: Annotated[str, AfterValidator(_http_url)] = "https://api.telegram.org/bot"
    """Bot API base URL; the token is appended as Telegram does. Tests use a local server."""
    telegram_webhook_url: Annotated[str, AfterValidator(_http_url)] = ""
    """Public HTTPS URL for webhook mode; empty: long polling. ``http://`` only with a local Bot
    API server (see :func:`cross_problems`)."""
    telegram_webhook_secret: Annotated[str, AfterValidator(_webhook_secret)] = ""
    telegram_webhook_listen: Annotated[str, AfterValidator(_host)] = "0.0.0.0"
    telegram_webhook_port: Port = 8443

    allowed_chat_ids: GroupIds = Field(default_factory=list)
    """Groups where the bot answers everyone (negative ids)."""
    supervisor_ids: UserIds = Field(default_factory=list)
    """Users with supervisor commands; also allowed in private chat."""
    agent_ids: UserIds = Field(default_factory=list)
    """Extra users allowed in private chat."""
    notice_chat_id: GroupId = None
    """Where shift-change notices are posted (a group or channel: negative id)."""
    notice_lead_minutes: int = Field(default=10, ge=0)
    """An advance notice this many minutes before each boundary (0: none)."""
    notice_grace_minutes: int = Field(default=30, ge=0)
    """A notice missed while the bot was down is posted late, once, up to this long after."""
    notice_state_file: FilePath = Path("state/notices.json")
    """The notices already posted (JSON), so a restart never posts one twice."""
    notice_threads: ThreadMap = Field(default_factory=dict)
    """Forum topic per ISP in NOTICE_CHAT_ID (``vmnet:12,mutum:13``); others go to the chat."""

    kb_dir: Path = Path("knowledge")
    credentials_in_groups: bool = True
    """Answers with passwords or system logins may be sent in groups (else: private chat only)."""
    credentials_delete_after_seconds: int = Field(default=0, ge=0)
    """When > 0, messages carrying credentials are deleted after this many seconds."""
    audit_file: FilePath = Path("state/audit.jsonl")
    """Credentials audit log (JSON lines; never the secret)."""
    gaps_file: FilePath = Path("state/gaps.jsonl")
    """Questions the KB did not answer well (JSON lines; never the reply): /lacunas."""
    gaps_weekly_at: Weekly = WeeklyAt(1, 8, 0)
    """When the week's unanswered questions go to the supervisors (``seg 08:00``; ``off``)."""
    kb_secrets_file: Path | None = None
    """Credentials overlay merged into the KB (default: ``<KB_DIR>/secrets.yaml`` if present)."""
    kb_stale_days: int = Field(default=90, ge=1)
    """``kb lint`` warns about an ISP whose ``reviewed`` date is older than this."""
    kb_git_pull_seconds: float = Field(default=0, ge=0)
    """When > 0, ``git pull --ff-only`` the KB's repository on this period (0: off)."""
    supervisor_chat_id: ChatId = None
    """Where KB errors go; empty: to each of SUPERVISOR_IDS in private."""
    timezone: Annotated[str, AfterValidator(_zone)] = "America/Sao_Paulo"
    """UPCALL's own clock: coverage windows and default display time."""
    log_level: Annotated[str, AfterValidator(_log_level)] = "INFO"
    console_history_file: FilePath = Path("state/console_history")
    """Lines typed at the console (``upcall-bot console``), for the arrow keys."""
    health_host: Annotated[str, AfterValidator(_host)] = "127.0.0.1"
    """Address of the health server (``/healthz``, ``/metrics``) of ``upcall-bot run``."""
    health_port: int = Field(default=8080, ge=0, le=65535)
    """Its port; 0: no health server."""

    whatsapp_api_url: Annotated[str, AfterValidator(_http_url)] = ""
    """Evolution API v2 base URL (``http://evolution:8080``). Empty: no WhatsApp."""
    whatsapp_api_key: Annotated[str, AfterValidator(_no_spaces)] = ""
    """Evolution's ``apikey`` (the global key or the instance's token)."""
    whatsapp_instance: Annotated[str, AfterValidator(_instance)] = ""
    """The Evolution instance (the linked WhatsApp number) the bot speaks through."""
    whatsapp_webhook_secret: Annotated[str, AfterValidator(_whatsapp_secret)] = ""
    """Key of the HS256 JWT Evolution signs every webhook with (registered as ``jwt_key``)."""
    whatsapp_webhook_host: Annotated[str, AfterValidator(_host)] = "0.0.0.0"
    whatsapp_webhook_port: int = Field(default=8081, ge=1, le=65535)
    whatsapp_webhook_path: Annotated[str, AfterValidator(_url_path)] = "/whatsapp"
    whatsapp_webhook_url: Annotated[str, AfterValidator(_http_url)] = ""
    """The URL Evolution posts to (``upcall-bot whatsapp connect`` registers it), e.g.
    ``http://bot:8081/whatsapp`` on the private Docker network."""
    whatsapp_group_ids: Annotated[JidList, AfterValidator(_group_jids)] = Field(
        default_factory=list
    )
    """WhatsApp groups where everyone may ask (``120363...@g.us``)."""
    whatsapp_supervisors: Annotated[JidList, AfterValidator(_people)] = Field(default_factory=list)
    """Supervisors' numbers (``5511999990000``) or LIDs (``123456789@lid``): supervisor
    commands, and the only ones answered in a private chat."""
    whatsapp_notice_group_id: Annotated[str, AfterValidator(_group_jid)] = ""
    """The WhatsApp group that gets shift-change notices and the KB changelog."""
    whatsapp_send_interval_seconds: float = Field(default=1.0, ge=0)
    """At least this long between two messages to one WhatsApp chat (WhatsApp bans floods)."""

    @property
    def has_whatsapp(self) -> bool:
        return bool(self.whatsapp_api_url.strip())

    @property
    def has_token(self) -> bool:
        return bool(self.telegram_bot_token.strip())


# --------------------------------------------------------------------------- readable problems

_SECRET_NAME = re.compile(r"token|secret|password|api_key|apikey|_key$")
SECRET_FIELDS = frozenset(
    name
    for name, field in Settings.model_fields.items()
    if field.annotation is str and _SECRET_NAME.search(name)
)
"""Text settings holding a secret, by name (the token, webhook secrets, API keys): their values
are never shown, not even when wrong, and the log redacts them (bot.app.logs). A field added
for a new door is covered without a list to keep."""

EXAMPLES: dict[str, str] = {
    "telegram_bot_token": "123456789:AAF1x-exemplo_do_BotFather",
    "telegram_api_url": "https://api.telegram.org/bot",
    "telegram_webhook_url": "https://bot.exemplo.com.br/telegram",
    "telegram_webhook_secret": "um_segredo-longo-sem-espacos",
    "telegram_webhook_listen": "0.0.0.0",
    "telegram_webhook_port": "8443",
    "allowed_chat_ids": "-1001234567890,-1009876543210",
    "supervisor_ids": "123456789,987654321",
    "agent_ids": "123456789,987654321",
    "notice_chat_id": "-1001234567890",
    "notice_lead_minutes": "10",
    "notice_grace_minutes": "30",
    "notice_state_file": "state/notices.json",
    "notice_threads": "vmnet:12,mutum:13",
    "kb_dir": "knowledge",
    "credentials_in_groups": "true",
    "credentials_delete_after_seconds": "0",
    "audit_file": "state/audit.jsonl",
    "gaps_file": "state/gaps.jsonl",
    "gaps_weekly_at": "seg 08:00",
    "kb_secrets_file": "/etc/upcall/secrets.yaml",
    "kb_stale_days": "90",
    "kb_git_pull_seconds": "300",
    "supervisor_chat_id": "-1001234567890",
    "timezone": "America/Sao_Paulo",
    "log_level": "INFO",
    "console_history_file": "state/console_history",
    "health_host": "127.0.0.1",
    "health_port": "8080",
    "whatsapp_api_url": "http://evolution:8080",
    "whatsapp_api_key": "a-chave-da-evolution-sem-espacos",
    "whatsapp_instance": "upcall",
    "whatsapp_webhook_secret": "saida-de-openssl-rand-hex-32-com-64-caracteres",
    "whatsapp_webhook_host": "0.0.0.0",
    "whatsapp_webhook_port": "8081",
    "whatsapp_webhook_path": "/whatsapp",
    "whatsapp_webhook_url": "http://bot:8081/whatsapp",
    "whatsapp_group_ids": "120363025246125486@g.us,120363099999999999@g.us",
    "whatsapp_supervisors": "5511999990000,200000000000101@lid",
    "whatsapp_notice_group_id": "120363025246125486@g.us",
    "whatsapp_send_interval_seconds": "1",
}

_PT_TYPE_ERRORS = {
    "int_parsing": "deve ser um número inteiro",
    "int_from_float": "deve ser um número inteiro",
    "float_parsing": "deve ser um número",
    "bool_parsing": "deve ser true ou false",
    "path_type": "deve ser um caminho de arquivo",
}


def problem_line(field: str, value: object, message: str) -> str:
    """``Configuração inválida: TIMEZONE='Brasil/Sao_Paulo': fuso horário desconhecido (use um
    nome IANA). Exemplo: TIMEZONE=America/Sao_Paulo`` — one line; a secret's value is never
    shown."""
    name = field.upper()
    shown = f"{name} (valor oculto)" if field in SECRET_FIELDS else f"{name}={_masked(value)!r}"
    example = EXAMPLES.get(field)
    tail = f". Exemplo: {name}={example}" if example else ""
    return f"Configuração inválida: {shown}: {message}{tail}"


def _masked(value: object) -> object:
    """A value with any secret inside it hidden (a webhook URL whose path is the token)."""
    if not isinstance(value, str):
        return value
    for secret in url_secrets(value):
        value = value.replace(secret, "[oculto]")
    for field in SECRET_FIELDS:
        secret = str(_raw(field, "") or "").strip()
        if len(secret) >= 4:
            value = value.replace(secret, "[oculto]")
    return value


def _message(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "greater_than_equal":
        return f"deve ser {_number(ctx.get('ge'))} ou mais"
    if kind == "less_than_equal":
        return f"deve ser {_number(ctx.get('le'))} ou menos"
    return _PT_TYPE_ERRORS.get(kind, str(error["msg"]))


def _number(value: object) -> str:
    """``0.0`` -> ``0``: bounds as a person writes them."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe(exc: ValidationError) -> dict[str, str]:
    """One line per bad variable (the first error of each), keyed by field name."""
    lines: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        if field in lines:
            continue
        lines[field] = problem_line(field, _raw(field, error.get("input")), _message(error))
    return lines


def _raw(field: str, fallback: object) -> object:
    """The value as written in the environment or ``.env`` (pydantic may hand over a half-parsed
    one)."""
    found = os.environ.get(field.upper())
    if found is None:
        found = next((v for k, v in os.environ.items() if k.upper() == field.upper()), None)
    if found is None:
        dotenv = dotenv_values(".env") if Path(".env").is_file() else {}
        found = next((v for k, v in dotenv.items() if k.upper() == field.upper()), None)
    return found if found is not None else fallback


def read_settings(**overrides: Any) -> tuple[Settings, list[str]]:
    """Settings from the environment and ``.env``, and every problem found, one pt-BR line each.

    A bad value does not hide the others: each variable is checked, and the settings returned
    carry the default in place of each bad value, so that checks that need the rest (the token
    for ``run``, NOTICE_THREADS against the KB) can still run."""
    lines: dict[str, str] = {}
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        lines = describe(exc)
        settings = _with_defaults(overrides, lines)
    lines.update(misspelled_names(Path(".env")))
    lines.update(nameless_lines(Path(".env")))
    crossed = cross_problems(settings)
    if crossed:
        lines.update(crossed)
        settings = _with_defaults(overrides, lines)
    return settings, list(lines.values())


def _with_defaults(overrides: dict[str, Any], bad: Iterable[str]) -> Settings:
    defaults = {
        name: Settings.model_fields[name].get_default(call_default_factory=True)
        for name in bad
        if name in Settings.model_fields
    }
    return Settings(**{**overrides, **defaults})


SIMILAR = 0.8
"""How alike (difflib's ratio) an unknown name in ``.env`` must be to a variable of the bot to be
taken for a typo of it: ``ALOWED_CHAT_IDS``, ``TELEGRAM_TOKEN`` are; ``HTTPS_PROXY`` is not."""


def misspelled_names(dotenv: Path) -> dict[str, str]:
    """Names in ``dotenv`` that are no variable of the bot but look like one (a typo would
    otherwise leave the variable at its default without a word), keyed by the name as written.
    The value is never shown: it may be the token. Other unknown names (a proxy, another
    program's) are left alone, as in the environment."""
    if not dotenv.is_file():
        return {}
    known = [name.upper() for name in Settings.model_fields]
    problems: dict[str, str] = {}
    for written, value in dotenv_values(dotenv).items():
        name = written.strip().upper()
        if value is None:  # no `=`: maybe a pasted value, never shown (nameless_lines)
            continue
        if name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=SIMILAR)
        if close:
            problems[written.lower()] = (
                f"Configuração inválida: {written} (no .env) não é uma variável do bot: "
                f"quis dizer {close[0]}? Corrija o nome (o valor está sendo ignorado)."
            )
    return problems


NAMELESS = (
    "Configuração inválida: linha {line} do .env sem nome de variável (o formato é NOME=valor, "
    "ex.: TELEGRAM_BOT_TOKEN=...); a linha está sendo ignorada."
)


def nameless_lines(dotenv: Path) -> dict[str, str]:
    """Lines of ``dotenv`` that set nothing: no ``NAME=`` (a token pasted alone), or an empty
    name (``=value``). python-dotenv ignores them without a word, so the variable meant stays at
    its default. Keyed ``.env:N``; the line itself is never shown: it is often the token."""
    if not dotenv.is_file():
        return {}
    problems: dict[str, str] = {}
    try:
        with dotenv.open(encoding="utf-8") as stream:
            bindings = list(parse_stream(stream))
    except (OSError, UnicodeDecodeError):
        return {}
    for binding in bindings:
        named = binding.key is not None and binding.value is not None and not binding.error
        written = binding.original.string
        if named or not written.strip() or written.strip().startswith("#"):
            continue
        # A binding starts at the blank lines before it: count them to name the line.
        leading = written[: len(written) - len(written.lstrip())].count("\n")
        line = binding.original.line + leading
        problems[f".env:{line}"] = NAMELESS.format(line=line)
    return problems


def whatsapp_problems(settings: Settings) -> list[str]:
    """What the WhatsApp door cannot start without (``upcall-bot run`` checks it with every
    other setting when ``WHATSAPP_API_URL`` is set: before the KB loads, not seconds after)."""
    missing = [
        name
        for name, value in (
            ("WHATSAPP_API_KEY", settings.whatsapp_api_key),
            ("WHATSAPP_INSTANCE", settings.whatsapp_instance),
            ("WHATSAPP_WEBHOOK_SECRET", settings.whatsapp_webhook_secret),
        )
        if not value.strip()
    ]
    return [f"WhatsApp: defina {', '.join(missing)} (veja .env.example)."] if missing else []


OFFICIAL_API_HOST = "api.telegram.org"


def cross_problems(settings: Settings) -> dict[str, str]:
    """Problems between variables, keyed by the field to blame."""
    problems: dict[str, str] = {}
    webhook = urlsplit(settings.telegram_webhook_url)
    official = urlsplit(settings.telegram_api_url).hostname == OFFICIAL_API_HOST
    if webhook.scheme == "http" and official:
        problems["telegram_webhook_url"] = problem_line(
            "telegram_webhook_url",
            settings.telegram_webhook_url,
            "o Telegram só aceita webhook em https://",
        )
    if (
        settings.telegram_webhook_url
        and settings.health_port
        and settings.health_port == settings.telegram_webhook_port
    ):
        # One of the two servers would not start: the health check would then ask the webhook.
        problems["health_port"] = problem_line(
            "health_port",
            str(settings.health_port),
            "é a mesma porta de TELEGRAM_WEBHOOK_PORT: use uma porta para cada servidor",
        )
    return problems


def unknown_thread_providers(settings: Settings, provider_ids: Iterable[str]) -> list[str]:
    """NOTICE_THREADS naming an ISP the KB does not have (``provider_ids``: the KB's provider
    files, read without loading it)."""
    known = set(provider_ids)
    unknown = [p for p in settings.notice_threads if p not in known]
    if not unknown:
        return []
    raw = ",".join(f"{p}:{t}" for p, t in settings.notice_threads.items())
    message = (
        f"provedor desconhecido: {', '.join(unknown)} (use o id do arquivo em "
        f"providers/: {', '.join(sorted(known))})"
    )
    return [problem_line("notice_threads", _raw("notice_threads", raw), message)]


def address_problems(settings: Settings) -> list[str]:
    """The addresses the running bot listens on must be this machine's (not a name typed wrong,
    nor a host of another machine): found in every mode, ``kb validate`` included, not at the
    first start."""
    listens = [("health_host", settings.health_host, bool(settings.health_port))]
    listens.append(
        (
            "telegram_webhook_listen",
            settings.telegram_webhook_listen,
            bool(settings.telegram_webhook_url),
        )
    )
    listens.append(("whatsapp_webhook_host", settings.whatsapp_webhook_host, settings.has_whatsapp))
    problems: list[str] = []
    for field, host, used in listens:
        if used and not can_listen(host):
            problems.append(problem_line(field, host, "endereço desconhecido nesta máquina"))
    return problems


def can_listen(host: str, port: int = 0) -> bool:
    """Could a server listen on ``host:port`` here? Binding tells: ``host`` must resolve to an
    address of this machine ("192.0.2.1" resolves, but no socket listens on it) and the port be
    free; port 0 (the system picks one) checks the address alone and takes no port."""
    import socket

    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except (OSError, UnicodeError):
        return False
    return True


def path_problems(settings: Settings, *, kb_dir: bool = True) -> list[str]:
    """KB_DIR (when it is the directory used: ``kb_dir``) and KB_SECRETS_FILE must exist. A
    relative path is read from the current directory: the line says where it looked."""
    problems: list[str] = []
    if kb_dir and not settings.kb_dir.is_dir():
        problems.append(
            problem_line("kb_dir", str(settings.kb_dir), _missing("diretório", settings.kb_dir))
        )
    secrets = settings.kb_secrets_file
    if secrets is not None and not secrets.is_file():
        problems.append(problem_line("kb_secrets_file", str(secrets), _missing("arquivo", secrets)))
    if settings.kb_git_pull_seconds > 0 and settings.kb_dir.is_dir():
        problems += _pull_problems(settings)
    return problems


def _pull_problems(settings: Settings) -> list[str]:
    """KB_GIT_PULL_SECONDS needs git and a KB_DIR inside a git work tree (a container that mounts
    ``knowledge/`` alone has none): found at start, not as a warning every interval."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", str(settings.kb_dir), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except FileNotFoundError:
        reason = "o git não está instalado nesta máquina"
    except (OSError, subprocess.SubprocessError):
        reason = f"o git não respondeu sobre {_absolute(settings.kb_dir)}"
    else:
        if done.returncode == 0 and done.stdout.strip() == "true":
            return []
        reason = f"KB_DIR ({_absolute(settings.kb_dir)}) não está num repositório git"
    raw = _raw("kb_git_pull_seconds", settings.kb_git_pull_seconds)
    return [
        f"Configuração inválida: KB_GIT_PULL_SECONDS={str(raw)!r}: {reason}, não há o que "
        "puxar: use KB_GIT_PULL_SECONDS=0 (e git pull à mão) ou um KB_DIR dentro de um clone do "
        "repositório"
    ]


STATE_FILES = ("notice_state_file", "audit_file", "gaps_file")
"""The files ``upcall-bot run`` writes as it goes (the notices sent, the audit, the gaps)."""


def state_problems(settings: Settings) -> list[str]:
    """The folder of each file ``run`` writes must be a folder that takes writes, or one that can
    be created (its nearest existing parent does): found at start, not at the first credential
    answer (which would go out unaudited). Writes nothing."""
    problems: list[str] = []
    for field in STATE_FILES:
        path: Path = getattr(settings, field)
        folder = _absolute(path.parent)
        existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if existing is None or not existing.is_dir():
            message = f"a pasta {folder} não pode ser criada ({existing} não é uma pasta)"
        elif not os.access(existing, os.W_OK | os.X_OK):
            message = f"a pasta {existing} não aceita escrita"
        else:
            continue
        problems.append(problem_line(field, str(path), message))
    return problems


def _absolute(path: Path) -> Path:
    return path if path.is_absolute() else Path.cwd() / path


def _missing(what: str, path: Path) -> str:
    if path.is_absolute():
        return f"{what} não encontrado"
    return f"{what} não encontrado (procurado em {Path.cwd() / path})"


def token_given() -> bool:
    """A token is written in the environment or ``.env`` (maybe a malformed one)."""
    value = _raw("telegram_bot_token", "")
    return bool(str(value or "").strip())


def token_problem() -> str:
    example = EXAMPLES["telegram_bot_token"]
    return (
        "Configuração inválida: TELEGRAM_BOT_TOKEN não configurado (nem WHATSAPP_API_URL): crie o "
        "bot com o @BotFather e copie o token para o .env, ou configure o WhatsApp "
        f"(docs/whatsapp.md). Exemplo: TELEGRAM_BOT_TOKEN={example}"
    )
