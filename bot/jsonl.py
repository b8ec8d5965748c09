"""An append-only JSON-lines file: one record per line, flushed and synced on each write.

Used for the logs the bot keeps (credentials audit, unanswered questions). Writing never raises
(the answer was already sent; losing a log line beats losing the bot); reading skips a line torn
by a crash mid-write. Each line is written with one ``write`` to a file opened for appending and
flushed, so it reaches the OS at once; it is not fsync'ed: an fsync per answer would stall every
chat on a slow disk, and a power cut losing the last lines of a log is the lesser harm.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class JsonLines:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._folder_made = False

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            if not self._folder_made:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._folder_made = True
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
        except OSError as exc:
            self._folder_made = False  # the folder may have been removed: make it again next time
            log.error("could not write %s: %s", self.path, exc)

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
