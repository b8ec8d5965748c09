"""The topic asked when the ISP is named or known (session 11, branch `topics4`; issue 12,
items 1 and 2): a port typed beside a model; a context name that confirms the keywords' topic
instead of taking the question over; the whole answer of a name written under several topics;
the wording an ISP prescribes; a model's own row; a customer leaving for a competitor;
"tem provedor nosso? qual?" and "cliente de X, quem é?"; a time set for the technician; a
customer insisting; paraphrases of keywords. Made-up wording on a made-up sixth ISP (a copy of
the real KB), then the real KB, then through the Telegram handlers."""

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

JACUTINGA = """\
id: jacutinga
name: Jacutinga Telecom
timezone: America/Sao_Paulo
state: PR
reviewed: 2026-11-30
topics:
  orientacoes:
    text: |
      Informar o bairro nos recados do grupo.
      Não dizer "vou mandar um técnico", mas sim "vou encaminhar ao setor responsável".
  cidades:
    text: "Cidade de Taquaruçu do Norte e o distrito de Vila Sapucaia."
  contato:
    text: |
      TELEFONE (41) 3555-0202
      Loja: Rua do Ipê, 12 - Centro - Taquaruçu do Norte. Atendimento presencial.
      Suporte técnico: segunda a sexta das 08h às 18h.
  sistemas:
    text: |
      ROTEIRIX
      URL: https://roteirix.jacutinga.example/
      Acesso aos roteadores: pelo Roteirix.
  senha:
    text: |
      Pode informar ao cliente a senha do roteador? Sim, se o roteador estiver no Roteirix.
  porta:
    text: "Roteador Zyxo: porta 8181. Demais equipamentos: apenas liberar o acesso remoto."
  setores:
    text: |
      SETORES PARA TRANSFERÊNCIA:
      Mudança de endereço: Comercial (loja do Centro)
      Cancelamento: Núcleo Safira
      Contratações: setor de vendas, pelo canal digital
      Suspensão temporária: de 30 a 90 dias, transferir para o Núcleo Safira.
      Faturas em atraso: até 2 em atraso pode liberar, mais que isso encaminhar ao financeiro.
  cancelamento:
    text: "Cancelamento: Núcleo Safira"
  financeiro:
    text: |
      Suspensão temporária: de 30 a 90 dias, transferir para o Núcleo Safira.
      A cobrança é pré-paga: a fatura do dia 20 cobre o mês seguinte.
  contratacao:
    text: "Novos clientes: transferir ao setor de vendas."
  reset:
    text: "Reset feito pelo cliente: taxa de R$ 45,00 para reconfigurar."
  prazo:
    text: "Prazo do suporte: até 48 horas. O agendamento do técnico é feito pelo suporte."
  n2:
    text: "Cliente que insiste na visita mesmo com a conexão normal: abrir N2."
  dns: "Primário 10.7.7.1 / Secundário 10.7.7.2"
equipment:
  - model: "Roteador Zyxo"
    aliases: ["Zyxo"]
    kind: roteador
    login: "admin"
    passwords: ["zyxo2026"]
    port: "8181"
  - model: "ONU Kestrel K9"
    aliases: ["Kestrel K9"]
    kind: ONU
    login: "root"
    passwords: ["kestrel99"]
    port: null
    notes: ["*Liberar Acesso Remoto"]
"""


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("jacutinga"), jacutinga=JACUTINGA)


def _seen(reply: Reply) -> tuple[ReplyKind, str | None, str | None]:
    return reply.kind, reply.provider_id, reply.topic_id


def _topic(kb: KB, question: str) -> tuple[str | None, str | None]:
    reply = answer(kb, question)
    return reply.provider_id, reply.topic_id


# --------------------------------------------------------------------------- equipment


def test_a_port_typed_beside_a_model_asks_the_ports(six: KB) -> None:
    """ "tp link é na 8080?" answered the passwords' table: a model named is itself about
    access, so its ISP's port typed beside it is the ports' question."""
    assert _topic(six, "zyxo é na 8181?") == ("jacutinga", "porta")
    assert _topic(six, "o zyxo eh na 8181 mesmo?") == ("jacutinga", "porta")
    assert _topic(six, "zyxo na 8181 qual a senha?") == ("jacutinga", "senha")


def test_what_a_models_own_row_says_is_its_row(six: KB) -> None:
    """The words a topic's keywords matched ("acesso remoto", "liberar") written in the named
    model's row, which has no port: the row (the passwords' table) answers."""
    reply = answer(six, "kestrel k9 nao entra, precisa liberar acesso remoto?")
    assert _seen(reply) == (ReplyKind.ANSWER, "jacutinga", "senha")
    assert "Liberar Acesso Remoto" in to_plain(reply)
    # A model with a port of its own keeps the ports' answer.
    assert _topic(six, "o zyxo precisa de acesso remoto?") == ("jacutinga", "porta")


# --------------------------------------------------------------------------- context names


def test_a_name_the_favourites_answer_writes_confirms_it(six: KB) -> None:
    """A system's name beside a password asked: the passwords' answer writes the name too
    ("se o roteador estiver no Roteirix"), so the name confirms it; the login *of* the
    system is still the system's."""
    reply = answer(six, "o cliente viu no roteirix, posso passar a senha do wifi?")
    assert _seen(reply) == (ReplyKind.ANSWER, "jacutinga", "senha")
    assert _topic(six, "cliente pediu a senha do roteador, esta no roteirix") == (
        "jacutinga",
        "senha",
    )


