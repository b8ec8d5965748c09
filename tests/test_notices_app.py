"""Shift-change notices through the real Application: PTB's JobQueue, the recording fake Bot API,
the state file on disk, and a clock the test moves (no real hours waited).

The job queue is not started in most tests: the jobs are run by hand with ``Job.run`` at the fake
instant, exactly as PTB runs them. One test lets the real timer fire a second ahead.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import make_settings
from telegram import Update

from bot.knowledge.kb import KB, KBHolder
from fake_bot_api import SUPERVISOR, ApiCall, FakeTelegram, RecordingRequest, plain_text
from handlers.telegram import notices
from handlers.telegram.app import build_application
from handlers.telegram.door import TelegramDoor
from handlers.telegram.state import BotApplication, posting_in

SP = ZoneInfo("America/Sao_Paulo")
UTC = dt.UTC
NOTICE_CHAT = -1002000000002
MINUTE = dt.timedelta(minutes=1)
# 2026-11-23 is a Monday. Mutum Fibra (GMT -4) opens at 19:30 Brasília (18:30 local); nothing
# else happens between 18:00 and 22:00 Brasília.
BOUNDARY = dt.datetime(2026, 11, 23, 19, 30, tzinfo=SP)
KEY = "mutum:open:2026-11-23T22:30:00+00:00:main"
LEAD_KEY = "mutum:open:2026-11-23T22:30:00+00:00:lead"


@dataclass
class FakeClock:
    now: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Bot:
    app: BotApplication
    api: FakeTelegram
    clock: FakeClock
    errors: list[BaseException] = field(default_factory=list)

    async def record_error(self, update: object, context: Any) -> None:
        self.errors.append(context.error)

    def job(self, name: str) -> Any:
        assert self.app.job_queue is not None
        [job] = self.app.job_queue.get_jobs_by_name(name)
        return job

    def timers(self) -> dict[dt.datetime, Any]:
        """The boundary timers set, by their instant on the bot's clock."""
        assert self.app.job_queue is not None
        return {j.data: j for j in self.app.job_queue.jobs(f"^{notices.AT_PREFIX}")}

    async def run(self, name: str, *, at: dt.datetime | None = None) -> list[ApiCall]:
        """Run job ``name`` as PTB would, at ``at`` on the fake clock; the sendMessage calls."""
        if at is not None:
            self.clock.now = at
        mark = self.api.mark()
        await self.job(name).run(self.app)
        await asyncio.sleep(0)  # let an error reach the error handler
        assert self.errors == [], self.errors
        return [c for c in self.api.calls_since(mark) if c.method == "sendMessage"]

    async def run_timer(
        self, instant: dt.datetime, late: dt.timedelta | None = None
    ) -> list[ApiCall]:
        """Run the timer set for ``instant``, at ``instant`` (+ ``late``) on the fake clock."""
        name = f"{notices.AT_PREFIX}{instant.astimezone(UTC).isoformat()}"
        return await self.run(name, at=instant + (late or dt.timedelta(0)))


class SlowRequest(RecordingRequest):
    """Telegram taking a moment to answer: other jobs run meanwhile."""

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        await asyncio.sleep(0.02)
        return await super().do_request(*args, **kwargs)


@pytest.fixture
def api() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "state" / "notices.json"


@asynccontextmanager
async def running(
    api: FakeTelegram,
    kb: KB,
    state_file: Path,
    now: dt.datetime,
    request: type[RecordingRequest] = RecordingRequest,
    **overrides: Any,
) -> AsyncIterator[Bot]:
    """A bot process: build the app, start the notices (as post_init does); exit = shutdown."""
    values: dict[str, Any] = {
        "notice_chat_id": NOTICE_CHAT,
        "notice_state_file": state_file,
        "notice_lead_minutes": 10,
        "notice_grace_minutes": 30,
    }
    values.update(overrides)
    app = build_application(
        make_settings(**values),
        KBHolder(kb),
        request=request(api),
        get_updates_request=RecordingRequest(api),
    )
    bot = Bot(app, api, FakeClock(now))
    app.bot_data[notices.CLOCK_KEY] = bot.clock
    app.add_error_handler(bot.record_error)
    async with app:
        await notices.start(app)
        yield bot


