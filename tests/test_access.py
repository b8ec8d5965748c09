"""The access rules (bot.policy.access): pure functions over ids and settings, no Telegram involved."""

from __future__ import annotations

import asyncio
import re

import pytest
from conftest import make_settings

from bot.app.settings import Settings
from bot.knowledge.kb import KB
from bot.policy.access import (
    MembershipCache,
    Merged,
    RefusalLimiter,
    Verdict,
    chat_verdict,
    is_allowed,
    is_member_status,
    refusal_alert,
    refusal_html,
    user_verdict,
)

GROUP_ID = -1001000000001
OTHER_GROUP_ID = -1009999999999
SUPERVISOR_ID, AGENT_ID, SOMEONE_ID = 101, 202, 303


@pytest.fixture
def rules() -> Settings:
    return make_settings(
        allowed_chat_ids=[GROUP_ID], supervisor_ids=[SUPERVISOR_ID], agent_ids=[AGENT_ID]
    )


@pytest.mark.parametrize("chat_type", ["group", "supergroup"])
def test_everyone_in_an_allowed_group_may_ask(rules: Settings, chat_type: str) -> None:
    for user in (SUPERVISOR_ID, AGENT_ID, SOMEONE_ID, None):
        assert chat_verdict(chat_type, GROUP_ID, user, rules) is Verdict.ALLOW
        assert is_allowed(chat_type, GROUP_ID, user, rules)


@pytest.mark.parametrize("chat_type", ["group", "supergroup"])
def test_nobody_in_another_group_may_ask_not_even_a_supervisor(
    rules: Settings, chat_type: str
) -> None:
    for user in (SUPERVISOR_ID, AGENT_ID, SOMEONE_ID):
        assert chat_verdict(chat_type, OTHER_GROUP_ID, user, rules) is Verdict.DENY
        assert not is_allowed(chat_type, OTHER_GROUP_ID, user, rules, member_of_allowed_group=True)


def test_private_chat_supervisors_and_agents_directly(rules: Settings) -> None:
    assert chat_verdict("private", SUPERVISOR_ID, SUPERVISOR_ID, rules) is Verdict.ALLOW
    assert chat_verdict("private", AGENT_ID, AGENT_ID, rules) is Verdict.ALLOW


def test_private_chat_others_only_as_members_of_an_allowed_group(rules: Settings) -> None:
    assert chat_verdict("private", SOMEONE_ID, SOMEONE_ID, rules) is Verdict.CHECK_MEMBERSHIP
    assert is_allowed("private", SOMEONE_ID, SOMEONE_ID, rules, member_of_allowed_group=True)
    assert not is_allowed("private", SOMEONE_ID, SOMEONE_ID, rules, member_of_allowed_group=False)


def test_without_allowed_groups_there_is_no_membership_to_check() -> None:
    rules = make_settings(allowed_chat_ids=[], supervisor_ids=[], agent_ids=[AGENT_ID])
    assert user_verdict(SOMEONE_ID, rules) is Verdict.DENY
    assert user_verdict(AGENT_ID, rules) is Verdict.ALLOW


def test_channels_and_unknown_senders_are_refused(rules: Settings) -> None:
    assert chat_verdict("channel", GROUP_ID, None, rules) is Verdict.DENY
    assert chat_verdict("private", SOMEONE_ID, None, rules) is Verdict.DENY
    assert user_verdict(None, rules) is Verdict.DENY
    assert chat_verdict("something_new", GROUP_ID, SUPERVISOR_ID, rules) is Verdict.DENY


def test_inline_mode_is_decided_by_the_person(rules: Settings) -> None:
    assert user_verdict(SUPERVISOR_ID, rules) is Verdict.ALLOW
    assert user_verdict(AGENT_ID, rules) is Verdict.ALLOW
    assert user_verdict(SOMEONE_ID, rules) is Verdict.CHECK_MEMBERSHIP


@pytest.mark.parametrize(
    ("status", "is_member", "expected"),
    [
        ("creator", None, True),
        ("administrator", None, True),
        ("member", None, True),
        ("restricted", True, True),
        ("restricted", False, False),
        ("left", None, False),
        ("kicked", None, False),
    ],
)
def test_member_statuses(status: str, is_member: bool | None, expected: bool) -> None:
    assert is_member_status(status, is_member) is expected


