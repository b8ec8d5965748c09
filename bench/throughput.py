"""Updates per second through the whole bot: PTB's Application as
``handlers.telegram.app.build_application``
builds it (real handlers, real KB, long polling, HTTP client) against the fake Bot API over HTTP
on 127.0.0.1 (tests/fake_bot_api.py). Prints figures; asserts nothing.

    ./uvw run python bench/throughput.py [--updates 2000] [--rate 200] [--seconds 5] [--profile]

The bot runs in its own process, as in production (Telegram is another machine); the fake server
runs in this one and notes when each update was queued and when each answer arrived. Every
update is a question from a private chat (``/dns mutum``, ``qual o dns da mutum?``, ...), so no
group limit applies; the rate limiter's overall limit (30 messages a second, Telegram's) is
lifted for the measurement, or the figure would be that limit. Two runs:

* burst: ``--updates`` questions queued at once; updates/s = answered / (last answer - queued).
  Latencies here are mostly waiting in line.
* paced: ``--rate`` questions a second for ``--seconds``: the end-to-end latency of one update
  (queued at the server -> its answer arrives there), p50 and p99, with the bot not saturated.

``--profile`` samples the bot's main thread every millisecond and prints where its time went,
by package (ours, PTB, aiohttp, asyncio, ...).
"""

from __future__ import annotations

import argparse
import collections
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from fake_bot_api import (  # noqa: E402
    TOKEN,
    FakeBotApiServer,
    FakeTelegram,
    Updates,
    private_chat,
)

QUESTIONS = ["/dns mutum", "qual o dns da mutum?", "/bloqueio vmnet", "/senha lasernet W5-1200G"]
FIRST_USER = 60_000
STARTUP_TIMEOUT = 30.0


