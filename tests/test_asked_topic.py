"""When a clue names the ISP, the topic actually asked is answered (issue 12, items 1 and 2;
`core._asked_beside_whose`, `reader._steps_topic`, the place's deferred cities topic): "de qual
provedor / de quem é" beside another request is that request, for the ISP the clue names, with
its why-line; who serves a place stays who serves it when nothing else is asked; a place beside
a problem is the problem's topic; an app's access asked is the topic that writes its steps.
Made-up wording on a made-up sixth ISP (a copy of the real KB), then the real KB, then through
the Telegram handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from conftest import real_kb_with, shared_real_kb
from harness import Harness, running, shown

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import Reply, ReplyKind
from bot.app.settings import Settings
from bot.knowledge.kb import KB
from fake_bot_api import AGENT, FakeTelegram, private_chat

REAL = shared_real_kb()

QUIRIRI = """\
id: quiriri
name: Quiriri Net
aliases: [Tapiranet]
timezone: America/Sao_Paulo
state: SC
reviewed: 2026-11-30
topics:
  orientacoes:
    text: "Clientes antigos chamam o provedor de Tapiranet, o nome anterior da empresa."
  cidades:
    text: "Cidade de Pirapitinga e o distrito de Aguapé Grande."
  contato:
    text: |
      TELEFONE (47) 3555-0101
      WHATSAPP (47) 99876-4321
      SITE: http://10.20.30.40/

      Loja: Rua das Palmeiras, 50 - Centro. Possui atendimento presencial.
  fatura:
    text: "Enviar a segunda via pelo próprio chat, em PDF."
  planos:
    text: "Plano 300 Mega: R$ 83,40. Plano 700 Mega: R$ 121,40."
  n2:
    text: "Cliente sem conexão após os testes básicos: abrir OS para o suporte N2."
  tecnologias:
    text: |
      Fibra

      SVAs: Kalimbo Play e o app Trivexo
      Podemos encaminhar para OUTRAS DEMANDAS quando houver problemas nesses serviços
  tv:
    text: |
      Canais ao vivo no app Trivexo.
      Passo a Passo: baixar o Trivexo na loja e entrar com o CPF (login) e a data de nascimento.
  dns: "Primário 10.9.8.1 / Secundário 10.9.8.2"
  bloqueio: "Bloqueio total com 25 dias de atraso."
