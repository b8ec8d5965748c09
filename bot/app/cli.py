"""The ``upcall-bot`` command line (also ``python -m bot``).

upcall-bot                      the configured channels (Telegram, WhatsApp), else the console
upcall-bot run                  every configured channel: one KB, one scheduler
upcall-bot whatsapp connect     register the bot's webhook in the Evolution instance
upcall-bot whatsapp groups [--json]   the instance's WhatsApp groups: id and name
upcall-bot console              interactive console, plain-text answers
upcall-bot ask "TEXT"           one answer as plain text, the console's (--html: the Telegram HTML)
upcall-bot ask --json           one query per stdin line -> {"ask": ..., "reply": HTML} per line
upcall-bot kb validate [DIR|FILE] [--kb DIR]   load and validate the knowledge base
upcall-bot kb test [FILE...]    supervisors' regression cases (default knowledge/tests.yaml)
upcall-bot kb lint              warnings (exit 0) and errors (exit 1) of a valid KB
upcall-bot kb import DOCUMENT [--id ID] [--name NAME] [--kb DIR] [--seeds DIR] [--force]
                                a draft providers/<id>.yaml from an ISP's procedures document
upcall-bot coverage [--at T] [--json]               who UPCALL covers at T (default: now)
upcall-bot notices --from T1 --to T2 [--provider ID] [--json]   open/close/mode notices in [T1, T2)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from bot.answers import messages as msg
from bot.app.settings import (
    Settings,
    address_problems,
    path_problems,
    read_settings,
    state_problems,
    token_given,
    token_problem,
    unknown_thread_providers,
    whatsapp_problems,
)
from bot.knowledge.derive import build_all
from bot.knowledge.kb import KB, PROVIDERS_DIR, KBError, load_kb
from bot.knowledge.schema import Provider


def _parse_now(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"data/hora ISO 8601 inválida: {value!r}") from exc
    from bot.coverage.engine import EARLIEST, LATEST, supported

    if not supported(parsed):
        raise argparse.ArgumentTypeError(
            f"data fora do intervalo calculado ({EARLIEST:%d/%m/%Y} a {LATEST:%d/%m/%Y}): {value!r}"
        )
    return parsed


def _now(args: argparse.Namespace, settings: Settings) -> dt.datetime:
    tz = ZoneInfo(settings.timezone)
    now: dt.datetime | None = getattr(args, "now", None)
    if now is None:
        return dt.datetime.now(tz)
    return now if now.tzinfo else now.replace(tzinfo=tz)


def _load(directory: Path, settings: Settings) -> KB | None:
    try:
        return load_kb(directory, secrets_file=settings.kb_secrets_file, against_commit=True)
    except KBError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problema(s) na base de conhecimento.", file=sys.stderr)
        return None


def _kb_dir(args: argparse.Namespace, settings: Settings) -> Path:
    """``--kb DIR``, else the positional ``DIR`` (``kb lint DIR``), else KB_DIR."""
    chosen: Path | None = getattr(args, "kb", None) or getattr(args, "dir", None)
    return chosen or settings.kb_dir


# --------------------------------------------------------------------------- subcommands


def cmd_kb_validate(args: argparse.Namespace, settings: Settings) -> int:
    """``kb validate [DIR|FILE]``: the whole KB (seeds included), or one of its files."""
    from bot.knowledge.kb import seed_problems, validate_file

    if args.kb and args.dir and args.kb != args.dir:
        print(
            f"indique a base uma vez: --kb {args.kb} ou {args.dir}, não os dois.", file=sys.stderr
        )
        return 2
    target: Path = args.kb or args.dir or settings.kb_dir
    if target.is_file() or target.suffix in (".yaml", ".yml"):
        problems = validate_file(target, settings.kb_secrets_file)
        if not problems:
            print(f"OK: {target}")
            return 0
    else:
        kb = _load(target, settings)
        if kb is None:
            return 1
        problems = seed_problems(kb)
        if not problems:
            print(f"OK: {len(kb.providers)} provedores, {len(kb.topics)} tópicos.")
            return 0
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problema(s) na base de conhecimento.", file=sys.stderr)
    return 1


def cmd_kb_test(args: argparse.Namespace, settings: Settings) -> int:
    from bot.knowledge.regression import describe_failure, run_suites

    kb_dir = _kb_dir(args, settings)
    kb = _load(kb_dir, settings)
    if kb is None:
        return 1
    files = args.files or [kb_dir / "tests.yaml"]
    outcomes, problems = run_suites(kb, files, _now(args, settings))
    for problem in problems:
        print(problem, file=sys.stderr)
    failed = [o for o in outcomes if not o.passed]
    for outcome in failed:
        print(describe_failure(outcome))
    print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed or problems else 0


def cmd_kb_lint(args: argparse.Namespace, settings: Settings) -> int:
    from bot.knowledge.lint import Level, lint

    kb = _load(_kb_dir(args, settings), settings)
    if kb is None:
        return 1
    findings = lint(kb, _now(args, settings).date(), settings.kb_stale_days)
    for finding in findings:
        print(finding)
    errors = sum(f.level is Level.ERROR for f in findings)
    print(f"{errors} erro(s), {len(findings) - errors} aviso(s).")
    return 1 if errors else 0


def cmd_kb_import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.knowledge.importer import ImportFailure, import_document

    try:
        result = import_document(
            args.document,
            kb_dir=_kb_dir(args, settings),
            seeds_dir=args.seeds,
            provider_id=args.id,
            name=args.name,
            force=args.force,
            # The same "today" as `kb lint` (TIMEZONE's), not the machine's: on a UTC server at
            # 22:00 in Brasília the machine's date is already tomorrow, "no futuro" for lint.
            today=_now(args, settings).date(),
            secrets_file=settings.kb_secrets_file,
        )
    except ImportFailure as exc:
        print(f"Erro: {exc}", file=sys.stderr)
        return 1
    print(result.report, end="")
    print(
        f"Rascunho: {result.draft_path}; relatório: {result.report_path}; texto: {result.seed_path}"
    )
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.answers.core import answer
    from bot.answers.render import to_plain
    from bot.answers.render.telegram import to_html

    kb = _load(_kb_dir(args, settings), settings)
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
    # A supervisor reads it at a terminal (README's step): plain text, as the console shows it;
    # --html (and --json, for tools) give what Telegram would be sent.
    render = to_html if args.html else to_plain
    print(render(answer(kb, " ".join(args.text), now)))
    return 0


def _aware(value: dt.datetime, settings: Settings) -> dt.datetime:
    """A naive ISO time is read on UPCALL's clock (``TIMEZONE``, America/Sao_Paulo)."""
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(settings.timezone))


