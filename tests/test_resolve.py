"""ISP and equipment names: exact, alias, prefix, fuzzy, ties and lookalikes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import real_kb_with

from bot.answers.core import answer
from bot.knowledge.kb import KB, load_kb
from bot.reading.resolve import (
    initials_of_one,
    resolve_equipment,
    resolve_provider,
    split_provider,
)
from kbfactory import ALFA, BETA, write_kb


@pytest.fixture
def kb(tmp_path: Path) -> KB:
    return load_kb(write_kb(tmp_path))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("alfa", "alfa"),
        ("Alfa Net", "alfa"),
        ("alfanet", "alfa"),
        ("VELHA ALFA", "alfa"),
        ("alfnet", "alfa"),
        ("beta", "beta"),
        ("beta fibr", "beta"),
        ("betta", "beta"),
    ],
)
def test_provider_names(kb: KB, typed: str, expected: str) -> None:
    match = resolve_provider(kb, typed)
    assert match.provider is not None and match.provider.id == expected


@pytest.mark.parametrize("typed", ["", "x", "gama", "zzzzzz", "fibra"])
def test_no_provider(kb: KB, typed: str) -> None:
    assert resolve_provider(kb, typed).provider is None


def test_lookalike_is_not_a_provider(kb: KB) -> None:
    match = resolve_provider(kb, "zeta")
    assert match.provider is None
    assert match.lookalike is not None and match.lookalike[1].id == "alfa"


def test_split_provider_finds_it_anywhere(kb: KB) -> None:
    match, rest = split_provider(kb, ["alfa", "net", "W5"])
    assert match.provider is not None and rest == ["W5"]
    match, rest = split_provider(kb, ["W5", "beta"])
    assert match.provider is not None and match.provider.id == "beta" and rest == ["W5"]
    match, rest = split_provider(kb, ["nada", "disso"])
    assert match.provider is None and rest == ["nada", "disso"]


GAMA = BETA.replace("id: beta", "id: gama").replace("Beta Fibra", "Gama Fibra Ótica Sul")


def test_split_provider_takes_a_whole_name_of_many_words(tmp_path: Path) -> None:
    """As many words as the longest name has: "gama fibra otica sul W5" is Gama and W5, not a
    guess from its first two words with "otica sul" left for the equipment."""
    kb = load_kb(write_kb(tmp_path, {"alfa": ALFA, "beta": BETA, "gama": GAMA}))
    match, rest = split_provider(kb, ["gama", "fibra", "otica", "sul", "W5"])
    assert match.provider is not None and match.provider.id == "gama"
    assert (match.score, rest) == (100.0, ["W5"])
    match, rest = split_provider(kb, ["W5", "Gama", "Fibra", "Ótica", "Sul"])
    assert match.provider is not None and match.provider.id == "gama" and rest == ["W5"]
    match, rest = split_provider(kb, ["gama", "W5"])  # a prefix still names it
    assert match.provider is not None and match.provider.id == "gama" and rest == ["W5"]


def test_prefixes_and_lookalikes_among_many_names(tmp_path: Path) -> None:
    kb = load_kb(write_kb(tmp_path, {"alfa": ALFA, "beta": BETA, "gama": GAMA}))
    assert [p.id for p in resolve_provider(kb, "gama fib").candidates] == ["gama"]
    assert [p.id for p in resolve_provider(kb, "beta fib").candidates] == ["beta"]
    assert resolve_provider(kb, "fibr").candidates == ()  # a prefix must start the name
    match = resolve_provider(kb, "Zeta")
    assert match.lookalike is not None and match.lookalike[0].name == "ZETA"


@pytest.mark.parametrize(
    ("typed", "models"),
    [
        ("w5-1200g", ["W5-1200G"]),
        ("W5", ["W5-1200G"]),
        ("w5 1200", ["W5-1200G"]),
        ("mr30", ["MERCUSYS MR30"]),
        ("mercusys", ["MERCUSYS AC12G", "MERCUSYS MR30"]),
        ("archer", []),
        ("", []),
    ],
)
def test_equipment(kb: KB, typed: str, models: list[str]) -> None:
    match = resolve_equipment(kb.providers["alfa"], typed)
    assert [e.model for e in match.candidates] == models
    assert (match.equipment is not None) == (len(models) == 1)


FACIL = (
    BETA.replace("id: beta", "id: facil")
    .replace("Beta Fibra", "Fibra Fácil Telecom")
    .replace("reviewed:", "aliases: [Fibra]\nreviewed:")
)


@pytest.fixture
def fibras(tmp_path: Path) -> KB:
    """Three ISPs with "Fibra" in a name; one of them starts with it (and was given it alone as
    an alias, as a careless import would)."""
    return load_kb(write_kb(tmp_path, {"alfa": ALFA, "beta": BETA, "gama": GAMA, "facil": FACIL}))


@pytest.mark.parametrize("typed", ["fibra", "Fibra", "FIBRA"])
def test_a_word_several_names_share_narrows_to_all_of_them(fibras: KB, typed: str) -> None:
    match = resolve_provider(fibras, typed)
    assert match.provider is None
    assert {p.id for p in match.candidates} == {"beta", "gama", "facil"}
    match, rest = split_provider(fibras, [typed, "W5"])
    assert {p.id for p in match.candidates} == {"beta", "gama", "facil"} and rest == ["W5"]


def test_the_whole_name_still_names_the_isp_that_shares_a_word(fibras: KB) -> None:
    for typed in ("fibra facil", "Fibra Fácil Telecom", "facil", "beta", "gama fibra"):
        match = resolve_provider(fibras, typed)
        assert match.provider is not None, typed
    assert resolve_provider(fibras, "fibra facil").provider.id == "facil"  # type: ignore[union-attr]


def test_a_word_two_names_share_in_the_real_kb_asks_between_them() -> None:
    """ "Fibra" is a word of Mutum Fibra and Seja Fibra: a choice between them, not "not found"."""
    real = load_kb(Path(__file__).resolve().parent.parent / "knowledge")
    assert {p.id for p in resolve_provider(real, "fibra").candidates} == {"mutum", "sejafibra"}


def test_an_ordinary_word_starting_only_an_alias_is_no_isp_in_a_command() -> None:
    """ "cabo" starts Seja Fibra's alias "Cabo Imagem" / "Caboimagem": the cable, not the ISP;
    the current name's ordinary first word ("seja") stays a short form where an ISP goes."""
    real = load_kb(Path("knowledge"))
    assert resolve_provider(real, "cabo").provider is None
    for typed in ("caboimagem", "cabo imagem", "seja", "sej"):
        match = resolve_provider(real, typed)
        assert match.provider is not None and match.provider.id == "sejafibra"
    match, _rest = split_provider(real, ["vm", "passar", "cabo"])
    assert match.provider is not None and match.provider.id == "vmnet"


