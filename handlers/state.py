"""What the handlers share through ``application.bot_data``: the KB holder, the settings, caches.

``bot.app.build_application`` fills it; handlers read it through these functions only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.access import MembershipCache
from bot.kb import KB, KBHolder
from bot.settings import Settings
from handlers.keyboard import AskStore

Context: TypeAlias = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]
BotApplication: TypeAlias = Application[
    ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]

KB_KEY = "kb"
SETTINGS_KEY = "settings"
MEMBERSHIP_KEY = "membership"
ASKS_KEY = "asks"


def install(bot_data: dict[Any, Any], settings: Settings, holder: KBHolder) -> None:
    bot_data[KB_KEY] = holder
    bot_data[SETTINGS_KEY] = settings
    bot_data[MEMBERSHIP_KEY] = MembershipCache()
    bot_data[ASKS_KEY] = AskStore()


def _get(bot_data: dict[Any, Any], key: str, kind: type[Any]) -> Any:
    value = bot_data.get(key)
    if not isinstance(value, kind):
        raise RuntimeError(f"bot_data[{key!r}] is not set: build the app with build_application")
    return value


def holder_in(bot_data: dict[Any, Any]) -> KBHolder:
    holder: KBHolder = _get(bot_data, KB_KEY, KBHolder)
    return holder


def holder_of(context: Context) -> KBHolder:
    return holder_in(context.bot_data)


def kb_of(context: Context) -> KB:
    """The current KB; read once per update so one answer never mixes two KBs."""
    return holder_of(context).kb


def settings_of(context: Context) -> Settings:
    settings: Settings = _get(context.bot_data, SETTINGS_KEY, Settings)
    return settings


def membership_of(context: Context) -> MembershipCache:
    cache: MembershipCache = _get(context.bot_data, MEMBERSHIP_KEY, MembershipCache)
    return cache


def asks_of(context: Context) -> AskStore:
    store: AskStore = _get(context.bot_data, ASKS_KEY, AskStore)
    return store


def now_of(context: Context) -> dt.datetime:
    """UPCALL's clock (``TIMEZONE``), the ``now`` the core answers for."""
    return dt.datetime.now(ZoneInfo(settings_of(context).timezone))