def _iso(value: dt.datetime | None, settings: Settings) -> str | None:
    if value is None:
        return None
    return value.astimezone(ZoneInfo(settings.timezone)).isoformat()


def coverage_row(provider: Provider, at: dt.datetime, zone: ZoneInfo) -> dict[str, object]:
    """One provider's row of ``coverage --json``."""
    from bot.coverage.engine import coverage_status

    status = coverage_status(provider, at)

    def iso(value: dt.datetime | None) -> str | None:
        return None if value is None else value.astimezone(zone).isoformat()

    return {
        "id": provider.id,
        "name": provider.name,
        "covered": status.covered,
        "mode": status.mode,
        "until": iso(status.until),
        "next_start": iso(status.next_start),
    }


def cmd_coverage(args: argparse.Namespace, settings: Settings) -> int:
    kb = _load(_kb_dir(args, settings), settings)
    if kb is None:
        return 1
    at = _aware(args.at, settings) if args.at else dt.datetime.now(ZoneInfo(settings.timezone))
    zone = ZoneInfo(settings.timezone)
    rows = [coverage_row(provider, at, zone) for provider in kb.providers.values()]
    if args.json:
        out = {"at": _iso(at, settings), "providers": rows}
        print(json.dumps(out, ensure_ascii=False))
        return 0
    from bot.answers.render.plain import to_plain
    from bot.coverage.answers import now_reply

    print(to_plain(replace(now_reply(kb, at), buttons=())))  # no console here to pick one
    return 0


_EVENT_WORDS = {"open": "início", "close": "fim", "mode": "troca de modo"}
_MODE_WORDS = {"full": msg.MODE_FULL, "overflow": msg.MODE_OVERFLOW}
"""The modes in the words the bot uses (``--json`` keeps the YAML's: a contract)."""


