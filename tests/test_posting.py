"""The core of what the bot posts on its own (``bot/posting``), with doors that need no network:
the state files (atomic, fsync'ed, a backup copy, damage survived), the per-door notice state, retries
with backoff, an advance notice retried before its boundary, pending deletions across a restart.

The scheduler is the real one (PTB's JobQueue on an application that never talks to Telegram, as
``upcall-bot run`` has it without Telegram); its jobs are run by hand at a fake instant.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import make_settings
from telegram.error import NetworkError

from bot.answers.render import to_plain
from bot.answers.reply import Reply
from bot.app.doors import Audience, DeliveryError, Posted
from bot.knowledge.kb import KB, KBHolder
from bot.posting import deletions as deletions_module
from bot.posting import notices as posting_notices
from bot.posting import statefile
from bot.posting.ledger import KEEP, SentLedger
from bot.posting.service import Posting
from handlers.scheduler import JobQueueScheduler, standalone_application

SP = ZoneInfo("America/Sao_Paulo")
UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)
BOUNDARY = dt.datetime(2026, 11, 23, 19, 30, tzinfo=SP)  # Mutum Fibra opens (a Monday)
KEY = "mutum:open:2026-11-23T22:30:00+00:00:main"
LEAD_KEY = "mutum:open:2026-11-23T22:30:00+00:00:lead"
NOW = dt.datetime(2026, 11, 23, 22, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- state files


def test_the_ledger_round_trips_per_door(tmp_path: Path) -> None:
    path = tmp_path / "state" / "notices.json"
    ledger = SentLedger.load(path, NOW)
    assert len(ledger) == 0 and not path.exists() and not ledger.damaged
    ledger.expected = ("telegram", "whatsapp")
    ledger.mark("telegram", KEY, NOW)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {
        "version": 2,
        "doors": {"telegram": {KEY: NOW.isoformat()}},
        "sent": {},  # not yet on every configured door
    }
    ledger.mark("whatsapp", KEY, NOW + MINUTE)
    assert json.loads(path.read_text(encoding="utf-8"))["sent"] == {KEY: (NOW + MINUTE).isoformat()}
    again = SentLedger.load(path, NOW + MINUTE)
    assert again.has("telegram", KEY) and again.has("whatsapp", KEY)
    assert again.done(["telegram", "whatsapp"]) == {KEY}
    assert statefile.backup_of(path).read_text("utf-8") == path.read_text("utf-8")


def test_a_version_1_file_is_telegrams(tmp_path: Path) -> None:
    path = tmp_path / "notices.json"
    path.write_text(json.dumps({"version": 1, "sent": {KEY: NOW.isoformat()}}), encoding="utf-8")
    ledger = SentLedger.load(path, NOW)
    assert ledger.keys("telegram") == {KEY} and ledger.keys("whatsapp") == frozenset()


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b"[]", b'{"doors": {"telegram": {"k', b"\xff\xfe\x00{}", b"\x00\x01"],
)
def test_a_damaged_state_is_read_from_its_backup(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "notices.json"
    SentLedger.load(path, NOW).mark("telegram", KEY, NOW)
    path.write_bytes(content)  # invalid UTF-8, truncated, empty: the bot must still start
    with caplog.at_level(logging.WARNING, logger="bot.posting.statefile"):
        ledger = SentLedger.load(path, NOW)
    assert ledger.has("telegram", KEY) and not ledger.damaged
    assert any("backup" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("content", [b"{not json", b"", b"\xff\xfe"])
def test_a_damaged_state_without_backup_is_flagged_and_repaired_by_the_next_write(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "notices.json"
    path.write_bytes(content)
    with caplog.at_level(logging.ERROR, logger="bot.posting.statefile"):
        ledger = SentLedger.load(path, NOW)
    assert ledger.damaged and len(ledger) == 0
    assert any("notices.json" in r.getMessage() for r in caplog.records)
    ledger.mark("telegram", "k", NOW)
    assert json.loads(path.read_text(encoding="utf-8"))["doors"] == {
        "telegram": {"k": NOW.isoformat()}
    }


def test_bad_entries_are_dropped_good_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "notices.json"
    entries = {"good": NOW.isoformat(), "naive": "2026-11-23T22:30:00", "junk": 5, "w": "ontem"}
    path.write_text(json.dumps({"version": 2, "doors": {"telegram": entries}}), encoding="utf-8")
    assert SentLedger.load(path, NOW).keys("telegram") == {"good"}


def test_the_state_is_written_atomically_and_the_directory_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "notices.json"
    synced: list[Path] = []
    real_sync = statefile.fsync_directory
    monkeypatch.setattr(statefile, "fsync_directory", lambda d: synced.append(d) or real_sync(d))
    ledger = SentLedger.load(path, NOW)
    ledger.mark("telegram", "first", NOW)
    assert synced == [tmp_path, tmp_path]  # the file, then its backup: each rename made durable
    before = path.read_text(encoding="utf-8")
    renames: list[tuple[str, str]] = []

    def failing_replace(src: str, dst: str) -> None:
        renames.append((str(src), str(dst)))
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with caplog.at_level(logging.ERROR, logger="bot.posting.ledger"):
        ledger.mark("telegram", "second", NOW)
    # The new content went to a temporary file beside the state file, renamed over it.
    [(src, dst)] = renames
    assert Path(src).parent == tmp_path and dst == str(path)
    assert path.read_text(encoding="utf-8") == before  # the old file, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notices.json", "notices.json.bak"]
    assert ledger.has("telegram", "second")  # this process still will not repeat it
    assert any("may repeat" in r.getMessage() for r in caplog.records)


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    path = tmp_path / "notices.json"
    old = NOW - KEEP - MINUTE
    recent = NOW - dt.timedelta(days=1)
    entries = {"old": old.isoformat(), "recent": recent.isoformat()}
    path.write_text(json.dumps({"version": 2, "doors": {"telegram": entries}}), encoding="utf-8")
    ledger = SentLedger.load(path, NOW)
    assert ledger.keys("telegram") == {"recent"}
    ledger.mark("telegram", "new", NOW + KEEP)  # a later write prunes what aged meanwhile
    assert ledger.keys("telegram") == {"new"}


# --------------------------------------------------------------------------- doors and notices


@dataclass
class FakeDoor:
    """A door that records what it posts and fails while ``failing`` says so."""

    name: str
    failing: int = 0
    """How many of the next posts fail (DeliveryError)."""
    posts: list[str] = field(default_factory=list)
    deleted: list[Posted] = field(default_factory=list)
    gone: bool = False

    async def post(
        self, audience: Audience, reply: Reply, *, provider: str | None = None
    ) -> Sequence[Posted]:
        if self.failing:
            self.failing -= 1
            raise DeliveryError("503 Service Unavailable")
        self.posts.append(to_plain(reply))
        return [Posted(self.name, "chat", str(len(self.posts)))]

    async def delete(self, posted: Posted) -> bool:
        if self.failing:
            self.failing -= 1
            raise DeliveryError("timed out")
        self.deleted.append(posted)
        return not self.gone


@dataclass
class FakeClock:
    now: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Core:
    posting: Posting
    scheduler: JobQueueScheduler
    clock: FakeClock
    doors: dict[str, FakeDoor]

    def job(self, name: str) -> Any:
        [job] = self.scheduler.job_queue.get_jobs_by_name(name)
        return job

    def delay_of(self, name: str) -> dt.timedelta:
        """How far from the real now the job ``name`` is set (the queue is not started)."""
        run_date: dt.datetime = self.job(name).job.trigger.run_date
        return run_date - dt.datetime.now(UTC)

    async def run(self, name: str, at: dt.datetime | None = None) -> None:
        if at is not None:
            self.clock.now = at
        await self.job(name).run(self.scheduler.application)


def build_core(kb: KB, state_dir: Path, now: dt.datetime, *names: str, **overrides: Any) -> Core:
    values: dict[str, Any] = {
        "notice_chat_id": -100200,
        "notice_state_file": state_dir / "notices.json",
        "notice_lead_minutes": 10,
        "notice_grace_minutes": 30,
    }
    values.update(overrides)
    scheduler = JobQueueScheduler(standalone_application("America/Sao_Paulo"))
    clock = FakeClock(now)
    posting = Posting(make_settings(**values), KBHolder(kb), scheduler, clock=clock)
    doors = {name: FakeDoor(name) for name in names}
    for door in doors.values():
        posting.add_door(door)
    return Core(posting, scheduler, clock, doors)


async def test_the_scheduler_only_application_builds_no_http_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It never calls the Bot API: no HTTP client, no TLS context (CPU at every start)."""
    made: list[Any] = []
    real = ssl.create_default_context

    def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        made.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counting)
    application = standalone_application("America/Sao_Paulo")
    assert made == []
    assert application.job_queue is not None
    with pytest.raises(NetworkError, match="never calls the Bot API"):
        await application.bot.request.post("http://127.0.0.1:9/bot0:x/getMe")


