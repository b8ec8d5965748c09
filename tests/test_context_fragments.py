"""Clues typed as fragments (bot/reading/context.py, bot/reading/reader.py): an IP typed partly, a
phone by its last four digits, a street without its kind, a model code without its last letter,
a name with a word glued after it. Made-up wording on a made-up sixth ISP (derived from the KB,
no code change), the real KB's own, and one question through the Telegram handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest import make_settings, real_kb_with, shared_real_kb
from harness import Harness, running

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB
from bot.reading.context import dotted_numbers
from bot.reading.reader import read
from bot.reading.text import normalize
from fake_bot_api import AGENT, GROUP, MEMBER, FakeTelegram, plain_text

REAL = shared_real_kb()

FRAGMENTS = """\
id: fragnet
name: Frag Net
timezone: America/Sao_Paulo
state: SC
reviewed: 2026-11-30
topics:
  dns:
    text: "DNS primário 188.214.97.61 e secundário 188.214.97.62"
  contato:
    text: |
      Loja: Rua Gervásio Tavares, 120 - Centro.
      Telefone (47) 3512-6390; WhatsApp (47) 99123-8077.
      E-mail suporte@quorvatel.com.br; central do assinante em central.quorvatel.com.br
      Problemas na loja: falar com João ou com Adenilson.
  tecnologias:
    text: "O app Zuplivo traz os canais ao vivo."
  sistemas:
    text: "Cadastro no HubSoft; as ONUs são geridas pelo SmartOLT."
  senha:
    text: "Senha do roteador na etiqueta."
equipment:
  - {model: ZX-4410K, login: admin, passwords: ["Qv4410secret"], port: "8443"}
  - {model: AC12X, login: admin, passwords: ["Qv12secret"], port: "8443"}
  - {model: MR30X, login: admin, passwords: ["Qv30secret"], port: "8443"}