def test_the_real_kbs_system_beside_the_wifis_password_is_the_passwords() -> None:
    assert _topic(REAL, "o cliente viu no flashman, pode passar a senha do wifi?") == (
        "mutum",
        "senha",
    )
    assert _topic(REAL, "qual a senha do flashman?") == ("mutum", "sistemas")


def test_a_name_written_under_several_topics_is_the_one_holding_all_its_lines(six: KB) -> None:
    """Nothing else asked: the topic whose lines naming the sector include every other
    topic's (the sectors' table lists each case sent there)."""
    assert _topic(six, "o q vai pro nucleo safira?") == ("jacutinga", "setores")
    assert _topic(six, "nucleo safira?") == ("jacutinga", "setores")
    # Asked with a keyword, the keyword's topic.
    assert _topic(six, "cancelamento vai pro nucleo safira?")[1] in {"cancelamento", "setores"}


@pytest.mark.parametrize(
    "question",
    [
        "taquaruçu do norte tem provedor nosso? qual?",
        "cliente de taquarucu do norte, quem eh?",
        "vila sapucaia tem algum provedor da gente?",
    ],
)
def test_who_serves_said_other_ways(six: KB, question: str) -> None:
    reply = answer(six, question)
    assert _seen(reply) == (ReplyKind.ANSWER, "jacutinga", "cidades")


@pytest.mark.parametrize(
    "question",
    [
        "caraguatatuba tem algum provedor nosso? qual seria?",
        "cliente mora em caraguatatuba, quem é?",
    ],
)
def test_who_serves_a_place_the_contacts_also_write(question: str) -> None:
    """Caraguatatuba is in Seja Fibra's cities and its contacts: asked whose it is, the cities
    (it answered the contacts)."""
    assert _topic(REAL, question) == ("sejafibra", "cidades")


# --------------------------------------------------------------------------- what is asked


def test_the_wording_an_isp_prescribes_is_its_guidance(six: KB) -> None:
    """ "como falo pro cliente que vou mandar o técnico?": the ISP's guidance quotes the words
    to use; the technician is what is told, not what is asked."""
    reply = answer(six, "como eu falo pro cliente da jacutinga que vou mandar o tecnico?")
    assert _seen(reply) == (ReplyKind.ANSWER, "jacutinga", "orientacoes")
    assert "vou encaminhar ao setor responsável" in to_plain(reply)
    # An ISP whose guidance quotes nothing keeps the topic asked.
    mutum = answer(REAL, "mutum posso falar pro cliente que o prazo e 24 horas uteis?")
    assert mutum.topic_id == "prazo"


@pytest.mark.parametrize(
    "question",
    [
        "jacutinga, cliente falou que vai pra concorrente",
        "jacutinga: cli vai embora pra outra operadora se nao resolver",
        "jacutinga cliente disse que vai pra concorrencia",
    ],
)
def test_leaving_for_a_competitor_is_the_cancellation(six: KB, question: str) -> None:
    assert _topic(six, question) == ("jacutinga", "cancelamento")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("jacutinga: a cunhada do cliente quer por internet tambem", "contratacao"),
        ("jacutinga, vizinho quer botar internet", "contratacao"),
        ("cliente jacutinga pediu o acesso admin do roteador", "senha"),
        ("jacutinga cliente mexeu no modem e apagou tudo, cobra?", "reset"),
        ("jacutinga: cliente acha que esta pagando adiantado", "financeiro"),
        ("jacutinga quem marca o horario do tecnico?", "prazo"),
        ("jacutinga: cliente so sossega com alguem aqui, mesmo tudo ok", "n2"),
    ],
)
def test_things_said_as_anyone_says_them(six: KB, question: str, topic: str) -> None:
    assert _topic(six, question) == ("jacutinga", topic)


def test_the_same_words_elsewhere_keep_their_topics(six: KB) -> None:
    """The new readings stay where they belong: another room is a new point, not a contract;
    a customer from another company who wants to sign up is no cancellation."""
    assert _topic(REAL, "mutum cliente quer uma internet no outro comodo da casa") == (
        "mutum",
        "mudanca",
    )
    assert _topic(six, "jacutinga: cliente veio da concorrente e quer contratar") == (
        "jacutinga",
        "contratacao",
    )


# --------------------------------------------------------------------------- through Telegram


@pytest.fixture
async def tg(settings: Settings, six: KB) -> AsyncIterator[Harness]:
    async for harness in running(settings, six, FakeTelegram()):
        yield harness


async def test_the_topic_asked_through_telegram(tg: Harness) -> None:
    chat = private_chat(AGENT)
    port = shown(await tg.say(chat, AGENT, "zyxo é na 8181?"))
    assert "Jacutinga Telecom › Porta de acesso aos roteadores" in port
    sectors = shown(await tg.say(chat, AGENT, "o q vai pro nucleo safira?"))
    assert "Jacutinga Telecom › Setores para transferência" in sectors
    wording = shown(
        await tg.say(chat, AGENT, "como falo pro cliente da jacutinga que vou mandar o tecnico?")
    )
    assert "Jacutinga Telecom › Orientações gerais" in wording
