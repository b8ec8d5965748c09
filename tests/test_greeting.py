"""A message that only greets is greeted back (bot.answers.greeting), through the core: every
door says the same. Wordings made up, not taken from a benchmark."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MUTUM_DNS

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import load_kb

REAL = load_kb(Path(__file__).resolve().parent.parent / "knowledge")
ISP_NAMES = [p.name.lower() for p in REAL.providers.values()]


@pytest.mark.parametrize(
    ("said", "back"),
    [
        ("boa noite", "Boa noite!"),
        ("Boa tarde, pessoal!", "Boa tarde!"),
        ("bom dia galera", "Bom dia!"),
        ("oi", "Olá!"),
        ("Oii, tudo bem?", "Olá!"),
        ("olá", "Olá!"),
        ("e aí", "Olá!"),
        ("muito obrigada!", "De nada!"),
        ("valeu", "De nada!"),
        # QA: each of these got a menu, passages or "não entendi"
        ("boa noite equipe", "Boa noite!"),
        ("ok", "Certo!"),
        ("bom diaa", "Bom dia!"),
        ("tchau", "Até mais!"),
        ("obg", "De nada!"),
        ("até mais", "Até mais!"),
        ("alô", "Olá!"),
        # made up beside them
        ("Okk, valeu!", "De nada!"),
        ("boa tardeee a todos", "Boa tarde!"),
        ("oiii pessoal", "Olá!"),
        ("tá bom", "Certo!"),
        ("flw, bom plantão", "Até mais!"),
        ("entendido", "Certo!"),
    ],
)
def test_a_bare_greeting_is_greeted_back_with_a_hint(said: str, back: str) -> None:
    reply = answer(REAL, said)
    shown = to_plain(reply)
    assert reply.kind is ReplyKind.GREETING
    assert shown.startswith(back)
    assert "/ajuda" in shown and "Não entendi" not in shown
    assert reply.provider_id is None and reply.topic_id is None and not reply.buttons
    assert not reply.gap  # nothing for the supervisors' gaps list


@pytest.mark.parametrize(
    "question",
    [
        "boa noite, qual o dns da mutum?",
        "oi, dns da mutum",
        "Bom dia! Qual o DNS da Mutum Fibra?",
        "ok, e o dns da mutum?",
        "bom diaa equipe, dns da mutum?",
    ],
)
def test_a_greeting_before_a_question_still_answers_it(question: str) -> None:
    reply = answer(REAL, question)
    assert reply.kind is ReplyKind.ANSWER
    assert MUTUM_DNS in to_plain(reply)


@pytest.mark.parametrize(
    "said", ["boa", "noite", "tudo", "oi mutum", "ok mutum", "tchau vmnet", "ta", "ate"]
)
def test_a_word_that_only_looks_like_a_greeting_is_no_greeting(said: str) -> None:
    assert answer(REAL, said).kind is not ReplyKind.GREETING
