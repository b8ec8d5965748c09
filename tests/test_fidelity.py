"""Every fact of every seed is in the KB: the guard against transcription losses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.knowledge.fidelity import answer_lines, missing_lines, symbol_slips, unused_skips
from bot.knowledge.kb import load_kb

ROOT = Path(__file__).resolve().parent.parent
ISPS = ["netcenter", "lasernet", "sejafibra", "vmnet", "mutum"]
MAX_SKIPS = 3


def provider_data(isp: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (ROOT / "knowledge" / "providers" / f"{isp}.yaml").read_text(encoding="utf-8")
    )
    return data


def test_all_five_isps_load_and_validate() -> None:
    kb = load_kb(ROOT / "knowledge")
    assert sorted(kb.providers) == sorted(ISPS)
    for isp in ISPS:
        assert (ROOT / "seeds" / f"{isp}.txt").is_file()
        assert kb.providers[isp].seed == f"seeds/{isp}.txt"


@pytest.mark.parametrize("isp", ISPS)
def test_every_seed_line_is_in_the_yaml(isp: str) -> None:
    seed = (ROOT / "seeds" / f"{isp}.txt").read_text(encoding="utf-8")
    data = provider_data(isp)
    missing = missing_lines(seed, data)
    assert missing == [], "\n".join(f"line {m.number}: {m.raw}" for m in missing)
    assert unused_skips(seed, data) == []


@pytest.mark.parametrize("isp", ISPS)
def test_every_seed_symbol_is_kept_in_the_yaml(isp: str) -> None:
    """Arrows, dashes, quotes and icons normalise away: a "⁝" copied as "”" (Seja Fibra's IXC
    path, once) passes the word check; this one finds it."""
    seed = (ROOT / "seeds" / f"{isp}.txt").read_text(encoding="utf-8")
    slips = symbol_slips(seed, provider_data(isp))
    assert slips == [], "\n".join(f"line {m.number}: {c!r} in {m.raw}" for m, c in slips)


@pytest.mark.parametrize("isp", ISPS)
def test_skip_lists_are_short_and_explained(isp: str) -> None:
    skips = provider_data(isp).get("fidelity_skip") or []
    assert len(skips) <= MAX_SKIPS
    assert all(len(item["reason"]) >= 20 for item in skips)


SEED = """\
ACME
Qual DNS padrão?
R: Primário 1.1.1.1
Tem plantão?
R:
EQUIPAMENTO\tLOGIN\tSENHA
ZYXEL\tsupervisor\tsegredo
"""


def test_answer_lines_drop_questions_and_r_prefix() -> None:
    assert [line.raw for line in answer_lines(SEED)] == [
        "ACME",
        "Primário 1.1.1.1",
        "EQUIPAMENTO\tLOGIN\tSENHA",
        "ZYXEL\tsupervisor\tsegredo",
    ]


def test_a_lost_fact_is_reported() -> None:
    data = {
        "name": "ACME",
        "topics": {"dns": "primario 1.1.1.1", "senha": "Equipamento, login e senha"},
        "equipment": [{"model": "Zyxel", "login": "supervisor", "passwords": ["outra"]}],
    }
    assert [m.number for m in missing_lines(SEED, data)] == [7]  # "segredo" is lost
    data["equipment"][0]["passwords"] = ["segredo"]
    assert missing_lines(SEED, data) == []


def test_a_skip_cannot_vouch_for_itself() -> None:
    data: dict[str, Any] = {"name": "ACME", "topics": {}}
    data["fidelity_skip"] = [{"line": "Primário 1.1.1.1", "reason": "x"}]
    assert "Primário 1.1.1.1" not in [m.raw for m in missing_lines(SEED, data)]
    assert "ZYXEL\tsupervisor\tsegredo" in [m.raw for m in missing_lines(SEED, data)]
    data["fidelity_skip"].append({"line": "Nada disso existe", "reason": "x"})
    assert unused_skips(SEED, data) == ["Nada disso existe"]


def test_words_must_match_whole() -> None:
    # "1.1.1.10" must not vouch for "1.1.1.1".
    assert [m.raw for m in missing_lines("DNS 1.1.1.1", {"t": "dns 1.1.1.10"})] == ["DNS 1.1.1.1"]


PATH = "Editar Cliente → Contrato → Selecionar Contrato → ⁝  → TV→ Selecionar Usuário TV"


@pytest.mark.parametrize(
    ("yaml_text", "slip"),
    [
        ("Editar Cliente → Contrato → Selecionar Contrato → ” → TV → Selecionar Usuário TV", "⁝"),
        ("Editar Cliente → Contrato → Selecionar Contrato → TV → Selecionar Usuário TV ⁝", "→"),
        (
            "Editar Cliente -> Contrato -> Selecionar Contrato -> ⁝ -> TV -> Selecionar Usuário TV",
            "→",
        ),
    ],
)
def test_a_symbol_slip_is_reported(yaml_text: str, slip: str) -> None:
    data = {"topics": {"tv": yaml_text}}
    assert missing_lines(PATH, data) == []  # the words are all there
    assert [(m.number, c) for m, c in symbol_slips(PATH, data)] == [(1, slip)]


def test_symbols_kept_with_other_spacing_pass() -> None:
    data = {
        "topics": {
            "tv": "Editar Cliente → Contrato → Selecionar Contrato → ⁝ → TV → Selecionar Usuário TV"
        }
    }
    assert symbol_slips(PATH, data) == []
    skipped = {"topics": {}, "fidelity_skip": [{"line": PATH, "reason": "x"}]}
    assert symbol_slips(PATH, skipped) == []
