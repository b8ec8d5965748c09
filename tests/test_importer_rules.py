"""General rules the development documents prompted, each on a small made-up snippet.

The tenth (tests/data/tenth): former names "conhecem o provedor como X" and "X (nome antigo …)",
company suffixes generic, a question naming only a former name, a sentence about one maker's
rows, a copied paragraph with the labelled lines under it, a sector's hours as written under
the topic that sends there, a rule after the suggested message, schedule sentences.

The ninth (tests/data/ninth): a run of labelled lines is one list, a label shaped like the
list's items is one, sector lists and SETOR / DIAS / HORÁRIO tables, callers "por engano de
clientes da X", no generic alias, a suggested message found by its title.
The seventh (tests/data/seventh): a heading's list stays with it, a table's rows stay together,
a day-column table of sector hours, more hours of a named sector, a section title, a system's
address. The eighth (tests/data/eighth) and a probe of other house styles: former names and
the name without its generic word, a credentials question answers /senha, a port question
naming a model shows its row, a heading after a blank line opens its topic, a template ending
in "?", sector lines under a sectors heading, a paragraph copied to a topic answered nowhere
else, "is sector X open?", credential headers and rows in other words. The document's shapes:
spaces for tabs, CRLF, capitals, numbered questions, no "R:", "Resposta:", a PDF.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
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


# --------------------------------------------------------------------------- the eighth's rules
# General rules the eighth document (tests/data/eighth) prompted, each on a made-up snippet.

RULES_8 = """BETA ONDA FIBRA
(antiga Radiocom Telecom)

Horário de atendimento da UPCALL (GMT -3)
Segunda à Sexta das 19h às 07h

UPSOFT - OK
CHAT E LIGAÇÃO
SGPX\tOPA
Há quem chame o provedor de Radiocom. Alguns chamam o provedor de Radiocom ou "Onda RC" (nome antigo).

Quais as tecnologias oferecidas?
R: Fibra óptica.

Qual a porta de acesso e o login/senha dos roteadores?
MODELO\tLOGIN\tSENHA\tPORTA
ZTE H199\tsuporte\tBo#h199x\t8088
TENDA AC6\tadmin\tTd!ac6beta\t8443

Roteadores antigos da Radiocom podem usar a senha rc2018.

O cliente pode saber a senha do roteador?
R: Não informar. Trocar para uma senha escolhida pelo cliente.

Quando houver reset:
Reconfigurar com os dados PPPoE do SGPX. Taxa de R$ 45,00 quando o cliente causou o reset.

Qual o prazo do suporte?
R: Até 48 horas.

Mensagem sugestiva:
Sua solicitação foi registrada e o técnico vai ligar em até 48 horas. Pode confirmar seu melhor horário?

SETORES PARA TRANSFERÊNCIA:
Cobrança: Segunda à Sexta das 08h às 17h | Sábado das 08h às 11h
Vendas: Segunda à Sábado das 09h às 18h

Setor fechado: abrir OS e avisar o cliente.

INFORMAÇÕES DA EMPRESA

