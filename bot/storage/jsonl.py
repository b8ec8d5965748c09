"""An append-only JSON-lines file: one record per line, flushed and synced on each write.

Used for the logs the bot keeps (credentials audit, unanswered questions). Writing never raises
(the answer was already sent; losing a log line beats losing the bot); reading skips a line torn
by a crash mid-write. Each line is written with one ``write`` to a file opened for appending and
flushed, so it reaches the OS at once; it is not fsync'ed: an fsync per answer would stall every
chat on a slow disk, and a power cut losing the last lines of a log is the lesser harm.

The file stays open between lines (opening it per line was a tenth of the bot's time per answer in
a flood, ``bench/throughput.py``). Before each line, the path is checked to still name the open
file: a log rotated, moved or deleted (with its folder, even) is opened anew at its path.
"""

from __future__ import annotations

import json
import logging
import os
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)


class JsonLines:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None
        self._identity: tuple[int, int] | None = None
        self._closer: weakref.finalize[Any, Any] | None = None

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            handle = self._open()
            handle.write(line)
            handle.flush()
        except OSError as exc:
            self.close()  # open it anew next time (the folder may have been removed)
            log.error("could not write %s: %s", self.path, exc)

    def _open(self) -> IO[str]:
        """The open file, if the path still names it; else the file now at the path."""
        if self._handle is not None:
            try:
                found = os.stat(self.path)
            except FileNotFoundError:
                found = None
            if found is not None and (found.st_dev, found.st_ino) == self._identity:
                return self._handle
            self.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a", encoding="utf-8")
        opened = os.fstat(handle.fileno())
        self._handle, self._identity = handle, (opened.st_dev, opened.st_ino)
        self._closer = weakref.finalize(self, handle.close)  # closed with this object
        return handle

    def close(self) -> None:
        if self._closer is not None:
            self._closer()  # closes the file once
        self._handle = self._identity = self._closer = None

    def records(self) -> Iterator[dict[str, Any]]:
        """Every readable record, oldest first; nothing when the file does not exist."""
        try:
            with self.path.open(encoding="utf-8") as handle:
                for raw in handle:
                    try:
                        record = json.loads(raw)
                    except ValueError:
                        continue
                    if isinstance(record, dict):
                        yield record
        except FileNotFoundError:
            return
        except OSError as exc:
            log.error("could not read %s: %s", self.path, exc)