def test_membership_cache_trusts_a_yes_longer_than_a_no() -> None:
    cache = MembershipCache(member_ttl=300, non_member_ttl=60)
    assert cache.get(1, now=0) is None
    cache.put(1, True, now=0)
    cache.put(2, False, now=0)
    assert cache.get(1, now=59) is True
    assert cache.get(2, now=59) is False
    assert cache.get(2, now=60) is None  # a "no" is asked again after a minute
    assert cache.get(1, now=299) is True
    assert cache.get(1, now=300) is None
    cache.put(1, False, now=400)
    assert cache.get(1, now=401) is False
    cache.clear()
    assert cache.get(1, now=401) is None


def test_refusal_shows_the_chat_id_and_nothing_else(real_kb: KB) -> None:
    group = refusal_html("supergroup", OTHER_GROUP_ID)
    private = refusal_html("private", SOMEONE_ID)
    assert f"<code>{OTHER_GROUP_ID}</code>" in group
    assert f"<code>{SOMEONE_ID}</code>" in private
    assert "grupo" in group and "grupo" not in private
    assert str(OTHER_GROUP_ID) in refusal_alert(OTHER_GROUP_ID)
    assert "<" not in refusal_alert(OTHER_GROUP_ID)  # an alert pop-up shows no HTML
    assert len(refusal_alert(OTHER_GROUP_ID)) <= 200  # answerCallbackQuery's limit
    for text in (group, private, refusal_alert(OTHER_GROUP_ID)):
        plain = re.sub(r"<[^>]+>", "", text).casefold()
        for provider in real_kb.providers.values():
            assert provider.name.casefold() not in plain
            assert provider.id not in plain
        assert "senha" not in plain
        assert len(plain) < 300


def test_a_chat_is_refused_once_then_quiet_for_a_while() -> None:
    limiter = RefusalLimiter(quiet=600.0, kept=3)
    assert limiter.should_refuse(-100, now=0.0)
    assert not limiter.should_refuse(-100, now=1.0)
    assert not limiter.should_refuse(-100, now=599.0)
    assert limiter.should_refuse(-200, now=2.0)  # another chat: its own refusal
    assert limiter.should_refuse(-100, now=600.0)  # the quiet is over
    for chat in (1, 2, 3):  # more chats than kept: the oldest forgotten first
        limiter.should_refuse(chat, now=700.0)
    assert limiter.should_refuse(-200, now=701.0)


async def test_simultaneous_look_ups_of_one_user_share_one_call() -> None:
    merged = Merged()
    calls: list[int] = []

    async def look_up(user: int) -> bool:
        calls.append(user)
        await asyncio.sleep(0.01)
        return user == 1

    results = await asyncio.gather(
        *(merged.run(user, lambda user=user: look_up(user)) for user in (1, 1, 1, 2, 2))
    )
    assert results == [True, True, True, False, False]
    assert calls == [1, 2] and len(merged) == 0
    await merged.run(1, lambda: look_up(1))  # over: the next look-up asks again
    assert calls == [1, 2, 1]


async def test_a_failed_look_up_fails_every_waiter_and_is_not_kept() -> None:
    merged = Merged()

    async def broken() -> bool:
        await asyncio.sleep(0.01)
        raise RuntimeError("Telegram away")

    results = await asyncio.gather(
        merged.run(7, broken), merged.run(7, broken), return_exceptions=True
    )
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    assert len(merged) == 0


async def test_the_first_caller_cancelled_leaves_the_look_up_to_the_others() -> None:
    merged = Merged()
    calls: list[int] = []

    async def look_up() -> bool:
        calls.append(1)
        await asyncio.sleep(0.05)
        return True

    first = asyncio.create_task(merged.run(5, look_up))
    await asyncio.sleep(0)  # the first caller has started the call
    second = asyncio.create_task(merged.run(5, look_up))
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second is True
    assert first.cancelled() and calls == [1] and len(merged) == 0
