"""The topic chosen when the ISP is named: a credential topic only when a credential is asked,
a sector's hours, the ISP's address, a visit's deadline, everything about an ISP.

Made-up wording on a made-up ISP first; the QA report's own questions (session 7, findings 3,
4, 5, 8) as regression cases on the real KB at the end."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import real_kb_with, shared_real_kb

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB

REAL = shared_real_kb()
NIGHT = dt.datetime(2026, 12, 6, 3, 0)
SATURDAY_MORNING = dt.datetime(2026, 12, 5, 10, 0)

RIBALTA = """\
id: ribalta
name: Ribalta Net
aliases: [Ribalta]
timezone: America/Sao_Paulo
state: MG
reviewed: 2026-11-30
topics:
  senha:
    text: |
      Informar a senha ao cliente: somente depois de um reset feito pelo técnico.
      Roteador Quilmar Q9: usuário admin.
  reset:
    text: "Equipamento resetado: reconfigurar pelo PPPoE; sem sucesso, abrir OS com taxa de R$ 35."
  equipamentos:
    text: "Roteadores Quilmar Q9 em comodato."
  financeiro:
    text: "Acordos e renegociações com o setor de cobrança. Informar o horário de atendimento."
  fatura:
    text: "Segunda via pelo site; o setor de cobrança reenvia a fatura (das 08h às 16h)."
  contato:
    text: |
      Loja: Rua das Pitangueiras, 12 - Centro - Lavrinhas
      Telefone: (35) 3333-0000
      Cobrança das 08h às 16h
      Vendas das 10h às 19h
  cidades:
    text: "Lavrinhas e Pedreiral."
  mudanca:
    text: "Mudança de endereço: abrir OS de mudança, taxa de R$ 60."
  prazo:
    text: |
      Dias úteis: até 36 horas corridas.
      Sábados e domingos: até 60 horas corridas.
  plantao:
    text: "Técnico de plantão aos sábados das 08h às 12h."
  visita:
    text: "Visita técnica sem custo, salvo mau uso."
  cancelamento:
    text: "Cancelamento pelo titular, descrevendo tudo na OS."
sectors:
  - id: cobranca
    name: Cobrança
    windows:
      - {days: [mon, tue, wed, thu, fri], start: "08:00", end: "16:00"}
  - id: vendas
    name: Vendas
    windows:
      - {days: [mon, tue, wed, thu, fri], start: "10:00", end: "19:00"}
