"""QA 11 (session 11): a value the agent types after a password word is the customer's
password: masked whole in what the bot stores, and never a clue nor a why-line."""

from __future__ import annotations

import pytest
from conftest import shared_real_kb

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.passwords import mask
from bot.knowledge.typed_passwords import MASK, mask_typed

REAL = shared_real_kb()


@pytest.mark.parametrize(
    ("typed", "secret"),
    [
        ('senha "minha casa" nao entra', "minha casa"),
        ('senha "abrir ordem de serviço" deu erro', "ordem de serviço"),
        ("senha 'abrir ordem de serviço'", "ordem de serviço"),
        ("senha do wifi “pedra azul” não vai", "pedra azul"),
        ("senha 0800 680 nao entra", "680"),
        ("senha 12 - 34", "34"),
        ("senha 12 @ 34", "34"),
    ],
)
def test_a_quoted_or_grouped_value_after_senha_is_masked_whole(typed: str, secret: str) -> None:
    assert secret not in mask(REAL, typed)
    assert MASK in mask(REAL, typed)
    assert secret not in mask_typed(typed) or secret.isdigit()


def test_quotes_without_a_password_word_are_left() -> None:
    typed = 'o cliente disse "minha casa caiu" ontem'
    assert mask(REAL, typed) == typed


@pytest.mark.parametrize(
    "typed",
    [
        "senha 0800 680 nao entra",
        'senha "abrir ordem de serviço" deu erro',
        "senha 'abrir ordem de serviço' deu erro",
        "senha “liberar manualmente” nao vai",
    ],
)
def test_a_typed_password_is_no_clue(typed: str) -> None:
    reply = answer(REAL, typed)
    assert reply.provider_id is None
    assert reply.kind is ReplyKind.MISSING_PROVIDER
    shown = to_plain(reply)
    assert "→" not in shown
    for word in ("680", "ordem", "manualmente"):
        assert word not in shown


def test_the_same_clue_without_the_password_word_still_names_its_isp() -> None:
    reply = answer(REAL, "o numero 0800 680 é de qual setor, funciona a noite?")
    assert reply.provider_id == "netcenter"


@pytest.mark.parametrize(
    "typed",
    [
        "cliente: oi, boa tarde, minha internet caiu",
        "cliente: oi 👋 boa tarde 🙏 minha internet ta sem funcionar, vocês mandam técnico?",
        "cliente oi tudo bem, a internet ta lenta",
    ],
)
def test_a_paste_opening_with_oi_is_a_greeting_not_the_company(typed: str) -> None:
    assert answer(REAL, typed).kind is not ReplyKind.LOOKALIKE


def test_the_company_oi_is_still_named_after_da() -> None:
    assert answer(REAL, "cliente da oi ligou").kind is ReplyKind.LOOKALIKE


def test_the_common_word_memo_lives_in_its_kb() -> None:
    """Review 11: a process-wide memo keyed on ``id()`` of a KB's word set could answer for a
    reloaded KB whose set got the freed one's id; the memo is the KB's own now."""
    from bot.reading import context

    kb = shared_real_kb()
    context.common_word(kb, "rede")
    context.short_form_is_word(kb, "seja")
    memo = context._common_memo(kb)
    assert memo.get("rede") is True and "short:seja" in memo
    assert not hasattr(context, "_common_cache")
