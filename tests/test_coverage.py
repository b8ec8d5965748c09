"""The coverage engine on the real KB (every ISP's edges) and on tiny ones (schema, holidays)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import shared_real_kb

from bot.coverage import engine as coverage
from bot.knowledge.kb import KBError, load_kb
from bot.knowledge.schema import Provider
from kbfactory import ALFA, write_kb

ROOT = Path(__file__).resolve().parent.parent
REAL = shared_real_kb()
SP = ZoneInfo("America/Sao_Paulo")
CUIABA = ZoneInfo("America/Cuiaba")
MINUTE = dt.timedelta(minutes=1)


def at(text: str, zone: ZoneInfo = SP) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


def isp(pid: str) -> Provider:
    return REAL.providers[pid]


# --------------------------------------------------------------------------- every ISP's edges
# (provider, boundary in Brasília time, mode just before, mode just after). 2026-11-23 is a Monday.

EDGES = [
    # LaserNet: 24/7, Mon–Sat 08–18 overflow only.
    ("lasernet", "2026-11-23T08:00", "full", "overflow"),
    ("lasernet", "2026-11-23T18:00", "overflow", "full"),
    ("lasernet", "2026-11-27T18:00", "overflow", "full"),
    ("lasernet", "2026-11-28T08:00", "full", "overflow"),
    ("lasernet", "2026-11-28T18:00", "overflow", "full"),
    ("lasernet", "2026-11-30T08:00", "full", "overflow"),
    # Mutum: Mon–Fri 19:30 -> 09:30, lunch 13:30–15:30, Sat 12:00 -> Mon 09:30 (GMT -3).
    ("mutum", "2026-11-23T09:30", "full", None),
    ("mutum", "2026-11-23T13:30", None, "full"),
    ("mutum", "2026-11-23T15:30", "full", None),
    ("mutum", "2026-11-23T19:30", None, "full"),
    ("mutum", "2026-11-27T19:30", None, "full"),
    ("mutum", "2026-11-28T09:30", "full", None),
    ("mutum", "2026-11-28T12:00", None, "full"),
    ("mutum", "2026-11-30T09:30", "full", None),
    # NETCENTER: Mon–Thu 23:50, Fri 22:50, Sat 22:50, Sun 16:50; all until 08:00.
    ("netcenter", "2026-11-23T08:00", "full", None),
    ("netcenter", "2026-11-23T23:50", None, "full"),
    ("netcenter", "2026-11-26T23:50", None, "full"),
    ("netcenter", "2026-11-27T08:00", "full", None),
    ("netcenter", "2026-11-27T22:50", None, "full"),
    ("netcenter", "2026-11-28T08:00", "full", None),
    ("netcenter", "2026-11-28T22:50", None, "full"),
    ("netcenter", "2026-11-29T08:00", "full", None),
    ("netcenter", "2026-11-29T16:50", None, "full"),
    ("netcenter", "2026-11-30T08:00", "full", None),
    # Seja Fibra: Mon–Fri 17–22, Sat 12–22, Sun 09–22.
    ("sejafibra", "2026-11-23T17:00", None, "full"),
    ("sejafibra", "2026-11-23T22:00", "full", None),
    ("sejafibra", "2026-11-28T12:00", None, "full"),
    ("sejafibra", "2026-11-28T22:00", "full", None),
    ("sejafibra", "2026-11-29T09:00", None, "full"),
    ("sejafibra", "2026-11-29T22:00", "full", None),
    # VM NET: Mon–Fri 18 -> 09, Sat 13:00 -> Mon 09:00 (Sunday 24h inside).
    ("vmnet", "2026-11-23T09:00", "full", None),
    ("vmnet", "2026-11-23T18:00", None, "full"),
    ("vmnet", "2026-11-28T09:00", "full", None),
    ("vmnet", "2026-11-28T13:00", None, "full"),
    ("vmnet", "2026-11-30T09:00", "full", None),
]


@pytest.mark.parametrize(("pid", "boundary", "before", "after"), EDGES)
def test_every_isp_at_its_edges(
    pid: str, boundary: str, before: str | None, after: str | None
) -> None:
    provider, moment = isp(pid), at(boundary)
    assert coverage.mode_at(provider, moment - MINUTE) == before
    assert coverage.mode_at(provider, moment) == after
    assert coverage.mode_at(provider, moment + MINUTE) == after
    assert coverage.covered_at(provider, moment + MINUTE) is (after is not None)
    status = coverage.coverage_status(provider, moment - MINUTE)
    if before is None:
        assert status.next_start == moment
    else:
        assert status.until == moment


def test_edges_match_the_notices() -> None:
    """Each edge of the table is a notice, with the right kind."""
    for pid, boundary, before, after in EDGES:
        moment = at(boundary)
        found = coverage.notices([isp(pid)], moment, moment + MINUTE)
        kind = "open" if before is None else "close" if after is None else "mode"
        assert [(e.at, e.event, e.mode) for e in found] == [(moment, kind, after)], (pid, boundary)


# --------------------------------------------------------------------------- merging


def test_no_notice_at_midnight_inside_a_continuous_window() -> None:
    # VM NET: the Saturday window (13:00 -> Mon 09:00) overlaps the Sunday 24h window.
    found = coverage.notices([isp("vmnet")], at("2026-11-28T10:00"), at("2026-11-30T12:00"))
    assert [(e.at, e.event) for e in found] == [
        (at("2026-11-28T13:00"), "open"),
        (at("2026-11-30T09:00"), "close"),
    ]
    # LaserNet is never closed: a whole week has only mode changes, never at midnight.
    week = coverage.notices([isp("lasernet")], at("2026-11-23T00:00"), at("2026-11-30T00:00"))
    assert {e.event for e in week} == {"mode"}
    assert all(e.at.astimezone(SP).time() in (dt.time(8), dt.time(18)) for e in week)
    assert len(week) == 12


def test_midnight_crossing_and_multi_day_windows() -> None:
    netcenter = coverage.coverage_status(isp("netcenter"), at("2026-11-24T00:00"))
    assert netcenter.covered and netcenter.since == at("2026-11-23T23:50")
    assert netcenter.until == at("2026-11-24T08:00")
    mutum = coverage.coverage_status(isp("mutum"), at("2026-11-29T03:00"))
    assert mutum.since == at("2026-11-28T12:00") and mutum.until == at("2026-11-30T09:30")


def test_status_of_a_mode_change_says_what_follows() -> None:
    status = coverage.coverage_status(isp("lasernet"), at("2026-11-23T12:00"))
    assert (status.mode, status.until, status.next_mode, status.ends) == (
        "overflow",
        at("2026-11-23T18:00"),
        "full",
        None,  # LaserNet's coverage does not end in the span looked at
    )


def test_merge_joins_touching_runs_and_full_wins() -> None:
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    hour = dt.timedelta(hours=1)
    runs = coverage.merge(
        [
            (t0, t0 + hour, "full"),
            (t0 + hour, t0 + 2 * hour, "full"),
            (t0 + hour, t0 + 3 * hour, "overflow"),
        ],
        t0 - hour,
        t0 + 5 * hour,
    )
    assert runs == [
        coverage.Segment(t0, t0 + 2 * hour, "full"),
        coverage.Segment(t0 + 2 * hour, t0 + 3 * hour, "overflow"),
    ]


def test_notices_are_in_time_order_and_half_open() -> None:
    start, end = at("2026-11-27T18:00"), at("2026-11-28T12:00")
    found = coverage.notices(REAL.providers.values(), start, end)
    assert [e.at for e in found] == sorted(e.at for e in found)
    assert found[0].at == start and all(e.at < end for e in found)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="sem fuso"):
        coverage.coverage_status(isp("vmnet"), dt.datetime(2026, 11, 23, 12))


# --------------------------------------------------------------------------- holidays


def test_holiday_calendar_from_the_holidays_package() -> None:
    for pid in REAL.providers:
        assert coverage.is_holiday(isp(pid), dt.date(2026, 11, 20))  # national since 2024
        assert coverage.is_holiday(isp(pid), dt.date(2026, 12, 25))
    assert coverage.is_holiday(isp("netcenter"), dt.date(2026, 7, 2))  # Independência da Bahia
    assert not coverage.is_holiday(isp("vmnet"), dt.date(2026, 7, 2))
    assert coverage.holiday_name(isp("vmnet"), dt.date(2026, 12, 25)) == "Natal"


def test_holiday_on_a_weekday_vm_net_24h() -> None:
    vmnet = isp("vmnet")
    assert coverage.covered_at(vmnet, at("2026-12-25T12:00"))  # Friday, Christmas
    assert not coverage.covered_at(vmnet, at("2026-12-18T12:00"))  # an ordinary Friday
    # Monday 2026-11-02 (Finados): one run from Saturday 13:00 until Tuesday 09:00.
    found = coverage.notices([vmnet], at("2026-10-31T12:00"), at("2026-11-03T12:00"))
    assert [(e.at, e.event) for e in found] == [
        (at("2026-10-31T13:00"), "open"),
        (at("2026-11-03T09:00"), "close"),
    ]


def test_holiday_on_a_weekday_netcenter_starts_at_22_50() -> None:
    netcenter = isp("netcenter")
    assert coverage.covered_at(netcenter, at("2026-11-02T22:51"))  # Monday holiday
    assert not coverage.covered_at(netcenter, at("2026-11-09T22:51"))  # ordinary Monday
    # The night before the holiday still ends at 08:00.
    assert not coverage.covered_at(netcenter, at("2026-11-02T08:01"))


def test_holiday_is_an_ordinary_day_where_the_seed_is_silent() -> None:
    assert coverage.mode_at(isp("lasernet"), at("2026-12-25T12:00")) == "overflow"
    assert not coverage.covered_at(isp("sejafibra"), at("2026-12-25T12:00"))
    assert coverage.covered_at(isp("sejafibra"), at("2026-12-25T17:01"))


def test_sectors_close_on_holidays_unless_told() -> None:
    netcenter = isp("netcenter")
    loja = next(s for s in netcenter.sectors if s.id == "loja")
    assert coverage.open_at(netcenter, loja, at("2026-11-09T10:00"))
    assert not coverage.open_at(netcenter, loja, at("2026-11-02T10:00"))
    seja = isp("sejafibra")
    manut = next(s for s in seja.sectors if s.id == "manutencoes")
    assert coverage.open_at(seja, manut, at("2026-12-25T10:00"))  # "Domingo a Domingo"


# --------------------------------------------------------------------------- GMT -4 and breaks


def test_mutum_upcall_windows_in_gmt3_sectors_in_gmt4() -> None:
    mutum = isp("mutum")
    # UPCALL starts at 19:30 in Brasília = 18:30 in Cuiabá.
    assert not coverage.covered_at(mutum, at("2026-11-23T18:29", CUIABA))
    assert coverage.covered_at(mutum, at("2026-11-23T18:31", CUIABA))
    office = mutum.sectors[0]
    # The office opens at 07:30 local = 08:30 in Brasília.
    assert not coverage.open_at(mutum, office, at("2026-11-23T08:29"))
    assert coverage.open_at(mutum, office, at("2026-11-23T08:31"))
    status = coverage.sector_status(mutum, office, at("2026-11-23T09:00"))
    assert status.until == at("2026-11-23T11:30", CUIABA)


@pytest.mark.parametrize(
    ("pid", "sector_id", "moment", "is_open"),
    [
        ("mutum", "atendimento", "2026-11-23T11:29", True),  # Cuiabá clock
        ("mutum", "atendimento", "2026-11-23T11:31", False),
        ("mutum", "atendimento", "2026-11-23T13:29", False),
        ("mutum", "atendimento", "2026-11-23T13:31", True),
        ("sejafibra", "suporte_interno", "2026-11-28T11:59", True),
        ("sejafibra", "suporte_interno", "2026-11-28T12:01", False),
        ("sejafibra", "suporte_interno", "2026-11-28T13:59", False),
        ("sejafibra", "suporte_interno", "2026-11-28T14:01", True),
        ("sejafibra", "suporte_interno", "2026-11-28T18:01", False),
        ("netcenter", "sac", "2026-11-23T23:59", True),
        ("netcenter", "sac", "2026-11-24T00:01", False),
        ("vmnet", "tecnicos", "2026-11-29T12:59", True),
        ("vmnet", "tecnicos", "2026-11-29T13:01", False),
    ],
)
def test_sector_lunch_breaks_and_edges(
    pid: str, sector_id: str, moment: str, is_open: bool
) -> None:
    provider = isp(pid)
    sector = next(s for s in provider.sectors if s.id == sector_id)
    assert coverage.open_at(provider, sector, at(moment, ZoneInfo(provider.timezone))) is is_open


def test_mutum_lunch_window_is_covered() -> None:
    mutum = isp("mutum")
    assert coverage.covered_at(mutum, at("2026-11-24T14:00"))  # Tuesday, lunch
    assert not coverage.covered_at(mutum, at("2026-11-24T12:00"))  # Tuesday, before lunch
    assert not coverage.covered_at(mutum, at("2026-11-28T10:00"))  # Saturday 09:30–12:00 gap


def test_every_real_isp_has_coverage_and_sectors() -> None:
    for provider in REAL.providers.values():
        assert provider.coverage is not None and provider.coverage.notes, provider.id
        assert provider.sectors, provider.id


# --------------------------------------------------------------------------- schema


def _with(tmp_path: Path, extra: str) -> Path:
    return write_kb(tmp_path, {"alfa": ALFA + extra})


def test_schema_accepts_pt_br_days_24h_and_extra_holidays(tmp_path: Path) -> None:
    kb = load_kb(
        _with(
            tmp_path,
            """
