"""Context clues missed in session 11 (bot/reading/context.py, bot/reading/reader.py,
bot/answers/core.py): a phone told by a toll-free prefix or by its area code and exchange with the
cue after, a state told by its two letters, a place typed by its leading words in a who-serves
question, a product the document itself shortens, an app by its own word, a brand written as a
list's item, no name across a clause's punctuation, a keyword the named equipment's own line
writes, "app" before the ISP's name. Made-up wording on a made-up sixth ISP (derived from the KB,
no code change), the real KB's own, and questions through the Telegram handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from conftest import make_settings, real_kb_with, shared_real_kb
from harness import Harness, running

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB
from bot.reading.reader import read
from bot.reading.resolve import clause_breaks
from fake_bot_api import AGENT, GROUP, MEMBER, FakeTelegram, plain_text

REAL = shared_real_kb()

TRAVENA = """\
id: travena
name: Travena Net
timezone: America/Sao_Paulo
state: PR
reviewed: 2026-11-30
topics:
  cidades:
    text: |
      Bairros: Jardim Solvino, Vila Nova Alta, Parque Orvalhado.
      Filial em Quedas - RO.
  contato:
    text: |
      Loja: Rua das Tílias, 40 - Bairro Lindoia 2
      Central: 0800 771 4422
      Telefone (44) 3521-7788
  dns:
    text: "DNS primário 186.233.12.9"
  tv:
    text: |
      O cliente assiste pelo App Travena Net Play: usuário é o CPF.
      Pacotes: Net Play Básico = R$40, Net Play Top = R$60
  central:
    text: |
      Faturas pelo Aplicativo Travena Net Ouvidor. Pagamentos pelo aplicativo Travena Net Pix.
      Login do App Travena Net Play: o e-mail da central.
  equipamentos:
    text: "ONU BRIDGE: Huawei, Tolmex, Quarta lume"
  senha:
    text: "O cliente vê a senha do wifi pelo App (Travena Net Wifi)."
    notes:
      - "A tabela de senhas é dividida em MATRIZ (roteadores) e FILIAL - RONDÔNIA (Brisa X3)."
equipment:
  - {model: Brisa X3, login: admin, passwords: ["Tv9x3secret"], port: "80"}
