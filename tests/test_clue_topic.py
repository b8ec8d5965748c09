"""The topic that writes the clue which found the ISP (issue 12, item 2; `reader._clue_topic`):
a context name or distinctive term that is no place, or an alias the ISP's document explains,
written under one or two of the ISP's topics, is the answer when the keywords name no topic
clearly, and a second section beside a clearly named topic whose text does not hold it. Made-up
wording on a made-up sixth ISP (a copy of the real KB), so that the rule, not the real
documents' words, is what is tested; then the real KB."""

from __future__ import annotations

import pytest
from conftest import real_kb_with, shared_real_kb

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import Reply, ReplyKind
from bot.knowledge.kb import KB

REAL = shared_real_kb()

VALE = """\
id: valenet
name: Vale Conecta
aliases: [Ondaviva, Vale Net]
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  orientacoes:
    text: |
      Clientes antigos conhecem o provedor como Ondaviva, o nome anterior da empresa.
      Nas mensagens a empresa assina Vale Net.
  tecnologias:
    text: "O pacote Trovexa inclui o aplicativo de cursos; o acesso é pelo e-mail do titular."
  tv:
    text: "Canais ao vivo pelo app Trovexa ou pela smart TV."
  planos:
    text: "Plano 300 Mega: R$ 87,45. Plano 600 Mega com Kelvorin: R$ 119,45."
  cancelamento:
    text: "O serviço Kelvorin é cancelado junto com o plano, sem multa."
  dns:
    text: "DNS: 1.1.1.1 e 8.8.8.8"
  contato:
    text: "Loja: Travessa Quindarela, 45. Atendimento de segunda a sexta."
"""


@pytest.fixture(scope="module")
def vale(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("vale"), valenet=VALE)


def _shown(reply: Reply) -> tuple[ReplyKind, str | None, str | None, tuple[str, ...]]:
    return reply.kind, reply.provider_id, reply.topic_id, reply.also


def test_a_clue_and_no_clear_keyword_is_answered_by_the_topic_that_writes_it(vale: KB) -> None:
    # "cancelou" is only another form of a cancellation keyword (weak), and the cancellation
    # text does not write Trovexa: the topics that do are asked about.
    reply = answer(vale, "trovexa do cliente cancelou sozinho")
    assert reply.provider_id == "valenet"
    assert reply.kind is ReplyKind.ANSWER
    assert {reply.topic_id, *reply.also} <= {"tecnologias", "tv"}
    assert "Trovexa → Vale Conecta" in to_plain(reply)  # the why-line stays


def test_a_clear_keyword_elsewhere_keeps_its_topic_with_the_clues_beside(vale: KB) -> None:
    reply = answer(vale, "qual o dns pra quem tem trovexa?")
    kind, isp, topic, also = _shown(reply)
    assert (kind, isp, topic) == (ReplyKind.ANSWER, "valenet", "dns")
    assert len(also) == 1 and also[0] in {"tecnologias", "tv"}
    plain = to_plain(reply)
    assert "1.1.1.1" in plain and "Trovexa" in plain
    assert "Trovexa → Vale Conecta" in plain


def test_the_keywords_topic_holding_the_clue_is_answered_alone(vale: KB) -> None:
    # Kelvorin is written under the plans and the cancellation: the plans' text holds it.
    reply = answer(vale, "quanto custa o plano com kelvorin?")
    assert _shown(reply)[:3] == (ReplyKind.ANSWER, "valenet", "planos")
    assert reply.also == ()


def test_an_alias_the_document_explains_answers_when_nothing_else_is_asked(vale: KB) -> None:
    reply = answer(vale, "cli falou que é da ondaviva, é nosso msm?")
    assert _shown(reply) == (ReplyKind.ANSWER, "valenet", "orientacoes", ())
    # A topic asked clearly stays alone: an alias is the ISP's name, not a second question.
    assert _shown(answer(vale, "ondaviva, qual o dns?")) == (ReplyKind.ANSWER, "valenet", "dns", ())


BRISA = """\
id: brisanet
name: Brisa Conecta
aliases: [Ventania]
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  orientacoes:
    text: "Clientes antigos chamam o provedor de Ventania, o nome da empresa comprada."
  contato:
    text: "A loja atende o cliente que disser o CPF, de segunda a sábado."
"""


def test_a_text_no_keyword_points_to_does_not_overturn_the_clues_topic(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    kb = real_kb_with(tmp_path_factory.mktemp("brisa"), brisanet=BRISA)
    # The store's line holds "cliente ... disser ... atende", no keyword points to it; the
    # alias's line says whether the customer is ours.
    reply = answer(kb, "cliente disse que é da ventania, atende?")
    assert _shown(reply)[:3] == (ReplyKind.ANSWER, "brisanet", "orientacoes")
    # A moment asked is the hours' text's to answer: it is shown first.
    timed = answer(kb, "cliente disse que é da ventania, atende até que horas?")
    assert timed.topic_id == "contato"


@pytest.mark.parametrize(
    "question",
    [
        "cliente da travessa quindarela quer cancelar o plano",
        "cli na av quindarela quer cancelar o plano",
    ],
)
def test_a_street_is_where_the_customer_lives_not_a_second_topic(vale: KB, question: str) -> None:
    reply = answer(vale, question)
    assert (reply.provider_id, reply.topic_id, reply.also) == ("valenet", "cancelamento", ())


def test_the_isps_own_name_is_no_clue(vale: KB) -> None:
    # "Vale Net" is an alias sharing a word with the name, and the orientation text writes it:
    # the ISP's own name, no clue to that topic (which topic is then asked).
    reply = answer(vale, "cli falou que é da vale net, é nosso msm?")
    assert _shown(reply) == (ReplyKind.NOT_UNDERSTOOD, "valenet", None, ())


@pytest.mark.parametrize(
    "question",
    ["cli com plano seac diz q a net nao funciona", "o que é o plano seac"],
)
def test_the_real_kb_shows_what_the_clue_is_beside_the_plans(question: str) -> None:
    reply = answer(REAL, question)
    assert (reply.kind, reply.provider_id) == (ReplyKind.ANSWER, "sejafibra")
    assert {reply.topic_id, *reply.also} & {"tecnologias", "tv"}
    assert "SeAC" in to_plain(reply)


def test_the_real_kb_explains_a_former_name() -> None:
    reply = answer(REAL, "cli disse q é cliente da kaybee, é nosso?")
    assert _shown(reply) == (ReplyKind.ANSWER, "sejafibra", "orientacoes", ())
