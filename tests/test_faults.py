"""Telegram misbehaving, and the knowledge directory vanishing: the bot keeps answering.

The bot is the real Application (``build_application``, its aiohttp requests, long polling, the
JobQueue for notices) against the fake Bot API served over HTTP on 127.0.0.1, with faults
injected per call (``FakeTelegram.fail_next`` / ``delay_next``): 5xx answers, answers held past
the bot's read timeout, 429 with ``retry_after``; and a bot stopped before a shift-change boundary
and started again after it. Notices are counted: each is posted exactly once.

The read timeout is shortened to :data:`READ_TIMEOUT` so that a timeout takes a fraction of a
second; everything else is as in production.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import shutil
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import KB_DIR, MUTUM_DNS, make_settings
from live_app import build_live, polling, wait_call, wait_until
from telegram import Update

from bot.app.settings import Settings
from bot.knowledge import reload as reload_module
from bot.knowledge.kb import KBHolder, load_kb
from bot.knowledge.reload import Reloader, ReloadEvent
from bot.posting import notices as posting_notices
from fake_bot_api import (
    AGENT,
    GROUP,
    SUPERVISOR,
    ApiCall,
    FakeBotApiServer,
    FakeTelegram,
    RecordingRequest,
    Updates,
    plain_text,
    private_chat,
)
from handlers.telegram import door, knowledge, notices, send
from handlers.telegram.app import FLOOD_RETRIES, build_application
from handlers.telegram.errors import APOLOGY
from handlers.telegram.state import BotApplication
from handlers.telegram.transport import NotDelivered

pytestmark = pytest.mark.filterwarnings(
    # The app opts in to PTB's timedelta periods (build_application): a 429 warns no more.
    "error::telegram.warnings.PTBDeprecationWarning"
)

READ_TIMEOUT = 0.5
"""The bot's read timeout in these tests (production: PTB's 5 s)."""
HOLD = 1.5
"""How long the fake holds an answer to make the bot time out."""
SP = ZoneInfo("America/Sao_Paulo")
UTC = dt.UTC
NOTICE_CHAT = -1002000000002
# 2026-11-23 is a Monday; Mutum Fibra's coverage opens at 19:30 Brasília, nothing else near it.
BOUNDARY = dt.datetime(2026, 11, 23, 19, 30, tzinfo=SP)
KEY = "mutum:open:2026-11-23T22:30:00+00:00:main"


def shown(call: ApiCall) -> str:
    return plain_text(call["text"], call.get("parse_mode"))


@dataclass
class Live:
    """A running bot and the fake Telegram it talks to."""

    app: BotApplication
    api: FakeTelegram
    updates: Updates = field(default_factory=Updates)
    errors: list[BaseException] = field(default_factory=list)
    polling_errors: list[Exception] = field(default_factory=list)

    async def record_error(self, update: object, context: Any) -> None:
        self.errors.append(context.error)

    async def ask(self, text: str, chat: dict[str, Any] = GROUP) -> ApiCall:
        """Push a question from ``chat``; the first answer the bot sends there."""
        mark = self.api.mark()
        self.api.push(self.updates.message(chat, AGENT, text))
        return await wait_call(
            self.api, "sendMessage", lambda c: c["chat_id"] == chat["id"], since=mark
        )

    def sent_to(self, chat_id: int, since: int = 0) -> list[ApiCall]:
        return [
            c
            for c in self.api.calls_since(since)
            if c.method == "sendMessage" and c["chat_id"] == chat_id and c.done
        ]


@pytest.fixture
def server() -> Iterator[FakeBotApiServer]:
    with FakeBotApiServer() as served:
        yield served


@asynccontextmanager
async def running(
    server: FakeBotApiServer, kb_dir: Path, clock: dt.datetime | None = None, **overrides: Any
) -> AsyncIterator[Live]:
    """The bot polling the fake over HTTP; with ``clock``, its notice clock reads that instant
    now and runs on in real time (the JobQueue's timers are real)."""
    settings = make_settings(kb_dir=kb_dir, **overrides)
    app = build_live(server, settings, KBHolder(load_kb(kb_dir)), read_timeout=READ_TIMEOUT)
    live = Live(app, server.api)
    app.add_error_handler(live.record_error)
    if clock is not None:
        offset = clock - dt.datetime.now(UTC)
        app.bot_data[notices.CLOCK_KEY] = lambda: dt.datetime.now(UTC) + offset
    async with polling(app, error_callback=live.polling_errors.append):
        await wait_until(lambda: bool(server.api.calls_to("getUpdates")), 10, "polling")
        yield live


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("code", "description"), [(500, "Internal Server Error"), (502, "Bad Gateway")]
)
async def test_a_5xx_on_an_answer_is_sent_again_once(
    server: FakeBotApiServer, kb_dir: Path, code: int, description: str
) -> None:
    """Telegram answering 5xx did not post the message: sending it again makes no copy."""
    async with running(server, kb_dir) as live:
        live.api.fail_next("sendMessage", code, description)
        mark = live.api.mark()
        failed = await live.ask("/dns mutum")
        assert failed.error == description
        answer = await wait_call(live.api, "sendMessage", lambda c: c.error is None, since=mark)
        assert MUTUM_DNS in shown(answer)
        assert answer.at - failed.at >= send.RETRY_DELAYS[0]
        await asyncio.sleep(0.3)
        assert len(live.sent_to(GROUP["id"], mark)) == 2  # the refused one and the answer
        assert live.errors == []  # no apology