def shown(call: ApiCall) -> str:
    return plain_text(call["text"], call.get("parse_mode"))


def sent_keys(state_file: Path) -> set[str]:
    return set(json.loads(state_file.read_text(encoding="utf-8"))["sent"])


# --------------------------------------------------------------------------- on time, once


async def test_a_notice_is_posted_once_at_the_boundary(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    async with running(api, real_kb, state_file, BOUNDARY - 30 * MINUTE) as bot:
        assert await bot.run(notices.PLAN_JOB) == []  # nothing due at 19:00
        timers = bot.timers()
        assert BOUNDARY in timers and BOUNDARY - 10 * MINUTE in timers
        # Set as a delay from the bot's clock: 30 minutes from the real now.
        run_date = timers[BOUNDARY].job.trigger.run_date
        expected = dt.datetime.now(UTC) + 30 * MINUTE
        assert abs((run_date - expected).total_seconds()) < 5

        [call] = await bot.run_timer(BOUNDARY, dt.timedelta(milliseconds=200))
        assert call["chat_id"] == NOTICE_CHAT
        assert call["parse_mode"] == "HTML"
        assert "message_thread_id" not in call.params
        text = shown(call)
        assert text.startswith("🟢 Mutum Fibra: a UPCALL assume o atendimento (cobertura total)")
        assert "Quando: às 19:30 (18:30 no horário local)." in text
        assert "Canais: chat, ligação · Sistemas: UPSOFT, IXC, OPA" in text
        assert "Atendimento do provedor: fechado" in text
        assert "atrasado" not in text
        assert KEY in sent_keys(state_file)

        # The same timer again, and the periodic re-plan at that moment: nothing more.
        assert await bot.run_timer(BOUNDARY, dt.timedelta(seconds=1)) == []
        assert await bot.run(notices.PLAN_JOB, at=BOUNDARY + 5 * MINUTE) == []


async def test_not_again_after_a_restart(api: FakeTelegram, real_kb: KB, state_file: Path) -> None:
    async with running(api, real_kb, state_file, BOUNDARY - MINUTE) as bot:
        await bot.run(notices.PLAN_JOB)
        assert len(await bot.run_timer(BOUNDARY)) == 1
    # A new process, the same state file, still within the grace.
    async with running(api, real_kb, state_file, BOUNDARY + 3 * MINUTE) as bot:
        assert await bot.run(notices.PLAN_JOB) == []
        assert BOUNDARY not in bot.timers()
    # The check can fail: without the state file, the restart would post it (late).
    async with running(
        api, real_kb, state_file.with_name("other.json"), BOUNDARY + 3 * MINUTE
    ) as bot:
        [again] = await bot.run(notices.PLAN_JOB)
        assert "(atrasado: 19:30)" in shown(again)


async def test_a_missed_notice_is_posted_late_once(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    async with running(api, real_kb, state_file, BOUNDARY - 30 * MINUTE) as bot:
        await bot.run(notices.PLAN_JOB)
        assert BOUNDARY in bot.timers()
    # The bot was down at 19:30 and comes back at 19:42.
    async with running(api, real_kb, state_file, BOUNDARY + 12 * MINUTE) as bot:
        [call] = await bot.run(notices.PLAN_JOB)
        assert call["chat_id"] == NOTICE_CHAT
        text = shown(call)
        assert text.splitlines()[0] == (
            "🟢 Mutum Fibra: a UPCALL assume o atendimento (cobertura total) (atrasado: 19:30)"
        )
        assert "Setores do provedor às 19:42 (18:42 no horário local):" in text
        assert await bot.run(notices.PLAN_JOB, at=BOUNDARY + 13 * MINUTE) == []
    async with running(api, real_kb, state_file, BOUNDARY + 20 * MINUTE) as bot:
        assert await bot.run(notices.PLAN_JOB) == []
    assert len(api.calls_to("sendMessage")) == 1
    assert sent_keys(state_file) == {KEY}


async def test_none_beyond_the_grace(api: FakeTelegram, real_kb: KB, state_file: Path) -> None:
    async with running(api, real_kb, state_file, BOUNDARY + 31 * MINUTE) as bot:
        assert await bot.run(notices.PLAN_JOB) == []
        assert bot.timers()  # the next boundaries are still set
    assert not state_file.exists()


async def test_an_advance_notice_before_the_boundary(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    async with running(api, real_kb, state_file, BOUNDARY - 30 * MINUTE) as bot:
        await bot.run(notices.PLAN_JOB)
        [lead] = await bot.run_timer(BOUNDARY - 10 * MINUTE)
        assert lead["chat_id"] == NOTICE_CHAT
        assert shown(lead).startswith(
            "⏰ Mutum Fibra: em 10 min a UPCALL assume o atendimento (cobertura total)"
        )
        [main] = await bot.run_timer(BOUNDARY)
        assert shown(main).startswith("🟢 Mutum Fibra")
    assert sent_keys(state_file) == {KEY, LEAD_KEY}


async def test_lead_zero_sets_no_advance_timers(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    async with running(
        api, real_kb, state_file, BOUNDARY - 30 * MINUTE, notice_lead_minutes=0
    ) as bot:
        await bot.run(notices.PLAN_JOB)
        assert BOUNDARY in bot.timers() and BOUNDARY - 10 * MINUTE not in bot.timers()


async def test_the_timer_and_the_replan_at_the_same_instant_post_once(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    async with running(
        api, real_kb, state_file, BOUNDARY, SlowRequest, notice_lead_minutes=0
    ) as bot:
        await asyncio.gather(notices.post_due(bot.app), notices.post_due(bot.app))
        assert len(api.calls_to("sendMessage")) == 1
    assert sent_keys(state_file) == {KEY}


# --------------------------------------------------------------------------- failures, topics


async def test_a_failed_send_is_retried_within_the_grace_and_posted_once(
    api: FakeTelegram, real_kb: KB, state_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(api, real_kb, state_file, BOUNDARY - MINUTE) as bot:
        [lead] = await bot.run(notices.PLAN_JOB)  # started 1 min before: "em 1 min"
        assert "em 1 min" in shown(lead)
        api.fail_next("sendMessage", 502, "Bad Gateway")
        with caplog.at_level(logging.WARNING, logger="bot.posting.notices"):
            [failed] = await bot.run_timer(BOUNDARY)
        assert failed.error == "Bad Gateway"
        assert any("not posted" in r.getMessage() for r in caplog.records)
        assert KEY not in sent_keys(state_file)  # not marked: Telegram did not accept it
        [retried] = await bot.run(notices.RETRY_JOB, at=BOUNDARY + 3 * MINUTE)
        assert "(atrasado: 19:30)" in shown(retried)
        assert sent_keys(state_file) == {LEAD_KEY, KEY}
        assert await bot.run(notices.PLAN_JOB, at=BOUNDARY + 4 * MINUTE) == []


async def test_a_forum_topic_per_isp(api: FakeTelegram, real_kb: KB, state_file: Path) -> None:
    threads = "vmnet:12,mutum:13"
    async with running(api, real_kb, state_file, BOUNDARY, notice_threads=threads) as bot:
        [call] = await bot.run(notices.PLAN_JOB)
        assert call["chat_id"] == NOTICE_CHAT and call["message_thread_id"] == 13


async def test_a_deleted_topic_falls_back_to_the_chat(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    async with running(api, real_kb, state_file, BOUNDARY, notice_threads="mutum:13") as bot:
        api.fail_next("sendMessage", 400, "Bad Request: message thread not found")
        [refused, posted] = await bot.run(notices.PLAN_JOB)
        assert refused["message_thread_id"] == 13 and refused.error
        assert "message_thread_id" not in posted.params and posted.error is None
    assert sent_keys(state_file) == {KEY}


async def test_no_chat_configured_logs_once_and_does_nothing(
    api: FakeTelegram, real_kb: KB, state_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.posting.notices"):
        async with running(api, real_kb, state_file, BOUNDARY, notice_chat_id=None) as bot:
            await notices.reschedule(bot.app)
            assert bot.app.job_queue is not None
            assert bot.app.job_queue.jobs(f"^{notices.JOB_PREFIX}") == ()
            assert notices.state_in(bot.app.bot_data) is None
    assert [r.getMessage() for r in caplog.records].count(
        "no notice chat configured (NOTICE_CHAT_ID): no shift-change notices"
    ) == 1
    assert api.calls_to("sendMessage") == [] and not state_file.exists()


async def test_reschedule_replaces_this_modules_jobs(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    async with running(api, real_kb, state_file, BOUNDARY - 30 * MINUTE) as bot:
        assert bot.app.job_queue is not None
        bot.app.job_queue.run_once(lambda _c: None, when=3600, name="someone-else")
        await bot.run(notices.PLAN_JOB)
        assert bot.timers()
        await notices.reschedule(bot.app)
        assert bot.timers() == {}  # dropped until the new plan job runs
        assert len(bot.app.job_queue.get_jobs_by_name(notices.PLAN_JOB)) == 1
        assert len(bot.app.job_queue.get_jobs_by_name("someone-else")) == 1
        await bot.run(notices.PLAN_JOB)
        assert BOUNDARY in bot.timers()


async def test_post_init_starts_the_notices(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    async with running(api, real_kb, state_file, BOUNDARY - 30 * MINUTE) as bot:
        assert bot.app.job_queue is not None
        for job in bot.app.job_queue.jobs():  # forget the start done by ``running``
            job.schedule_removal()
        assert bot.app.post_init is not None and bot.app.post_stop is not None
        await bot.app.post_init(bot.app)
        try:
            assert bot.job(notices.PLAN_JOB) is not None
        finally:
            await bot.app.post_stop(bot.app)


# --------------------------------------------------------------------------- the real timer


async def test_the_real_timer_fires_at_the_boundary(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    """The JobQueue running for real, the bot's clock 1 s before the boundary."""
    offset = (BOUNDARY - dt.timedelta(seconds=1)) - dt.datetime.now(UTC)
    async with running(api, real_kb, state_file, BOUNDARY, notice_lead_minutes=0) as bot:
        bot.app.bot_data[notices.CLOCK_KEY] = lambda: dt.datetime.now(UTC) + offset
        await bot.app.start()  # starts the JobQueue: the plan job runs now, the timer in 1 s
        posted_at = None
        try:
            for _ in range(150):
                if api.calls_to("sendMessage"):
                    posted_at = dt.datetime.now(UTC) + offset
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.2)  # room for a duplicate to show up
        finally:
            await bot.app.stop()
        [call] = api.calls_to("sendMessage")
        assert call["chat_id"] == NOTICE_CHAT and "atrasado" not in shown(call)
        assert posted_at is not None
        assert BOUNDARY <= posted_at < BOUNDARY + dt.timedelta(seconds=1)
        assert bot.errors == []


async def test_a_refused_advance_notice_is_tried_again_before_its_boundary(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    """Issue 15 item 8: the retry was fixed at one minute and, for an advance notice a minute
    before its boundary, fell on the boundary: the advance notice was never posted."""
    async with running(api, real_kb, state_file, BOUNDARY - MINUTE, notice_lead_minutes=1) as bot:
        api.fail_next("sendMessage", 502, "Bad Gateway")
        [refused] = await bot.run(notices.PLAN_JOB)
        assert refused.error == "Bad Gateway"
        retry_at = bot.job(notices.RETRY_JOB).job.trigger.run_date
        assert retry_at - dt.datetime.now(UTC) < MINUTE - dt.timedelta(seconds=5)
        [lead] = await bot.run(notices.RETRY_JOB, at=BOUNDARY - 50 * dt.timedelta(seconds=1))
        assert shown(lead).startswith("⏰ Mutum Fibra: em 1 min")
        [main] = await bot.run_timer(BOUNDARY)
        assert shown(main).startswith("🟢 Mutum Fibra")
    assert sent_keys(state_file) == {KEY, LEAD_KEY}


async def test_a_notice_group_that_migrates_is_followed_before_the_next_notice(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    """Telegram says so in the old group (``migrate_to_chat_id``): the next notice goes to the
    supergroup at once, and the supervisors are told to update NOTICE_CHAT_ID."""
    supergroup = -1002000000099
    async with running(api, real_kb, state_file, BOUNDARY - 30 * MINUTE) as bot:
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": int(dt.datetime.now(UTC).timestamp()),
                "chat": {"id": NOTICE_CHAT, "type": "group", "title": "Avisos"},
                "from": SUPERVISOR,
                "migrate_to_chat_id": supergroup,
            },
        }
        mark = api.mark()
        await bot.app.process_update(Update.de_json(update, bot.app.bot))
        [told] = [c for c in api.calls_since(mark) if c.method == "sendMessage"]
        assert int(told["chat_id"]) == SUPERVISOR["id"]
        assert f"NOTICE_CHAT_ID={supergroup}" in shown(told)
        [posted] = await bot.run(notices.PLAN_JOB, at=BOUNDARY)
        assert posted["chat_id"] == supergroup
        assert bot.errors == []


def migration_update(old: int, new: int) -> dict[str, Any]:
    return {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": int(dt.datetime.now(UTC).timestamp()),
            "chat": {"id": old, "type": "group", "title": "Avisos"},
            "from": SUPERVISOR,
            "migrate_to_chat_id": new,
        },
    }


async def test_a_followed_migration_is_still_followed_after_a_restart(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    """NOTICE_CHAT_ID still names the old group after a restart (the supervisors may not have
    updated it yet): the migration is kept beside the notices' state, so the next notice goes to
    the supergroup at once, without a refused post first."""
    supergroup = -1002000000099
    async with running(api, real_kb, state_file, BOUNDARY - 30 * MINUTE) as bot:
        await bot.app.process_update(
            Update.de_json(migration_update(NOTICE_CHAT, supergroup), bot.app.bot)
        )
        assert bot.errors == []
    mark = api.mark()
    async with running(api, real_kb, state_file, BOUNDARY - 30 * MINUTE) as bot:
        [posted] = await bot.run(notices.PLAN_JOB, at=BOUNDARY)
        assert posted["chat_id"] == supergroup
        assert bot.errors == []
    assert all(
        int(c["chat_id"]) != NOTICE_CHAT for c in api.calls_since(mark) if "chat_id" in c.params
    )
    # Another NOTICE_CHAT_ID (the setting updated, or a new chat chosen) is taken as written.
    for written in (supergroup, -1002000000777):
        async with running(
            api, real_kb, state_file, BOUNDARY - 30 * MINUTE, notice_chat_id=written
        ) as bot:
            door = posting_in(bot.app.bot_data).door_named("telegram")
            assert isinstance(door, TelegramDoor) and door.notice_chat == written


@pytest.mark.parametrize(
    "torn", [b"", b'{"-1002000000002": -10020', b"\xff\xfe", b"[1, 2]", b'{"x": "y"}']
)
async def test_a_torn_migrations_file_falls_back_to_the_setting(
    api: FakeTelegram, real_kb: KB, state_file: Path, torn: bytes
) -> None:
    state_file.parent.mkdir(parents=True, exist_ok=True)
    (state_file.parent / "migrations.json").write_bytes(torn)
    async with running(api, real_kb, state_file, BOUNDARY - 30 * MINUTE) as bot:
        [posted] = await bot.run(notices.PLAN_JOB, at=BOUNDARY)
        assert posted["chat_id"] == NOTICE_CHAT
        assert bot.errors == []


async def test_a_migration_written_whole_survives_a_torn_copy(
    api: FakeTelegram, real_kb: KB, state_file: Path
) -> None:
    """The file is written atomically with a backup copy: a torn file reads the backup."""
    supergroup = -1002000000099
    async with running(api, real_kb, state_file, BOUNDARY - 30 * MINUTE) as bot:
        await bot.app.process_update(
            Update.de_json(migration_update(NOTICE_CHAT, supergroup), bot.app.bot)
        )
    migrations = state_file.parent / "migrations.json"
    assert json.loads(migrations.read_text("utf-8")) == {str(NOTICE_CHAT): supergroup}
    migrations.write_bytes(migrations.read_bytes()[:7])
    async with running(api, real_kb, state_file, BOUNDARY - 30 * MINUTE) as bot:
        [posted] = await bot.run(notices.PLAN_JOB, at=BOUNDARY)
        assert posted["chat_id"] == supergroup
