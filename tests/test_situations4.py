"""A situation told in other words, the ISP named (session 9, branch `situations`): the
verb's other forms (an intention said with any verb, the first person, its past), a keyword's
customer said as a pronoun, a word made small, going over to another company, how to put a
thing to the customer, a cable taken to a device, insisting said as a phrase, the connection
"funcionando" (no sector asked about).

Made-up wording on a made-up ISP (docs/reader.md §2, round 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import real_kb_with, shared_real_kb

from bot.answers import clock
from bot.answers.core import agents_words, answer
from bot.answers.render import to_plain
from bot.knowledge.kb import KB
from bot.reading.reader import (
    as_the_keywords_say,
    diminutive_base,
    keyword_matches,
    leaves_for_another,
    wording_asked,
)

REAL = shared_real_kb()
MORNING = dt.datetime(2026, 12, 2, 10, 0)

CAJUINA = """\
id: cajuina
name: Cajuína Net
aliases: [Cajuina]
timezone: America/Fortaleza
state: PI
reviewed: 2026-11-30
topics:
  cancelamento:
    text: "Cancelamento: oferecer retenção e abrir ocorrência para o setor de Retenção."
  contratacao:
    text: "Novos clientes: anotar nome, telefone e endereço e mandar no grupo de vendas."
  orientacoes:
    text: |
      Nunca dizer ao cliente "chamado", dizer "solicitação registrada".
      Registrar todos os contatos no sistema.
  sistemas:
    text: "Localizar o cliente no ERP Caju pelo CPF, pelo login PPPoE ou pelo MAC."
  n2:
    text: |
      Sem solução no primeiro contato: abrir OS para o N2.
      Luzes todas piscando: tratar como sem conexão.
      Cliente que insistir na visita mesmo com tudo normal: abrir OS para o N3.
  visita:
    text: "Visita técnica sem custo; com mau uso, taxa de R$ 70."
  mudanca:
    text: "Troca de cômodo e cabeamento interno: R$ 30, agendar com o técnico."
  tv:
    text: "App Caju TV nas smart TVs Samsung e LG."
  repetidor:
    text: "Repetidor em comodato nos planos de 600 mega; aparelhos do cliente sem suporte."
  plantao:
    text: "Plantão aos domingos para quedas de bairro."
  contato:
    text: "Loja: Rua das Carnaúbas, 12 - das 08h às 18h."
