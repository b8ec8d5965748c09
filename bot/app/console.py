"""The offline console: the same bot as in Telegram, as plain text, at a prompt.

Every command Telegram answers works here, the supervisors' ones included (``/recarregar``,
``/auditoria``, ``/lacunas``, ``/versao``): the person at the console is the local supervisor,
who can read the files anyway. A number picks one of the options listed under the last answer
(the console's buttons). At a terminal the prompt has line editing and a history kept in
``CONSOLE_HISTORY_FILE`` (``state/console_history``; passwords typed are masked in it, as in the
logs); Ctrl-D or ``sair`` ends it.

Questions are recorded as the other doors record them: a reply that is a gap goes to
``GAPS_FILE`` (``/lacunas``), an answer carrying credentials to ``AUDIT_FILE`` (``/auditoria``), as
chat ``console`` and the user logged in at this machine; passwords typed are masked, the answer is
never written (:mod:`bot.policy.gaps`, :mod:`bot.policy.credentials`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import logging
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.answers import messages as msg
from bot.answers.core import (
    HELP_COMMANDS,
    MAX_QUERY_CHARS,
    answer,
    parse_command,
    provider_argument,
)
from bot.answers.reload import reload_feedback
from bot.answers.render import to_plain
from bot.answers.reply import Button, Reply, note
from bot.app.settings import Settings
from bot.knowledge.kb import KB, KBHolder
from bot.knowledge.passwords import mask
from bot.knowledge.reload import Reloader
from bot.policy.audit import AuditLog
from bot.policy.credentials import audit_entry
from bot.policy.gaps import GapStore, gap_for

log = logging.getLogger(__name__)

BANNER = (
    "UPCALL — console offline ({providers} provedores). "
    "/ajuda para os comandos, sair para encerrar."
)
PROMPT = "upcall> "
QUIT_WORDS = frozenset({"sair", "exit", "quit", "/sair"})
NO_SUCH_OPTION = "Opção {number} não existe. Escolha de 1 a {count}."
AUDIT_LIMIT = 30
"""As many entries as /auditoria shows in Telegram."""
HISTORY_LENGTH = 1000

SUPERVISOR_COMMANDS = ("recarregar", "auditoria", "lacunas")
"""Answered here rather than by the core: they need the bot's files, not just the KB."""
CONSOLE = "console"
"""The chat id and chat type the gaps and the audit log record for the console."""


@dataclass
class Console:
    """One console session: the KB (reloadable), the settings, the last options shown."""

    holder: KBHolder
    settings: Settings
    kb_dir: Path
    clock: Callable[[], dt.datetime]
    options: tuple[Button, ...] = ()
    reloader: Reloader = field(init=False, repr=False)
    gaps: GapStore = field(init=False, repr=False)
    audit: AuditLog = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Now: /recarregar compares the files with what they were when the KB was loaded.
        self.reloader = Reloader(
            self.holder, self.kb_dir, secrets_file=self.settings.kb_secrets_file
        )
        self.gaps = GapStore(self.settings.gaps_file)
        self.audit = AuditLog(self.settings.audit_file)

    @property
    def kb(self) -> KB:
        return self.holder.kb

    def reply_to(self, query: str) -> Reply:
        """What the bot answers to ``query`` typed here (a command or a question)."""
        command = parse_command(query)
        if command is not None and command.name in SUPERVISOR_COMMANDS:
            return self._supervisor(command.name, command.args)
        kb = self.kb  # read once: the answer and its records are of one KB
        reply = answer(kb, query, self.clock())
        self._record(kb, query, reply)
        if command is not None and command.name in HELP_COMMANDS:
            reply = replace(reply, blocks=(*reply.blocks, note(msg.HELP_CONSOLE)))
        return reply

    def _record(self, kb: KB, query: str, reply: Reply) -> None:
        """The gap and the credentials audit of this answer, as the other doors record them.
        Never raises: the answer comes first."""
        try:
            now = self.clock()
            gap = gap_for(kb, query, reply, CONSOLE, now)
            if gap is not None:
                self.gaps.append(gap)
            if reply.credentials:  # the console is private to the supervisor: always shown
                entry = audit_entry(
                    reply,
                    kb=kb,
                    asked=query,
                    now=now,
                    user_id=CONSOLE,
                    user_name=_local_user(),
                    chat_id=CONSOLE,
                    chat_type=CONSOLE,
                    allowed=True,
                    sent=True,
                )
                entry = replace(entry, parts=1, parts_sent=1)  # printed at once, whole
                self.audit.append(entry)
        except Exception:
            log.exception("could not record the console's question")

    def _supervisor(self, name: str, args: list[str]) -> Reply:
        if name == "recarregar":
            return reload_feedback(self.reloader.reload_now(confirmed=True))
        if name == "lacunas":
            from bot.policy.gaps import lacunas_reply

            return lacunas_reply(self.kb, self.gaps, self.clock(), args)
        from bot.policy.credentials import audit_reply

        provider_id = None
        if args:
            found = provider_argument(self.kb, "auditoria", args)
            if isinstance(found, Reply):
                return found
            provider_id = found[0].id
        entries = self.audit.latest(AUDIT_LIMIT, provider_id)
        return audit_reply(entries, provider_id, ZoneInfo(self.settings.timezone))

    def handle(self, line: str) -> str | None:
        """The text to print for one typed line; None to quit."""
        query = line.strip()
        if query.casefold() in QUIT_WORDS:
            return None
        echo = ""
        if query.isdigit() and self.options:
            number = int(query)
            if not 1 <= number <= len(self.options):
                return NO_SUCH_OPTION.format(number=number, count=len(self.options))
            query = self.options[number - 1].ask
            echo = f"» {query}\n"
        if not query:
            return ""
        reply = self.reply_to(query)
        self.options = reply.buttons
        return echo + to_plain(reply) + "\n"


