"""Knowledge by commit, in Telegram: hot reload running in the background, /recarregar, and the
posts that follow a reload (changelog to the group, alerts to supervisors).

The decisions live in :mod:`bot.knowledge.reload` and :mod:`bot.answers.reload`; this module only
schedules
the watcher and sends what they return.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.answers import messages as msg
from bot.answers.reload import broken_reply, changelog_reply, reload_feedback
from bot.answers.render import to_html_parts
from bot.answers.reply import Reply
from bot.app import health
from bot.app.settings import Settings
from bot.knowledge.reload import Reloader, ReloadEvent, ReloadResult
from handlers.telegram.access import supervisor_asks
from handlers.telegram.send import send_reply
from handlers.telegram.state import BotApplication, Context, holder_in

log = logging.getLogger(__name__)

RELOADER_KEY = "reloader"
STOP_KEY = "reloader_stop"
TASKS_KEY = "reloader_tasks"
STOP_TIMEOUT = 3.0
"""Seconds the watcher gets to end by itself at shutdown before it is cancelled."""
AFTER_RELOAD_KEY = "after_reload"
"""Callbacks run after every good reload (menus, notice schedule): ``async f(application)``."""

AfterReload = Callable[[BotApplication], Awaitable[None]]


def install(application: BotApplication, settings: Settings) -> Reloader:
    """Create the app's reloader; its listener posts to Telegram through ``application``."""

    async def listener(result: ReloadResult) -> None:
        if result.event is ReloadEvent.LOADED:
            health.note_kb(holder_in(application.bot_data).kb)
        await after_reload(application, result)

    reloader = Reloader(
        holder_in(application.bot_data),
        settings.kb_dir,
        [listener],
        secrets_file=settings.kb_secrets_file,
    )
    application.bot_data[RELOADER_KEY] = reloader
    application.bot_data.setdefault(AFTER_RELOAD_KEY, [])
    return reloader


def on_reload(application: BotApplication, callback: AfterReload) -> None:
    """Run ``callback(application)`` after every good reload (e.g. reschedule notices)."""
    application.bot_data.setdefault(AFTER_RELOAD_KEY, []).append(callback)


def reloader_of(application: BotApplication) -> Reloader:
    reloader = application.bot_data.get(RELOADER_KEY)
    if not isinstance(reloader, Reloader):
        raise RuntimeError("no reloader: build the app with build_application")
    return reloader


async def start(application: BotApplication) -> None:
    """Start watching ``KB_DIR`` (and pulling git, when configured) in the background."""
    settings: Settings = application.bot_data["settings"]
    reloader = reloader_of(application)
    stop = asyncio.Event()
    # Plain tasks, not Application.create_task: post_init runs before the app is "running",
    # and ``stop`` below ends them itself.
    tasks = [asyncio.create_task(reloader.watch(stop), name="kb-watch")]
    if settings.kb_git_pull_seconds > 0:
        pull = reloader.pull_forever(settings.kb_git_pull_seconds, stop)
        tasks.append(asyncio.create_task(pull, name="kb-git-pull"))
    application.bot_data[STOP_KEY] = stop
    application.bot_data[TASKS_KEY] = tasks
    outside = f" and {settings.kb_secrets_file}" if settings.kb_secrets_file else ""
    log.info("watching %s%s for knowledge changes", settings.kb_dir, outside)


async def stop(application: BotApplication) -> None:
    """Ask the background work to end; cancel what has not ended within STOP_TIMEOUT."""
    event = application.bot_data.get(STOP_KEY)
    if isinstance(event, asyncio.Event):
        event.set()
    tasks: list[asyncio.Task[None]] = application.bot_data.pop(TASKS_KEY, [])
    if not tasks:
        return
    _done, pending = await asyncio.wait(tasks, timeout=STOP_TIMEOUT)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


async def after_reload(application: BotApplication, result: ReloadResult) -> None:
    settings: Settings = application.bot_data["settings"]
    if result.event is ReloadEvent.LOADED:
        for callback in application.bot_data.get(AFTER_RELOAD_KEY, []):
            try:
                await callback(application)
            except Exception:
                log.exception("after-reload callback failed")
        reply = changelog_reply(result)
        if reply is not None:
            await _post(application, group_chats(settings), reply)
    elif result.event is ReloadEvent.BROKEN:
        reply = broken_reply(result)
        if reply is not None:
            await _post(application, supervisor_chats(settings), reply)


def group_chats(settings: Settings) -> list[int]:
    """Where the changelog goes: the notice chat, else every allowed group."""
    if settings.notice_chat_id is not None:
        return [settings.notice_chat_id]
    return list(settings.allowed_chat_ids)


def supervisor_chats(settings: Settings) -> list[int]:
    """Where KB errors go: the supervisors' chat, else each supervisor in private."""
    if settings.supervisor_chat_id is not None:
        return [settings.supervisor_chat_id]
    return list(settings.supervisor_ids)


async def post(application: BotApplication, chats: list[int], reply: Reply) -> None:
    """Send ``reply`` to each chat; a chat that refuses is logged and skipped."""
    await _post(application, chats, reply)


async def _post(application: BotApplication, chats: list[int], reply: Reply) -> None:
    for chat_id in chats:
        for part in to_html_parts(reply):
            try:
                await application.bot.send_message(chat_id, part)
            except TelegramError as exc:
                # A supervisor who never opened the bot's private chat cannot be messaged.
                log.warning("could not post to %s: %s", chat_id, exc)
                break


# --------------------------------------------------------------------------- /recarregar


async def on_recarregar(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    if not await supervisor_asks(message, context, msg.RELOAD_SUPERVISORS_ONLY):
        return
    application: Any = context.application
    result = await reloader_of(application).reload()
    await send_reply(message, reload_feedback(result), context)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("recarregar", on_recarregar, filters=filters.UpdateType.MESSAGE),
    ]
