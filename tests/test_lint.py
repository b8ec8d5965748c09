"""``kb lint``: warnings for what to look at, errors for what would mislead agents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.app.cli import main
from bot.knowledge.kb import load_kb
from bot.knowledge.lint import Level, lint
from kbfactory import ALFA, BETA, write_kb

TODAY = dt.date(2026, 3, 1)


def test_findings_on_a_tiny_kb(tmp_path: Path) -> None:
    alfa = ALFA.replace(
        '  - model: "MERCUSYS MR30"\n    passwords: ["m2"]\n', '  - model: "MERCUSYS MR30"\n'
    )
    beta = BETA.replace("reviewed: 2026-01-01", "reviewed: 2025-01-01")
    kb = load_kb(write_kb(tmp_path, {"alfa": alfa, "beta": beta}))
    found = [str(f) for f in lint(kb, TODAY, stale_days=90)]
    assert "aviso: alfa: o documento não responde: /bloqueio, /sistemas" in found
    assert "aviso: beta: o documento não responde: /senha" in found
    assert "aviso: alfa: equipamento sem senha: MERCUSYS MR30" in found
    assert "aviso: beta: revisado em 01/01/2025, há 424 dias (limite 90)" in found
    assert all(not f.startswith("erro") for f in found)


def test_errors(tmp_path: Path) -> None:
    alfa = ALFA.replace("name: ZETA", "name: Beta Fibra")
    beta = BETA.replace("name: Beta Fibra", "name: Beta Fibra\naliases: [VelhaAlfa]")
    kb = load_kb(write_kb(tmp_path, {"alfa": alfa, "beta": beta}))
    errors = [f for f in lint(kb, TODAY) if f.level is Level.ERROR]
    assert [str(e) for e in errors] == [
        "erro: alfa: 'Beta Fibra' está como engano (lookalike) e também é nome de beta",
        "erro: alfa, beta: apelido 'velhaalfa' compartilhado",
    ]


def test_cli_exit_codes(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    kb_dir = write_kb(tmp_path)
    assert main(["kb", "lint", "--kb", str(kb_dir)]) == 0
    assert "aviso: alfa: o documento não responde" in capsys.readouterr().out
    (kb_dir / "providers" / "beta.yaml").write_text(
        BETA.replace("name: Beta Fibra", "name: Beta Fibra\naliases: [VelhaAlfa]"),
        encoding="utf-8",
    )
    assert main(["kb", "lint", "--kb", str(kb_dir)]) == 1
    assert "erro: alfa, beta: apelido 'velhaalfa' compartilhado" in capsys.readouterr().out


def test_shipped_kb_has_no_lint_errors(capsys) -> None:  # type: ignore[no-untyped-def]
    root = Path(__file__).resolve().parent.parent
    assert main(["kb", "lint", "--kb", str(root / "knowledge")]) == 0


def test_coverage_typos(tmp_path: Path) -> None:
    coverage = (
        "coverage:\n  windows:\n"
        '    - {days: [mon, tue, wed, thu, fri], start: "18:00", end: "08:00"}\n'
        '    - {days: [sat], start: "08:10", end: "12:00"}\n'
        '    - {days: [sun], start: "10:00", end: "12:00"}\n'
        '    - {days: [sun], start: "11:00", end: "13:00"}\n'
    )
    kb = load_kb(write_kb(tmp_path, {"beta": BETA + coverage}))
    found = [str(f) for f in lint(kb, TODAY) if "cobertura" in str(f) or "janelas" in str(f)]
    assert found == [
        "aviso: beta: cobertura para só 10 min (sáb 08:00): erro de digitação?",
        "aviso: beta: janelas sobrepostas (dom 11:00): confira se é intencional",
    ]
    kb = load_kb(write_kb(tmp_path, {"alfa": ALFA}))
    assert "aviso: alfa: sem janelas de cobertura da UPCALL (coverage)" in [
        str(f) for f in lint(kb, TODAY)
    ]
