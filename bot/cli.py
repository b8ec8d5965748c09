"""The ``upcall-bot`` command line (also ``python -m bot``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.kb import KBError, load_kb


def _kb_validate(args: argparse.Namespace) -> int:
    try:
        kb = load_kb(args.dir)
    except KBError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problema(s) na base de conhecimento.", file=sys.stderr)
        return 1
    print(f"OK: {len(kb.providers)} provedores, {len(kb.topics)} tópicos.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="upcall-bot")
    sub = parser.add_subparsers(dest="command")
    kb = sub.add_parser("kb", help="knowledge base tools")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    validate = kb_sub.add_parser("validate", help="load and validate the KB")
    validate.add_argument("dir", nargs="?", type=Path, default=Path("knowledge"))
    validate.set_defaults(func=_kb_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
