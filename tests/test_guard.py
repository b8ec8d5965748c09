"""A provider file cut short by bad luck (an interrupted save, a full disk, a copy stopped half-way)
is refused with a clear line and loses nothing; a deliberate removal stays possible."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from bot.answers.core import answer
from bot.answers.render.plain import to_plain
from bot.app.cli import main
from bot.knowledge.guard import losses, unfinished_end
from bot.knowledge.kb import KBError, KBHolder, load_kb
from bot.knowledge.reload import Reloader, ReloadEvent
from bot.knowledge.schema import Provider

NOW = dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC)
QA_CUT = 3000
"""The QA's ``head -c 3000 knowledge/providers/mutum.yaml``: inside the ``senha`` text block."""


def mutum(kb_dir: Path) -> Path:
    return kb_dir / "providers" / "mutum.yaml"


def cut_mid_line(kb_dir: Path, size: int = QA_CUT) -> str:
    text = mutum(kb_dir).read_bytes()[:size].decode("utf-8", errors="ignore")
    assert not text.endswith("\n")
    mutum(kb_dir).write_text(text, encoding="utf-8")
    return text


def cut_at_line_end(kb_dir: Path, size: int = QA_CUT) -> str:
    """The rarer cut that leaves a well-formed file: everything after a line break is gone."""
    full = mutum(kb_dir).read_text(encoding="utf-8")
    text = full[: full.rindex("\n", 0, size) + 1]
    mutum(kb_dir).write_text(text, encoding="utf-8")
    return text


def problems(kb_dir: Path, **kwargs: bool) -> list[str]:
    with pytest.raises(KBError) as caught:
        load_kb(kb_dir, **kwargs)
    return [str(p) for p in caught.value.problems]


def test_a_file_cut_inside_a_text_block_is_refused_at_its_last_line(kb_dir: Path) -> None:
    text = cut_mid_line(kb_dir)
    last = text.count("\n") + 1
    assert problems(kb_dir) == [
        f"knowledge/providers/mutum.yaml:{last}: o arquivo termina no meio de uma linha (sem "
        "quebra de linha no fim): gravação interrompida, disco cheio ou cópia pela metade? "
        "Confira o fim do arquivo; se ele está completo, termine-o com uma quebra de linha (Enter)"
    ]


@pytest.mark.parametrize("name", ["topics.yaml", "secrets.yaml"])
def test_every_yaml_file_of_the_kb_must_end_with_a_line_break(kb_dir: Path, name: str) -> None:
    path = kb_dir / name
    if name == "secrets.yaml":
        path.write_text("providers:\n  mutum:\n    equipment: []\n    topics: {}\n  # fim", "utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n"), encoding="utf-8")
    assert any(f"{name}:" in p and "termina no meio de uma linha" in p for p in problems(kb_dir))


def test_unfinished_end() -> None:
    assert unfinished_end("a: 1\nb: 2") == 2
    assert unfinished_end("a: 1\nb: 2\n") is None
    assert unfinished_end("") is None  # "arquivo vazio", said by the loader


def test_a_cut_file_is_refused_by_a_reload_which_keeps_the_kb_answering(kb_dir: Path) -> None:
    reloader = Reloader(KBHolder(load_kb(kb_dir)), kb_dir)
    good = reloader.holder.kb
    text = cut_at_line_end(kb_dir)
    load_kb(kb_dir)  # on its own the cut file is a valid KB: only the comparison tells
    result = reloader.reload_now()
    assert result.event is ReloadEvent.BROKEN
    assert [str(p) for p in result.problems] == [
        f"knowledge/providers/mutum.yaml:{len(text.splitlines())}: Mutum Fibra perderia a "
        "cobertura da UPCALL (janelas de atendimento), 25 de 29 tópicos (tecnologias, cidades, "
        "velocidade, …), todos os equipamentos (1) e todos os setores (1) de uma vez em relação "
        "à versão em uso, com "
        "reviewed: inalterado: arquivo cortado (gravação interrompida, disco cheio, cópia pela "
        "metade)? Restaure o arquivo; se a remoção é intencional, atualize reviewed: para a "
        "data de hoje"
    ]
    assert reloader.holder.kb is good
    assert "143.202.80.56" in to_plain(answer(reloader.holder.kb, "/dns mutum", NOW))
    assert reloader.reload_now().event is ReloadEvent.STILL_BROKEN  # told once


def test_a_cut_file_mid_line_is_refused_by_a_reload_too(kb_dir: Path) -> None:
    reloader = Reloader(KBHolder(load_kb(kb_dir)), kb_dir)
    good = reloader.holder.kb
    cut_mid_line(kb_dir)
    result = reloader.reload_now()
    assert result.event is ReloadEvent.BROKEN
    assert "termina no meio de uma linha" in str(result.problems[0])
    assert reloader.holder.kb is good


def test_a_deliberate_removal_says_so_by_changing_reviewed(kb_dir: Path) -> None:
    reloader = Reloader(KBHolder(load_kb(kb_dir)), kb_dir)
    text = cut_at_line_end(kb_dir)
    mutum(kb_dir).write_text(text.replace("reviewed: 2026-11-22", "reviewed: 2026-11-30"), "utf-8")
    result = reloader.reload_now()
    assert result.event is ReloadEvent.LOADED
    assert "Mutum Fibra › tópico /dns removido" in result.changes
    assert "Mutum Fibra › horário da UPCALL alterado" in result.changes


