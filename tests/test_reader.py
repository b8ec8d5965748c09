"""Reading free text: abbreviations, ISP anywhere, topic keywords, equipment."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import KB, load_kb
from bot.reader import expand, read
from kbfactory import write_kb


@pytest.fixture
def kb(tmp_path: Path) -> KB:
    return load_kb(write_kb(tmp_path))


def test_abbreviations_expand() -> None:
    assert expand("Qnts dias p/ bloquear, vc sabe?") == [
        "quantos",
        "dias",
        "para",
        "bloquear",
        "voce",
        "sabe",
    ]


def test_isp_topic_and_equipment(kb: KB) -> None:
    reading = read(kb, "qual a senha do W5 da alfa net?")
    assert [p.id for p in reading.providers] == ["alfa"]
    assert reading.best_topic is not None and reading.best_topic.id == "senha"
    assert reading.equipment is not None and reading.equipment.model == "W5-1200G"


def test_misspelt_isp_and_keyword(kb: KB) -> None:
    reading = read(kb, "dias de atraso pra bloqueio na bettaa")
    assert [p.id for p in reading.providers] == ["beta"]
    assert reading.best_topic is not None and reading.best_topic.id == "bloqueio"


def test_two_isps_and_none(kb: KB) -> None:
    assert {p.id for p in read(kb, "dns alfa e beta").providers} == {"alfa", "beta"}
    nothing = read(kb, "bom dia")
    assert nothing.providers == () and nothing.best_topic is None


def test_lookalike_in_text(kb: KB) -> None:
    reading = read(kb, "cliente da zeta sem sinal")
    assert reading.providers == ()
    assert reading.lookalike is not None and reading.lookalike[0].name == "ZETA"
