"""The coverage replies through the core: /agora, /agora <isp>, /horario <isp>, /escala [dia]."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import shared_real_kb

from bot.answers.core import META_COMMANDS, answer
from bot.answers.render.plain import to_plain
from bot.answers.render.telegram import to_html
from bot.answers.reply import Bar, Reply, ReplyKind, Timeline
from bot.coverage.answers import days_words, parse_day

ROOT = Path(__file__).resolve().parent.parent
REAL = shared_real_kb()
SP = ZoneInfo("America/Sao_Paulo")
MONDAY_NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=SP)


def ask(text: str, now: dt.datetime = MONDAY_NOON) -> str:
    return to_plain(answer(REAL, text, now))


def test_agora_lists_every_isp_with_mode_until_or_next_start() -> None:
    reply = answer(REAL, "/agora", MONDAY_NOON)
    assert reply.kind is ReplyKind.ANSWER
    out = to_plain(reply)
    assert "Cobertura da UPCALL agora — seg 23/11 12:00" in out
    assert "• LaserNet: só transbordo até às 18:00; depois cobertura total" in out
    assert "• Mutum Fibra: fora da cobertura; começa às 13:30 (12:30 no horário local)" in out
    assert "• NETCENTER: fora da cobertura; começa às 23:50" in out
    assert "• Seja Fibra: fora da cobertura; começa às 17:00" in out
    assert "• VM NET: fora da cobertura; começa às 18:00" in out
    assert [b.ask for b in reply.buttons] == [f"/agora {p}" for p in REAL.providers]


def test_agora_at_night_says_until_tomorrow() -> None:
    out = ask("/agora", dt.datetime(2026, 11, 23, 23, 55, tzinfo=SP))
    assert "• NETCENTER: cobertura total até amanhã às 08:00" in out
    assert "• VM NET: cobertura total até amanhã às 09:00" in out
    assert "• Mutum Fibra: cobertura total até amanhã às 09:30 (08:30 no horário local)" in out


def test_agora_isp_sectors_open_means_transfer() -> None:
    out = ask("/agora netcenter", dt.datetime(2026, 11, 23, 20, 0, tzinfo=SP))
    assert "UPCALL: fora da cobertura; começa às 23:50." in out
    assert "• Suporte N2: fechado; abre amanhã às 08:00" in out
    assert "• SAC/Suporte: aberto até a meia-noite" in out  # tonight's, not "amanhã às 00:00"
    assert "Setor aberto: dentro do horário dele, transferir." in out


def test_agora_isp_all_closed_means_open_an_os() -> None:
    out = ask("/agora vmnet", dt.datetime(2026, 11, 24, 3, 0, tzinfo=SP))
    assert "UPCALL: cobertura total até às 09:00." in out
    assert "• Financeiro: fechado; abre às 08:00" in out
    assert "Nenhum setor do provedor está aberto agora: não transferir; abrir OS" in out


def test_agora_mutum_shows_both_clocks_and_holiday() -> None:
    out = ask("/agora mutum")
    assert "agora são 11:00 no horário local" in out
    assert "• Atendimento do provedor: aberto até às 12:30 (11:30 no horário local)" in out
    christmas = ask("/agora mutum", dt.datetime(2026, 12, 25, 12, 0, tzinfo=SP))
    assert "Hoje é feriado para Mutum Fibra: Natal." in christmas
    assert (
        "• Atendimento do provedor: fechado; abre amanhã às 08:30 (07:30 no horário local)"
        in christmas
    )


def test_agora_unknown_isp_offers_the_list() -> None:
    reply = answer(REAL, "/agora xpto", MONDAY_NOON)
    assert reply.kind is ReplyKind.UNKNOWN_PROVIDER
    assert "/agora mutum" in [b.ask for b in reply.buttons]


def test_horario_has_windows_in_words_sectors_and_the_seed_text() -> None:
    out = ask("/horario mutum")
    assert (
        "• seg a sex: 19:30 (18:30 no horário local) → 09:30 (08:30 no horário local) do dia seguinte"
        in out
    )
    assert "• sáb: 12:00 (11:00 no horário local) até seg 09:30 (08:30 no horário local)" in out
    assert "seg a sex 07:30 (08:30 em Brasília)–11:30 (12:30 em Brasília) e 13:30" in out
    assert "Sábado após o 12h até Segunda as 09h30" in out  # the seed's text is still there
    netcenter = ask("/horario netcenter")
    assert "• sáb, feriados: 22:50 → 08:00 do dia seguinte" in netcenter
    assert "Feriados (nacionais e de BA): além do horário do dia da semana" in netcenter
    assert "• SAC/Suporte: seg a sáb 18:00–24:00; dom 08:00–23:00; fechado em feriados" in netcenter
    laser = ask("/horario lasernet")
    assert "• seg a sáb: 08:00–18:00 (só transbordo)" in laser
    assert "Feriados (nacionais e de CE): seguem o horário do dia da semana." in laser
    assert "24h" in ask("/horario vmnet")


def test_horario_free_text_still_reaches_the_topic() -> None:
    reply = answer(REAL, "/horario sejafibra", MONDAY_NOON)
    assert reply.kind is ReplyKind.ANSWER and reply.topic_id == "horario"
    assert "<b>Seja Fibra › Horário de atendimento da UPCALL</b>" in to_html(reply)


def test_escala_of_a_day() -> None:
    out = ask("/escala sab")
    assert "Escala da UPCALL — sáb 28/11/2026" in out
    assert "• NETCENTER: sex 22:50–08:00 · 22:50–dom 08:00" in out
    assert "• Seja Fibra: 12:00–22:00" in out
    assert "• LaserNet: sex 18:00–08:00 · 08:00–18:00 (só transbordo) · 18:00–seg 08:00" in out
    assert "[horário local do provedor: -1h]" in out
    christmas = ask("/escala 25/12")
    assert "• VM NET: qui 18:00–sáb 09:00 (feriado: Natal)" in christmas


def test_escala_default_is_today_and_bad_day_explains() -> None:
    assert "seg 23/11/2026" in ask("/escala")
    reply = answer(REAL, "/escala ontem-ontem", MONDAY_NOON)
    assert reply.kind is ReplyKind.NOT_UNDERSTOOD
    assert "Use /escala" in to_plain(reply)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", dt.date(2026, 11, 23)),
        ("hoje", dt.date(2026, 11, 23)),
        ("amanhã", dt.date(2026, 11, 24)),
        ("ontem", dt.date(2026, 11, 22)),
        ("seg", dt.date(2026, 11, 23)),
        ("domingo", dt.date(2026, 11, 29)),
        ("Sexta-feira", dt.date(2026, 11, 27)),
        ("25/12", dt.date(2026, 12, 25)),
        ("05/01", dt.date(2027, 1, 5)),
        ("01/02/2027", dt.date(2027, 2, 1)),
        ("2026-12-31", dt.date(2026, 12, 31)),
        ("31/02", None),
        ("semana", None),
    ],
)
def test_parse_day(typed: str, expected: dt.date | None) -> None:
    assert parse_day(typed, dt.date(2026, 11, 23)) == expected


def test_days_words() -> None:
    assert days_words(["mon", "tue", "wed", "thu"]) == "seg a qui"
    assert days_words(["sat", "holiday"]) == "sáb, feriados"
    assert days_words(["sat", "sun"]) == "sáb, dom"
    assert days_words(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]) == "todos os dias"


def test_agora_and_escala_are_meta_commands_in_the_help() -> None:
    assert "agora" in META_COMMANDS and "escala" in META_COMMANDS
    out = ask("/ajuda")
    assert "/agora [provedor]" in out and "/escala [dia]" in out


# --------------------------------------------------------------------------- /escala as a picture


def timeline_of(reply: Reply) -> Timeline:
    assert reply.timeline is not None
    return reply.timeline


def test_escala_carries_a_timeline_of_every_isp() -> None:
    reply = answer(REAL, "/escala sab", MONDAY_NOON)
    timeline = timeline_of(reply)
    assert timeline.title == "Escala da UPCALL — sáb 28/11/2026"
    assert timeline.subtitle == "horário de Brasília (GMT -3)"
    assert timeline.first == timeline.last == dt.date(2026, 11, 28)
    assert [r.label for r in timeline.rows] == [p.name for p in REAL.providers.values()]
    rows = {r.label: r for r in timeline.rows}
    # Same runs as the text: "sex 18:00–08:00 · 08:00–18:00 (só transbordo) · 18:00–seg 08:00".
    assert rows["LaserNet"].bars == (
        Bar(0, 480, "full", from_before=True, label="até 08:00"),
        Bar(480, 1080, "overflow", label="08:00–18:00"),
        Bar(1080, 1440, "full", to_after=True, label="desde 18:00"),
    )
    assert rows["Seja Fibra"].bars == (Bar(720, 1320, "full", label="12:00–22:00"),)
    assert rows["Mutum Fibra"].note == "horário local -1h"
    assert all(r.now is None and r.group == "" for r in timeline.rows)
    today = timeline_of(answer(REAL, "/escala", MONDAY_NOON))
    assert all(r.now == 12 * 60 for r in today.rows)
    christmas = timeline_of(answer(REAL, "/escala 25/12", MONDAY_NOON))
    assert all("feriado: Natal" in r.note for r in christmas.rows)
    assert {r.label: r for r in christmas.rows}["VM NET"].bars == (
        Bar(0, 1440, "full", from_before=True, to_after=True, label="o dia todo"),
    )


def test_the_timeline_changes_no_text_of_the_reply() -> None:
    for text in ("/escala sab", "/escala semana"):
        reply = answer(REAL, text, MONDAY_NOON)
        bare = dataclasses.replace(reply, timeline=None)
        assert to_html(reply) == to_html(bare) and to_plain(reply) == to_plain(bare)
    assert "Escala da UPCALL — sáb 28/11/2026 (horário de Brasília)" in ask("/escala sab")


def test_other_replies_have_no_timeline() -> None:
    for text in ("/agora", "/horario lasernet", "/dns mutum", "/escala ontem-ontem"):
        assert answer(REAL, text, MONDAY_NOON).timeline is None


def test_escala_semana_is_seven_days_in_words_and_in_a_picture() -> None:
    reply = answer(REAL, "/escala Semana", MONDAY_NOON)
    assert reply.kind is ReplyKind.ANSWER
    out = to_plain(reply)
    assert "Escala da UPCALL — seg 23/11 a dom 29/11/2026 (horário de Brasília)" in out
    assert out.count("• LaserNet:") == 7
    assert "sáb 28/11\n• LaserNet: sex 18:00–08:00 · 08:00–18:00 (só transbordo)" in out
    assert "dom 29/11\n• LaserNet: sáb 18:00–seg 08:00" in out
    assert [b.ask for b in reply.buttons] == [
        "/escala semana 16/11/2026",
        "/escala semana 30/11/2026",
    ]
    timeline = timeline_of(reply)
    assert timeline.title == "Escala da UPCALL — seg 23/11 a dom 29/11/2026"
    assert (timeline.first, timeline.last) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert len(timeline.rows) == 7 * len(REAL.providers)
    laser = [r for r in timeline.rows if r.group == "LaserNet"]
    assert [r.label for r in laser] == [
        "seg 23/11", "ter 24/11", "qua 25/11", "qui 26/11", "sex 27/11", "sáb 28/11", "dom 29/11"
    ]  # fmt: skip
    assert [r.now for r in laser] == [720, None, None, None, None, None, None]
    assert laser[6].bars == (Bar(0, 1440, "full", True, True, "o dia todo"),)  # Sunday
    assert {r.group for r in timeline.rows} >= {"Mutum Fibra · horário local -1h", "VM NET"}


def test_escala_semana_from_a_day_and_its_holidays() -> None:
    reply = answer(REAL, "/escala semana 21/12", MONDAY_NOON)
    timeline = timeline_of(reply)
    assert timeline.first == dt.date(2026, 12, 21)
    christmas = [r for r in timeline.rows if r.label == "sex 25/12"]
    assert len(christmas) == len(REAL.providers)
    assert all(r.note == "feriado: Natal" for r in christmas)
    assert "(feriado: Natal)" in to_plain(reply)
    bad = answer(REAL, "/escala semana que vem", MONDAY_NOON)
    assert bad.kind is ReplyKind.NOT_UNDERSTOOD and bad.timeline is None
    assert "/escala semana" in to_plain(bad)


@pytest.mark.parametrize(
    "text",
    ["/escala 31/12/9999", "/escala 0001-01-01", "/escala semana 31/12/9999", "/escala 1/1/2040"],
)
def test_escala_far_from_today_is_a_typo_not_a_crash(text: str) -> None:
    assert answer(REAL, text, MONDAY_NOON).kind is ReplyKind.NOT_UNDERSTOOD


def test_the_coverage_hours_say_whether_upcall_covers_the_isp_now() -> None:
    night = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    reply = answer(REAL, "/horario netcenter", night)
    assert reply.clock and reply.topic_id == "horario"
    out = to_plain(reply)
    assert "⏱ Agora: UPCALL cobertura total até às 08:00 (veja /agora netcenter)" in out
    assert out.index("⏱ Agora") < out.index("Janelas da UPCALL")  # under the title
    noon = to_plain(answer(REAL, "netcenter ja ta com a upcall?", MONDAY_NOON))
    assert "⏱ Agora: UPCALL fora da cobertura; começa às 23:50" in noon