coverage:
  holidays: {extra: [2026-03-19]}
  holiday_rule: replace
  windows:
    - {days: [seg, ter, qua, qui, sex], start: "18:00", end: "24:00"}
    - {days: [feriado], start: 08h00, end: "12:00", mode: overflow}
sectors:
  - {id: loja, name: Loja, windows: [{days: [mon], start: "08:00", end: "10:00"}]}
""",
        )
    )
    alfa = kb.providers["alfa"]
    assert alfa.coverage is not None
    assert alfa.coverage.windows[0].days == ["mon", "tue", "wed", "thu", "fri"]
    assert coverage.covered_at(alfa, at("2026-03-18T23:59"))  # Wednesday
    assert not coverage.covered_at(alfa, at("2026-03-19T19:00"))  # extra holiday: replace
    assert coverage.mode_at(alfa, at("2026-03-19T09:00")) == "overflow"
    assert coverage.holiday_name(alfa, dt.date(2026, 3, 19)) == coverage.EXTRA_HOLIDAY


def test_holiday_eve_windows_start_the_day_before_a_holiday(tmp_path: Path) -> None:
    """ "*Véspera de feriado a partir das 18h" (a document the importer read)."""
    kb = load_kb(
        _with(
            tmp_path,
            """
coverage:
  windows:
    - {days: [mon, tue, wed, thu, fri], start: "22:00", end: "08:00"}
    - {days: [feriado], start: "00:00", end: "00:00"}
    - {days: [véspera], start: "18:00", end: "00:00"}
