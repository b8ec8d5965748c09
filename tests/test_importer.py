"""upcall-bot kb import: the five seeds against their hand-made YAML, formats, bad input."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from bot.app.cli import main
from bot.knowledge.importer import import_document
from bot.knowledge.importer.schedules import coverage_windows
from bot.knowledge.kb import load_kb, seed_problems

ROOT = Path(__file__).resolve().parent.parent


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_importer", ROOT / "bench" / "importer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


BENCH = _bench()


@pytest.fixture(scope="module")
def seed_results() -> dict[str, object]:
    results = BENCH.run()
    print("\n" + BENCH.table(results))
    return {r.isp: r for r in results}


SAME_TOPIC_FLOORS = {"lasernet": 59, "mutum": 77, "netcenter": 78, "sejafibra": 107, "vmnet": 113}
"""The last measured figures (docs/import.md): a change that places fewer lines fails here."""


@pytest.mark.parametrize("isp", BENCH.ISPS)
def test_each_seed_imports_close_to_its_hand_made_yaml(
    seed_results: dict[str, object], isp: str
) -> None:
    result = seed_results[isp]
    assert result.share >= 0.90, result.misplaced  # type: ignore[attr-defined]
    assert result.same_topic >= SAME_TOPIC_FLOORS[isp], result.misplaced  # type: ignore[attr-defined]
    assert result.equipment_equal, result.equipment_diff  # type: ignore[attr-defined]
    assert result.coverage_equal, result.coverage_diff  # type: ignore[attr-defined]
    assert result.fidelity_missing == 0  # type: ignore[attr-defined]


def test_sector_hours_match_the_hand_made_files(seed_results: dict[str, object]) -> None:
    # Seja Fibra's on-call teams (maintenance 08h-20h, outages 24h) are in its /plantao answer,
    # not under a "Horário" heading: the hand-made file has them as sectors, the draft not.
    equal = sorted(isp for isp, r in seed_results.items() if r.sectors_equal)  # type: ignore[attr-defined]
    assert equal == ["lasernet", "mutum", "netcenter", "vmnet"]


def _kb_without(tmp_path: Path, isp: str | None = None) -> Path:
    return BENCH.scratch_kb(tmp_path, isp)


def test_cli_writes_draft_report_and_seed_and_the_kb_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = _kb_without(tmp_path, "vmnet")
    seeds = tmp_path / "seeds"
    code = main(
        [
            "kb",
            "import",
            str(ROOT / "seeds" / "vmnet.txt"),
            "--id",
            "vmnet",
            "--kb",
            str(kb),
            "--seeds",
            str(seeds),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Colocado (tópico <- linhas do documento):" in out
    assert "Fidelidade: 100 %" in out
    assert "kb lint" in out
    assert (
        (kb / "providers" / "vmnet.import.txt")
        .read_text(encoding="utf-8")
        .startswith("Importação de vmnet.txt")
    )
    assert (seeds / "vmnet.txt").read_text(encoding="utf-8").startswith("VM NET")
    loaded = load_kb(kb)
    provider = loaded.providers["vmnet"]
    assert provider.state == "SP"
    assert [e.model for e in provider.equipment][:2] == ["Roteador TP Link", "ONU STAVIX (UNEE)"]
    assert provider.topics["dns"].text.startswith("DNS primário: 45.162.123.2")
    assert provider.topics["desbloqueio"].templates
    assert "# segredo" in (kb / "providers" / "vmnet.yaml").read_text(encoding="utf-8")


def test_former_names_and_wrong_company_callers(tmp_path: Path) -> None:
    kb = _kb_without(tmp_path, "sejafibra")
    result = import_document(
        ROOT / "seeds" / "sejafibra.txt",
        kb_dir=kb,
        seeds_dir=tmp_path / "s",
        provider_id="sejafibra",
    )
    data = result.draft.data
    assert {"Caboimagem", "Kaybee", "MPV", "Sansara"} <= set(data["aliases"])  # type: ignore[arg-type]
    names = [item["name"] for item in data["lookalikes"]]  # type: ignore[union-attr]
    assert names == ["TRIX", "NIPPONET", "NET CLARO", "GIGA"]


def test_time_zone_and_state_from_gmt_and_phone(tmp_path: Path) -> None:
    kb = _kb_without(tmp_path, "mutum")
    result = import_document(
        ROOT / "seeds" / "mutum.txt", kb_dir=kb, seeds_dir=tmp_path / "s", provider_id="mutum"
    )
    assert result.draft.data["state"] == "MT"
    assert result.draft.data["timezone"] == "America/Cuiaba"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["Segunda à Sexta das 23:50h às 08h", "*Sexta a noite a partir das 22:50h"],
            [
                {"days": ["mon", "tue", "wed", "thu"], "start": "23:50", "end": "08:00"},
                {"days": ["fri"], "start": "22:50", "end": "08:00"},
            ],
        ),
        (
            ["Sábado após o 12h até Segunda as 09h30"],
            [{"days": ["sat"], "start": "12:00", "end": "09:30", "end_day": "mon"}],
        ),
        (["Domingos 24h"], [{"days": ["sun"], "start": "00:00", "end": "00:00"}]),
        (
            ["Seg a Sex das 8h às 12h e das 14h às 18h"],
            [
                {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "12:00"},
                {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "14:00", "end": "18:00"},
            ],
        ),
    ],
)
def test_schedule_phrases(lines: list[str], expected: list[dict[str, object]]) -> None:
    windows = [{k: v for k, v in w.items() if k != "mode"} for w in coverage_windows(lines).windows]
    assert windows == expected


def test_holidays_to_confirm_are_read_into_the_grown_schema() -> None:
    reading = coverage_windows(
        ["Segunda à Sexta das 18h às 08h", "Feriados estaduais: confirmar no grupo"]
    )
    assert reading.holiday_confirm == ["state"]
    assert any("confirmar no grupo" in n for n in reading.notes)


SYNTHETIC = """NOVA TESTE NET

