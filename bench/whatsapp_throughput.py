"""Webhook deliveries per second through the WhatsApp door: the real bot process (``upcall-bot
run``, WhatsApp only) against the fake Evolution API on 127.0.0.1 (tests/fake_evolution_api.py).
Prints figures; asserts nothing. Goal: at least 300 deliveries/s handled.

    ./uvw run python bench/whatsapp_throughput.py [--deliveries 3000] [--groups 50]
        [--concurrency 64]

Deliveries are signed as Evolution signs them (an HS256 JWT per event; its claims are in whole
seconds, so the events of one second share a token) and POSTed by this process with
``--concurrency`` requests in flight. Two runs:

* chatter: the agents talking among themselves (no command, no mention): each delivery is
  verified, read, de-duplicated and left alone. Deliveries/s = deliveries / time to all 200s.
* questions: ``/dns mutum`` and ``@bot qual o dns da mutum?`` spread over ``--groups`` allowed
  groups, pacing lifted (``WHATSAPP_SEND_INTERVAL_SECONDS=0``; Evolution's and WhatsApp's own
  pacing is the real ceiling): handled = answered (the fake received the ``sendText``).
  Deliveries/s = questions / (last answer - first delivery).

On a shared or busy machine the rates follow the load; the bot's own CPU time per delivery (from
``/proc``) does not, and says what one core can take.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_evolution_api import (  # noqa: E402
    AGENT,
    API_KEY,
    BOT,
    INSTANCE,
    JWT_KEY,
    MEMBER,
    FakeEvolution,
    Group,
    free_port,
)

STARTUP_TIMEOUT = 30.0
PROFILE: list[str] = (
    ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]] if os.environ.get("BENCH_PROFILE") else []
)
_DROP = ("TELEGRAM_", "WHATSAPP_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def group_jid(index: int) -> str:
    return f"1203630{index:011d}@g.us"


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process ``pid`` so far (Linux ``/proc``; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def per_delivery(pid: int, before: float | None, count: int) -> str:
    after = cpu_seconds(pid)
    if before is None or after is None or count == 0:
        return ""
    ms = (after - before) * 1000 / count
    return f"; the bot's CPU: {ms:.2f} ms a delivery (one core: {1000 / ms:,.0f}/s)"


def start_bot(evolution: FakeEvolution, port: int, groups: list[str], workdir: Path) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(_DROP)}
    env |= {
        "WHATSAPP_API_URL": evolution.base_url,
        "WHATSAPP_API_KEY": API_KEY,
        "WHATSAPP_INSTANCE": INSTANCE,
        "WHATSAPP_WEBHOOK_SECRET": JWT_KEY,
        "WHATSAPP_WEBHOOK_HOST": "127.0.0.1",
        "WHATSAPP_WEBHOOK_PORT": str(port),
        "WHATSAPP_GROUP_IDS": ",".join(groups),
        "WHATSAPP_SEND_INTERVAL_SECONDS": "0",
        "KB_DIR": str(ROOT / "knowledge"),
        "LOG_LEVEL": "WARNING",
        "HEALTH_PORT": "0",
        "NO_PROXY": "*",
    }
    log = (workdir / "bot.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, *PROFILE, "-m", "bot", "run"], cwd=workdir, env=env, stdout=log, stderr=log
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        sys.exit(f"the bot did not start:\n{(workdir / 'bot.log').read_text()}")
    evolution.wait_for("fetchAllGroups", timeout=STARTUP_TIMEOUT)
    return process


async def post_all(
    url: str, bodies: list[bytes], token: Callable[[], str], concurrency: int
) -> list[int]:
    statuses: list[int] = []
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)

    async def worker(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            body = queue.get_nowait()
            headers = {"Authorization": f"Bearer {token()}", "Content-Type": "application/json"}
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                statuses.append(response.status)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return statuses


def run(args: argparse.Namespace) -> None:
    groups = [group_jid(i) for i in range(args.groups)]
    port = free_port()
    url = f"http://127.0.0.1:{port}/whatsapp"
    with tempfile.TemporaryDirectory() as tmp, FakeEvolution() as evolution:
        for jid in groups:
            evolution.add_group(Group(jid, f"Agentes {jid[-8:-5]}", [BOT, AGENT, MEMBER]))
        evolution.set_webhook(url)
        process = start_bot(evolution, port, groups, Path(tmp))
        token = evolution.make_jwt  # as Evolution signs: a token per event (iat in seconds)
        try:
            print(
                f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs"
            )
            n = args.deliveries
            chatter = [
                json.dumps(
                    evolution.group_text_payload(groups[i % len(groups)], AGENT, f"bom dia {i}")
                ).encode()
                for i in range(n)
            ]
            cpu = cpu_seconds(process.pid)
            start = time.perf_counter()
            statuses = asyncio.run(post_all(url, chatter, token, args.concurrency))
            elapsed = time.perf_counter() - start
            ok = statuses.count(200)
            print(
                f"chatter:   {ok}/{n} deliveries answered 200 in {elapsed:.2f} s: "
                f"{ok / elapsed:,.0f}/s{per_delivery(process.pid, cpu, n)}"
            )

            mention = f"{BOT.mention(True)} qual o dns da mutum?"
            questions = [
                json.dumps(
                    evolution.group_text_payload(
                        groups[i % len(groups)],
                        AGENT,
                        "/dns mutum" if i % 2 else mention,
                        mentions=[] if i % 2 else [BOT],
                    )
                ).encode()
                for i in range(n)
            ]
            before = len(evolution.sent)
            cpu = cpu_seconds(process.pid)
            start = time.perf_counter()
            statuses = asyncio.run(post_all(url, questions, token, args.concurrency))
            accepted = time.perf_counter() - start
            evolution.wait_sent(count=before + n, timeout=120)
            elapsed = time.perf_counter() - start
            answered = len(evolution.sent) - before
            print(
                f"questions: {statuses.count(200)}/{n} accepted in {accepted:.2f} s "
                f"({n / accepted:,.0f}/s); {answered} answered in {elapsed:.2f} s: "
                f"{answered / elapsed:,.0f}/s{per_delivery(process.pid, cpu, n)}"
            )
        finally:
            process.terminate()
            process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=3000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=64)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
