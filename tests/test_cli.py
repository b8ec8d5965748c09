"""The command-line contract: ``ask``, ``ask --json``, ``kb validate``, the console."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.cli import main
from kbfactory import write_kb

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "upcall-bot"


def run(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``upcall-bot`` console script, with no Telegram token."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WHATSAPP_"))
    }
    environment.update(env or {})
    return subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
        check=False,
    )


def test_ask_prints_plain_text_as_the_console_does() -> None:
    """The README's `ask "/bloqueio vmnet"` printed raw `<b>…</b>`: a supervisor reads plain text,
    the console's; `--html` keeps the Telegram HTML."""
    from bot.answers.core import answer
    from bot.answers.render import to_plain
    from bot.knowledge.kb import load_kb

    now = "2026-11-22T03:00:00-03:00"
    done = run("ask", "--now", now, "/bloqueio vmnet")
    assert done.returncode == 0, done.stderr
    reply = answer(load_kb(ROOT / "knowledge"), "/bloqueio vmnet", dt.datetime.fromisoformat(now))
    assert done.stdout == to_plain(reply) + "\n"
    assert done.stdout.startswith("== VM NET › Bloqueio")
    assert "<b>" not in done.stdout and "</" not in done.stdout and "&" not in done.stdout
    password = run("ask", "/senha lasernet W5-1200G").stdout
    assert "admin / Lnt12345@ (porta 9020)" in password and "<code>" not in password


def test_ask_html_prints_telegram_html() -> None:
    done = run("ask", "--html", "/senha lasernet W5-1200G")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<b>LaserNet › Senha padrão dos equipamentos › W5-1200G</b>\n")
    assert "<code>admin</code> / <code>Lnt12345@</code> (porta 9020)" in done.stdout


def test_ask_json_contract() -> None:
    queries = ["/dns mutum", "qual o dns da mutum?", "<b>x</b>", "/bloqueio vmnet"]
    done = run("ask", "--json", "--now", "2026-11-22T03:00:00-03:00", stdin="\n".join(queries))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [list(obj) for obj in lines] == [["ask", "reply"]] * 4
    assert [obj["ask"] for obj in lines] == queries
    assert "143.202.80.56" in lines[0]["reply"]
    assert lines[0]["reply"] == lines[1]["reply"]
    assert "&lt;b&gt;x&lt;/b&gt;" in lines[2]["reply"]
    # The reply is the HTML Telegram would be sent, the same as `ask --html`.
    single = run("ask", "--html", "--now", "2026-11-22T03:00:00-03:00", "/bloqueio vmnet")
    assert single.stdout.rstrip("\n") == lines[3]["reply"]
    assert lines[3]["reply"].startswith("<b>VM NET › Bloqueio")


def test_python_dash_m_is_the_same_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "/dns netcenter"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert "170.82.12.3" in done.stdout


def test_ask_now_fixes_the_clock_of_the_answers(capsys: pytest.CaptureFixture[str]) -> None:
    question = "cliente da vmnet quer a fatura, transfiro agora?"
    assert main(["ask", "--now", "2026-11-23T21:00:00-03:00", question]) == 0
    night = capsys.readouterr().out
    assert main(["ask", "--now", "2026-11-23T10:00:00-03:00", question]) == 0
    day = capsys.readouterr().out
    assert "⏱ Financeiro: fechado, abre amanhã às 08:00" in night
    assert "⏱ Financeiro: aberto, fecha às 17:00 → transferir" in day