"""


@pytest.fixture(scope="module")
def cajuina(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("cajuina"), cajuina=CAJUINA)


def _w(text: str) -> list[str]:
    return text.split()


def _topic(kb: KB, question: str) -> str | None:
    reply = answer(kb, question, MORNING)
    assert reply.provider_id == "cajuina", question
    return reply.topic_id


# ---------------------------------------------------------------- words read


def test_an_intention_said_with_any_verb_is_the_keywords_wish() -> None:
    said = as_the_keywords_say(REAL, _w("cliente ameacando sair"))
    assert said == ["cliente", "quer", "sair"]
    # the link word moves before the wish: "pensando em sair" reads "em quer sair"
    assert as_the_keywords_say(REAL, _w("pensando em sair")) == ["em", "quer", "sair"]
    # only what a keyword writes after "quer": "vai viajar" keeps its own keyword
    assert as_the_keywords_say(REAL, _w("vai viajar")) == ["vai", "viajar"]
    assert as_the_keywords_say(REAL, _w("vai amanha")) == ["vai", "amanha"]


def test_the_first_person_is_the_verb_a_keyword_writes() -> None:
    assert as_the_keywords_say(REAL, _w("como localizo ela"))[1] == "localizar"
    assert as_the_keywords_say(REAL, _w("nao resolvi ainda"))[1] == "resolveu"
    # "-o" is a verb only after "como"/"onde": "o cabo" is no form of a verb
    assert as_the_keywords_say(REAL, _w("puxo o cabo"))[0] == "puxo"


def test_a_word_made_small_is_the_word() -> None:
    assert diminutive_base(REAL, "luzinhas") == "luzes"
    assert diminutive_base(REAL, "roteadorzinho") == "roteador"
    assert diminutive_base(REAL, "cabinho") == "cabo"
    for word in ("vizinho", "cozinha", "caminho", "sozinho"):
        assert diminutive_base(REAL, word) is None, word


def test_going_over_to_another_company() -> None:
    assert leaves_for_another(_w("disse que vai pra outra operadora"))
    assert leaves_for_another(_w("quer mudar para outro provedor"))
    assert not leaves_for_another(_w("cliente de outra empresa quer contratar"))


def test_how_to_put_it_to_the_customer() -> None:
    assert wording_asked(_w("posso falar pro cliente que o tecnico vai"))
    assert wording_asked(_w("como eu explico ao cliente a demora"))
    assert not wording_asked(_w("posso falar com o supervisor"))


def test_the_connection_working_asks_no_sector_now() -> None:
    assert not clock.asks_now("quer técnico mesmo com a internet funcionando")
    assert clock.asks_now("o financeiro está funcionando?")


# ---------------------------------------------------------------- the topic found


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # an intention, any verb
        ("cajuina o cliente tá pensando em sair, cansou das quedas", "cancelamento"),
        ("cajuina cliente decidiu cancelar, o que faço", "cancelamento"),
        ("cajuina a assinante falou que vai pra outra operadora mês que vem", "cancelamento"),
        # someone wanting the service
        ("cajuina a sogra do cliente quer instalar internet, com quem falo?", "contratacao"),
        # how to put it to the customer
        ("cajuina posso falar pro assinante que abri um chamado?", "orientacoes"),
        # the first person, a pronoun for the customer
        ("cajuina o assinante não lembra o login, como localizo ele?", "sistemas"),
        ("cajuina não resolvi pelo telefone, e agora?", "n2"),
        # a word made small
        ("cajuina o modem tá com todas as luzinhas piscando", "n2"),
        # a cable taken to a device
        ("cajuina o cliente quer passar um fio até o computador do escritório", "mudanca"),
        ("cajuina cliente pediu pra puxar cabo pra smart tv", "mudanca"),
        # insisting said as a phrase, the connection working
        ("cajuina cliente quer visita a todo custo, mesmo com a internet funcionando", "n2"),
        # everyday words of the catalogue
        ("cajuina caiu a rua inteira, tem plantão?", "plantao"),
        ("cajuina a cliente comprou um aparelho pra aumentar o wifi", "repetidor"),
    ],
)
def test_a_situation_told_in_other_words(cajuina: KB, question: str, topic: str) -> None:
    assert _topic(cajuina, question) == topic


def test_the_words_it_should_not_take(cajuina: KB) -> None:
    # "a TV" named on its own is still the TV
    assert _topic(cajuina, "cajuina o app da smart tv não abre") == "tv"
    # a customer coming from another company is hiring, not leaving
    assert _topic(cajuina, "cajuina cliente de outra empresa quer contratar") == "contratacao"
    # the wifi wanted in a room stays the repeaters'
    assert _topic(cajuina, "cajuina cliente quer ter internet no quarto dos fundos") == "repetidor"


def test_a_verb_turned_round_only_as_its_participle() -> None:
    found = keyword_matches(REAL, _w("a senha do roteador passo a padrao"), set())[0]
    assert "mudanca" not in found  # "passo" is no "passar o roteador" made an adjective
    found = keyword_matches(REAL, _w("o roteador passado pra sala"), set())[0]
    assert "mudanca" in found


def test_a_clue_echoed_by_two_texts_alike_goes_to_the_keywords_topic() -> None:
    # Mutum's password and visit answers both write "Flashman" and hold the question alike;
    # the password's has a keyword too. It was the order of a set, which changes per process.
    reply = answer(REAL, "o roteador não aparece no flashman, a troca da senha é cobrada?", MORNING)
    assert (reply.provider_id, reply.topic_id) == ("mutum", "senha")


# ---------------------------------------------------------------- a pasted message


def test_the_agents_words_set_apart_after_a_paste() -> None:
    pasted = "boa tarde, minha internet some toda noite e ninguém resolve."
    assert agents_words(f"{pasted}   // agente: abro OS?") == ("abro OS?",)
    assert agents_words(f"cliente escreveu isso: {pasted} --- tem plantão?")[-1] == "tem plantão?"
    assert agents_words(f"{pasted} || mando pro N2?") == ("mando pro N2?",)
    assert agents_words(pasted) == ()  # nothing set apart, nothing marked


TRANSCRIPT = (
    "Cliente: boa noite, sou cliente da vmnet, a internet caiu ontem e ja reiniciei o roteador\n"
    "Agente: boa noite! pode me passar o cpf do titular?\n"
    "Cliente: passo sim. a fatura desse mes eu posso pagar no cartao de credito?\n"
    "Agente: obrigado. qual o melhor horario para a visita tecnica?\n"
)


def test_a_pasted_transcripts_agent_lines_are_not_the_agents_note() -> None:
    """Session 9's review, finding 3: "agente:" anywhere in the last 300 characters was the
    agent's note, so a pasted chat transcript's last "Agente:" line was read as the question
    asked of the bot. Only a note set apart at the end counts."""
    assert agents_words(TRANSCRIPT) == ()
    assert agents_words(TRANSCRIPT + "// agente: cobra visita?") == ("cobra visita?",)
    assert agents_words(TRANSCRIPT + "-- cobra visita?") == ("cobra visita?",)
    # One customer's line labelled, the agent's note after a bar: still the note.
    pasted = "cliente: boa noite, nao consigo entrar na central, da erro. | agente: qual o login?"
    assert agents_words(pasted) == ("qual o login?",)
    assert agents_words("oi, a internet caiu de novo hoje cedo. agente: abro OS?") == ("abro OS?",)


def test_a_pasted_transcript_is_read_for_the_customers_question() -> None:
    reply = answer(REAL, TRANSCRIPT, MORNING)
    said = to_plain(reply)
    assert reply.provider_id == "vmnet" and reply.topic_id == "pagamento", said
    assert "melhor horario" not in said  # the transcript's agent's question, never "the question"
    noted = answer(REAL, TRANSCRIPT + "// agente: cobra visita?", MORNING)
    assert (noted.provider_id, noted.topic_id) == ("vmnet", "visita")


def test_what_to_do_with_the_case_told_is_the_case(cajuina: KB) -> None:
    pasted = (
        "olá, estou muito irritada. a conexão cai toda tarde faz duas semanas, já reclamei 3 "
        "vezes e nada. se não resolverem vou trocar pra outra operadora, já até pesquisei. "
        "meu plano é o de 600. quero uma resposta hoje, aguardo retorno, obrigada."
    )
    reply = answer(cajuina, f"{pasted}   // agente: cajuina, o que faço com esse caso?", MORNING)
    assert (reply.provider_id, reply.topic_id) == ("cajuina", "cancelamento")


def test_a_deal_closed_is_hiring(cajuina: KB) -> None:
    assert _topic(cajuina, "cajuina a moça quer fechar negócio no plano de 600") == "contratacao"
