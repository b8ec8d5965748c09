"""Answers delivered as the agents need them, under load and partial outages: in order per chat,
a long answer's parts together, a button's answer even when its spinner cannot be stopped,
strangers refused once and not at every message, large logs read without holding anyone, and no
question lost without a trace.

The real Application polling the fake Bot API over HTTP on 127.0.0.1 (as in ``test_faults``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import MUTUM_DNS, make_settings
from live_app import build_live, polling, wait_call, wait_until

from bot.knowledge.kb import KBHolder, load_kb
from fake_bot_api import (
    AGENT,
    GROUP,
    SUPERVISOR,
    ApiCall,
    FakeBotApiServer,
    Updates,
    button_data,
    plain_text,
    private_chat,
)
from handlers.telegram import send
from handlers.telegram.errors import APOLOGY
from handlers.telegram.state import BotApplication

CHANNEL = {"id": -1007777777777, "type": "channel", "title": "Canal de avisos"}


def shown(call: ApiCall) -> str:
    return plain_text(call["text"], call.get("parse_mode"))


@dataclass
class Live:
    app: BotApplication
    server: FakeBotApiServer
    updates: Updates = field(default_factory=Updates)
    errors: list[BaseException] = field(default_factory=list)

    async def record_error(self, update: object, context: Any) -> None:
        self.errors.append(context.error)

    def sent_to(self, chat_id: int, since: int = 0) -> list[ApiCall]:
        return [
            c
            for c in self.server.api.calls_since(since)
            if c.method == "sendMessage" and c["chat_id"] == chat_id and c.done
        ]


@asynccontextmanager
async def running(kb_dir: Path, **overrides: Any) -> AsyncIterator[Live]:
    with FakeBotApiServer() as server:
        settings = make_settings(kb_dir=kb_dir, **overrides)
        app = build_live(server, settings, KBHolder(load_kb(kb_dir)), read_timeout=0.5)
        live = Live(app, server)
        app.add_error_handler(live.record_error)
        async with polling(app):
            await wait_until(lambda: bool(server.api.calls_to("getUpdates")), 10, "polling")
            yield live


# --------------------------------------------------------------------------- order


QUESTIONS = {
    "/dns mutum": MUTUM_DNS,
    "/bloqueio vmnet": "10 dias após o vencimento",
    "/senha lasernet W5-1200G": "Lnt12345@",
    "/provedores": "Mutum",
}


async def test_answers_to_one_chat_come_in_the_order_asked(kb_dir: Path) -> None:
    """The first answer is slow to send (Telegram takes 1 s); the next ones do not overtake it."""
    async with running(kb_dir) as live:
        api = live.server.api
        api.delay_next("sendMessage", 1.0)
        mark = api.mark()
        for question in QUESTIONS:
            api.push(live.updates.message(GROUP, AGENT, question))
        await wait_until(lambda: len(live.sent_to(GROUP["id"], mark)) == 4, 10, "4 answers")
        answers = sorted(live.sent_to(GROUP["id"], mark), key=lambda c: c.at)
        for answer, expected in zip(answers, QUESTIONS.values(), strict=True):
            assert expected in shown(answer)
        assert live.errors == []


async def test_a_long_answer_s_parts_are_not_interleaved_with_the_next(kb_dir: Path) -> None:
    async with running(kb_dir) as live:
        api = live.server.api
        api.delay_next("sendMessage", 0.5)  # the card's first part is slow to go out
        mark = api.mark()
        api.push(live.updates.message(GROUP, AGENT, "/provedor vmnet"))  # four messages
        api.push(live.updates.message(GROUP, AGENT, "/dns mutum"))
        await wait_until(
            lambda: any(MUTUM_DNS in shown(c) for c in live.sent_to(GROUP["id"], mark)),
            10,
            "the second answer",
        )
        sent = sorted(live.sent_to(GROUP["id"], mark), key=lambda c: c.at)
        assert len(sent) >= 3
        assert MUTUM_DNS in shown(sent[-1])  # after every part of the card
        assert all(MUTUM_DNS not in shown(c) for c in sent[:-1])


# --------------------------------------------------------------------------- buttons


async def test_a_button_whose_spinner_cannot_be_stopped_still_gets_its_answer(
    kb_dir: Path,
) -> None:
    async with running(kb_dir) as live:
        api = live.server.api
        mark = api.mark()
        api.push(live.updates.message(GROUP, AGENT, "/dns"))
        choice = (await wait_call(api, "sendMessage", since=mark)).result
        data = dict(button_data(choice))["Mutum Fibra"]
        api.fail_next("answerCallbackQuery", 500, "Internal Server Error")
        api.push(live.updates.callback(AGENT, choice, data))
        edit = await wait_call(api, "editMessageText", since=mark)
        assert MUTUM_DNS in shown(edit)
        await asyncio.sleep(0.2)
        assert live.errors == []
        assert all(shown(c) != APOLOGY for c in live.sent_to(GROUP["id"], mark))


# --------------------------------------------------------------------------- refusals


def stranger(n: int) -> dict[str, Any]:
    return {"id": 70_000 + n, "is_bot": False, "first_name": f"Estranho {n}"}


async def test_a_flood_of_strangers_gets_one_refusal_each_and_one_membership_check(
    kb_dir: Path,
) -> None:
    """20 strangers writing 15 messages each at once: each is told once (with the chat id), each
    is looked up once; an agent's question in the group meanwhile is answered at once."""
    async with running(kb_dir) as live:
        api = live.server.api
        mark = api.mark()
        for _round in range(15):
            for n in range(20):
                user = stranger(n)
                api.push(live.updates.message(private_chat(user), user, "/dns mutum"))
        asked = time.monotonic()
        api.push(live.updates.message(GROUP, AGENT, "/dns mutum"))
        answer = await wait_call(api, "sendMessage", lambda c: c["chat_id"] == GROUP["id"])
        assert MUTUM_DNS in shown(answer) and answer.at - asked < 2.0
        await wait_until(lambda: api.pending_updates() == 0, 10, "every update fetched")
        await asyncio.sleep(0.5)
        calls = api.calls_since(mark)
        refusals = [c for c in calls if c.method == "sendMessage" and c["chat_id"] > 0]
        assert sorted(c["chat_id"] for c in refusals) == [stranger(n)["id"] for n in range(20)]
        assert all(str(c["chat_id"]) in shown(c) for c in refusals)
        lookups = [c for c in calls if c.method == "getChatMember"]
        assert len(lookups) == 20  # one per stranger (one allowed group)
        assert live.errors == []


