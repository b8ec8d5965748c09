"""A situation told with the ISP named reaches the topic whose text rules on it (session 10,
branch `situations2`): a later month paid and an earlier one left open (the catalogue's
"pagamento invertido"), moving house, a new point in an outbuilding, one more device, late or
blocked and a service stopped, a pirated TV app, a technician on a weekend, an unblocking asked
again, a device bought to set up, the speed test's site, a charge asked, transfer or ticket
asked, a time to be set, a verb form before a verb ("seja tem ...").

Made-up wording on a made-up ISP whose name starts with a verb form ("Venha Net"), through the
core and through the Telegram handlers (docs/reader.md §2, round 6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from conftest import make_settings, real_kb_with, shared_real_kb
from harness import Harness, running

from bot.answers.core import answer
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB
from bot.reading.reader import (
    WRONG_ORDER,
    adds_a_device,
    moves_house,
    paid_out_of_order,
    read,
    wanted_in_an_outbuilding,
)
from bot.reading.text import normalize, service_orders
from fake_bot_api import AGENT, GROUP, MEMBER, FakeTelegram, plain_text

REAL = shared_real_kb()
MORNING = dt.datetime(2026, 12, 2, 10, 0)  # a Wednesday

VENHA = """\
id: venhanet
name: Venha Net
timezone: America/Recife
state: PE
reviewed: 2026-11-30
topics:
  pagamento:
    text: |
      Boleto, PIX e cartão.

      Mês trocado:
      Cliente que paga a fatura mais nova e deixa a anterior sem pagar: não trocamos os pagamentos. Enviar o caso no grupo do financeiro.
  financeiro: "Renegociação: transferir ao setor financeiro."
  bloqueio: "Bloqueio com 20 dias de atraso. Bloqueado, o cliente perde também o app Venha Play."
  desbloqueio: "Desbloqueio de confiança uma vez a cada 30 dias."
  tv: "App Venha Play: o login é o CPF do titular."
  iptv: "Não damos suporte a listas de canais de terceiros."
  plantao: "Técnicos de plantão aos sábados das 08h às 12h."
  visita: "Visita improdutiva: R$ 60."
  mudanca: "Mudança de endereço e ponto novo: R$ 40, abrir OS para o comercial."
  repetidor: "Roteador ou repetidor comprado pelo cliente: sem suporte."
  cancelamento: "Cancelamento: transferir para a retenção."
  velocidade: "https://medidor.venhanet.example"
  setores: "Suporte: abrir OS. Comercial e financeiro: transferir."
  contato: "Loja: Rua do Sol, 40 - das 08h às 18h."
  prazo: "Prazo do suporte: 24h."
