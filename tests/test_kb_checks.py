"""Knowledge mistakes caught, each with its file and line, in Portuguese: ``*.yml`` files,
``seed:`` naming a missing file, alias clashes, YAML syntax (with a hint), ``kb test`` files,
``kb validate FILE``, relative paths."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import KB_DIR

from bot.app.cli import main
from bot.knowledge.kb import KBError, load_kb, seed_problems, validate_file
from bot.knowledge.regression import FORMAT_HINT, load_suite
from kbfactory import ALFA, BETA, write_kb


def problems_of(kb_dir: Path) -> list[str]:
    with pytest.raises(KBError) as caught:
        load_kb(kb_dir)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the real KB with its seeds, as in the repository."""
    shutil.copytree(KB_DIR, tmp_path / "knowledge")
    shutil.copytree(KB_DIR.parent / "seeds", tmp_path / "seeds")
    return tmp_path


# --------------------------------------------------------------------------- *.yml


@pytest.mark.parametrize("where", ["providers/gama.yml", "secrets.yml", "topics.yml"])
def test_a_yml_file_is_refused_by_name(tmp_path: Path, where: str) -> None:
    kb_dir = write_kb(tmp_path)
    (kb_dir / where).write_text("id: gama\n", encoding="utf-8")
    name = Path(where).stem
    assert f"knowledge/{where}: arquivo .yml não é lido: renomeie para {name}.yaml" in (
        problems_of(kb_dir)
    )


# --------------------------------------------------------------------------- seed:


def test_a_missing_seed_fails_validate_and_lint(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo)
    assert main(["kb", "validate"]) == 0
    assert main(["kb", "lint", "--now", "2026-11-29"]) == 0
    mutum = repo / "knowledge" / "providers" / "mutum.yaml"
    mutum.write_text(
        mutum.read_text("utf-8").replace("seeds/mutum.txt", "seeds/mutun.txt"), "utf-8"
    )
    capsys.readouterr()
    assert main(["kb", "validate"]) == 1
    expected = (
        "knowledge/providers/mutum.yaml:9: seed: arquivo não encontrado: seeds/mutun.txt "
        f"(procurado em {repo / 'seeds' / 'mutun.txt'})"
    )
    assert expected in capsys.readouterr().err.splitlines()
    assert main(["kb", "lint", "--now", "2026-11-29"]) == 1
    assert f"erro: {expected}" in capsys.readouterr().out.splitlines()
    # The running bot answers without the seeds: loading is not refused.
    assert load_kb(repo / "knowledge").providers["mutum"].seed == "seeds/mutun.txt"


def test_the_shipped_seeds_exist() -> None:
    assert seed_problems(load_kb(KB_DIR)) == []


# --------------------------------------------------------------------------- aliases


def test_an_alias_clash_names_the_file_and_line(tmp_path: Path) -> None:
    beta = BETA.replace("name: Beta Fibra\n", "name: Beta Fibra\naliases: [Beta, Alfanet]\n", 1)
    assert beta != BETA
    kb_dir = write_kb(tmp_path, {"alfa": ALFA, "beta": beta})
    found = [p for p in problems_of(kb_dir) if "apelido" in p]
    line = next(i for i, text in enumerate(beta.splitlines(), 1) if text.startswith("aliases"))
    assert found == [
        f"knowledge/providers/beta.yaml:{line}: apelido 'alfanet' também pertence a alfa "
        "(providers/alfa.yaml)"
    ]


# --------------------------------------------------------------------------- YAML syntax


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("id: gama\n\tname: Gama\n", 2, "há uma tabulação (TAB): indente só com espaços"),
        ("id: gama\nname: Gama\nnotes:\n  - Horário: 8h: 18h\n", 4, "':' no meio de um texto"),
        ('id: gama\nname: "Gama\n', 2, "aspas abertas e não fechadas"),
        # The quoted text runs on into the next line: PyYAML's error is there ("chave sem ':'").
        ('id: gama\nname: "Gama\naliases: ["G", "Gama F"]\n', 2, "aspas abertas e não fechadas"),
        ("id: gama\naliases: [a, b\nname: x\n", 3, "lista entre [ ]"),
        ("id: gama\n  name: Gama\n", 2, "':' no meio de um texto"),
    ],
)
def test_yaml_errors_are_portuguese_with_a_hint(
    tmp_path: Path, text: str, line: int, hint: str
) -> None:
    kb_dir = write_kb(tmp_path)
    (kb_dir / "providers" / "gama.yaml").write_text(text, encoding="utf-8")
    (found,) = [p for p in problems_of(kb_dir) if "gama.yaml" in p]
    assert found.startswith(f"knowledge/providers/gama.yaml:{line}: YAML inválido (coluna ")
    assert hint in found
    assert not any(word in found for word in ("found", "expected", "while scanning"))


