"""KB load time, memory and answer latency on the real KB and on a synthetic KB of many ISPs.

    ./uvw run python bench/scale.py [--isps 500] [--rounds 20]

The synthetic ISPs are copies of the five real ones under new ids, names and aliases, so every
topic and equipment table is realistic. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import resource
import shutil
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.answers.core import answer
from bot.answers.render.telegram import to_html
from bot.knowledge import kb as kb_module
from bot.knowledge.kb import KB, ParseCache, load_kb

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = ["ra", "to", "ne", "ki", "lu", "ma", "so", "vi", "de", "po", "fa", "gu"]


def synthetic_name(index: int) -> str:
    a, b, c = index % 12, (index // 12) % 12, (index // 144) % 12
    return f"{SYLLABLES[a].title()}{SYLLABLES[b]}{SYLLABLES[c]} Net {index}"


def write_synthetic_kb(target: Path, count: int) -> Path:
    kb_dir = target / "knowledge"
    (kb_dir / "providers").mkdir(parents=True)
    shutil.copy(ROOT / "knowledge" / "topics.yaml", kb_dir / "topics.yaml")
    templates = [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "knowledge" / "providers").glob("*.yaml"))
    ]
    for index in range(count):
        data = dict(templates[index % len(templates)])
        name = synthetic_name(index)
        data["id"] = f"isp{index:04d}"
        data["name"] = name
        data["aliases"] = [name.replace(" ", "")]
        data["lookalikes"] = []
        # The template's own names in its texts ("sejafibra.com.br", a login "sejafibra") are
        # the copy's: a password equal to an ISP's name is no secret, so left as the template's
        # they would read as a known password outside the secret topics.
        template = templates[index % len(templates)]
        text = yaml.safe_dump(data, allow_unicode=True)
        for old in sorted({template["id"], *template.get("aliases", [])}, key=len, reverse=True):
            if len(old) >= 5 and " " not in old:
                text = re.sub(re.escape(old), data["id"], text, flags=re.IGNORECASE)
        path = kb_dir / "providers" / f"isp{index:04d}.yaml"
        path.write_text(text, encoding="utf-8")
    return kb_dir


def measure_load(
    kb_dir: Path, repeats: int, *, one_process: bool = False
) -> tuple[KB, float, float]:
    """A first load, as the bot starts: nothing cached yet (it fills its parse cache). A large KB
    parses part of its files in a second process (bot.knowledge.yamlworker); ``one_process``
    forbids it,
    for comparison. The memory is this process's peak (tracemalloc), the second one's aside."""
    saved = kb_module.PARALLEL_MIN_BYTES
    if one_process:
        kb_module.PARALLEL_MIN_BYTES = 1 << 62
    try:
        times = []
        kb = load_kb(kb_dir)
        for _ in range(repeats):
            start = time.perf_counter()
            kb = load_kb(kb_dir, cache=ParseCache())
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        load_kb(kb_dir, cache=ParseCache())
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        kb_module.PARALLEL_MIN_BYTES = saved
    return kb, statistics.median(times), peak / 2**20


def measure_reload(kb_dir: Path, repeats: int) -> float:
    """A reload after one provider file changed, as the bot does it: the KB holder's parse cache
    has every other file from the load before."""
    cache = ParseCache()
    load_kb(kb_dir, cache=cache)
    edited = sorted((kb_dir / "providers").glob("*.yaml"))[0]
    original = edited.read_text(encoding="utf-8")
    times = []
    for n in range(repeats):
        edited.write_text(original + f"# edit {n}\n", encoding="utf-8")
        start = time.perf_counter()
        load_kb(kb_dir, cache=cache)
        times.append(time.perf_counter() - start)
    edited.write_text(original, encoding="utf-8")
    return statistics.median(times)


def measure_answers(
    kb: KB, queries: list[str], rounds: int, timer: Callable[[], float] = time.perf_counter
) -> tuple[float, float]:
    """Median and p99 milliseconds per answer; ``timer=time.thread_time`` counts only this
    thread's CPU time, not the time a loaded machine gives other processes."""
    now = dt.datetime.now(dt.UTC)
    for query in queries:
        to_html(answer(kb, query, now))
    samples = []
    for _ in range(rounds):
        for query in queries:
            start = timer()
            to_html(answer(kb, query, now))
            samples.append(timer() - start)
    samples.sort()
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.99) - 1] * 1000


def queries_for(kb: KB) -> list[str]:
    ids = list(kb.providers)
    picks = [ids[0], ids[len(ids) // 2], ids[-1]]
    out = []
    for pid in picks:
        name = kb.providers[pid].name
        out += [
            f"/dns {pid}",
            f"/bloqueio {name.lower()}",
            f"/senha {pid}",
            f"qual o dns da {name}?",
            f"/provedor {pid}",
        ]
    out += ["/dnss x", "bom dia pessoal", "/ajuda"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--isps", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}"
    )
    real, load_s, peak = measure_load(ROOT / "knowledge", 10)
    extra = ["/senha lasernet W5-1200G", "cliente caboimagem quer cancelar", "qnts dias p vmnet"]
    median, p99 = measure_answers(real, [*queries_for(real), *extra], args.rounds * 10)
    print(
        f"real KB ({len(real.providers)} ISPs): load+validate {load_s * 1000:.1f} ms, "
        f"peak Python memory {peak:.1f} MiB; answer median {median:.3f} ms, p99 {p99:.3f} ms"
    )
    with tempfile.TemporaryDirectory() as tmp:
        kb_dir = write_synthetic_kb(Path(tmp), args.isps)
        big, load_s, peak = measure_load(kb_dir, 3)
        _, serial_s, _ = measure_load(kb_dir, 3, one_process=True)
        reload_s = measure_reload(kb_dir, 3)
        median, p99 = measure_answers(big, queries_for(big), args.rounds)
        print(
            f"synthetic KB ({len(big.providers)} ISPs): load+validate {load_s:.2f} s "
            f"(in one process: {serial_s:.2f} s; a reload after one file changed: "
            f"{reload_s:.2f} s), peak Python memory {peak:.1f} MiB; answer median "
            f"{median:.3f} ms, p99 {p99:.3f} ms"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