def test_removing_a_topic_or_two_needs_nothing(kb_dir: Path) -> None:
    reloader = Reloader(KBHolder(load_kb(kb_dir)), kb_dir)
    text = mutum(kb_dir).read_text(encoding="utf-8")
    dns = '  dns: "Primário 143.202.80.56 e secundário 143.202.80.57."\n'
    assert dns in text
    mutum(kb_dir).write_text(text.replace(dns, ""), encoding="utf-8")
    result = reloader.reload_now()
    assert result.event is ReloadEvent.LOADED
    assert result.changes == ("Mutum Fibra › tópico /dns removido",)


def _provider(**fields: object) -> Provider:
    base: dict[str, object] = {
        "id": "x",
        "name": "X",
        "timezone": "America/Sao_Paulo",
        "state": "SP",
        "reviewed": "2026-01-01",
    }
    return Provider.model_validate(base | fields)


def test_what_counts_as_a_loss() -> None:
    six = {f"t{i}": "texto" for i in range(6)}
    windows = {"windows": [{"days": ["mon"], "start": "08:00", "end": "18:00"}]}
    old = _provider(
        topics=six,
        coverage=windows,
        equipment=[{"model": "M1"}],
        sectors=[{"id": "loja", "name": "Loja"}],
    )
    assert losses(old, old) == []
    two_gone = _provider(
        topics={k: v for k, v in six.items() if k not in ("t0", "t1")},
        coverage=windows,
        equipment=[{"model": "M1"}],
        sectors=[{"id": "loja", "name": "Loja"}],
    )
    assert losses(old, two_gone) == []  # an edit
    assert losses(old, _provider(topics={"t5": "texto"})) == [
        "a cobertura da UPCALL (janelas de atendimento)",
        "5 de 6 tópicos (t0, t1, t2, …)",
        "todos os equipamentos (1)",
        "todos os setores (1)",
    ]
    # Three of thirty: an edit, not half of the ISP.
    many = {f"t{i}": "texto" for i in range(30)}
    assert losses(_provider(topics=many), _provider(topics=dict(list(many.items())[3:]))) == []


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_kb_validate_compares_an_edit_not_committed_with_the_last_commit(kb_dir: Path) -> None:
    _git(kb_dir.parent, "init", "-q")
    _git(kb_dir.parent, "add", "knowledge")
    _git(kb_dir.parent, "commit", "-qm", "base")
    text = cut_at_line_end(kb_dir)
    load_kb(kb_dir)  # the bot's own reload compares with the version answering instead
    found = problems(kb_dir, against_commit=True)
    assert len(found) == 1
    assert found[0].startswith(f"knowledge/providers/mutum.yaml:{len(text.splitlines())}: ")
    assert "Mutum Fibra perderia a cobertura" in found[0]
    assert "em relação ao último commit" in found[0]
    mutum(kb_dir).write_text(text.replace("reviewed: 2026-11-22", "reviewed: 2026-11-30"), "utf-8")
    assert load_kb(kb_dir, against_commit=True).providers["mutum"].coverage is None


def test_a_timezone_cut_to_a_folder_of_the_zone_database_is_a_problem(kb_dir: Path) -> None:
    text = mutum(kb_dir).read_text(encoding="utf-8")
    mutum(kb_dir).write_text(text.replace("America/Cuiaba", "America"), encoding="utf-8")
    assert any("fuso horário IANA desconhecido: 'America'" in p for p in problems(kb_dir))


def test_a_bidi_override_in_kb_text_is_refused_at_its_line(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA7 #21: a topic text with U+202E (pasted from Word/PDF) loaded with no word and was sent
    as is: Telegram and WhatsApp then show the rest of the line reversed."""
    path = mutum(kb_dir)
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if "143.202.80.56" in line)
    column = lines[number].index("143.202.80.56") + 1
    lines[number] = lines[number].replace("143.202.80.56", "\u202e143.202.80.56", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    expected = (
        f"knowledge/providers/mutum.yaml:{number + 1}: caractere invisível de direção de texto "
        f"U+202E (RIGHT-TO-LEFT OVERRIDE) na coluna {column}: ele inverte ou embaralha a exibição "
        "do resto da linha no Telegram e no WhatsApp (costuma vir colado de Word/PDF); apague-o"
    )
    assert problems(kb_dir) == [expected]
    assert main(["kb", "validate", str(kb_dir)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == expected
    assert main(["kb", "validate", str(path)]) == 1  # one file, as the pre-commit hook checks it


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2069"])
def test_every_bidi_embedding_override_and_isolate_is_refused(kb_dir: Path, char: str) -> None:
    path = kb_dir / "topics.yaml"
    path.write_text(f"# a comment hides nothing{char}\n" + path.read_text("utf-8"), "utf-8")
    assert [p.split(": ")[1][:46] for p in problems(kb_dir)] == [
        "caractere invisível de direção de texto U+" + f"{ord(char):04X}"
    ]
    assert ":1: " in problems(kb_dir)[0]


def test_plain_direction_marks_and_joiners_are_left_alone(kb_dir: Path) -> None:
    path = kb_dir / "topics.yaml"
    path.write_text("# \u200e \u200f \u200d\n" + path.read_text("utf-8"), "utf-8")
    load_kb(kb_dir)
