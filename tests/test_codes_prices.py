"""Prices as clues (`bot.reading.codes`, `context.prices_typed`, session 7): a price with cents in
a question naming a plan, a price two ISPs write narrowed by the topic asked, a round sum the
asked topic's answer charges. Made-up wording on made-up ISPs added to a copy of the real KB
(what is tested is the derivation from the KB), then the real KB."""

from __future__ import annotations

import pytest
from conftest import real_kb_with, shared_real_kb

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB
from bot.reading.reader import read

REAL = shared_real_kb()

TARVINA = """\
id: tarvina
name: Tarvina
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  planos:
    text: |
      Plano 450 Mega: R$ 83,70
      Plano 900 Mega: R$ 121,30
"""

BRISAL = """\
id: brisal
name: Brisal
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  planos:
    text: "Plano 450 Mega: R$ 77,10"
  mudanca:
    text: "Mudança de endereço: cobrada taxa de R$ 84,00, abrir OS de mudança."
  visita:
    text: "Visita improdutiva: cobrar 23 reais na próxima fatura."
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("prices"), tarvina=TARVINA, brisal=BRISAL)


def test_a_price_with_cents_beside_a_plan_narrows_a_shared_speed(kb: KB) -> None:
    # 450 Mega is both ISPs' plan; 83,70 is Tarvina's price, typed far from the plan word.
    assert read(kb, "o de 450mb que o cliente tem").context_providers == {"tarvina", "brisal"}
    reply = answer(kb, "plano de 450 mega continua 83,70?")
    assert (reply.kind, reply.provider_id, reply.topic_id) == (
        ReplyKind.ANSWER,
        "tarvina",
        "planos",
    )
    assert "R$ 83,70 → Tarvina" in to_plain(reply)
    # No plan named: two numbers are no price.
    assert not read(kb, "cliente do 83 70 sem internet").context


def test_a_price_two_write_is_the_one_whose_answer_of_the_topic_writes_it(kb: KB) -> None:
    # 84 reais: Tarvina's 83,70 rounded up, and Brisal's moving fee.
    moved = answer(kb, "pra trocar de endereço a taxa é 84 reais?")
    assert (moved.kind, moved.provider_id, moved.topic_id) == (
        ReplyKind.ANSWER,
        "brisal",
        "mudanca",
    )
    assert "→ Brisal" in to_plain(moved)
    # The customer's plan: both owners, never one picked.
    plan = "o plano de 84 reais muda de endereço?"
    assert read(kb, plan).context_providers == {"tarvina", "brisal"}
    assert answer(kb, plan).provider_id is None


def test_a_round_sum_names_the_isp_whose_answer_of_the_topic_charges_it(kb: KB) -> None:
    reply = answer(kb, "visita improdutiva sai 23 reais né?")
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "brisal", "visita")
    assert "R$ 23 → Brisal" in to_plain(reply)
    # The same sum asked of another topic, or pasted by a customer: anyone's.
    assert answer(kb, "cliente quer pagar 23 reais no pix").provider_id is None
    assert not read(kb, "visita improdutiva sai 23 reais né?", terms=False).context


def test_the_real_kb_prices() -> None:
    plan = answer(REAL, "o de 600 mega ainda sai 99,90?")
    assert (plan.provider_id, plan.topic_id) == ("lasernet", "planos")
    reset = answer(REAL, "o cliente resetou o roteador, é taxa de R$ 50?")
    assert (reset.provider_id, reset.topic_id) == ("vmnet", "reset")
    moved = answer(REAL, "trocar o ponto de lugar custa 20 reais?")
    assert (moved.provider_id, moved.topic_id) == ("lasernet", "mudanca")
    # A sum alone, or asked of a topic no answer charges it under: nobody's.
    for question in ("cliente quer pagar 20 reais", "o plano de 50 reais reduz?"):
        assert answer(REAL, question).provider_id is None


def test_a_whole_price_beside_a_shared_speed_names_the_isp_whose_line_writes_both(kb: KB) -> None:
    # 450 Mega is both made-up ISPs' plan; "R$77" is Brisal's line (77,10), never Tarvina's.
    reply = answer(kb, "450 mega ainda ta r$77?")
    assert (reply.kind, reply.provider_id, reply.topic_id) == (
        ReplyKind.ANSWER,
        "brisal",
        "planos",
    )
    # 84 is Tarvina's 83,70 rounded up, but on its 450 line? No: its 450 line is 83,70 -> 84.
    assert answer(kb, "o 450 mega e 84 reais?").provider_id == "tarvina"
    # A price no line writes beside that speed narrows nothing: both are asked.
    shared = answer(kb, "450 mega ainda ta r$99?")
    assert shared.provider_id is None
    assert {b.ask.split()[1] for b in shared.buttons} >= {"tarvina", "brisal"}


def test_the_real_600_mega_at_89_is_seja_fibras_plan() -> None:
    # "600 Mega = R$89" (Seja Fibra); LaserNet's 600MB is 99,90 and its 89,90 is 400MB.
    reply = answer(REAL, "600 mega ainda ta r$89?")
    assert (reply.kind, reply.provider_id, reply.topic_id) == (
        ReplyKind.ANSWER,
        "sejafibra",
        "planos",
    )
    assert answer(REAL, "600 mega quanto e?").kind is ReplyKind.CHOICE  # no price: both


def test_the_price_that_narrowed_a_shared_speed_is_in_the_reason(kb: KB) -> None:
    """Session 9's review, finding 4: "600 mega ainda é R$89?" said "(600 Mega → Seja Fibra)":
    the speed two ISPs sell, not the price that decided."""
    reply = answer(kb, "450 mega ainda ta r$77?")
    assert "450 Mega, R$ 77 → Brisal" in to_plain(reply)
    joined = answer(kb, "plano de 450 mega por 77")  # a bare number joined to the speed
    assert joined.provider_id == "brisal" and "R$ 77 → Brisal" in to_plain(joined)
    real = answer(REAL, "600 mega ainda é R$89?")
    assert "600 Mega, R$ 89 → Seja Fibra" in to_plain(real)


@pytest.mark.parametrize(
    ("question", "owners"),
    [
        # 121,30 is Tarvina's (its 900 Mega); 450 Mega is Tarvina's and Brisal's.
        ("plano de 450 mega por 121,30", {"tarvina", "brisal"}),
        ("o de 450mb a 121,30 ainda?", {"tarvina", "brisal"}),
    ],
)
def test_a_speed_and_a_price_no_line_writes_together_never_name_the_prices_isp(
    kb: KB, question: str, owners: set[str]
) -> None:
    """Session 9's review, finding 4: "plano de 600 mega por 89,90" answered LaserNet, whose
    89,90 is its 400MB and whose 600MB is 99,90: a plan nobody sells named the one ISP writing
    the price. The price is no clue then; the speed's owners are asked."""
    reading = read(kb, question)
    assert reading.context_providers == owners, question
    assert "121,30" not in " ".join(n.name for n in reading.context)
    reply = answer(kb, question)
    assert reply.provider_id is None
    assert {b.ask.split()[1] for b in reply.buttons} == owners


def test_the_real_600_mega_at_89_90_is_nobodys_plan() -> None:
    reply = answer(REAL, "plano de 600 mega por 89,90")
    assert reply.provider_id is None and reply.kind is ReplyKind.CHOICE
    assert {b.ask for b in reply.buttons} == {"/planos lasernet", "/planos sejafibra"}
    # A speed one ISP sells keeps naming it; the price no line pairs with it is not the reason.
    alone = answer(REAL, "plano de 75 mega por 89,90")
    [why] = [line for line in to_plain(alone).splitlines() if "→ LaserNet" in line]
    assert alone.provider_id == "lasernet" and why == "(75 Mega → LaserNet)"