# ---------------------------------------------------------------- initials (session 9's QA)

QUORVA = (
    "id: quorvatel\nname: Quorva Tel\ntimezone: America/Sao_Paulo\nstate: SP\n"
    "reviewed: 2026-11-30\ntopics:\n  dns: 'DNS primário 10.9.8.7'\n"
    "  ipfixo: 'IP fixo: somente plano empresarial.'\n"
)
QUINTA = QUORVA.replace("quorvatel", "quintateia").replace("Quorva Tel", "Quinta Teia")


def test_the_initials_of_an_isps_name_name_it_before_any_context_clue(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Session 9's QA, finding 7: "nc cliente gamer quer ip fixo" answered VM NET (its
    "Gamers"): "nc" is NETCENTER's initials ("Net Center"), and an ISP typed, short or not,
    is answered before any clue names another."""
    kb = real_kb_with(tmp_path_factory.mktemp("quorva"), quorvatel=QUORVA)
    assert initials_of_one(kb)["qt"] == "quorvatel"
    reply = answer(kb, "qt cliente gamer quer ip fixo")
    assert (reply.provider_id, reply.topic_id) == ("quorvatel", "ipfixo")
    assert answer(kb, "/dns qt").provider_id == "quorvatel"
    assert resolve_provider(kb, "qt").provider.id == "quorvatel"  # type: ignore[union-attr]
    # Glued to a command, two letters are the command's own ("/mudanc" is no "/muda" + "nc").
    assert answer(kb, "/mudanc mutum").provider_id == "mutum"
    assert answer(kb, "/financ seja").provider_id == "sejafibra"


def test_initials_two_isps_share_name_neither(tmp_path_factory: pytest.TempPathFactory) -> None:
    kb = real_kb_with(tmp_path_factory.mktemp("qt2"), quorvatel=QUORVA, quintateia=QUINTA)
    assert "qt" not in initials_of_one(kb)
    assert resolve_provider(kb, "qt").provider is None


def test_the_real_kbs_initials() -> None:
    """Only of the current name written in words: not of "VM NET Telecom", nor of a former
    name ("Cabo Imagem")."""
    real = load_kb(Path("knowledge"))
    assert initials_of_one(real) == {
        "ln": "lasernet",
        "mf": "mutum",
        "nc": "netcenter",
        "sf": "sejafibra",
        "vn": "vmnet",
    }
    reply = answer(real, "nc cliente gamer quer ip fixo")
    assert (reply.provider_id, reply.topic_id) == ("netcenter", "ipfixo")


def test_initials_that_are_a_word_of_the_catalogue_name_no_isp(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Review 10: a made-up "Tele Vale" had the initials "tv", and "/dns tv" answered for it;
    the catalogue's words (a topic's keyword or command, an abbreviation) are never initials."""
    vale = QUORVA.replace("quorvatel", "televale").replace("Quorva Tel", "Tele Vale")
    kb = real_kb_with(tmp_path_factory.mktemp("tv"), televale=vale)
    assert "tv" not in initials_of_one(kb)
    assert answer(kb, "/dns tv").provider_id is None
    assert resolve_provider(kb, "tv").provider is None


