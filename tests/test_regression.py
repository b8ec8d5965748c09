"""``kb test``: supervisors' cases run through the same core as the bot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.app.cli import main
from bot.knowledge.kb import load_kb
from bot.knowledge.regression import comparable, run_suites
from kbfactory import write_kb

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)
ROOT = Path(__file__).resolve().parent.parent


def test_comparable_ignores_tags_case_accents_spaces() -> None:
    assert comparable("<b>Não</b>  &amp;\n<code>Senha@1</code>") == "nao & senha@1"


def test_cases_pass_and_fail(tmp_path: Path) -> None:
    kb = load_kb(write_kb(tmp_path))
    suite = tmp_path / "cases.yaml"
    suite.write_text(
        "cases:\n"
        "  - {ask: /dns alfa, expect: ['10.0.0.1', 'PRIMÁRIO'], forbid: ['20.0.0.1']}\n"
        "  - {ask: /dns beta, expect: '99.9.9.9'}\n"
        "  - {ask: /dns beta, forbid: ['20.0.0.1']}\n",
        encoding="utf-8",
    )
    outcomes, problems = run_suites(kb, [suite], NOW)
    assert problems == []
    assert [o.passed for o in outcomes] == [True, False, False]
    assert outcomes[1].missing == ("99.9.9.9",)
    assert outcomes[2].forbidden == ("20.0.0.1",)


def test_cli_prints_failures_and_final_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    kb_dir = write_kb(tmp_path)
    suite = tmp_path / "cases.yaml"
    suite.write_text(
        "cases:\n  - {ask: /dns beta, expect: ['99.9.9.9']}\n  - {ask: /dns alfa, expect: [alfa]}\n",
        encoding="utf-8",
    )
    assert main(["kb", "test", "--kb", str(kb_dir), str(suite)]) == 1
    out = capsys.readouterr().out
    assert "FALHOU" in out and "esperado e ausente: '99.9.9.9'" in out
    assert "Beta Fibra › DNS padrão" in out  # the reply it got
    assert out.rstrip().splitlines()[-1] == "1 passed, 1 failed"


def test_cli_broken_suite_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    suite = tmp_path / "cases.yaml"
    suite.write_text("cases: [\n", encoding="utf-8")
    assert main(["kb", "test", "--kb", str(write_kb(tmp_path)), str(suite)]) == 1
    assert "YAML inválido" in capsys.readouterr().err


def test_cli_a_directory_given_as_the_cases_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """``kb test DIR`` (as ``kb validate DIR`` takes one) said "[Errno 21] Is a directory"."""
    kb_dir = write_kb(tmp_path)
    assert main(["kb", "test", str(kb_dir)]) == 1
    err = capsys.readouterr().err
    assert "Errno" not in err and "Is a directory" not in err
    assert err.strip() == (
        f"{kb_dir}: é um diretório: indique o arquivo de casos (ex.: knowledge/tests.yaml); "
        "a base se escolhe com --kb DIR"
    )


def test_shipped_cases_pass_on_the_shipped_kb(capsys) -> None:  # type: ignore[no-untyped-def]
    assert (
        main(
            ["kb", "test", "--kb", str(ROOT / "knowledge"), str(ROOT / "knowledge" / "tests.yaml")]
        )
        == 0
    )
    last = capsys.readouterr().out.rstrip().splitlines()[-1]
    passed = int(last.split()[0])
    assert passed >= 25 and last.endswith(", 0 failed")


def test_shipped_cases_cover_every_isp() -> None:
    text = (ROOT / "knowledge" / "tests.yaml").read_text(encoding="utf-8")
    kb = load_kb(ROOT / "knowledge")
    for provider in kb.providers.values():
        assert text.count(provider.id) + text.count(provider.name) >= 3, provider.id


def test_a_failing_case_is_named_by_its_file_and_line_and_shown_as_plain_text(
    tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    """`kb test` said `cases.yaml#2` (a case number) where every other message says
    `arquivo:linha`, and showed the reply as Telegram HTML (`<b>…</b>`)."""
    kb_dir = write_kb(tmp_path)
    suite = tmp_path / "cases.yaml"
    suite.write_text(
        "# the night shift's cases\n"
        "cases:\n"
        "  - ask: /dns alfa\n"
        "    expect: ['10.0.0.1']\n"
        "\n"
        "  - ask: /dns beta\n"
        "    expect: ['99.9.9.9']\n"
        "  - {ask: /dns alfa, forbid: ['10.0.0.1']}\n",
        encoding="utf-8",
    )
    outcomes, _ = run_suites(load_kb(kb_dir), [suite], NOW)
    assert [o.source for o in outcomes] == [f"{suite}:3", f"{suite}:6", f"{suite}:8"]
    assert main(["kb", "test", "--kb", str(kb_dir), str(suite)]) == 1
    out = capsys.readouterr().out
    assert f"FALHOU {suite}:6: /dns beta" in out and f"FALHOU {suite}:8: /dns alfa" in out
    assert "Beta Fibra › DNS padrão" in out
    assert "</b>" not in out and "&lt;" not in out  # no markup, no escapes:
    assert "Secundário 10.0.0.2 <b>" in out  # the KB's own text as written


def test_a_case_without_expect_nor_forbid_is_an_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """QA7 #16: ``{ask: /dns mutum}`` alone passed: a case that can never fail."""
    suite = tmp_path / "cases.yaml"
    suite.write_text(
        "cases:\n  - {ask: /dns alfa, expect: ['10.0.0.1']}\n  - ask: /dns beta\n",
        encoding="utf-8",
    )
    assert main(["kb", "test", "--kb", str(write_kb(tmp_path)), str(suite)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0] == (
        f"{suite}:3: caso 2 sem expect nem forbid: ele passaria sempre; "
        "diga o que a resposta deve trazer (expect) ou não pode trazer (forbid)"
    )
    assert "Traceback" not in captured.err


def test_a_file_with_no_cases_fails(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """QA7 #16: ``cases: []`` said "0 passed, 0 failed" with exit 0: the pre-commit hook passed."""
    kb_dir = write_kb(tmp_path)
    for text in ("cases: []\n", "[]\n"):
        suite = tmp_path / "cases.yaml"
        suite.write_text(text, encoding="utf-8")
        assert main(["kb", "test", "--kb", str(kb_dir), str(suite)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(
            f"{suite}:1: nenhum caso no arquivo (lista vazia): o kb test não testaria nada; "
        )
        assert len(err.splitlines()) == 1