"""
PASSWORD = "Qv4410secret"


@pytest.fixture(scope="module")
def frag(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("frag"), fragnet=FRAGMENTS)


def _owners(kb: KB, question: str) -> set[str]:
    return set(read(kb, question).context_providers)


# --------------------------------------------------------------------------- IP addresses


def test_dotted_numbers_are_found_at_their_word_positions() -> None:
    text = "o 80.56 e ip .57 e 143.202.80 e 99,90"
    words = normalize(text).split()
    runs = dotted_numbers(text)
    assert [(words[s:e], lead) for s, e, lead in runs] == [
        (["80", "56"], False),
        (["57"], True),
        (["143", "202", "80"], False),
    ]


@pytest.mark.parametrize(
    "question",
    [
        "cliente do 188.214 sem internet",  # the first octets
        "o 97.61 nao responde",  # the last two
        "ip .62 caiu, e agora?",  # the last octet after a dot
        "o ip final 62 caiu",  # the last octet told in words
        "dns terminado em 61 nao responde",
        "dns 188.214.97 nao resolve",  # three octets
        "http://188.214.97.61:8080 nao abre",  # inside a URL, with a port
    ],
)
def test_an_ip_typed_partly_names_its_isp(frag: KB, question: str) -> None:
    assert _owners(frag, question) == {"fragnet"}


@pytest.mark.parametrize(
    "question",
    [
        "dia 12.3 o cliente ficou sem internet",  # a date: one-digit octet
        "versao 1.1 do app",  # a version
        "o cliente tem 97 61 anos?",  # no dots: numbers, not an IP
        "ip .6 caiu",  # one digit after a dot says nothing
        "final 61 do mes o cliente paga",  # an ending's word without an IP's word
    ],
)
def test_numbers_that_are_no_ip_part_name_no_one(frag: KB, question: str) -> None:
    assert "fragnet" not in _owners(frag, question)


def test_an_ip_part_two_isps_write_narrows_to_those_two() -> None:
    # LaserNet (170.82.44.x) and NETCENTER (170.82.12.x) share the first two octets.
    assert _owners(REAL, "cliente do 170.82 sem internet") == {"lasernet", "netcenter"}
    assert _owners(REAL, "cliente do 170.82.44 sem internet") == {"lasernet"}
    reply = answer(REAL, "o 80.56 nao responde, qual o dns?")
    assert reply.provider_id == "mutum" and "80.56 → Mutum Fibra" in to_plain(reply)


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "question",
    [
        "cliente ligou do 6390, qual o dns?",
        "numero final 6390 sem internet",
        "o whats terminado em 8077 nao responde",  # VM NET's phone ends so too: both
    ],
)
def test_a_phone_s_last_four_digits_after_a_phone_word_name_its_isp(
    frag: KB, question: str
) -> None:
    owners = _owners(frag, question)
    assert "fragnet" in owners and owners <= {"fragnet", "vmnet"}
    if "8077" in question:
        assert owners == {"fragnet", "vmnet"}  # shared: narrows to the two, picks neither


def test_four_digits_without_a_phone_word_name_no_one(frag: KB) -> None:
    assert _owners(frag, "tem 6390 clientes na fila") == set()
    assert _owners(frag, "cliente paga 6390 por ano?") == set()
    # The end of another phone (the customer's) is no tail of ours.
    assert _owners(frag, "cliente pediu pra ligar no (11) 98765 6390") == set()


@pytest.mark.parametrize(
    "question",
    [
        "+55 47 3512-6390 qual o dns",
        "(47) 9 9123-8077 qual o dns",  # the mobile's 9 apart
        "whatsapp 99123 8077 qual o dns",  # a space for the dash
    ],
)
def test_a_phone_typed_with_country_code_or_spaces_names_its_isp(frag: KB, question: str) -> None:
    assert _owners(frag, question) == {"fragnet"}


def test_a_phone_s_area_code_and_first_four_digits_name_its_isp(frag: KB) -> None:
    # "(47) 3512-…": the exchange's prefix after the area code and a phone's word.
    assert _owners(frag, "cliente ligou do (47)3512 pedindo o endereço") == {"fragnet"}
    assert _owners(frag, "ligou do 47 3512, qual o dns?") == {"fragnet"}
    # Without the area code or without a phone's word, four digits are anything.
    assert _owners(frag, "cliente ligou do 3512") == set()
    assert _owners(frag, "47 3512 clientes na fila") == set()


def test_another_area_code_or_a_whole_other_phone_is_no_isp_s_prefix(frag: KB) -> None:
    # Review 8: the exchange's four digits are the ISP's only under its own area code ("(11)
    # 3512-..." is a São Paulo phone), and only while the rest is not typed: "(47) 3512-0000" is
    # another phone of that exchange (the customer's), not the ISP's.
    assert _owners(frag, "cliente ligou do (11) 3512-0000, sem internet") == set()
    assert _owners(frag, "ligou do 21 3512, qual o dns?") == set()
    assert _owners(frag, "cliente ligou do (47) 3512-0000, sem internet") == set()


# --------------------------------------------------------------------------- hosts, streets, people


@pytest.mark.parametrize(
    "question",
    [
        "o site da central.quorvatel nao abre",
        "cliente nao recebe email do @quorvatel.com.br",
        "quorvatel fora do ar?",
    ],
)
def test_a_host_fragment_names_its_isp(frag: KB, question: str) -> None:
    assert _owners(frag, question) == {"fragnet"}


@pytest.mark.parametrize(
    "question",
    [
        "cliente na gervasio tavares sem internet",  # without "Rua"
        "cliente na Gervásio Tavares sem internet",
        "cliente na gervasio tavres sem internet",  # a typo
    ],
)
def test_a_street_without_its_kind_names_its_isp(frag: KB, question: str) -> None:
    assert _owners(frag, question) == {"fragnet"}


def test_a_rare_first_name_names_its_isp_and_a_common_one_no_one(frag: KB) -> None:
    assert _owners(frag, "o Adenilson da loja atende hoje?") == {"fragnet"}
    assert _owners(frag, "o joao da loja atende hoje?") == set()
    assert _owners(frag, "cliente na rua tavares sem internet") == set()  # one word: no street


# --------------------------------------------------------------------------- systems, models


@pytest.mark.parametrize(
    "question",
    ["o hub soft caiu", "hubsoft fora", "smart olt nao abre", "smartolt 2.0 nao abre"],
)
def test_a_system_typed_apart_together_or_with_a_version_names_its_isp(
    frag: KB, question: str
) -> None:
    assert _owners(frag, question) == {"fragnet"}


def test_a_system_four_isps_use_names_no_one_however_typed() -> None:
    for question in ("ixcsoft nao abre", "o ixc soft caiu", "ixc 2.0 fora"):
        assert _owners(REAL, question) == set()


def test_a_name_with_a_word_glued_after_it_names_its_isp(frag: KB) -> None:
    assert _owners(frag, "zuplivoapp nao abre") == {"fragnet"}
    assert _owners(REAL, "sgpsoft nao abre") == {"lasernet"}
    # A Portuguese word that starts with a name is that word ("bahiano": NETCENTER's state).
    assert _owners(REAL, "cliente bahiano sem internet") == set()


@pytest.mark.parametrize("typed", ["zx4410k", "zx 4410k", "zx4410", "zx 4410", "ZX-4410"])
def test_a_model_typed_loosely_names_its_isp(frag: KB, typed: str) -> None:
    reply = answer(frag, f"senha do {typed}")
    assert reply.provider_id == "fragnet"


def test_a_whole_model_name_beats_another_isp_s_code_without_its_last_letter(frag: KB) -> None:
    # Seja Fibra's row has the alias "MR30"; Frag Net's MR30X typed "mr30" would be that code
    # without its last letter: the whole name wins.
    assert answer(frag, "senha do mr30").provider_id == "sejafibra"
    assert answer(frag, "senha do mr30x").provider_id == "fragnet"
    # Seja Fibra's AC12G and Frag Net's AC12X both typed "ac12": asks between the two.
    reply = answer(frag, "senha do ac12")
    assert reply.kind is ReplyKind.CHOICE and reply.provider_id is None
    assert "Frag Net (fragnet), Seja Fibra (sejafibra)" in to_plain(reply)


# --------------------------------------------------------------------------- safety


def test_a_question_naming_an_isp_is_never_answered_with_a_fragment_s_isp(frag: KB) -> None:
    for question in ("mutum, o ip .61 caiu", "laser: cliente ligou do 6390, qual o dns?"):
        reply = answer(frag, question)
        assert reply.provider_id in {"mutum", "lasernet"}
        assert "Frag Net" not in to_plain(reply)


def test_the_why_line_quotes_the_fragment_never_a_password(frag: KB) -> None:
    # The reply is the password table (asked for); the line saying why quotes the phone.
    reply = answer(frag, "cliente ligou do 6390, qual a senha do roteador?")
    [why] = [line for line in to_plain(reply).splitlines() if "→ Frag Net" in line]
    assert reply.provider_id == "fragnet" and why == "(…6390 → Frag Net)"
    assert PASSWORD not in why and "4410" not in why


# --------------------------------------------------------------------------- Telegram


@pytest.fixture
async def tg(frag: KB) -> AsyncIterator[Harness]:
    api = FakeTelegram()
    api.members[(GROUP["id"], MEMBER["id"])] = "member"
    async for harness in running(make_settings(), frag, api):
        yield harness


@pytest.mark.parametrize(
    ("text", "fact", "why"),
    [
        ("o cliente do 188.214 nao navega, qual o dns?", "188.214.97.61", "188.214"),
        ("o ip final 62 nao responde, qual o dns?", "188.214.97.62", ".62"),
        ("cliente ligou do 6390, qual o dns?", "188.214.97.61", "…6390"),
        ("o site quorvatel nao abre", "central.quorvatel.com.br", "quorvatel"),
        (
            "cliente na gervasio tavares quer o endereco da loja",
            "Gervásio Tavares, 120",
            "Gervásio Tavares",
        ),
        ("o zuplivoapp nao abre", "canais ao vivo", "Zuplivo"),
        ("o hub soft caiu", "Cadastro no HubSoft", "HubSoft"),
        ("senha do zx 4410", "Frag Net › Senha padrão dos equipamentos › ZX-4410K", None),
    ],
)
async def test_a_fragment_through_the_telegram_handlers(
    tg: Harness, text: str, fact: str, why: str | None
) -> None:
    [sent] = await tg.say(GROUP, AGENT, f"@UpcallBot {text}")
    shown = plain_text(sent["text"], sent.get("parse_mode"))
    assert fact in shown
    if why is not None:  # a model names its ISP as a name does: no line saying why
        assert f"{why} → Frag Net" in shown


QUIVELO = """\
id: quivelo
name: Quivelo
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  velocidade:
    text: "Teste de velocidade: https://www.speedtest.net/es"
"""


def test_a_hosts_page_names_the_document_that_gives_it(tmp_path: Path) -> None:
    # LaserNet gives speedtest.net/pt, Mutum speedtest.net, the made-up ISP speedtest.net/es.
    kb = real_kb_with(tmp_path, quivelo=QUIVELO)
    page = answer(kb, "mando o teste no speedtest.net/es?")
    assert (page.kind, page.provider_id, page.topic_id) == (
        ReplyKind.ANSWER,
        "quivelo",
        "velocidade",
    )
    assert "speedtest.net/es → Quivelo" in to_plain(page)
    assert read(kb, "o teste no speedtest.net/pt deu 30").context_providers == {"lasernet"}
    # The host alone is three ISPs': it names no one.
    assert not read(kb, "o teste no speedtest.net deu 30").context_providers
