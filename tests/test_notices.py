"""Shift-change notices, core: the words of each notice, the plan (on time, late, dropped, advance
notices) and the state file that keeps a restart from posting one twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import shared_real_kb

from bot.answers.render.plain import to_plain
from bot.answers.render.telegram import to_html
from bot.coverage import notices
from bot.coverage.engine import Event
from bot.coverage.notices import LEAD, MAIN, Notice, notice_reply, plan
from bot.knowledge.schema import Provider
from fake_bot_api import plain_text

ROOT = Path(__file__).resolve().parent.parent
REAL = shared_real_kb()
SP = ZoneInfo("America/Sao_Paulo")
UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)
HORIZON = dt.timedelta(hours=48)
LEAD_10 = dt.timedelta(minutes=10)
GRACE_30 = dt.timedelta(minutes=30)

# 2026-11-23 is a Monday. Mutum Fibra (GMT -4) opens at 19:30 Brasília, 18:30 local.
MUTUM_OPEN = dt.datetime(2026, 11, 23, 19, 30, tzinfo=SP)
MUTUM_CLOSE = dt.datetime(2026, 11, 23, 9, 30, tzinfo=SP)
LASER_OVERFLOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=SP)
LASER_FULL = dt.datetime(2026, 11, 23, 18, 0, tzinfo=SP)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SP)


def isp(pid: str) -> Provider:
    return REAL.providers[pid]


def main(provider: str, kind: str, moment: dt.datetime, mode: str | None = "full") -> Notice:
    event = Event(moment.astimezone(UTC), provider, kind, mode)  # type: ignore[arg-type]
    return Notice(event, MAIN, event.at)


def lead_of(notice: Notice, lead: dt.timedelta = LEAD_10) -> Notice:
    return Notice(notice.event, LEAD, notice.event.at - lead)


def shown(notice: Notice, now: dt.datetime) -> str:
    """The notice as Telegram shows it (its HTML parsed as Telegram would)."""
    reply = notice_reply(notice, isp(notice.provider), now)
    return plain_text(to_html(reply), "HTML")


def planned(
    now: dt.datetime,
    *,
    providers: list[Provider] | None = None,
    lead: dt.timedelta = LEAD_10,
    grace: dt.timedelta = GRACE_30,
    sent: frozenset[str] = frozenset(),
    horizon: dt.timedelta = HORIZON,
) -> notices.Plan:
    chosen = providers if providers is not None else list(REAL.providers.values())
    return plan(chosen, now, horizon=horizon, lead=lead, grace=grace, sent=sent)


# --------------------------------------------------------------------------- words


def test_an_open_says_what_until_when_and_what_matters_on_both_clocks() -> None:
    text = shown(main("mutum", "open", MUTUM_OPEN), MUTUM_OPEN)
    lines = text.splitlines()
    assert lines[0] == "🟢 Mutum Fibra: a UPCALL assume o atendimento (cobertura total)"
    assert "Quando: às 19:30 (18:30 no horário local)." in lines
    assert "Cobertura total até amanhã às 09:30 (08:30 no horário local)." in lines
    assert "Canais: chat, ligação · Sistemas: UPSOFT, IXC, OPA" in lines
    assert "Setores do provedor às 19:30 (18:30 no horário local):" in lines
    # The document names no transfer to this sector (only to a financeiro it gives no hours
    # of): its hours, no action (QA7 #20).
    assert (
        "• Atendimento do provedor: fechado; abre amanhã às 08:30 (07:30 no horário local)" in lines
    )
    assert "/setores mutum" in text
    assert "atrasado" not in text


def test_a_close_gives_the_next_window_and_no_transfer_guide() -> None:
    text = shown(main("mutum", "close", MUTUM_CLOSE, None), MUTUM_CLOSE)
    assert text.splitlines()[0] == "🔴 Mutum Fibra: a UPCALL encerra o atendimento"
    assert "Quando: às 09:30 (08:30 no horário local)." in text
    # The lunch-break window: 13:30–15:30 Brasília.
    assert (
        "Próxima cobertura: às 13:30 (12:30 no horário local), até às 15:30 "
        "(14:30 no horário local)." in text
    )
    assert "Canais" not in text and "transferir" not in text


def test_a_mode_change_to_overflow_and_back_lasernet() -> None:
    to_overflow = shown(main("lasernet", "mode", LASER_OVERFLOW, "overflow"), LASER_OVERFLOW)
    assert to_overflow.splitlines()[0] == "🟡 LaserNet: a UPCALL passa a somente transbordo"
    assert "Somente transbordo até às 18:00; depois cobertura total." in to_overflow
    # LaserNet's document says "não devemos transferir": no "→ transferir" (QA7 #20).
    assert "• Atendimento do provedor: aberto até às 18:00" in to_overflow.splitlines()
    assert "no horário local" not in to_overflow  # Fortaleza shows Brasília's time

    to_full = shown(main("lasernet", "mode", LASER_FULL, "full"), LASER_FULL)
    assert to_full.splitlines()[0] == "🟢 LaserNet: a UPCALL volta à cobertura total"
    assert "Cobertura total até amanhã às 08:00; depois somente transbordo." in to_full
    assert "• Atendimento do provedor: fechado; abre amanhã às 08:00" in to_full.splitlines()


def test_only_sectors_the_document_transfers_to_get_an_action() -> None:
    # QA7 #20: Seja Fibra's plantões got "→ transferir"; the document only gives their hours.
    friday_17h = dt.datetime(2026, 12, 4, 17, 0, tzinfo=SP)
    seja = shown(main("sejafibra", "open", friday_17h), friday_17h).splitlines()
    plantoes = [line for line in seja if line.startswith("• Plantão")]
    assert len(plantoes) == 2 and not any("→" in line for line in plantoes)
    transfers = [line for line in seja if line.startswith("• Suporte Interno (Transferências)")]
    assert transfers and all(line.endswith(("→ transferir", "→ abrir OS")) for line in transfers)
    assert any(line.startswith("• Loja:") and "→" not in line for line in seja)
    # VM NET's document transfers to the Financeiro and the Comercial, not to the field team.
    at_7 = dt.datetime(2026, 12, 4, 11, 0, tzinfo=SP)
    vmnet = shown(main("vmnet", "open", at_7), at_7).splitlines()
    assert any(line.startswith("• Financeiro: aberto") and "→ transferir" in line for line in vmnet)
    assert any(line.startswith("• Técnicos de campo:") and "→" not in line for line in vmnet)


def test_tonights_midnight_is_the_midnight_not_tomorrow() -> None:
    # QA7 #20: NETCENTER's SAC/Suporte "aberto até amanhã às 00:00" (Friday 22:50).
    friday_2250 = dt.datetime(2026, 12, 4, 22, 50, tzinfo=SP)
    text = shown(main("netcenter", "open", friday_2250), friday_2250)
    assert "• SAC/Suporte: aberto até a meia-noite" in text.splitlines()
    assert "amanhã às 00:00" not in text


def test_an_advance_notice_counts_the_minutes_and_shows_the_sectors_at_the_boundary() -> None:
    notice = lead_of(main("mutum", "open", MUTUM_OPEN))
    text = shown(notice, MUTUM_OPEN - LEAD_10)
    title = "⏰ Mutum Fibra: em 10 min a UPCALL assume o atendimento (cobertura total)"
    assert text.splitlines()[0] == title
    assert "Setores do provedor às 19:30 (18:30 no horário local):" in text
    # Posted late (the bot started 4 minutes before): the minutes left, not the lead.
    assert "em 4 min a UPCALL" in shown(notice, MUTUM_OPEN - 4 * MINUTE)


def test_an_advance_notice_of_a_close_the_day_before() -> None:
    notice = lead_of(main("vmnet", "close", at("2026-11-24T09:00"), None))
    text = shown(notice, at("2026-11-24T08:50"))
    assert text.splitlines()[0] == "⏰ VM NET: em 10 min a UPCALL encerra o atendimento"
    assert "Próxima cobertura: às 18:00, até amanhã às 09:00." in text


def test_a_late_notice_is_marked_with_the_boundary_time_and_shows_the_sectors_now() -> None:
    notice = main("vmnet", "open", at("2026-11-23T18:00"))
    late = notices.Notice(notice.event, MAIN, notice.due, late=True)
    text = shown(late, at("2026-11-23T18:20"))
    assert (
        text.splitlines()[0]
        == "🟢 VM NET: a UPCALL assume o atendimento (cobertura total) (atrasado: 18:00)"
    )
    assert "Setores do provedor às 18:20:" in text


def test_a_holiday_is_named_in_the_notice() -> None:
    # 2026-11-20, Consciência Negra: a national holiday on a Friday.
    notice = main("sejafibra", "open", at("2026-11-20T17:00"))
    assert "Feriado para Seja Fibra: Dia Nacional de Zumbi e da Consciência Negra." in shown(
        notice, notice.due
    )


def test_every_notice_of_two_days_renders_as_valid_telegram_html() -> None:
    now = at("2026-11-23T00:00")
    upcoming = planned(now).later
    assert len(upcoming) > 20
    for notice in upcoming:
        reply = notice_reply(notice, isp(notice.provider), notice.due)
        assert plain_text(to_html(reply), "HTML").strip()
        assert len(to_html(reply)) < 4096
        assert to_plain(reply).startswith("== ")


# --------------------------------------------------------------------------- planning


def test_on_time_the_boundary_is_posted_now_and_not_late() -> None:
    result = planned(MUTUM_OPEN, lead=dt.timedelta(0))
    assert [n.key for n in result.now] == [main("mutum", "open", MUTUM_OPEN).key]
    assert result.now[0].late is False
    assert result.now[0].key == "mutum:open:2026-11-23T22:30:00+00:00:main"


def test_a_timer_waking_a_hair_early_still_posts() -> None:
    early = MUTUM_OPEN - dt.timedelta(milliseconds=400)
    assert [n.key for n in planned(early, lead=dt.timedelta(0)).now] == [
        main("mutum", "open", MUTUM_OPEN).key
    ]
    assert planned(MUTUM_OPEN - 2 * dt.timedelta(seconds=1), lead=dt.timedelta(0)).now == ()


def test_ahead_of_time_the_boundary_and_its_advance_notice_are_scheduled() -> None:
    now = at("2026-11-23T19:00")
    result = planned(now)
    assert result.now == ()
    mutum = [n for n in result.later if n.provider == "mutum"][:2]
    assert [(n.kind, n.due) for n in mutum] == [
        (LEAD, (MUTUM_OPEN - LEAD_10).astimezone(UTC)),
        (MAIN, MUTUM_OPEN.astimezone(UTC)),
    ]
    assert result.instants[:2] == [n.due for n in mutum]
    assert all(now < n.due < now + HORIZON for n in result.later)
    assert result.instants == sorted(set(result.instants))


def test_one_timer_serves_every_notice_of_an_instant() -> None:
    # Tuesday 08:00: LaserNet goes to overflow and NETCENTER closes.
    result = planned(at("2026-11-24T07:55"), lead=dt.timedelta(0))
    eight = at("2026-11-24T08:00").astimezone(UTC)
    assert {n.key for n in result.later if n.due == eight} == {
        "lasernet:mode:2026-11-24T11:00:00+00:00:main",
        "netcenter:close:2026-11-24T11:00:00+00:00:main",
    }
    assert result.instants.count(eight) == 1


def test_a_sent_notice_is_never_planned_again() -> None:
    key = main("mutum", "open", MUTUM_OPEN).key
    assert planned(MUTUM_OPEN, lead=dt.timedelta(0), sent=frozenset({key})).now == ()
    ahead = planned(at("2026-11-23T19:00"), sent=frozenset({key}))
    assert key not in {n.key for n in ahead.later}


def test_a_missed_boundary_within_the_grace_is_posted_once_marked_late() -> None:
    now = MUTUM_OPEN + 12 * MINUTE
    result = planned(now)
    assert [(n.key, n.late) for n in result.now] == [(main("mutum", "open", MUTUM_OPEN).key, True)]
    assert planned(now, sent=frozenset({result.now[0].key})).now == ()


def test_within_a_minute_is_on_time_and_beyond_the_grace_is_dropped() -> None:
    assert planned(MUTUM_OPEN + 59 * dt.timedelta(seconds=1)).now[0].late is False
    assert planned(MUTUM_OPEN + 30 * MINUTE).now[0].late is True
    assert planned(MUTUM_OPEN + 30 * MINUTE + dt.timedelta(seconds=1)).now == ()
    # Grace 0: still posted on time, never late.
    assert planned(MUTUM_OPEN + 30 * dt.timedelta(seconds=1), grace=dt.timedelta(0)).now
    assert planned(MUTUM_OPEN + 2 * MINUTE, grace=dt.timedelta(0)).now == ()


def test_a_missed_advance_notice_is_posted_while_its_boundary_is_ahead_never_after() -> None:
    lead_key = lead_of(main("mutum", "open", MUTUM_OPEN)).key
    assert [n.key for n in planned(MUTUM_OPEN - LEAD_10).now] == [lead_key]
    assert [n.key for n in planned(MUTUM_OPEN - 4 * MINUTE).now] == [lead_key]
    late = planned(MUTUM_OPEN + 5 * MINUTE).now
    assert [n.kind for n in late] == [MAIN]


def test_lead_zero_means_no_advance_notices() -> None:
    result = planned(at("2026-11-23T00:00"), lead=dt.timedelta(0))
    assert result.later and all(n.kind == MAIN for n in result.later)


def test_the_horizon_bounds_what_is_scheduled() -> None:
    now = at("2026-11-23T19:00")
    result = planned(now, horizon=dt.timedelta(hours=1))
    assert result.later and all(n.due < now + dt.timedelta(hours=1) for n in result.later)


def _short_window_provider() -> Provider:
    data = isp("sejafibra").model_dump()
    data["coverage"] = {
        "timezone": "America/Sao_Paulo",
        "windows": [{"days": ["mon"], "start": "10:00", "end": "10:20"}],
    }
    return Provider.model_validate(data)


def test_a_missed_open_superseded_by_its_close_is_not_replayed() -> None:
    short = _short_window_provider()
    # Both boundaries missed: only the current state (closed) is posted, late.
    result = planned(at("2026-11-23T10:25"), providers=[short])
    assert [(n.event.event, n.late) for n in result.now] == [("close", True)]
    # Once the close is posted, the open stays dropped.
    again = planned(at("2026-11-23T10:26"), providers=[short], sent=frozenset({result.now[0].key}))
    assert again.now == ()


def test_plan_needs_aware_times() -> None:
    with pytest.raises(ValueError):
        planned(dt.datetime(2026, 11, 23, 19, 30))
