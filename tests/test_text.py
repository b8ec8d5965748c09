"""bot.reading.text: what a person typed, cleaned and normalised."""

from __future__ import annotations

import pytest

from bot.reading.text import clean_input


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u200c", "\u200d"])
def test_a_zero_width_character_inside_a_word_is_removed(invisible: str) -> None:
    assert clean_input(f"/d{invisible}ns mu{invisible}tum") == "/dns mutum"


def test_a_joiner_between_symbols_is_kept() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji, built with joiners
    assert clean_input(f"ok {family}") == f"ok {family}"
