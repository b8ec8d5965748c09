"""The Telegram application, assembled in one place, and ``run_bot`` behind ``upcall-bot run``.

Long polling by default; webhook mode when ``TELEGRAM_WEBHOOK_URL`` is set. The handlers live in
``handlers/telegram/`` (see ``handlers.telegram.register``); this module only wires them to PTB.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import secrets
import sys
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import (
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, BaseRateLimiter, Defaults
from telegram.request import BaseRequest

from bot.app import health, logs
from bot.app.logs import Redactor, settings_secrets
from bot.app.settings import Settings
from bot.knowledge.kb import KBError, KBHolder, ParseCache, load_kb
from bot.knowledge.passwords import known_secrets
from handlers.telegram import gaps, knowledge, notices, register
from handlers.telegram.commands import menu_commands
from handlers.telegram.order import ChatOrderedProcessor
from handlers.telegram.state import BotApplication, holder_in, install
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
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def build_application(
    settings: Settings,
    holder: KBHolder,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> BotApplication:
    """The one PTB ``Application`` of the bot. Tests pass their own ``request`` objects, and a
    ``rate_limiter`` with scaled-down limits (default: Telegram's); see
    :mod:`handlers.telegram.transport`."""
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
    builder = builder.request(request or AiohttpRequest())
    builder = builder.get_updates_request(get_updates_request or AiohttpRequest(1))
    application: BotApplication = builder.build()
    install(application.bot_data, settings, holder)
    register(application, holder.kb)
    knowledge.install(application, settings)
    knowledge.on_reload(application, publish_command_menus)
    knowledge.on_reload(application, notices.reschedule)
    health.HEALTH.expect(DOOR)
    health.note_kb(holder.kb)
    return application


async def post_init(application: BotApplication) -> None:
    """Once the bot is up: menus, then the background work (knowledge watcher)."""
    await publish_command_menus(application)
    await knowledge.start(application)
    await notices.start(application)
    gaps.schedule_weekly(application)  # Mondays 08:00: the week's unanswered questions
    await start_health_server(application)


async def post_stop(application: BotApplication) -> None:
    await knowledge.stop(application)
    runner = application.bot_data.pop(HEALTH_RUNNER_KEY, None)
    if runner is not None:
        await runner.cleanup()


async def start_health_server(application: BotApplication) -> None:
    """``/healthz`` and ``/metrics`` (:mod:`bot.app.health`), when HEALTH_PORT is not 0."""
    settings: Settings = application.bot_data["settings"]
    if not settings.health_port or HEALTH_RUNNER_KEY in application.bot_data:
        return
    try:
        runner = await health.start_server(settings.health_host, settings.health_port)
    except OSError as exc:
        # Checked free at start (run_bot); taken since: the bot answers without it.
        log.error(
            "health server not started on %s:%d: %s",
            settings.health_host,
            settings.health_port,
            exc.strerror or exc,
        )
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


# --------------------------------------------------------------------------- running


def _check_settings(settings: Settings) -> None:
    if not settings.has_token:
        raise SystemExit(
            "TELEGRAM_BOT_TOKEN não definido: crie o bot com o @BotFather e defina o token.\n"
            "TELEGRAM_BOT_TOKEN is not set: create the bot with @BotFather and set its token."
        )
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SystemExit(
            f"TIMEZONE inválido: {settings.timezone!r}. / Unknown TIMEZONE: {settings.timezone!r}."
        ) from exc
    if settings.telegram_webhook_url:
        if importlib.util.find_spec("tornado") is None:
            raise SystemExit(
                "O modo webhook precisa de python-telegram-bot[webhooks] (tornado); "
                "remova TELEGRAM_WEBHOOK_URL para usar long polling.\n"
                "Webhook mode needs python-telegram-bot[webhooks] (tornado); "
                "unset TELEGRAM_WEBHOOK_URL to use long polling."
            )
        secret = settings.telegram_webhook_secret
        if secret and not _SECRET_RE.match(secret):
            raise SystemExit(
                "TELEGRAM_WEBHOOK_SECRET: use 1 a 256 caracteres A-Z, a-z, 0-9, _ e -.\n"
                "TELEGRAM_WEBHOOK_SECRET: use 1 to 256 characters A-Z, a-z, 0-9, _ and -."
            )


def load_kb_or_exit(settings: Settings) -> KBHolder:
    cache = ParseCache()
    try:
        kb = load_kb(settings.kb_dir, secrets_file=settings.kb_secrets_file, cache=cache)
    except KBError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise SystemExit(
            f"A base de conhecimento em {settings.kb_dir} não carregou "
            f"({len(exc.problems)} problema(s) acima); o bot não foi iniciado.\n"
            f"The knowledge base in {settings.kb_dir} did not load; the bot was not started."
        ) from exc
    log.info("KB loaded: %d providers, %d topics", len(kb.providers), len(kb.topics))
    return KBHolder(kb, cache)


def run_bot(settings: Settings) -> None:
    """``upcall-bot run``: load the KB, then serve Telegram until stopped (Ctrl+C, SIGTERM)."""
    redact = Redactor(lambda: settings_secrets(settings))
    logs.configure(settings.log_level, redact)
    _check_settings(settings)
    if settings.health_port:
        busy = health.port_problem(settings.health_host, settings.health_port)
        if busy:
            raise SystemExit(busy)
    holder = load_kb_or_exit(settings)
    redact.add(lambda: known_secrets(holder.kb))  # the current KB's, after every reload
    application = build_application(settings, holder)
    try:
        if settings.telegram_webhook_url:
            run_webhook(application, settings)
        else:
            log.info("starting long polling")
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken as exc:
        # PTB's message quotes the token: never shown.
        raise SystemExit(
            "O Telegram recusou o TELEGRAM_BOT_TOKEN (valor oculto): confira o token no "
            "@BotFather (/mybots > API Token) e copie-o de novo para o .env."
        ) from exc


def run_webhook(application: BotApplication, settings: Settings) -> None:
    url = settings.telegram_webhook_url
    # Without a configured secret, a fresh one per start: Telegram sends it back on every call.
    secret = settings.telegram_webhook_secret or secrets.token_urlsafe(32)
    log.info(
        "starting webhook on %s:%d for %s",
        settings.telegram_webhook_listen,
        settings.telegram_webhook_port,
        url,
    )
    application.run_webhook(
        listen=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
        url_path=urlsplit(url).path.lstrip("/"),
        webhook_url=url,
        secret_token=secret,
        allowed_updates=Update.ALL_TYPES,
    )
