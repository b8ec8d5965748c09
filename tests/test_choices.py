"""Choices the reader offers (issue 12, session 8, branch `choices`): the topic of a clue two ISPs
share, a question naming no ISP that must ask, an ISP's short form typed with a slip in a
command. Made-up wording on made-up ISPs added to a copy of the real KB (the rule, not the real
documents' words, is tested), the real KB's own, and the Telegram handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from conftest import make_settings, real_kb_with, shared_real_kb
from harness import Harness, running

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import Reply, ReplyKind
from bot.knowledge.kb import KB
from bot.reading.reader import read
from fake_bot_api import AGENT, GROUP, MEMBER, FakeTelegram, button_data, plain_text

REAL = shared_real_kb()

BRISA = """\
id: brisa
name: BrisaNet
aliases: [Brisa Net]
timezone: America/Sao_Paulo
state: SC
reviewed: 2026-11-30
topics:
  tecnologias:
    text: |
      SVAs inclusos: Trovexa e Zapeta.
      Login do Zapeta: e-mail do titular.
  tv:
    text: "Trovexa: canais ao vivo pelo app, em até 3 telas."
  sinal:
    text: "Quando a chuva forte derruba a energia da rua, o sinal volta sozinho depois."
  dns:
    text: "DNS 10.44.0.1"
"""
MAREA = """\
id: marea
name: Marea Net
timezone: America/Sao_Paulo
state: SC
reviewed: 2026-11-30
topics:
  tecnologias:
    text: "Aplicativos no plano: Trovexa e Deezer."
  setores:
    text: "Problemas no Trovexa vão para o setor de Outras Demandas."
  dns:
    text: "DNS 10.55.0.1"
"""


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("choices"), brisa=BRISA, marea=MAREA)


def _buttons(reply: Reply) -> list[str]:
    return [b.ask for b in reply.buttons]


# --------------------------------------------------------------------------- no ISP named


@pytest.mark.parametrize(
    "question", ["a chuva forte derrubou a energia da rua?", "choveu forte e caiu a energia da rua"]
)
def test_words_only_one_isps_text_writes_ask_which_isp(two: KB, question: str) -> None:
    """No ISP named, no keyword, and only Brisa's signal line holds the words (ordinary ones, no
    context term): asked which ISP for that line's topic, never Brisa's passage as if the
    question had named it."""
    reply = answer(two, question)
    assert reply.kind is ReplyKind.MISSING_PROVIDER and reply.provider_id is None
    assert {ask.split()[0] for ask in _buttons(reply)} == {"/sinal"}
    assert len(reply.buttons) == len(two.providers)
    assert "volta sozinho" not in to_plain(reply)


def test_the_real_kb_asks_which_isp_for_one_isps_words() -> None:
    # Only one ISP's signal line writes "olt": the question names no ISP.
    reply = answer(REAL, "a olt caiu de novo?")
    assert reply.kind is ReplyKind.MISSING_PROVIDER and reply.provider_id is None


@pytest.mark.parametrize(
    "question", ["a gente atende essa empresa agora?", "agora a gente atende eles?"]
)
def test_upcalls_hours_asked_of_no_place_ask_which_isp_for_the_hours(question: str) -> None:
    """ "a gente atende" names no place here: UPCALL's coverage at a moment is asked (which ISP,
    for /horario), not who serves a place."""
    reply = answer(REAL, question)
    assert reply.kind is ReplyKind.MISSING_PROVIDER and reply.provider_id is None
    assert {ask.split()[0] for ask in _buttons(reply)} == {"/horario"}


def test_tied_keywords_leave_upcalls_hours_asked() -> None:
    """Keywords tied between four topics name none clearly: the coverage asked wins."""
    reply = answer(REAL, "que horas a gente atende esse cliente?")
    assert reply.kind is ReplyKind.MISSING_PROVIDER
    assert {ask.split()[0] for ask in _buttons(reply)} == {"/horario"}


def test_a_place_keeps_who_serves_it() -> None:
    reply = answer(REAL, "a gente atende em ubatuba?")
    assert (reply.topic_id, reply.provider_id) == ("cidades", "sejafibra")


@pytest.mark.parametrize("question", ["um giga sem internet", "e o canal digtal, como fica?"])
def test_a_word_of_one_isps_name_typed_alone_or_with_a_slip_keeps_its_passages(
    question: str,
) -> None:
    """ "GIGA" (of "CLARO e GIGA", Seja Fibra's), "Canal Digital" with a slip (NETCENTER's): a
    name the index did not find whole is still a name, not an ordinary word: its ISP's
    passages are shown, as /buscar would."""
    reply = answer(REAL, question)
    assert reply.kind is ReplyKind.SEARCH and reply.provider_id in ("sejafibra", "netcenter")


@pytest.mark.parametrize("question", ["o técnico chega quando?", "qdo vai vir o tecnico?"])
def test_when_the_technician_comes_is_the_support_deadline(question: str) -> None:
    reply = answer(REAL, question)
    assert reply.kind is ReplyKind.MISSING_PROVIDER
    assert {ask.split()[0] for ask in _buttons(reply)} == {"/prazo"}
    named = answer(REAL, f"vmnet, {question}")
    assert (named.provider_id, named.topic_id) == ("vmnet", "prazo")


def test_what_the_technicians_coming_costs_stays_the_visit() -> None:
    reply = answer(REAL, "quando o tecnico vier vai cobrar a visita?")
    assert {ask.split()[0] for ask in _buttons(reply)} == {"/visita"}


@pytest.mark.parametrize(
    "question",
    ["cliente reclama de oscilação o dia todo, abro OS?", "a net dele some toda hora, abre os?"],
)
def test_a_situation_in_ordinary_words_and_a_ticket_asked_is_the_escalation(
    question: str,
) -> None:
    """No keyword, only a situation told and "abro OS?": when an OS is opened (the escalation's
    rules), asked which ISP -- not one ISP's passage that happens to hold "abrir OS"."""
    reply = answer(REAL, question)
    assert reply.kind is ReplyKind.MISSING_PROVIDER and reply.provider_id is None
    assert {ask.split()[0] for ask in _buttons(reply)} == {"/n2"}


