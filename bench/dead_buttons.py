"""Buttons that lead to "the document does not say": every bench question's reply, each of its
buttons followed one level (the button's ``ask`` answered as if typed).

    ./uvw run --locked python bench/dead_buttons.py [--questions FILE ...]

Prints how many buttons were followed, how many land on ``no_info``, how many of those the
button's label announced (``bot.answers.messages.NOT_IN_DOCUMENT_BUTTON``), how many announced
ones answer after all (should be 0); then each unannounced one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answers import messages as msg  # noqa: E402
from bot.answers.core import answer  # noqa: E402
from bot.answers.reply import ReplyKind  # noqa: E402
from bot.knowledge.kb import load_kb  # noqa: E402

NOW = dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
SETS = [
    "questions.yaml",
    "blind_questions.yaml",
    *(f"blind{n}_questions.yaml" for n in range(2, 8)),
]


def _texts(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [*data.get("questions", []), *data.get("holdout", []), *data.get("abstain", [])]
    return [item["q"] for item in items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--questions", type=Path, nargs="*", default=[ROOT / "bench" / s for s in SETS]
    )
    args = parser.parse_args()
    kb = load_kb(ROOT / "knowledge")
    marker = msg.NOT_IN_DOCUMENT_BUTTON.replace("{provider}", "").strip()
    questions = followed = dead = announced = wrongly = 0
    unannounced: list[str] = []
    for path in args.questions:
        for text in _texts(path):
            questions += 1
            for button in answer(kb, text, NOW).buttons:
                followed += 1
                if answer(kb, button.ask, NOW).kind is not ReplyKind.NO_INFO:
                    wrongly += marker in button.label
                    continue
                dead += 1
                if marker in button.label:
                    announced += 1
                else:
                    unannounced.append(f"  {text!r} -> [{button.label}] {button.ask}")
    print(
        f"{questions} questions, {followed} buttons followed: {dead} lead to no_info, "
        f"{announced} of them announced on the button, {len(unannounced)} unannounced; "
        f"{wrongly} buttons announced so that do answer"
    )
    print("\n".join(unannounced))


if __name__ == "__main__":
    main()
