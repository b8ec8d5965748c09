"""Distinctive terms beyond the rare words (bot/reading/context.py ``find_terms``, ``PAIR_ZIPF``):
two ordinary words one ISP alone writes on one line of its answer, a rare word with no keyword
beside its second word, a product's English name, a price, a brand other documents write too.
Made-up wording on a made-up sixth ISP (a copy of the real KB), so that the rules, not the real
documents' words, are what is tested."""

from __future__ import annotations

import pytest
from conftest import copy_real_kb, shared_real_kb

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB, load_kb
from bot.reading.context import PAIR_ZIPF, TERM_ZIPF, term_index, zipf_frequency
from bot.reading.reader import read

REAL = shared_real_kb()

PARNET = """\
id: parnet
name: Par Net
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  financeiro:
    text: "Congelamento contratual: só depois da carência de 6 meses. Transferir para o Comercial."
  fatura:
    text: "Cobrança pós-paga: a fatura do dia 12 cobre o mês já usado, em quinzenas."
  n2:
    text: "Roteador chiando com as lâmpadas apagadas: abrir OS para o N2."
  planos:
    text: "Plano 300 Mega: R$ 87,45"
  tecnologias:
    text: "O acesso a Wonder é pelo aplicativo do assinante."
  equipamentos:
    text: "ONU (Cianet ou TPLink) e roteador próprio."
  contato:
    text: "Loja e atendimento: (11) 4321-8765, de segunda a sexta."
"""


@pytest.fixture(scope="module")
def par(tmp_path_factory: pytest.TempPathFactory) -> KB:
    """A copy of the real KB with a made-up ISP whose clues are ordinary words."""
    root = copy_real_kb(tmp_path_factory.mktemp("par"), parnet=PARNET)
    # The catalogue took a concept from Par Net's answer as a keyword of several words.
    topics = (root / "topics.yaml").read_text(encoding="utf-8")
    assert "pre paga, suspensao temporaria," in topics
    topics = topics.replace(
        "pre paga,", "pre paga, congelamento contratual, carencia do congelamento,", 1
    )
    (root / "topics.yaml").write_text(topics, encoding="utf-8")
    return load_kb(root)


def _answered(kb: KB, question: str) -> tuple[ReplyKind, str | None, str | None]:
    reply = answer(kb, question)
    return reply.kind, reply.provider_id, reply.topic_id


def test_the_made_up_words_are_of_the_frequencies_the_rules_are_about() -> None:
    # "congelamento", "carência", "lâmpadas": ordinary words (Zipf 3-4.5), which alone say
    # nothing; "chiando" rare; "Wonder" an English word with a borrowed Portuguese frequency.
    for word in ("congelamento", "carência", "lâmpadas", "wonder"):
        assert TERM_ZIPF <= zipf_frequency(word, "pt", "small") < PAIR_ZIPF, word
    assert zipf_frequency("chiando", "pt", "small") < TERM_ZIPF


@pytest.mark.parametrize(
    ("question", "topic", "why"),
    [
        # Two ordinary words only Par Net writes, on one line of its answer of the asked topic.
        (
            "cli quer congelamento do contrato, ja passou a carencia?",
            "financeiro",
            "Congelamento, carência → Par Net",
        ),
        # A catalogue keyword of several words its answer writes, with a mate word beside it.
        (
            "congelamento contratual, ja passou a carencia?",
            "financeiro",
            "Congelamento, carência → Par Net",
        ),
        # A hyphenated word typed apart ("pos paga") is the KB's "pós-paga".
        ("fatura pos paga em quinzenas, como explico?", "fatura", "pós-paga, quinzenas → Par Net"),
        # No keyword: a rare word beside its line's second word names the ISP and the topic.
        ("o roteador do cliente ta chiando e com as lampadas apagadas", "n2", "→ Par Net"),
        # An English word written only with a capital, alone in a sentence: a product.
        ("o sva wonder do cliente nao abre", "tecnologias", "Wonder → Par Net"),
        # A price with cents that one ISP's price list writes.
        ("o plano de 87,45 tem quantos mega?", "planos", "R$ 87,45 → Par Net"),
        ("o plano de 87.45 tem quantos mega?", "planos", "R$ 87,45 → Par Net"),
        # A phone number, however typed, names the ISP and the topic whose answer writes it.
        ("cli ligou no 4321 8765 e quer ir pessoalmente", "contato", "→ Par Net"),
    ],
)
def test_ordinary_words_of_one_isps_line_name_it_together(
    par: KB, question: str, topic: str, why: str
) -> None:
    reply = answer(par, question)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "parnet", topic)
    assert why in to_plain(reply)


@pytest.mark.parametrize(
    "question",
    [
        # (A catalogue keyword only Par Net's answer writes, as its rule's label, is no term:
        # it names Par Net as a stated fact, ``test_par_nets_own_keyword_is_a_stated_fact``.)
        # Two words of Par Net's line, but typed as one catalogue keyword: no pair.
        "cliente quer saber a carencia do congelamento",
        "cliente esta na carencia, pode cancelar?",  # alone, and held under another topic
        "a fatura é pós-paga?",  # alone
        "o roteador do cliente ta chiando",  # rare, but no keyword and no second word
        "cliente pagou 50,00 a mais",  # a round amount is anyone's
        "qual a porta do tplink?",  # a brand three documents write: no one
    ],
)
def test_one_ordinary_word_alone_names_no_one(par: KB, question: str) -> None:
    assert answer(par, question).provider_id is None
    assert (
        "parnet" not in read(par, question).context_providers
        or len(read(par, question).context_providers) > 1
    )