Horário de atendimento da UPCALL (GMT -3)
Segunda à Sexta das 18h às 08h
Sábados e Domingos 24h

Qual DNS padrão?
R: 8.8.8.8 e 8.8.4.4

Qual o prazo de atendimento do suporte?
R: 48 horas

Como prosseguir em casos de cancelamento?
R: Transferir ao setor de retenção.
"""


def test_docx_and_pdf_documents(tmp_path: Path) -> None:
    from docx import Document
    from fpdf import FPDF

    document = Document()
    for line in SYNTHETIC.splitlines():
        document.add_paragraph(line)
    document.save(str(tmp_path / "nova.docx"))
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    for line in SYNTHETIC.splitlines():
        pdf.cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "nova.pdf"))
    for index, name in enumerate(("nova.docx", "nova.pdf")):
        kb = BENCH.scratch_kb(tmp_path / str(index), None)
        seeds = tmp_path / f"seeds{index}"
        result = import_document(tmp_path / name, kb_dir=kb, seeds_dir=seeds, provider_id="nova")
        provider = load_kb(kb).providers["nova"]
        assert provider.topics["dns"].text.strip() == "8.8.8.8 e 8.8.4.4", name
        assert "prazo" in provider.topics and "cancelamento" in provider.topics, name
        assert (seeds / "nova.txt").is_file() and (seeds / f"nova{Path(name).suffix}").is_file()
        assert result.report_path.is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "documento vazio"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "arquivo binário"),
        ("Lista de compras\npão\nleite\n".encode(), "nenhuma pergunta/resposta"),
    ],
)
def test_bad_documents_get_one_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    kb = BENCH.scratch_kb(tmp_path, None)
    before = sorted(p.name for p in (kb / "providers").iterdir())
    document = tmp_path / "doc.txt"
    document.write_bytes(content)
    seeds = tmp_path / "seeds"
    code = main(["kb", "import", str(document), "--kb", str(kb), "--seeds", str(seeds)])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert sorted(p.name for p in (kb / "providers").iterdir()) == before
    assert not seeds.exists()


def test_an_existing_id_is_refused_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = BENCH.scratch_kb(tmp_path, None)
    original = (kb / "providers" / "mutum.yaml").read_text(encoding="utf-8")
    seeds = tmp_path / "seeds"
    args = [
        "kb",
        "import",
        str(ROOT / "seeds" / "mutum.txt"),
        "--id",
        "mutum",
        "--kb",
        str(kb),
        "--seeds",
        str(seeds),
    ]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "já existe" in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert (kb / "providers" / "mutum.yaml").read_text(encoding="utf-8") == original
    assert not seeds.exists()
    assert main([*args, "--force"]) == 0
    assert load_kb(kb).providers["mutum"].equipment[0].port == "8010"


def test_draft_is_yaml_a_supervisor_can_read(tmp_path: Path) -> None:
    kb = _kb_without(tmp_path, "netcenter")
    result = import_document(
        ROOT / "seeds" / "netcenter.txt",
        kb_dir=kb,
        seeds_dir=tmp_path / "s",
        provider_id="netcenter",
        today=dt.date(2026, 11, 22),
    )
    text = result.draft_path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["coverage"]["windows"][0]["start"] == "23:50"
    assert "'23:50'" in text
    shutil.rmtree(tmp_path / "s")


def test_former_names_and_callers_by_mistake_in_other_phrasings() -> None:
    from bot.knowledge.importer import identity

    line = (
        "Nova X é a antiga ALFA NET. Clientes da Oi, da Vivo ou da LIGUE NORTE ligam por "
        "engano, orientar a procurar a operadora."
    )
    assert identity.former_names(line) == ["ALFA NET"]
    assert identity.wrong_companies(line) == ["Oi", "Vivo", "LIGUE NORTE"]


UNPLACEABLE = (
    SYNTHETIC
    + """