def test_starting_the_bot_loads_no_word_list() -> None:
    """wordfreq (about 0.3 s of CPU to import) is loaded by the first question read, not by
    ``upcall-bot run``'s imports."""
    code = "import sys, handlers.runner, bot.app.cli; print(sorted({'wordfreq', 'langcodes'} & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.fixture
async def core(real_kb: KB, tmp_path: Path) -> AsyncIterator[Core]:
    yield build_core(real_kb, tmp_path, BOUNDARY - MINUTE, "telegram", "whatsapp")


async def test_a_notice_one_door_refused_is_retried_for_that_door_only(
    core: Core, real_kb: KB, tmp_path: Path
) -> None:
    telegram, whatsapp = core.doors["telegram"], core.doors["whatsapp"]
    await core.posting.notices.start()
    whatsapp.failing = 1
    await core.run(posting_notices.PLAN_JOB, at=BOUNDARY)
    assert len(telegram.posts) == 1 and whatsapp.posts == []
    ledger = SentLedger.load(tmp_path / "notices.json", BOUNDARY)
    assert ledger.has("telegram", KEY) and not ledger.has("whatsapp", KEY)
    await core.run(posting_notices.RETRY_JOB, at=BOUNDARY + 20 * posting_notices.RETRY_FIRST / 20)
    assert len(telegram.posts) == 1 and len(whatsapp.posts) == 1
    assert whatsapp.posts[0].startswith("== 🟢 Mutum Fibra")
    assert SentLedger.load(tmp_path / "notices.json", BOUNDARY).done(["telegram", "whatsapp"]) == {
        KEY
    }


