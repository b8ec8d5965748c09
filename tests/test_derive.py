"""What answers derive from a KB is built when the KB is loaded for the bot, not at a question."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_DIR, make_settings

import bot.answers.core  # noqa: F401 -- registers what answers derive from a KB
from bot.answers.core import answer
from bot.coverage import engine
from bot.knowledge import derive
from bot.knowledge.kb import KB, KBHolder, load_kb
from bot.knowledge.reload import Reloader, ReloadEvent
from handlers.runner import load_kb_or_exit
from kbfactory import BETA, write_kb

NOW = dt.datetime(2026, 11, 30, 13, 0, tzinfo=dt.UTC)
QUESTIONS = [
    "qual o dns da mutum?",
    "/senha lasernet W5-1200G",
    "/bloqueio vmnet",
    "/provedor sejafibra",
    "/dnss mutum",
    "cliente caboimagem quer cancelar",
    "senha do roteador W4-300F da lasernet",
    "o financeiro da vmnet está aberto?",
    "cliente de Ubatuba sem internet",
    "bom dia pessoal",
    "/agora",
    "/agora mutum",
    "/escala semana",
    "/horario vmnet",
    "/buscar MG Cobranças",
    "/versao",
    "/ajuda",
    "O cliente mandou: boa tarde, estou sem internet desde ontem e já reiniciei o roteador. "
    "Paguei o boleto com 40 dias de atraso, vocês podem liberar hoje? Obrigado. " * 8,
]


def built(kb: KB) -> set[Any]:
    return set(kb._derived)


def registered() -> set[Any]:
    return {get.__wrapped__ for get in derive.builders()}  # type: ignore[attr-defined]


def test_a_prepared_load_builds_everything_answers_derive(tmp_path: Path) -> None:
    kb = load_kb(write_kb(tmp_path), prepare=True)
    assert registered()
    assert built(kb) == registered()


def test_a_plain_load_builds_only_what_it_uses(tmp_path: Path) -> None:
    """``kb validate``, one ``ask``: only what is used gets built (the passwords, for the
    loader's own check that none leaks)."""
    assert built(load_kb(write_kb(tmp_path))) < registered()


def test_after_a_prepared_load_no_answer_builds_anything() -> None:
    """Every kind of answer finds what it needs built: nothing is added at a question."""
    kb = load_kb(KB_DIR, now=NOW, prepare=True)
    before = built(kb)
    for question in QUESTIONS:
        answer(kb, question, NOW)
    assert built(kb) == before


def test_a_reload_builds_the_new_kb_before_it_answers(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path)
    reloader = Reloader(KBHolder(load_kb(kb_dir)), kb_dir)
    (kb_dir / "providers" / "beta.yaml").write_text(
        BETA.replace("10 dias", "12 dias"), encoding="utf-8"
    )
    assert reloader.reload_now().event is ReloadEvent.LOADED
    assert built(reloader.holder.kb) == registered()


def test_the_bot_starts_with_a_prepared_kb(tmp_path: Path, gc_unfrozen: None) -> None:
    holder = load_kb_or_exit(make_settings(kb_dir=write_kb(tmp_path)))
    assert built(holder.kb) == registered()


def test_a_failing_builder_is_logged_and_the_others_still_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(kb: KB) -> int:
        raise ValueError("bug")

    def fine(kb: KB) -> int:
        return len(kb.providers)

    monkeypatch.setattr(derive, "_BUILDERS", [])
    monkeypatch.setattr(derive, "_WARMERS", [])
    derive.derived(broken)
    get_fine = derive.derived(fine)
    with caplog.at_level(logging.ERROR, logger="bot.knowledge.derive"):
        kb = load_kb(write_kb(tmp_path), prepare=True)
    assert kb._derived[fine] == 2
    assert broken not in kb._derived
    assert get_fine(kb) == 2
    assert "broken" in caplog.text


def test_the_holidays_of_this_year_and_the_next_are_computed_at_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first clock line of the year (or of the process) computed the holiday calendar, and
    the first of all imported the library's 280 countries: 1-2 s at a question."""
    asked: list[tuple[str, str | None, int]] = []
    real = engine.holidays_lib.country_holidays

    def counting(country: str, subdiv: str | None = None, **kwargs: Any) -> Any:
        asked.append((country, subdiv, kwargs["years"]))
        return real(country, subdiv=subdiv, **kwargs)

    monkeypatch.setattr(engine.holidays_lib, "country_holidays", counting)
    engine._holiday_dates.cache_clear()
    engine._holiday_names.cache_clear()
    late_december = dt.datetime(2026, 12, 30, 15, 0, tzinfo=dt.UTC)
    kb = load_kb(write_kb(tmp_path), now=late_december, prepare=True)
    assert {(c, s, y) for c, s, y in asked if y == 2027} >= {("BR", "SP", 2027), ("BR", "MT", 2027)}
    assert {y for _, _, y in asked} == {2026, 2027}
    asked.clear()
    for provider in kb.providers.values():
        for day in (dt.date(2026, 12, 25), dt.date(2027, 1, 1), dt.date(2027, 11, 20)):
            engine.is_holiday(provider, day)
            engine.holiday_name(provider, day)
    assert asked == []