"""


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("travena"), travena=TRAVENA)


def _owners(kb: KB, question: str) -> set[str]:
    return set(read(kb, question).context_providers)


def _why(kb: KB, question: str) -> list[str]:
    return [line for line in to_plain(answer(kb, question)).splitlines() if "→" in line]


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "question",
    [
        "o 0800 771 é de qual setor?",  # a toll-free number's prefix and first group
        "cliente ligou no 0800-771, funciona de noite?",  # with a dash
        "o cliente do 44 3521 ligou",  # area code and exchange, the cue after
        "ligou do (44)3521 agora",  # the cue before, as before
    ],
)
def test_a_phone_told_by_its_first_groups_names_its_isp(six: KB, question: str) -> None:
    assert _owners(six, question) == {"travena"}


@pytest.mark.parametrize(
    "question",
    [
        "liga no 0800 771 9999",  # another number of that prefix
        "o cliente do 11 3521 ligou",  # an area code the ISP does not write
        "o cliente do 44 3521 0000 ligou",  # another phone of that exchange
        "cliente do 44 3521 sem internet",  # no phone's word at all
    ],
)
def test_other_numbers_name_no_one(six: KB, question: str) -> None:
    assert "travena" not in _owners(six, question)


def test_a_toll_free_prefix_is_the_why_line_and_the_contacts_answer(six: KB) -> None:
    reply = answer(six, "o 0800 771 é de qual setor?")
    assert reply.provider_id == "travena" and "contato" in {reply.topic_id, *reply.also}
    assert "(0800 771… → Travena Net)" in to_plain(reply)


def test_the_real_kb_toll_free_numbers() -> None:
    assert _owners(REAL, "o 0800 680 atende que horas?") == {"netcenter"}
    assert _owners(REAL, "cliente disse que ligou no 0800 308") == {"mutum"}


# --------------------------------------------------------------------------- states


@pytest.mark.parametrize(
    ("question", "owners"),
    [
        ("cliente de ro sem internet, qual o dns?", {"travena"}),  # "Quedas - RO"
        ("cliente do pr qual o dns", {"travena"}),  # its own state
    ],
)
def test_a_state_typed_by_its_letters_after_cliente_de(
    six: KB, question: str, owners: set[str]
) -> None:
    assert _owners(six, question) == owners


def test_a_state_two_isps_are_in_narrows_to_them() -> None:
    assert _owners(REAL, "cliente de sp sem internet") == {"sejafibra", "vmnet"}
    assert _owners(REAL, "clientes de pe usam qual vpn?") == {"vmnet"}  # "Sertânia - PE"


@pytest.mark.parametrize(
    "question",
    [
        "o pe do cliente ta inchado",  # a word, not after "cliente de"
        "cliente de ma fe quer cancelar",  # no ISP writes MA
        "a mg cobrancas ligou",  # "MG Cobranças": a company, no state written
    ],
)
def test_two_letters_elsewhere_name_no_state(six: KB, question: str) -> None:
    assert not {"travena", "vmnet"} & _owners(six, question)


def test_a_state_is_the_why_line(six: KB) -> None:
    assert _why(six, "cliente de ro sem internet, qual o dns?") == ["(RO → Travena Net)"]


# --------------------------------------------------------------------------- who serves


def test_who_serves_a_place_typed_by_its_leading_words(six: KB) -> None:
    reply = answer(six, "quem cobre vila nova?")
    assert reply.kind is ReplyKind.ANSWER and reply.provider_id == "travena"
    assert "Quem atende Vila Nova Alta" in to_plain(reply)  # the whole place, to judge


def test_a_numbered_place_word_in_a_who_serves_question(six: KB) -> None:
    reply = answer(six, "cliente do lindoia, qual provedor?")
    assert reply.kind is ReplyKind.ANSWER and reply.provider_id == "travena"


def test_leading_words_name_no_one_outside_who_serves(six: KB) -> None:
    # "Vila Nova" is in every city: only the who-serves reply, which shows the whole name.
    assert "travena" not in _owners(six, "cliente da vila nova sem internet")
    assert answer(six, "cliente da vila nova sem internet").provider_id != "travena"


def test_the_real_kb_who_serves_by_leading_words() -> None:
    reply = answer(REAL, "qm atende vila maria?")
    assert reply.provider_id == "vmnet" and "Vila Maria Baixa" in to_plain(reply)


# --------------------------------------------------------------------------- products and apps


def test_a_product_the_document_shortens_names_its_isp(six: KB) -> None:
    # "App Travena Net Play" and "Net Play Básico": the document calls it "Net Play".
    assert _owners(six, "usuario do net play onde acho") == {"travena"}
    assert _owners(REAL, "login do fibra play qual é?") == {"sejafibra"}


def test_a_name_s_word_that_is_a_keyword_says_its_topic(six: KB) -> None:
    # "Net Play" is written under the TV apps and the central: "play" is the TV apps' keyword.
    reply = answer(six, "usuario e senha do net play, onde acho?")
    assert (reply.provider_id, reply.topic_id) == ("travena", "tv")
    assert answer(REAL, "login e senha do fibra play?").topic_id == "tv"


def test_an_app_by_its_own_word_after_app(six: KB) -> None:
    assert _owners(six, "o app ouvidor nao abre") == {"travena"}
    # "sac" is every company's customer service: no ISP's own word (QA11 F2)
    assert "vmnet" not in _owners(REAL, "cliente quer o aplicativo sac pra ver fatura")


@pytest.mark.parametrize(
    "question",
    [
        "o app pix nao abre",  # every ISP writes "pix": any bank's app
        "o app de tv nao abre",  # a frequent word
    ],
)
def test_an_app_word_everyone_uses_names_no_one(six: KB, question: str) -> None:
    assert "travena" not in _owners(six, question)


def test_a_brand_listed_with_words_in_lower_case(six: KB) -> None:
    assert _owners(six, "usa quarta lume?") == {"travena"}
    assert _owners(six, "usa quartalume?") == {"travena"}
    assert "travena" not in _owners(six, "quarta feira tem tecnico?")  # a word of it alone


def test_no_name_across_a_clause_s_punctuation(six: KB) -> None:
    assert clause_breaks("cliente tem net, play nao abre") == frozenset({3})
    assert clause_breaks("speedtest.net/pt é o site?") == frozenset()
    assert "travena" not in _owners(six, "cliente tem net, play nao abre")
    assert "sejafibra" not in _owners(REAL, "cliente tem fibra, play store nao abre")


# --------------------------------------------------------------------------- the topic asked


def test_a_keyword_the_equipment_s_line_writes_names_the_equipment(six: KB) -> None:
    # "FILIAL - RONDÔNIA (Brisa X3)": "filial" says which router, not the branch office.
    reply = answer(six, "brisa x3 da filial qual login")
    assert (reply.provider_id, reply.topic_id) == ("travena", "senha")
    # The topic's own answer writing the equipment keeps its keyword ("Porta: TPLINK: 8080").
    assert answer(REAL, "porta do tplink na vmnet").topic_id == "porta"


def test_app_before_the_isp_s_name_is_its_app_not_the_tv(six: KB) -> None:
    reply = answer(six, "cliente quer a senha do wifi pelo app travena net wifi")
    assert (reply.provider_id, reply.topic_id) == ("travena", "senha")
    assert answer(REAL, "senha do wifi pelo app mutum fibra wifi pode?").topic_id == "senha"
    assert answer(six, "o app travena net play nao abre").topic_id == "tv"


# --------------------------------------------------------------------------- Telegram


@pytest.fixture
async def tg(six: KB) -> AsyncIterator[Harness]:
    api = FakeTelegram()
    api.members[(GROUP["id"], MEMBER["id"])] = "member"
    async for harness in running(make_settings(), six, api):
        yield harness


@pytest.mark.parametrize(
    ("text", "fact", "why"),
    [
        ("cliente de ro sem internet, qual o dns?", "186.233.12.9", "RO"),
        ("o 0800 771 é de qual setor?", "Rua das Tílias", "0800 771…"),
        ("usa quarta lume?", "ONU BRIDGE", "Quarta lume"),
        ("quem cobre vila nova?", "Vila Nova Alta", None),
    ],
)
async def test_a_clue_through_the_telegram_handlers(
    tg: Harness, text: str, fact: str, why: str | None
) -> None:
    [sent] = await tg.say(GROUP, AGENT, f"@UpcallBot {text}")
    shown = plain_text(sent["text"], sent.get("parse_mode"))
    assert fact in shown
    if why is not None:
        assert f"{why} → Travena Net" in shown
