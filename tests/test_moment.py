"""The moment a question states (bot/reading/moment.py): made-up wordings, never a benchmark's."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.reading import moment
from bot.reading.reader import expand

BRASILIA = ZoneInfo("America/Sao_Paulo")
CUIABA = ZoneInfo("America/Cuiaba")
MONDAY_10H = dt.datetime(2026, 11, 23, 10, 0, tzinfo=BRASILIA)


def said(question: str) -> tuple[int | None, int | None, int | None, int] | None:
    found = moment.stated(expand(question))
    return None if found is None else (found.weekday, found.days_ahead, found.hour, found.minute)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("vm, quinta 9h o comercial atende?", (3, None, 9, 0)),
        ("18h30 de quarta, a loja ta aberta?", (2, None, 18, 30)),
        ("sábado às 14:15 o cliente ligou", (5, None, 14, 15)),
        ("segunda-feira 7h da pra transferir?", (0, None, 7, 0)),
        ("qui 9h tem alguem no financeiro?", (3, None, 9, 0)),
        ("domingo 3h da tarde quem atende?", (6, None, 15, 0)),
        ("quinta 8 da noite, ta com a gente?", (3, None, 20, 0)),
        ("sexta às 23 ainda é com o provedor?", (4, None, 23, 0)),
        # The midnight that ends the day named: the night from Friday to Saturday.
        ("sexta meia noite ja e com a gente?", (5, None, 0, 0)),
        ("12h da noite de domingo quem atende?", (0, None, 0, 0)),
        ("hoje meia noite ainda é com a gente?", (None, 1, 0, 0)),
        ("0h de sábado ja e com a gente?", (5, None, 0, 0)),
        ("sábado 12h o suporte atende?", (5, None, 12, 0)),
        ("terça ao meio dia o suporte ta la?", (1, None, 12, 0)),
        ("hoje às 21h o cliente pode ir na loja?", (None, 0, 21, 0)),
        ("amanhã 7h30 a loja abre?", (None, 1, 7, 30)),
        ("agora são 20h, transfiro?", (None, None, 20, 0)),
        ("o cliente ligou às 23:40 pedindo a fatura", (None, None, 23, 40)),
        ("hj é sábado, aceito o comprovante?", (5, None, None, 0)),
        # A verb asking whether someone works, before a day and its hour: that moment asked.
        ("o balcão funciona sexta 15h?", (4, None, 15, 0)),
        ("vcs atendem quarta 9h?", (2, None, 9, 0)),
        ("a sede abre sábado às 8h?", (5, None, 8, 0)),
    ],
)
def test_a_day_and_hour_stated_are_read(
    question: str, expected: tuple[int | None, int | None, int | None, int]
) -> None:
    assert said(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "qual o prazo de 48h da netcenter?",
        "o suporte resolve em 72 horas?",
        "cliente com 10 dias de atraso",
        "sem internet desde quinta 9h",
        "o técnico vem até sexta 18h?",
        "em 2h o tecnico chega?",
        "a loja abre às 8h?",
        "o balcão fecha 18h?",
        "o técnico vai no feriado?",
        "fica aberto até 22h?",
        "funciona das 8h às 18h de segunda a sexta",
        "Sáb 08h-13h é o horário da loja?",
        "plantão 24h no domingo?",
        "cliente quer a segunda via da fatura",
        "é a quinta vez que ele liga",
        "pagou R$ 10,00 domingo",
        "a fatura vence sexta",
        "vence sexta dia 10",
        "a fatura vence 10/12",
        "o cliente ficou 3 horas sem internet",
        "desde ontem 22h sem sinal",
        "20h sem internet, abro os?",  # an hour opening the question, but a span
        "12h seguidas caindo",
        "48h corridas é o prazo?",
    ],
)
def test_spans_limits_ranges_and_ordinals_are_no_moment(question: str) -> None:
    assert said(question) is None


@pytest.mark.parametrize(
    ("question", "hour", "minute"),
    [
        ("20h cliente quer cancelar, transfiro ou abro ocorrencia?", 20, 0),
        ("22:30 o sac deles funciona?", 22, 30),
        ("7h transfiro?", 7, 0),
    ],
)
def test_an_hour_opening_the_question_is_the_moment(question: str, hour: int, minute: int) -> None:
    """The reader takes the ISP's name out: "lasernet 20h cliente quer cancelar" reaches the
    clock as "20h cliente quer cancelar", the hour first, as agents head a message."""
    found = said(question)
    assert found is not None and found[2:] == (hour, minute)


def test_the_next_such_moment_from_now_today_included() -> None:
    def at(question: str, now: dt.datetime = MONDAY_10H) -> dt.datetime:
        found = moment.stated(expand(question))
        assert found is not None
        return moment.resolve(found, now, BRASILIA)

    assert at("domingo 10h") == dt.datetime(2026, 11, 29, 10, 0, tzinfo=BRASILIA)
    # Today's weekday is today, even at an hour already past: the agent tells the situation.
    assert at("segunda 8h") == dt.datetime(2026, 11, 23, 8, 0, tzinfo=BRASILIA)
    assert at("amanhã 7h30") == dt.datetime(2026, 11, 24, 7, 30, tzinfo=BRASILIA)
    # An hour alone: today's if at most an hour past, else tomorrow's.
    assert at("são 9h15") == dt.datetime(2026, 11, 23, 9, 15, tzinfo=BRASILIA)
    assert at("vai ligar às 8h") == dt.datetime(2026, 11, 24, 8, 0, tzinfo=BRASILIA)
    # A day alone: that day at the present time of day.
    assert at("hoje é quarta") == dt.datetime(2026, 11, 25, 10, 0, tzinfo=BRASILIA)


def test_across_midnight_the_moment_an_hour_past_is_yesterdays() -> None:
    def at(question: str, now: dt.datetime) -> dt.datetime:
        found = moment.stated(expand(question))
        assert found is not None
        return moment.resolve(found, now, BRASILIA)

    tuesday_0h30 = dt.datetime(2026, 11, 24, 0, 30, tzinfo=BRASILIA)
    # "são 23h30" said at 00:30: an hour ago, not 23 hours ahead.
    assert at("são 23h30", tuesday_0h30) == dt.datetime(2026, 11, 23, 23, 30, tzinfo=BRASILIA)
    assert at("agora 0h10", tuesday_0h30) == dt.datetime(2026, 11, 24, 0, 10, tzinfo=BRASILIA)
    # A weekday just past at 00:20 is yesterday, not six days ahead.
    monday_0h20 = dt.datetime(2026, 11, 23, 0, 20, tzinfo=BRASILIA)
    assert at("domingo 23h50", monday_0h20) == dt.datetime(2026, 11, 22, 23, 50, tzinfo=BRASILIA)
    assert at("domingo 22h", monday_0h20) == dt.datetime(2026, 11, 29, 22, 0, tzinfo=BRASILIA)
    # "hoje à meia noite" at 23:59 is a minute ahead, not the midnight 24 hours ago.
    monday_23h59 = dt.datetime(2026, 11, 23, 23, 59, tzinfo=BRASILIA)
    assert at("hoje à meia noite", monday_23h59) == dt.datetime(2026, 11, 24, 0, 0, tzinfo=BRASILIA)


@pytest.mark.parametrize(
    ("question", "hour"),
    [("plantão no feriado 9h?", 9), ("21h do feriado tem alguém?", 21), ("hj é feriado", None)],
)
def test_a_holiday_is_a_day(question: str, hour: int | None) -> None:
    found = moment.stated(expand(question))
    assert found is not None and found.holiday and found.hour == hour


def test_a_holiday_is_the_next_one_the_calendar_gives() -> None:
    found = moment.stated(expand("feriado 9h, o suporte atende?"))
    assert found is not None
    christmas = dt.date(2026, 12, 25)
    on = moment.resolve(found, MONDAY_10H, BRASILIA, lambda day: day == christmas)
    assert on == dt.datetime(2026, 12, 25, 9, 0, tzinfo=BRASILIA)
    # No calendar (no ISP known): today, at that hour.
    assert moment.resolve(found, MONDAY_10H, BRASILIA) == MONDAY_10H.replace(hour=9)
    today = moment.stated(expand("hoje é feriado"))
    assert today is not None
    assert moment.resolve(today, MONDAY_10H, BRASILIA, lambda day: day == christmas) == (
        dt.datetime(2026, 12, 25, 10, 0, tzinfo=BRASILIA)
    )


def test_the_moment_is_read_on_the_isps_clock() -> None:
    found = moment.stated(expand("terça 10h"))
    assert found is not None
    local = moment.resolve(found, MONDAY_10H, CUIABA)
    assert local == dt.datetime(2026, 11, 24, 10, 0, tzinfo=CUIABA)
    assert local.astimezone(BRASILIA).hour == 11


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("a filial abre que horas sábado?", True),
        ("até quando fica aberta a sede?", True),
        ("o balcão funciona domingo?", True),
        ("a sede fecha pro almoço?", True),
        ("a loja abre no feriado de amanhã?", False),  # no day name, hour or "que horas"
        ("o suporte funciona domingo?", False),  # a team: the weekend shift
        ("que horas o financeiro abre?", False),  # a team: its sector's hours
        ("o app funciona na smart tv?", False),
        ("abre OS sábado?", False),  # an agent opens a ticket: the weekend shift
        ("cliente sem sinal domingo, abre uma ocorrência?", False),
        ("abre chamado que horas?", False),
    ],
)
def test_a_places_opening_hours_are_asked(question: str, expected: bool) -> None:
    assert moment.asks_opening_hours(expand(question)) is expected


def test_the_words_that_only_say_when_are_no_topic_words() -> None:
    words = expand("a filial abre que horas sábado?")
    blank = {words[i] for i in moment.circumstances(words)}
    assert blank == {"abre", "horas", "sabado"}
    assert {
        expand("domingo 10h tem plantão?")[i]
        for i in moment.circumstances(expand("domingo 10h tem plantão?"))
    } == {"domingo", "10h"}


def test_a_message_full_of_hours_is_read_in_linear_time() -> None:
    """4,096 characters of hours no range joins ("1h x 1h x ..."): each hour's other end of a
    window is only the hour beside it (every pair was compared, each with a slice of the
    words between: about 2 s for this message, 26 s for its answer)."""
    import time

    words = expand(("x 1h " * 1000)[:4096])  # not an hour first: that one heads the question
    # CPU time, not wall time: the machine's load must not fail a complexity guard. The
    # quadratic reading took about 2 s of CPU; the linear one takes a few milliseconds.
    started = time.process_time()
    assert moment.stated(words) is None
    assert time.process_time() - started < 1.0


def _at(question: str, now: dt.datetime, alone: bool = False) -> dt.datetime:
    found = moment.stated(expand(question), alone)
    assert found is not None, question
    return moment.resolve(found, now, BRASILIA)


SUNDAY_11H = dt.datetime(2026, 12, 6, 11, 0, tzinfo=BRASILIA)


def test_a_moment_said_of_the_past_is_the_last_one() -> None:
    # "ontem" beside its hour is yesterday; an hour "às" after it too.
    assert _at("o cliente ligou ontem às 10h", SUNDAY_11H) == dt.datetime(
        2026, 12, 5, 10, 0, tzinfo=BRASILIA
    )
    assert _at("ontem 22h era com a gente?", MONDAY_10H) == dt.datetime(
        2026, 11, 22, 22, 0, tzinfo=BRASILIA
    )
    # A weekday with a verb in the past: the last such day, not the next.
    assert _at("pagou sexta às 16h", MONDAY_10H) == dt.datetime(2026, 11, 20, 16, tzinfo=BRASILIA)
    assert _at("segunda 9h tava aberto?", MONDAY_10H) == MONDAY_10H.replace(hour=9)
    assert _at("domingo 22h caiu a conexão", MONDAY_10H) == dt.datetime(
        2026, 11, 22, 22, 0, tzinfo=BRASILIA
    )
    # Today's weekday at an hour to come, said of the past: a week ago.
    assert _at("segunda 15h estava fechado", MONDAY_10H) == dt.datetime(
        2026, 11, 16, 15, 0, tzinfo=BRASILIA
    )
    # An hour alone said of the past: today's when it has passed, else yesterday's.
    assert _at("o cliente ligou às 8h", MONDAY_10H) == MONDAY_10H.replace(hour=8)
    assert _at("o cliente ligou às 23h", MONDAY_10H) == dt.datetime(
        2026, 11, 22, 23, 0, tzinfo=BRASILIA
    )
    # Not a past verb: the next one, as before.
    assert _at("sexta às 16h o financeiro abre?", MONDAY_10H).day == 27


def test_midnight_beside_a_weekday_ends_the_next_such_day() -> None:
    monday_21h = dt.datetime(2026, 11, 30, 21, 0, tzinfo=BRASILIA)
    # Monday night, "domingo meia noite": the midnight ending next Sunday, not this Monday's 0h.
    assert _at("domingo meia noite", monday_21h) == dt.datetime(2026, 12, 7, 0, 0, tzinfo=BRASILIA)
    # On Sunday: tonight's.
    assert _at("domingo meia noite", SUNDAY_11H) == dt.datetime(2026, 12, 7, 0, 0, tzinfo=BRASILIA)
    # Twenty minutes after it: that one (an hour's grace), not next week's.
    monday_0h20 = dt.datetime(2026, 11, 30, 0, 20, tzinfo=BRASILIA)
    assert _at("domingo meia noite", monday_0h20) == dt.datetime(2026, 11, 30, tzinfo=BRASILIA)


def test_a_date_stated_is_the_next_such_date() -> None:
    monday = dt.datetime(2026, 11, 30, 10, 0, tzinfo=BRASILIA)
    christmas_10h = dt.datetime(2026, 12, 25, 10, 0, tzinfo=BRASILIA)
    assert _at("dia 25 às 10h", monday) == christmas_10h  # the 25th of November has passed
    assert _at("25/12 10h", monday) == christmas_10h
    assert _at("25/12 às 22h", monday) == christmas_10h.replace(hour=22)
    assert _at("25 de dezembro 10h", monday) == christmas_10h
    assert _at("dia 30 às 8h", monday) == monday.replace(hour=8)  # today's date
    assert _at("10h do dia 2/1", monday) == dt.datetime(2027, 1, 2, 10, 0, tzinfo=BRASILIA)
    assert _at("25/12/2025 10h", monday) == christmas_10h.replace(year=2025)
    # Said of the past: the last such date.
    assert _at("pagou dia 25 às 10h", monday) == dt.datetime(2026, 11, 25, 10, tzinfo=BRASILIA)
    # "10:12" is an hour, not a date; "10/12" beside an hour is a date.
    assert said("o cliente ligou às 10:12") == (None, None, 10, 12)
    assert _at("10/12 às 9h", monday) == dt.datetime(2026, 12, 10, 9, 0, tzinfo=BRASILIA)


def test_a_date_past_the_years_computed_is_no_moment() -> None:
    # "31/12/9999" (was an OverflowError): neither that date nor the hour beside it.
    assert moment.stated(expand("31/12/9999 23h a gente atende a vmnet?")) is None
    assert moment.stated(expand("31/12/9999 23h"), alone=True) is None
    assert moment.stated(expand("30/12/9999 00h00"), alone=True) is None
    assert moment.stated(expand("dia 1/1/1500"), alone=True) is None
    monday = dt.datetime(2026, 11, 30, 10, 0, tzinfo=BRASILIA)
    assert _at("31/12/2099 23h", monday) == dt.datetime(2099, 12, 31, 23, tzinfo=BRASILIA)
    assert _at("31/12/27 23h", monday) == dt.datetime(2027, 12, 31, 23, tzinfo=BRASILIA)


def test_hours_spoken_beside_a_day_are_a_moment() -> None:
    assert said("domingo 22 horas é com a gente?") == (6, None, 22, 0)
    assert said("às 22 horas é com a gente?") == (None, None, 22, 0)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("mutum 14h é com a gente?", dt.datetime(2026, 11, 23, 14, 0, tzinfo=BRASILIA)),
        ("vmnet 23h59 é com a gente?", dt.datetime(2026, 11, 23, 23, 59, tzinfo=BRASILIA)),
        ("netcenter meia noite é com a gente?", dt.datetime(2026, 11, 24, 0, 0, tzinfo=BRASILIA)),
        ("vmnet amanhã é com a gente?", dt.datetime(2026, 11, 24, 10, 0, tzinfo=BRASILIA)),
        ("vmnet ontem era com a gente?", dt.datetime(2026, 11, 22, 10, 0, tzinfo=BRASILIA)),
    ],
)
def test_an_hour_or_a_day_alone_is_the_moment_of_a_coverage_question(
    question: str, expected: dt.datetime
) -> None:
    assert _at(question, MONDAY_10H, alone=True) == expected
    # Elsewhere an hour alone needs "às", "são" or "agora": "o técnico chega 14h" is no moment.
    assert moment.stated(expand(question)) is None


@pytest.mark.parametrize(
    "question",
    [
        "o cliente ligou, vai retornar domingo 10h, ta aberto?",
        "cliente reclamou e pediu pra retornar domingo 10h",
        "ele caiu ontem mas pode ligar domingo 10h?",
        "teve visita mas o técnico vai voltar sexta 15h",
        "falou que domingo 10h vai estar em casa",
    ],
)
def test_a_word_of_a_moment_to_come_nearer_than_a_past_verb_keeps_it_ahead(
    question: str,
) -> None:
    found = _at(question, MONDAY_10H)
    assert found > MONDAY_10H  # the next such moment, not the last one


@pytest.mark.parametrize(
    "question",
    [
        "ligou pra gente domingo 10h",  # "pra gente": no purpose of a moment to come
        "ligou domingo 10h e vai ligar de novo",  # the past verb is the nearer
        "sexta 16h tava aberto?",
    ],
)
def test_a_past_verb_nearer_than_a_word_of_a_moment_to_come_keeps_it_past(
    question: str,
) -> None:
    assert _at(question, MONDAY_10H) < MONDAY_10H


@pytest.mark.parametrize(
    ("question", "whole"),
    [
        ("vmnet amanhã é com a gente?", True),
        ("domingo é com a gente?", True),
        ("dia 25 é com a gente?", True),
        ("hoje é com a gente?", False),  # today: its present time
        ("amanhã 10h é com a gente?", False),  # an hour stated
        ("hoje é domingo, é com a gente?", False),  # the day the agent says it is now
    ],
)
def test_a_day_by_itself_in_a_coverage_question_is_a_whole_day(question: str, whole: bool) -> None:
    found = moment.stated(expand(question), alone=True)
    assert found is not None and found.whole_day is whole