def test_ask_now_shows_the_closed_sector_rule_and_the_field_team(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ask", "--now", "2026-11-23T21:00:00-03:00", "/agora seja"]) == 0
    night = capsys.readouterr().out
    assert "Regra do documento para setor fechado:" in night and "fora dele" in night
    field = "vm net: da pra mandar tecnico de campo agora?"
    assert main(["ask", "--now", "2026-11-23T10:00:00-03:00", field]) == 0
    assert "Técnicos de campo: aberto" in capsys.readouterr().out


def test_ask_now_is_where_a_stated_day_is_counted_from(
    capsys: pytest.CaptureFixture[str],
) -> None:
    question = "seja fibra sexta 20h ja e com a gente?"
    assert main(["ask", "--now", "2026-11-23T10:00:00-03:00", question]) == 0
    out = capsys.readouterr().out
    assert "⏱ No momento informado, sex 27/11 às 20:00: UPCALL" in out
    assert main(["ask", "--now", "2026-11-28T10:00:00-03:00", question]) == 0
    assert "sex 04/12 às 20:00" in capsys.readouterr().out  # the next Friday


def test_ask_rejects_bad_now(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["ask", "--now", "ontem", "/dns mutum"])
    assert exited.value.code == 2
    assert "data/hora ISO 8601 inválida: 'ontem'" in capsys.readouterr().err


@pytest.mark.parametrize("when", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_ask_rejects_a_now_out_of_range(when: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["ask", "--now", when, "/agora"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "data fora do intervalo calculado (01/01/1970 a 31/12/9998)" in err
    assert "Traceback" not in err


def test_kb_validate_ok_and_broken(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "validate", str(ROOT / "knowledge")]) == 0
    assert capsys.readouterr().out == "OK: 5 provedores, 34 tópicos.\n"
    kb_dir = write_kb(tmp_path)
    (kb_dir / "providers" / "beta.yaml").write_text("id: beta\nname: [\n", encoding="utf-8")
    assert main(["kb", "validate", str(kb_dir)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("knowledge/providers/beta.yaml:") and "YAML inválido" in err[0]
    assert err[-1] == "1 problema(s) na base de conhecimento."


@pytest.mark.parametrize("command", ["validate", "lint"])
@pytest.mark.parametrize(
    "pasted",
    [
        'dns: "Primário 10.0.0.1 / senha do wifi Segredo1@"',  # a public topic's text
        'dns: {text: "Primário 10.0.0.1", notes: ["roteador: Segredo2@"]}',  # its notes
    ],
)
def test_a_known_password_outside_the_secret_topics_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, pasted: str
) -> None:
    from kbfactory import ALFA

    alfa = ALFA.replace('dns: "Primário 10.0.0.1 / Secundário 10.0.0.2 <b>"', pasted)
    kb_dir = write_kb(tmp_path, {"alfa": alfa})
    where = ["--kb", str(kb_dir)] if command == "lint" else [str(kb_dir)]
    assert main(["kb", command, *where]) == 1
    err = capsys.readouterr().err
    assert "alfa.yaml:" in err and "dns: contém uma senha conhecida fora" in err
    assert "Segredo" not in err  # the problem does not repeat the password


def test_broken_kb_makes_ask_fail_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb_dir = write_kb(tmp_path)
    (kb_dir / "topics.yaml").write_text("topics: {\n", encoding="utf-8")
    assert main(["ask", "--kb", str(kb_dir), "/dns alfa"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err and "YAML inválido" in captured.err


def test_no_arguments_without_token_opens_the_console(tmp_path: Path) -> None:
    files = {"GAPS_FILE": str(tmp_path / "gaps.jsonl"), "AUDIT_FILE": str(tmp_path / "a.jsonl")}
    done = run(stdin="/dns mutum\n/dns\n2\nsair\n", env=files)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("UPCALL — console offline (5 provedores).")
    assert "== Mutum Fibra › DNS padrão ==" in done.stdout
    assert "  [2] Mutum Fibra" in done.stdout
    assert "» /dns mutum" in done.stdout
    assert "<b>" not in done.stdout


def test_the_real_console_records_what_lacunas_and_auditoria_show(tmp_path: Path) -> None:
    """The console's /lacunas and /auditoria were always empty: it recorded nothing."""
    gaps, audit = tmp_path / "gaps.jsonl", tmp_path / "audit.jsonl"
    typed = "pessoal, alguém sabe do xyzzy?\n/senha lasernet W5-1200G\n/lacunas\n/auditoria\nsair\n"
    done = run(stdin=typed, env={"GAPS_FILE": str(gaps), "AUDIT_FILE": str(audit)})
    assert done.returncode == 0, done.stderr
    shown = done.stdout.split("Perguntas sem resposta", 1)[-1]
    assert "xyzzy" in shown
    assert "· console · lasernet › senha" in shown
    written = gaps.read_text("utf-8") + audit.read_text("utf-8")
    assert '"chat_id": "console"' in written and "Lnt12345@" not in written


def test_run_without_any_channel_says_so_in_one_line() -> None:
    done = run("run")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "TELEGRAM_BOT_TOKEN" in done.stderr and "WHATSAPP_API_URL" in done.stderr


def test_invalid_settings_are_explained() -> None:
    done = run("ask", "/dns mutum", env={"ALLOWED_CHAT_IDS": "grupo-da-noite"})
    assert done.returncode == 2
    assert "Configuração inválida: ALLOWED_CHAT_IDS" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_invalid_weekly_time_is_one_plain_line() -> None:
    done = run("ask", "/dns mutum", env={"GAPS_WEEKLY_AT": "toda segunda"})
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "Configuração inválida: GAPS_WEEKLY_AT='toda segunda': use <dia> <HH:MM> "
        "(seg, ter, qua, qui, sex, sáb, dom) ou off. Exemplo: GAPS_WEEKLY_AT=seg 08:00"
    )


BAD_SETTINGS = {
    "TIMEZONE": "Brasil/Sao_Paulo",
    "LOG_LEVEL": "verbose",
    "ALLOWED_CHAT_IDS": "abc",
    "NOTICE_CHAT_ID": "1001234567890",
    "TELEGRAM_WEBHOOK_URL": "http://bot.example.com/hook",
    "TELEGRAM_WEBHOOK_SECRET": "segredo com espaços e acentuação",
    "NOTICE_THREADS": "vmnet:12,naoexiste:13",
    "KB_SECRETS_FILE": "/nao/existe/segredos.yaml",
}


@pytest.mark.parametrize(
    "mode",
    [
        ("console",),
        ("ask", "/dns mutum"),
        ("coverage",),
        ("notices", "--from", "2026-01-01T00:00", "--to", "2026-01-02T00:00"),
        ("kb", "validate"),
        ("kb", "lint"),
        ("run",),
        (),
    ],
)
def test_every_mode_reports_every_bad_setting_at_once(
    mode: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    for name in [k for k in os.environ if k.startswith("TELEGRAM_")]:
        monkeypatch.delenv(name)
    for name, value in BAD_SETTINGS.items():
        monkeypatch.setenv(name, value)
    assert main(list(mode)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    for name in BAD_SETTINGS:
        shown = "TELEGRAM_WEBHOOK_SECRET (valor oculto)" if "SECRET" in name else f"{name}="
        assert sum(line.startswith(f"Configuração inválida: {shown}") for line in lines) == 1
    assert len(lines) == len(BAD_SETTINGS) + (mode == ("run",))
    assert "segredo com espaços" not in err
    assert all(". Exemplo: " in line for line in lines)
    # Without a token, `run` says so too, beside the others.
    assert any("TELEGRAM_BOT_TOKEN não configurado" in line for line in lines) == (mode == ("run",))


def test_a_malformed_token_is_never_echoed() -> None:
    token = "7000001-not:a token"
    done = run("run", env={"TELEGRAM_BOT_TOKEN": token, "LOG_LEVEL": "verbose"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert token not in done.stderr and "7000001" not in done.stderr
    assert "TELEGRAM_BOT_TOKEN (valor oculto): não tem a forma de um token" in done.stderr
    assert "LOG_LEVEL='verbose'" in done.stderr


def test_kb_lint_takes_the_kb_folder_as_kb_validate_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    knowledge = str(ROOT / "knowledge")
    assert main(["kb", "lint", knowledge]) == 0
    assert capsys.readouterr().out.endswith("aviso(s).\n")
    assert main(["kb", "lint", "--kb", knowledge]) == 0  # --kb still works
    assert capsys.readouterr().out.endswith("aviso(s).\n")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["kb", "lint", "a", "b"], "upcall-bot: argumento(s) não reconhecido(s): b"),
        (["kb"], "upcall-bot kb: falta(m) o(s) argumento(s): SUBCOMANDO"),
        (["kb", "frob"], "upcall-bot kb: SUBCOMANDO: opção inválida: frob"),
        (["coverage", "--at"], "upcall-bot coverage: --at: falta o valor"),
        (["--bogus"], "upcall-bot: argumento(s) não reconhecido(s): --bogus"),
    ],
)
def test_usage_errors_are_one_portuguese_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert len(err.splitlines()) == 1 and err.startswith(expected), err
    assert "usage" not in err and "error" not in err


def test_run_refuses_state_files_it_cannot_write_at_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Found trying it as a new supervisor: AUDIT_FILE in a folder that cannot be created was
    accepted, and the first credential answer went out unaudited (an ERROR in the log). `run`
    checks the folders of the files it writes before it starts: one line each, exit 2."""
    monkeypatch.chdir(ROOT)
    for name in [k for k in os.environ if k.startswith(("TELEGRAM_", "WHATSAPP_"))]:
        monkeypatch.delenv(name)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "7000001:TEST_token-not-real")
    monkeypatch.setenv("AUDIT_FILE", str(blocker / "audit.jsonl"))
    monkeypatch.setenv("GAPS_FILE", str(blocker / "sub" / "gaps.jsonl"))
    monkeypatch.setenv("NOTICE_STATE_FILE", str(tmp_path / "ok" / "notices.json"))
    assert main(["run"]) == 2
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out == "" and len(lines) == 2, err
    assert lines[0].startswith(f"Configuração inválida: AUDIT_FILE='{blocker / 'audit.jsonl'}'")
    assert f"a pasta {blocker} não pode ser criada" in lines[0]
    assert lines[1].startswith("Configuração inválida: GAPS_FILE=")
    assert all(". Exemplo: " in line for line in lines)
    assert "Traceback" not in err and "7000001" not in err
    # Other modes write none of them: not checked there.
    assert main(["kb", "validate"]) == 0


@pytest.mark.parametrize("argv", [["-h"], ["kb", "-h"], ["kb", "import", "-h"], ["notices", "-h"]])
def test_help_speaks_portuguese(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Found trying it as a new supervisor: `-h` said "usage:", "positional arguments",
    "options:", "show this help message and exit" among the pt-BR help lines."""
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("uso: upcall-bot")
    for english in ("usage:", "positional arguments", "options:", "show this help"):
        assert english not in out, out
    assert re.search(r"-h, --help\s+mostra esta ajuda e sai", out), out


def test_kb_validate_takes_kb_as_the_other_commands_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA7 #17: ``kb validate --kb DIR`` was "argumento(s) não reconhecido(s): --kb" while
    ``kb test``, ``kb lint``, ``ask``, ``coverage``, ``notices`` take it."""
    kb_dir = write_kb(tmp_path / "kb")
    assert main(["kb", "validate", "--kb", str(kb_dir)]) == 0
    assert capsys.readouterr().out.startswith("OK: ")
    assert main(["kb", "validate", str(kb_dir)]) == 0  # the positional form stays
    capsys.readouterr()
    assert main(["kb", "validate", "--kb", str(kb_dir), str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"indique a base uma vez: --kb {kb_dir} ou {tmp_path}, não os dois.\n"
    )
