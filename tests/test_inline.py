"""Inline mode's own guard: an answer whose text holds a password the KB knows is never offered,
even if a KB with one in a public topic got past ``kb validate`` (it cannot: tests/test_cli.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import MUTUM_DNS

from bot.knowledge.kb import KB
from handlers.telegram import inline

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
