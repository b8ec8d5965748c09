"""The unanswered-questions log: what is recorded (and what never is), the store, the report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import shared_real_kb

from bot.answers.core import answer
from bot.answers.render.plain import to_plain
from bot.answers.render.telegram import to_html
from bot.answers.reply import ReplyKind
from bot.knowledge.passwords import mask, mask_secrets
from bot.policy.gaps import (
    Gap,
    GapStore,
    gap_for,
    gaps_reply,
    group_gaps,
    lacunas_reply,
    weekly_reply,
)

ROOT = Path(__file__).resolve().parent.parent
REAL = shared_real_kb()
ZONE = ZoneInfo("America/Sao_Paulo")
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=ZONE)  # a Monday


def record(question: str, chat_id: int = -100, at: dt.datetime = NOW) -> Gap | None:
    return gap_for(REAL, question, answer(REAL, question, at), chat_id, at)


@pytest.mark.parametrize(
    ("question", "kind", "provider", "topic"),
    [
        ("pessoal, alguém aí?", "not_understood", None, None),
        ("/dns lasernet", "no_info", "lasernet", "dns"),
        ("dns da lasernet?", "no_info", "lasernet", "dns"),
        ("/senha lasernet archer c6", "unknown_equipment", "lasernet", "senha"),
        ("/buscar carmella", "search", "vmnet", "cidades"),
    ],
)
def test_what_is_recorded(question: str, kind: str, provider: str, topic: str) -> None:
    gap = record(question, chat_id=-1001)
    assert gap is not None
    assert (gap.text, gap.kind, gap.provider, gap.topic) == (question, kind, provider, topic)
    assert gap.chat_id == -1001 and gap.when == NOW


@pytest.mark.parametrize(
    "question",
    ["qual o dns da mutum?", "/senha lasernet W5-1200G", "qual o dns?", "dns e bloqueio da mutum"],
)
def test_answers_and_questions_back_are_not_gaps(question: str) -> None:
    assert record(question) is None


def test_a_credential_typed_in_the_question_is_masked_and_the_reply_never_stored(
    tmp_path: Path,
) -> None:
    # Unsure between the system and the router (a login beside the system alone is the
    # system's login, answered: no gap).
    # Two ISPs' passwords: neither names its ISP (one alone would: a credential answer).
    question = (
        "cliente diz que a senha Lnt12345@ e deusefiel nao entram no sistema nem no roteador, "
        "e agora?"
    )
    reply = answer(REAL, question, NOW)
    gap = gap_for(REAL, question, reply, 1, NOW)
    assert gap is not None
    assert gap.text == (
        "cliente diz que a senha ••• e ••• nao entram no sistema nem no roteador, e agora?"
    )
    store = GapStore(tmp_path / "gaps.jsonl")
    store.append(gap)
    line = (tmp_path / "gaps.jsonl").read_text(encoding="utf-8")
    assert "Lnt12345@" not in line and "deusefiel" not in line
    assert set(json.loads(line)) == {"at", "chat_id", "text", "kind", "provider", "topic"}
    assert all(block.plain not in line for block in reply.blocks if len(block.plain) > 20)
    # Names that are also "passwords" somewhere ("sejafibra", "admin") are kept.
    kept = "senha admin da sejafibra, e netcentertelecom"
    assert mask_secrets(REAL, kept) == kept


def test_store_round_trip_skips_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / "state" / "gaps.jsonl"
    store = GapStore(path)
    assert store.since(NOW - dt.timedelta(days=7)) == []  # no file yet
    old = Gap((NOW - dt.timedelta(days=9)).isoformat(), 1, "antiga", "not_understood", None, None)
    new = Gap(NOW.isoformat(), 2, "nova", "no_info", "mutum", "dns")
    store.append(old)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"at": "ontem", "broken\n')  # a crash mid-write
        handle.write(
            '{"at": "2026-11-23T08:00:00", "chat_id": 1, "text": "x", "kind": "k",'
            ' "provider": null, "topic": null}\n'
        )  # a time without its zone
    store.append(new)
    assert store.since(NOW - dt.timedelta(days=7)) == [new]
    assert store.since(NOW - dt.timedelta(days=30)) == [old, new]


def test_an_unwritable_store_does_not_raise(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    GapStore(blocker / "gaps.jsonl").append(Gap(NOW.isoformat(), 1, "x", "k", None, None))


def _gap(text: str, days_ago: float, provider: str | None = "vmnet", kind: str = "unsure") -> Gap:
    at = NOW - dt.timedelta(days=days_ago)
    return Gap(at.isoformat(), 1, text, kind, provider, "desbloqueio")


def test_groups_by_normalised_words_most_frequent_first() -> None:
    gaps = [
        _gap("qnts dias p liberar?", 3),
        _gap("Quantos dias para liberar", 2),  # the same question, spelt out
        _gap("quantos dias pra liberar!!", 1),
        _gap("outra pergunta", 0.5),
        _gap("sem provedor", 0.2, provider=None, kind="not_understood"),
        _gap("mutum x", 0.1, provider="mutum"),
    ]
    grouped = group_gaps(REAL, gaps)
    assert list(grouped) == ["vmnet", "mutum", None]
    first = grouped["vmnet"][0]
    assert (first.count, first.text) == (3, "quantos dias pra liberar!!")
    assert first.last == NOW - dt.timedelta(days=1)
    assert [g.count for g in grouped["vmnet"]] == [3, 1]


def test_the_report() -> None:
    gaps = [_gap("qnts dias p liberar?", 2), _gap("quantos dias para liberar", 1)]
    gaps += [_gap(f"pergunta {i}", 1, provider="mutum", kind="no_info") for i in range(7)]
    gaps += [_gap("ola", 1, provider=None, kind="not_understood")]
    out = to_plain(gaps_reply(REAL, gaps, "Título", ZONE))
    assert out.startswith("== Título ==")
    assert "== Mutum Fibra — 7 pergunta(s) ==" in out
    assert "== VM NET — 2 pergunta(s) ==" in out
    assert "== Provedor não identificado — 1 pergunta(s) ==" in out
    assert out.index("Mutum Fibra") < out.index("VM NET") < out.index("não identificado")
    assert (
        "• 2× “quantos dias para liberar” — entendida com dúvida; última 22/11 08:00"
        " (palpite: Desbloqueio de confiança)" in out
    )
    assert "o documento não traz" in out
    assert "… e mais 2 pergunta(s) diferentes." in out
    assert "knowledge/topics.yaml" in out
    empty = to_plain(gaps_reply(REAL, [], "Título", ZONE))
    assert "Nenhuma pergunta sem resposta no período." in empty
    assert "<script>" not in to_html(gaps_reply(REAL, [_gap("<script>", 1)], "T", ZONE))


def test_lacunas_days(tmp_path: Path) -> None:
    store = GapStore(tmp_path / "gaps.jsonl")
    store.append(_gap("recente", 2))
    store.append(_gap("de um mes", 20))
    week = to_plain(lacunas_reply(REAL, store, NOW))
    assert "últimos 7 dias" in week and "recente" in week and "de um mes" not in week
    month = to_plain(lacunas_reply(REAL, store, NOW, ["30"]))
    assert "últimos 30 dias" in month and "de um mes" in month
    for bad in (["semana"], ["0"], ["9999"], ["1", "2"]):
        reply = lacunas_reply(REAL, store, NOW, bad)
        assert reply.kind is ReplyKind.EMPTY
        assert "Use /lacunas ou /lacunas <dias>" in to_plain(reply)


def test_weekly_reply_covers_the_seven_days_before(tmp_path: Path) -> None:
    store = GapStore(tmp_path / "gaps.jsonl")
    store.append(_gap("desta semana", 6.9))
    store.append(_gap("da semana passada", 7.1))
    out = to_plain(weekly_reply(REAL, store, NOW))
    assert "Resumo semanal: perguntas sem resposta (16/11 a 23/11)" in out
    assert "desta semana" in out and "da semana passada" not in out


def test_control_characters_are_neither_echoed_nor_stored() -> None:
    typed = "qual o\x00 plano da \x1b[31mzzzq\x7f\u202e\x9b fibra?"
    reply = answer(REAL, typed, NOW)
    shown = "".join(block.plain for block in reply.blocks)
    gap = gap_for(REAL, typed, reply, 1, NOW)
    assert gap is not None
    for text in (shown, gap.text):
        assert not any(ch in text for ch in "\x00\x1b\x7f\u202e\x9b"), repr(text)
    assert "[31mzzzq" in gap.text  # the rest of what was typed is kept


def test_a_password_an_agent_typed_is_masked_even_when_the_kb_does_not_know_it() -> None:
    typed = "cliente mudou a senha: Xyz-98765 e a senha do roteador Lnt12345@ não entra"
    stored = mask(REAL, typed)
    assert "Xyz-98765" not in stored and "Lnt12345@" not in stored
    assert stored.startswith("cliente mudou a senha: •••")


def test_lacunas_and_the_weekly_post_survive_damaged_lines(tmp_path: Path) -> None:
    store = GapStore(tmp_path / "gaps.jsonl")
    good = Gap(NOW.isoformat(), 1, "plano da mutum", "no_info", "mutum", None)
    store.append(good)
    with store.path.open("ab") as handle:
        handle.write('{"at": "2026-11-23T07:00:00-03:00", "text": "aç'.encode()[:-1] + b"\n")
        handle.write(b"\xff\xfe\n")
        for wrong in (
            '"at": "ontem", "chat_id": 1, "text": "x"',
            '"at": "2026-11-23T07:00:00-03:00", "chat_id": 1, "text": null',
            '"at": "2026-11-23T07:00:00-03:00", "chat_id": true, "text": "x"',
        ):
            handle.write(
                ("{" + wrong + ', "kind": "k", "provider": null, "topic": null}\n').encode()
            )
    store.append(good)
    assert store.since(NOW - dt.timedelta(days=7)) == [good, good]
    assert "plano da mutum" in to_plain(lacunas_reply(REAL, store, NOW))
    assert "plano da mutum" in to_plain(weekly_reply(REAL, store, NOW))


def test_a_whatsapp_chat_id_is_kept(tmp_path: Path) -> None:
    store = GapStore(tmp_path / "gaps.jsonl")
    gap = Gap(
        NOW.isoformat(), "120363025246125486@g.us", "plano da mutum", "no_info", "mutum", None
    )
    store.append(gap)
    assert store.since(NOW - dt.timedelta(days=7)) == [gap]


@pytest.mark.parametrize(
    ("typed", "gone", "kept"),
    [
        ("/senha lasernet W5-1200G MinhaSenha#2024", ["MinhaSenha#2024"], ["lasernet", "W5-1200G"]),
        (
            "/senha@upcall_bot lasernet do W5-1200G Outra_senha9",
            ["Outra_senha9"],
            ["lasernet", "do"],
        ),
        ("/senhas mutum HG8245H seg#redo", ["seg#redo"], ["HG8245H"]),
        ("a senha é Xy7-8899! e não entra", ["Xy7-8899!"], ["a senha é", "não entra"]),
        ("password Qwerty77 da lasernet", ["Qwerty77"], ["lasernet"]),
        ("senha lasernet W5-1200G MinhaSenha#2024", ["MinhaSenha#2024"], ["W5-1200G"]),
        ("login na 192.168.0.1 com Abc_12345 não vai", ["Abc_12345"], ["192.168.0.1", "não vai"]),
    ],
)
def test_a_password_typed_in_any_form_is_masked_in_what_is_stored(
    typed: str, gone: list[str], kept: list[str]
) -> None:
    stored = mask(REAL, typed)
    for secret in gone:
        assert secret not in stored, stored
    for word in kept:
        assert word in stored, stored
    gap = gap_for(REAL, typed, answer(REAL, typed, NOW), -100, NOW)
    if gap is not None:
        assert not any(secret in gap.text for secret in gone), gap.text


def test_ordinary_questions_keep_their_words() -> None:
    for typed in ("plano de 500 mega da lasernet", "qual a senha do wi-fi da lasernet 2024"):
        assert mask(REAL, typed) == typed


@pytest.mark.parametrize(
    ("typed", "gone", "kept"),
    [
        ("/senha lasernet minhasenhasecreta", ["minhasenhasecreta"], ["/senha lasernet"]),
        ("/senha lasernet w5-1200g segredolindo", ["segredolindo"], ["lasernet w5-1200g"]),
        ("/senha segredolindo", ["segredolindo"], ["/senha"]),
        ("/senha lasernet roteador da sala", [], ["/senha lasernet roteador da sala"]),
        ("/senha lasernt intelbras", [], ["/senha lasernt intelbras"]),
        ("/senha mutum huawei", [], ["/senha mutum huawei"]),
    ],
)
def test_a_lowercase_password_in_a_credential_command_is_masked(
    typed: str, gone: list[str], kept: list[str]
) -> None:
    """A password typed in lower case has no digit, sign or capital to give it away: in a
    credential command a rare word that names no ISP, equipment or common word is taken for one
    (the gaps log and the audit log both store ``mask``'s text)."""
    stored = mask(REAL, typed)
    for secret in gone:
        assert secret not in stored, stored
    for words in kept:
        assert words in stored, stored
    gap = gap_for(REAL, typed, answer(REAL, typed, NOW), 202, NOW)
    if gap is not None:
        assert not any(secret in gap.text for secret in gone), gap.text


def test_which_isp_for_a_topic_read_with_low_confidence_is_a_gap() -> None:
    # No ISP, two topics close: "which ISP?" for the one ahead, the other offered -- still
    # worth a supervisor's look, as the menu of topics was. A plain "which ISP?" is no gap.
    unsure = answer(REAL, "cliente trouxe o comprovante, posso liberar?", NOW)
    assert unsure.kind is ReplyKind.MISSING_PROVIDER and unsure.gap
    assert gap_for(REAL, "cliente trouxe o comprovante, posso liberar?", unsure, 1, NOW)
    assert not answer(REAL, "qual o dns?", NOW).gap