async def test_after_a_restart_only_the_door_that_missed_it_gets_the_notice(
    real_kb: KB, tmp_path: Path
) -> None:
    first = build_core(real_kb, tmp_path, BOUNDARY, "telegram", "whatsapp", notice_lead_minutes=0)
    first.doors["whatsapp"].failing = 1
    await first.posting.notices.start()
    await first.run(posting_notices.PLAN_JOB)
    assert len(first.doors["telegram"].posts) == 1 and first.doors["whatsapp"].posts == []
    # A new process, the same state file, 3 minutes later: WhatsApp gets it (late), Telegram not.
    second = build_core(
        real_kb, tmp_path, BOUNDARY + 3 * MINUTE, "telegram", "whatsapp", notice_lead_minutes=0
    )
    await second.posting.notices.start()
    await second.run(posting_notices.PLAN_JOB)
    assert second.doors["telegram"].posts == []
    [late] = second.doors["whatsapp"].posts
    assert "(atrasado: 19:30)" in late.splitlines()[0]
    # And a third start: nothing for anyone.
    third = build_core(
        real_kb, tmp_path, BOUNDARY + 4 * MINUTE, "telegram", "whatsapp", notice_lead_minutes=0
    )
    await third.posting.notices.start()
    await third.run(posting_notices.PLAN_JOB)
    assert third.doors["telegram"].posts == [] and third.doors["whatsapp"].posts == []


