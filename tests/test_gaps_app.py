"""The unanswered-questions log through the real Application: recorded at the doors, /lacunas for
supervisors only, and the weekly post to the supervisors (Bot API calls go to the recording fake).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from conftest import make_settings
from harness import Harness, running

from bot.app.settings import Settings
from bot.knowledge.kb import KB
from bot.policy.gaps import Gap, GapStore
from fake_bot_api import (
    AGENT,
    GROUP,
    OTHER_GROUP,
    SUPERVISOR,
    button_data,
    plain_text,
    private_chat,
)
from handlers.telegram import gaps

Bot = Harness


def recorded(bot: Harness) -> list[Gap]:
    return GapStore(bot.settings.gaps_file).since(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


@pytest.fixture
async def bot(settings: Settings, real_kb: KB) -> AsyncIterator[Bot]:
    async for harness in running(settings, real_kb):
        yield harness


async def test_gaps_are_recorded_where_they_are_answered(bot: Bot) -> None:
    out = await bot.ask(private_chat(AGENT), AGENT, "qual a cor do céu na mutum")
    assert "Não entendi a pergunta" in out
    await bot.ask(GROUP, AGENT, "/dns lasernet")  # the document does not say
    await bot.ask(GROUP, AGENT, "@UpcallBot qual o dns da mutum?")  # answered: not a gap
    await bot.ask(GROUP, AGENT, "/senha lasernet W5-1200G")  # credentials: answered, not a gap
    gaps_ = recorded(bot)
    assert [(g.chat_id, g.text, g.kind, g.provider) for g in gaps_] == [
        (AGENT["id"], "qual a cor do céu na mutum", "not_understood", "mutum"),
        (GROUP["id"], "/dns lasernet", "no_info", "lasernet"),
    ]
    assert dt.datetime.fromisoformat(gaps_[0].at).utcoffset() == dt.timedelta(hours=-3)


async def test_a_button_that_leads_to_a_gap_is_recorded(bot: Bot) -> None:
    [sent] = await bot.feed(bot.updates.message(GROUP, AGENT, "/dns"))
    data = dict(button_data(sent.result))["LaserNet (documento não traz)"]
    await bot.feed(bot.updates.callback(AGENT, sent.result, data))
    assert [(g.text, g.kind) for g in recorded(bot)] == [("/dns lasernet", "no_info")]


async def test_nothing_is_recorded_where_the_bot_refuses(bot: Bot) -> None:
    await bot.ask(OTHER_GROUP, SUPERVISOR, "/dns lasernet")
    assert recorded(bot) == []


async def test_lacunas_is_for_supervisors(bot: Bot) -> None:
    await bot.ask(GROUP, AGENT, "/dns lasernet")
    await bot.ask(GROUP, AGENT, "/dns   LASERNET")
    refused = await bot.ask(GROUP, AGENT, "/lacunas")
    assert refused == "Só supervisores podem usar /lacunas."
    listing = await bot.ask(private_chat(SUPERVISOR), SUPERVISOR, "/lacunas")
    assert "Perguntas sem resposta — últimos 7 dias" in listing
    assert "LaserNet — 2 pergunta(s)" in listing
    assert "2× “/dns LASERNET” — o documento não traz" in listing
    assert "Use /lacunas" in await bot.ask(private_chat(SUPERVISOR), SUPERVISOR, "/lacunas ontem")
    elsewhere = await bot.ask(OTHER_GROUP, SUPERVISOR, "/lacunas")
    assert str(OTHER_GROUP["id"]) in elsewhere and "LaserNet" not in elsewhere


async def test_the_weekly_post_goes_to_the_supervisors_on_monday_morning(bot: Bot) -> None:
    gaps.schedule_weekly(bot.app)
    gaps.schedule_weekly(bot.app)  # again (a second start): still one job
    assert bot.app.job_queue is not None
    [job] = bot.app.job_queue.get_jobs_by_name(gaps.WEEKLY_JOB)
    trigger = job.job.trigger
    assert str(trigger.fields[4]) == "mon"  # day_of_week
    assert (str(trigger.fields[5]), str(trigger.fields[6])) == ("8", "0")  # hour, minute
    assert trigger.timezone == ZoneInfo("America/Sao_Paulo")

    now = dt.datetime.now(ZoneInfo("America/Sao_Paulo"))
    store = gaps.store_in(bot.app.bot_data)
    store.append(
        Gap(
            (now - dt.timedelta(days=2)).isoformat(),
            1,
            "pgto xyz vmnet",
            "unsure",
            "vmnet",
            "pagamento",
        )
    )
    store.append(Gap((now - dt.timedelta(days=9)).isoformat(), 1, "velha", "unsure", "vmnet", None))
    mark = bot.api.mark()
    await job.run(bot.app)
    posts = [c for c in bot.api.calls_since(mark) if c.method == "sendMessage"]
    assert [int(c["chat_id"]) for c in posts] == [SUPERVISOR["id"]]
    text = plain_text(posts[0]["text"], posts[0].get("parse_mode"))
    assert text.startswith("Resumo semanal: perguntas sem resposta")
    assert "VM NET — 1 pergunta(s)" in text and "“pgto xyz vmnet”" in text
    assert "velha" not in text


async def test_the_weekly_post_prefers_the_supervisors_chat(real_kb: KB) -> None:
    settings = make_settings(supervisor_chat_id=-100777)
    async for bot in running(settings, real_kb):
        gaps.schedule_weekly(bot.app)
        [job] = bot.app.job_queue.get_jobs_by_name(gaps.WEEKLY_JOB)  # type: ignore[union-attr]
        mark = bot.api.mark()
        await job.run(bot.app)
        posts = [c for c in bot.api.calls_since(mark) if c.method == "sendMessage"]
        assert [int(c["chat_id"]) for c in posts] == [-100777]
        assert "Nenhuma pergunta sem resposta no período." in posts[0]["text"]


@pytest.mark.parametrize(
    ("setting", "day", "hour", "minute"),
    [("qua 18:45", "wed", "18", "45"), ("Domingo 7:05", "sun", "7", "5")],
)
async def test_the_weekly_post_goes_when_gaps_weekly_at_says(
    real_kb: KB, setting: str, day: str, hour: str, minute: str
) -> None:
    settings = make_settings(gaps_weekly_at=setting, timezone="America/Cuiaba")
    async for bot in running(settings, real_kb):
        gaps.schedule_weekly(bot.app)
        [job] = bot.app.job_queue.get_jobs_by_name(gaps.WEEKLY_JOB)  # type: ignore[union-attr]
        trigger = job.job.trigger
        assert str(trigger.fields[4]) == day
        assert (str(trigger.fields[5]), str(trigger.fields[6])) == (hour, minute)
        assert trigger.timezone == ZoneInfo("America/Cuiaba")


async def test_no_weekly_post_when_gaps_weekly_at_is_off(real_kb: KB) -> None:
    async for bot in running(make_settings(gaps_weekly_at="off"), real_kb):
        gaps.schedule_weekly(bot.app)
        assert bot.app.job_queue.get_jobs_by_name(gaps.WEEKLY_JOB) == ()  # type: ignore[union-attr]


async def test_post_init_schedules_the_weekly_post(bot: Bot) -> None:
    from handlers.telegram.app import post_init, post_stop

    await post_init(bot.app)
    try:
        assert bot.app.job_queue is not None
        assert len(bot.app.job_queue.get_jobs_by_name(gaps.WEEKLY_JOB)) == 1
    finally:
        await post_stop(bot.app)