TELEFONE\t(11) 3333-4444
ENDEREÇO\tRua Um, 10 - Centro - Campinas - SP
"""


def _import(tmp_path: Path, snippet: str, provider_id: str = "beta") -> dict[str, object]:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", kb)
    document = tmp_path / f"{provider_id}.txt"
    document.write_text(snippet, encoding="utf-8", newline="")
    import_document(document, kb_dir=kb, seeds_dir=tmp_path / "seeds", provider_id=provider_id)
    assert provider_id in load_kb(kb).providers  # the draft validates
    data = yaml.safe_load((kb / "providers" / f"{provider_id}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_former_names_in_brackets_and_what_customers_call_the_isp(tmp_path: Path) -> None:
    aliases = _import(tmp_path, RULES_8)["aliases"]
    assert isinstance(aliases, list)
    # the name without its generic last word ("Beta", alone, would be a common word)
    assert {"Beta Onda", "Radiocom Telecom", "Radiocom", "Onda RC"} <= set(aliases)
    assert "Beta" not in aliases


def test_former_names_work_in_commands_and_free_text(tmp_path: Path) -> None:
    from bot.answers.core import answer
    from bot.answers.render.plain import to_plain

    _import(tmp_path, RULES_8)
    kb = load_kb(tmp_path / "kb")
    assert "Bo#h199x" in to_plain(answer(kb, "/senha radiocom zte h199"))
    assert "Bo#h199x" in to_plain(answer(kb, "senha do zte h199 da onda rc"))


def test_a_credentials_question_with_a_table_answers_senha(tmp_path: Path) -> None:
    data = _import(tmp_path, RULES_8)
    topics = data["topics"]
    assert isinstance(topics, dict)
    # the paragraph under the table is about its rows: /senha shows both
    assert "rc2018" in topics["senha"]["text"]
    assert "rc2018" not in topics.get("porta", {}).get("text", "")
    assert "ZTE H199: 8088" in topics["porta"]["text"]  # the port column still answers /porta


def test_a_port_question_naming_a_model_shows_its_row(tmp_path: Path) -> None:
    from bot.answers.core import answer
    from bot.answers.render.plain import to_plain

    _import(tmp_path, RULES_8)
    kb = load_kb(tmp_path / "kb")
    for asked in ("porta do tenda ac6 da beta onda", "/porta beta tenda ac6"):
        reply = answer(kb, asked)
        shown = to_plain(reply)
        assert "Td!ac6beta" in shown and "8443" in shown, asked
        assert reply.credentials and reply.topic_id == "porta"
    # no model named: the ISP's answer on ports, no credentials
    reply = answer(kb, "/porta beta")
    assert "8088" in to_plain(reply) and not reply.credentials


def test_a_sentence_case_heading_after_a_blank_line_opens_its_topic(tmp_path: Path) -> None:
    topics = _import(tmp_path, RULES_8)["topics"]
    assert isinstance(topics, dict)
    assert "R$ 45,00" in topics["reset"]["text"]
    assert "R$ 45,00" not in topics["senha"]["text"]


def test_a_suggested_message_ending_in_a_question_mark_is_a_template(tmp_path: Path) -> None:
    topics = _import(tmp_path, RULES_8)["topics"]
    assert isinstance(topics, dict)
    (template,) = topics["prazo"]["templates"]
    assert template["text"].startswith("Sua solicitação foi registrada")
    assert "Sua solicitação" not in str(topics.get("contato", {}))


def test_sector_lines_under_the_sectors_heading_are_sectors(tmp_path: Path) -> None:
    data = _import(tmp_path, RULES_8)
    topics = data["topics"]
    assert isinstance(topics, dict)
    setores = topics["setores"]["text"]
    assert "Cobrança: Segunda à Sexta das 08h às 17h | Sábado das 08h às 11h" in setores
    assert "Vendas: Segunda à Sábado das 09h às 18h" in setores
    assert "Setor fechado: abrir OS e avisar o cliente." in setores
    sectors = {s["name"]: s["windows"] for s in data["sectors"]}  # type: ignore[attr-defined]
    weekdays = ["mon", "tue", "wed", "thu", "fri"]
    assert sectors["Cobrança"] == [
        {"days": weekdays, "start": "08:00", "end": "17:00"},
        {"days": ["sat"], "start": "08:00", "end": "11:00"},
    ]
    assert sectors["Vendas"] == [{"days": [*weekdays, "sat"], "start": "09:00", "end": "18:00"}]


# --------------------------------------------------------------------------- the document's shape
# The same made-up document written in the shapes ISPs send: spaces for tabs, CRLF, headings in
# capitals with or without ":", numbered questions, answers without "R:", a PDF.


def test_spaced_columns_make_tab_rows_and_leave_sentences_alone() -> None:
    from bot.knowledge.importer.document import spaced_columns

    text = "\n".join(
        [
            "Horário de almoço das  13:30h as 15:30",  # two spaces in a sentence: a typo
            "Aguardar 24 horas.   Depois abrir OS.",  # sentences, however wide the gap
            "",
            "EQUIPAMENTO   LOGIN   SENHA",  # a wide gap alone says "column"
            "ZTE H199  suporte  Bo#h199x",  # as many cells as the line above
            "TENDA AC6  -  Td!ac6beta",
            "      CIDADE   BAIRRO",  # indented: an empty first cell
            "MATRIZ   Campinas   Centro",
        ]
    )
    assert spaced_columns(text).split("\n") == [
        "Horário de almoço das  13:30h as 15:30",
        "Aguardar 24 horas.   Depois abrir OS.",
        "",
        "EQUIPAMENTO\tLOGIN\tSENHA",
        "ZTE H199\tsuporte\tBo#h199x",
        "TENDA AC6\t-\tTd!ac6beta",
        "\tCIDADE\tBAIRRO",
        "MATRIZ\tCampinas\tCentro",
    ]


def _shapes() -> dict[str, str]:
    numbered = iter(range(1, 100))
    return {
        "spaces": RULES_8.replace("\t", "    "),
        "two spaces": RULES_8.replace("\t", "  "),
        "crlf": RULES_8.replace("\n", "\r\n"),
        "Resposta:": RULES_8.replace("\nR: ", "\nResposta: "),
        "capitals": RULES_8.replace(
            "Procedimento de reset do equipamento:", "PROCEDIMENTO DE RESET"
        )
        .replace("SETORES PARA TRANSFERÊNCIA:", "SETORES PARA TRANSFERÊNCIA")
        .replace("Mensagem sugestiva:", "MENSAGEM SUGESTIVA:"),
        "numbered, no R:": "\n".join(
            f"{next(numbered)}. {line}"
            if line.endswith("?") and len(line.split()) <= 12
            else line.removeprefix("R: ")
            for line in RULES_8.split("\n")
        ),
    }


@pytest.mark.parametrize("shape", list(_shapes()))
def test_the_same_document_in_other_shapes_drafts_the_same_answers(
    tmp_path: Path, shape: str
) -> None:
    data = _import(tmp_path, _shapes()[shape])
    topics = data["topics"]
    assert isinstance(topics, dict)
    rows = {
        row["model"]: (row["login"], row["passwords"], row["port"]) for row in data["equipment"]
    }  # type: ignore[attr-defined]
    assert rows == {
        "ZTE H199": ("suporte", ["Bo#h199x"], "8088"),
        "TENDA AC6": ("admin", ["Td!ac6beta"], "8443"),
    }
    assert "rc2018" in topics["senha"]["text"]
    assert "R$ 45,00" in topics["reset"]["text"]
    assert "Vendas: Segunda à Sábado das 09h às 18h" in topics["setores"]["text"]
    assert {s["name"] for s in data["sectors"]} == {"Cobrança", "Vendas"}  # type: ignore[attr-defined]
    assert "(11) 3333-4444" in topics["contato"]["text"]
    assert topics["prazo"]["templates"][0]["text"].startswith("Sua solicitação")


def test_a_pdf_keeps_its_tables_columns(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=9)
    for line in RULES_8.split("\n"):
        if "\t" in line:
            for cell in line.split("\t"):
                pdf.cell(190 / len(line.split("\t")), 5, cell)
            pdf.ln(5)
        else:
            pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    document = tmp_path / "beta.pdf"
    pdf.output(str(document))
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", kb)
    import_document(document, kb_dir=kb, seeds_dir=tmp_path / "seeds", provider_id="beta")
    provider = load_kb(kb).providers["beta"]
    assert [(e.model, e.login, e.passwords, e.port) for e in provider.equipment] == [
        ("ZTE H199", "suporte", ["Bo#h199x"], "8088"),
        ("TENDA AC6", "admin", ["Td!ac6beta"], "8443"),
    ]
    assert "(11) 3333-4444" in provider.topics["contato"].text


ASIDE = """ACME NET

