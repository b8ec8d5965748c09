"""A pasted message of up to 4,096 characters is read whole, and its reading is the one the
former scans gave: phrases looked for only where their first word stands, the search adding each
term to the passages holding it, plain words kept out of the normalisation memo."""

from __future__ import annotations

import math
import random
import re
import unicodedata

import pytest
from conftest import shared_real_kb

from bot.answers.core import MAX_QUERY_CHARS, answer
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