def cmd_notices(args: argparse.Namespace, settings: Settings) -> int:
    from bot.coverage.engine import notices

    kb = _load(_kb_dir(args, settings), settings)
    if kb is None:
        return 1
    start, end = _aware(args.start, settings), _aware(args.end, settings)
    if end < start:
        print("--to deve ser depois de --from.", file=sys.stderr)
        return 2
    providers = list(kb.providers.values())
    if args.provider:
        if args.provider not in kb.providers:
            known = ", ".join(kb.providers)
            print(f"provedor desconhecido: {args.provider!r} (use: {known})", file=sys.stderr)
            return 2
        providers = [kb.providers[args.provider]]
    events = notices(providers, start, end)
    if args.json:
        rows = [
            {"at": _iso(e.at, settings), "provider": e.provider, "event": e.event, "mode": e.mode}
            for e in events
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    zone = ZoneInfo(settings.timezone)
    for e in events:
        name = kb.providers[e.provider].name
        mode = f" ({_MODE_WORDS.get(e.mode, e.mode)})" if e.mode else ""
        print(f"{e.at.astimezone(zone):%d/%m/%Y %H:%M} {name}: {_EVENT_WORDS[e.event]}{mode}")
    if not events:
        print("Nenhum aviso no período.")
    return 0


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app.console import run_console

    kb = _load(_kb_dir(args, settings), settings)
    if kb is None:
        return 1
    build_all(kb)  # before the prompt, not at the first question
    fixed = getattr(args, "now", None)
    return run_console(
        kb,
        settings=settings,
        kb_dir=_kb_dir(args, settings),
        now=(lambda: _now(args, settings)) if fixed else None,
        tz=ZoneInfo(settings.timezone),
    )


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Every configured channel (Telegram, WhatsApp) in one process: ``handlers.runner``."""
    from handlers.runner import run

    if getattr(args, "kb", None):
        settings = settings.model_copy(update={"kb_dir": args.kb})
    return run(settings)


def cmd_default(args: argparse.Namespace, settings: Settings) -> int:
    """No subcommand: the configured channels, or the offline console when none is."""
    from handlers.runner import configured_channels

    if configured_channels(settings):
        return cmd_run(args, settings)
    return cmd_console(args, settings)


def cmd_whatsapp_connect(args: argparse.Namespace, settings: Settings) -> int:
    from handlers.whatsapp.cli import connect

    return connect(settings)


def cmd_whatsapp_groups(args: argparse.Namespace, settings: Settings) -> int:
    from handlers.whatsapp.cli import groups

    return groups(settings, as_json=args.json)


# --------------------------------------------------------------------------- parser

_USAGE_ERRORS = (
    (r"unrecognized arguments: (.*)", "argumento(s) não reconhecido(s): {0}"),
    (r"the following arguments are required: (.*)", "falta(m) o(s) argumento(s): {0}"),
    (r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.*)\)",
     "{0}: opção inválida: {1} (escolha entre {2})"),
    (r"argument (\S+): expected one argument", "{0}: falta o valor"),
    (r"argument (\S+): expected .*", "{0}: número errado de valores"),
    (r"argument (\S+): invalid (\S+) value: (.*)", "{0}: valor inválido: {2}"),
    (r"argument (\S+): not allowed with argument (\S+)", "{0}: não pode ser usado com {1}"),
    (r"argument (\S+): (.*)", "{0}: {1}"),
    (r"ambiguous option: (\S+) could match (.*)", "opção ambígua: {0} (pode ser {1})"),
)  # fmt: skip


def usage_error_pt(message: str) -> str:
    """argparse's English usage error in Portuguese (one line)."""
    for pattern, wording in _USAGE_ERRORS:
        found = re.fullmatch(pattern, message.strip(), flags=re.DOTALL)
        if found:
            return wording.format(*found.groups())
    return f"uso inválido: {message}"


class HelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with its usage errors in one pt-BR line (exit 2), and its help in pt-BR too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opções"
        self.add_argument("-h", "--help", action="help", help="mostra esta ajuda e sai")

    def error(self, message: str) -> NoReturn:
        line = " ".join(usage_error_pt(message).split())
        self.exit(2, f"{self.prog}: {line} (ajuda: {self.prog} -h)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="upcall-bot",
        description="UPCALL: regras dos provedores no Telegram, no WhatsApp ou no console.",
    )
    parser.set_defaults(func=cmd_default)
    sub = parser.add_subparsers(dest="command", metavar="COMANDO")

    def with_kb(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--kb", type=Path, help="diretório da base (padrão: KB_DIR ou knowledge/)")
        return p

    run = with_kb(sub.add_parser("run", help="inicia o bot nos canais configurados"))
    run.set_defaults(func=cmd_run)

    console = with_kb(sub.add_parser("console", help="console interativo (sem Telegram)"))
    console.add_argument("--now", type=_parse_now, help="fixa o relógio (ISO 8601)")
    console.set_defaults(func=cmd_console)

    ask = with_kb(sub.add_parser("ask", help="responde uma pergunta em texto, como o console"))
    ask.add_argument("text", nargs="*", help="a pergunta ou comando, ex.: /dns mutum")
    ask.add_argument("--html", action="store_true", help="o HTML que iria para o Telegram")
    ask.add_argument(
        "--json", action="store_true", help="uma pergunta por linha da entrada (resposta em HTML)"
    )
    ask.add_argument("--now", type=_parse_now, help="fixa o relógio (ISO 8601)")
    ask.set_defaults(func=cmd_ask)

    cov = with_kb(sub.add_parser("coverage", help="quem a UPCALL cobre num momento"))
    cov.add_argument("--at", type=_parse_now, help="momento (ISO 8601; sem fuso: Brasília)")
    cov.add_argument("--json", action="store_true", help="saída JSON")
    cov.set_defaults(func=cmd_coverage)

    notice = with_kb(sub.add_parser("notices", help="avisos de início/fim/troca de cobertura"))
    notice.add_argument("--from", dest="start", type=_parse_now, required=True, help="ISO 8601")
    notice.add_argument("--to", dest="end", type=_parse_now, required=True, help="ISO 8601")
    notice.add_argument("--provider", help="só este provedor (id)")
    notice.add_argument("--json", action="store_true", help="saída JSON")
    notice.set_defaults(func=cmd_notices)

    whatsapp = sub.add_parser("whatsapp", help="ferramentas do WhatsApp (Evolution API)")
    wa_sub = whatsapp.add_subparsers(dest="whatsapp_command", required=True, metavar="SUBCOMANDO")
    wa_connect = wa_sub.add_parser("connect", help="registra o webhook do bot na instância")
    wa_connect.set_defaults(func=cmd_whatsapp_connect)
    wa_groups = wa_sub.add_parser("groups", help="lista os grupos da instância (id e nome)")
    wa_groups.add_argument("--json", action="store_true", help="saída JSON")
    wa_groups.set_defaults(func=cmd_whatsapp_groups)

    kb = sub.add_parser("kb", help="ferramentas da base de conhecimento")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="SUBCOMANDO")
    validate = with_kb(
        kb_sub.add_parser("validate", help="carrega e valida a base, ou um arquivo dela")
    )
    validate.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=None,
        metavar="DIR|ARQUIVO",
        help="padrão: --kb ou KB_DIR; caminhos relativos partem do diretório atual",
    )
    validate.set_defaults(func=cmd_kb_validate)
    test = with_kb(kb_sub.add_parser("test", help="roda os casos de regressão da base"))
    test.add_argument("files", nargs="*", type=Path, help="padrão: <KB_DIR>/tests.yaml")
    test.add_argument("--now", type=_parse_now, help="relógio padrão dos casos (ISO 8601)")
    test.set_defaults(func=cmd_kb_test)
    lint_ = with_kb(kb_sub.add_parser("lint", help="avisos e erros de uma base válida"))
    lint_.add_argument(
        "dir", nargs="?", type=Path, default=None, metavar="DIR", help="padrão: --kb ou KB_DIR"
    )
    lint_.add_argument("--now", type=_parse_now, help="data de referência (ISO 8601)")
    lint_.set_defaults(func=cmd_kb_lint)
    imp = with_kb(
        kb_sub.add_parser("import", help="rascunho do YAML de um provedor a partir do documento")
    )
    imp.add_argument("document", type=Path, help="documento de procedimentos (.txt, .docx, .pdf)")
    imp.add_argument("--id", help="id do provedor (padrão: derivado do nome)")
    imp.add_argument("--name", help="nome do provedor (padrão: primeira linha do documento)")
    imp.add_argument("--seeds", type=Path, default=Path("seeds"), help="pasta dos documentos")
    imp.add_argument("--force", action="store_true", help="substitui um provedor existente")
    imp.set_defaults(func=cmd_kb_import)
    return parser


