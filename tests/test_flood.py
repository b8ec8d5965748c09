"""A flood: 1,000 updates in one burst from a few groups and many private chats, through the real
Application (long polling over HTTP against the fake Bot API on 127.0.0.1). Every update is
answered once; no group is sent more than its rate limit allows.

The limits are Telegram's scaled (10 a second per group instead of 20 a minute) so the test takes
seconds; the limiter is the app's own (:class:`handlers.telegram.transport.ChatRateLimiter`).
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_DIR, MUTUM_DNS, PASSWORD, make_settings
from live_app import build_live, polling, wait_until

from bot.knowledge.kb import KBHolder, load_kb
from fake_bot_api import (
    ApiCall,
    FakeBotApiServer,
    FakeTelegram,
    Updates,
    plain_text,
    private_chat,
)
from handlers.telegram.app import FLOOD_RETRIES, build_application
from handlers.telegram.transport import BOT_API_CONNECTIONS, ChatRateLimiter

GROUP_RATE = 10
"""Per group, per :data:`GROUP_PERIOD` seconds (Telegram: 20 per 60 s)."""
GROUP_PERIOD = 1.0
JITTER = 2
"""Messages of slack in the limit check."""
FLOOD_SECONDS = 30.0

GROUPS = [
    {"id": -1001000000100 - n, "type": "supergroup", "title": f"UPCALL turno {n}"} for n in range(3)
]
PER_GROUP = 60
AGENTS = 400
PER_AGENT = 2
MEMBERS = 20
"""Private users in no list: let in after ``getChatMember`` on the first group."""
VMNET_BLOCK = "10 dias após o vencimento"

QUESTIONS: dict[str, str] = {
    "/dns mutum": MUTUM_DNS,
    "qual o dns da mutum?": MUTUM_DNS,
    "/bloqueio vmnet": VMNET_BLOCK,
    "/senha lasernet W5-1200G": PASSWORD,
}
GROUP_QUESTIONS: dict[str, str] = {
    "/dns mutum": MUTUM_DNS,
    "@UpcallBot qual o dns da mutum?": MUTUM_DNS,
    "/bloqueio@UpcallBot vmnet": VMNET_BLOCK,
    "/senha lasernet W5-1200G": PASSWORD,
}


def user(number: int) -> dict[str, Any]:
    return {"id": 50_000 + number, "is_bot": False, "first_name": f"Agente {number}"}


def flood(updates: Updates) -> list[tuple[dict[str, Any], str]]:
    """(update, the fact its answer must show). The groups' questions come first, three groups
    taking turns, so that without the limiter each group would get its answers far faster than
    its limit; then the private chats' questions."""
    group_asks = list(GROUP_QUESTIONS.items())
    burst = []
    for n in range(PER_GROUP * len(GROUPS)):
        text, fact = group_asks[n % len(group_asks)]
        burst.append((updates.message(GROUPS[n % len(GROUPS)], user(n), text), fact))
    asks = itertools.cycle(QUESTIONS.items())
    for n in range(AGENTS + MEMBERS):
        person = user(1000 + n)
        for _ in range(PER_AGENT if n < AGENTS else 1):
            text, fact = next(asks)
            burst.append((updates.message(private_chat(person), person, text), fact))
    return burst


