"""General rules the seventh document (tests/data/seventh) prompted, each on a small made-up
snippet: a heading's list stays with it, a table's rows stay together, a day-column table of
sector hours, more hours of a named sector, a section title, a system's address."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bot.knowledge.importer import import_document
from bot.knowledge.kb import load_kb

ROOT = Path(__file__).resolve().parent.parent

SNIPPET = """ACME NET

Horário de atendimento da UPCALL (GMT -3)
Segunda à Sexta das 18h às 08h

UPSOFT - OK
CHAT E LIGAÇÃO
GESTORX\tOPA

Quais as tecnologias oferecidas?
R: Fibra óptica.

SETORES PARA TRANSFERÊNCIA:
Mudança de endereço: Comercial
Cancelamento: Retenção
Problemas de conexão: Suporte N2

Horários dos setores

SETOR\tSEGUNDA À SEXTA\tSÁBADO
Cobrança\tDas 08h às 17h30\tDas 08h às 11h
Retenção\tDas 09h às 17h\tNão abre

Retenção Domingos das 10h às 12h

Setor fechado: não transferir, abrir OS.

FINANCEIRO
Podemos enviar fatura?
R: Sim, pelo aplicativo.

INFORMAÇÕES DA EMPRESA

GESTORX\thttps://acme.gestorx.example
TELEFONE\t(11) 3333-4444
ENDEREÇO\tRua Um, 10 - Centro - Campinas - SP
"""


def _draft(tmp_path: Path) -> dict[str, object]:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", kb)
    document = tmp_path / "acme.txt"
    document.write_text(SNIPPET, encoding="utf-8")
    import_document(document, kb_dir=kb, seeds_dir=tmp_path / "seeds", provider_id="acme")
    assert "acme" in load_kb(kb).providers  # the draft validates
    data = yaml.safe_load((kb / "providers" / "acme.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_headings_list_and_its_table_stay_with_the_heading(tmp_path: Path) -> None:
    topics = _draft(tmp_path)["topics"]
    assert isinstance(topics, dict)
    setores = topics["setores"]["text"]
    for line in (
        "Mudança de endereço: Comercial",
        "Cancelamento: Retenção",
        "Problemas de conexão: Suporte N2",
        "Cobrança / Das 08h às 17h30 / Das 08h às 11h",
        "Retenção / Das 09h às 17h / Não abre",
        "Setor fechado: não transferir, abrir OS.",
    ):
        assert line in setores
    assert "Cancelamento: Retenção" not in topics.get("cancelamento", {}).get("text", "")


def test_sector_hours_from_a_day_column_table_and_a_named_line(tmp_path: Path) -> None:
    sectors = {s["name"]: s["windows"] for s in _draft(tmp_path)["sectors"]}  # type: ignore[attr-defined]
    weekdays = ["mon", "tue", "wed", "thu", "fri"]
    assert sectors["Cobrança"] == [
        {"days": weekdays, "start": "08:00", "end": "17:30"},
        {"days": ["sat"], "start": "08:00", "end": "11:00"},
    ]
    assert sectors["Retenção"] == [
        {"days": weekdays, "start": "09:00", "end": "17:00"},
        {"days": ["sun"], "start": "10:00", "end": "12:00"},
    ]


def test_a_heading_that_only_titles_the_next_question_is_no_topic(tmp_path: Path) -> None:
    data = _draft(tmp_path)
    topics = data["topics"]
    assert isinstance(topics, dict)
    assert "FINANCEIRO" not in topics.get("financeiro", {}).get("text", "")
    assert "Sim, pelo aplicativo." in topics["fatura"]["text"]
    skipped = [s["line"] for s in data["fidelity_skip"]]  # type: ignore[attr-defined]
    assert "FINANCEIRO" in skipped


def test_a_systems_address_in_the_company_information_answers_sistemas(tmp_path: Path) -> None:
    topics = _draft(tmp_path)["topics"]
    assert isinstance(topics, dict)
    assert "https://acme.gestorx.example" in topics["sistemas"]["text"]
    assert "(11) 3333-4444" in topics["contato"]["text"]


FIELDS = """ACME NET

Horário de atendimento da UPCALL (GMT -3)
Segunda à Sexta das 18h às 08h

Qual DNS padrão?
R: DNS primário: 10.0.0.2

DNS secundário: 10.0.0.3

IPv6: 2001:db8::53

Qual site para medir velocidade?
R: https://acme.speed.example
"""


def test_a_run_of_one_value_fields_stays_in_its_answer(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", kb)
    document = tmp_path / "acme.txt"
    document.write_text(FIELDS, encoding="utf-8")
    import_document(document, kb_dir=kb, seeds_dir=tmp_path / "seeds", provider_id="acme")
    topics = load_kb(kb).providers["acme"].topics
    assert "IPv6: 2001:db8::53" in topics["dns"].text
    assert "ipv6" not in topics
