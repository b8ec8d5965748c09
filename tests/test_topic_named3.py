"""The topic when the ISP is named or known (session 8, branch `topics3`): what the agent asks
about a situation told in everyday words -- a ticket for a customer without the connection or
insisting on a technician, days over invoices left open, a financial matter whose rule hands
the case over, a place or an app that says which ISP but not what is asked, a port's clue over
a text that does not write it, "que hrs", "feriado hj".

Made-up wording on a made-up ISP first (docs/reader.md §2, round 4); a few cases on the real
KB at the end, in words of our own."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import real_kb_with, shared_real_kb

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB
from bot.reading import moment
from bot.reading.reader import asks_if_served, read, said_late
from bot.reading.text import SERVICE_ORDER, service_orders

REAL = shared_real_kb()
NIGHT = dt.datetime(2026, 12, 6, 3, 0)

BRISALUZ = """\
id: brisaluz
name: Brisaluz Telecom
aliases: [Brisaluz]
timezone: America/Sao_Paulo
state: MG
reviewed: 2026-11-30
topics:
  pagamento:
    text: |
      Formas de pagamento: boleto e PIX.

      Mês pago fora de ordem: quando o cliente paga a fatura do mês seguinte e deixa a anterior
      em aberto, o provedor não inverte os pagamentos. Enviar caso no grupo em horário comercial
      ou abrir ocorrência fora dele.
  financeiro:
    text: |
      Não transferimos ao financeiro fora do horário: abrir ocorrência de Cobrança.
      Renegociações e mudança de vencimento: transferir ao setor de Cobrança.
  comprovante:
    text: "Comprovante recebido: liberar em confiança e avisar a Cobrança."
  bloqueio:
    text: "Bloqueio com 20 dias de atraso. Com várias faturas, conta-se da mais antiga."
  desbloqueio:
    text: "Desbloqueio de confiança uma vez por mês, se o atraso for de até 2 faturas."
  n2:
    text: |
      Abrir OS para o N2 quando o cliente estiver sem conexão depois dos testes.
      Não abrir OS para cliente bloqueado.
      Cliente que insistir na visita mesmo com tudo normal: abrir OS para o N3.
  visita:
    text: "Visita técnica sem custo; com mau uso, taxa de R$ 90."
  cancelamento:
    text: "Cancelamento só pelo titular, com o telefone do cadastro confirmado."
  contato:
    text: |
      Loja: Rua do Ipê, 40 - Quixabeira do Norte
      Loja das 08h às 17h
  cidades:
    text: "Quixabeira do Norte e Lagoa do Pequizeiro."
  porta:
    text: "Acesso remoto ao roteador pela porta 4455."
  tecnologias:
    text: "Aplicativo Zumbiplay incluso nos planos de 300 mega."
  orientacoes:
    text: "Se o aplicativo não abre para o cliente, encaminhar ao N2 depois de reinstalar."
  iptv:
    text: "Não damos suporte a listas ou aparelhos com canais pagos liberados."
  plantao:
    text: "Técnicos aos sábados das 08h às 12h."