# --------------------------------------------------------------------------- shared clues


def test_a_name_two_isps_write_under_several_topics_offers_the_one_both_write(two: KB) -> None:
    """Trovexa: Brisa writes it under its SVAs and its TV apps, Marea under its SVAs and its
    sectors: the choice between the two ISPs offers the SVAs, the topic both write it under."""
    reply = answer(two, "o trovexa nao abre pro cliente")
    assert reply.kind is ReplyKind.CHOICE
    assert sorted(_buttons(reply)) == ["/tecnologias brisa", "/tecnologias marea"]


@pytest.mark.parametrize("verb", ["loga", "logou", "consegue logar"])
def test_the_verb_logar_is_a_login_never_corrected_to_another_word(two: KB, verb: str) -> None:
    reading = read(two, f"zapeta nao {verb}")
    assert "login" in reading.words and "loja" not in reading.words
    reply = answer(two, f"zapeta nao {verb}")
    assert (reply.provider_id, reply.topic_id) == ("brisa", "tecnologias")


def test_the_customer_as_owner_is_no_subject_of_a_keyword(two: KB) -> None:
    """ "cliente sumiu" is the customer gone from the chat (N2); "o trovexa do cliente sumiu" is
    the app gone: no N2 evidence."""
    assert "n2" not in {t.topic.id for t in read(two, "o trovexa do cliente sumiu").topics}
    assert read(two, "o cliente sumiu").topics[0].topic.id == "n2"


def test_two_brands_typed_name_the_isp_whose_texts_write_both() -> None:
    """TPLink is written by two ISPs' documents (one's ONUs, the other's router table),
    Fiberhome by one of them only: both typed name that one, saying why."""
    reply = answer(REAL, "a onu deles é fiberhome ou tplink?")
    assert (reply.kind, reply.provider_id, reply.topic_id) == (
        ReplyKind.ANSWER,
        "sejafibra",
        "equipamentos",
    )
    assert "(Fiberhome, TPLink → Seja Fibra)" in to_plain(reply)
    # One brand two ISPs write still asks between them.
    alone = answer(REAL, "a onu deles é tplink?")
    assert alone.kind is ReplyKind.CHOICE and alone.provider_id is None


# --------------------------------------------------------------------------- commands


@pytest.mark.parametrize(
    ("command", "topic"),
    [("/dns lasre", "dns"), ("/planos laer", "planos"), ("/senha lsaer w5-1200g", "senha")],
)
def test_a_slip_in_an_isps_short_form_is_answered(command: str, topic: str) -> None:
    """ "laser" is LaserNet's short form (the first word of its alias "Laser Net"): a slip in it,
    in a command, names the ISP as a slip in its name would; the title says which."""
    reply = answer(REAL, command)
    assert (reply.provider_id, reply.topic_id) == ("lasernet", topic)
    assert reply.kind in (ReplyKind.ANSWER, ReplyKind.NO_INFO)


def test_a_three_letter_slip_is_no_short_form(two: KB) -> None:
    assert answer(two, "/dns bri").provider_id != "marea"
    assert answer(REAL, "/dns cab").kind is ReplyKind.UNKNOWN_PROVIDER


# --------------------------------------------------------------------------- Telegram


@pytest.fixture
async def tg(two: KB) -> AsyncIterator[Harness]:
    api = FakeTelegram()
    api.members[(GROUP["id"], MEMBER["id"])] = "member"
    async for harness in running(make_settings(), two, api):
        yield harness


async def test_one_isps_words_ask_which_isp_through_the_telegram_handlers(tg: Harness) -> None:
    [sent] = await tg.say(GROUP, AGENT, "@UpcallBot choveu forte e caiu a energia da rua")
    shown = plain_text(sent["text"], sent.get("parse_mode"))
    assert "Informe o provedor" in shown and "volta sozinho" not in shown
    labels = [label.split(" (")[0] for label, _data in button_data(sent)]
    assert "BrisaNet" in labels and "Marea Net" in labels


async def test_upcalls_hours_of_no_place_through_the_telegram_handlers(tg: Harness) -> None:
    [sent] = await tg.say(GROUP, AGENT, "@UpcallBot agora a gente atende eles?")
    data = [data for _label, data in button_data(sent)]
    assert data and all("/horario " in d or "/agora " in d for d in data)


async def test_a_slip_in_a_short_form_through_the_telegram_handlers(tg: Harness) -> None:
    [sent] = await tg.say(GROUP, AGENT, "/planos laer")
    shown = plain_text(sent["text"], sent.get("parse_mode"))
    assert shown.startswith("LaserNet › Planos")


async def test_a_shared_name_offers_its_topic_through_the_telegram_handlers(
    tg: Harness,
) -> None:
    [sent] = await tg.say(GROUP, AGENT, "@UpcallBot o trovexa do cliente sumiu")
    shown = plain_text(sent["text"], sent.get("parse_mode"))
    assert "Trovexa" in shown
    assert sorted(label for label, _data in button_data(sent)) == ["BrisaNet", "Marea Net"]