NEEDS_TOKEN = frozenset({"run"})


def _another_channel(settings: Settings) -> bool:
    """A channel other than Telegram is configured (WhatsApp): ``run`` needs no token then."""
    from handlers.runner import configured_channels

    return any(spec.name != "telegram" for spec in configured_channels(settings))


def settings_problems(args: argparse.Namespace) -> tuple[Settings, list[str]]:
    """Every setting checked before anything starts, whatever the mode: all problems at once."""
    settings, problems = read_settings()
    command = getattr(args, "command", None)
    wants_token = command in NEEDS_TOKEN or (command is None and token_given())
    if wants_token and not token_given() and not _another_channel(settings):
        problems.append(token_problem())
    chosen = getattr(args, "kb", None) or getattr(args, "dir", None)
    problems += path_problems(settings, kb_dir=chosen is None)
    problems += address_problems(settings)
    if command in NEEDS_TOKEN or (command is None and (token_given() or settings.has_whatsapp)):
        problems += state_problems(settings)  # `run` writes them; the other modes do not
        if settings.has_whatsapp:  # here, not once the KB has loaded (seconds later)
            problems += whatsapp_problems(settings)
    if settings.notice_threads:
        providers = _kb_dir(args, settings) / PROVIDERS_DIR
        if providers.is_dir():
            ids = [p.stem for p in providers.glob("*.yaml")]
            problems += unknown_thread_providers(settings, ids)
    return settings, problems


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings, problems = settings_problems(args)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return 2
    try:
        return int(args.func(args, settings))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``upcall-bot ask ... | head``): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
