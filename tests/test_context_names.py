"""The ISP named by context, the names part: prices, a typo in a word of a multiword name, a
product's name with its number, a numbered neighbourhood after a class noun, hosts written with
"www." -- on a made-up ISP added to a copy of the real KB (bench/context_recall.py measures the
same on the real KB's clues)."""

from __future__ import annotations

import pytest
from conftest import real_kb_with, shared_real_kb

from bot.answers.core import answer
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB
from bot.reading.context import context_index
from bot.reading.reader import read

REAL = shared_real_kb()

MADE_UP = """\
id: piracema
name: Piracema Link
timezone: America/Sao_Paulo
state: SP
systems: [SGP]
reviewed: 2026-11-30
topics:
  planos:
    text: |
      Plano 300MB R$ 119,90
      Ponto extra R$ 18,00 por mês.
  tecnologias: "Fibra, Cursos360 (plataforma de cursos), Revista Digital"
  cidades: "Vila Quaresmeira, Jardim Primavera, Morada Dourada e Bairro Palmeiras 3"
  velocidade: "Medir em https://www.medidorpiracema.com.br/teste"
  sistemas:
    text: |
      Sistema: acesso com a senha Piracema2026 no painel.
"""


@pytest.fixture(scope="module")
def pira(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("pira"), piracema=MADE_UP)


def _owners(kb: KB, question: str) -> set[str]:
    return set(read(kb, question).context_providers)


@pytest.mark.parametrize(
    "question",
    [
        "cliente do plano de 119,90 quer trocar",
        "plano de R$ 119.90 tem fidelidade?",
        "cli paga 120 reais por mes, ta certo?",  # whole reais, rounded up as agents say it
        "o ponto extra custa 18 reais?",
    ],
)
def test_a_price_only_one_isp_writes_names_it(pira: KB, question: str) -> None:
    assert _owners(pira, question) == {"piracema"}


@pytest.mark.parametrize(
    "question",
    [
        "a loja abre 18:00?",  # a time, no price: no cue before it, no "reais" after
        "cliente com 350 reais de debito",  # a price no document writes
        "cli do 119 90 sem internet",  # two numbers, no cue: no price
    ],
)
def test_a_number_that_is_no_price_of_a_document_names_no_one(pira: KB, question: str) -> None:
    assert _owners(pira, question) == set()


def test_a_price_is_no_speed_and_a_rounded_price_two_isps_write_asks_between_them() -> None:
    # "plano de 50" alone is LaserNet's 50MB; "50 reais" is LaserNet's 49,90 or VM NET's 50,00.
    assert _owners(REAL, "cliente do plano de 50 reais sem internet") == {"lasernet", "vmnet"}
    reply = answer(REAL, "cliente do plano de 50 reais sem internet")
    assert reply.provider_id is None
    assert _owners(REAL, "cliente quer o plano de 99,90, qual a velocidade?") == {"lasernet"}


@pytest.mark.parametrize(
    "question",
    [
        "cliente do jardim primavra sem sinal",  # one letter dropped
        "cliente do jardim pirmavera sem sinal",  # two letters swapped
        "cliente da morada dourda sem internet",
    ],
)
def test_a_typo_in_one_word_of_a_multiword_place_still_names_its_isp(
    pira: KB, question: str
) -> None:
    # "primavera", "dourada" are common words, no names alone: only the whole name finds them.
    assert _owners(pira, question) == {"piracema"}


@pytest.mark.parametrize(
    "question",
    [
        "cliente da vila dourda sem sinal",  # the other word is not the name's
        "cliente da primavra sem sinal",  # the misspelt common word alone
        "cliente do jardim primeira sem sinal",  # a word the KB uses is no typo
        "cliente quer mudar a data de venciment",  # an ordinary phrase misspelt is no name
    ],
)
def test_a_typo_names_no_one_unless_the_rest_of_the_name_is_typed_right(
    pira: KB, question: str
) -> None:
    assert _owners(pira, question) == set()


def test_a_products_name_with_its_number_is_a_name_but_an_isps_own_is_not(pira: KB) -> None:
    assert _owners(pira, "o cursos360 do cliente nao abre") == {"piracema"}
    assert _owners(pira, "o cursos 360 do cliente nao abre") == {"piracema"}
    names = context_index(pira).names
    assert "piracema2026" not in names  # the ISP's name with a number: a password


def test_a_numbered_neighbourhoods_word_after_a_class_noun_names_its_isp(pira: KB) -> None:
    # "Palmeiras" alone is a common word (a team): a name only after "loja", "bairro"...
    assert _owners(pira, "a loja do palmeiras abre sabado?") == {"piracema"}
    assert _owners(pira, "cliente do bairro palmeiras sem sinal") == {"piracema"}
    assert _owners(pira, "cliente torce pro palmeiras e ta sem sinal") == set()


def test_a_host_written_with_www_names_its_isp_and_is_shared_like_one_without() -> None:
    # LaserNet writes "https://www.speedtest.net/pt", Mutum "speedtest.net": both, never one.
    assert _owners(REAL, "cliente pode medir no speedtest.net?") == {"lasernet", "mutum"}


def test_a_host_only_one_isp_writes_in_an_address_names_it(pira: KB) -> None:
    assert _owners(pira, "cliente entrou no medidorpiracema.com.br e deu lento") == {"piracema"}


def test_who_serves_a_place_whose_name_holds_the_isps_is_that_isps_coverage() -> None:
    reply = answer(REAL, "quem atende nova mutum?")
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "mutum", "cidades")
    # No place named: the ISP's name and "atende" are a question about the ISP, as before.
    reply = answer(REAL, "a gente atende vm net terca 14h?")
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "vmnet", "horario")