@pytest.mark.parametrize(
    "question",
    [
        "cliente disse que nc recebeu a fatura",
        "cliente nc recebeu o boleto, qual o pix?",
        "tbm nc sei o dns",
    ],
)
def test_initials_chat_writes_for_a_word_name_no_isp_inside_a_sentence(question: str) -> None:
    """Session 10's QA: "nc" is NETCENTER's initials and chat's "nunca": "cliente disse que nc
    recebeu a fatura" answered NETCENTER's invoice with no why-line. Inside a sentence it is
    the word; as the message's first word it stays the ISP ("nc cliente gamer quer ip fixo")."""
    real = load_kb(Path("knowledge"))
    assert answer(real, question).provider_id is None
    assert answer(real, "nc cliente gamer quer ip fixo").provider_id == "netcenter"


def test_a_made_up_isps_initials_still_name_it_inside_a_sentence(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    kb = real_kb_with(tmp_path_factory.mktemp("quorva2"), quorvatel=QUORVA)
    reply = answer(kb, "cliente da qt quer ip fixo")
    assert (reply.provider_id, reply.topic_id) == ("quorvatel", "ipfixo")


def test_every_isps_initials_inside_a_sentence_are_a_word() -> None:
    """QA 10: "nc" was "nunca" inside a sentence; so is "vn" ("vem") or "sf": any ISP's
    initials name it only as the message's first word or after "da", "do"..."""
    real = load_kb(Path("knowledge"))
    for question in ("cliente falou que vn amanha, qual o dns?", "o tecnico disse sf, qual o dns?"):
        assert answer(real, question).provider_id is None
    assert answer(real, "sf qual o dns?").provider_id == "sejafibra"


def test_names_resolved_are_remembered_per_kb_and_bounded(
    kb: KB, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name resolves once per KB (the KB never changes once loaded); the memo starts over
    when full, so a stream of new words never grows it for ever."""
    from bot.reading import resolve

    first = resolve_provider(kb, "alfa")
    assert resolve_provider(kb, "alfa") is first
    monkeypatch.setattr(resolve, "MEMO_LIMIT", 3)
    for typed in ("alfa", "beta", "alfx", "btea", "gama", "delta"):
        resolve_provider(kb, typed)
        assert len(resolve._resolved(kb)) <= 3
    assert resolve_provider(kb, "alfx") == resolve._resolve_provider(kb, "alfx")


def test_split_provider_gives_a_fresh_list_each_time(kb: KB) -> None:
    """The remembered split is never shared: a caller changing its words changes nothing else."""
    _match, rest = split_provider(kb, ["alfa", "W5-1200G"])
    rest.append("changed")
    again_match, again = split_provider(kb, ["alfa", "W5-1200G"])
    assert again == ["W5-1200G"] and again_match.provider is not None