def _local_user() -> str:
    """Who sits at the console, for the audit log: the login name, else "console"."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container) nor USER/LOGNAME
        return CONSOLE


def run_console(
    kb: KB,
    *,
    settings: Settings | None = None,
    kb_dir: Path | None = None,
    now: Callable[[], dt.datetime] | None = None,
    tz: ZoneInfo | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    settings = settings or Settings(_env_file=None)  # type: ignore[call-arg]
    console = Console(
        KBHolder(kb),
        settings,
        kb_dir or kb.root,
        now or (lambda: dt.datetime.now(tz)),
    )
    print(BANNER.format(providers=len(kb.providers)), file=out, flush=True)
    terminal = source is sys.stdin and out is sys.stdout and source.isatty()
    lines = (
        _typed(settings.console_history_file, lambda: console.kb)
        if terminal
        else _read(source, out)
    )
    for line in lines:
        shown = console.handle(line)
        if shown is None:
            return 0
        if shown:
            print(shown, file=out, flush=True)
    return 0


def _read(source: TextIO, out: TextIO) -> Iterator[str]:
    """Lines from a pipe or a file (or a terminal handed in by a test): no line editing."""
    interactive = source.isatty()
    while True:
        if interactive:
            print(PROMPT, end="", file=out, flush=True)
        line = source.readline()
        if not line:
            if interactive:
                print(file=out, flush=True)  # Ctrl-D: the shell's prompt on a line of its own
            return
        yield line


def _typed(history: Path, kb: Callable[[], KB]) -> Iterator[str]:
    """Lines typed at a terminal, through ``input`` with readline: arrows, editing, history."""
    readline = _readline(history)
    try:
        while True:
            try:
                yield input(PROMPT)
            except KeyboardInterrupt:  # Ctrl-C: drop the line, as a shell does
                print()
            except EOFError:  # Ctrl-D
                print()
                return
    finally:
        if readline is not None:
            save_history(readline, history, kb())


def _readline(history: Path) -> ModuleType | None:
    try:
        import readline
    except ImportError:  # not on every platform: plain input() then
        return None
    readline.set_history_length(HISTORY_LENGTH)
    with contextlib.suppress(OSError):  # no history yet
        readline.read_history_file(history)
    return readline


def save_history(readline: ModuleType, history: Path, kb: KB) -> None:
    """Write the session's lines to ``history`` as the logs keep what agents type: passwords
    masked (``bot.knowledge.passwords.mask``); a line too long to be a question is dropped."""
    for index in reversed(range(readline.get_current_history_length())):
        line = readline.get_history_item(index + 1) or ""  # get_: from 1; replace_/remove_: 0
        if len(line) > MAX_QUERY_CHARS:
            readline.remove_history_item(index)
            continue
        masked = mask(kb, line)
        if masked != line:
            readline.replace_history_item(index, masked)
    try:
        history.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(history)
    except OSError as exc:
        log.warning("console history not saved to %s: %s", history, exc)