""",
        )
    )
    alfa = kb.providers["alfa"]
    # 2026-11-20 (Friday) is a national holiday: Thursday 19th is its eve.
    assert coverage.covered_at(alfa, at("2026-11-19T18:30"))
    assert coverage.covered_at(alfa, at("2026-11-20T12:00"))
    assert not coverage.covered_at(alfa, at("2026-11-18T18:30"))  # an ordinary Wednesday


def test_holidays_to_confirm_follow_the_weekday(tmp_path: Path) -> None:
    """ "Feriados estaduais: confirmar no grupo": no holiday window assumed on those days."""
    kb = load_kb(
        _with(
            tmp_path,
            """
coverage:
  holidays: {confirm: [state]}
  windows:
    - {days: [mon, tue, wed, thu, fri], start: "18:00", end: "08:00"}
    - {days: [holiday], start: "00:00", end: "00:00"}
""",
        )
    )
    alfa = kb.providers["alfa"]
    state_day = dt.date(2026, 7, 9)  # Revolução Constitucionalista (SP), a Thursday
    assert coverage.holiday_to_confirm(alfa, state_day)
    assert not coverage.is_holiday(alfa, state_day)
    assert not coverage.covered_at(alfa, at("2026-07-09T12:00"))
    assert coverage.is_holiday(alfa, dt.date(2026, 11, 20))  # national: not to confirm
    assert coverage.covered_at(alfa, at("2026-11-20T12:00"))


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ('coverage: {windows: [{days: [mon], start: "25:00", end: "08:00"}]}', "horário inválido"),
        (
            'coverage: {windows: [{days: [segunda], start: "08:00", end: "09:00"}]}',
            "valor inválido",
        ),
        (
            'coverage: {windows: [{days: [holiday], start: "13:00", end: "09:00", end_day: mon}]}',
            "end_day não pode ser usado com holiday",
        ),
        (
            'coverage: {windows: [{days: [mon], start: "13:00", end: "09:00", end_day: mon}]}',
            "end_day mon igual ao dia de início",
        ),
        ('coverage: {windows: [{days: [mon, mon], start: "08:00", end: "09:00"}]}', "dia repetido"),
        (
            'coverage: {windows: [{days: [mon], start: "08:00", end: "09:00", mode: meio}]}',
            "valor inválido",
        ),
        ("coverage: {windows: []}", "não pode ser vazio"),
        (
            'coverage: {timezone: Mars/Base, windows: [{days: [mon], start: "08:00", end: "09:00"}]}',
            "fuso horário IANA desconhecido",
        ),
        ("sectors: [{id: a, name: A}, {id: a, name: B}]", "setor repetido: a"),
        ("sectors: [{id: a, name: A, horas: []}]", "chave desconhecida"),
    ],
)
def test_schema_errors_are_readable(tmp_path: Path, yaml_text: str, message: str) -> None:
    with pytest.raises(KBError) as raised:
        load_kb(_with(tmp_path, yaml_text + "\n"))
    assert message in str(raised.value)
    assert str(raised.value).startswith("knowledge/providers/alfa.yaml:")


def test_provider_without_coverage_is_never_covered(tmp_path: Path) -> None:
    kb = load_kb(write_kb(tmp_path))
    status = coverage.coverage_status(kb.providers["alfa"], at("2026-11-23T12:00"))
    assert (status.covered, status.mode, status.next_start) == (False, None, None)


def test_agora_on_a_holiday_to_confirm_says_so(tmp_path: Path) -> None:
    from bot.answers.messages import NOW_HOLIDAY_CONFIRM
    from bot.answers.render import to_plain
    from bot.coverage.answers import days_words, provider_now_reply

    kb = load_kb(
        _with(
            tmp_path,
            """
coverage:
  holidays: {confirm: [state]}
  windows:
    - {days: [mon, tue, wed, thu, fri], start: "18:00", end: "08:00"}
""",
        )
    )
    alfa = kb.providers["alfa"]
    on_state_holiday = to_plain(provider_now_reply(kb, alfa, at("2026-07-09T12:00")))
    assert NOW_HOLIDAY_CONFIRM in on_state_holiday
    on_national = to_plain(provider_now_reply(kb, alfa, at("2026-11-20T12:00")))
    assert NOW_HOLIDAY_CONFIRM not in on_national
    assert days_words(["sat", "holiday_eve"]) == "sáb, véspera de feriado"
