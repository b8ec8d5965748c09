"""The offline console: plain text, numbered options, quitting."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import pty
import re
import select
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import make_settings
from telegram.ext import CommandHandler

from bot.answers import messages as msg
from bot.answers.core import MAX_QUERY_CHARS, answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.app.console import Console, run_console, save_history
from bot.knowledge.kb import KB, KBHolder, load_kb
from bot.policy.audit import AuditEntry, AuditLog
from kbfactory import write_kb


def converse(tmp_path: Path, typed: str) -> str:
    out = io.StringIO()
    kb = load_kb(write_kb(tmp_path))
    settings = make_settings(kb_dir=kb.root)  # the gaps and audit files in a scratch folder
    assert run_console(kb, settings=settings, stdin=io.StringIO(typed), stdout=out) == 0
    return out.getvalue()


def test_numbers_pick_the_last_options(tmp_path: Path) -> None:
    out = converse(tmp_path, "/senha alfa mercusys\n2\n")
    assert "  [1] MERCUSYS AC12G\n  [2] MERCUSYS MR30" in out
    assert "» /senha alfa MERCUSYS MR30" in out
    assert "MERCUSYS MR30: sem usuário / m2" in out


def test_out_of_range_option(tmp_path: Path) -> None:
    out = converse(tmp_path, "/dns\n7\n")
    assert "Opção 7 não existe. Escolha de 1 a 2." in out


def test_quit_words_stop_reading(tmp_path: Path) -> None:
    out = converse(tmp_path, "sair\n/dns alfa\n")
    assert "10.0.0.1" not in out


# --------------------------------------------------------------------------- parity with Telegram


def console_for(tmp_path: Path, **overrides: object) -> Console:
    kb_dir = write_kb(tmp_path / "kb")
    settings = make_settings(kb_dir=kb_dir, **overrides)
    clock = lambda: dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))  # noqa: E731
    return Console(KBHolder(load_kb(kb_dir)), settings, kb_dir, clock)


def telegram_commands(kb: KB) -> set[str]:
    """Every command the Telegram door registers a handler for."""
    from handlers.telegram.app import build_application

    application = build_application(make_settings(kb_dir=kb.root), KBHolder(kb))
    names: set[str] = set()
    for group in application.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler):
                names |= set(handler.commands)
    return names


def test_the_console_answers_every_command_telegram_does(tmp_path: Path) -> None:
    console = console_for(tmp_path)
    commands = telegram_commands(console.kb)
    assert {"recarregar", "auditoria", "lacunas", "versao", "ajuda"} <= commands
    for name in sorted(commands):
        reply = console.reply_to(f"/{name} alfa")
        assert reply.kind is not ReplyKind.UNKNOWN_COMMAND, name
        assert "não existe" not in to_plain(reply), name


def test_help_lists_only_what_works_here_and_auditoria(tmp_path: Path) -> None:
    console = console_for(tmp_path)
    shown = to_plain(console.reply_to("/ajuda"))
    assert "/auditoria" in shown and "/recarregar" in shown and "/lacunas" in shown
    assert msg.HELP_CONSOLE in shown
    for name in set(re.findall(r"/([a-z_]+)", shown)):
        reply = console.reply_to(f"/{name}")
        assert reply.kind is not ReplyKind.UNKNOWN_COMMAND, name
    # Telegram's /ajuda lists /auditoria with the supervisor commands too.
    assert "/auditoria" in to_plain(answer(console.kb, "/ajuda"))


def test_supervisor_commands_run_as_the_local_supervisor(tmp_path: Path) -> None:
    console = console_for(tmp_path, kb_secrets_file=None)
    assert to_plain(console.reply_to("/recarregar")) == msg.RELOAD_UNCHANGED
    provider = console.kb_dir / "providers" / "alfa.yaml"
    provider.write_text(provider.read_text("utf-8").replace("10.0.0.1", "10.9.9.9"), "utf-8")
    assert "Base recarregada: 1 alteração(ões)." in to_plain(console.reply_to("/recarregar"))
    assert "10.9.9.9" in to_plain(console.reply_to("/dns alfa"))  # the new KB answers
    assert msg.GAPS_NONE in to_plain(console.reply_to("/lacunas"))
    assert msg.GAPS_USAGE in to_plain(console.reply_to("/lacunas ontem"))
    assert msg.AUDIT_EMPTY in to_plain(console.reply_to("/auditoria"))
    AuditLog(console.settings.audit_file).append(
        AuditEntry(
            "2026-11-23T09:00:00-03:00",
            202,
            "Ana",
            -1001,
            "supergroup",
            "alfa",
            "senha",
            None,
            "/senha alfa",
            True,
            True,
        )
    )
    assert "Ana (202)" in to_plain(console.reply_to("/auditoria alfa"))
    assert "Carregada em" in to_plain(console.reply_to("/versao"))


def test_a_broken_reload_keeps_the_old_kb(tmp_path: Path) -> None:
    console = console_for(tmp_path)
    (console.kb_dir / "topics.yaml").write_text("topics: [\n", "utf-8")
    shown = to_plain(console.reply_to("/recarregar"))
    assert msg.RELOAD_BROKEN in shown and "topics.yaml" in shown
    assert "10.0.0.1" in to_plain(console.reply_to("/dns alfa"))


# --------------------------------------------------------------------------- at a terminal


def test_at_a_terminal_arrows_recall_history_and_ctrl_d_ends_on_a_new_line(
    tmp_path: Path,
) -> None:
    history = tmp_path / "state" / "console_history"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "CONSOLE_"))}
    env.update(
        KB_DIR=str(write_kb(tmp_path / "kb")), CONSOLE_HISTORY_FILE=str(history), TERM="xterm"
    )
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real console on the pty
        os.chdir(tmp_path)
        os.execvpe(sys.executable, [sys.executable, "-m", "bot", "console"], env)
    output = b""

    def until(expected: bytes, count: int = 1) -> None:
        nonlocal output
        deadline = time.monotonic() + 20
        while output.count(expected) < count:
            assert time.monotonic() < deadline, output.decode(errors="replace")
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    output += os.read(fd, 4096)
                except OSError:  # the child is gone
                    break

    until(b"upcall> ")
    os.write(fd, b"/dns alfa\r")
    until(b"10.0.0.1")
    until(b"upcall> ", 2)
    os.write(fd, b"\x1b[A\r")  # arrow up, Enter: the same question again
    until(b"10.0.0.1", 2)
    assert b"^[[A" not in output
    until(b"upcall> ", 3)
    os.write(fd, b"\x04")  # Ctrl-D
    _, status = os.waitpid(pid, 0)
    with contextlib.suppress(OSError):
        output += os.read(fd, 4096)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert output.endswith(b"upcall> \r\n"), output[-40:]
    assert history.read_text("utf-8").splitlines()[-1] == "/dns alfa"


def test_the_history_file_never_keeps_a_password_typed(tmp_path: Path) -> None:
    """CONSOLE_HISTORY_FILE is a state file: what it keeps is masked as the gaps and audit logs
    are (a password the KB knows, one typed after "senha:", one in a /senha command), and a line
    too long to be a question is not kept at all."""
    readline = pytest.importorskip("readline")
    kb = load_kb(write_kb(tmp_path / "kb"))
    history = tmp_path / "state" / "console_history"
    readline.clear_history()
    for line in (
        "/dns alfa",
        "/senha alfa Segredo1@",
        "a senha: Outra-9876 não entra",
        "/senha alfa minhasenhasecreta",
        "x" * (MAX_QUERY_CHARS + 1),
    ):
        readline.add_history(line)
    try:
        save_history(readline, history, kb)
    finally:
        readline.clear_history()
    kept = history.read_text("utf-8")
    for secret in ("Segredo1@", "Outra-9876", "minhasenhasecreta", "x" * 100):
        assert secret not in kept, kept
    assert kept.splitlines() == [
        "/dns alfa",
        "/senha alfa •••",
        "a senha: ••• não entra",
        "/senha alfa •••",
    ]


def test_auditoria_of_an_unknown_isp_says_so(tmp_path: Path) -> None:
    """An ISP nobody has is the unknown-ISP reply with the ISPs' buttons, not an empty audit."""
    console = console_for(tmp_path, kb_secrets_file=None)
    shown = to_plain(console.reply_to("/auditoria xyzzy"))
    assert msg.UNKNOWN_PROVIDER.format(query="xyzzy") in shown
    assert msg.AUDIT_EMPTY not in shown


