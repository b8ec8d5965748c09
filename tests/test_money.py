"""Money questions reach the topic that holds the answer (issue 12, session 9): the days late
told by two dates, a picture of a payment sent, a payment made and not seen, a case a payment
topic treats apart and hands over, financial texts that quote each other, and the agent's note
signed under a pasted message. Made-up wording throughout; a made-up sixth ISP whose rules
come from its own YAML."""

from __future__ import annotations

import pytest
from conftest import real_kb_with, shared_real_kb

from bot.answers.core import agents_words, answer
from bot.answers.reply import Reply
from bot.knowledge.kb import KB
from bot.reading.reader import days_since_due, paid_not_seen, proof_shown

REAL = shared_real_kb()

LUMEN = """\
id: lumen
name: Lumen Telecom
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  pagamento:
    text: |
      Boleto e PIX.

      Quitação fora de ordem:
      Quando o cliente quita a fatura mais nova e deixa a antiga em aberto, o provedor não troca as faturas. Enviar caso no grupo dentro do horário comercial.
  financeiro: "Renegociação e troca de vencimento: transferir ao setor financeiro."
  bloqueio: "Bloqueio com 12 dias de atraso. Sem redução de velocidade."
  desbloqueio: |
    Sim, uma vez por mês.
    Com mais de 20 dias de atraso, liberar somente com comprovante de pagamento.
  comprovante: "Comprovante de pagamento em atraso: conferir a data e anexar ao atendimento."
"""


@pytest.fixture(scope="module")
def lumen(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("lumen"), lumen=LUMEN)


def _shown(reply: Reply) -> tuple[str | None, str | None, tuple[str, ...]]:
    return reply.provider_id, reply.topic_id, tuple(reply.also)


@pytest.mark.parametrize(
    ("said", "days"),
    [
        ("venceu dia 10 hoje e 14 ja cortou", 4),
        ("vencimento dia 5 hoje dia 13 ta lento", 8),
        ("o boleto venceu no dia 25 e hoje e dia 3", 8),  # last month's, said past
        ("vence dia 10 hoje e 8", None),  # not yet due
        ("vence dia 10", None),  # no today
        ("hoje e dia 14 e o cliente quer o boleto", None),  # no due date
    ],
)
def test_days_late_told_by_the_due_day_and_today(said: str, days: int | None) -> None:
    assert days_since_due(said.split()) == days


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        ("cliente mandou foto do pix pago", True),
        ("segue o print do agendamento do banco", True),
        ("enviou uma imagem da transferencia", True),
        ("cliente mandou foto do roteador", False),
        ("cliente quer o whatsapp pra mandar foto do boleto", False),  # where to send it
        ("quer pagar no pix", False),
    ],
)
def test_a_picture_of_a_payment_is_a_receipt(said: str, shown: bool) -> None:
    assert bool(proof_shown(said.split())) is shown


@pytest.mark.parametrize(
    ("said", "seen"),
    [
        ("a cliente ja pagou e segue sem internet", False),
        ("cliente pagou ontem e continua bloqueado", False),
        ("paguei e nao liberou ainda", False),
        ("fez o pagamento e nao voltou a internet", False),
        ("cliente nao pagou e continua bloqueado", True),
        ("cliente pagou e a internet voltou", True),
    ],
)
def test_a_payment_made_whose_effect_is_not_seen(said: str, seen: bool) -> None:
    assert paid_not_seen(said.split()) is not seen


@pytest.mark.parametrize(
    "question",
    [
        "netcenter o boleto venceu dia 3 e hoje é dia 8, já cortou?",
        "vmnet cliente com vencimento no dia 20, hj é 29, por isso ta lenta?",
    ],
)
def test_two_dates_tell_the_days_late_whose_rule_is_the_blocking(question: str) -> None:
    assert answer(REAL, question).topic_id == "bloqueio"


def test_two_dates_beside_an_unblocking_asked_keep_the_unblocking() -> None:
    # The days late are why it is asked; what is asked is the unblocking.
    reply = answer(REAL, "mutum venceu dia 2 e hoje é dia 20, posso liberar em confiança?")
    assert reply.topic_id == "desbloqueio"


@pytest.mark.parametrize(
    ("question", "isp"),
    [
        ("mutum cliente enviou print do pagamento feito pelo app do banco", "mutum"),
        ("seja fibra cliente mandou foto da transferencia", "sejafibra"),
        ("netcenter a cliente já pagou e segue sem internet, que faço?", "netcenter"),
        ("vm net cliente diz que pagou ontem mas não liberou", "vmnet"),
    ],
)
def test_a_receipt_shown_or_a_payment_not_seen_is_the_receipts_rule(
    question: str, isp: str
) -> None:
    reply = answer(REAL, question)
    assert (reply.provider_id, reply.topic_id) == (isp, "comprovante")


def test_a_payment_denied_is_no_receipt() -> None:
    reply = answer(REAL, "vmnet cliente não pagou e continua bloqueado, libero?")
    assert reply.topic_id == "desbloqueio"