Horário de atendimento da UPCALL (GMT -3)
Segunda à Sexta das 18h às 08h

Qual o procedimento para comprovante de pagamento?
R: Pode liberar e anexar o comprovante na OS.

Clientes que falarem da empresa Cobra Sul, podemos encaminhar para eles. É a empresa de cobrança terceirizada do provedor.

Qual o DNS padrão?
R: DNS primário: 10.0.0.2
"""


def test_a_later_paragraph_about_a_topic_answered_nowhere_else_is_copied_there(
    tmp_path: Path,
) -> None:
    data = _import(tmp_path, ASIDE, "acme")
    topics = data["topics"]
    assert isinstance(topics, dict)
    aside = "É a empresa de cobrança terceirizada do provedor."
    assert aside in topics["comprovante"]["text"]  # it stays in its answer
    assert aside in topics["financeiro"]["text"]  # and answers "cobrança da Cobra Sul"
    assert any("copiado" in n for n in topics["financeiro"]["notes"])


def test_no_copy_when_the_document_answers_that_topic(tmp_path: Path) -> None:
    answered = ASIDE + "\nQuais as regras do financeiro?\nR: Negociação somente com o titular.\n"
    topics = _import(tmp_path, answered, "acme")["topics"]
    assert isinstance(topics, dict)
    assert "Cobra Sul" not in topics["financeiro"]["text"]


def test_is_a_sector_open_shows_the_documents_sector_rules(tmp_path: Path) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from bot.answers.core import answer
    from bot.answers.render.plain import to_plain

    _import(tmp_path, RULES_8)
    kb = load_kb(tmp_path / "kb")
    saturday_night = dt.datetime(2026, 12, 5, 20, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    reply = answer(kb, "o setor de vendas da beta onda está aberto?", saturday_night)
    shown = to_plain(reply)
    assert reply.clock and "Vendas: fechado" in shown  # the state now
    assert "Setor fechado: abrir OS e avisar o cliente." in shown  # the document's rule


def test_resposta_opens_an_answer_as_r_does(tmp_path: Path) -> None:
    document = RULES_8.replace("\nR: ", "\nResposta: ").replace(
        "Qual o prazo do suporte?",
        "Prazo do suporte",  # a question without "?"
    )
    topics = _import(tmp_path, document)["topics"]
    assert isinstance(topics, dict)
    assert topics["prazo"]["text"] == "Prazo do suporte\nAté 48 horas.\n"
    assert "Resposta:" not in str(topics)


def test_credential_headers_in_other_words(tmp_path: Path) -> None:
    document = RULES_8.replace(
        "MODELO\tLOGIN\tSENHA\tPORTA", "ONU/Roteador\tUsuário padrão\tSenha de acesso\tPorta web"
    )
    rows = {
        row["model"]: (row["login"], row["port"])
        for row in _import(tmp_path, document)["equipment"]
    }  # type: ignore[attr-defined]
    assert rows == {"ZTE H199": ("suporte", "8088"), "TENDA AC6": ("admin", "8443")}


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("(antiga Linha Sul Telecom)", ["Linha Sul Telecom"]),
        ("(ex-Conecta Vale)", ["Conecta Vale"]),
        ("Também é conhecida por Vale Net.", ["Vale Net"]),
        ('Há quem chame o provedor de Radiocom ou "Onda RC".', []),  # no such phrase
        (
            'Alguns chamam o provedor de Radiocom ou "Onda RC" (nome antigo).',
            ["Radiocom", "Onda RC"],
        ),
        ("Roteadores antigos podem usar a senha antiga: rc2018", []),  # lower case: no name
    ],
)
def test_former_names_in_several_phrasings(line: str, names: list[str]) -> None:
    from bot.knowledge.importer.identity import former_names

    assert former_names(line) == names


@pytest.mark.parametrize(
    "mark", ["Mensagem sugestiva:", "Sugestão de mensagem:", "Texto padrão:", "Modelo de resposta:"]
)
def test_suggested_message_marks(tmp_path: Path, mark: str) -> None:
    topics = _import(tmp_path, RULES_8.replace("Mensagem sugestiva:", mark))["topics"]
    assert isinstance(topics, dict)
    (template,) = topics["prazo"]["templates"]
    assert template["title"] == mark.rstrip(":")


PROBE = """RIO CLARO TELECOM
Antigo nome: ClaroRio Net

