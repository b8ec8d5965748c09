"""The changelog: what changed between two KBs, by ISP and topic, never a credential."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.changelog import diff
from bot.knowledge.kb import load_kb
from kbfactory import ALFA, BETA, write_kb


def changes(tmp_path: Path, alfa: str = ALFA, beta: str | None = BETA) -> list[str]:
    old = load_kb(write_kb(tmp_path / "old"))
    providers = {"alfa": alfa} if beta is None else {"alfa": alfa, "beta": beta}
    new = load_kb(write_kb(tmp_path / "new", providers))
    return diff(old, new)


def test_nothing_changed(tmp_path: Path) -> None:
    assert changes(tmp_path) == []


def test_topic_changed_added_removed(tmp_path: Path) -> None:
    beta = BETA.replace("10 dias", "15 dias").replace('  dns: "Primário 20.0.0.1"\n', "")
    alfa = ALFA.replace("topics:\n", 'topics:\n  bloqueio: "Com 5 dias."\n')
    assert changes(tmp_path, alfa, beta) == [
        "Alfa Net › tópico /bloqueio adicionado",
        "Beta Fibra › tópico /dns removido",
        "Beta Fibra › tópico /bloqueio alterado",
    ]


def test_equipment_changes_never_show_secrets(tmp_path: Path) -> None:
    alfa = ALFA.replace("Segredo2@", "NovoSegredo9!").replace(
        '  - model: "MERCUSYS MR30"\n    passwords: ["m2"]\n',
        '  - model: "RF1200"\n    passwords: ["P=x"]\n',
    )
    found = changes(tmp_path, alfa)
    assert found == [
        "Alfa Net › senha: modelo RF1200 adicionado",
        "Alfa Net › senha: modelo MERCUSYS MR30 removido",
        "Alfa Net › senha: modelo W5-1200G: credenciais alteradas",
    ]
    joined = "\n".join(found)
    assert "NovoSegredo9!" not in joined and "P=x" not in joined and "Segredo" not in joined


def test_provider_added_removed_and_fields(tmp_path: Path) -> None:
    assert changes(tmp_path, beta=None) == ["Beta Fibra › provedor removido"]
    alfa = ALFA.replace("state: SP", "state: RJ")
    assert changes(tmp_path, alfa) == ["Alfa Net › UF alterada"]


def test_vocabulary_changed(tmp_path: Path) -> None:
    from kbfactory import TOPICS

    old = load_kb(write_kb(tmp_path / "old"))
    new = load_kb(write_kb(tmp_path / "new", topics=TOPICS + "vocabulary:\n  bloq: bloqueio\n"))
    assert diff(old, new) == ["Catálogo › vocabulário alterado"]