"""


@pytest.fixture(scope="module")
def ribalta(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("ribalta"), ribalta=RIBALTA)


def _topics(kb: KB, question: str, now: dt.datetime = NIGHT) -> tuple[str | None, ...]:
    reply = answer(kb, question, now)
    return (reply.topic_id, *reply.also)


# ---------------------------------------------------------------- credentials only when asked


@pytest.mark.parametrize(
    "question",
    [
        "ribalta o cliente deu reset no roteador, e agora?",
        "o roteador do cliente da ribalta foi resetado",
        "ribalta: equipamento resetou sozinho",
    ],
)
def test_a_reset_with_no_credential_asked_is_the_reset_rule(ribalta: KB, question: str) -> None:
    reply = answer(ribalta, question, NIGHT)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (
        ReplyKind.ANSWER,
        "ribalta",
        "reset",
    )
    assert not reply.credentials
    assert "R$ 35" in to_plain(reply)


@pytest.mark.parametrize(
    "question",
    [
        "ribalta qual a senha depois do reset?",
        "ribalta login do roteador resetado",
        "ribalta resetou, qual o usuário e senha do roteador?",
    ],
)
def test_a_credential_asked_beside_a_reset_keeps_the_passwords(ribalta: KB, question: str) -> None:
    assert "senha" in _topics(ribalta, question)


# ---------------------------------------------------------------- a sector's hours


@pytest.mark.parametrize(
    "question",
    [
        "horario da cobranca ribalta",
        "ribalta que horas fecha a cobrança?",
        "qual o horário das vendas da ribalta",
    ],
)
def test_a_sectors_hours_are_the_topic_that_gives_them(ribalta: KB, question: str) -> None:
    assert _topics(ribalta, question)[0] == "contato"


def test_a_sector_named_without_hours_asked_keeps_its_rules(ribalta: KB) -> None:
    assert _topics(ribalta, "ribalta cliente quer renegociar com a cobrança")[0] == "financeiro"


# ---------------------------------------------------------------- the ISP's address


@pytest.mark.parametrize(
    "question", ["endereço da ribalta", "endereço da ribalta em lavrinhas", "ribalta endereco?"]
)
def test_the_address_alone_is_the_isps(ribalta: KB, question: str) -> None:
    reply = answer(ribalta, question, NIGHT)
    assert reply.topic_id == "contato"
    assert "Pitangueiras" in to_plain(reply)


@pytest.mark.parametrize(
    "question",
    [
        "ribalta cliente vai mudar de endereço",
        "ribalta endereço novo do cliente",
        "ribalta cliente quer trocar o endereço",
    ],
)
def test_an_address_that_moves_is_the_move(ribalta: KB, question: str) -> None:
    assert _topics(ribalta, question)[0] == "mudanca"


# ---------------------------------------------------------------- a visit's deadline


@pytest.mark.parametrize(
    "question",
    [
        "ribalta prazo do técnico no sábado",
        "qual a previsão da visita da ribalta no domingo?",
        "ribalta qual o prazo pro chamado no feriado",
    ],
)
def test_a_visits_deadline_on_a_day_is_the_deadline(ribalta: KB, question: str) -> None:
    reply = answer(ribalta, question, NIGHT)
    assert (reply.topic_id, reply.also) == ("prazo", ())
    assert "60 horas" in to_plain(reply)


def test_the_weekend_shift_alone_is_still_the_shift(ribalta: KB) -> None:
    assert _topics(ribalta, "ribalta tem técnico de plantão no sábado?")[0] == "plantao"


# ---------------------------------------------------------------- everything about an ISP


@pytest.mark.parametrize(
    "question", ["tudo da ribalta", "me passa tudo sobre a ribalta", "informações da ribalta"]
)
def test_everything_about_an_isp_is_its_topics(ribalta: KB, question: str) -> None:
    reply = answer(ribalta, question, NIGHT)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.CHOICE, "ribalta", None)
    assert not reply.credentials
    assert any(b.ask == "/cancelamento ribalta" for b in reply.buttons)


def test_everything_about_a_topic_is_that_topic(ribalta: KB) -> None:
    assert _topics(ribalta, "ribalta tudo sobre cancelamento")[0] == "cancelamento"


# ---------------------------------------------------------------- QA session 7 (real KB)


@pytest.mark.parametrize(
    "question",
    [
        "vmnet cliente resetou o roteador",
        "cliente resetou o roteador vmnet o que fazer",
        "reset do roteador vmnet",
    ],
)
def test_qa7_reset_is_not_the_password_table(question: str) -> None:
    reply = answer(REAL, question, NIGHT)
    assert (reply.provider_id, reply.topic_id) == ("vmnet", "reset")
    assert not reply.credentials


@pytest.mark.parametrize(
    ("question", "now"),
    [
        ("horario financeiro vmnet", NIGHT),
        ("qual horario do financeiro da vm net no sabado", SATURDAY_MORNING),
    ],
)
def test_qa7_a_sectors_hours(question: str, now: dt.datetime) -> None:
    reply = answer(REAL, question, now)
    assert (reply.provider_id, reply.topic_id) == ("vmnet", "contato")
    assert "Financeiro das 08h às 12h" in to_plain(reply)


def test_qa7_the_store_address_in_a_city() -> None:
    reply = answer(REAL, "endereço da seja fibra em caraguatatuba", NIGHT)
    assert reply.topic_id == "contato"
    assert "Sebastião Nepomuceno" in to_plain(reply)


def test_qa7_the_visits_deadline_on_the_weekend() -> None:
    reply = answer(REAL, "qual o prazo pra visita tecnica da seja fibra no fim de semana", NIGHT)
    assert (reply.topic_id, reply.also) == ("prazo", ())
    assert "48h corridas aos fins de semana" in to_plain(reply)


def test_qa7_everything_about_an_isp() -> None:
    reply = answer(REAL, "tudo da mutum", NIGHT)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.CHOICE, "mutum", None)


def test_qa7_a_lookalike_company_is_answered_as_one() -> None:
    reply = answer(REAL, "cliente da giga ligou", NIGHT)
    assert reply.topic_id is None
    assert "GIGA não é um provedor atendido pela UPCALL" in to_plain(reply)


@pytest.mark.parametrize(
    "question",
    [
        "ribalta cliente pediu a fatura fora do horário da cobrança",
        "ribalta cliente quer a segunda via depois do horário da cobrança",
    ],
)
def test_outside_a_sectors_hours_is_a_circumstance(ribalta: KB, question: str) -> None:
    assert _topics(ribalta, question)[0] == "fatura"
