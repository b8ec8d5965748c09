"""``kb import`` keeps passwords out of what is committed (QA round 7, finding 9): the YAML's
``fidelity_skip`` and the report quote no password, the seeds copy has them masked and still
vouches for the YAML, a .docx holding passwords is not copied; and the load-time leak check reads
every text field of a provider file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.knowledge.importer import import_document
from bot.knowledge.kb import KBError, load_kb, seed_problems

ROOT = Path(__file__).resolve().parent.parent
NEW_PASSWORDS = ("Rb#Anl1x77", "Fl4sh!Rb99", "onuRb2026")


def _ribeira(tmp_path: Path) -> Path:
    """The QA's document: Mutum's seed with another brand and other passwords."""
    text = (ROOT / "seeds" / "mutum.txt").read_text("utf-8")
    text = text.replace("!Mutum2025@", NEW_PASSWORDS[0]).replace("@MFibra$0125", NEW_PASSWORDS[1])
    text = text.replace("LOGIN: admin SENHA: admin", f"LOGIN: admin SENHA: {NEW_PASSWORDS[2]}")
    text = re.sub(r"(?i)mutum", "Ribeira", text)
    document = tmp_path / "ribeira.txt"
    document.write_text(text, "utf-8")
    return document


def _kb(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", kb)
    return kb


def test_an_imported_isp_commits_no_password_but_in_equipment_and_secret_topics(
    tmp_path: Path,
) -> None:
    kb, seeds = _kb(tmp_path), tmp_path / "seeds"
    result = import_document(_ribeira(tmp_path), kb_dir=kb, seeds_dir=seeds, provider_id="rib")
    data = yaml.safe_load(result.draft_path.read_text("utf-8"))
    skips = yaml.safe_dump(data.get("fidelity_skip"), allow_unicode=True)
    seed_copy = (seeds / "rib.txt").read_text("utf-8")
    report = result.report_path.read_text("utf-8")
    for password in NEW_PASSWORDS:
        assert password not in skips, skips
        assert password not in seed_copy
        assert password not in report and password not in result.report
    assert "SENHA: •••" in skips and "SENHA: •••" in seed_copy
    assert "senhas mascaradas" in report and "fora do repositório" in report
    # The passwords are where they belong; the masked copy still vouches for every line.
    kb_loaded = load_kb(kb)
    rows = kb_loaded.providers["rib"].equipment
    assert NEW_PASSWORDS[2] in [p for row in rows for p in row.passwords]
    assert [p for p in seed_problems(kb_loaded) if "rib" in str(p.file)] == []
    # Moved to the secrets file (README step 2): nothing of them is left in the provider file.
    without = result.draft_path.read_text("utf-8").replace(NEW_PASSWORDS[2], "")
    result.draft_path.write_text(without, "utf-8")
    assert all(p not in without for p in NEW_PASSWORDS[2:])


def test_this_repositorys_own_seed_is_left_as_it_is_when_imported_in_place(
    tmp_path: Path,
) -> None:
    """Re-importing the seeds copy itself never rewrites it (masked or not): it is the source."""
    kb, seeds = _kb(tmp_path), tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / "mutum.txt", seeds / "mutum.txt")
    before = (seeds / "mutum.txt").read_bytes()
    result = import_document(
        seeds / "mutum.txt", kb_dir=kb, seeds_dir=seeds, provider_id="mutum", force=True
    )
    assert (seeds / "mutum.txt").read_bytes() == before
    assert "!Mutum2025@" not in result.report
    assert "tem as senhas" in result.report


def test_a_docx_with_passwords_is_not_copied_into_the_seeds(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    for line in _ribeira(tmp_path).read_text("utf-8").splitlines():
        document.add_paragraph(line)
    document.save(str(tmp_path / "ribeira.docx"))
    seeds = tmp_path / "seeds"
    result = import_document(
        tmp_path / "ribeira.docx", kb_dir=_kb(tmp_path), seeds_dir=seeds, provider_id="rib"
    )
    assert not (seeds / "rib.docx").exists()
    assert "não foi copiado" in result.report
    assert all(p not in (seeds / "rib.txt").read_text("utf-8") for p in NEW_PASSWORDS)


@pytest.mark.parametrize(
    ("before", "after", "where"),
    [
        (  # the skip line as it was before masking: the password is a KB password
            "wifi (askey/mitrastar): ••• / 80",
            "wifi (askey/mitrastar): net2019* / 80",
            "fidelity_skip",
        ),
        ('    port: "80"\n', '    port: "net2019*"\n', "port"),
        ("name: ", "context: [net2019*]\nname: ", "context"),
    ],
)
def test_a_known_password_in_any_field_of_a_provider_file_is_refused(
    tmp_path: Path, before: str, after: str, where: str
) -> None:
    kb = _kb(tmp_path)
    path = kb / "providers" / "netcenter.yaml"
    text = path.read_text("utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), "utf-8")
    with pytest.raises(KBError) as caught:
        load_kb(kb)
    problems = [str(p) for p in caught.value.problems]
    assert any(where in p and "senha conhecida" in p for p in problems), problems
    assert not any("net2019*" in p for p in problems)


def test_a_password_that_is_the_isps_own_name_is_not_masked_in_the_copy_or_report(
    tmp_path: Path,
) -> None:
    """Seja Fibra's equipment rows hold the password "sejafibra": the KB never masks an ISP's
    name (``known_secrets``), and neither may the import, or the committed seeds copy loses its
    addresses ("https://•••.net/") and the report its ISP ("Provedor: •••")."""
    kb, seeds = _kb(tmp_path), tmp_path / "seeds"
    document = tmp_path / "doc" / "sejafibra.txt"
    document.parent.mkdir()
    shutil.copy(ROOT / "seeds" / "sejafibra.txt", document)
    result = import_document(
        document, kb_dir=kb, seeds_dir=seeds, provider_id="sejafibra", force=True
    )
    seed_copy = (seeds / "sejafibra.txt").read_text("utf-8")
    assert "https://sejafibra.net/" in seed_copy
    assert "Provedor: sejafibra (Seja Fibra)" in result.report
    assert "sejafibraroot1" not in seed_copy and "sejafibraroot1" not in result.report


def test_the_import_finds_a_drafts_passwords_as_the_kb_will_know_them() -> None:
    """What the import masks in the seeds copy and the report is what the loaded KB will know
    (``known_secrets``): "a senha do painel é x" too, not only "senha: x"."""
    from bot.knowledge.importer import draft_passwords
    from bot.knowledge.importer.draft import Draft

    draft = Draft(
        data={
            "id": "rib",
            "name": "Ribeira",
            "topics": {
                "acesso": {"text": "Painel: a senha do painel é Pn#2026xy\nSenha: Xq!99887"}
            },
        },
        secret_topics=["acesso"],
    )
    assert set(draft_passwords(draft)) == {"Pn#2026xy", "Xq!99887"}
