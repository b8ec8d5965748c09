"""``upcall-bot run``: every configured channel, one KB, one scheduler, one :class:`Posting`.

The channels are a small registry (:data:`CHANNELS`): a name, when it is configured, and a factory
``build_channel(settings, holder, *, posting) -> Channel`` imported only when configured. Telegram
runs when ``TELEGRAM_BOT_TOKEN`` is set; WhatsApp when ``WHATSAPP_API_URL`` is set and
``handlers.whatsapp.build_channel`` exists. With neither, one line says so.

Order: load the KB; build each channel and add its door to the posting; start the channels
(a failure ends the run with that channel's one pt-BR line, the others stopped); start the
scheduler and the posting (notices, pending deletions, weekly post, KB watcher); wait for SIGTERM
or SIGINT. Stopping: every channel's network calls get :data:`STOP_DEADLINE` seconds at most; the
KB watcher, then the scheduler, which lets the jobs under way (a notice being sent) finish, then
every post still under way, then the channels (receiving stops, sessions close). A notice not yet
accepted is not marked sent: the next start posts it within the grace.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import inspect
import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web

import bot.answers.core  # noqa: F401 -- registers what answers derive from a KB, built at load
from bot.app import health, logs
from bot.app.doors import Channel
from bot.app.logs import Redactor, settings_secrets
from bot.app.settings import Settings
from bot.knowledge.kb import KBError, KBHolder, ParseCache, load_kb
from bot.knowledge.passwords import kb_secrets
from bot.posting.service import DRAIN_TIMEOUT, Clock, Posting, utc_now
from handlers.scheduler import JobQueueScheduler, standalone_application

log = logging.getLogger(__name__)

NO_CHANNEL = (
    "Nenhum canal para iniciar: TELEGRAM_BOT_TOKEN não configurado (Telegram) nem "
    "WHATSAPP_API_URL (WhatsApp); defina um deles no .env (veja .env.example)."
)
CHANNEL_MISSING = "O canal {name} está configurado, mas não existe nesta versão do bot."
BAD_TIMEZONE = "TIMEZONE inválido: {value!r} (exemplo: America/Sao_Paulo)."
STOP_DEADLINE = 3.0
"""Seconds the chat networks' calls get once SIGTERM arrives (a notice or an answer being sent,
Telegram's last ``getUpdates``): reachable, they take a fraction of a second; unreachable, the
process still ends well within ``docker stop``'s 10 s. A notice cut short is not marked sent: the
next start posts it within the grace."""


class ChannelFactory(Protocol):
    def __call__(self, settings: Settings, holder: KBHolder, *, posting: Posting) -> Channel: ...


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    configured: Callable[[Settings], bool]
    module: str
    """Where ``build_channel`` lives; imported only when the channel is configured."""

    def factory(self) -> ChannelFactory | None:
        try:
            module = importlib.import_module(self.module)
        except ModuleNotFoundError as exc:
            if exc.name is not None and self.module.startswith(exc.name):
                return None  # the door is not part of this version
            raise
        found: Any = getattr(module, "build_channel", None)
        return found if callable(found) else None


def _whatsapp_configured(settings: Settings) -> bool:
    url: Any = getattr(settings, "whatsapp_api_url", "")
    return bool(isinstance(url, str) and url.strip())


CHANNELS: list[ChannelSpec] = [
    ChannelSpec("telegram", lambda s: s.has_token, "handlers.telegram.channel"),
    ChannelSpec("whatsapp", _whatsapp_configured, "handlers.whatsapp"),
]


def configured_channels(settings: Settings) -> list[ChannelSpec]:
    return [spec for spec in CHANNELS if spec.configured(settings)]


def load_kb_or_exit(settings: Settings) -> KBHolder:
    cache = ParseCache()
    try:
        kb = load_kb(
            settings.kb_dir,
            secrets_file=settings.kb_secrets_file,
            cache=cache,
            prepare=True,
            against_commit=True,
        )
    except KBError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise SystemExit(
            f"A base de conhecimento em {settings.kb_dir} não carregou "
            f"({len(exc.problems)} problema(s) acima); o bot não foi iniciado."
        ) from exc
    log.info("KB loaded: %d providers, %d topics", len(kb.providers), len(kb.topics))
    return KBHolder(kb, cache, freeze_memory=True)


def run(settings: Settings) -> int:
    """Serve every configured channel until SIGTERM / SIGINT; 0 when stopped so. A start that
    cannot succeed raises ``SystemExit`` with one pt-BR line."""
    specs = configured_channels(settings)
    if not specs:
        print(NO_CHANNEL, file=sys.stderr)
        return 2
    # No secret in any log line: the settings' own, and the current KB's once loaded.
    redact = Redactor(lambda: settings_secrets(settings))
    logs.configure(settings.log_level, redact)
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SystemExit(BAD_TIMEZONE.format(value=settings.timezone)) from None
    factories: list[tuple[str, ChannelFactory]] = []
    for spec in specs:
        factory = spec.factory()
        if factory is None:
            raise SystemExit(CHANNEL_MISSING.format(name=spec.name))
        factories.append((spec.name, factory))
    if settings.health_port:
        busy = health.port_problem(settings.health_host, settings.health_port)
        if busy:
            raise SystemExit(busy)
    holder = load_kb_or_exit(settings)
    redact.add(lambda: kb_secrets(holder.kb))  # the current KB's, after every reload
    return asyncio.run(serve(settings, holder, factories))


async def serve(
    settings: Settings,
    holder: KBHolder,
    factories: list[tuple[str, ChannelFactory]],
    *,
    stop: asyncio.Event | None = None,
    clock: Clock = utc_now,
) -> int:
    """Run the channels until ``stop`` is set (by SIGTERM / SIGINT when not given); ``clock``:
    the notices' now (tests)."""
    stop = stop or _stop_on_signals()
    scheduler = JobQueueScheduler(standalone_application(settings.timezone))
    posting = Posting(settings, holder, scheduler, clock=clock)
    started: list[Channel] = []
    health_server: web.AppRunner | None = None
    try:
        channels: list[Channel] = []
        for _name, factory in factories:
            channel = _build(factory, settings, holder, posting)
            posting.add_door(channel.door)
            channels.append(channel)
        for channel in channels:
            await channel.start()
            started.append(channel)
        await scheduler.start()
        await posting.start()
        health.note_kb(holder.kb)
        if settings.health_port:
            health_server = await _start_health(settings)
        log.info("running: %s", ", ".join(name for name, _f in factories))
        await stop.wait()
        log.info("stopping")
    finally:
        for channel in started:
            _stop_by(channel, STOP_DEADLINE)
        await posting.stop_watching()
        await scheduler.stop()  # the jobs under way (a notice being sent) finish first
        await posting.drain(DRAIN_TIMEOUT)
        for channel in reversed(started):
            try:
                await channel.stop()
            except Exception:
                log.exception("stopping a channel")
        if health_server is not None:
            await health_server.cleanup()
    return 0


async def _start_health(settings: Settings) -> web.AppRunner | None:
    """``/healthz`` and ``/metrics`` for every door (:mod:`bot.app.health`)."""
    return await health.start_or_log(settings.health_host, settings.health_port)


def _build(
    factory: ChannelFactory, settings: Settings, holder: KBHolder, posting: Posting
) -> Channel:
    """``factory(settings, holder, posting=posting)``; a factory that takes no ``posting`` is
    called without it (its door is added to the posting all the same)."""
    try:
        parameters = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        parameters = {}  # type: ignore[assignment]
    takes = "posting" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )
    if takes:
        return factory(settings, holder, posting=posting)
    loose: Any = factory
    channel: Channel = loose(settings, holder)
    return channel


def _stop_by(channel: Channel, seconds: float) -> None:
    """Tell ``channel`` the process is stopping (its optional ``stopping(seconds)`` hook: its
    network calls end within ``seconds``)."""
    stopping: Any = getattr(channel, "stopping", None)
    if callable(stopping):
        stopping(seconds)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        # Not possible outside the main thread, or on Windows: Ctrl+C then ends the loop.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop
