"""The clock in answers (bot/answers/clock.py and the clock parts of bot/answers/core.py): who is
there at a moment, on a made-up KB whose sector names are no real ISP's (the rules come from the
KB's own sectors and texts, not from word lists)."""

from __future__ import annotations

import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest

from bot.answers import clock
from bot.answers.core import answer
from bot.answers.render.telegram import to_html
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB, load_kb
from bot.reading.reader import expand
from kbfactory import write_kb

BRASILIA = ZoneInfo("America/Sao_Paulo")
MONDAY_10H = dt.datetime(2026, 11, 23, 10, 0, tzinfo=BRASILIA)
MONDAY_20H = dt.datetime(2026, 11, 23, 20, 0, tzinfo=BRASILIA)

TOPICS = """\
topics:
  - id: contato
    title: Contatos e horários da loja
    commands: [contato]
    keywords: [contato, telefone, loja]
  - id: plantao
    title: Plantão (fins de semana e feriados)
    description: plantão técnico em fins de semana e feriados
    commands: [plantao]
    keywords: [plantao, fim de semana, feriado, domingo, sabado]
  - id: visita
    title: Visita técnica
    commands: [visita]
    keywords: [visita, tecnico]
  - id: setores
    title: Setores para transferência
    commands: [setores]
    keywords: [setores, qual setor]
  - id: dns
    title: DNS
    commands: [dns]
    keywords: [dns]
"""

GAMA = """\
id: gama
name: Gama Link
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-01-01
topics:
  contato: |
    Telefone: 0800 000 0000
    Horário Oficina: Seg a Sex 08h-18h | Sáb 08h-12h
  setores: |
    Cobrança: transferir ao setor de cobrança dentro do horário e abrir OS de Cobrança fora dele.
    Horário dos mecânicos de rua:
    Sábado e domingo: 09h às 13h
  dns: "Primário 30.0.0.1"
  visita: "A visita custa R$ 50,00."
sectors:
  - id: oficina
    name: Oficina
    windows:
      - {days: [mon, tue, wed, thu, fri], start: "08:00", end: "18:00"}
      - {days: [sat], start: "08:00", end: "12:00"}
  - id: cobranca
    name: Cobrança
    windows:
      - {days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00"}
  - id: rua
    name: Mecânicos de rua
    windows:
      - {days: [sat, sun], start: "09:00", end: "13:00"}
"""

DELTA = """\
id: delta
name: Delta Fibra
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-01-01
topics:
  plantao: "Sábado: das 08h às 12h. Domingo não há."
  visita: "Visita técnica custa R$ 30,00."
  dns: "Primário 40.0.0.1"
sectors:
  - id: atendimento
    name: Atendimento do provedor
    windows:
      - {days: [mon, tue, wed, thu, fri, sat], start: "08:00", end: "12:00"}
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KB:
    root = tmp_path_factory.mktemp("clock")
    return load_kb(write_kb(root, {"gama": GAMA, "delta": DELTA}, topics=TOPICS))


def said(kb: KB, question: str, now: dt.datetime = MONDAY_10H) -> tuple[str, str]:
    reply = answer(kb, question, now)
    assert reply.kind is ReplyKind.ANSWER, question
    return reply.topic_id or "", html.unescape(to_html(reply))


# --------------------------------------------------------------------------- the pieces


def test_a_sector_is_named_by_its_own_words_singular_or_plural(kb: KB) -> None:
    gama = kb.providers["gama"]
    named = clock.sectors_named(gama, expand("tem mecanico na rua domingo 10h?"))
    assert [s.id for s in named] == ["rua"]
    assert clock.sectors_named(gama, expand("qual o dns?")) == []


def test_an_isp_with_one_sector_is_asked_about_by_any_team(kb: KB) -> None:
    delta = kb.providers["delta"]
    asked = clock.sectors_asked(kb, delta, expand("o suporte atende sábado 9h?"))
    assert [s.id for s in asked] == ["atendimento"]
    assert clock.sectors_asked(kb, delta, expand("qual o dns?")) == []
    # Several sectors: only a name says which.
    assert clock.sectors_asked(kb, kb.providers["gama"], expand("o suporte atende?")) == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("a oficina ainda tá lá?", True),
        ("tem alguém na cobrança?", True),
        ("tem mecânico de rua?", True),
        ("o setor funciona domingo?", True),
        ("a oficina abre sábado?", True),
        ("a oficina está fechada?", True),
        ("abre OS sábado?", False),  # an agent opens a ticket
        ("cliente tem fatura atrasada", False),
        ("qual o dns?", False),
    ],
)
def test_whether_someone_is_there_is_asked(kb: KB, question: str, expected: bool) -> None:
    assert clock.asks_availability(kb, expand(question)) is expected


def test_a_sectors_hours_are_found_on_its_line_or_under_its_heading(kb: KB) -> None:
    gama = kb.providers["gama"]
    oficina, cobranca, rua = gama.sectors
    assert clock.hours_in(gama, "contato", [oficina])  # "Horário Oficina: ... 08h-18h"
    assert clock.hours_in(gama, "setores", [rua])  # the heading, its hours below
    assert not clock.hours_in(gama, "setores", [cobranca])  # a rule, no hours
    assert not clock.hours_in(gama, "dns", [oficina])
    assert clock.states_hours(kb.providers["delta"], "plantao")
    assert not clock.states_hours(kb.providers["delta"], "visita")  # a price, no hours


def test_a_sectors_line_says_its_state_and_the_documents_action(kb: KB) -> None:
    gama = kb.providers["gama"]
    cobranca = gama.sectors[1]
    [night] = clock.sector_lines(kb, gama, [cobranca], MONDAY_20H)
    assert night == "⏱ Agora: Cobrança: fechado, abre amanhã às 09:00 → abrir OS de Cobrança"
    [day] = clock.sector_lines(kb, gama, [cobranca], MONDAY_10H)
    assert day == "⏱ Agora: Cobrança: aberto, fecha às 17:00 → transferir"
    # A place no answer transfers to: its state, no action.
    [place] = clock.sector_lines(kb, gama, [gama.sectors[0]], MONDAY_20H)
    assert place == "⏱ Agora: Oficina: fechado, abre amanhã às 08:00"


# --------------------------------------------------------------------------- through the core


def test_a_places_state_at_a_stated_moment_comes_with_the_answer_giving_its_hours(
    kb: KB,
) -> None:
    topic, out = said(kb, "gama a oficina funciona sábado 10h?")
    assert topic == "contato"
    assert "⏱ No momento informado, sáb 28/11 às 10:00: Oficina: aberto, fecha às 12:00" in out
    topic, out = said(kb, "gama, domingo 10h a oficina tá aberta?")
    assert topic == "contato"
    assert "Oficina: fechado, abre amanhã às 08:00" in out


def test_a_team_at_a_moment_is_answered_by_the_topic_giving_its_hours(kb: KB) -> None:
    # "técnico" is the visit's keyword; asked whether one is there at a moment, the answer is
    # the text with hours (the weekend shift), with the ISP's one sector then.
    topic, out = said(kb, "delta tem tecnico sábado 10h?")
    assert topic == "plantao"
    assert "No momento informado, sáb 28/11 às 10:00: Atendimento do provedor: aberto" in out
    # Not asked about a moment: the keyword's topic, as ever.
    assert said(kb, "delta o tecnico cobra a visita?")[0] == "visita"


def test_a_stated_moment_leaves_a_topic_without_hours_alone(kb: KB) -> None:
    topic, out = said(kb, "gama cliente ligou sábado 10h, qual o dns?")
    assert topic == "dns" and "30.0.0.1" in out


def test_a_holiday_and_an_hour_is_the_isps_next_holiday(kb: KB) -> None:
    reply = answer(kb, "gama a oficina abre no feriado 10h?", MONDAY_10H)
    out = html.unescape(to_html(reply))
    assert reply.topic_id == "contato" and reply.clock
    # The next holiday from Monday 23/11/2026 in SP is Christmas; the workshop closes then.
    assert "No momento informado, sex 25/12 (Natal) às 10:00: Oficina: fechado" in out


def test_a_teams_hours_on_a_day_are_the_text_that_gives_them(kb: KB) -> None:
    # "domingo" points to the weekend shift, which this ISP's document does not answer; the
    # field mechanics' hours are written in the sector rules.
    reply = answer(kb, "gama o mecânico de rua atende domingo?", MONDAY_10H)
    assert reply.kind is ReplyKind.ANSWER
    assert reply.topic_id == "setores"
    out = to_html(reply)
    assert "Sábado e domingo: 09h às 13h" in out and "momento informado" not in out


def test_opened_already_asks_about_now(kb: KB) -> None:
    assert clock.asks_now("a oficina já abriu?") and clock.asks_now("o setor ja fechou?")
    topic, out = said(kb, "gama a oficina já abriu?", MONDAY_20H)
    assert topic == "contato" and "⏱ Agora: Oficina: fechado, abre amanhã às 08:00" in out


def test_an_unpaid_bill_left_open_is_no_question_about_now() -> None:
    # "em aberto", "boletos abertos": an unpaid bill; "está aberto?" still asks about now.
    assert not clock.asks_now("pagou o mês seguinte e deixou o anterior em aberto, como faz?")
    assert not clock.asks_now("cliente tem 2 boletos abertos")
    assert clock.asks_now("o financeiro está aberto?")


def test_a_moment_past_the_last_date_held_is_none() -> None:
    # The day after 31/12/9999 cannot be held: no moment stated (was an OverflowError).
    last_day = dt.datetime(9999, 12, 31, 12, 0, tzinfo=BRASILIA)
    assert clock.stated_moment(expand("amanhã 10h"), last_day, None) is None
