"""Passages inside the answers: cutting, indexing, coverage, the reply of /buscar."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_real_kb

from bot.answers.render.telegram import to_html
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB, load_kb
from bot.reading.search import (
    MIN_COVERAGE,
    Hit,
    Passage,
    best_hits,
    passage_index,
    passages_of,
    search_reply,
    search_terms,
    snippet,
)
from kbfactory import write_kb

ROOT = Path(__file__).resolve().parent.parent
REAL = shared_real_kb()


@pytest.fixture
def tiny(tmp_path: Path) -> KB:
    return load_kb(write_kb(tmp_path))


def test_passages_are_paragraphs_notes_templates_and_models_never_passwords(tiny: KB) -> None:
    passages = passages_of(tiny)
    alfa = [(p.topic_id, p.text) for p in passages if p.provider_id == "alfa"]
    assert ("senha", "Não informar ao cliente.") in alfa
    # the suggested message; its title is searched with it, not shown ("mensagem sugestiva ...")
    assert ("senha", "Olá, vou abrir um chamado.") in alfa
    (template,) = [p for p in passages if p.text == "Olá, vou abrir um chamado."]
    assert template.label == "Mensagem sugestiva"
    models = [t for topic, t in alfa if "W5-1200G" in t]
    assert models == ["Equipamentos com senha cadastrada: W5-1200G, MERCUSYS AC12G, MERCUSYS MR30"]
    every = " ".join(p.text for p in passages)
    assert "Segredo1@" not in every and "m1" not in every.split()


def test_secret_topics_make_secret_passages(tiny: KB) -> None:
    by_topic = {(p.provider_id, p.topic_id): p.secret for p in passages_of(tiny)}
    assert by_topic[("beta", "sistemas")] is True
    assert by_topic[("beta", "dns")] is False


def test_a_rare_word_finds_its_passage_and_coverage_measures_the_question() -> None:
    index = passage_index(REAL)
    hits = index.search(search_terms(["carmella"]))
    assert {(h.passage.provider_id, h.passage.topic_id) for h in hits} == {
        ("vmnet", "cidades"),
        ("vmnet", "tecnologias"),
    }
    assert all(h.coverage == pytest.approx(1.0) for h in hits)
    # A word the KB never uses weighs in the total: half-known questions get half coverage.
    half = index.search(search_terms(["carmella", "xyzzyquux"]))
    assert 0.3 < half[0].coverage < 0.7


def test_search_keeps_to_the_isps_asked() -> None:
    hits = passage_index(REAL).search(search_terms(["dns"]), {"mutum"})
    assert hits and {h.passage.provider_id for h in hits} == {"mutum"}


def test_a_topic_title_finds_its_passages() -> None:
    # VM NET's comprovante text never says "comprovante"; the reply shows it under that title.
    hits = passage_index(REAL).search(search_terms(["comprovante"]), {"vmnet"})
    assert "comprovante" in {h.passage.topic_id for h in hits}


def _hit(provider: str, topic: str, body: str, coverage: float, secret: bool = False) -> Hit:
    return Hit(Passage(provider, topic, body, secret), coverage, coverage)


def test_best_hits_one_per_topic_no_repeats_no_noise() -> None:
    hits = [
        _hit("a", "dns", "x", 1.0),
        _hit("a", "dns", "y", 0.9),  # the same topic again
        _hit("a", "setores", "x", 0.9),  # the same text under another topic
        _hit("b", "dns", "x", 0.8),  # another ISP: shown
        _hit("b", "tv", "z", 0.5),  # far less than the best
        _hit("c", "tv", "w", MIN_COVERAGE - 0.01),
    ]
    assert [(h.passage.provider_id, h.passage.topic_id) for h in best_hits(hits)] == [
        ("a", "dns"),
        ("b", "dns"),
    ]
    many = [_hit(f"isp{i}", "dns", f"t{i}", 1.0) for i in range(9)]
    assert len(best_hits(many)) == 5


def test_snippet_is_one_line_and_short() -> None:
    assert snippet("a\n\n b \nc") == "a / b / c"
    long = snippet("palavra " * 100)
    assert len(long) <= 280 and long.endswith("…")


def test_search_reply(tiny: KB) -> None:
    hits = [
        _hit("beta", "sistemas", "Flashman: login x / senha y", 1.0, secret=True),
        _hit("alfa", "dns", "Primário 10.0.0.1", 0.9),
    ]
    reply = search_reply(tiny, "flashman", hits)
    assert reply.kind is ReplyKind.SEARCH and reply.gap
    assert reply.credentials  # a passage of a credentials topic
    out = to_html(reply)
    assert "Trechos dos documentos que citam “flashman”:" in out
    assert "<b>Beta Fibra › Sistemas</b>\nFlashman: login x / senha y" in out
    assert [(b.label, b.ask) for b in reply.buttons] == [
        ("Beta Fibra › Sistemas", "/sistemas beta"),
        ("Alfa Net › DNS padrão", "/dns alfa"),
    ]


def test_a_passage_is_found_by_its_topics_description_too() -> None:
    # LaserNet's speed-test answer is a bare link; the catalogue says what it is for ("site
    # padrão para medir a velocidade"), so a question in those words finds it.
    hits = passage_index(REAL).search(search_terms(["site", "medir"]), {"lasernet"})
    assert hits[0].passage.topic_id == "velocidade"
    assert hits[0].coverage == pytest.approx(1.0)


def test_the_matched_line_is_the_line_holding_most_of_the_question() -> None:
    from bot.reading.search import matched_line

    body = "Financeiro\\nDas 08h às 17h\\nSuporte N2 aos domingos das 08h às 14h\\nLoja: 09h"
    body = body.replace("\\n", "\n")
    assert matched_line(REAL, body, ["suporte", "n2", "domingo"]) == (
        "Suporte N2 aos domingos das 08h às 14h"
    )
    assert matched_line(REAL, body, ["xyzzy"]) == "Financeiro"  # nothing held: the first line
    assert matched_line(REAL, "", ["n2"]) == ""


def test_a_passage_stating_a_fact_holds_the_word_that_names_it() -> None:
    import re

    from bot.reading.search import Passage, PassageIndex

    passages = [
        Passage("x", "central", "Portal do assinante: https://portal.exemplo.com.br", False),
        Passage("x", "outro", "O portal do assinante tem um link no aplicativo.", False),
    ]
    index = PassageIndex(passages, {"central": "Central", "outro": "Outro"})
    terms = ["link", "portal"]
    plain = {h.passage.topic_id: h.coverage for h in index.search(terms)}
    assert plain["central"] < plain["outro"] == pytest.approx(1.0)
    url = {"link": re.compile(r"https?://")}
    held = {h.passage.topic_id: h.coverage for h in index.search(terms, implied=url)}
    assert held["central"] == pytest.approx(1.0)  # the URL is the link asked for


def test_a_suggested_message_is_found_by_its_title(tmp_path: Path) -> None:
    gama = (
        "id: gama\nname: Gama Net\ntimezone: America/Sao_Paulo\nstate: SP\n"
        "reviewed: 2026-01-01\ntopics:\n"
        "  dns:\n    text: Primário 30.0.0.1\n"
        "    templates:\n"
        "      - title: Aviso de manutenção programada\n"
        "        text: Olá! Amanhã a rede passa por ajustes entre 01h e 04h.\n"
    )
    kb = load_kb(write_kb(tmp_path, {"gama": gama}))
    hits = passage_index(kb).search(search_terms(["aviso", "manutencao", "programada"]))
    assert hits and hits[0].passage.text.startswith("Olá! Amanhã")
    assert hits[0].coverage == pytest.approx(1.0)
    assert "manutenção" not in hits[0].passage.text  # the title is searched, not shown


@pytest.mark.parametrize(
    ("typed", "order"),
    [
        ("abri a os, e agora?", True),
        ("abro os?", True),
        ("posso abrir uma OS", True),
        ("abrir O.S. de outras demandas", True),
        ("pode abrir um chamado", True),
        ("todos os clientes", False),
        ("os dias de atraso", False),
        ("abri os chamados", False),  # the article before a noun
    ],
)
def test_a_service_order_is_one_word_however_typed(typed: str, order: bool) -> None:
    from bot.reading.text import SERVICE_ORDER, normalize, service_orders

    assert (SERVICE_ORDER in normalize(service_orders(typed)).split()) is order


def test_a_kb_text_names_the_order_only_as_written() -> None:
    from bot.reading.text import SERVICE_ORDER, service_orders

    assert SERVICE_ORDER in service_orders("Quando aberta a OS, pegar os números", typed=False)
    assert SERVICE_ORDER in service_orders("abrir ocorrência no sistema", typed=False)
    assert SERVICE_ORDER not in service_orders("abra a os", typed=False)  # lower case: the words
    assert SERVICE_ORDER not in service_orders("TODOS OS CLIENTES", typed=False)  # shouted


def test_a_service_order_typed_finds_the_passages_that_write_it() -> None:
    """Made-up passages: "os" was a stop word, so "abro os?" searched nothing of the order."""
    from bot.reading.search import Passage, PassageIndex
    from bot.reading.text import normalize, service_orders

    passages = [
        Passage("x", "bloqueio", "Não abrir O.S. para clientes bloqueados.", False),
        Passage("x", "outro", "Clientes bloqueados pagam a fatura.", False),
    ]
    index = PassageIndex(passages, {"bloqueio": "Bloqueio", "outro": "Outro"})
    words = normalize(service_orders("cliente bloqueado, abro os?")).split()
    hits = index.search(search_terms(words))
    assert hits[0].passage.topic_id == "bloqueio" and hits[0].coverage > hits[1].coverage


GAMA = """\
id: gama
name: Gama Net
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-01-01
topics:
  bloqueio:
    text: "Bloqueio com 10 dias de atraso; o led fica picando."
    notes: ["'picando' está assim no documento; leitura adotada: 'piscando'."]
"""


def test_a_passage_from_a_note_is_marked_as_a_note_on_every_door(tmp_path: Path) -> None:
    """QA 7 #8: the KB's own reading of the document is never shown as the ISP's text."""
    from bot.answers.core import answer
    from bot.answers.render import to_plain
    from bot.answers.render.whatsapp import to_whatsapp

    kb = load_kb(write_kb(tmp_path, {"gama": GAMA}))
    reply = answer(kb, "/buscar leitura adotada")
    assert reply.kind is ReplyKind.SEARCH
    note = "Observação da base (não é texto do provedor): 'picando' está assim no documento"
    assert f"<i>{note}" in to_html(reply)
    assert f"_{note}" in to_whatsapp(reply)
    assert note in to_plain(reply)
    # The ISP's own text stays plain, unmarked.
    text = to_html(answer(kb, "/buscar dias de atraso"))
    assert "\nBloqueio com 10 dias de atraso" in text and "Observação da base" not in text