Horário de atendimento da UPCALL (GMT -3)
Segunda a Sexta: 18h às 08h
Sábados, Domingos e Feriados: 24 horas

UPSOFT - OK
CHAT E LIGAÇÃO
MKSOLUTIONS	OPA

Não atendemos clientes da VALE NET nem da TELECENTRO, orientar a procurar a operadora deles.

1) Quais tecnologias a empresa trabalha?
R: Fibra óptica e rádio (zona rural).

2) Quais os planos?
R:
• 400 Mega – R$ 89,90
• 800 Mega – R$ 119,90
• Taxa de adesão: R$ 50,00

3) Qual o DNS?
R: 8.8.8.8 e 1.1.1.1

SENHAS DOS EQUIPAMENTOS
Modelo	Usuário	Senha	Porta
Huawei HG8145X6	Epuser	rc#x6-2025	8080
ZTE F6600P	admin	Rcz@6600	80

4) Com quantos dias bloqueia?
R: Bloqueio com 15 dias de atraso. Redução não existe.

5) Pode fazer desbloqueio em confiança?
R: Sim, 1 vez por mês, por 48 horas.

TRANSFERÊNCIAS
Financeiro – Seg a Sex das 08h às 18h
Suporte Técnico N2 – Seg a Sáb das 08h às 20h
Fora do horário: abrir chamado no MKSOLUTIONS.

6) Qual o telefone da empresa?
R: (19) 3524-1000 / WhatsApp (19) 99700-1000
Endereço: Av. Brasil, 1500 - Centro - Rio Claro - SP
"""


def test_a_document_in_another_house_style(tmp_path: Path) -> None:
    """Numbered questions, bullets, "Antigo nome:", "Não atendemos clientes da X nem da Y", a
    table under a title in capitals, sectors as "Name – hours" under a one-word heading after
    an answer, the address as a labelled line of the phone answer."""
    data = _import(tmp_path, PROBE, "rioclaro")
    assert {"ClaroRio Net", "ClaroRio"} <= set(data["aliases"])  # type: ignore[arg-type]
    assert [x["name"] for x in data["lookalikes"]] == ["VALE NET", "TELECENTRO"]  # type: ignore[attr-defined]
    topics = data["topics"]
    assert isinstance(topics, dict)
    assert topics["dns"]["text"] == "8.8.8.8 e 1.1.1.1\n"  # the table's title left the answer
    assert topics["desbloqueio"]["text"] == "Sim, 1 vez por mês, por 48 horas.\n"
    assert "Suporte Técnico N2 – Seg a Sáb das 08h às 20h" in topics["setores"]["text"]
    assert "Endereço: Av. Brasil, 1500" in topics["contato"]["text"]
    assert "mudanca" not in topics
    sectors = {s["name"]: s["windows"] for s in data["sectors"]}  # type: ignore[attr-defined]
    assert sectors["Suporte Técnico N2"] == [
        {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "start": "08:00", "end": "20:00"}
    ]
    rows = [(r["model"], r.get("notes")) for r in data["equipment"]]  # type: ignore[attr-defined]
    assert rows == [("Huawei HG8145X6", None), ("ZTE F6600P", None)]


CREDENTIAL_LINES = """NORTE VIA FIBRA

