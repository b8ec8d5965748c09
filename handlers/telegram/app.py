"""The Telegram application, assembled in one place.

The handlers live in ``handlers/telegram/`` (see ``handlers.telegram.register``); this module only
wires them to PTB. ``handlers.telegram.channel`` runs it for ``upcall-bot run`` (long polling or
webhook), beside the other channels (``handlers.runner``).
"""

from __future__ import annotations

import logging
import os
from typing import Any
from zoneinfo import ZoneInfo

from telegram import (
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, BaseRateLimiter, Defaults
from telegram.request import BaseRequest

from bot.app import health
from bot.app.settings import Settings
from bot.knowledge.kb import KBHolder
from bot.posting.service import Posting
from handlers.scheduler import JobQueueScheduler
from handlers.telegram import knowledge, notices, register
from handlers.telegram.commands import menu_commands
from handlers.telegram.door import TelegramDoor
from handlers.telegram.order import ChatOrderedProcessor
from handlers.telegram.state import (
    OWNS_POSTING_KEY,
    POSTING_KEY,
    BotApplication,
    holder_in,
    install,
    posting_in,
)
from handlers.telegram.transport import AiohttpRequest, ChatRateLimiter

log = logging.getLogger(__name__)

FLOOD_RETRIES = 3
"""Retries of a call Telegram refused with "flood control" (RetryAfter), after waiting."""
MENU_SCOPES: tuple[BotCommandScope, ...] = (
    BotCommandScopeAllGroupChats(),
    BotCommandScopeAllPrivateChats(),
)
DOOR = "telegram"
"""This door's name in /healthz and the metrics."""
HEALTH_RUNNER_KEY = "health_runner"


def build_application(
    settings: Settings,
    holder: KBHolder,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    posting: Posting | None = None,
) -> BotApplication:
    """The one PTB ``Application`` of the bot. Tests pass their own ``request`` objects, and a
    ``rate_limiter`` with scaled-down limits (default: Telegram's); see
    :mod:`handlers.telegram.transport`.

    ``posting`` is the process's :class:`~bot.posting.service.Posting` when ``upcall-bot run``
    serves several channels (it starts and stops it); without one, the application builds its own
    on its JobQueue, with the Telegram door only, and starts it in ``post_init``."""
    # PTB 22 is moving time periods from int seconds to timedelta and warns on every 429 until a
    # program opts in. We read none of them; opting in keeps flood-control logs clean.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        tzinfo=ZoneInfo(settings.timezone),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        allow_sending_without_reply=True,  # the question was deleted: answer anyway
    )
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_url)
        .defaults(defaults)
        .rate_limiter(rate_limiter or ChatRateLimiter(max_retries=FLOOD_RETRIES))
        # Chats answered concurrently (one slow answer does not hold the others), each chat's
        # questions in the order they came (handlers.telegram.order).
        .concurrent_updates(ChatOrderedProcessor())
        .post_init(post_init)
        .post_stop(post_stop)
    )
    if posting is not None:
        # The process's one scheduler is the runner's (PTB types job_queue without None).
        builder = builder.job_queue(None)  # type: ignore[arg-type]
    builder = builder.request(request or AiohttpRequest())
    builder = builder.get_updates_request(get_updates_request or AiohttpRequest(1))
    application: BotApplication = builder.build()
    install(application.bot_data, settings, holder)
    owns = posting is None
    if posting is None:
        bot_data = application.bot_data
        posting = Posting(
            settings,
            holder,
            JobQueueScheduler(application),
            clock=lambda: notices.clock_in(bot_data)(),
        )
        posting.add_door(TelegramDoor(application, settings))
    application.bot_data[POSTING_KEY] = posting
    application.bot_data[OWNS_POSTING_KEY] = owns
    unknown = set(settings.notice_threads) - set(holder.kb.providers)
    if unknown:
        log.warning("NOTICE_THREADS names unknown providers: %s", ", ".join(sorted(unknown)))
    register(application, holder.kb)
    knowledge.on_reload(application, publish_command_menus)
    health.HEALTH.expect(DOOR)
    health.note_kb(holder.kb)
    return application


async def post_init(application: BotApplication) -> None:
    """Once the bot is up: menus, then the background work (KB watcher, notices, pending
    deletions, the weekly gaps post) unless ``upcall-bot run`` runs it for every channel."""
    await publish_command_menus(application)
    if application.bot_data.get(OWNS_POSTING_KEY):
        await posting_in(application.bot_data).start()
        await start_health_server(application)  # upcall-bot run starts its own, for every door


async def post_stop(application: BotApplication) -> None:
    if application.bot_data.get(OWNS_POSTING_KEY):
        await posting_in(application.bot_data).stop()
    runner = application.bot_data.pop(HEALTH_RUNNER_KEY, None)
    if runner is not None:
        await runner.cleanup()


async def start_health_server(application: BotApplication) -> None:
    """``/healthz`` and ``/metrics`` (:mod:`bot.app.health`), when HEALTH_PORT is not 0."""
    settings: Settings = application.bot_data["settings"]
    if not settings.health_port or HEALTH_RUNNER_KEY in application.bot_data:
        return
    runner = await health.start_or_log(settings.health_host, settings.health_port)
    if runner is None:
        return
    application.bot_data[HEALTH_RUNNER_KEY] = runner


async def publish_command_menus(application: BotApplication) -> None:
    """The command menus, from the topic catalogue: a new topic in YAML shows without code."""
    commands = menu_commands(holder_in(application.bot_data).kb)
    for scope in MENU_SCOPES:
        try:
            await application.bot.set_my_commands(commands, scope=scope)
        except TelegramError as exc:
            # A menu is a convenience: the bot answers without it.
            log.warning("could not set the command menu (%s): %s", scope.type, exc)
