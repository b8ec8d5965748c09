"""Every cut of the real provider files: how many a load refuses, and how many of those that still
validate each guard of ``bot.knowledge.guard`` catches. `./uvw run --locked python
bench/torn_files.py [--step N]` (every Nth byte; 1: every byte, about 4 minutes on one core).

A cut file keeps the file's first bytes (an interrupted save, a full disk, a copy stopped
half-way). For each: does the provider still parse and validate (YAML + schema, the loader's own
functions)? If it does: does it stop mid-line (:func:`unfinished_end`)? Does it lose, compared with
the whole file and with ``reviewed:`` unchanged, what :func:`losses` names?"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge.guard import losses, unfinished_end  # noqa: E402
from bot.knowledge.schema import Provider  # noqa: E402
from bot.knowledge.yamlworker import parse  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", type=int, default=1)
    args = parser.parse_args()
    total: Counter[str] = Counter()
    for path in sorted((ROOT / "knowledge" / "providers").glob("*.yaml")):
        data = path.read_bytes()
        whole = Provider.model_validate(parse(data.decode("utf-8"))[1])
        counts: Counter[str] = Counter()
        for size in range(1, len(data), args.step):
            text = data[:size].decode("utf-8", errors="ignore")
            counts["cuts"] += 1
            try:
                _, parsed = parse(text)
                cut = Provider.model_validate(parsed)
            except (yaml.YAMLError, ValidationError):
                counts["refused by the load"] += 1
                continue
            counts["validate"] += 1
            mid_line = unfinished_end(text) is not None
            shrunk = bool(losses(whole, cut))
            counts["mid-line"] += mid_line
            counts["shrunk"] += shrunk
            counts["neither"] += not (mid_line or shrunk)
        print(f"{path.name}: {dict(counts)}")
        total.update(counts)
    valid = total["validate"]
    print(f"all: {dict(total)}")
    for key in ("mid-line", "shrunk", "neither"):
        print(f"  {key}: {total[key]} of {valid} that validate ({100 * total[key] / valid:.2f} %)")


if __name__ == "__main__":
    main()
