"""``upcall-bot run`` in process (``handlers.runner``): the channel registry, the one scheduler
with or without Telegram, the Telegram channel's start (polling, webhook) and its settings."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import make_settings
from live_app import wait_until
from telegram import Update
from telegram.ext import Updater

from bot.answers.render import to_plain
from bot.answers.reply import Reply
from bot.app import cli
from bot.app.doors import Audience, Posted
from bot.app.settings import Settings
from bot.knowledge.kb import KB, KBHolder
from bot.posting.service import Posting
from fake_bot_api import FakeBotApiServer
from handlers import runner
from handlers.telegram import channel as telegram_channel

SP = ZoneInfo("America/Sao_Paulo")
BOUNDARY = dt.datetime(2026, 11, 23, 19, 30, tzinfo=SP)  # Mutum Fibra opens (a Monday)
NOTICE_CHAT = -1002000000002


@dataclass
class RecordingDoor:
    """A door that needs no network: what it was asked to post."""

    name: str = "whatsapp"
    posts: list[tuple[Audience, str]] = field(default_factory=list)

    async def post(
        self, audience: Audience, reply: Reply, *, provider: str | None = None
    ) -> Sequence[Posted]:
        self.posts.append((audience, to_plain(reply)))
        return [Posted(self.name, "grupo@g.us", str(len(self.posts)))]

    async def delete(self, posted: Posted) -> bool:
        return True


@dataclass
class RecordingChannel:
    door: RecordingDoor = field(default_factory=RecordingDoor)
    started: bool = False
    stopped: bool = False

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped = True


# --------------------------------------------------------------------------- which channels


def test_with_no_channel_run_says_so_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    settings = make_settings(telegram_bot_token="")
    assert cli.cmd_run(argparse.Namespace(kb=None), settings) == 2
    err = capsys.readouterr().err
    assert err.strip() == runner.NO_CHANNEL and len(err.strip().splitlines()) == 1
    assert "TELEGRAM_BOT_TOKEN" in err and "WHATSAPP_API_URL" in err


def test_without_arguments_the_console_when_no_channel_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen: list[str] = []
    monkeypatch.setattr(cli, "cmd_console", lambda a, s: chosen.append("console") or 0)
    monkeypatch.setattr(cli, "cmd_run", lambda a, s: chosen.append("run") or 0)
    cli.cmd_default(argparse.Namespace(), make_settings(telegram_bot_token=""))
    cli.cmd_default(argparse.Namespace(), make_settings())
    assert chosen == ["console", "run"]


def test_the_registry_finds_telegram_and_waits_for_whatsapp() -> None:
    settings = make_settings()
    assert [s.name for s in runner.configured_channels(settings)] == ["telegram"]
    assert [s.name for s in runner.CHANNELS] == ["telegram", "whatsapp"]
    telegram = runner.CHANNELS[0].factory()
    assert telegram is telegram_channel.build_channel
    # A door that is not part of this version: no factory, and run says so in one line.
    missing = runner.ChannelSpec("x", lambda s: True, "handlers.no_such_door")
    assert missing.factory() is None


def test_whatsapp_is_configured_by_its_url() -> None:
    class WithWhatsApp(Settings):
        whatsapp_api_url: str = ""

    on = WithWhatsApp(_env_file=None, whatsapp_api_url="http://127.0.0.1:8080")  # type: ignore[call-arg]
    off = WithWhatsApp(_env_file=None)  # type: ignore[call-arg]
    assert [s.name for s in runner.configured_channels(on)] == ["whatsapp"]
    assert runner.configured_channels(off) == []


def test_a_configured_channel_missing_from_this_version_stops_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        runner, "CHANNELS", [runner.ChannelSpec("whatsapp", lambda s: True, "handlers.nope")]
    )
    with pytest.raises(SystemExit) as exit_:
        runner.run(make_settings(telegram_bot_token=""))
    assert str(exit_.value.code) == runner.CHANNEL_MISSING.format(name="whatsapp")


def test_run_exits_with_the_kb_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "providers").mkdir()
    (tmp_path / "topics.yaml").write_text("topics: [\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        runner.run(make_settings(kb_dir=tmp_path))
    message = str(exit_.value.code)
    # One pt-BR line (an English copy followed it: the supervisor reads Portuguese).
    assert "\n" not in message and message.startswith(f"A base de conhecimento em {tmp_path} ")
    assert message.endswith("problema(s) acima); o bot não foi iniciado.")
    assert "topics.yaml" in capsys.readouterr().err


# --------------------------------------------------------------------------- one scheduler


async def test_without_telegram_the_scheduler_runs_and_notices_reach_the_other_door(
    real_kb: KB, tmp_path: Path
) -> None:
    """WhatsApp only (no TELEGRAM_BOT_TOKEN): PTB's JobQueue runs on its own application, with no
    Telegram call; the notice due at start reaches the door once."""
    settings = make_settings(
        telegram_bot_token="",
        notice_state_file=tmp_path / "notices.json",
        notice_lead_minutes=0,
    )
    channel = RecordingChannel()

    def factory(settings: Settings, holder: KBHolder, *, posting: Posting) -> RecordingChannel:
        return channel

    offset = BOUNDARY + dt.timedelta(minutes=3) - dt.datetime.now(dt.UTC)
    stop = asyncio.Event()
    task = asyncio.create_task(
        runner.serve(
            settings,
            KBHolder(real_kb),
            [("whatsapp", factory)],
            stop=stop,
            clock=lambda: dt.datetime.now(dt.UTC) + offset,
        )
    )
    try:
        await wait_until(lambda: bool(channel.door.posts), 5, "the notice through the door")
        await asyncio.sleep(0.3)
    finally:
        stop.set()
        assert await task == 0
    [(audience, text)] = channel.door.posts
    assert audience is Audience.NOTICES
    assert "🟢 Mutum Fibra: a UPCALL assume o atendimento" in text.splitlines()[0]
    assert "(atrasado: 19:30)" in text
    assert channel.started and channel.stopped


# --------------------------------------------------------------------------- Telegram's start


async def serve_until(settings: Settings, kb: KB, ready: Any, timeout: float = 10) -> None:
    stop = asyncio.Event()
    factory = telegram_channel.build_channel
    task = asyncio.create_task(
        runner.serve(settings, KBHolder(kb), [("telegram", factory)], stop=stop)
    )
    try:
        await wait_until(lambda: task.done() or ready(), timeout, "the bot started")
    finally:
        stop.set()
        await task


async def test_telegram_polls_every_update_type_by_default(real_kb: KB) -> None:
    with FakeBotApiServer() as server:
        settings = make_settings(telegram_api_url=server.base_url)
        await serve_until(settings, real_kb, lambda: bool(server.api.calls_to("getUpdates")))
        methods = [c.method for c in server.api.calls[:5]]
    assert methods == ["getMe", "setMyCommands", "setMyCommands", "deleteWebhook", "getUpdates"]
    poll = server.api.calls_to("getUpdates")[0]
    assert sorted(poll["allowed_updates"]) == sorted(Update.ALL_TYPES)


async def test_telegram_serves_a_webhook_with_a_secret(
    real_kb: KB, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, Any]] = []

    async def start_webhook(self: Updater, **kwargs: Any) -> None:
        seen.append(kwargs)

    monkeypatch.setattr(Updater, "start_webhook", start_webhook)
    with FakeBotApiServer() as server:
        settings = make_settings(
            telegram_api_url=server.base_url,
            telegram_webhook_url="https://bot.example.com/telegram/hook",
            telegram_webhook_secret="s3cret_-X",
            telegram_webhook_port=8443,
            telegram_webhook_listen="127.0.0.1",
        )
        await serve_until(settings, real_kb, lambda: bool(seen))
        assert seen == [
            {
                "listen": "127.0.0.1",
                "port": 8443,
                "url_path": "telegram/hook",
                "webhook_url": "https://bot.example.com/telegram/hook",
                "secret_token": "s3cret_-X",
                "allowed_updates": Update.ALL_TYPES,
            }
        ]
        # No secret configured: a random one, still checked on every call.
        no_secret = settings.model_copy(update={"telegram_webhook_secret": ""})
        await serve_until(no_secret, real_kb, lambda: len(seen) == 2)
        assert len(seen[1]["secret_token"]) >= 32


def test_telegram_explains_what_webhook_mode_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(telegram_channel.importlib.util, "find_spec", lambda name: None)
    settings = make_settings(telegram_webhook_url="https://bot.example.com/hook")
    with pytest.raises(SystemExit, match=r"webhooks"):
        telegram_channel.check_settings(settings)
    monkeypatch.setattr(telegram_channel.importlib.util, "find_spec", lambda name: object())
    bad = settings.model_copy(update={"telegram_webhook_secret": "não vale!"})
    with pytest.raises(SystemExit, match="TELEGRAM_WEBHOOK_SECRET"):
        telegram_channel.check_settings(bad)


async def test_a_factory_without_posting_is_called_without_it(real_kb: KB) -> None:
    channel = RecordingChannel()

    def factory(settings: Settings, holder: KBHolder) -> RecordingChannel:
        return channel

    stop = asyncio.Event()
    stop.set()
    settings = make_settings(telegram_bot_token="")
    assert await runner.serve(settings, KBHolder(real_kb), [("whatsapp", factory)], stop=stop) == 0  # type: ignore[list-item]
    assert channel.started and channel.stopped