# --------------------------------------------------------------------------- gaps and audit


def test_the_console_records_gaps_and_audit_as_the_other_doors(tmp_path: Path) -> None:
    """/lacunas and /auditoria in the console showed nothing: its questions were never
    recorded. Now a gap and an answer with credentials are recorded as chat ``console``, the
    passwords typed or answered never written."""
    console = console_for(tmp_path, kb_secrets_file=None)
    console.reply_to("pessoal, alguém aí sabe do xyzzy?")  # not understood: a gap
    console.reply_to("/senha alfa W5 senha: Minha-Senha9")  # credentials: audited
    console.reply_to("/dns alfa")  # answered, no credentials: neither
    console.reply_to("/lacunas")  # the supervisor's own commands: neither
    gaps = console.gaps.since(dt.datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")))
    assert [(g.chat_id, g.kind) for g in gaps] == [("console", "not_understood")]
    assert "xyzzy" in to_plain(console.reply_to("/lacunas"))
    entries = console.audit.latest(10)
    assert [(e.chat_id, e.chat_type, e.provider, e.topic, e.allowed, e.sent) for e in entries] == [
        ("console", "console", "alfa", "senha", True, True)
    ]
    shown = to_plain(console.reply_to("/auditoria alfa"))
    assert "· console · alfa › senha" in shown
    written = console.settings.gaps_file.read_text("utf-8")
    written += console.settings.audit_file.read_text("utf-8")
    for secret in ("Minha-Senha9", "Segredo1@", "Segredo2@"):
        assert secret not in written


def test_a_store_that_cannot_be_written_never_stops_the_answer(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", "utf-8")
    console = console_for(
        tmp_path, gaps_file=blocked / "gaps.jsonl", audit_file=blocked / "audit.jsonl"
    )
    assert "Segredo1@" in to_plain(console.reply_to("/senha alfa W5"))
    assert "Não entendi" in to_plain(console.reply_to("pessoal, alguém aí?"))


def test_the_history_file_masks_passwords_typed_in_everyday_wording(tmp_path: Path) -> None:
    """QA round 7, finding 22: the value after "senha" whatever its shape."""
    readline = pytest.importorskip("readline")
    kb = load_kb(write_kb(tmp_path / "kb"))
    history = tmp_path / "state" / "console_history"
    readline.clear_history()
    for line in ("usuario joao senha 998877 alfa", "a senha do wifi é Xy!12345 alfa"):
        readline.add_history(line)
    try:
        save_history(readline, history, kb)
    finally:
        readline.clear_history()
    assert history.read_text("utf-8").splitlines() == [
        "usuario joao senha ••• alfa",
        "a senha do wifi é ••• alfa",
    ]
