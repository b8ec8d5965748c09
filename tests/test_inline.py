"""Inline mode's own guard: an answer whose text holds a password the KB knows is never offered,
even if a KB with one in a public topic got past ``kb validate`` (it cannot: tests/test_cli.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import MUTUM_DNS

from bot.answers import messages as msg
from bot.answers.render.telegram import TELEGRAM_LIMIT
from bot.knowledge.kb import KB, load_kb
from handlers.telegram import inline
from kbfactory import ALFA, write_kb

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def test_a_public_answer_is_offered(real_kb: KB) -> None:
    results, withheld = inline.inline_results(real_kb, "dns mutum", NOW)
    assert len(results) == 1 and not withheld


def test_an_answer_holding_a_known_password_is_withheld(
    real_kb: KB, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if the Mutum DNS address were a password the KB knows."""
    monkeypatch.setattr(inline, "contains_secret", lambda _kb, text: MUTUM_DNS in text)
    results, withheld = inline.inline_results(real_kb, "dns mutum", NOW)
    assert results == [] and withheld


def test_an_answer_longer_than_one_message_says_it_was_cut(tmp_path: Path) -> None:
    """An inline result posts one message: a public answer longer than that is cut between its
    paragraphs, and the message says so and what to ask the bot (it was cut silently)."""
    paragraphs = "\n\n".join(
        f"Regra {n}: " + "abrir OS e avisar o provedor. " * 12 for n in range(30)
    )
    kb = load_kb(
        write_kb(
            tmp_path,
            {
                "alfa": ALFA.replace(
                    'dns: "Primário 10.0.0.1 / Secundário 10.0.0.2 <b>"', f"dns: {paragraphs!r}"
                )
            },
        )
    )
    [result], withheld = inline.inline_results(kb, "dns alfa", NOW)
    sent = result.input_message_content.message_text  # type: ignore[union-attr]
    assert not withheld and len(sent) <= TELEGRAM_LIMIT
    assert "Regra 0:" in sent and "Regra 29:" not in sent
    assert sent.endswith(f"<i>{msg.INLINE_CUT.format(ask='dns alfa')}</i>")


def test_an_answer_that_fits_is_posted_whole_with_no_cut_line(real_kb: KB) -> None:
    [result], _ = inline.inline_results(real_kb, "dns mutum", NOW)
    sent = result.input_message_content.message_text  # type: ignore[union-attr]
    assert MUTUM_DNS in sent and "cortada" not in sent


@pytest.mark.parametrize(
    "query",
    [
        "deusefiel, cancelar ou bloqueio?",
        "lnt12345@ nao entra, quanto custa a visita ou a mudança?",
    ],
)
def test_a_choice_found_by_a_typed_password_offers_no_option_inline(
    real_kb: KB, query: str
) -> None:
    """Session 10's QA: the choice was a credential answer (its ISP from a KB password typed),
    but each option was answered afresh and offered ("VM NET › Cancelamento"): posted in any
    chat, it told whose password it is. The options are withheld as the choice is."""
    results, withheld = inline.inline_results(real_kb, query, NOW)
    assert results == [] and withheld