Horário de atendimento da UPCALL (GMT -3)
Seg. a Sex.: 19h às 7h

Qual o DNS?
R: 200.10.10.1

Qual o prazo da visita?
R: Até 72 horas úteis.

SENHA DOS ROTEADORES:
Roteador TP-Link: admin / nv@tp2025 (porta 8080)
ONU Huawei: telecomadmin / nvHw#2025 (porta 80)

Não informar a senha ao cliente.

Horário do financeiro: Seg a Sex 08h às 17h
"""


def test_credentials_written_one_row_a_line(tmp_path: Path) -> None:
    data = _import(tmp_path, CREDENTIAL_LINES, "norte")
    rows = [(r["model"], r["login"], r["passwords"], r["port"]) for r in data["equipment"]]  # type: ignore[attr-defined]
    assert rows == [
        ("Roteador TP-Link", "admin", ["nv@tp2025"], "8080"),
        ("ONU Huawei", "telecomadmin", ["nvHw#2025"], "80"),
    ]
    topics = data["topics"]
    assert isinstance(topics, dict)
    assert "equipamentos" not in topics  # "ONU Huawei: ..." is a row, not a heading
    assert "Não informar a senha ao cliente." in topics["senha"]["text"]
    assert [s["name"] for s in data["sectors"]] == ["Financeiro"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "heading", ["HORÁRIO UPCALL (GMT -3):", "Atendimento UPCALL (GMT -3)", "Horários da UpCall"]
)
def test_upcalls_hours_under_other_headings(tmp_path: Path, heading: str) -> None:
    data = _import(tmp_path, RULES_8.replace("Horário de atendimento da UPCALL (GMT -3)", heading))
    windows = data["coverage"]["windows"]  # type: ignore[index]
    assert windows == [
        {
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "start": "19:00",
            "end": "07:00",
            "mode": "full",
        }
    ]


WEEK = ["mon", "tue", "wed", "thu", "fri"]


@pytest.mark.parametrize(
    ("phrase", "windows"),
    [
        ("08h às 18h (segunda a sexta)", [(WEEK, "08:00", "18:00")]),
        ("Das 8h às 18h, de segunda a sexta-feira", [(WEEK, "08:00", "18:00")]),
        ("Seg-Sex 8h-18h", [(WEEK, "08:00", "18:00")]),
        (
            "Segunda a Sexta 8h às 12h / 13h às 18h",
            [(WEEK, "08:00", "12:00"), (WEEK, "13:00", "18:00")],
        ),
        (
            "Seg a Sex 08h-18h | Sáb 08h-13h",
            [(WEEK, "08:00", "18:00"), (["sat"], "08:00", "13:00")],
        ),
    ],
)
def test_hours_written_days_last_dashed_or_split(
    phrase: str, windows: list[tuple[list[str], str, str]]
) -> None:
    from bot.knowledge.importer.schedules import read_phrase, sector_windows

    got = [(w["days"], w["start"], w["end"]) for w in sector_windows(phrase)]
    assert got == windows
    # a day between the two hours is still the start of a longer window, not the days
    assert read_phrase("Das 18h de sábado até 08h de segunda").end_day == "sat"


# --------------------------------------------------------------------------- the ninth's rules
# General rules the ninth document (tests/data/ninth) prompted, each on a made-up snippet.

RULES_9 = """PIRARUCU CONECTA
(antiga Varzea Link)

Horário de atendimento da UPCALL (GMT -3)
Segunda à Sexta das 20h às 07h

UPSOFT - OK
CHAT E LIGAÇÃO
SGPX\tOPA
Atendemos por engano usuários da BOTO.NET, TAMBAQUI FIBRA e IGAPO LINK: avisar que não somos o provedor deles.

Quais as tecnologias oferecidas?
R: Fibra óptica e rádio.

Quais equipamentos utilizados?
ONT: Fiberhome AN5506
Roteadores: Mercusys MR30G
Rádio: Mimosa C5

Quais os planos?
200 MEGA - R$ 79,00
400 MEGA - R$ 99,00

