"""Answer latency and KB load time on the real KB. Prints figures; asserts nothing.

./uvw run python bench/latency.py [--rounds N] [--cpu]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
import tracemalloc
from pathlib import Path

from scale import measure_answers  # bench/ is on sys.path when run as a script

from bot.answers.core import answer
from bot.coverage.picture import render_png
from bot.knowledge.kb import load_kb

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "/senha lasernet W5-1200G",
    "/senha vm net huawei v5",
    "/bloqueio vmnet",
    "/dns mutun",
    "/provedor sejafibra",
    "/dnss mutum",
    "qual o dns da mutum?",
    "cliente caboimagem quer cancelar",
    "qnts dias p bloquear vmnet",
    "senha do roteador W4-300F da lasernet",
    "bom dia pessoal",
    "/agora",
    "/agora mutum",
    "/escala",
    "/horario vmnet",
    "/buscar MG Cobranças",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time each answer by this thread's CPU time (a loaded machine's waits left out)",
    )
    args = parser.parse_args()
    rounds = args.rounds

    loads = []
    for _ in range(10):
        start = time.perf_counter()
        kb = load_kb(ROOT / "knowledge")
        loads.append(time.perf_counter() - start)
    tracemalloc.start()
    load_kb(ROOT / "knowledge")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    now = dt.datetime.now(dt.UTC)
    timer = time.thread_time if args.cpu else time.perf_counter
    median_ms, p99_ms = measure_answers(kb, QUERIES, rounds, timer)
    print(
        f"machine: {platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}"
    )
    print(
        f"kb load+validate (5 ISPs): median {statistics.median(loads) * 1000:.1f} ms, "
        f"peak memory {peak / 1024 / 1024:.1f} MiB"
    )
    print(
        f"answer+render ({len(QUERIES) * rounds} queries{', CPU time' if args.cpu else ''}): "
        "median "
        f"{median_ms:.3f} ms, p99 {p99_ms:.3f} ms"
    )
    for ask in ("/escala", "/escala semana"):
        timeline = answer(kb, ask, now).timeline
        assert timeline is not None
        render_png(timeline)  # fonts load once per process
        spent = []
        for _ in range(20):
            start = time.perf_counter()
            render_png(timeline)
            spent.append(time.perf_counter() - start)
        print(f"{ask} picture: median {statistics.median(spent) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