async def test_a_channel_post_gets_the_refusal_with_the_channel_id_once(kb_dir: Path) -> None:
    async with running(kb_dir) as live:
        api = live.server.api
        mark = api.mark()
        for _ in range(3):
            api.push(live.updates.channel_post(CHANNEL, "/dns mutum"))
        refusal = await wait_call(api, "sendMessage", since=mark)
        assert refusal["chat_id"] == CHANNEL["id"] and str(CHANNEL["id"]) in shown(refusal)
        assert MUTUM_DNS not in shown(refusal)
        await wait_until(lambda: api.pending_updates() == 0, 5, "every update fetched")
        await asyncio.sleep(0.3)
        assert len(live.sent_to(CHANNEL["id"], mark)) == 1
        assert live.errors == []


# --------------------------------------------------------------------------- large logs


async def test_auditoria_on_a_large_audit_log_does_not_hold_the_other_chats(
    kb_dir: Path, tmp_path: Path
) -> None:
    audit = tmp_path / "audit.jsonl"
    row = {
        "at": "2026-11-22T03:00:00+00:00",
        "user_id": 7,
        "user_name": "Ana",
        "chat_id": -100,
        "chat_type": "supergroup",
        "provider": "lasernet",
        "topic": "senha",
        "equipment": "W5-1200G",
        "query": "/senha lasernet W5-1200G",
        "delivered": True,
    }
    audit.write_text((json.dumps(row) + "\n") * 100_000, encoding="utf-8")
    async with running(kb_dir, audit_file=audit) as live:
        api = live.server.api
        mark = api.mark()
        # No line is Mutum's: the whole file is read.
        api.push(live.updates.message(private_chat(SUPERVISOR), SUPERVISOR, "/auditoria mutum"))
        await asyncio.sleep(0.05)  # the reading has begun
        api.push(live.updates.message(GROUP, AGENT, "/dns mutum"))
        report = await wait_call(
            api, "sendMessage", lambda c: c["chat_id"] == SUPERVISOR["id"], since=mark
        )
        answer = await wait_call(api, "sendMessage", lambda c: c["chat_id"] == GROUP["id"])
        assert "Auditoria" in shown(report) and MUTUM_DNS in shown(answer)
        assert answer.at < report.at  # answered while the audit was being read
        assert live.errors == []


# --------------------------------------------------------------------------- outages


async def test_a_question_neither_answered_nor_apologised_for_is_logged(
    kb_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Updates arrive but every send fails (Telegram answering 503): the loss is one WARNING line
    in the log, with the chat, and no traceback (Telegram unavailable is not a bug)."""
    monkeypatch.setattr(send, "RETRY_DELAYS", (0.01,))
    async with running(kb_dir) as live:
        api = live.server.api
        for _ in range(4):  # the answer and its retry, the apology and its retry
            api.fail_next("sendMessage", 503, "Service Unavailable")
        with caplog.at_level(logging.WARNING, logger="handlers.telegram.errors"):
            api.push(live.updates.message(GROUP, AGENT, "/dns mutum"))
            await wait_until(lambda: bool(live.errors), 5, "the error")
        [lost] = [r for r in caplog.records if "went unanswered" in r.getMessage()]
        assert lost.levelno == logging.WARNING and lost.exc_info is None
        assert not [r for r in caplog.records if r.exc_info]  # no traceback at all
        assert str(GROUP["id"]) in lost.getMessage()
