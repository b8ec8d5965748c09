"""bot.reading.text: what a person typed, cleaned and normalised."""

from __future__ import annotations

import pytest

from bot.reading.text import clean_input, stem


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u200c", "\u200d"])
def test_a_zero_width_character_inside_a_word_is_removed(invisible: str) -> None:
    assert clean_input(f"/d{invisible}ns mu{invisible}tum") == "/dns mutum"


def test_a_joiner_between_symbols_is_kept() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji, built with joiners
    assert clean_input(f"ok {family}") == f"ok {family}"


def test_a_bill_left_open_is_told_from_a_place_open_now() -> None:
    from bot.reading.text import left_unpaid

    for said, at in (("deixou o anterior em aberto", 4), ("tem 2 boletos abertos", 3)):
        assert left_unpaid(said.split(), at), said
    for said, at in (("o financeiro esta aberto", 3), ("aberto", 0)):
        assert not left_unpaid(said.split(), at), said


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("liberam", "liber"),  # they free: liberar's, not "lib" + "eram"
        ("liberaram", "liber"),
        ("liberar", "liber"),
        ("fizeram", "fizer"),
        ("colocaram", "coloc"),
        ("disseram", "diss"),
    ],
)
def test_a_root_keeps_four_letters_before_a_past_plural_ending(word: str, root: str) -> None:
    assert stem(word) == root