Qual a cor do logotipo?
R: Azul-turquesa com letras brancas.
"""
)


def test_a_passage_nothing_points_to_is_kept_for_review_with_its_line(tmp_path: Path) -> None:
    document = tmp_path / "nova.txt"
    document.write_text(UNPLACEABLE, encoding="utf-8")
    kb = BENCH.scratch_kb(tmp_path, None)
    result = import_document(document, kb_dir=kb, seeds_dir=tmp_path / "s", provider_id="nova")
    entry = load_kb(kb).providers["nova"].topics["orientacoes"]
    assert "Azul-turquesa com letras brancas." in entry.text
    assert any('linha 16: "Qual a cor do logotipo?"' in n for n in entry.notes)
    review = result.report.split("Não classificados")[1].split("\n\n")[0]
    assert "Qual a cor do logotipo?" in review


def test_the_reload_announces_the_imported_isp(tmp_path: Path) -> None:
    from bot.knowledge.changelog import diff

    kb = BENCH.scratch_kb(tmp_path, "lasernet")
    before = load_kb(kb)
    import_document(
        ROOT / "seeds" / "lasernet.txt", kb_dir=kb, seeds_dir=tmp_path / "s", provider_id="lasernet"
    )
    assert diff(before, load_kb(kb)) == ["LaserNet › provedor adicionado"]


def test_a_name_another_isp_uses_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = BENCH.scratch_kb(tmp_path, None)
    document = tmp_path / "doc.txt"
    document.write_text(SYNTHETIC.replace("NOVA TESTE NET", "VM NET TELECOM"), encoding="utf-8")
    assert main(["kb", "import", str(document), "--kb", str(kb), "--seeds", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "já é do provedor vmnet" in err and len(err.strip().splitlines()) == 1
    assert not (kb / "providers" / "vmnettelecom.yaml").exists()


def test_without_a_title_line_the_name_comes_from_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = BENCH.scratch_kb(tmp_path, None)
    document = tmp_path / "doc.txt"
    document.write_text(SYNTHETIC.split("\n", 2)[2], encoding="utf-8")  # no "NOVA TESTE NET"
    args = ["kb", "import", str(document), "--kb", str(kb), "--seeds", str(tmp_path / "s")]
    assert main(args) == 1
    assert "use --name" in capsys.readouterr().err
    assert main([*args, "--name", "Nova Teste Net"]) == 0
    provider = load_kb(kb).providers["novatestenet"]
    assert provider.name == "Nova Teste Net"
    assert provider.coverage is not None and provider.topics["dns"].text.startswith("8.8.8.8")


def test_a_docx_credential_table_with_several_passwords_in_a_cell(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    for line in SYNTHETIC.splitlines():
        document.add_paragraph(line)
    document.add_paragraph("Qual usuário e senha padrão para acesso aos equipamentos?")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [("EQUIPAMENTO", "LOGIN", "SENHA"), ("ZYXEL", "supervisor", ""), ("W5-1200G", "-", "x1@")],
        strict=True,
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    extra = table.rows[1].cells[2]
    extra.add_paragraph("zyx#1")
    extra.add_paragraph("zyx#2")
    document.add_paragraph("Mandar recado no grupo caso não tenha acesso")
    path = tmp_path / "nova.docx"
    document.save(str(path))
    kb = BENCH.scratch_kb(tmp_path, None)
    import_document(path, kb_dir=kb, seeds_dir=tmp_path / "s", provider_id="nova")
    rows = [(e.model, e.login, e.passwords) for e in load_kb(kb).providers["nova"].equipment]
    assert rows == [("ZYXEL", "supervisor", ["zyx#1", "zyx#2"]), ("W5-1200G", None, ["x1@"])]


def test_a_suggested_message_whose_quote_never_closes_ends_at_the_next_question(
    tmp_path: Path,
) -> None:
    document = tmp_path / "nova.txt"
    document.write_text(
        SYNTHETIC
        + '\nPodemos enviar fatura?\nR: Sim.\nMensagem sugestiva:\n"Olá, segue a sua fatura.\n\n'
        + "Qual métodos de pagamentos da fatura?\nR: Boleto e PIX\n",
        encoding="utf-8",
    )
    kb = BENCH.scratch_kb(tmp_path, None)
    import_document(document, kb_dir=kb, seeds_dir=tmp_path / "s", provider_id="nova")
    provider = load_kb(kb).providers["nova"]
    assert [t.text.strip() for t in provider.topics["fatura"].templates] == [
        '"Olá, segue a sua fatura.'
    ]
    assert provider.topics["pagamento"].text.strip() == "Boleto e PIX"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("doc.docx", b"\xbe\x8b\x1c\xd8\xd0 not a zip " * 50),
        ("doc.pdf", b"\xbe\x8b\x1c\xd8\xd0 not a pdf " * 50),
        ("doc.pdf", b"%PDF-1.4\n cut short"),
    ],
)
def test_a_broken_docx_or_pdf_is_one_line(tmp_path: Path, name: str, content: bytes) -> None:
    """A binary file named .docx was python-docx's traceback; a broken .pdf printed pypdf's
    English warnings ("invalid pdf header", "EOF marker not found") before the line."""
    import subprocess

    kb = BENCH.scratch_kb(tmp_path, None)
    document = tmp_path / name
    document.write_bytes(content)
    script = Path(sys.executable).parent / "upcall-bot"
    done = subprocess.run(
        [str(script), "kb", "import", str(document), "--kb", str(kb), "--seeds", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Erro: não foi possível ler o {Path(name).suffix} {name}: arquivo inválido".replace(
            "o .pdf", "o PDF"
        )
    ]


def test_seeds_that_cannot_be_written_is_one_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--seeds`` naming a file was a traceback (FileExistsError) after the draft and its report
    had been written."""
    kb = _kb_without(tmp_path, "vmnet")
    before = sorted(p.name for p in (kb / "providers").iterdir())
    not_a_folder = tmp_path / "seeds-file"
    not_a_folder.write_text("x", encoding="utf-8")
    args = ["kb", "import", str(ROOT / "seeds" / "vmnet.txt"), "--kb", str(kb)]
    assert main([*args, "--seeds", str(not_a_folder)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "não foi possível escrever" in err and "nada foi gravado" in err
    assert "uma pasta" in err and "File exists" not in err
    assert sorted(p.name for p in (kb / "providers").iterdir()) == before


@pytest.mark.parametrize("where", ["beside", "nested", "outside"])
def test_the_seed_path_written_is_the_one_kb_validate_finds(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, where: str
) -> None:
    kb = _kb_without(tmp_path, "vmnet")
    seeds = {
        "beside": tmp_path / "seeds",
        "nested": tmp_path / "docs" / "originais",
        "outside": tmp_path_factory.mktemp("elsewhere") / "seeds",
    }[where]
    import_document(ROOT / "seeds" / "vmnet.txt", kb_dir=kb, seeds_dir=seeds, provider_id="vmnet")
    seed = load_kb(kb).providers["vmnet"].seed
    expected = {
        "beside": "seeds/vmnet.txt",
        "nested": "docs/originais/vmnet.txt",
        "outside": str((seeds / "vmnet.txt").resolve()),
    }[where]
    assert seed == expected
    assert not [p for p in seed_problems(load_kb(kb)) if "vmnet" in str(p)]
    assert main(["kb", "validate", str(kb / "providers" / "vmnet.yaml")]) == 0


class _UtcServerClock(dt.datetime):
    """A UTC server at 2026-11-30T01:30Z: 22:30 of the 29th in Brasília (TIMEZONE's default)."""

    INSTANT = dt.datetime(2026, 11, 30, 1, 30, tzinfo=dt.UTC)

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
        if tz is None:
            return cls.INSTANT.replace(tzinfo=None)
        return cls.INSTANT.astimezone(tz)


class _UtcServerDay(dt.date):
    @classmethod
    def today(cls) -> dt.date:  # type: ignore[override]
        return dt.date(2026, 11, 30)


def test_an_import_at_night_on_a_utc_server_is_not_reviewed_in_the_future(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kb import` stamps `reviewed:` with the same "today" `kb lint` compares against (the
    TIMEZONE's), so the pre-commit hook does not refuse a fresh import after 21:00 Brasília."""
    import bot.app.cli as cli_module
    import bot.knowledge.importer as importer_module

    for module in (cli_module, importer_module):
        clock = ModuleType("datetime")
        clock.__dict__.update(dt.__dict__)
        clock.datetime = _UtcServerClock  # type: ignore[attr-defined]
        clock.date = _UtcServerDay  # type: ignore[attr-defined]
        monkeypatch.setattr(module, "dt", clock)
    monkeypatch.delenv("TIMEZONE", raising=False)
    kb = _kb_without(tmp_path, "vmnet")
    args = ["--kb", str(kb)]
    document = str(ROOT / "seeds" / "vmnet.txt")
    seeds = str(shutil.copytree(ROOT / "seeds", tmp_path / "seeds"))
    (tmp_path / "seeds" / "vmnet.txt").unlink()
    assert main(["kb", "import", document, "--id", "vmnet", *args, "--seeds", seeds]) == 0
    assert load_kb(kb).providers["vmnet"].reviewed == dt.date(2026, 11, 29)
    capsys.readouterr()
    assert main(["kb", "lint", *args]) == 0, capsys.readouterr().out
