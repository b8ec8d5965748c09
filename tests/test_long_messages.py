"""A pasted message of up to 4,096 characters is read whole, and its reading is the one the
former scans gave: phrases looked for only where their first word stands, the search adding each
term to the passages holding it, plain words kept out of the normalisation memo."""

from __future__ import annotations

import math
import random
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import real_kb_with, shared_real_kb

from bot.answers.core import MAX_QUERY_CHARS, agents_words, answer, focus
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.reading.reader import _find, _forms_at, _lexicon, _positions, facts_asked
from bot.reading.search import K1, B, Hit, PassageIndex, passage_index, search_terms
from bot.reading.text import compact, fold, normalize, stem

REAL = shared_real_kb()


def _words_of_the_kb(count: int, seed: int) -> list[str]:
    """Words of the catalogue's phrases and a few stop words, in random order."""
    phrases = _lexicon(REAL).phrases
    pool = sorted({w for phrase in phrases for w in phrase[0]} | {"de", "do", "o", "a"})
    rng = random.Random(seed)
    return [rng.choice(pool) for _ in range(count)]


@pytest.mark.parametrize("seed", range(5))
def test_phrases_are_found_where_their_first_word_stands_as_by_a_full_scan(seed: int) -> None:
    words = _words_of_the_kb(600, seed)
    stems = [stem(w) for w in words]
    word_at, stem_at = _positions(words), _positions(stems)
    for phrase, phrase_stems, *_ in _lexicon(REAL).phrases:
        assert _find(words, phrase, word_at.get(phrase[0], [])) == _find(words, phrase)
        starts = stem_at.get(phrase_stems[0], [])
        assert _forms_at(words, stems, phrase_stems, phrase, starts) == _forms_at(
            words, stems, phrase_stems, phrase
        )


def _search_as_before(
    index: PassageIndex,
    terms: list[str],
    providers: set[str] | None,
    implied: dict[str, re.Pattern[str]] | None,
) -> list[Hit]:
    """The former search: every candidate passage against every term."""
    total = sum(index.weight(t) for t in terms)
    if not total:
        return []
    hits: list[Hit] = []
    candidates = sorted({i for t in terms for i in index._postings.get(t, ())})
    for i in candidates:
        passage, counts, length = index.passages[i], index._terms[i], index._lengths[i]
        if providers is not None and passage.provider_id not in providers:
            continue
        score = found = 0.0
        for term in terms:
            tf = counts.get(term, 0)
            if not tf and implied and term in implied and implied[term].search(passage.text):
                tf = 1
            if tf:
                norm = K1 * (1 - B + B * length / index._average)
                score += index.weight(term) * tf * (K1 + 1) / (tf + norm)
                found += index.weight(term)
        if score:
            hits.append(Hit(passage, score / total, found / total))
    hits.sort(key=lambda h: (-h.score, len(h.passage.text)))
    return hits


@pytest.mark.parametrize(
    "question",
    [
        "qual o dns da mutum",
        "qual o link do app e o preço do plano",
        "quanto custa a visita técnica e qual o telefone do financeiro",
        " ".join(_words_of_the_kb(700, 7)),
    ],
)
@pytest.mark.parametrize("providers", [None, {"vmnet"}, {"mutum", "sejafibra"}])
def test_the_search_scores_as_before_to_the_last_bit(
    question: str, providers: set[str] | None
) -> None:
    words = normalize(question).split()
    implied = {stem(w): kind.held for kind in facts_asked(words) for w in kind.nouns}
    terms = search_terms(words)
    index = passage_index(REAL)
    for asked in (implied or None, None):
        assert index.search(terms, providers, asked) == _search_as_before(
            index, terms, providers, asked
        )