async def test_a_5xx_that_lasts_gets_the_apology_and_the_bot_goes_on(
    server: FakeBotApiServer, kb_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(send, "RETRY_DELAYS", (0.05, 0.05))
    async with running(server, kb_dir) as live:
        for _ in range(len(send.RETRY_DELAYS) + 1):
            live.api.fail_next("sendMessage", 502, "Bad Gateway")
        mark = live.api.mark()
        live.api.push(live.updates.message(GROUP, AGENT, "/dns mutum"))
        apology = await wait_call(live.api, "sendMessage", lambda c: c.error is None, since=mark)
        assert shown(apology) == APOLOGY  # never a traceback, never silence
        assert [c.error for c in live.sent_to(GROUP["id"], mark)] == ["Bad Gateway"] * 3 + [None]
        # The recording error handler runs after the one that apologised.
        await wait_until(lambda: bool(live.errors), 5, "the error in the error handlers")
        assert [type(e) for e in live.errors] == [NotDelivered]
        answer = await live.ask("/dns mutum")
        assert answer.error is None and MUTUM_DNS in shown(answer)


async def test_an_answer_held_long_does_not_hold_the_other_chats(
    server: FakeBotApiServer, kb_dir: Path
) -> None:
    released = threading.Event()
    async with running(server, kb_dir) as live:
        try:
            # Held until the other chat has its answer, however long a loaded machine takes.
            live.api.fail_next("sendMessage", 502, "Bad Gateway", delay=60, until=released)
            mark = live.api.mark()
            live.api.push(live.updates.message(GROUP, AGENT, "/dns mutum"))
            # The group's answer is the call held: the other chat asks only once it is open
            # (asked together, the bot may send the other answer first, and that one would be
            # held).
            await wait_until(
                lambda: any(
                    c.method == "sendMessage" and c["chat_id"] == GROUP["id"]
                    for c in live.api.calls_since(mark)
                ),
                30,
                "the group's answer held",
            )
            # Another chat is answered while the held call is still open (a loaded machine may
            # take seconds: the hold lasts until then).
            asked = live.api.mark()
            live.api.push(live.updates.message(private_chat(AGENT), AGENT, "/dns mutum"))
            answer = await wait_call(
                live.api,
                "sendMessage",
                lambda c: c["chat_id"] == AGENT["id"],
                since=asked,
                timeout=30,
            )
            held = next(c for c in live.api.calls_since(mark) if c.method == "sendMessage")
            assert not held.done
            assert MUTUM_DNS in shown(answer)
        finally:
            released.set()
        # Telegram refused it in the end (502): sent again, the group gets its answer.
        again = await wait_call(
            live.api,
            "sendMessage",
            lambda c: c["chat_id"] == GROUP["id"] and c.error is None,
            since=mark,
        )
        assert held.answered_at is not None and held.error == "Bad Gateway"
        assert MUTUM_DNS in shown(again) and again.at >= held.answered_at
        assert live.errors == []


async def test_an_answer_telegram_accepts_slowly_is_the_answer_and_no_apology(
    server: FakeBotApiServer, kb_dir: Path
) -> None:
    """Accepted after 1.5 s (the transport's read timeout here: 0.5 s; in production 5 s, and the
    case seen was 7 s): the answer was delivered, not a failure to apologise for."""
    async with running(server, kb_dir) as live:
        live.api.delay_next("sendMessage", HOLD)
        mark = live.api.mark()
        slow = await live.ask("/dns mutum")
        assert slow.error is None and MUTUM_DNS in shown(slow)
        assert slow.answered_at is not None and slow.answered_at - slow.at >= HOLD
        await asyncio.sleep(0.5)
        assert [shown(c) for c in live.sent_to(GROUP["id"], mark)] == [shown(slow)]
        assert live.errors == []


async def test_an_answer_that_times_out_is_not_sent_twice(
    server: FakeBotApiServer, kb_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held past the answer's read timeout, the message may still be posted: it is not sent
    again (never two copies); the agent gets the apology."""
    monkeypatch.setattr(send, "ANSWER_READ_TIMEOUT", 2 * READ_TIMEOUT)
    async with running(server, kb_dir) as live:
        live.api.delay_next("sendMessage", 2 * HOLD)
        mark = live.api.mark()
        live.api.push(live.updates.message(GROUP, AGENT, "/dns mutum"))
        apology = await wait_call(
            live.api, "sendMessage", lambda c: c.error is None and shown(c) == APOLOGY, since=mark
        )
        await wait_until(
            lambda: all(c.done for c in live.api.calls_to("sendMessage")), 5, "answered"
        )
        answers = [c for c in live.sent_to(GROUP["id"], mark) if c is not apology]
        assert len(answers) == 1 and MUTUM_DNS in shown(answers[0])  # posted late, once
        await wait_until(lambda: bool(live.errors), 5, "the error in the error handlers")
        assert "Timed out" in str(live.errors[0])


async def test_a_429_on_an_answer_is_retried_after_retry_after(
    server: FakeBotApiServer, kb_dir: Path
) -> None:
    async with running(server, kb_dir) as live:
        live.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        mark = live.api.mark()
        refused = await live.ask("/dns mutum")
        assert refused.error and refused.error.startswith("Too Many Requests")
        retried = await wait_call(live.api, "sendMessage", lambda c: c.error is None, since=mark)
        assert refused.answered_at is not None
        assert retried.at - refused.answered_at >= 1.0  # PTB's limiter waited retry_after
        assert MUTUM_DNS in shown(retried)
        await asyncio.sleep(0.2)
        assert len(live.sent_to(GROUP["id"], mark)) == 2  # the refused one and the retry
        assert live.errors == []  # nobody saw a failure: no apology


async def test_flood_control_that_does_not_end_gets_the_apology(
    server: FakeBotApiServer, kb_dir: Path
) -> None:
    async with running(server, kb_dir) as live:
        for _ in range(FLOOD_RETRIES + 1):
            live.api.fail_next(
                "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1
            )
        mark = live.api.mark()
        live.api.push(live.updates.message(GROUP, AGENT, "/dns mutum"))
        apology = await wait_call(
            live.api, "sendMessage", lambda c: c.error is None, since=mark, timeout=15
        )
        assert shown(apology) == APOLOGY
        refused = [c for c in live.sent_to(GROUP["id"], mark) if c.error]
        assert len(refused) == FLOOD_RETRIES + 1
        answer = await live.ask("/dns mutum")
        assert MUTUM_DNS in shown(answer)


# --------------------------------------------------------------------------- polling


async def test_polling_survives_5xx_and_a_held_poll_answering_each_update_once(
    server: FakeBotApiServer, kb_dir: Path
) -> None:
    async with running(server, kb_dir) as live:
        live.api.fail_next("getUpdates", 500, "Internal Server Error")
        live.api.fail_next("getUpdates", 502, "Bad Gateway")
        await wait_call(live.api, "getUpdates", lambda c: c.error == "Bad Gateway")
        answer = await live.ask("/dns mutum")
        assert MUTUM_DNS in shown(answer)
        errors = [c.error for c in live.api.calls_to("getUpdates") if c.error]
        assert errors == ["Internal Server Error", "Bad Gateway"]
        assert len(live.polling_errors) == 2  # reported, then polling went on

        # A long poll held past its read timeout (poll timeout + READ_TIMEOUT): the bot polls
        # again, and the question asked meanwhile is answered once. Held until that answer
        # has come, however long a loaded machine takes: it comes through a new poll, so after
        # the bot gave up on this one (poll timeout 1 s + READ_TIMEOUT).
        released = threading.Event()
        live.api.delay_next("getUpdates", 60, until=released)
        mark = live.api.mark()
        await wait_until(
            lambda: any(
                c.method == "getUpdates" and not c.done for c in live.api.calls_since(mark)
            ),
            10,
            "the held poll",
        )
        asked = live.api.mark()
        live.api.push(live.updates.message(GROUP, AGENT, "@UpcallBot qual o dns da mutum?"))
        try:
            answer = await wait_call(live.api, "sendMessage", since=asked, timeout=30)
        finally:
            released.set()
        assert MUTUM_DNS in shown(answer)
        held = next(c for c in live.api.calls_since(mark) if c.method == "getUpdates")
        assert held.answered_at is None or answer.at < held.answered_at  # answered meanwhile
        await wait_until(lambda: held.done, 10, "the held poll's end")
        await asyncio.sleep(0.3)
        assert len(live.sent_to(GROUP["id"], asked)) == 1
        assert live.errors == []
    assert live.api.pending_updates() == 0


async def test_a_429_on_polling_waits_retry_after(server: FakeBotApiServer, kb_dir: Path) -> None:
    async with running(server, kb_dir) as live:
        live.api.fail_next("getUpdates", 429, "Too Many Requests: retry after 1", retry_after=1)
        await wait_call(live.api, "getUpdates", lambda c: c.error is not None)
        answer = await live.ask("/dns mutum")
        assert MUTUM_DNS in shown(answer)
        polls = live.api.calls_to("getUpdates")
        [index] = [i for i, c in enumerate(polls) if c.error]
        refused, after = polls[index], polls[index + 1]
        assert refused.answered_at is not None and after.at - refused.answered_at >= 1.0


# --------------------------------------------------------------------------- notices


def notice_posts(api: FakeTelegram) -> list[ApiCall]:
    """The sendMessage calls of the Mutum notice, refused ones included."""
    return [
        c
        for c in api.calls_to("sendMessage")
        if c["chat_id"] == NOTICE_CHAT and "Mutum Fibra" in c.get("text", "")
    ]


def sent_keys(state_file: Path) -> set[str]:
    if not state_file.exists():
        return set()
    return set(json.loads(state_file.read_text(encoding="utf-8"))["sent"])


def notice_settings(state_file: Path) -> dict[str, Any]:
    return {
        "notice_chat_id": NOTICE_CHAT,
        "notice_state_file": state_file,
        "notice_lead_minutes": 0,
        "notice_grace_minutes": 30,
    }


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "state" / "notices.json"


@pytest.fixture
def quick_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed notice is tried again after 0.5 s instead of a minute."""
    monkeypatch.setattr(posting_notices, "RETRY_FIRST", dt.timedelta(seconds=0.5))


async def settle_notice(api: FakeTelegram, state_file: Path, timeout: float = 10) -> None:
    """Until the notice is marked sent and no call for it is still open."""
    await wait_until(lambda: KEY in sent_keys(state_file), timeout, "the notice marked sent")
    await asyncio.sleep(0.3)  # room for a duplicate to show up
    await wait_until(lambda: all(c.done for c in notice_posts(api)), timeout, "calls answered")


@pytest.mark.usefixtures("quick_retry")
async def test_a_notice_refused_with_5xx_is_retried_and_posted_once(
    server: FakeBotApiServer, kb_dir: Path, state_file: Path
) -> None:
    server.api.fail_next("sendMessage", 502, "Bad Gateway")
    before = BOUNDARY - dt.timedelta(seconds=1)
    async with running(server, kb_dir, before, **notice_settings(state_file)):
        await settle_notice(server.api, state_file)
    refused, posted = notice_posts(server.api)
    assert refused.error == "Bad Gateway" and posted.error is None
    assert 0.5 <= posted.at - refused.at < 3  # RETRY_FIRST later
    assert "atrasado" not in shown(posted)  # still within a minute of the boundary


async def test_a_notice_refused_with_429_is_posted_after_retry_after_once(
    server: FakeBotApiServer, kb_dir: Path, state_file: Path
) -> None:
    server.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    before = BOUNDARY - dt.timedelta(seconds=1)
    async with running(server, kb_dir, before, **notice_settings(state_file)):
        await settle_notice(server.api, state_file)
    refused, posted = notice_posts(server.api)
    assert refused.error and posted.error is None
    assert refused.answered_at is not None and posted.at - refused.answered_at >= 1.0
    assert "atrasado" not in shown(posted)


@pytest.mark.usefixtures("quick_retry")
async def test_a_notice_held_past_the_answer_timeout_is_posted_once(
    server: FakeBotApiServer, kb_dir: Path, state_file: Path
) -> None:
    """Telegram slow, but it posts the notice: the bot must not take the wait for a failure and
    post it again (it would, with the read timeout of answers)."""
    server.api.delay_next("sendMessage", HOLD)
    before = BOUNDARY - dt.timedelta(seconds=1)
    async with running(server, kb_dir, before, **notice_settings(state_file)):
        await settle_notice(server.api, state_file)
        await asyncio.sleep(1)  # a retry would come 0.5 s after a timeout
    [posted] = notice_posts(server.api)
    assert posted.error is None and posted.answered_at is not None
    assert posted.answered_at - posted.at >= HOLD > READ_TIMEOUT


@pytest.mark.usefixtures("quick_retry")
async def test_a_notice_timed_out_is_retried_and_posted_once(
    server: FakeBotApiServer, kb_dir: Path, state_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram holds the notice past the bot's (notice) read timeout, then refuses it."""
    monkeypatch.setattr(door, "SEND_READ_TIMEOUT", 2 * READ_TIMEOUT)
    server.api.fail_next("sendMessage", 502, "Bad Gateway", delay=HOLD)
    before = BOUNDARY - dt.timedelta(seconds=1)
    async with running(server, kb_dir, before, **notice_settings(state_file)):
        await settle_notice(server.api, state_file)
    refused, posted = notice_posts(server.api)
    assert refused.error == "Bad Gateway" and posted.error is None


async def test_a_restart_across_the_boundary_posts_the_notice_once_marked_late(
    server: FakeBotApiServer, kb_dir: Path, state_file: Path
) -> None:
    settings = notice_settings(state_file)
    # Up 5 s before the boundary, stopped well before it: the timer is set, never fires.
    async with running(server, kb_dir, BOUNDARY - dt.timedelta(seconds=5), **settings) as live:
        job_queue = live.app.job_queue
        assert job_queue is not None
        await wait_until(lambda: bool(job_queue.jobs(f"^{notices.AT_PREFIX}")), 3, "the timer")
        await asyncio.sleep(0.5)
    assert notice_posts(server.api) == [] and KEY not in sent_keys(state_file)
    # Down over the boundary; up again 5 minutes after it (same state file).
    async with running(server, kb_dir, BOUNDARY + dt.timedelta(minutes=5), **settings):
        await settle_notice(server.api, state_file)
    # And once more, still within the grace: nothing new.
    async with running(server, kb_dir, BOUNDARY + dt.timedelta(minutes=6), **settings) as live:
        await wait_until(
            lambda: notices.state_in(live.app.bot_data) is not None, 5, "notices started"
        )
        await asyncio.sleep(1)  # the plan job ran at start
    [posted] = notice_posts(server.api)
    assert posted.error is None
    assert "(atrasado: 19:30)" in shown(posted).splitlines()[0]


async def test_a_notice_refused_before_a_restart_is_posted_once_by_the_next_process(
    server: FakeBotApiServer, kb_dir: Path, state_file: Path
) -> None:
    settings = notice_settings(state_file)
    server.api.fail_next("sendMessage", 502, "Bad Gateway")
    async with running(server, kb_dir, BOUNDARY - dt.timedelta(seconds=1), **settings):
        await wait_until(lambda: bool(notice_posts(server.api)), 10, "the refused notice")
    assert KEY not in sent_keys(state_file)  # not marked: Telegram did not take it
    async with running(server, kb_dir, BOUNDARY + dt.timedelta(minutes=3), **settings):
        await settle_notice(server.api, state_file)
    refused, posted = notice_posts(server.api)
    assert refused.error == "Bad Gateway" and posted.error is None
    assert "(atrasado: 19:30)" in shown(posted)


# --------------------------------------------------------------------------- the KB vanishing


def reloader_for(kb_dir: Path) -> Reloader:
    return Reloader(KBHolder(load_kb(kb_dir)), kb_dir)


@pytest.mark.parametrize("fault", ["renamed", "deleted", "file_is_a_directory", "invalid_bytes"])
def test_a_kb_that_vanishes_or_turns_unreadable_keeps_the_last_good_one(
    kb_dir: Path, tmp_path: Path, fault: str
) -> None:
    reloader = reloader_for(kb_dir)
    good = reloader.holder.kb
    mutum = kb_dir / "providers" / "mutum.yaml"
    original = mutum.read_bytes()
    if fault == "renamed":
        kb_dir.rename(tmp_path / "away")
    elif fault == "deleted":
        shutil.rmtree(kb_dir)
    elif fault == "file_is_a_directory":
        mutum.unlink()
        mutum.mkdir()
    else:
        mutum.write_bytes(b"id: mutum\nname: \xff\xfe\x00 Mutum\n")
    first = reloader.reload_now()
    assert first.event is ReloadEvent.BROKEN and first.problems
    assert reloader.holder.kb is good
    assert reloader.reload_now().event is ReloadEvent.STILL_BROKEN  # supervisors told once
    # Back as it was: the KB loads again, and the group is told the base is fine.
    if fault == "renamed":
        (tmp_path / "away").rename(kb_dir)
    elif fault == "deleted":
        shutil.copytree(KB_DIR, kb_dir)
    else:
        if mutum.is_dir():
            mutum.rmdir()
        mutum.write_bytes(original)
    back = reloader.reload_now()
    assert back.event is ReloadEvent.LOADED and back.fixed


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a chmod 000 file anyway"
)
def test_an_unreadable_kb_file_keeps_the_last_good_kb(kb_dir: Path) -> None:
    reloader = reloader_for(kb_dir)
    good = reloader.holder.kb
    mutum = kb_dir / "providers" / "mutum.yaml"
    mutum.chmod(0)
    try:
        assert reloader.reload_now().event is ReloadEvent.BROKEN
        assert reloader.holder.kb is good
    finally:
        mutum.chmod(0o644)


async def test_the_running_bot_survives_its_kb_deleted_and_recreated(
    kb_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout or a deploy that removes the directory and writes a new one: the old KB keeps
    answering meanwhile, supervisors hear of it once, and the watcher follows the new directory
    (it used to keep watching the deleted one and miss every later edit)."""
    monkeypatch.setattr(reload_module, "RETRY_SECONDS", 0.3)
    monkeypatch.setattr(reload_module, "CHECK_MS", 500)
    api = FakeTelegram()
    app = build_recording(api, make_settings(kb_dir=kb_dir), kb_dir)
    updates = Updates()

    async def ask(text: str) -> str:
        mark = api.mark()
        data = api.push(updates.message(GROUP, AGENT, text))
        await app.process_update(Update.de_json(data, app.bot))
        return "\n".join(posts_to(api, GROUP["id"], mark))

    def mutum_dns() -> str:
        return str(knowledge.reloader_of(app).holder.kb.providers["mutum"].topics["dns"])

    async with app:
        await knowledge.start(app)
        try:
            await asyncio.sleep(0.3)  # the watcher is up
            mark = api.mark()
            shutil.rmtree(kb_dir)
            await wait_until(lambda: bool(posts_to(api, SUPERVISOR["id"], mark)), 15, "alert")
            assert MUTUM_DNS in await ask("/dns mutum")  # the last good KB answers
            await asyncio.sleep(1)  # several failed watch attempts
            shutil.copytree(KB_DIR, kb_dir)
            await wait_until(
                lambda: any(
                    "voltou a carregar" in p for p in posts_to(api, SUPERVISOR["id"], mark)
                ),
                15,
                "the fix announced to the supervisors",
            )
            alert, fix = posts_to(api, SUPERVISOR["id"], mark)  # the alert once, not every retry
            assert "com erro" in alert and "voltou a carregar" in fix
            path = kb_dir / "providers" / "mutum.yaml"
            path.write_text(
                path.read_text(encoding="utf-8").replace(MUTUM_DNS, "143.202.80.99"),
                encoding="utf-8",
            )
            await wait_until(lambda: "143.202.80.99" in mutum_dns(), 15, "the edit seen")
            assert "143.202.80.99" in await ask("/dns mutum")
        finally:
            await knowledge.stop(app)


def posts_to(api: FakeTelegram, chat_id: int, since: int) -> list[str]:
    return [
        shown(c)
        for c in api.calls_since(since)
        if c.method == "sendMessage" and c["chat_id"] == chat_id
    ]


def build_recording(api: FakeTelegram, settings: Settings, kb_dir: Path) -> BotApplication:
    """The app with the in-process fake (no sockets), as tests/test_knowledge_app.py has it."""
    return build_application(
        settings,
        KBHolder(load_kb(kb_dir)),
        request=RecordingRequest(api),
        get_updates_request=RecordingRequest(api),
    )
