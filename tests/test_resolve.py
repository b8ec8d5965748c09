"""ISP and equipment names: exact, alias, prefix, fuzzy, ties and lookalikes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import KB, load_kb
from bot.resolve import resolve_equipment, resolve_provider, split_provider
from kbfactory import write_kb


@pytest.fixture
def kb(tmp_path: Path) -> KB:
    return load_kb(write_kb(tmp_path))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("alfa", "alfa"),
        ("Alfa Net", "alfa"),
        ("alfanet", "alfa"),
        ("VELHA ALFA", "alfa"),
        ("alfnet", "alfa"),
        ("beta", "beta"),
        ("beta fibr", "beta"),
        ("betta", "beta"),
    ],
)
def test_provider_names(kb: KB, typed: str, expected: str) -> None:
    match = resolve_provider(kb, typed)
    assert match.provider is not None and match.provider.id == expected


@pytest.mark.parametrize("typed", ["", "x", "gama", "zzzzzz", "fibra"])
def test_no_provider(kb: KB, typed: str) -> None:
    assert resolve_provider(kb, typed).provider is None


def test_lookalike_is_not_a_provider(kb: KB) -> None:
    match = resolve_provider(kb, "zeta")
    assert match.provider is None
    assert match.lookalike is not None and match.lookalike[1].id == "alfa"


def test_split_provider_finds_it_anywhere(kb: KB) -> None:
    match, rest = split_provider(kb, ["alfa", "net", "W5"])
    assert match.provider is not None and rest == ["W5"]
    match, rest = split_provider(kb, ["W5", "beta"])
    assert match.provider is not None and match.provider.id == "beta" and rest == ["W5"]
    match, rest = split_provider(kb, ["nada", "disso"])
    assert match.provider is None and rest == ["nada", "disso"]


@pytest.mark.parametrize(
    ("typed", "models"),
    [
        ("w5-1200g", ["W5-1200G"]),
        ("W5", ["W5-1200G"]),
        ("w5 1200", ["W5-1200G"]),
        ("mr30", ["MERCUSYS MR30"]),
        ("mercusys", ["MERCUSYS AC12G", "MERCUSYS MR30"]),
        ("archer", []),
        ("", []),
    ],
)
def test_equipment(kb: KB, typed: str, models: list[str]) -> None:
    match = resolve_equipment(kb.providers["alfa"], typed)
    assert [e.model for e in match.candidates] == models
    assert (match.equipment is not None) == (len(models) == 1)