class NotingLimiter(ChatRateLimiter):
    """The app's limiter, noting when it lets each message go, per chat.

    The limit is checked on these times, not on when the fake server saw each message arrive: the
    fake runs in the bot's process, and on a busy machine (the suite runs in parallel) its thread
    can wait for the interpreter long enough to receive a second's messages in a bunch."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.released: defaultdict[int, list[float]] = defaultdict(list)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        async def noted(*call_args: Any, **call_kwargs: Any) -> Any:
            if endpoint == "sendMessage":
                self.released[int(data["chat_id"])].append(time.monotonic())
            return await callback(*call_args, **call_kwargs)

        return await super().process_request(noted, args, kwargs, endpoint, data, rate_limit_args)


def shown(call: ApiCall) -> str:
    return plain_text(call["text"], call.get("parse_mode"))


def over_the_limit(times: list[float], rate: float, period: float, slack: int) -> str | None:
    """The leaky bucket's promise, checked on arrival times: any ``k`` consecutive messages span
    at least ``(k - rate - slack) * period / rate`` seconds (a burst of ``rate``, then ``rate``
    per ``period``). The first window that breaks it, described; ``None`` when none does."""
    times = sorted(times)
    per_second = rate / period
    for i, start in enumerate(times):
        for j in range(i + 1, len(times)):
            allowed = rate + slack + (times[j] - start) * per_second
            if j - i + 1 > allowed:
                span = times[j] - start
                return f"{j - i + 1} messages within {span:.3f} s (allowed {allowed:.1f})"
    return None


def busiest_window(times: list[float], period: float) -> int:
    times = sorted(times)
    return max(
        (sum(1 for t in times[i:] if t - start < period) for i, start in enumerate(times)),
        default=0,
    )


def test_the_limit_check_can_fail() -> None:
    """Unthrottled, 60 messages in 0.3 s break the check; throttled they pass."""
    burst = [0.005 * n for n in range(60)]
    assert over_the_limit(burst, GROUP_RATE, GROUP_PERIOD, JITTER) is not None
    paced = [0.0] * GROUP_RATE + [(n + 1) / GROUP_RATE for n in range(40)]
    assert over_the_limit(paced, GROUP_RATE, GROUP_PERIOD, 0) is None


async def test_a_flood_of_1000_updates_is_answered_once_each_within_the_group_limit(
    tmp_path: Path,
) -> None:
    kb_dir = tmp_path / "knowledge"  # the watcher runs: never on the checkout's own KB
    shutil.copytree(KB_DIR, kb_dir)
    settings = make_settings(
        kb_dir=kb_dir,
        allowed_chat_ids=[g["id"] for g in GROUPS],
        agent_ids=[user(1000 + n)["id"] for n in range(AGENTS)],
    )
    limiter = NotingLimiter(
        overall_max_rate=10_000,
        overall_time_period=1,
        group_max_rate=GROUP_RATE,
        group_time_period=GROUP_PERIOD,
        max_retries=FLOOD_RETRIES,
    )
    api = FakeTelegram()
    for n in range(AGENTS, AGENTS + MEMBERS):
        api.members[(GROUPS[0]["id"], user(1000 + n)["id"])] = "member"
    burst = flood(Updates())
    assert len(burst) == 1000
    errors: list[BaseException] = []

    async def record_error(update: object, context: Any) -> None:
        errors.append(context.error)

    with FakeBotApiServer(api) as server:
        app = build_live(server, settings, KBHolder(load_kb(kb_dir)), rate_limiter=limiter)
        app.add_error_handler(record_error)
        async with polling(app):
            await wait_until(lambda: bool(api.calls_to("getUpdates")), 10, "polling")
            mark = api.mark()
            started = time.monotonic()
            pushed = [api.push(update) for update, _fact in burst]

            def replies() -> list[ApiCall]:
                return [c for c in api.calls_since(mark) if c.method == "sendMessage" and c.done]

            await wait_until(lambda: len(replies()) >= len(burst), FLOOD_SECONDS, "1000 replies")
            took = time.monotonic() - started
            await asyncio.sleep(0.5)  # room for a duplicate to show up
        sent = replies()

    assert errors == []
    assert api.pending_updates() == 0  # every update confirmed to Telegram
    assert [c.error for c in api.calls_since(mark) if c.error] == []
    assert len(sent) == len(burst), f"{len(sent)} replies to {len(burst)} updates"

    # None lost, none twice: in groups each answer quotes its question; in private, each chat
    # gets as many answers as it asked questions, each showing the fact asked for.
    facts = {
        (u["message"]["chat"]["id"], u["message"]["message_id"]): fact
        for u, (_o, fact) in zip(pushed, burst, strict=True)
    }
    group_ids = {g["id"] for g in GROUPS}
    quoted = [
        (c["chat_id"], c["reply_parameters"]["message_id"])
        for c in sent
        if c["chat_id"] in group_ids
    ]
    assert len(quoted) == len(set(quoted)) == PER_GROUP * len(GROUPS)
    assert set(quoted) == {key for key in facts if key[0] in group_ids}
    for call in sent:
        if call["chat_id"] in group_ids:
            key = (call["chat_id"], call["reply_parameters"]["message_id"])
            assert facts[key] in shown(call)
    asked: Counter[tuple[int, str]] = Counter(
        (chat, fact) for (chat, _m), fact in facts.items() if chat not in group_ids
    )
    answered: Counter[tuple[int, str]] = Counter(
        (c["chat_id"], next(f for f in QUESTIONS.values() if f in shown(c)))
        for c in sent
        if c["chat_id"] not in group_ids
    )
    assert answered == asked
    checks = api.calls_to("getChatMember")
    assert sorted(c["user_id"] for c in checks) == sorted(
        user(1000 + n)["id"] for n in range(AGENTS, AGENTS + MEMBERS)
    )  # once per member: the answer is cached

    # The per-group limit, from the times the limiter let each message go (see NotingLimiter).
    # The private chats (no group limit) show the bot answered far faster than that: the limit
    # had work to do.
    private = sorted(c.at for c in sent if c["chat_id"] not in group_ids)
    assert len(private) / (private[-1] - private[0]) > 3 * GROUP_RATE / GROUP_PERIOD
    for chat_id in group_ids:
        times = limiter.released[chat_id]
        assert len(times) == PER_GROUP  # one each: no retry
        broken = over_the_limit(times, GROUP_RATE, GROUP_PERIOD, JITTER)
        assert broken is None, f"group {chat_id}: {broken}"
        assert busiest_window(times, GROUP_PERIOD) <= 2 * GROUP_RATE + JITTER
    assert took < FLOOD_SECONDS


@pytest.mark.parametrize("method", ["getChatMember", "getChat"])
async def test_membership_checks_do_not_spend_a_groups_budget(method: str) -> None:
    """Telegram limits what a bot posts in a group, not what it reads about it: 10 checks on a
    group with a budget of 2 leave both posts free (PTB's own limiter would hold the posts)."""
    limiter = ChatRateLimiter(group_max_rate=2, group_time_period=60, max_retries=0)
    group = GROUPS[0]["id"]
    seen: list[str] = []

    def call(endpoint: str) -> Callable[..., Any]:
        async def callback(*_args: Any, **_kwargs: Any) -> bool:
            seen.append(endpoint)
            return True

        return callback

    async def go(endpoint: str, data: dict[str, Any]) -> Any:
        return await limiter.process_request(
            call(endpoint), (endpoint, data), {}, endpoint, data, None
        )

    for n in range(10):
        await asyncio.wait_for(go(method, {"chat_id": group, "user_id": n}), 1)
    for _ in range(2):
        await asyncio.wait_for(go("sendMessage", {"chat_id": group, "text": "x"}), 1)
    with pytest.raises(TimeoutError):  # the third post waits: the posts are still limited
        await asyncio.wait_for(go("sendMessage", {"chat_id": group, "text": "x"}), 0.3)
    assert seen == [method] * 10 + ["sendMessage"] * 2


async def test_the_bot_keeps_at_most_its_connections_in_flight(tmp_path: Path) -> None:
    """A burst against a slow Telegram, through build_application's own request object: at most
    BOT_API_CONNECTIONS calls are in flight, the rest wait their turn, and none fails."""
    kb_dir = tmp_path / "knowledge"
    shutil.copytree(KB_DIR, kb_dir)
    people = [user(3000 + n) for n in range(160)]
    api = FakeTelegram()
    for _ in people:
        api.delay_next("sendMessage", 0.05)  # Telegram taking 50 ms for each
    with FakeBotApiServer(api) as server:
        settings = make_settings(
            kb_dir=kb_dir,
            agent_ids=[p["id"] for p in people],
            telegram_api_url=server.base_url,
        )
        # Production's request object; Telegram's overall 30 a second lifted, or it sets the pace.
        lifted = ChatRateLimiter(overall_max_rate=0, max_retries=FLOOD_RETRIES)
        app = build_application(settings, KBHolder(load_kb(kb_dir)), rate_limiter=lifted)
        errors: list[BaseException] = []

        async def record_error(update: object, context: Any) -> None:
            errors.append(context.error)

        app.add_error_handler(record_error)
        async with polling(app):
            await wait_until(lambda: bool(api.calls_to("getUpdates")), 10, "polling")
            updates = Updates()
            for person in people:
                api.push(updates.message(private_chat(person), person, "/dns mutum"))
            await wait_until(
                lambda: len([c for c in api.calls_to("sendMessage") if c.done]) == len(people),
                20,
                "every answer",
            )
    assert errors == []
    calls = api.calls_to("sendMessage")
    assert all(c.error is None and MUTUM_DNS in shown(c) for c in calls)
    edges = sorted([(c.at, 1) for c in calls] + [(c.answered_at or 0.0, -1) for c in calls])
    in_flight = peak = 0
    for _moment, step in edges:
        in_flight += step
        peak = max(peak, in_flight)
    assert 1 < peak <= BOT_API_CONNECTIONS
