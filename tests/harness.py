"""The real Application with every Bot API call answered in process (``RecordingRequest``), for
tests that drive it update by update. A test error handler must see nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from telegram import Update

from bot.app.settings import Settings
from bot.knowledge.kb import KB, KBHolder
from fake_bot_api import ApiCall, FakeTelegram, RecordingRequest, Updates, plain_text
from handlers.telegram.app import build_application
from handlers.telegram.state import BotApplication


@dataclass
class Harness:
    app: BotApplication
    api: FakeTelegram
    settings: Settings
    updates: Updates = field(default_factory=Updates)
    errors: list[BaseException] = field(default_factory=list)

    async def record_error(self, update: object, context: Any) -> None:
        self.errors.append(context.error)

    async def feed(self, update: dict[str, Any], *, expect_error: bool = False) -> list[ApiCall]:
        """Process one update as Telegram sends it; the Bot API calls it caused. The error
        handler must have seen nothing (a raising handler does not fail ``process_update``)."""
        mark = self.api.mark()
        data = self.api.push(update)
        await self.app.process_update(Update.de_json(data, self.app.bot))
        if not expect_error:
            assert self.errors == [], f"the error handler saw {self.errors!r}"
        return self.api.calls_since(mark)

    async def say(self, chat: dict[str, Any], user: dict[str, Any], text: str) -> list[ApiCall]:
        return await self.feed(self.updates.message(chat, user, text))

    async def ask(self, chat: dict[str, Any], user: dict[str, Any], text: str) -> str:
        """What the chat sees in answer to ``text`` (the texts of the messages sent)."""
        return shown(await self.say(chat, user, text))


def shown(calls: list[ApiCall]) -> str:
    return "\n".join(
        plain_text(c["text"], c.get("parse_mode")) for c in calls if "text" in c.params
    )


async def running(
    settings: Settings, kb: KB, api: FakeTelegram | None = None
) -> AsyncIterator[Harness]:
    """An initialised Application (``async with``) answering through ``api`` (default: a fresh
    fake Bot API)."""
    api = api or FakeTelegram()
    app = build_application(
        settings,
        KBHolder(kb),
        request=RecordingRequest(api),
        get_updates_request=RecordingRequest(api),
    )
    harness = Harness(app, api, settings)
    app.add_error_handler(harness.record_error)
    async with app:
        yield harness
