"""How long after a boundary its shift-change notice reaches Telegram. Prints figures only.

    ./uvw run python bench/notice_timing.py [--rounds N]

Each round builds the real Application (real HTTP client, PTB's JobQueue) against the fake Bot API
served on 127.0.0.1 (tests/fake_bot_api.py), with the bot's clock set 1 to 3 seconds before a real
boundary of the KB, and measures the wall time from that boundary to the sendMessage call's
arrival at the server.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from bot.app.settings import Settings  # noqa: E402
from bot.coverage import engine as coverage  # noqa: E402
from bot.knowledge.kb import KBHolder, load_kb  # noqa: E402
from fake_bot_api import TOKEN, FakeBotApiServer, FakeTelegram  # noqa: E402
from handlers.telegram import notices  # noqa: E402
from handlers.telegram.app import build_application  # noqa: E402

NOTICE_CHAT = -1002000000002


class TimedTelegram(FakeTelegram):
    """The fake API, noting the wall time each sendMessage arrives."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.arrivals: list[float] = []
        self._lock = threading.Lock()

    def handle(self, method: str, params: dict[str, Any], *, wait: bool = True) -> tuple[int, Any]:
        if method == "sendMessage":
            with self._lock:
                self.arrivals.append(time.time())
        return super().handle(method, params, wait=wait)


def _no_proxies() -> None:
    """Only 127.0.0.1 is ever reached: keep the HTTP client off any proxy from the environment."""
    for key in list(os.environ):
        if key.upper() in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            del os.environ[key]
    os.environ["NO_PROXY"] = "*"


async def one_round(
    server: FakeBotApiServer,
    api: TimedTelegram,
    holder: KBHolder,
    instant: dt.datetime,
    ahead: float,
) -> tuple[int, list[float]]:
    """Start a bot ``ahead`` seconds (on its clock) before ``instant``; the delays of its posts."""
    offset = (instant - dt.timedelta(seconds=ahead)) - dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory() as state_dir:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            telegram_bot_token=TOKEN,
            telegram_api_url=server.base_url,
            notice_chat_id=NOTICE_CHAT,
            notice_state_file=Path(state_dir) / "notices.json",
            notice_lead_minutes=0,
            notice_grace_minutes=0,
            kb_dir=ROOT / "knowledge",
        )
        expected = len(
            coverage.notices(
                holder.kb.providers.values(), instant, instant + dt.timedelta(seconds=1)
            )
        )
        app = build_application(settings, holder)
        app.bot_data[notices.CLOCK_KEY] = lambda: dt.datetime.now(dt.UTC) + offset
        boundary_wall = (instant - offset).timestamp()
        mark = len(api.arrivals)
        async with app:
            await notices.start(app)
            await app.start()
            deadline = time.monotonic() + ahead + 10
            while len(api.arrivals) - mark < expected and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
            await app.stop()
    return expected, [t - boundary_wall for t in api.arrivals[mark:]]


def upcoming_instants(holder: KBHolder, count: int) -> list[dt.datetime]:
    now = dt.datetime.now(dt.UTC)
    events = coverage.notices(holder.kb.providers.values(), now, now + dt.timedelta(days=7))
    return sorted({e.at for e in events})[:count]


async def main_async(rounds: int) -> None:
    _no_proxies()
    holder = KBHolder(load_kb(ROOT / "knowledge"))
    instants = upcoming_instants(holder, rounds)  # also warms the holiday tables
    aheads = [1.0 + 2.0 * i / max(1, rounds - 1) for i in range(rounds)]
    api = TimedTelegram()
    delays: list[float] = []
    with FakeBotApiServer(api) as server:
        for instant, ahead in zip(instants, aheads, strict=False):
            expected, found = await one_round(server, api, holder, instant, ahead)
            delays += found
            when = instant.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            shown = ", ".join(f"{d * 1000:+.1f} ms" for d in found) or "none"
            print(f"boundary {when} (clock {ahead:.1f} s before, {expected} notice(s)): {shown}")
    print(
        f"machine: {platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}"
    )
    if delays:
        print(
            f"boundary -> sendMessage ({len(delays)} notices): median "
            f"{statistics.median(delays) * 1000:.1f} ms, min {min(delays) * 1000:.1f} ms, "
            f"max {max(delays) * 1000:.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main_async(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