"""


@pytest.fixture(scope="module")
def venha(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("venha"), venhanet=VENHA)


def _w(text: str) -> list[str]:
    return normalize(service_orders(text)).split()


def _shown(kb: KB, question: str) -> tuple[str | None, set[str]]:
    reply = answer(kb, question, MORNING)
    return reply.provider_id, {t for t in (reply.topic_id, *reply.also) if t}


# ---------------------------------------------------------------- the situations, as words


def test_a_later_month_paid_and_an_earlier_one_left_open() -> None:
    for said in (
        "pagou abril e esqueceu marco, continua bloqueado",
        "meu boleto do mes 2 ficou pra tras, eu paguei o do mes 3",
        "pagou o mes 3 e deixou o 2 aberto",
        "paguei a de junho e a de maio eu nao paguei",
    ):
        assert paid_out_of_order(_w(said)), said
    for said in (
        "pagou marco e abril certinho",  # nothing left open
        "pagou o boleto e continua bloqueado",  # no months: the receipt's rule
        "esqueceu de pagar marco",  # no payment made
        "nao pagou marco nem abril",
    ):
        assert not paid_out_of_order(_w(said)), said


def test_the_catalogue_names_the_case_read_as_named() -> None:
    # The phrase the reader reads the case as is the payment topic's own keyword.
    keywords = {normalize(k) for k in REAL.topics["pagamento"].keywords}
    assert " ".join(WRONG_ORDER) in keywords


def test_moving_house_and_a_new_point_in_an_outbuilding() -> None:
    assert moves_house(_w("vai mudar pra rua de tras"))
    assert moves_house(_w("mudou pro bairro novo"))
    assert moves_house(_w("vai mudar de cidade mes que vem"))
    assert not moves_house(_w("quer mudar de plano"))
    assert not moves_house(_w("quer mudar a senha do wifi"))
    assert wanted_in_an_outbuilding(_w("quer internet tambem na edicula"))
    assert wanted_in_an_outbuilding(_w("quer levar o wifi pro barracao do fundo"))
    assert not wanted_in_an_outbuilding(_w("a edicula ja tem internet"))
    assert not wanted_in_an_outbuilding(_w("quer internet no quarto"))


def test_one_more_device_is_coverage_not_a_move() -> None:
    assert adds_a_device(_w("quer mais um aparelho pra pegar sinal la no fundo"))
    assert adds_a_device(_w("quer um segundo roteador pro quarto"))
    assert not adds_a_device(_w("quer passar o roteador pro quarto"))


def test_a_verb_form_before_a_verb_names_its_isp(venha: KB) -> None:
    assert [p.id for p in read(venha, "domingo de manha, venha tem plantao?").providers] == [
        "venhanet"
    ]
    assert [p.id for p in read(REAL, "domingo de manha, seja tem plantao?").providers] == [
        "sejafibra"
    ]
    # "ou seja" is the connective; "venha cá" is the verb
    assert read(REAL, "ou seja tem que pagar a visita?").providers == ()
    assert read(venha, "venha ca, me explica o plantao").providers == ()


# ---------------------------------------------------------------- through the core


@pytest.mark.parametrize(
    ("question", "topics"),
    [
        # a later month paid, an earlier one left open: the rule and the sector beside it
        (
            "venha net: cliente pagou a fatura de maio e esqueceu a de abril, segue bloqueado",
            {"pagamento", "financeiro"},
        ),
        ("venha net cliente vai mudar pra rua de cima, posso abrir os?", {"mudanca"}),
        ("venha net cliente quer net tambem na edicula dos fundos", {"mudanca"}),
        ("venha net cliente quer mais um aparelho pra pegar wifi la no fundo", {"repetidor"}),
        ("venha net, cliente com a fatura atrasada e o app de tv parou", {"bloqueio"}),
        ("venha net: cliente bloqueado perdeu os canais do app", {"bloqueio"}),
        ("venha net: cliente usa um app de tv pirata e travou", {"iptv"}),
        ("venha net sabado 10h tem tecnico na rua?", {"plantao"}),
        ("venha net ja liberei esse cliente mes passado e ele pediu de novo", {"desbloqueio"}),
        (
            "venha net cliente comprou um roteador no shopping e quer que a gente configure",
            {"repetidor"},
        ),
        ("venha net cliente quer encerrar o servico", {"cancelamento"}),
        ("venha net em qual site o cliente faz o teste?", {"velocidade"}),
        ("venha net, cliente ja trocou de casa e quer mudar de novo, paga?", {"mudanca"}),
    ],
)
def test_a_situation_told_reaches_the_topic_ruling_on_it(
    venha: KB, question: str, topics: set[str]
) -> None:
    provider, shown = _shown(venha, question)
    assert provider == "venhanet", question
    assert topics <= shown, (question, shown)


def test_what_the_situations_leave_alone(venha: KB) -> None:
    # a password lost is no service lost; a way to pay is no charge asked
    reply = answer(venha, "venha net cliente com fatura atrasada perdeu a senha do app de tv")
    assert reply.topic_id == "tv"
    assert _shown(venha, "venha net como o cliente vai pagar?")[1] == {"pagamento"}
    # a receipt of a payment that did not show, with no months told, stays the receipt's
    assert "pagamento" not in _shown(venha, "venha net pagou o boleto e continua bloqueado")[1]


def test_a_time_to_be_set_is_no_hours_asked() -> None:
    # VM NET's contacts give its field technicians' hours; a time set with them is scheduling
    asked = answer(REAL, "vm net, o cliente quer marcar um horario com o tecnico de campo")
    assert asked.topic_id == "prazo"
    assert answer(REAL, "vm net qual o horario dos tecnicos de campo?").topic_id == "contato"


def test_a_charge_asked_in_a_pasted_message_is_the_story_s(venha: KB) -> None:
    question = (
        "venha net, cliente escreveu: 'boa noite, estou de mudanca pra outro bairro e quero "
        "continuar com voces, ano passado ja mudei e nao paguei nada.' ela paga ou nao?"
    )
    assert _shown(venha, question) == ("venhanet", {"mudanca"})


def test_an_hour_heading_the_question_gets_the_clock() -> None:
    reply = answer(REAL, "netcenter 20h o sac deles funciona?", MORNING)
    assert reply.kind is ReplyKind.ANSWER and reply.provider_id == "netcenter"
    assert reply.clock


def test_the_real_isps_keep_their_answers_beside_a_sixth(venha: KB) -> None:
    for question in (
        "cliente lasernet pagou abril e esqueceu marco, continua bloqueado",
        "vm: cliente vai mudar pra rua de tras, posso abrir os?",
        "mutum sabado 10h tem tecnico na rua?",
        "seja fibra, cliente atrasou e agora nem o app de tv abre",
    ):
        assert _shown(venha, question) == _shown(REAL, question), question


def test_a_pasted_message_telling_the_case_gets_the_sector_beside() -> None:
    question = (
        'lasernet cliente: "boa noite, o boleto do mes 4 ficou pra tras, eu paguei o do mes 5 '
        "achando que era o mais antigo, e agora a internet ta lenta. da pra voces passarem o "
        'pagamento de um pro outro?" o que eu faco?'
    )
    assert _shown(REAL, question) == ("lasernet", {"pagamento", "financeiro"})


# ---------------------------------------------------------------- through the Telegram door


@pytest.fixture
async def tg(venha: KB) -> AsyncIterator[Harness]:
    api = FakeTelegram()
    api.members[(GROUP["id"], MEMBER["id"])] = "member"
    async for harness in running(make_settings(), venha, api):
        yield harness


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("venha net cliente vai mudar pra rua de cima, posso abrir os?", "R$ 40"),
        ("venha net: pagou a de maio e esqueceu a de abril, segue bloqueado", "Mês trocado"),
        ("domingo de manha, venha tem plantao?", "sábados das 08h às 12h"),
    ],
)
async def test_a_situation_through_the_telegram_handlers(tg: Harness, text: str, fact: str) -> None:
    [sent] = await tg.say(GROUP, AGENT, f"@UpcallBot {text}")
    assert fact in plain_text(sent["text"], sent.get("parse_mode"))