def test_a_case_a_payment_topic_treats_apart_and_hands_over_shows_the_sector(lumen: KB) -> None:
    """Lumen's payment text writes one case apart ("Quitação fora de ordem") whose rule sends
    it to the group: described, the case is answered with the sector's rules beside it, with
    no "o que faço" asked."""
    question = "lumen cliente pagou a fatura nova e deixou a antiga em aberto, vcs trocam?"
    assert _shown(answer(lumen, question)) == ("lumen", "pagamento", ("financeiro",))
    # The payment methods asked: one section, the methods.
    assert _shown(answer(lumen, "lumen quais as formas de pagamento?")) == (
        "lumen",
        "pagamento",
        (),
    )


def test_a_case_a_quoted_rule_names_the_isp_of_is_handed_over_too() -> None:
    # No ISP named: the question quotes LaserNet's own example ("Cliente pagou o Mês 03 e
    # deixou o Mês 02 aberto"), a stated fact that names it; the case is handed over as if named.
    question = "o assinante pagou o mês 03 e deixou o mês 02 aberto, tem inversão?"
    assert _shown(answer(REAL, question)) == ("lasernet", "pagamento", ("financeiro",))


def test_a_routing_question_with_the_matter_between_is_the_sectors(lumen: KB) -> None:
    question = "lumen pagamento fora de ordem: encaminho o caso do cliente no grupo?"
    assert _shown(answer(lumen, question)) == ("lumen", "financeiro", ("pagamento",))


def test_the_financial_text_that_holds_the_rule_comes_first(lumen: KB) -> None:
    """The keywords favour the receipt ("comprovante de pagamento", with the days late as the
    customer's state); Lumen writes the limit with a receipt under the unblocking: that text
    first, the favourite beside it."""
    question = "lumen: mais de 20 dias de atraso, e se tiver comprovante de pagamento?"
    reply = answer(lumen, question)
    assert (reply.topic_id, reply.also) == ("desbloqueio", ("comprovante",))


def test_a_line_two_financial_topics_write_shows_both() -> None:
    # NETCENTER writes its pre-paid billing under the invoice and under the sector's rules.
    reply = answer(
        REAL, "netcenter cliente não entende porque o boleto de vencimento 25 é do mês que vem"
    )
    assert {reply.topic_id, *reply.also} >= {"fatura", "financeiro"}


@pytest.mark.parametrize(
    ("message", "agent"),
    [
        (
            "oi, paguei ontem e mandei o print. " * 6 + "// agente: aceito o print?",
            "aceito o print?",
        ),
        ("minha internet caiu de novo hoje cedo. " * 6 + "-- mutum, abro os?", "mutum, abro os?"),
        ("minha internet caiu de novo hoje cedo. " * 6 + "|| que faço", "que faço"),
        ("minha internet caiu de novo hoje cedo, o que faço? " * 6, None),
    ],
)
def test_the_agents_note_signed_under_a_paste(message: str, agent: str | None) -> None:
    assert agents_words(message) == ((agent,) if agent else ())


def test_a_pasted_message_is_answered_by_the_agents_note_under_it() -> None:
    message = (
        "boa tarde, fiz o pix da mensalidade atrasada agora há pouco e a internet continua "
        "sem funcionar, já reiniciei o roteador duas vezes e nada, preciso trabalhar amanhã "
        "cedo, por favor vejam isso pra mim o quanto antes, obrigado"
        " // agente: seja fibra, precisa anexar o comprovante?"
    )
    reply = answer(REAL, message)
    assert (reply.provider_id, reply.topic_id) == ("sejafibra", "comprovante")


def test_the_sixth_isp_changes_no_money_answer_of_the_others(lumen: KB) -> None:
    for question in (
        "netcenter o boleto venceu dia 3 e hoje é dia 8, já cortou?",
        "mutum cliente enviou print do pagamento feito pelo app do banco",
        "laser: cliente pagou a fatura de abril e a de março ficou em aberto",
    ):
        assert _shown(answer(lumen, question)) == _shown(answer(REAL, question))


def test_they_free_is_the_unblocking() -> None:
    # "liberam" (they free) was stemmed "lib": no unblocking keyword was found.
    reply = answer(REAL, "mutum vocês liberam a internet do cliente bloqueado?")
    assert reply.topic_id == "desbloqueio"


ORLA = """\
id: orla
name: Orla Net
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  pagamento: "Formas de pagamento: boleto com QR Code PIX."
  fatura: "Sim, enviar pelo chat."
  comprovante: "Comprovantes de agendamento: podemos aceitá-los aos sábados e domingos."
"""


@pytest.fixture(scope="module")
def orla(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("orla"), orla=ORLA)


@pytest.mark.parametrize("said", ["orla net aceita pix?", "na orla net aceitam pix?"])
def test_a_rival_text_holding_only_the_verb_is_not_the_matter(orla: KB, said: str) -> None:
    # "pix" made the payments the favourite; the receipts' text holds only "aceitar" (QA 9b):
    # the payment methods come first, not the scheduled payments' receipts.
    reply = answer(orla, said)
    assert (reply.provider_id, reply.topic_id) == ("orla", "pagamento"), _shown(reply)
