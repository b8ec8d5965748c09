"""Settings: the environment variable names are a contract, documented in .env.example and in the
README or docs/ (the settings reference, docs/settings.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.app import cli
from bot.app.settings import (
    SECRET_FIELDS,
    Settings,
    WeeklyAt,
    address_problems,
    path_problems,
    read_settings,
    token_given,
    unknown_thread_providers,
)
from kbfactory import write_kb

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


def test_the_env_example_holds_every_default_and_nothing_stale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``cp .env.example .env`` changes nothing: each line is a variable the bot reads (none
    left from an old version) with its default value."""
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert sorted(re.findall(r"^([A-Z_0-9]+)=", example, re.M)) == NAMES
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    copied = Settings(_env_file=ROOT / ".env.example")  # type: ignore[call-arg]
    assert copied.model_dump() == Settings(_env_file=None).model_dump()  # type: ignore[call-arg]


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
    with pytest.raises(ValidationError, match="use <dia> <HH:MM>"):
        Settings()


def test_gaps_weekly_at_defaults_to_monday_morning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GAPS_WEEKLY_AT", raising=False)
    assert Settings().gaps_weekly_at == WeeklyAt(1, 8, 0)


# --------------------------------------------------------------------------- every bad value

BAD_VALUES: list[tuple[str, str, str]] = [
    ("TELEGRAM_BOT_TOKEN", "abc", "não tem a forma de um token"),
    ("TELEGRAM_BOT_TOKEN", "123 456:abc", "não tem a forma de um token"),
    ("TELEGRAM_API_URL", "api.telegram.org/bot", "deve ser um endereço http:// ou https://"),
    ("TELEGRAM_API_URL", "ftp://x/bot", "deve ser um endereço http:// ou https://"),
    ("TELEGRAM_WEBHOOK_URL", "http://bot.example.com/hook", "só aceita webhook em https://"),
    ("TELEGRAM_WEBHOOK_URL", "bot.example.com", "deve ser um endereço"),
    ("TELEGRAM_WEBHOOK_SECRET", "com espaço", "de 1 a 256 caracteres"),
    ("TELEGRAM_WEBHOOK_SECRET", "x" * 257, "de 1 a 256 caracteres"),
    ("TELEGRAM_WEBHOOK_LISTEN", "0.0.0.0 extra", "endereço IP ou nome de máquina"),
    ("TELEGRAM_WEBHOOK_PORT", "porta", "número inteiro"),
    ("TELEGRAM_WEBHOOK_PORT", "0", "deve ser 1 ou mais"),
    ("TELEGRAM_WEBHOOK_PORT", "70000", "deve ser 65535 ou menos"),
    ("ALLOWED_CHAT_IDS", "abc", "não é um número"),
    ("ALLOWED_CHAT_IDS", "1001234567890", "faltou o sinal de menos?"),
    ("ALLOWED_CHAT_IDS", "-1001, 0", "0 não é um id"),
    ("SUPERVISOR_IDS", "sara", "não é um número"),
    ("SUPERVISOR_IDS", "-101", "usuários têm id positivo"),
    ("AGENT_IDS", "202;x", "não é um número"),
    ("AGENT_IDS", "-202", "usuários têm id positivo"),
    ("NOTICE_CHAT_ID", "grupo", "deve ser um número"),
    ("NOTICE_CHAT_ID", "1001234567890", "faltou o sinal de menos?"),
    ("NOTICE_LEAD_MINUTES", "dez", "número inteiro"),
    ("NOTICE_LEAD_MINUTES", "-1", "deve ser 0 ou mais"),
    ("NOTICE_GRACE_MINUTES", "-5", "deve ser 0 ou mais"),
    ("NOTICE_STATE_FILE", ".", "é um diretório"),
    ("NOTICE_THREADS", "vmnet=12", "use <provedor>:<tópico>"),
    ("NOTICE_THREADS", "vmnet:doze", "use <provedor>:<tópico>"),
    ("NOTICE_THREADS", "vmnet:12,mutum:0", "o número do tópico começa em 1"),
    ("CREDENTIALS_IN_GROUPS", "talvez", "deve ser true ou false"),
    ("CREDENTIALS_DELETE_AFTER_SECONDS", "-30", "deve ser 0 ou mais"),
    ("CREDENTIALS_DELETE_AFTER_SECONDS", "1min", "número inteiro"),
    ("AUDIT_FILE", ".", "é um diretório"),
    ("GAPS_FILE", ".", "é um diretório"),
    ("GAPS_WEEKLY_AT", "toda segunda", "use <dia> <HH:MM>"),
    ("KB_STALE_DAYS", "0", "deve ser 1 ou mais"),
    ("KB_STALE_DAYS", "noventa", "número inteiro"),
    ("KB_GIT_PULL_SECONDS", "-1", "deve ser 0 ou mais"),
    ("KB_GIT_PULL_SECONDS", "5m", "deve ser um número"),
    ("SUPERVISOR_CHAT_ID", "supervisores", "deve ser um número"),
    ("SUPERVISOR_CHAT_ID", "0", "0 não é um id"),
    ("TIMEZONE", "Brasil/Sao_Paulo", "fuso horário desconhecido"),
    ("TIMEZONE", "GMT-3 Brasília", "fuso horário desconhecido"),
    ("TIMEZONE", "America", "fuso horário desconhecido"),  # a folder of the zone database
    ("LOG_LEVEL", "verbose", "nível desconhecido"),
    ("CONSOLE_HISTORY_FILE", ".", "é um diretório"),
    ("HEALTH_HOST", "local host", "endereço IP ou nome de máquina"),
    ("HEALTH_PORT", "-1", "deve ser 0 ou mais"),
    ("HEALTH_PORT", "65536", "deve ser 65535 ou menos"),
    ("WHATSAPP_API_URL", "evolution:8080", "deve ser um endereço http:// ou https://"),
    ("WHATSAPP_API_KEY", "chave com espaço", "não pode ter espaços"),
    ("WHATSAPP_INSTANCE", "minha/instancia", "o nome da instância na Evolution"),
    ("WHATSAPP_WEBHOOK_SECRET", "curto", "ao menos 32 caracteres"),
    ("WHATSAPP_WEBHOOK_HOST", "bot local", "endereço IP ou nome de máquina"),
    ("WHATSAPP_WEBHOOK_PORT", "0", "deve ser 1 ou mais"),
    ("WHATSAPP_WEBHOOK_PORT", "porta", "número inteiro"),
    ("WHATSAPP_WEBHOOK_PATH", "whatsapp", "deve começar com /"),
    ("WHATSAPP_WEBHOOK_URL", "bot:8081/whatsapp", "deve ser um endereço http:// ou https://"),
    ("WHATSAPP_GROUP_IDS", "120363025246125486", "termina em @g.us"),
    ("WHATSAPP_GROUP_IDS", "Agentes UPCALL", "termina em @g.us"),
    ("WHATSAPP_SUPERVISORS", "Sara", "use o número com DDI"),
    ("WHATSAPP_SUPERVISORS", "5511999990000, 123", "use o número com DDI"),
    ("WHATSAPP_NOTICE_GROUP_ID", "avisos", "termina em @g.us"),
    ("WHATSAPP_SEND_INTERVAL_SECONDS", "-1", "deve ser 0 ou mais"),
    ("WHATSAPP_SEND_INTERVAL_SECONDS", "um", "deve ser um número"),
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No .env, none of the bot's variables from the machine."""
    monkeypatch.chdir(tmp_path)
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_every_variable_has_bad_values_tested() -> None:
    tested = {name for name, _, _ in BAD_VALUES}
    # KB_DIR and KB_SECRETS_FILE: paths that must exist (test_missing_paths below).
    assert tested | {"KB_DIR", "KB_SECRETS_FILE"} == set(NAMES)


@pytest.mark.parametrize(("name", "value", "says"), BAD_VALUES)
def test_a_bad_value_is_one_plain_line_with_an_example(
    name: str, value: str, says: str, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv(name, value)
    settings, problems = read_settings()
    assert len(problems) == 1, problems
    line = problems[0]
    assert line.startswith(f"Configuração inválida: {name}")
    assert says in line
    assert f". Exemplo: {name}=" in line
    assert "\n" not in line
    if name.lower() in SECRET_FIELDS:
        assert value not in line and "(valor oculto)" in line
    else:
        assert f"{name}={value!r}" in line
    # The settings still come back, with the default in place of the bad value.
    field = name.lower()
    assert getattr(settings, field) == Settings.model_fields[field].get_default(
        call_default_factory=True
    )


def test_all_problems_at_once(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TIMEZONE", "Brasil/Sao_Paulo")
    clean_env.setenv("LOG_LEVEL", "verbose")
    clean_env.setenv("ALLOWED_CHAT_IDS", "abc")
    clean_env.setenv("NOTICE_CHAT_ID", "1001")
    settings, problems = read_settings()
    assert [p.split("=")[0].split(": ")[1] for p in problems] == [
        "ALLOWED_CHAT_IDS",
        "NOTICE_CHAT_ID",
        "TIMEZONE",
        "LOG_LEVEL",
    ]
    assert settings.timezone == "America/Sao_Paulo"


def test_a_bad_value_in_dotenv_is_shown_as_written(clean_env: pytest.MonkeyPatch) -> None:
    Path(".env").write_text("ALLOWED_CHAT_IDS=-1001,12\n", "utf-8")
    _, problems = read_settings()
    assert problems == [
        "Configuração inválida: ALLOWED_CHAT_IDS='-1001,12': 12 é positivo, mas grupos têm id "
        "negativo (faltou o sinal de menos?). Exemplo: ALLOWED_CHAT_IDS=-1001234567890,"
        "-1009876543210"
    ]


def test_an_http_webhook_is_fine_with_a_local_bot_api(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/bot")
    clean_env.setenv("TELEGRAM_WEBHOOK_URL", "http://127.0.0.1:8443/telegram")
    settings, problems = read_settings()
    assert problems == [] and settings.telegram_webhook_url.startswith("http://")


def test_good_values_are_normalised(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LOG_LEVEL", "debug")
    clean_env.setenv("ALLOWED_CHAT_IDS", "-1001; -1002")
    clean_env.setenv("SUPERVISOR_CHAT_ID", "101")  # a supervisor's private chat is fine
    settings, problems = read_settings()
    assert problems == []
    assert settings.log_level == "DEBUG"
    assert settings.allowed_chat_ids == [-1001, -1002]
    assert settings.supervisor_chat_id == 101


def test_unknown_isp_in_notice_threads(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NOTICE_THREADS", "vmnet:12,vmnett:13")
    settings, problems = read_settings()
    assert problems == []
    (line,) = unknown_thread_providers(settings, ["vmnet", "mutum"])
    assert line.startswith("Configuração inválida: NOTICE_THREADS='vmnet:12,vmnett:13': ")
    assert "provedor desconhecido: vmnett (use o id do arquivo em providers/: mutum, vmnet)" in line
    assert unknown_thread_providers(settings, ["vmnet", "vmnett"]) == []


def test_listening_addresses_must_resolve_in_every_mode(clean_env: pytest.MonkeyPatch) -> None:
    """A listening host that does not resolve here is found by ``kb validate`` too, not first by
    ``run``; an address the bot will not listen on is not checked."""
    clean_env.setenv("HEALTH_HOST", "nao-existe.invalid")
    clean_env.setenv("TELEGRAM_WEBHOOK_LISTEN", "outra-maquina.invalid")
    settings, problems = read_settings()
    assert problems == []
    assert address_problems(settings) == [
        "Configuração inválida: HEALTH_HOST='nao-existe.invalid': endereço desconhecido nesta "
        "máquina. Exemplo: HEALTH_HOST=127.0.0.1"
    ]  # no webhook configured: its listen address is not used
    clean_env.setenv("HEALTH_PORT", "0")
    clean_env.setenv("HEALTH_HOST", "localhost")
    assert address_problems(read_settings()[0]) == []


def test_an_address_of_another_machine_is_found_before_run(clean_env: pytest.MonkeyPatch) -> None:
    """192.0.2.1 (TEST-NET-1, documentation only) resolves but is no address of this machine:
    ``run`` could not listen on it (and said "porta em uso")."""
    clean_env.setenv("HEALTH_HOST", "192.0.2.1")
    assert address_problems(read_settings()[0]) == [
        "Configuração inválida: HEALTH_HOST='192.0.2.1': endereço desconhecido nesta "
        "máquina. Exemplo: HEALTH_HOST=127.0.0.1"
    ]
    clean_env.setenv("HEALTH_HOST", "0.0.0.0")  # every address of this machine
    assert address_problems(read_settings()[0]) == []


def test_kb_validate_reports_an_unknown_health_host(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("KB_DIR", str(ROOT / "knowledge"))
    clean_env.setenv("HEALTH_HOST", "nao-existe.invalid")
    assert cli.main(["kb", "validate"]) == 2
    assert "HEALTH_HOST='nao-existe.invalid': endereço desconhecido" in capsys.readouterr().err


def test_token_given_sees_a_malformed_token(clean_env: pytest.MonkeyPatch) -> None:
    assert not token_given()
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "nao-e-token")
    assert token_given()


def test_a_secret_inside_another_value_is_hidden(clean_env: pytest.MonkeyPatch) -> None:
    token = "123456:AAH-secret_token"
    clean_env.setenv("TELEGRAM_BOT_TOKEN", token)
    clean_env.setenv("TELEGRAM_WEBHOOK_URL", f"http://bot.example.com/{token}")
    _, problems = read_settings()
    assert problems == [
        "Configuração inválida: TELEGRAM_WEBHOOK_URL='http://bot.example.com/[oculto]': o "
        "Telegram só aceita webhook em https://. Exemplo: "
        "TELEGRAM_WEBHOOK_URL=https://bot.exemplo.com.br/telegram"
    ]


def test_missing_paths(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("KB_DIR", "conhecimento")
    clean_env.setenv("KB_SECRETS_FILE", "segredos.yaml")
    settings, problems = read_settings()
    assert problems == []  # existence is checked where the paths are used
    assert path_problems(settings) == [
        f"Configuração inválida: KB_DIR='conhecimento': diretório não encontrado (procurado em "
        f"{tmp_path / 'conhecimento'}). Exemplo: KB_DIR=knowledge",
        f"Configuração inválida: KB_SECRETS_FILE='segredos.yaml': arquivo não encontrado "
        f"(procurado em {tmp_path / 'segredos.yaml'}). Exemplo: "
        "KB_SECRETS_FILE=/etc/upcall/secrets.yaml",
    ]
    assert len(path_problems(settings, kb_dir=False)) == 1  # `--kb DIR` given instead
    (tmp_path / "conhecimento").mkdir()
    (tmp_path / "segredos.yaml").write_text("providers: {}\n", "utf-8")
    assert path_problems(settings) == []


def test_the_whatsapp_names_of_issue_11(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "WHATSAPP_API_URL",
        "WHATSAPP_API_KEY",
        "WHATSAPP_INSTANCE",
        "WHATSAPP_WEBHOOK_SECRET",
        "WHATSAPP_WEBHOOK_HOST",
        "WHATSAPP_WEBHOOK_PORT",
        "WHATSAPP_WEBHOOK_PATH",
        "WHATSAPP_WEBHOOK_URL",
        "WHATSAPP_GROUP_IDS",
        "WHATSAPP_SUPERVISORS",
        "WHATSAPP_NOTICE_GROUP_ID",
    ):
        assert name in NAMES
    monkeypatch.chdir(tmp_path)
    defaults = Settings()
    assert not defaults.has_whatsapp
    assert defaults.whatsapp_webhook_port == 8081 and defaults.whatsapp_webhook_path == "/whatsapp"
    monkeypatch.setenv("WHATSAPP_API_URL", "http://evolution:8080")
    monkeypatch.setenv("WHATSAPP_GROUP_IDS", "120363025246125486@g.us; 120363099999999999@g.us")
    monkeypatch.setenv("WHATSAPP_SUPERVISORS", "+55 11 91111-0001, 200000000000101@lid")
    settings = Settings()
    assert settings.has_whatsapp
    assert settings.whatsapp_group_ids == ["120363025246125486@g.us", "120363099999999999@g.us"]
    assert settings.whatsapp_supervisors == ["+55 11 91111-0001", "200000000000101@lid"]


def test_a_misspelled_name_in_dotenv_is_a_problem(clean_env: pytest.MonkeyPatch) -> None:
    """A typo in a variable's name left it at its default without a word (the group refused)."""
    Path(".env").write_text(
        "ALOWED_CHAT_IDS=-1001\nTELEGRAM_TOKEN=123:secret-token-value\n"
        "HTTPS_PROXY=http://proxy:3128\nSUPERVISOR_IDS=7\nlog_level=debug\n",
        "utf-8",
    )
    settings, problems = read_settings()
    assert problems == [
        "Configuração inválida: ALOWED_CHAT_IDS (no .env) não é uma variável do bot: quis dizer "
        "ALLOWED_CHAT_IDS? Corrija o nome (o valor está sendo ignorado).",
        "Configuração inválida: TELEGRAM_TOKEN (no .env) não é uma variável do bot: quis dizer "
        "TELEGRAM_BOT_TOKEN? Corrija o nome (o valor está sendo ignorado).",
    ]
    assert settings.supervisor_ids == [7] and settings.log_level == "DEBUG"
    assert not any("secret-token-value" in line for line in problems)


def test_the_health_port_cannot_be_the_webhook_port(clean_env: pytest.MonkeyPatch) -> None:
    """Both on one port: the bot ran with the health server not started (one ERROR line in the
    log), and the container's health check asked the webhook server."""
    clean_env.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.exemplo.com.br/telegram")
    clean_env.setenv("TELEGRAM_WEBHOOK_PORT", "8443")
    clean_env.setenv("HEALTH_PORT", "8443")
    settings, problems = read_settings()
    assert problems == [
        "Configuração inválida: HEALTH_PORT='8443': é a mesma porta de TELEGRAM_WEBHOOK_PORT: use "
        "uma porta para cada servidor. Exemplo: HEALTH_PORT=8080"
    ]
    assert settings.health_port == 8080
    clean_env.setenv("HEALTH_PORT", "0")  # no health server: no clash
    assert read_settings()[1] == []


def test_pulling_a_kb_dir_outside_git_is_refused_at_start(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """KB_GIT_PULL_SECONDS with a KB_DIR that is no git work tree (the container's mounted
    `knowledge/`) was accepted, then logged "git pull failed: not a git repository" every
    interval: one line at start, in every mode, exit 2."""
    import shutil
    import subprocess

    kb = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", kb, ignore=shutil.ignore_patterns("secrets*.yaml"))
    clean_env.setenv("KB_DIR", str(kb))
    clean_env.setenv("KB_GIT_PULL_SECONDS", "300")
    settings, problems = read_settings()
    assert problems == []
    (line,) = path_problems(settings)
    assert line == (
        f"Configuração inválida: KB_GIT_PULL_SECONDS='300': KB_DIR ({kb}) não está num "
        "repositório git, não há o que puxar: use KB_GIT_PULL_SECONDS=0 (e git pull à mão) ou "
        "um KB_DIR dentro de um clone do repositório"
    )
    for argv in (["kb", "validate"], ["ask", "/dns mutum"]):
        assert cli.main(argv) == 2
        assert capsys.readouterr().err.strip() == line
    clean_env.setenv("KB_GIT_PULL_SECONDS", "0")
    assert path_problems(read_settings()[0]) == []
    clean_env.setenv("KB_GIT_PULL_SECONDS", "300")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert path_problems(read_settings()[0]) == []  # inside a work tree: nothing to say


def test_a_password_written_in_an_address_is_hidden(clean_env: pytest.MonkeyPatch) -> None:
    """An address refused for another reason never quotes its ``user:password@``."""
    clean_env.setenv("WHATSAPP_API_URL", "ftp://user:SuperSecretKey123@127.0.0.1:9")
    _, problems = read_settings()
    assert len(problems) == 1 and "WHATSAPP_API_URL" in problems[0]
    assert "SuperSecretKey123" not in problems[0] and "[oculto]" in problems[0]


def test_a_dotenv_line_without_a_name_is_a_problem(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA7 #17: a token pasted alone in .env was ignored without a word ("token não configurado");
    the line is named, its value never shown."""
    Path(".env").write_text(
        "# o bot\n\n123456:AAHsecretTOKENvalue\nLOG_LEVEL=INFO\n=AnotherSecret99\n"
        "TELEGRAM_BOT_TOKN\n",
        "utf-8",
    )
    _, problems = read_settings()
    assert problems == [
        f"Configuração inválida: linha {n} do .env sem nome de variável (o formato é NOME=valor, "
        "ex.: TELEGRAM_BOT_TOKEN=...); a linha está sendo ignorada."
        for n in (3, 5, 6)
    ]
    assert cli.main(["kb", "validate"]) == 2
    err = capsys.readouterr().err
    assert "linha 3 do .env" in err and "secretTOKEN" not in err and "AnotherSecret" not in err


def test_whatsapp_settings_are_checked_before_the_kb_loads(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """QA7 #17: the WhatsApp line came only after the whole KB had loaded (24 s on a busy box)."""
    clean_env.setenv("WHATSAPP_API_URL", "http://127.0.0.1:9")
    clean_env.setenv("KB_DIR", str(write_kb(tmp_path / "kb")))
    loaded: list[object] = []

    def load(settings: object) -> None:
        loaded.append(settings)
        raise SystemExit("the KB was loaded")

    clean_env.setattr("handlers.runner.load_kb_or_exit", load)
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    assert (
        "WhatsApp: defina WHATSAPP_API_KEY, WHATSAPP_INSTANCE, WHATSAPP_WEBHOOK_SECRET "
        "(veja .env.example)." in err.splitlines()
    )
    assert loaded == []