# --------------------------------------------------------------------------- kb test files


def test_kb_test_accepts_a_bare_list_of_cases(tmp_path: Path) -> None:
    suite = tmp_path / "cases.yaml"
    suite.write_text(
        "- ask: /dns alfa\n  expect: 10.0.0.1\n- ask: /dns beta\n  forbid: 10.0.0.1\n", "utf-8"
    )
    cases, problems = load_suite(suite)
    assert problems == [] and [c.ask for c in cases] == ["/dns alfa", "/dns beta"]
    assert main(["kb", "test", "--kb", str(write_kb(tmp_path)), str(suite)]) == 0


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("casos:\n  - pergunta: oi\n", "cases.yaml:1: nenhum caso encontrado; " + FORMAT_HINT),
        ("", "cases.yaml: arquivo vazio; " + FORMAT_HINT),
        ("- ask: /dns alfa\n  esperado: x\n", "cases.yaml:2: caso 1, esperado: chave desconhecida"),
        ("cases:\n  - {ask: /dns alfa}\n  - expect: x\n", "cases.yaml:3: caso 2, ask: campo"),
    ],
)
def test_a_bad_kb_test_file_explains_the_format(tmp_path: Path, text: str, first: str) -> None:
    suite = tmp_path / "cases.yaml"
    suite.write_text(text, "utf-8")
    _, problems = load_suite(suite)
    shown = [str(p).replace(f"{tmp_path}/", "") for p in problems]
    assert shown[0].startswith(first)
    assert FORMAT_HINT in shown[-1]
    assert not any("valid dictionary" in p or "Input should" in p for p in shown)


def test_a_missing_kb_test_file_names_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _, problems = load_suite(Path("nao.yaml"))
    assert [str(p) for p in problems] == [
        f"nao.yaml: arquivo de casos não encontrado (procurado em {tmp_path / 'nao.yaml'}, "
        "a partir do diretório atual)"
    ]


# --------------------------------------------------------------------------- kb validate FILE


def test_kb_validate_a_file_of_the_kb(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo)
    assert main(["kb", "validate", "knowledge/providers/vmnet.yaml"]) == 0
    assert capsys.readouterr().out.strip() == "OK: knowledge/providers/vmnet.yaml"
    vmnet = repo / "knowledge" / "providers" / "vmnet.yaml"
    vmnet.write_text(vmnet.read_text("utf-8").replace("state: ", "estado: ", 1), "utf-8")
    mutum = repo / "knowledge" / "providers" / "mutum.yaml"
    mutum.write_text(mutum.read_text("utf-8") + "\tx: 1\n", "utf-8")
    assert main(["kb", "validate", "knowledge/providers/vmnet.yaml"]) == 1
    err = capsys.readouterr().err
    assert "vmnet.yaml" in err and "estado: chave desconhecida" in err
    assert "mutum.yaml" not in err  # only the file asked about
    assert main(["kb", "validate", "knowledge/topics.yaml"]) == 0


def test_kb_validate_a_provider_file_outside_a_kb(tmp_path: Path) -> None:
    lone = tmp_path / "gama.yaml"
    lone.write_text(ALFA.replace("id: alfa", "id: gama"), "utf-8")
    assert validate_file(lone) == []
    lone.write_text(ALFA, "utf-8")
    assert [p.message for p in validate_file(lone)] == [
        "id 'alfa' difere do nome do arquivo 'gama'"
    ]


def test_a_missing_directory_names_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["kb", "validate", "conhecimento"]) == 1
    assert (
        "conhecimento: diretório da base de conhecimento não encontrado (procurado em "
        f"{tmp_path / 'conhecimento'}, a partir do diretório atual)"
    ) in capsys.readouterr().err