@pytest.mark.parametrize(
    "question",
    [
        "cliente quer congelamento contratual, pode?",
        "cliente pediu o congelamento contratual",
        "cliente quer congelamento do contrato, pode?",
    ],
)
def test_par_nets_own_keyword_is_a_stated_fact(par: KB, question: str) -> None:
    # "Congelamento contratual:" labels Par Net's rule, no other answer writes it, and the
    # catalogue lists it under the topic asked: the matter is Par Net's (bot/reading/facts.py,
    # ``_own_keywords``), said why; its words are still no pair of terms.
    reply = answer(par, question)
    assert (reply.provider_id, reply.topic_id) == ("parnet", "financeiro"), to_plain(reply)
    assert "→ Par Net)" in to_plain(reply)
    assert all(not n.phrase for n in read(par, question).context)


def test_the_supervisors_notes_are_no_source_of_terms(par: KB) -> None:
    # NETCENTER's "sinal mais fraco" is a note on how the seed was read, not its document's.
    assert "fraco" not in term_index(REAL).terms
    assert answer(REAL, "sinal fraco na onu, abro os?").provider_id is None


def test_a_bare_brand_two_documents_write_asks_between_those_two() -> None:
    # VM NET lists TPLINK among its models; Seja Fibra's equipment answer writes TPLink too.
    for question in ("qual a porta do tplink?", "qual a porta do roteador tplink?"):
        reply = answer(REAL, question)
        assert reply.kind is ReplyKind.CHOICE, question
        assert {b.ask for b in reply.buttons} == {"/porta sejafibra", "/porta vmnet"}
    # A model's own name is no bare brand: only VM NET lists the Stavix ONU.
    assert answer(REAL, "usuario e senha da onu stavix").provider_id == "vmnet"


def test_a_term_is_no_place_to_ask_who_serves() -> None:
    # "a gente atende" with a term (no place): the coverage hours, not the cities.
    reply = answer(REAL, "na hora do transbordo vcs atendem?")
    assert (reply.provider_id, reply.topic_id) == ("lasernet", "horario")


@pytest.mark.parametrize(
    ("question", "isp"),
    [("mutum: cli quer congelamento, ja passou a carencia?", "mutum")],
)
def test_a_named_isp_is_never_replaced_by_a_pair(par: KB, question: str, isp: str) -> None:
    assert answer(par, question).provider_id == isp


def _sixth(tmp_path_factory: pytest.TempPathFactory, sinal: str) -> KB:
    text = (
        "id: lumen\nname: Lumen Telecom\ntimezone: America/Sao_Paulo\nstate: SP\n"
        f'reviewed: 2026-11-30\ntopics:\n  sinal:\n    text: "{sinal}"\n'
    )
    return load_kb(copy_real_kb(tmp_path_factory.mktemp("lumen"), lumen=text))


def test_a_unit_written_glued_to_a_number_names_no_one(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A word some text writes glued to a number ("-25dBw") is a unit of measure: every
    reading is in it. Written only apart from its number, the same rare word is a term."""
    apart = _sixth(tmp_path_factory, "Sinal ideal: -20 dBw. Abaixo disso abrir OS.")
    assert _answered(apart, "sinal da onu em -31 dbw, ta bom?")[1] == "lumen"
    glued = _sixth(tmp_path_factory, "Sinal ideal: -20 dBw, limite -25dBw. Abaixo abrir OS.")
    assert "dbw" not in term_index(glued).terms
    assert _answered(glued, "sinal da onu em -31 dbw, ta bom?")[1] is None


@pytest.mark.parametrize(
    "question", ["leitura de -28 dbm, abro os?", "qual o dbm bom?", "medi -31 dbm no sistema"]
)
def test_dbm_names_no_isp(question: str) -> None:
    """NETCENTER writes "-26.00 dBm", VM NET "-26dBm": "dBm" alone had named NETCENTER."""
    assert "dbm" not in term_index(REAL).terms
    kind, isp, _topic = _answered(REAL, question)
    assert isp is None and kind is not ReplyKind.CHOICE


ONDANET = """\
id: ondanet
name: Onda Net
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  horario:
    text: "Seg a sex das 08h às 18h a UPCALL só pega o excedente da fila; fora disso, tudo."
coverage:
  timezone: America/Sao_Paulo
  windows:
    - {days: [mon, tue, wed, thu, fri], start: "08:00", end: "18:00", mode: overflow}
    - {days: [mon, tue, wed, thu, fri], start: "18:00", end: "08:00", mode: full}
"""


def test_transbordo_is_every_isp_s_whose_coverage_has_an_overflow_window(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Session 9's QA, finding 8: "transbordo como funciona?" -> LaserNet is kept on the real
    KB (its document alone labels a window "Somente Transbordo", and only its coverage has
    one). But the word is also what the bot shows for any ISP's overflow window ("só
    transbordo"): a sixth ISP with one shares it, even if its text never writes it, and the
    question asks between the two instead of naming LaserNet."""
    real = answer(REAL, "transbordo como funciona?")
    assert real.provider_id == "lasernet" and "Transbordo → LaserNet" in to_plain(real)
    kb = load_kb(copy_real_kb(tmp_path_factory.mktemp("onda"), ondanet=ONDANET))
    assert term_index(kb).terms["transbordo"].owners == {"lasernet", "ondanet"}
    reply = answer(kb, "transbordo como funciona?")
    assert reply.provider_id is None
    assert {b.ask for b in reply.buttons} == {"/horario lasernet", "/horario ondanet"}


def test_the_coverage_topic_is_the_clocks() -> None:
    from bot.answers import clock
    from bot.reading import context

    assert context.COVERAGE_TOPIC == clock.COVERAGE_TOPIC