def test_who_serves_a_place_typed_with_eh_for_e() -> None:
    reply = answer(REAL, "caraguatatuba eh de quem?")  # was Seja Fibra's contacts
    assert (reply.provider_id, reply.topic_id) == ("sejafibra", "cidades")


def test_a_system_an_isp_lists_is_its_too_though_no_text_writes_it(pira: KB) -> None:
    # LaserNet's texts write SGP; Piracema only lists it under ``systems``: both, never one.
    assert _owners(REAL, "cliente no sgp nao aparece") == {"lasernet"}
    assert _owners(pira, "cliente no sgp nao aparece") == {"lasernet", "piracema"}


@pytest.mark.parametrize(
    ("question", "owners"),
    [
        # A state's name is every ISP's in that state, not only the documents' that write it.
        ("cliente esta em sao paulo viajando, sem net em casa", {"vmnet", "sejafibra"}),
        # ... but a longer name of one ISP with a word misspelt is read whole, first.
        ("cli do resideciais sao paulo quer saber o dns", {"vmnet"}),
        # A place after a street's kind is a street's name, found in any city.
        ("cliente mora na rua barroso", set()),
        ("endereco av. barroso 300, atende?", set()),
        ("cliente do barroso quer mudar de endereco", {"lasernet"}),
        # A part of a longer place made of a kind and an everyday word names no one...
        ("bairro vila maria, tem fibra?", set()),
        ("cliente da vila maria baixa quer assinar um plano", {"vmnet"}),
        # ... a rarer word keeps it ("Rita" 4.3: Santa Rita do Trivelato, Mutum Fibra's town).
        ("cliente de sta rita sem internet abre n2?", {"mutum"}),
    ],
)
def test_a_common_place_name_names_no_isp_alone(question: str, owners: set[str]) -> None:
    assert _owners(REAL, question) == owners


def test_an_everyday_part_of_a_made_up_place_names_no_one(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A made-up ISP serving "Jardim América do Sul" and the state of Tocantins: "jardim america"
    (a kind and an everyday word) is in every city, the whole name is its; "rua tocantins" is
    a street; Tocantins alone is the ISP's state."""
    kb = real_kb_with(
        tmp_path_factory.mktemp("sul"),
        sulnet="id: sulnet\nname: Quorvatel Sul\ntimezone: America/Araguaina\nstate: TO\n"
        'reviewed: 2026-11-30\ntopics:\n  cidades: "Jardim América do Sul e Palmas"\n',
    )
    assert _owners(kb, "cliente do jardim america sem sinal") == set()
    assert _owners(kb, "cliente do jardim america do sul sem sinal") == {"sulnet"}
    assert _owners(kb, "cliente de tocantins sem sinal") == {"sulnet"}
    assert _owners(kb, "cliente mora na rua tocantins, sem sinal") == set()


@pytest.mark.parametrize(
    "question",
    [
        # VM NET's equipment answer writes "TPLINK 300MBPS": a router's rating, no plan's.
        "o roteador suporta 300 mega?",
        "contratou 300 mega e chega 100, abro os?",
    ],
)
def test_a_routers_rated_speed_names_no_isp(question: str) -> None:
    assert _owners(REAL, question) == set()


@pytest.mark.parametrize(
    ("question", "owners"),
    [
        ("qto custa o plano de 400 mega?", {"lasernet"}),  # a plan's speed
        ("camera na porta 8010 usuario admin nao entra", {"mutum"}),  # a port of one document
        ("o dns 143.202.80.56 ta fora?", {"mutum"}),  # an ISP's own server
    ],
)
def test_an_isps_own_speeds_ports_and_servers_still_name_it(
    question: str, owners: set[str]
) -> None:
    assert _owners(REAL, question) == owners


QUIXA = (
    "id: quixanet\nname: Quixa Net\ntimezone: America/Fortaleza\nstate: CE\n"
    'reviewed: 2026-11-30\ntopics:\n  cidades: "Quixelô, Bairro Marapé e Vila Tabuinha"\n'
)


@pytest.fixture(scope="module")
def quixa(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("quixa"), quixanet=QUIXA)


@pytest.mark.parametrize(
    "question",
    [
        "o sr. Quixelô ligou",
        "dona Marapé pediu a segunda via",
        "seu João Quixelô quer saber do boleto",  # a first name between
        "a Dra. Tabuinha ligou sem internet",
        "supermercado Quixelô sem internet",  # a business named after the place
        "Quixelô Materiais ligou, sem internet",
    ],
)
def test_a_places_name_after_a_title_or_as_a_business_names_no_isp(
    quixa: KB, question: str
) -> None:
    """Session 9's review, finding 5: "o sr. Barroso ligou" answered LaserNet (Barroso is a
    neighbourhood it serves): a title before a name makes it a person's, a business word beside
    it a company's; neither is where the customer lives, nor a word to search for."""
    reading = read(quixa, question)
    assert reading.context_providers == set(), question
    assert answer(quixa, question).provider_id is None, question


@pytest.mark.parametrize(
    "question",
    [
        "cliente de Quixelô sem internet",
        "mora em Marapé, sem sinal",
        "seu João de Quixelô sem internet",  # a title's reach ends at "de": where he lives
        "loja do Marapé abre sábado?",
    ],
)
def test_a_place_read_as_a_place_still_names_its_isp(quixa: KB, question: str) -> None:
    assert read(quixa, question).context_providers == {"quixanet"}, question


def test_the_real_kb_person_named_like_a_place_names_no_isp() -> None:
    for question in ("o sr. Barroso ligou", "seu Barroso quer saber do boleto"):
        reply = answer(REAL, question)
        assert reply.provider_id is None, question
    assert answer(REAL, "cliente do barroso quer o boleto").provider_id == "lasernet"