def _normalize_as_before(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", folded, flags=re.UNICODE).strip()


@pytest.mark.parametrize(
    "text",
    ["dns", "DNS", "Mutum", "W5-1200G", "w5 1200g", "0800", "a_b", "", "  x  ", "Ação",
     "ℌ", "ℌ1", "Straße", "nº5", "ﬁbra", "e\u0301", "Ｗ５", "İ", "qual o DNS?"],
)  # fmt: skip
def test_normalising_plain_words_outside_the_memo_gives_what_it_gave(text: str) -> None:
    assert normalize(text) == _normalize_as_before(text)
    assert compact(text) == _normalize_as_before(text).replace(" ", "")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    assert fold(text) == "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_a_pasted_message_is_read_to_its_last_words() -> None:
    """4,096 characters of a customer's story; the ISP and the question only at the end."""
    story = "o roteador reiniciou depois que a energia caiu e a luz ficou piscando. "
    tail = " cliente da mutum, qual o dns?"
    message = (story * math.ceil(MAX_QUERY_CHARS / len(story)))[: MAX_QUERY_CHARS - len(tail)]
    message += tail
    assert len(message) == MAX_QUERY_CHARS
    reply = answer(REAL, message)
    assert reply.kind is ReplyKind.ANSWER
    assert (reply.provider_id, reply.topic_id) == ("mutum", "dns")


# --------------------------------------------------------------------------- session 11
# Made-up pasted messages (no benchmark's wording): where the agent's question is, which
# sentence a question is about, and which clue names the ISP.


@pytest.mark.parametrize(
    ("pasted", "isp", "why"),
    [
        (
            # a price another ISP's plan costs, told in passing
            "oi, tudo bem? aqui é a dona marta, moro em sertania faz dois anos. meu neto mexeu "
            "no aparelho ontem e depois disso a conexao some toda hora. eu pago 49,90 todo mes "
            "direitinho e nunca atrasei nenhuma vez. com quantos dias de atraso voces cortam a "
            "internet?",
            "vmnet",
            "Sertânia → VM NET",
        ),
        (
            # the customer's own router, of a brand another ISP lists
            "boa tarde, sou de ubatuba e comprei um roteador tp-link pra colocar no quarto dos "
            "fundos porque o sinal nao chega la. meu genro disse que da pra usar como repetidor "
            "do de voces. voces configuram ou tenho que chamar alguem? obrigado",
            "sejafibra",
            "Ubatuba → Seja Fibra",
        ),
    ],
)
def test_the_place_a_pasted_customer_tells_outweighs_a_clue_told_in_passing(
    pasted: str, isp: str, why: str
) -> None:
    reply = answer(REAL, pasted)
    assert reply.kind is ReplyKind.ANSWER and reply.provider_id == isp
    assert why in to_plain(reply)


def test_with_a_sixth_isp_its_place_outweighs_a_price_and_a_brand_of_the_others(
    tmp_path: Path,
) -> None:
    six = real_kb_with(
        tmp_path, novarede=(Path(__file__).parent / "data" / "novarede.yaml").read_text()
    )
    priced = answer(
        six,
        "boa tarde, aqui e o seu joao, moro em senador guiomard faz uns anos. pago 49,90 todo "
        "mes e nunca atrasei, mas esse mes o dinheiro nao deu. com quantos dias de atraso "
        "voces cortam a internet? recebo so dia 20.",
    )
    assert priced.provider_id == "novarede" and priced.topic_id == "bloqueio"
    assert "Senador Guiomard → Nova Rede Telecom" in to_plain(priced)
    branded = answer(
        six,
        "boa tarde, instalei umas cameras no meu comercio aqui em senador guiomard, as cameras "
        "sao intelbras, e o rapaz disse que precisa de um mesh pra pegar o sinal no fundo. "
        "voces tem mesh pra alugar? quanto fica?",
    )
    assert branded.kind is ReplyKind.ANSWER
    assert (branded.provider_id, branded.topic_id) == ("novarede", "repetidor")


def test_places_of_two_isps_in_a_paste_still_ask_between_them() -> None:
    reply = answer(
        REAL,
        "boa noite, morava em ubatuba e agora to em sertania, levei o roteador junto e nao "
        "conecta de jeito nenhum, ja reiniciei varias vezes. quanto custa a mudanca de "
        "endereco? preciso pra trabalhar amanha cedo.",
    )
    assert reply.provider_id is None
    assert {b.ask.split()[-1] for b in reply.buttons} >= {"sejafibra", "vmnet"}


def test_the_agents_label_before_the_paste_is_its_question() -> None:
    pasted = (
        "cliente quer a segunda via do boleto: oi moça, sou eu de novo, o carteiro nunca "
        "entrega nada aqui na rua e eu preciso pagar ate sexta senao corta. me manda de novo "
        "por aqui, pode ser no whatsapp mesmo que eu abro no celular. -- netcenter"
    )
    assert agents_words(pasted)[0] == "cliente quer a segunda via do boleto"
    reply = answer(REAL, pasted)
    assert (reply.provider_id, reply.topic_id, reply.also) == ("netcenter", "fatura", ())


def test_the_agents_note_without_a_question_mark_is_its_question() -> None:
    pasted = (
        "netcenter, cliente mandou: oi, boa tarde, o boleto desse mes nao chegou no meu email "
        "e eu quero pagar hoje ainda. posso pagar no pix? me manda o codigo por favor. // "
        "segunda via do boleto"
    )
    assert agents_words(pasted) == ("netcenter, cliente mandou", "segunda via do boleto")
    reply = answer(REAL, pasted)
    assert (reply.provider_id, reply.topic_id) == ("netcenter", "fatura")


@pytest.mark.parametrize("separator", ["\n", " -> ", " => ", " → "])
def test_the_agents_question_under_the_paste_wins_over_the_customers(separator: str) -> None:
    pasted = (
        "lasernet, cliente mandou: boa noite, o tecnico veio ontem e disse que nao era nada no "
        "equipamento. quero saber quanto custa a visita tecnica improdutiva e se voces vao "
        f"cobrar essa visita no boleto{separator}qual o prazo do suporte?"
    )
    assert agents_words(pasted)[-1] == "qual o prazo do suporte?"
    reply = answer(REAL, pasted)
    assert (reply.provider_id, reply.topic_id) == ("lasernet", "prazo")


def test_a_last_line_of_a_chat_transcript_is_no_agents_note() -> None:
    transcript = (
        "Cliente: boa noite, minha internet caiu\nAtendente: qual o seu CPF?\n"
        "Cliente: 123, e vocês cobram a visita?"
    )
    assert agents_words(transcript) == ()


def test_a_question_pointing_back_is_read_with_the_sentence_before_it() -> None:
    pasted = (
        "vm net, cliente: oi, boa tarde. ontem apertei o botao de reset do roteador sem querer "
        "e a internet nao voltou mais. isso tem custo? moro sozinha e nao entendo dessas "
        "coisas, meu filho so vem no domingo."
    )
    asked, _tail, _facts = focus(pasted, REAL)
    assert asked.startswith("ontem apertei o botao de reset") and "isso tem custo?" in asked
    assert focus(pasted)[0].startswith("isso tem custo?")  # without the KB: as before
    reply = answer(REAL, pasted)
    assert (reply.provider_id, reply.topic_id) == ("vmnet", "reset")
    # the story's "agora" asks nothing about now
    now_told = answer(
        REAL,
        "vm net, cliente: oi, boa tarde. agora de manha apertei o botao de reset do roteador "
        "sem querer e a internet nao voltou mais. isso tem custo? moro sozinha e nao entendo "
        "dessas coisas, meu filho so vem no domingo.",
    )
    assert now_told.topic_id == "reset" and not now_told.clock


def test_an_emoji_ends_a_sentence_of_a_paste() -> None:
    pasted = (
        "seja fibra, cliente mandou: boa noite, quero saber se voces cobram a visita tecnica "
        "improdutiva, o tecnico veio e nao era nada no equipamento 😩 a internet caiu de novo "
        "agora a noite 😩 qual o prazo pra alguem vir aqui? trabalho de manha"
    )
    reply = answer(REAL, pasted)
    assert (reply.provider_id, reply.topic_id) == ("sejafibra", "prazo")


@pytest.mark.parametrize(
    "pasted",
    [
        "cliente quer acessar https://central.exemplo.com.br mas a pagina nao abre, diz que o "
        "certificado expirou e ele precisa pagar o boleto hoje senao corta, o que eu faço?",
        "o cliente falou que o link http://pagar.exemplo.net nao carrega no celular dele, ja "
        "tentou no computador tambem e nada, ele quer pagar hoje, tem outro jeito?",
    ],
)
def test_a_links_scheme_is_no_label_before_a_paste(pasted: str) -> None:
    # "https:" is a link's, not the agent's label ending: no words cut at the scheme.
    assert not any(words.endswith(("http", "https")) for words in agents_words(pasted))