async def test_retries_back_off_within_the_grace(real_kb: KB, tmp_path: Path) -> None:
    core = build_core(real_kb, tmp_path, BOUNDARY, "telegram", notice_lead_minutes=0)
    door = core.doors["telegram"]
    door.failing = 4
    await core.posting.notices.start()
    await core.run(posting_notices.PLAN_JOB)
    waits = [core.delay_of(posting_notices.RETRY_JOB)]
    for _ in range(3):
        await core.run(posting_notices.RETRY_JOB, at=core.clock.now + waits[-1])
        waits.append(core.delay_of(posting_notices.RETRY_JOB))
    first = posting_notices.RETRY_FIRST.total_seconds()
    assert [round(w.total_seconds() / first) for w in waits] == [1, 2, 4, 8]
    await core.run(posting_notices.RETRY_JOB, at=core.clock.now + waits[-1])
    [posted] = door.posts
    assert "atrasado" in posted  # 150 s after the boundary


async def test_a_failed_advance_notice_is_retried_before_its_boundary(
    real_kb: KB, tmp_path: Path
) -> None:
    """The advance notice fails a minute before the boundary: tried again within seconds, each
    time before the boundary (a fixed one-minute retry fell on it and the notice was lost)."""
    core = build_core(real_kb, tmp_path, BOUNDARY - MINUTE, "telegram", notice_lead_minutes=1)
    door = core.doors["telegram"]
    door.failing = 3
    await core.posting.notices.start()
    await core.run(posting_notices.PLAN_JOB)  # the advance notice, due now: refused
    while not door.posts:
        left = BOUNDARY - core.clock.now
        delay = core.delay_of(posting_notices.RETRY_JOB)
        assert dt.timedelta(0) < delay < left, (delay, left)
        await core.run(posting_notices.RETRY_JOB, at=core.clock.now + delay)
    [lead] = door.posts
    assert lead.startswith("== ⏰ Mutum Fibra: em 1 min")
    await core.run(posting_notices.PLAN_JOB, at=BOUNDARY)
    assert len(door.posts) == 2 and door.posts[1].startswith("== 🟢 Mutum Fibra")


async def test_an_advance_notice_never_accepted_gives_way_to_the_boundary_notice(
    real_kb: KB, tmp_path: Path
) -> None:
    core = build_core(real_kb, tmp_path, BOUNDARY - MINUTE, "telegram", notice_lead_minutes=1)
    door = core.doors["telegram"]
    door.failing = 100
    await core.posting.notices.start()
    await core.run(posting_notices.PLAN_JOB)
    for _ in range(10):
        delay = core.delay_of(posting_notices.RETRY_JOB)
        if core.clock.now + delay >= BOUNDARY:
            break
        await core.run(posting_notices.RETRY_JOB, at=core.clock.now + delay)
    door.failing = 0  # Telegram is back at the boundary
    await core.run(posting_notices.PLAN_JOB, at=BOUNDARY)
    [main] = door.posts  # the boundary notice; the advance one is not posted after it
    assert main.startswith("== 🟢 Mutum Fibra")


async def test_a_damaged_state_with_no_backup_skips_what_is_due(
    real_kb: KB, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "notices.json").write_bytes(b'{"version": 2, "doors": {"tel')
    core = build_core(real_kb, tmp_path, BOUNDARY + 3 * MINUTE, "telegram", notice_lead_minutes=0)
    with caplog.at_level(logging.WARNING, logger="bot.posting.ledger"):
        await core.posting.notices.start()
    await core.run(posting_notices.PLAN_JOB)
    assert core.doors["telegram"].posts == []  # may have gone out before: never twice
    assert any(KEY in r.getMessage() for r in caplog.records)
    assert BOUNDARY + 4 * MINUTE  # later boundaries are still set
    assert core.scheduler.names(posting_notices.AT_PREFIX)


