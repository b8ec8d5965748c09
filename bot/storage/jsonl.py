"""An append-only JSON-lines file: one record per line, rotated by size.

Used for the logs the bot keeps (credentials audit, unanswered questions). Writing never raises
(the answer was already sent; losing a log line beats losing the bot), and a failure leaves
nothing behind that stops the next line: a full disk (ENOSPC), an I/O error (EIO), a folder
removed: the line is logged as lost and the next one tried on a file opened anew, so the log
recovers by itself when space returns.

Each line is one ``write(2)`` on a descriptor opened with ``O_APPEND`` (no buffer in between: a
failed write leaves nothing to flush at close, which is how a full disk once broke the log for
good). A line cut by a crash or a full disk is ended with a newline before the next line, so it
costs only itself. Lines are not fsync'ed: an fsync per answer would stall every chat on a slow
disk, and a power cut losing the last lines of a log is the lesser harm.

The file stays open between lines (opening it per line was a tenth of the bot's time per answer in
a flood, ``bench/throughput.py``). Before each line, the path is checked to still name the open
file: a log rotated, moved or deleted (with its folder, even) is opened anew at its path.

When the file passes ``max_bytes`` it is rotated (``audit.jsonl`` -> ``audit.jsonl.1`` -> ... ->
``audit.jsonl.<keep>``, the oldest dropped); :meth:`JsonLines.records` reads the rotated files
too, oldest first. Reading skips whatever is not a JSON object on one line: a torn line, invalid
UTF-8, a line of another type. Checking each record's fields is the caller's (:func:`typed`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import types
import typing
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
"""A log is rotated once it passes this size (10 MB: about 40,000 audit lines)."""
KEEP = 4
"""Rotated files kept besides the current one: at most ~50 MB per log."""

T = TypeVar("T")


class JsonLines:
    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, keep: int = KEEP) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.keep = keep
        self._fd: int | None = None
        self._identity: tuple[int, int] | None = None
        self._size = 0
        self._closer: weakref.finalize[Any, Any] | None = None

    def append(self, record: dict[str, Any]) -> None:
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            fd = self._open()
            written = os.write(fd, data)
            self._size += written
            if written != len(data):  # a short write: the disk filled up mid-line
                raise OSError(f"short write ({written} of {len(data)} bytes)")
        except OSError as exc:
            self.close()  # opened anew next time (space may return, the folder be made again)
            log.error("could not write %s: %s", self.path, exc)
            return
        if self._size >= self.max_bytes:
            self._rotate()

    def _open(self) -> int:
        """The open descriptor, if the path still names its file; else the file now at the
        path (its last line ended first if a crash or a full disk cut it)."""
        if self._fd is not None:
            try:
                found = os.stat(self.path)
            except FileNotFoundError:
                found = None
            if found is not None and (found.st_dev, found.st_ino) == self._identity:
                return self._fd
            self.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC
        fd = os.open(self.path, flags, 0o600)  # the audit names who got which credentials
        self._closer = weakref.finalize(self, _close_quietly, fd)  # closed with this object
        self._fd = fd
        opened = os.fstat(fd)
        self._identity, self._size = (opened.st_dev, opened.st_ino), opened.st_size
        if opened.st_size and not _ends_with_newline(self.path, opened.st_size):
            self._size += os.write(fd, b"\n")
        return fd

    def close(self) -> None:
        """Close the file (it is opened again by the next line); never raises."""
        if self._closer is not None:
            self._closer()  # closes the descriptor once
        self._fd = self._identity = self._closer = None
        self._size = 0

    def _rotate(self) -> None:
        self.close()
        try:
            for n in range(self.keep, 0, -1):
                older = self.rotated(n)
                if n == self.keep:
                    older.unlink(missing_ok=True)
                elif older.exists():
                    os.replace(older, self.rotated(n + 1))
            if self.keep > 0:
                os.replace(self.path, self.rotated(1))
            else:
                self.path.unlink(missing_ok=True)
        except OSError as exc:
            log.error("could not rotate %s: %s", self.path, exc)

    def rotated(self, n: int) -> Path:
        return self.path.with_name(f"{self.path.name}.{n}")

    def files(self) -> list[Path]:
        """The log's files, oldest first: the rotated ones, then the current one."""
        return [*(self.rotated(n) for n in range(self.keep, 0, -1)), self.path]

    def records(self) -> Iterator[dict[str, Any]]:
        """Every readable record, oldest first (rotated files included); nothing when no file
        exists. A line that is not one JSON object in valid UTF-8 is skipped."""
        for path in self.files():
            yield from _records_in(path)

    def newest_first(self) -> Iterator[dict[str, Any]]:
        """The records newest first: to read the latest few without parsing the rest. Reads one
        file at a time into memory (at most ``max_bytes`` and a line)."""
        for path in reversed(self.files()):
            try:
                lines = path.read_bytes().splitlines()
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.error("could not read %s: %s", path, exc)
                continue
            for raw in reversed(lines):
                record = _record(raw)
                if record is not None:
                    yield record


def _records_in(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with path.open("rb") as handle:
            for raw in handle:
                record = _record(raw)
                if record is not None:
                    yield record
    except FileNotFoundError:
        return
    except OSError as exc:
        log.error("could not read %s: %s", path, exc)


def _record(raw: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(raw.decode("utf-8"))
    except ValueError:  # torn, cut inside a character, not JSON
        return None
    return record if isinstance(record, dict) else None


def _ends_with_newline(path: Path, size: int) -> bool:
    try:
        with path.open("rb") as handle:
            handle.seek(size - 1)
            return handle.read(1) == b"\n"
    except OSError:
        return True  # unreadable: nothing to mend


def _close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError as exc:  # EIO on close: the descriptor is released all the same
        log.warning("closing a log file: %s", exc)


def typed(record: dict[str, Any], kind: type[T]) -> T | None:
    """``record`` as the dataclass ``kind`` when every field is there with its JSON type, as
    written (``null`` where a text belongs, ``"5"`` or ``true`` where a number belongs, are
    refused; unknown keys are ignored); else ``None``. Fields may be ``str``, ``int``,
    ``bool`` and ``X | None`` of those."""
    values: dict[str, Any] = {}
    for name, allowed in _fields(kind):  # type: ignore[arg-type]
        value = record.get(name, _MISSING)
        if value is _MISSING or not _fits(value, allowed):
            return None
        values[name] = value
    return kind(**values)


_MISSING = object()


@functools.cache
def _fields(kind: type) -> tuple[tuple[str, frozenset[type]], ...]:
    """(name, the exact types JSON may give it) of each field of ``kind``."""
    fields = []
    for name, hint in typing.get_type_hints(kind).items():
        allowed = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        fields.append((name, frozenset(allowed)))
    return tuple(fields)


def _fits(value: Any, allowed: frozenset[type]) -> bool:
    # Exact types: JSON gives exactly str, int, float, bool, None, list, dict; ``true`` is no
    # int here, as it is to isinstance.
    return type(value) in allowed


def aware_time(text: str) -> dt.datetime | None:
    """An ISO 8601 time with its offset; ``None`` for anything else ("ontem", no offset)."""
    try:
        when = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else None
