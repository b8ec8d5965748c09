"""What the handlers share through ``application.bot_data``: the KB holder, the settings, caches.

``handlers.telegram.app.build_application`` fills it; handlers read it through these functions only.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any, TypeAlias, TypeVar
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.answers.followup import Answered
from bot.app.settings import Settings
from bot.knowledge.kb import KB, KBHolder
from bot.policy.access import MembershipCache, Merged, RefusalLimiter
from bot.posting.service import Posting
from handlers.telegram.keyboard import AskStore

Context: TypeAlias = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]
BotApplication: TypeAlias = Application[
    ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]

KB_KEY = "kb"
SETTINGS_KEY = "settings"
MEMBERSHIP_KEY = "membership"
ASKS_KEY = "asks"
PHOTOS_KEY = "timeline_photos"
ANSWERED_KEY = "answered"
REFUSALS_KEY = "refusals"
LOOKUPS_KEY = "membership_lookups"
POSTING_KEY = "posting"
OWNS_POSTING_KEY = "owns_posting"


class TimelinePhotos:
    """Which photo shows the timeline of which text message (the one with the buttons), per chat:
    a button press that changes the text changes that picture too. Memory only, bounded: the
    oldest pairs are forgotten first (after a restart, a press edits the text only)."""

    def __init__(self, size: int = 1000) -> None:
        self._size = size
        self._photos: OrderedDict[tuple[int, int], int] = OrderedDict()

    def remember(self, chat_id: int, text_id: int, photo_id: int) -> None:
        key = (chat_id, text_id)
        self._photos[key] = photo_id
        self._photos.move_to_end(key)
        while len(self._photos) > self._size:
            self._photos.popitem(last=False)

    def photo_of(self, chat_id: int, text_id: int) -> int | None:
        return self._photos.get((chat_id, text_id))

    def forget(self, chat_id: int, text_id: int) -> None:
        self._photos.pop((chat_id, text_id), None)

    def __len__(self) -> int:
        return len(self._photos)


def install(bot_data: dict[Any, Any], settings: Settings, holder: KBHolder) -> None:
    bot_data[KB_KEY] = holder
    bot_data[SETTINGS_KEY] = settings
    bot_data[MEMBERSHIP_KEY] = MembershipCache()
    bot_data[ASKS_KEY] = AskStore()
    bot_data[PHOTOS_KEY] = TimelinePhotos()
    bot_data[ANSWERED_KEY] = Answered()
    bot_data[REFUSALS_KEY] = RefusalLimiter()
    bot_data[LOOKUPS_KEY] = Merged()


T = TypeVar("T")


def _get(bot_data: dict[Any, Any], key: str, kind: type[T]) -> T:
    value = bot_data.get(key)
    if not isinstance(value, kind):
        raise RuntimeError(f"bot_data[{key!r}] is not set: build the app with build_application")
    return value


def holder_in(bot_data: dict[Any, Any]) -> KBHolder:
    return _get(bot_data, KB_KEY, KBHolder)


def posting_in(bot_data: dict[Any, Any]) -> Posting:
    """The process's :class:`~bot.posting.service.Posting` (notices, reloads, deletions)."""
    return _get(bot_data, POSTING_KEY, Posting)


def holder_of(context: Context) -> KBHolder:
    return holder_in(context.bot_data)


def kb_of(context: Context) -> KB:
    """The current KB; read once per update so one answer never mixes two KBs."""
    return holder_of(context).kb


def settings_of(context: Context) -> Settings:
    return _get(context.bot_data, SETTINGS_KEY, Settings)


def membership_of(context: Context) -> MembershipCache:
    return _get(context.bot_data, MEMBERSHIP_KEY, MembershipCache)


def refusals_of(context: Context) -> RefusalLimiter:
    return _get(context.bot_data, REFUSALS_KEY, RefusalLimiter)


def lookups_of(context: Context) -> Merged:
    return _get(context.bot_data, LOOKUPS_KEY, Merged)


def asks_of(context: Context) -> AskStore:
    return _get(context.bot_data, ASKS_KEY, AskStore)


def photos_of(context: Context) -> TimelinePhotos:
    return _get(context.bot_data, PHOTOS_KEY, TimelinePhotos)


def answered_of(context: Context) -> Answered:
    """What the bot's recent messages answered (ISP, topic), for replies to them
    (:mod:`bot.answers.followup`)."""
    return _get(context.bot_data, ANSWERED_KEY, Answered)


def now_of(context: Context) -> dt.datetime:
    """UPCALL's clock (``TIMEZONE``), the ``now`` the core answers for."""
    return dt.datetime.now(ZoneInfo(settings_of(context).timezone))
