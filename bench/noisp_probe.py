"""Questions that name no ISP: how many are answered for one anyway (a clue read in an ordinary
word). `./uvw run --locked python bench/noisp_probe.py [--questions FILE]`: the count, then each
such question with the reply's kind, ISP/topic and the why-line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answers.core import answer  # noqa: E402
from bot.answers.render import to_plain  # noqa: E402
from bot.knowledge.kb import load_kb  # noqa: E402

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "bench" / "noisp_probe.yaml")
    args = parser.parse_args()
    texts: list[str] = yaml.safe_load(args.questions.read_text(encoding="utf-8"))["questions"]
    kb = load_kb(ROOT / "knowledge")
    named = []
    for text in texts:
        reply = answer(kb, text, NOW)
        if reply.provider_id:
            why = next((line for line in to_plain(reply).splitlines() if "→" in line), "")
            named.append(
                f"  {text!r}: {reply.kind.value} {reply.provider_id}/{reply.topic_id} {why}"
            )
    print(f"{args.questions.name}: {len(named)} of {len(texts)} answered for an ISP")
    print("\n".join(named))


if __name__ == "__main__":
    main()