RÁDIO: 10 MEGA - R$ 69,00

Prazo do suporte
Domiciliar: até 24 horas
Empresarial (planos PJ): até 4 horas

Mensagem sugestiva:
"Chamado aberto: o técnico liga em até 24 horas."

SETORES PARA TRANSFERÊNCIA:
Cobrança: boletos, acordos, troca de vencimento
Retenção: cancelamento (fora do horário abrir OS)

SETOR\tDIAS\tHORÁRIO
Cobrança\tSegunda à Sexta\t08h às 17h
Cobrança\tSábado\t08h às 11h

HORÁRIO DAS LOJAS
Segunda à Sexta\tDas 09h às 18h
"""


def test_a_run_of_labelled_lines_is_one_list(tmp_path: Path) -> None:
    topics = _import(tmp_path, RULES_9, "pirarucu")["topics"]
    assert isinstance(topics, dict)
    assert "Rádio: Mimosa C5" in topics["equipamentos"]["text"]  # not /tecnologias
    assert "Mimosa" not in topics["tecnologias"]["text"]


def test_a_label_whose_value_is_shaped_like_the_answers_lines_is_an_item(tmp_path: Path) -> None:
    topics = _import(tmp_path, RULES_9, "pirarucu")["topics"]
    assert isinstance(topics, dict)
    assert "RÁDIO: 10 MEGA - R$ 69,00" in topics["planos"]["text"]
    prazo = topics["prazo"]
    assert "Empresarial (planos PJ): até 4 horas" in prazo["text"]
    assert prazo["templates"][0]["text"].startswith("Chamado aberto")
    assert "4 horas" not in topics["planos"]["text"]


def test_sectors_list_and_a_sector_days_hours_table(tmp_path: Path) -> None:
    data = _import(tmp_path, RULES_9, "pirarucu")
    topics = data["topics"]
    assert isinstance(topics, dict)
    setores = topics["setores"]["text"]
    assert "Cobrança: boletos, acordos, troca de vencimento" in setores
    assert "Retenção: cancelamento (fora do horário abrir OS)" in setores
    assert "financeiro" not in topics and "cancelamento" not in topics
    sectors = {s["name"]: s["windows"] for s in data["sectors"]}  # type: ignore[attr-defined]
    assert sectors["Cobrança"] == [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "17:00"},
        {"days": ["sat"], "start": "08:00", "end": "11:00"},
    ]
    assert "Lojas" in sectors  # "HORÁRIO DAS LOJAS", not "S Lojas"


def test_wrong_company_callers_of_customers_of(tmp_path: Path) -> None:
    data = _import(tmp_path, RULES_9, "pirarucu")
    names = [x["name"] for x in data["lookalikes"]]  # type: ignore[attr-defined]
    assert names == ["BOTO.NET", "TAMBAQUI FIBRA", "IGAPO LINK"]


@pytest.mark.parametrize(
    ("name", "generic"),
    [
        ("Fibra", True),
        ("Net Telecom", True),
        ("RB", True),
        ("Seja", True),  # a word of another ISP's name
        ("Fibra Fácil", False),
        ("Pirarucu", False),
    ],
)
def test_generic_names(name: str, generic: bool) -> None:
    from bot.knowledge.importer.identity import generic_name

    assert generic_name(name, {"seja fibra", "sejafibra"}) is generic


def test_no_alias_is_a_generic_word_or_a_word_of_another_isps_name(tmp_path: Path) -> None:
    snippet = RULES_9.replace(
        "PIRARUCU CONECTA\n(antiga Varzea Link)", "FIBRA FÁCIL TELECOM"
    ).replace(
        "Atendemos por engano", "Muitos chamam o provedor de Fibra ou Mutum. Atendemos por engano"
    )
    data = _import(tmp_path, snippet, "fibrafacil")
    aliases = {str(a).lower() for a in data.get("aliases", [])}  # type: ignore[attr-defined]
    assert "fibra" not in aliases and "mutum" not in aliases and "telecom" not in aliases
    assert "fibra fácil" in aliases


def test_a_suggested_message_is_found_by_its_title(tmp_path: Path) -> None:
    from bot.answers.core import answer
    from bot.answers.render.plain import to_plain

    _import(tmp_path, RULES_9, "pirarucu")
    reply = answer(load_kb(tmp_path / "kb"), "mensagem sugestiva de abertura de chamado pirarucu")
    assert "Chamado aberto: o técnico liga em até 24 horas." in to_plain(reply)


def test_a_coverage_line_in_the_isps_own_clock_is_noted(tmp_path: Path) -> None:
    snippet = RULES_9.replace(
        "Segunda à Sexta das 20h às 07h\n",
        "Provedor usa o Fuso Horário GMT-5\nSegunda à Sexta das 20h às 07h\n"
        "Sábado a partir das 13h (horário local) até Segunda às 07h\n",
    )
    data = _import(tmp_path, snippet, "pirarucu")
    notes = data["coverage"]["notes"]  # type: ignore[index]
    (local,) = [n for n in notes if "horário local do provedor" in n]
    assert "Sábado a partir das 13h (horário local)" in local
    assert not any("Segunda à Sexta das 20h" in n for n in notes)


@pytest.mark.parametrize(
    "line",
    [
        "Não confundir com a TUCANO NET.",
        "Clientes da TUCANO NET às vezes ligam aqui por engano.",
        "Recebemos ligações por engano de clientes da TUCANO NET.",
        "Muitos ligam por engano achando que somos a TUCANO NET.",
        "Cuidado: clientes da TUCANO NET confundem a empresa com a gente.",
    ],
)
def test_wrong_company_callers_in_several_phrasings(line: str) -> None:
    from bot.knowledge.importer.identity import wrong_companies

    assert wrong_companies(line) == ["TUCANO NET"]


# The tenth's rules (tests/data/tenth): made-up snippets, none of that document's words.


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Muitos ainda conhecem o provedor como Vale Rede Informática.", ["Vale Rede Informática"]),
        ("Há quem conheça a empresa por Onda Sul.", []),  # "conheça": not the phrase
        ("Alguns nos conhecem como Onda Sul.", ["Onda Sul"]),
        (
            "Clientes falam de Onda Sul Informática (nome antigo até 2019).",
            ["Onda Sul Informática"],
        ),
        ("Somos a Rede Sul (nome antigo: Beta)", ["Beta"]),  # the name after the colon only
        ("o roteador (nome antigo)", []),  # lower case: no name
    ],
)
def test_former_names_known_as_and_before_nome_antigo(line: str, names: list[str]) -> None:
    from bot.knowledge.importer.identity import former_names

    assert former_names(line) == names


def test_a_company_suffix_is_generic_so_the_former_name_without_it_is_an_alias() -> None:
    from bot.knowledge.importer.identity import name_variants

    assert "ValeRede" in name_variants("ValeRede Informática")
    assert "Vale Rede" in name_variants("Vale Rede Telecomunicações")


RULES_10 = RULES_8.replace(
    'Há quem chame o provedor de Radiocom. Alguns chamam o provedor de Radiocom ou "Onda RC" '
    "(nome antigo).",
    "Alguns clientes ainda conhecem o provedor como Radiocom Informática (nome antigo até 2019).",
).replace("(antiga Radiocom Telecom)\n", "")


def test_a_question_naming_only_a_former_name_shows_the_lines_naming_it(tmp_path: Path) -> None:
    from bot.answers.core import answer
    from bot.answers.render.plain import to_plain

    data = _import(tmp_path, RULES_10)
    assert "Radiocom" in data["aliases"]  # type: ignore[operator]
    kb = load_kb(tmp_path / "kb")
    said = to_plain(answer(kb, "o que é radiocom?"))
    assert "conhecem o provedor como Radiocom Informática (nome antigo até 2019)" in said
    assert "Assuntos disponíveis" in said  # and the ISP's topics, as before
    # by its own name: only the topics, as before
    assert "nome antigo" not in to_plain(answer(kb, "beta onda"))


def test_a_sentence_about_one_makers_rows_is_a_note_of_those_rows(tmp_path: Path) -> None:
    from bot.answers.core import answer
    from bot.answers.render.plain import to_plain

    snippet = RULES_8.replace(
        "Roteadores antigos da Radiocom podem usar a senha rc2018.\n",
        "Roteadores antigos da Radiocom podem usar a senha rc2018. Tenda exige liberar o "
        "acesso remoto no SGPX antes. ZTE e Tenda: usar cabo.\n",
    )
    rows = {row["model"]: row.get("notes", []) for row in _import(tmp_path, snippet)["equipment"]}  # type: ignore[attr-defined]
    assert rows["TENDA AC6"] == ["Tenda exige liberar o acesso remoto no SGPX antes."]
    assert rows["ZTE H199"] == []  # "ZTE e Tenda": every row, about the table
    said = to_plain(answer(load_kb(tmp_path / "kb"), "/senha beta tenda"))
    assert "Td!ac6beta" in said and "liberar o acesso remoto" in said


def test_a_copied_paragraph_takes_the_labelled_lines_right_under_it(tmp_path: Path) -> None:
    snippet = ASIDE.replace(
        "cobrança terceirizada do provedor.\n",
        "cobrança terceirizada do provedor.\nPagamento em dobro: estornar na fatura seguinte.\n",
    )
    topics = _import(tmp_path, snippet, "acme")["topics"]
    assert isinstance(topics, dict)
    financeiro = topics["financeiro"]["text"]
    assert "cobrança terceirizada" in financeiro
    assert "Pagamento em dobro: estornar na fatura seguinte." in financeiro  # the same paragraph
    assert "Pagamento em dobro" in topics["pagamento"]["text"]  # and still in its own topic
    # after a blank line it is another paragraph: not copied
    apart = ASIDE.replace(
        "cobrança terceirizada do provedor.\n",
        "cobrança terceirizada do provedor.\n\nPagamento em dobro: estornar na fatura seguinte.\n",
    )
    topics = _import(tmp_path / "apart", apart, "acme")["topics"]
    assert "Pagamento em dobro" not in topics["financeiro"]["text"]  # type: ignore[index]


def test_is_the_sector_open_shows_its_hours_as_written_under_the_topic(tmp_path: Path) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from bot.answers.core import answer
    from bot.answers.render.plain import to_plain

    snippet = SNIPPET.replace(
        "SETORES PARA TRANSFERÊNCIA:",
        "Como prosseguir em cancelamento?\nR: Dentro do horário transferir ao setor Retenção; "
        "fora dele abrir OS de Cancelamento.\n\nSETORES PARA TRANSFERÊNCIA:",
    )
    _import(tmp_path, snippet, "acme")
    kb = load_kb(tmp_path / "kb")
    saturday = dt.datetime(2026, 12, 5, 15, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    said = to_plain(answer(kb, "a retenção da acme atende agora?", saturday))
    assert "fora dele abrir OS de Cancelamento" in said  # the topic that sends there
    assert "Retenção / Das 09h às 17h / Não abre" in said  # and the sector's hours as written
    assert "Cobrança / Das 08h" not in said  # not the other sectors' rows


def test_a_start_restated_in_brackets_with_its_end_is_one_window() -> None:
    import datetime as dt

    from bot.knowledge.importer.schedules import read_phrase

    phrase = read_phrase("*Sexta a partir das 19h (das 19h às 21h somente transbordo)")
    assert phrase.times == [dt.time(19), dt.time(21)] and phrase.overflow
    # two windows sharing an hour keep both
    assert len(read_phrase("Sábado das 08h às 12h e das 12h às 16h").times) == 4


def test_friday_evening_overflow_in_brackets_is_not_a_whole_day(tmp_path: Path) -> None:
    snippet = SNIPPET.replace(
        "Segunda à Sexta das 18h às 08h\n",
        "Segunda à Sexta das 22h às 07h\n*Sexta a partir das 19h (das 19h às 22h somente "
        "transbordo)\n",
    )
    windows = _import(tmp_path, snippet, "acme")["coverage"]["windows"]  # type: ignore[index]
    friday = [w for w in windows if w["days"] == ["fri"]]
    assert friday == [{"days": ["fri"], "start": "19:00", "end": "22:00", "mode": "overflow"}]


def test_two_schedule_sentences_on_one_line_are_both_read(tmp_path: Path) -> None:
    snippet = SNIPPET.replace(
        "Segunda à Sexta das 18h às 08h\n",
        "Segunda à Sexta das 18h às 08h\nFeriados nacionais 24h. Feriados estaduais: "
        "confirmar no grupo\n",
    )
    coverage = _import(tmp_path, snippet, "acme")["coverage"]
    assert coverage["holidays"]["confirm"] == ["state"]  # type: ignore[index]
    assert {"days": ["holiday"], "start": "00:00", "end": "00:00", "mode": "full"} in coverage[  # type: ignore[index]
        "windows"
    ]


def test_a_rule_after_the_suggested_message_naming_no_topic_is_general_guidance(
    tmp_path: Path,
) -> None:
    rule = "Evitar gírias com o cliente, falar sempre de forma simples e educada."
    message = "Sua solicitação foi registrada e o técnico vai ligar em até 48 horas."
    snippet = RULES_8.replace(
        f"{message} Pode confirmar seu melhor horário?\n",
        f'"{message} Pode confirmar seu melhor horário?"\n\n{rule}\n',
    )
    topics = _import(tmp_path, snippet)["topics"]
    assert isinstance(topics, dict)
    assert rule in topics["prazo"]["text"]  # it stays in its answer
    assert rule in topics["orientacoes"]["text"]  # and the general guidance has it
    # before the message it is part of the answer only
    before = RULES_8.replace("R: Até 48 horas.\n", f"R: Até 48 horas.\n\n{rule}\n")
    topics = _import(tmp_path / "before", before)["topics"]
    assert rule not in topics.get("orientacoes", {}).get("text", "")  # type: ignore[attr-defined]
