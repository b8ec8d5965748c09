"""The offline console: the same answers as the bot, as plain text, at a prompt.

A number picks one of the options listed under the last answer (the console's buttons).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import Button
from bot.knowledge.kb import KB

BANNER = (
    "UPCALL — console offline ({providers} provedores). "
    "/ajuda para os comandos, sair para encerrar."
)
PROMPT = "upcall> "
QUIT_WORDS = frozenset({"sair", "exit", "quit", "/sair"})
NO_SUCH_OPTION = "Opção {number} não existe. Escolha de 1 a {count}."


def run_console(
    kb: KB,
    *,
    now: Callable[[], dt.datetime] | None = None,
    tz: ZoneInfo | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    clock = now or (lambda: dt.datetime.now(tz))
    interactive = source.isatty()
    print(BANNER.format(providers=len(kb.providers)), file=out, flush=True)
    options: tuple[Button, ...] = ()
    while True:
        if interactive:
            print(PROMPT, end="", file=out, flush=True)
        line = source.readline()
        if not line:
            return 0
        query = line.strip()
        if query.casefold() in QUIT_WORDS:
            return 0
        if query.isdigit() and options:
            number = int(query)
            if not 1 <= number <= len(options):
                print(NO_SUCH_OPTION.format(number=number, count=len(options)), file=out)
                continue
            query = options[number - 1].ask
            print(f"» {query}", file=out)
        if not query:
            continue
        reply = answer(kb, query, clock())
        options = reply.buttons
        print(to_plain(reply) + "\n", file=out, flush=True)