sectors:
  - id: cobranca
    name: Cobrança
    windows:
      - {days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00"}
  - id: manutencoes
    name: Plantão de manutenções
    windows:
      - {days: [sat], start: "08:00", end: "12:00"}
"""


@pytest.fixture(scope="module")
def brisaluz(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("brisaluz"), brisaluz=BRISALUZ)


def _topics(kb: KB, question: str, now: dt.datetime = NIGHT) -> tuple[str | None, ...]:
    reply = answer(kb, question, now)
    assert reply.provider_id == "brisaluz", question
    return (reply.topic_id, *reply.also)


# ---------------------------------------------------------------- words read


def test_an_os_before_a_conjunction_is_the_service_order() -> None:
    for said in ("quer que eu abra os pq caiu", "abro os mas e o prazo?", "abri os ja"):
        assert SERVICE_ORDER in service_orders(said), said
    assert SERVICE_ORDER not in service_orders("vou abrir os portões pro técnico")


def test_hours_typed_short_ask_when_a_place_opens() -> None:
    assert moment.asks_opening_hours(["a", "matriz", "abre", "que", "hrs"])
    assert moment.asks_opening_hours(["o", "balcao", "fecha", "q", "hs"])
    assert not moment.asks_opening_hours(["a", "matriz", "fica", "no", "centro"])


def test_a_holiday_said_before_today_is_today() -> None:
    said = moment.stated(["feriado", "hoje", "tem", "tecnico", "na", "rua"])
    assert said is not None and said.holiday


def test_an_hour_with_its_part_of_the_day_is_the_moment_meant() -> None:
    said = moment.stated(["3h", "da", "madrugada", "cliente", "sem", "conexao"])
    assert said is not None and said.hour == 3
    assert moment.stated(["ficou", "3h", "sem", "internet"]) is None  # a span


def test_invoices_left_open_are_late() -> None:
    assert said_late(["2", "boletos", "em", "aberto"])
    assert not said_late(["o", "financeiro", "esta", "aberto"])


def test_where_the_isp_serves_asked_alone() -> None:
    assert asks_if_served(["onde", "a", "atende"])
    assert asks_if_served(["em", "onde", "eles", "atuam"])
    assert not asks_if_served(["onde", "a", "loja", "atende", "o", "cliente"])


# ---------------------------------------------------------------- a ticket asked


@pytest.mark.parametrize(
    "question",
    [
        "brisaluz: cliente bloqueado quer que eu abra os pq caiu tudo",
        "brisaluz cliente exige técnico em casa mas os testes deram ok",
        "brisaluz testei tudo, o cliente só sossega com um técnico lá",
        "brisaluz o cliente teimoso quer visita de técnico",
    ],
)
def test_an_insisting_or_blocked_customer_asks_the_escalation(brisaluz: KB, question: str) -> None:
    assert _topics(brisaluz, question)[0] == "n2"


def test_a_technicians_cost_is_still_the_visit(brisaluz: KB) -> None:
    assert _topics(brisaluz, "brisaluz o cliente exige técnico, quanto cobra?")[0] == "visita"


@pytest.mark.parametrize(
    "question",
    [
        "cliente de quixabeira do norte sem internet, abro os pra quem?",
        "lagoa do pequizeiro: caiu a internet do cliente, abre os?",
    ],
)
def test_an_outage_and_an_os_asked_is_the_escalation(brisaluz: KB, question: str) -> None:
    assert "n2" in _topics(brisaluz, question)


def test_an_outage_said_before_the_question_is_a_circumstance(brisaluz: KB) -> None:
    assert _topics(brisaluz, "brisaluz sem conexão, qual a porta do roteador?")[0] == "porta"
    # Brisaluz's document says nothing of DNS: that is the answer, not the escalation.
    assert _topics(brisaluz, "brisaluz cliente sem conexão, qual o dns?")[0] == "dns"
    # Said alone, the outage is what is asked.
    assert _topics(brisaluz, "brisaluz cliente sem conexão, o que faço?")[0] == "n2"


def test_a_technician_asked_for_is_on_the_maintenance_shift(brisaluz: KB) -> None:
    reply = answer(brisaluz, "brisaluz tem técnico agora domingo 9h?", NIGHT)
    assert reply.clock and reply.topic_id == "horario"
    assert "Plantão de manutenções: fechado" in to_plain(reply)
    # A technician the customer insists on is no sector asked about.
    question = "brisaluz o cliente insiste em técnico mesmo com a net funcionando"
    assert _topics(brisaluz, question)[0] == "n2"


# ---------------------------------------------------------------- money


def test_days_over_invoices_left_open_are_the_blocking_days(brisaluz: KB) -> None:
    question = "brisaluz 3 boletos em aberto, um com 50 dias e outro com 20, conto de qual?"
    assert _topics(brisaluz, question)[0] == "bloqueio"


def test_wanting_to_browse_again_with_overdue_invoices_is_the_unblocking(brisaluz: KB) -> None:
    question = "brisaluz cliente com 4 faturas vencidas quer voltar a navegar"
    assert _topics(brisaluz, question)[0] == "desbloqueio"


def test_a_pix_sent_is_the_receipt(brisaluz: KB) -> None:
    assert _topics(brisaluz, "brisaluz cliente mandou o pix e segue bloqueado")[0] == "comprovante"


def test_a_matter_handed_over_shows_the_financial_sector(brisaluz: KB) -> None:
    question = "brisaluz pagou o mes errado e deixou o anterior em aberto, o que faço?"
    assert _topics(brisaluz, question) == ("pagamento", "financeiro")
    # Nothing asked to do, the case the payment text treats apart described (session 9,
    # reader._one_rule_asked): its rule hands the case over, so the sector is beside it too.
    assert _topics(brisaluz, "brisaluz cliente pagou o mes errado") == ("pagamento", "financeiro")
    # A rule that hands nothing over: no second section.
    assert _topics(brisaluz, "brisaluz quais as formas de pagamento, como faz?") == ("pagamento",)


# ---------------------------------------------------------------- other words


def test_the_connection_wanted_in_a_room_is_the_coverage(brisaluz: KB) -> None:
    question = "brisaluz o cliente quer wifi também no quarto dos fundos"
    assert _topics(brisaluz, question)[0] == "repetidor"
    assert _topics(brisaluz, "brisaluz cliente quer internet, como contrata?")[0] == "contratacao"


def test_wanting_to_leave_is_the_cancellation(brisaluz: KB) -> None:
    question = "brisaluz cliente quer sair mas o telefone do cadastro é antigo"
    assert _topics(brisaluz, question)[0] == "cancelamento"


def test_a_box_full_of_channels_is_iptv(brisaluz: KB) -> None:
    question = "brisaluz o cliente tem uma caixinha cheio de canais e travou"
    assert _topics(brisaluz, question)[0] == "iptv"


def test_where_the_isp_serves_is_its_cities(brisaluz: KB) -> None:
    assert _topics(brisaluz, "onde a brisaluz atende")[0] == "cidades"


def test_a_place_says_which_isp_not_which_topic(brisaluz: KB) -> None:
    reply = answer(brisaluz, "cliente de lagoa do pequizeiro sem net, qual o dns?", NIGHT)
    # Brisaluz's document says nothing of DNS: that is the answer, not the cities it serves.
    assert (reply.kind, reply.provider_id, reply.topic_id) == (
        ReplyKind.NO_INFO,
        "brisaluz",
        "dns",
    )


def test_a_ports_clue_is_not_overturned_by_a_text_without_it(brisaluz: KB) -> None:
    assert _topics(brisaluz, "porta 4455 não responde, é essa mesma?")[0] == "porta"


def test_an_app_named_alone_is_not_overturned_by_a_text_without_it(brisaluz: KB) -> None:
    assert _topics(brisaluz, "zumbiplay não abre pro cliente, encaminho?")[0] == "tecnologias"


# ---------------------------------------------------------------- the real KB, our words


@pytest.mark.parametrize(
    ("question", "provider", "topics"),
    [
        ("lasernet: pagou o mês seguinte e deixou o anterior em aberto, como faz?", "lasernet",
         ("pagamento", "financeiro")),
        ("seja fibra: o cliente exige um técnico, aqui tá tudo normal", "sejafibra", ("n2",)),
        ("o showroom fecha q hrs?", "netcenter", ("contato",)),
        ("onde a mutum atende?", "mutum", ("cidades",)),
        ("troca de titularidade com alteracao cadastral, pode por ligacao?", "vmnet",
         ("financeiro",)),
    ],
)  # fmt: skip
def test_real_kb_cases(question: str, provider: str, topics: tuple[str, ...]) -> None:
    reply = answer(REAL, question, NIGHT)
    assert reply.provider_id == provider
    assert (reply.topic_id, *reply.also)[: len(topics)] == topics


def test_a_sector_named_puts_the_text_giving_its_hours_first_on_a_tie() -> None:
    reply = answer(REAL, "vmnet sexta 17h40, consigo transferir pro comercial ainda?", NIGHT)
    assert (reply.provider_id, reply.topic_id, *reply.also) == ("vmnet", "setores", "financeiro")


def test_a_night_hour_states_the_moment_on_the_real_kb() -> None:
    reply = answer(REAL, "netcenter 3h da madrugada cliente sem conexao, transfiro?", NIGHT)
    assert reply.topic_id == "n2" and reply.clock


def test_a_place_and_the_dns_on_the_real_kb() -> None:
    assert read(REAL, "cliente de barroso sem net, qual o dns?").topics[0].topic.id == "dns"