class TimedTelegram(FakeTelegram):
    """The fake API, noting when each question was queued and when each answer arrived."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.queued: dict[int, collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        self.latencies: list[float] = []
        self.answered = 0
        self.last_answer = 0.0
        self._lock = threading.Lock()

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.queued[update["message"]["chat"]["id"]].append(time.monotonic())
        return super().push(update)

    def handle(self, method: str, params: dict[str, Any], *, wait: bool = True) -> tuple[int, Any]:
        status, body = super().handle(method, params, wait=wait)
        if method == "sendMessage":
            now = time.monotonic()
            with self._lock:
                # Answers of one chat arrive in the order asked (one at a time per chat here).
                waiting = self.queued.get(params.get("chat_id"))  # type: ignore[arg-type]
                if waiting:
                    self.latencies.append(now - waiting.popleft())
                self.answered += 1
                self.last_answer = now
        return status, body

    def reset(self) -> None:
        with self._lock:
            self.latencies, self.answered = [], 0


# --------------------------------------------------------------------------- the bot process


def run_bot(url: str, users: int, kb_dir: Path, state_dir: Path, profile: bool) -> None:
    """The bot as ``upcall-bot run`` runs it, but with the overall rate limit lifted."""
    from bot.app.settings import Settings
    from handlers.runner import load_kb_or_exit
    from handlers.telegram.app import FLOOD_RETRIES, build_application
    from handlers.telegram.transport import ChatRateLimiter

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_url=url,
        agent_ids=list(range(FIRST_USER, FIRST_USER + users)),
        kb_dir=kb_dir,
        audit_file=state_dir / "audit.jsonl",
        notice_state_file=state_dir / "notices.json",
        log_level="WARNING",
    )
    limiter = ChatRateLimiter(overall_max_rate=0, max_retries=FLOOD_RETRIES)
    app = build_application(settings, load_kb_or_exit(settings), rate_limiter=limiter)
    sampler = Sampler(state_dir / "profile.txt") if profile else None
    if sampler is not None:
        sampler.start()
    app.run_polling(timeout=1)
    if sampler is not None:
        sampler.stop()


# --------------------------------------------------------------------------- measuring


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process ``pid`` so far (Linux ``/proc``); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def wait_answers(api: TimedTelegram, count: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while api.answered < count:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.002)
    return True


def burst(api: TimedTelegram, updates: Updates, count: int, users: int) -> tuple[float, int]:
    api.reset()
    batch = []
    for n in range(count):
        person = {"id": FIRST_USER + n % users, "is_bot": False, "first_name": "Agente"}
        batch.append(updates.message(private_chat(person), person, QUESTIONS[n % len(QUESTIONS)]))
    start = time.monotonic()
    for update in batch:
        api.push(update)
    wait_answers(api, count, timeout=120)
    return api.last_answer - start, api.answered


def paced(api: TimedTelegram, updates: Updates, rate: float, seconds: float, users: int) -> int:
    api.reset()
    total = int(rate * seconds)
    start = time.monotonic()
    for n in range(total):
        due = start + n / rate
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        person = {"id": FIRST_USER + n % users, "is_bot": False, "first_name": "Agente"}
        api.push(updates.message(private_chat(person), person, QUESTIONS[n % len(QUESTIONS)]))
    wait_answers(api, total, timeout=60)
    return total


def latency_words(latencies: list[float]) -> str:
    if not latencies:
        return "no answers"
    return (
        f"p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms"
    )


def package_of(filename: str) -> str:
    """Which package a frame's code belongs to: ours, a dependency, or the stdlib."""
    path = filename.replace("\\", "/")
    if "/site-packages/" in path:
        return path.split("/site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if path.startswith("<frozen"):
        return "importlib"
    if "/lib/python3" in path:
        module = path.split("/lib/python3", 1)[1].split("/", 2)[1].removesuffix(".py")
        return f"stdlib {module}"
    for ours in ("bot", "handlers"):
        if f"/{ours}/" in path:
            return f"ours ({ours})"
    return "other"


class Sampler:
    """Where the bot's main thread is, every millisecond: the package and the function of the
    innermost frame (its own time). A statistical profile: unlike cProfile it does not slow every
    call, so the shares hold for async code too."""

    IDLE = "idle (waiting in epoll)"

    def __init__(self, out: Path, every: float = 0.001) -> None:
        self.out, self.every = out, every
        self.own: collections.Counter[str] = collections.Counter()
        self.functions: collections.Counter[str] = collections.Counter()
        self.samples = 0
        self._main = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        sys.setswitchinterval(self.every)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            frame = sys._current_frames().get(self._main)
            if frame is None:
                continue
            self.samples += 1
            name = frame.f_code.co_name
            inner = package_of(frame.f_code.co_filename)
            if inner == "stdlib selectors" and name in ("select", "poll"):
                self.own[self.IDLE] += 1
                continue
            self.own[inner] += 1
            where = frame.f_code.co_filename.rsplit("site-packages/", 1)[-1]
            self.functions[f"{where}:{frame.f_code.co_firstlineno} {name}"] += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        busy = self.samples - self.own[self.IDLE]
        lines = [f"bot main thread, {self.samples} samples ({busy} busy):"]
        for package, count in self.own.most_common(14):
            lines.append(f"  {count / max(1, self.samples) * 100:5.1f} %  {package}")
        lines.append("busiest functions (own time):")
        for function, count in self.functions.most_common(12):
            lines.append(f"  {count / max(1, self.samples) * 100:5.1f} %  {function}")
        self.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--bot", help=argparse.SUPPRESS)  # the child process: the fake's URL
    parser.add_argument("--state", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bot:
        run_bot(args.bot, args.users, ROOT / "knowledge", Path(args.state), args.profile)
        return

    for key in list(os.environ):  # only 127.0.0.1 is ever reached
        if key.upper() in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            del os.environ[key]
    os.environ["NO_PROXY"] = "*"
    api = TimedTelegram()
    updates = Updates()
    with tempfile.TemporaryDirectory() as scratch, FakeBotApiServer(api) as server:
        profile = Path(scratch) / "profile.txt"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--bot",
            server.base_url,
            "--state",
            scratch,
            "--users",
            str(args.users),
            *(["--profile"] if args.profile else []),
        ]
        bot = subprocess.Popen(command, cwd=scratch)
        try:
            api.wait_for("getUpdates", timeout=STARTUP_TIMEOUT, answered=False)
            burst(api, updates, 200, args.users)  # warm-up: connections, caches
            cpu_before = cpu_seconds(bot.pid)
            took, answered = burst(api, updates, args.updates, args.users)
            cpu_after = cpu_seconds(bot.pid)
            burst_latencies = list(api.latencies)
            total = paced(api, updates, args.rate, args.seconds, args.users)
            paced_latencies, paced_answered = list(api.latencies), api.answered
        finally:
            bot.terminate()  # SIGTERM: PTB stops polling and shuts down cleanly
            try:
                bot.wait(timeout=20)
            except subprocess.TimeoutExpired:
                bot.kill()
                bot.wait()

        print(
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"{platform.python_implementation()} {platform.python_version()}; load average "
            + " ".join(f"{x:.2f}" for x in os.getloadavg())
        )
        print(
            "setup: bot process (build_application, real KB, long polling, aiohttp) -> fake Bot "
            "API on 127.0.0.1 in this process; private chats only; the overall rate limit "
            "(30/s) is lifted"
        )
        print(
            f"burst of {args.updates}: {answered} answered in {took:.2f} s = "
            f"{answered / took:.0f} updates/s; latency while queued: "
            f"{latency_words(burst_latencies)}"
        )
        if cpu_before is not None and cpu_after is not None and answered:
            spent = cpu_after - cpu_before
            print(
                f"bot CPU during the burst: {spent:.2f} s = {spent / answered * 1000:.2f} ms per "
                f"update ({spent / took * 100:.0f} % of one core)"
            )
        print(
            f"paced at {args.rate:.0f}/s for {args.seconds:.0f} s: {paced_answered}/{total} "
            f"answered; end-to-end latency {latency_words(paced_latencies)}"
        )
        if profile.exists():
            print(profile.read_text(encoding="utf-8"), end="")


if __name__ == "__main__":
    main()
