"""QA 11 (session 11): this session's rule-wording clues must not name an ISP from an agent's
everyday words: "bot" is what agents call this tool; "abrir ordem de serviço" is anyone's act."""

from __future__ import annotations

import pytest
from conftest import shared_real_kb

from bot.answers.core import answer

REAL = shared_real_kb()


@pytest.mark.parametrize(
    "typed",
    [
        "bot me ajuda: segunda via do boleto",
        "valeu bot, e a segunda via?",
        "esse bot não sabe nada, como tiro segunda via?",
        "o bot da empresa manda boleto?",
        "cliente disse que o bot travou",
        "obrigado robo, e a segunda via do boleto?",
        "posso abrir ordem de serviço?",
        "vou abrir ordem de serviço pro cliente",
        "abrir ordem de serviço pra visita, como faço?",
        "precisa abrir ordem de serviço pra troca de equipamento?",
    ],
)
def test_everyday_words_name_no_isp(typed: str) -> None:
    assert answer(REAL, typed).provider_id is None


@pytest.mark.parametrize(
    ("typed", "isp"),
    [
        ("segunda via do boleto no bot?", "sejafibra"),
        ("pode falar abrir ordem de servico pro cliente?", "netcenter"),
        ("posso dizer pro cliente que vou abrir ordem de serviço?", "netcenter"),
    ],
)
def test_the_rule_still_names_its_isp_where_it_is_the_rule(typed: str, isp: str) -> None:
    assert answer(REAL, typed).provider_id == isp


@pytest.mark.parametrize(
    "typed",
    [
        "senha da central sao os 4 primeiros numeros do cpf?",
        "central: senha eh os 4 primeiros numeros cpf e ta dando erro",
    ],
)
def test_one_rule_two_isps_write_in_other_words_offers_both(typed: str) -> None:
    """Mutum writes "4 primeiros números CPF", NETCENTER "4 primeiros dígitos do CPF": the agent's
    choice of word must not pick one of them (QA 11, F7). Left: "dígitos do cpf" still names
    NETCENTER through an older context term ("primeiros dígitos do CPF")."""
    reply = answer(REAL, typed)
    assert reply.provider_id is None
    asks = {b.ask for b in reply.buttons}
    assert {"/central mutum", "/central netcenter"} <= asks
