"""QA11 findings fixed on branch fixb (bot/reading/context.py): F2 "app sac" (every company's
customer service) names no ISP; F8 a place's lead then "de/em" + another town answers by
no lead; F5 "pe" of "cliente no pé do morro" is no state; F12 digits
after "cep" or before "mil"/"reais" are no phone. The QA's exact inputs plus one made-up
wording each."""

from __future__ import annotations

import pytest
from conftest import shared_real_kb

from bot.answers.core import answer
from bot.reading.reader import read

REAL = shared_real_kb()


def _owners(question: str) -> set[str]:
    return set(read(REAL, question).context_providers)


@pytest.mark.parametrize(
    "question",
    [
        "app sac",
        "o app sac não abre",
        "cliente baixou o app sac do banco",
        "aplicativo sac não carrega",
        "o aplicativo sac da operadora travou",  # made up
    ],
)
def test_f2_app_sac_names_no_isp(question: str) -> None:
    assert "vmnet" not in _owners(question)
    assert answer(REAL, question).provider_id != "vmnet"


@pytest.mark.parametrize(
    "question",
    [
        "cliente no pé do morro sem sinal",
        "cliente do pe de serra pediu boleto",
        "cliente de pe de galinha quer boleto",
        "cliente no pe da serra sem internet",
        "cliente do pé dos coqueiros sem sinal",  # made up
    ],
)
def test_f5_pe_followed_by_de_is_no_state(question: str) -> None:
    assert "vmnet" not in _owners(question)


def test_f5_control_a_state_still_reads() -> None:
    assert _owners("clientes de pe usam qual vpn?") == {"vmnet"}
    assert _owners("cliente de sp sem internet") == {"sejafibra", "vmnet"}


@pytest.mark.parametrize(
    ("question", "isp"),
    [
        ("cep 85 3276 ligou", "lasernet"),
        ("0800 680 mil reais de multa ligou", "netcenter"),
        ("o cep dele é 85 3276 000, ligou ontem", "lasernet"),  # made up
        ("ligou reclamando do 0800 680 reais cobrados", "netcenter"),  # made up
    ],
)
def test_f12_cep_and_money_are_no_phone(question: str, isp: str) -> None:
    assert isp not in _owners(question)


def test_f12_control_phones_still_read() -> None:
    assert _owners("o 0800 680 atende que horas?") == {"netcenter"}


@pytest.mark.parametrize(
    "question",
    [
        "quem atende a vila maria de são josé dos campos?",
        "quem cobre vila maria em campinas?",  # made up
    ],
)
def test_f8_a_lead_then_another_town_names_no_one(question: str) -> None:
    assert answer(REAL, question).provider_id != "vmnet"


def test_f8_control_a_lead_alone_still_reads() -> None:
    assert answer(REAL, "quem cobre vila maria?").provider_id == "vmnet"
