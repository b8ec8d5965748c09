"""Distinctive phrases (bot/reading/context.py ``phrase_index``, ``find_phrases``): two words side
by side that one or two ISPs' answers write, a word another ISP writes too and a qualifier only
they write under that topic. Made-up wording on a made-up sixth ISP (a copy of the real KB), so
that the rule, not the real documents' words, is what is tested; and the real KB's ordinary
collocations and catalogue wording, which must name no one."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import real_kb_with, shared_real_kb

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB
from bot.reading.context import PAIR_ZIPF, TERM_ZIPF, phrase_index, zipf_frequency
from bot.reading.reader import read

REAL = shared_real_kb()

FRASENET = """\
id: frasenet
name: Frase Net
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  bloqueio:
    text: "Bloqueio gradual: 10 dias. Bloqueio parcial: 15 dias."
  pagamento:
    text: "Pagamento antecipado: com desconto de 5%."
  prazo:
    text: "O setor de vistoria monta a agenda dos técnicos em até 24h."
  ipfixo:
    text: "Para Link Dedicado, tratar como corporativo."
  fatura:
    text: "Orientar o cliente a imprimir a fatura pela central."
"""


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("frase"), frasenet=FRASENET)


def _asked(kb: KB, question: str) -> tuple[ReplyKind, str | None, str | None]:
    reply = answer(kb, question)
    return reply.kind, reply.provider_id, reply.topic_id


def test_the_made_up_qualifiers_are_ordinary_words_no_other_document_writes() -> None:
    # Ordinary words (TERM_ZIPF to PAIR_ZIPF), no terms alone: what they say comes from the
    # KB, not from rarity.
    for word in ("gradual", "antecipado", "vistoria"):
        assert TERM_ZIPF <= zipf_frequency(word, "pt", "small") < PAIR_ZIPF, word
        assert all(word not in text.casefold() for text in _real_texts()), word


def _real_texts() -> list[str]:
    return [entry.text for p in REAL.providers.values() for entry in p.topics.values()]


@pytest.mark.parametrize(
    ("question", "topic", "why"),
    [
        # A topic word every ISP writes, and the qualifier only Frase Net writes beside it.
        ("cliente no bloqueio gradual, quando corta?", "bloqueio", "Bloqueio gradual"),
        ("pagamento antecipado tem desconto?", "pagamento", "Pagamento antecipado"),
        # A preposition between, as the answer writes it.
        ("o setor de vistoria demora quanto tempo?", "prazo", "setor de vistoria"),
    ],
)
def test_a_phrase_one_isp_writes_names_it_with_the_reason(
    six: KB, question: str, topic: str, why: str
) -> None:
    reply = answer(six, question)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (
        ReplyKind.ANSWER,
        "frasenet",
        topic,
    )
    assert f"{why} → Frase Net" in to_plain(reply)


def test_the_phrases_are_derived_from_the_kb(six: KB) -> None:
    """The real KB has none of Frase Net's phrases; with it, they are Frase Net's, and a phrase
    a real ISP writes becomes shared when Frase Net writes it too."""
    real = {p.display.casefold(): p.owners for p in phrase_index(REAL).phrases.values()}
    made = {p.display.casefold(): p.owners for p in phrase_index(six).phrases.values()}
    assert "bloqueio gradual" not in real and made["bloqueio gradual"] == {"frasenet"}
    assert real["bloqueio parcial"] == {"lasernet"}
    assert made["bloqueio parcial"] == {"lasernet", "frasenet"}
    assert made["link dedicado"] == {"vmnet", "frasenet"}


@pytest.mark.parametrize(
    ("question", "between"),
    [
        ("cliente no bloqueio parcial, quantos dias?", ["LaserNet", "Frase Net"]),
        ("o link dedicado do cliente caiu, qual o prazo?", ["Frase Net", "VM NET"]),
    ],
)
def test_a_phrase_two_isps_write_asks_between_those_two(
    six: KB, question: str, between: list[str]
) -> None:
    reply = answer(six, question)
    assert reply.kind is ReplyKind.CHOICE and reply.provider_id is None
    assert sorted(b.label for b in reply.buttons) == sorted(between)


def test_a_phrase_counts_only_where_the_asked_topic_writes_it(six: KB) -> None:
    # "setor de vistoria" is Frase Net's prazo answer; the DNS is asked.
    _kind, provider, _topic = _asked(six, "qual o dns do setor de vistoria?")
    assert provider is None
    assert not read(six, "qual o dns do setor de vistoria?").context


def test_words_apart_or_typed_in_another_order_are_no_phrase(six: KB) -> None:
    for question in ("o bloqueio do cliente foi gradual?", "gradual o bloqueio?"):
        assert all(not c.phrase for c in read(six, question).context), question


def test_a_verb_and_its_object_is_no_phrase(six: KB) -> None:
    """Frase Net alone writes "imprimir a fatura": how anyone says it."""
    assert answer(six, "cliente quer imprimir a fatura, como faz?").provider_id is None


def test_a_named_isp_is_never_replaced_by_a_phrase(six: KB) -> None:
    reply = answer(six, "lasernet: cliente no bloqueio gradual, quando corta?")
    assert reply.provider_id == "lasernet"
    assert "→" not in to_plain(reply)


@pytest.mark.parametrize(
    "question",
    [
        # A catalogue keyword of two words only its ISP writes is no phrase; its word another
        # ISP's answer of the topic writes ("cadastro") keeps it anyone's. (NETCENTER's labelled
        # "Suspensão temporária" names it as a stated fact: tests/test_facts.py.)
        "cliente quer fazer alteracao cadastral, como faz?",
        # Ordinary collocations one ISP happens to write.
        "pode emitir segunda via pelo chat?",
        "cliente sem internet desde ontem",
        "cliente quer mudar de endereco",
        "qual o fuso horário deles?",
        "onu em bridge, como acesso?",
        "qto custa ponto adicional?",
        # A qualifier another ISP writes too ("dias úteis": LaserNet; "horas úteis": Mutum).
        "prazo é em horas uteis?",
        # A figure is no word of a phrase ("o prazo é 48h corridas?" is Seja Fibra's rule
        # quoted, a figure framed as its answer writes it: tests/test_facts.py).
        "cliente quer baixar o app da central, onde baixa?",
        "tem como pausar o contrato em vez de cancelar?",
    ],
)
def test_ordinary_wording_names_no_isp(question: str) -> None:
    assert not read(REAL, question).context
    reply = answer(REAL, question)
    assert reply.kind is not ReplyKind.ANSWER, (question, to_plain(reply))


@pytest.mark.parametrize(
    ("question", "isp", "why"),
    [
        ("o bloqueio parcial dura quantos dias?", "lasernet", "Bloqueio Parcial → LaserNet"),
        ("o link dedicado tem sla menor?", "vmnet", "Link Dedicado → VM NET"),
        ("passo pro n1 interno?", "mutum", "N1 interno → Mutum Fibra"),
    ],
)
def test_the_real_kbs_phrases_name_their_isp(question: str, isp: str, why: str) -> None:
    reply = answer(REAL, question)
    assert reply.provider_id == isp and why in to_plain(reply)


def test_the_phrase_index_is_built_from_the_kb_alone(tmp_path: Path) -> None:
    """A KB copy with no sixth ISP has exactly the real KB's phrases."""
    copy = real_kb_with(tmp_path)
    assert phrase_index(copy).phrases.keys() == phrase_index(REAL).phrases.keys()
