"""The offline console: plain text, numbered options, quitting."""

from __future__ import annotations

import io
from pathlib import Path

from bot.app.console import run_console
from bot.knowledge.kb import load_kb
from kbfactory import write_kb


def converse(tmp_path: Path, typed: str) -> str:
    out = io.StringIO()
    assert run_console(load_kb(write_kb(tmp_path)), stdin=io.StringIO(typed), stdout=out) == 0
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
