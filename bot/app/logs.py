"""The bot's log: what goes in at each level, and the secrets that never do.

No secret may reach a log line at any level: the bot token (part of every Bot API URL), webhook
secrets, API keys, the passwords the KB holds, a password an agent typed. Each part of the bot
keeps them out at the source (the Telegram transport's errors never carry the URL; questions and
answers are not logged); :class:`RedactingFormatter` is the last line of defence, on every
handler of the root logger: whatever a library prints -- a message, an exception's text, a
traceback -- has every known secret replaced by ``[redacted]`` before it is written.

``LOG_LEVEL=DEBUG`` is the bot's own debugging. The libraries that talk to chat networks log
every call's parameters at DEBUG (PTB: each message's text, passwords included); they stay at
INFO whatever ``LOG_LEVEL`` says. APScheduler (PTB's JobQueue) writes a line for every job it
adds, runs and finishes: some forty at each planning of the shift-change notices, which the bot
logs itself in one line; it stays at WARNING (missed runs, errors) whatever ``LOG_LEVEL`` says.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Callable, Iterable
from types import TracebackType
from urllib.parse import quote

from bot.app.settings import SECRET_FIELDS, Settings, url_secrets
from bot.knowledge.typed_passwords import mask_shaped, mask_typed

REDACTED = "[redacted]"
QUIET_LIBRARIES = ("telegram", "httpx", "httpcore", "aiohttp", "hpack", "websockets")
"""Loggers kept at INFO or above: at DEBUG they log the requests, texts and URLs they carry."""
WARNING_ONLY = ("apscheduler",)
"""Loggers kept at WARNING or above: their INFO lines (one per job) drown the bot's own."""
MIN_SECRET = 4
"""Shorter values are not redacted (they would cut ordinary words)."""
SecretSource = Callable[[], Iterable[str]]


def settings_secrets(settings: Settings) -> list[str]:
    """The secret values in the settings (token, webhook secret, API keys) and the passwords
    written in an address setting (``WHATSAPP_API_URL=http://user:password@host``)."""
    values = (getattr(settings, name) for name in sorted(SECRET_FIELDS))
    found = [value.strip() for value in values if value.strip()]
    for name in sorted(Settings.model_fields):
        value = getattr(settings, name)
        if name.endswith("_url") and isinstance(value, str):
            found += url_secrets(value)
    return found


def _spelled(secret: str) -> str:
    """A secret as a pattern; one of several words ("1 ao 5") with any spaces between them."""
    return r"\s+".join(re.escape(word) for word in secret.split(" "))


class Redactor:
    """Replaces every secret it knows in a text. Secrets come from sources asked on each use
    (the KB's passwords change with a reload); the pattern is rebuilt only when they change."""

    def __init__(self, *sources: SecretSource) -> None:
        self._sources = list(sources)
        self._lock = threading.Lock()
        self._raw: tuple[str, ...] = ()
        self._pattern: re.Pattern[str] | None = None

    def add(self, source: SecretSource) -> None:
        with self._lock:
            self._sources.append(source)

    def _current(self) -> re.Pattern[str] | None:
        found: list[str] = []
        for source in list(self._sources):
            try:
                found.extend(source())
            except Exception:  # a source that fails must not stop a log line
                continue
        raw = tuple(found)
        with self._lock:
            if raw != self._raw:  # the secrets changed (a reload): build the pattern again
                secrets = {
                    spelling
                    for secret in raw
                    if len(secret) >= MIN_SECRET
                    for spelling in (secret, quote(secret, safe=""), quote(secret))
                }
                ordered = sorted(secrets, key=len, reverse=True)
                # In any case: a KB password typed in capitals ("LNT12345@") is still one.
                self._pattern = (
                    re.compile("|".join(_spelled(s) for s in ordered), re.IGNORECASE)
                    if ordered
                    else None
                )
                self._raw = raw
            return self._pattern

    def __call__(self, text: str) -> str:
        pattern = self._current()
        if pattern is not None:
            text = pattern.sub(REDACTED, text)
        # A password typed after "senha", and, as the stores mask it, any word shaped like
        # one in a text about passwords ("troquei a senha para Maria123").
        return mask_shaped(mask_typed(text, replacement=REDACTED), replacement=REDACTED)


class RedactingFormatter(logging.Formatter):
    """A formatter whose whole output (message, exception, traceback) is redacted."""

    def __init__(self, redact: Redactor, fmt: str | None = None) -> None:
        super().__init__(fmt)
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(level: str, redact: Redactor) -> None:
    """The root logger at ``level``, every handler redacting; chatty libraries at INFO (APScheduler
    at WARNING); an
    exception that ends the program (or a thread) written through the log, redacted, instead of
    Python's own traceback (PTB's ``InvalidToken`` quotes the token it rejected)."""
    logging.basicConfig(format=FORMAT)  # a stderr handler, unless one is there already
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in root.handlers:
        handler.setFormatter(RedactingFormatter(redact, FORMAT))
    floor = max(logging.INFO, root.level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(floor)
    for name in WARNING_ONLY:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    logging.getLogger("bot").critical("stopped by an error", exc_info=(kind, error, trace))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    logging.getLogger("bot").error(
        "thread %s stopped by an error",
        args.thread.name if args.thread else "?",
        exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback),
    )
