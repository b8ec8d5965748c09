"""The ``upcall-bot`` command line (also ``python -m bot``).

upcall-bot                      Telegram bot if a token is configured, else the offline console
upcall-bot run                  the Telegram bot
upcall-bot console              interactive console, plain-text answers
upcall-bot ask "TEXT"           one answer, printed as the Telegram HTML it would send
upcall-bot ask --json           one query per stdin line -> {"ask": ..., "reply": ...} per line
upcall-bot kb validate [DIR]    load and validate the knowledge base
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from bot.kb import KB, KBError, load_kb
from bot.settings import Settings


def _parse_now(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"data/hora ISO 8601 inválida: {value!r}") from exc
    return parsed


def _now(args: argparse.Namespace, settings: Settings) -> dt.datetime:
    tz = ZoneInfo(settings.timezone)
    now: dt.datetime | None = getattr(args, "now", None)
    if now is None:
        return dt.datetime.now(tz)
    return now if now.tzinfo else now.replace(tzinfo=tz)


def _load(directory: Path) -> KB | None:
    try:
        return load_kb(directory)
    except KBError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problema(s) na base de conhecimento.", file=sys.stderr)
        return None


def _kb_dir(args: argparse.Namespace, settings: Settings) -> Path:
    chosen: Path | None = getattr(args, "kb", None)
    return chosen or settings.kb_dir


# --------------------------------------------------------------------------- subcommands


def cmd_kb_validate(args: argparse.Namespace, settings: Settings) -> int:
    kb = _load(args.dir or settings.kb_dir)
    if kb is None:
        return 1
    print(f"OK: {len(kb.providers)} provedores, {len(kb.topics)} tópicos.")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core import answer
    from bot.render import to_html

    kb = _load(_kb_dir(args, settings))
    if kb is None:
        return 1
    now = _now(args, settings)
    if args.json:
        for line in sys.stdin:
            query = line.rstrip("\r\n")
            if not query.strip():
                continue
            reply = to_html(answer(kb, query, now))
            print(json.dumps({"ask": query, "reply": reply}, ensure_ascii=False), flush=True)
        return 0
    if not args.text:
        print(
            'uso: upcall-bot ask "TEXTO"  ou  upcall-bot ask --json < perguntas.txt',
            file=sys.stderr,
        )
        return 2
    print(to_html(answer(kb, " ".join(args.text), now)))
    return 0


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console

    kb = _load(_kb_dir(args, settings))
    if kb is None:
        return 1
    fixed = getattr(args, "now", None)
    return run_console(
        kb, now=(lambda: _now(args, settings)) if fixed else None, tz=ZoneInfo(settings.timezone)
    )


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.has_token:
        print("TELEGRAM_BOT_TOKEN não configurado (veja .env.example).", file=sys.stderr)
        return 2
    from bot.app import run_bot

    if getattr(args, "kb", None):
        settings = settings.model_copy(update={"kb_dir": args.kb})
    run_bot(settings)
    return 0


def cmd_default(args: argparse.Namespace, settings: Settings) -> int:
    """No subcommand: the bot when a token is configured, otherwise the offline console."""
    if settings.has_token:
        return cmd_run(args, settings)
    return cmd_console(args, settings)


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="upcall-bot",
        description="UPCALL: regras dos provedores no Telegram ou no console.",
    )
    parser.set_defaults(func=cmd_default)
    sub = parser.add_subparsers(dest="command", metavar="COMANDO")

    def with_kb(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--kb", type=Path, help="diretório da base (padrão: KB_DIR ou knowledge/)")
        return p

    run = with_kb(sub.add_parser("run", help="inicia o bot do Telegram"))
    run.set_defaults(func=cmd_run)

    console = with_kb(sub.add_parser("console", help="console interativo (sem Telegram)"))
    console.add_argument("--now", type=_parse_now, help="fixa o relógio (ISO 8601)")
    console.set_defaults(func=cmd_console)

    ask = with_kb(sub.add_parser("ask", help="responde uma pergunta e imprime o HTML"))
    ask.add_argument("text", nargs="*", help="a pergunta ou comando, ex.: /dns mutum")
    ask.add_argument("--json", action="store_true", help="uma pergunta por linha da entrada")
    ask.add_argument("--now", type=_parse_now, help="fixa o relógio (ISO 8601)")
    ask.set_defaults(func=cmd_ask)

    kb = sub.add_parser("kb", help="ferramentas da base de conhecimento")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="SUBCOMANDO")
    validate = kb_sub.add_parser("validate", help="carrega e valida a base")
    validate.add_argument("dir", nargs="?", type=Path, default=None)
    validate.set_defaults(func=cmd_kb_validate)
    return parser


def load_settings() -> Settings | None:
    """Settings from the environment and ``.env``; a readable error instead of a traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors():
            name = ".".join(str(p) for p in error["loc"]).upper()
            print(f"Configuração inválida: {name}: {error['msg']}", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings()
    if settings is None:
        return 2
    try:
        return int(args.func(args, settings))
    except KeyboardInterrupt:
        return 130