"""


DNS_LINE = '  dns: "Primário 10.9.8.1 / Secundário 10.9.8.2"\n'


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("quiriri"), quiriri=QUIRIRI)


def _seen(reply: Reply) -> tuple[ReplyKind, str | None, str | None]:
    return reply.kind, reply.provider_id, reply.topic_id


# --------------------------------------------------------------------------- whose, and more


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("o fone (47) 3555-0101 é de qual provedor? cliente pediu a segunda via", "fatura"),
        ("cliente pediu a segunda via, o (47) 3555-0101 é de quem?", "fatura"),
        ("(47) 99876-4321 é o zap de quem? precisa do endereço da loja", "contato"),
        ("o 3555-0101 pertence a quem, qual o dns deles?", "dns"),
        ("quem atende pirapitinga? o cliente quer saber os planos", "planos"),
        ("o 10.20.30.40 é de quem? o cliente quer ver os planos", "planos"),
    ],
)
def test_whose_a_clue_is_beside_another_request_answers_that_request(
    six: KB, question: str, topic: str
) -> None:
    reply = answer(six, question)
    assert _seen(reply) == (ReplyKind.ANSWER, "quiriri", topic)
    assert "→ Quiriri Net" in to_plain(reply)  # the why-line: how the ISP was found


@pytest.mark.parametrize(
    "question",
    [
        "pirapitinga é de qual provedor?",
        "quem atende aguapé grande?",
        "cliente de pirapitinga, de quem é?",
        "o telefone (47) 3555-0101 é de qual provedor?",
        "tem provedor nosso em pirapitinga?",
        "pirapitinga tem algum provedor nosso?",
    ],
)
def test_whose_asked_with_nothing_else_stays_who_serves(six: KB, question: str) -> None:
    reply = answer(six, question)
    assert (reply.kind, reply.topic_id) == (ReplyKind.ANSWER, "cidades")
    assert "Quiriri Net" in to_plain(reply)


def test_which_thing_of_a_clue_is_that_things_topic_not_who_serves(six: KB) -> None:
    # "é de qual loja?" asks which store (the contacts), not which ISP serves a place.
    reply = answer(six, "o whats (47) 99876-4321 é de qual loja, tem atendimento presencial?")
    assert _seen(reply) == (ReplyKind.ANSWER, "quiriri", "contato")


def test_another_name_of_the_isp_asked_whose_is_the_lines_explaining_it(six: KB) -> None:
    reply = answer(six, "tapiranet é de qual provedor?")
    assert _seen(reply) == (ReplyKind.ANSWER, "quiriri", "orientacoes")
    assert "nome anterior" in to_plain(reply)


# --------------------------------------------------------------------------- a place and a problem


@pytest.mark.parametrize(
    "question",
    [
        "cliente de pirapitinga sem internet, abro os?",
        "cli do aguapé grande sem net, abre pra quem?",
    ],
)
def test_a_place_beside_a_problem_is_the_problems_topic(six: KB, question: str) -> None:
    reply = answer(six, question)
    assert _seen(reply) == (ReplyKind.ANSWER, "quiriri", "n2")
    assert "Pirapitinga → Quiriri Net" in to_plain(reply) or "Aguapé" in to_plain(reply)


def test_a_place_beside_a_problem_its_document_does_not_answer_says_so(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Without an escalation text the answer is "the document does not say", never the place's
    # cities as if who serves it had been asked.
    kb = real_kb_with(
        tmp_path_factory.mktemp("quiriri_no_n2"), quiriri=QUIRIRI.split("  n2:")[0] + DNS_LINE
    )
    reply = answer(kb, "cliente de pirapitinga sem internet, abro os?")
    assert _seen(reply) == (ReplyKind.NO_INFO, "quiriri", "n2")


def test_a_place_alone_is_still_who_serves_it(six: KB) -> None:
    assert answer(six, "cliente de pirapitinga").topic_id == "cidades"


def test_a_place_beside_a_plans_speed_asks_the_plans(six: KB) -> None:
    reply = answer(six, "cliente de pirapitinga quer saber quanto ta o de 700 mega")
    assert _seen(reply) == (ReplyKind.ANSWER, "quiriri", "planos")


# --------------------------------------------------------------------------- an app's steps


@pytest.mark.parametrize(
    "question",
    [
        "trivexo nao loga, tem passo a passo?",
        "cliente nao acha o trivexo na loja, como instala?",
        "como o cliente entra no trivexo?",
    ],
)
def test_an_apps_access_asked_is_the_topic_writing_its_steps(six: KB, question: str) -> None:
    reply = answer(six, question)
    assert _seen(reply) == (ReplyKind.ANSWER, "quiriri", "tv")
    assert "Trivexo → Quiriri Net" in to_plain(reply)


def test_an_apps_access_beside_another_matter_is_that_matter(six: KB) -> None:
    # The blocking is asked; the app's steps hold none of its words.
    reply = answer(six, "o trivexo nao abre, bloqueia com quantos dias de atraso?")
    assert _seen(reply) == (ReplyKind.ANSWER, "quiriri", "bloqueio")


def test_the_real_kbs_shared_apps_ask_between_their_two_isps_for_the_steps() -> None:
    for question in ("watch da pra entrar pelo navegador?", "paramount nao loga, como faz?"):
        reply = answer(REAL, question)
        assert reply.kind is ReplyKind.CHOICE
        assert {b.ask for b in reply.buttons} == {"/tv sejafibra", "/tv vmnet"}
    # A problem, no access asked: the catalogue of SVAs, as before.
    stuck = answer(REAL, "o paramount do cliente travou no celular, e agora?")
    assert {b.ask for b in stuck.buttons} == {"/tecnologias sejafibra", "/tecnologias vmnet"}


def test_the_real_kb_answers_the_request_beside_a_phone_asked_whose() -> None:
    reply = answer(REAL, "o numero 3276-5247 é de que provedor? o cliente quer a fatura")
    assert _seen(reply) == (ReplyKind.ANSWER, "lasernet", "fatura")
    assert "→ LaserNet" in to_plain(reply)
    assert answer(REAL, "quem atende barroso?").topic_id == "cidades"


# --------------------------------------------------------------------------- through Telegram


@pytest.fixture
async def tg(settings: Settings, six: KB) -> AsyncIterator[Harness]:
    async for harness in running(settings, six, FakeTelegram()):
        yield harness


async def test_the_topic_asked_beside_whose_through_telegram(tg: Harness) -> None:
    chat = private_chat(AGENT)
    said = shown(
        await tg.say(chat, AGENT, "(47) 3555-0101 é de qual provedor? cliente quer fatura")
    )
    assert "Quiriri Net › Envio de fatura" in said
    assert "(47) 3555-0101 → Quiriri Net" in said
    place = shown(await tg.say(chat, AGENT, "quem atende pirapitinga?"))
    assert "Quiriri Net" in place and "Pirapitinga" in place
    app = shown(await tg.say(chat, AGENT, "trivexo nao loga, tem passo a passo?"))
    assert "Quiriri Net › TV e aplicativos" in app


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("quem tem o app trivexo? qual o dns", "dns"),
        ("quem tem o kalimbo play? cliente pediu a segunda via", "fatura"),
    ],
)
def test_who_has_a_clue_beside_another_request_answers_that_request(
    six: KB, question: str, topic: str
) -> None:
    """Session 10's QA: "quem tem 24h corridas? qual o dns" answered Seja Fibra's support
    deadline (the clue's own topic), not its DNS: "quem tem X" asks whose X is, as "de quem é"."""
    reply = answer(six, question)
    assert _seen(reply) == (ReplyKind.ANSWER, "quiriri", topic)
    assert "→ Quiriri Net" in to_plain(reply)
    real = answer(REAL, "quem tem 24h corridas? qual o dns")
    assert (real.provider_id, real.topic_id) == ("sejafibra", "dns")