async def test_a_door_without_a_notice_chat_gets_no_shift_notices(
    real_kb: KB, tmp_path: Path
) -> None:
    @dataclass
    class NoNotices(FakeDoor):
        def has_chat_for(self, audience: Audience) -> bool:
            return audience is not Audience.NOTICES

    core = build_core(real_kb, tmp_path, BOUNDARY, "telegram", notice_lead_minutes=0)
    quiet = NoNotices("whatsapp")
    core.posting.add_door(quiet)
    await core.posting.notices.start()
    await core.run(posting_notices.PLAN_JOB)
    assert len(core.doors["telegram"].posts) == 1 and quiet.posts == []


# --------------------------------------------------------------------------- one-off posts


async def test_a_changelog_reaches_every_door_and_a_refusal_is_retried(core: Core) -> None:
    from bot.answers.reply import ReplyKind, text

    telegram, whatsapp = core.doors["telegram"], core.doors["whatsapp"]
    whatsapp.failing = 1
    await core.posting.post(Audience.NOTICES, Reply(ReplyKind.ANSWER, (text("mudou"),)))
    assert telegram.posts == ["mudou"] and whatsapp.posts == []
    [retry] = core.scheduler.names("post:")
    await core.run(retry)
    assert telegram.posts == ["mudou"] and whatsapp.posts == ["mudou"]


async def test_the_weekly_post_goes_through_every_door(core: Core) -> None:
    core.posting.schedule_weekly()
    await core.run("gaps:weekly")
    for door in core.doors.values():
        [post] = door.posts
        assert post.startswith("== Resumo semanal")


# --------------------------------------------------------------------------- deletions


async def test_pending_deletions_survive_a_restart_and_overdue_ones_go_at_start(
    real_kb: KB, tmp_path: Path
) -> None:
    first = build_core(real_kb, tmp_path, NOW, "telegram")
    first.posting.delete_later(
        [Posted("telegram", "-100", "7"), Posted("telegram", "-100", "8")], 60
    )
    assert sorted(first.scheduler.names("delete:")) == [
        "delete:telegram:-100:7",
        "delete:telegram:-100:8",
    ]
    # The process ends before the minute is up; the next one starts two minutes later.
    second = build_core(real_kb, tmp_path, NOW + 2 * MINUTE, "telegram")
    await second.posting.deletions.start()
    for name in second.scheduler.names("delete:"):
        assert second.delay_of(name) <= dt.timedelta(seconds=1)  # overdue: now
        await second.run(name)
    assert [p.message_id for p in second.doors["telegram"].deleted] == ["7", "8"]
    rows = json.loads((tmp_path / "deletions.json").read_text("utf-8"))["pending"]
    assert rows == []


async def test_a_deletion_that_cannot_be_done_now_is_retried_then_kept_no_longer(
    real_kb: KB, tmp_path: Path
) -> None:
    core = build_core(real_kb, tmp_path, NOW, "telegram")
    door = core.doors["telegram"]
    door.failing = 1
    core.posting.delete_later([Posted("telegram", "-100", "7")], 5)
    await core.run("delete:telegram:-100:7", at=NOW + dt.timedelta(seconds=5))
    assert door.deleted == []
    assert core.delay_of("delete:telegram:-100:7") > dt.timedelta(seconds=20)  # backoff
    await core.run("delete:telegram:-100:7", at=NOW + MINUTE)
    assert [p.message_id for p in door.deleted] == ["7"]
    assert core.posting.deletions.pending == {}
    # Already gone (the door says False): done, not asked again.
    door.gone = True
    core.posting.delete_later([Posted("telegram", "-100", "9")], 5)
    await core.run("delete:telegram:-100:9")
    assert core.posting.deletions.pending == {}
    assert dt.timedelta(hours=48) <= deletions_module.GIVE_UP_AFTER


async def test_the_next_notice_instant_is_known(core: Core) -> None:
    assert core.posting.notices.next_instant() is None
    await core.posting.notices.start()
    await core.run(posting_notices.PLAN_JOB)
    assert core.posting.notices.next_instant() == BOUNDARY  # the timer set a minute ahead
