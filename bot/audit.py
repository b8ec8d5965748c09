"""The credentials audit log: who was given which ISP's credentials, where and when.

One JSON object per line, appended; the secret itself is never written. ``/auditoria [isp]`` reads
the latest entries back. A broken line (a crash mid-write) is skipped, never fatal.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditEntry:
    at: str
    """ISO 8601 with offset."""
    user_id: int | None
    user_name: str
    chat_id: int
    chat_type: str
    provider: str | None
    topic: str | None
    equipment: str | None
    query: str
    """What was asked (as typed), so a supervisor can read the context; never the answer."""
    delivered: bool
    """False when the policy withheld the credentials (e.g. asked in a group)."""


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, entry: AuditEntry) -> None:
        """Append one line; an I/O error is logged, never raised (the answer was already sent)."""
        line = json.dumps(asdict(entry), ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            log.error("could not write the audit log %s: %s", self.path, exc)

    def latest(self, limit: int = 20, provider: str | None = None) -> list[AuditEntry]:
        """The newest ``limit`` entries (optionally of one ISP), newest first."""
        found: deque[AuditEntry] = deque(maxlen=limit)
        try:
            with self.path.open(encoding="utf-8") as handle:
                for raw in handle:
                    entry = _parse(raw)
                    if entry is not None and (provider is None or entry.provider == provider):
                        found.append(entry)
        except FileNotFoundError:
            return []
        except OSError as exc:
            log.error("could not read the audit log %s: %s", self.path, exc)
            return []
        return list(reversed(found))


def _parse(raw: str) -> AuditEntry | None:
    try:
        return AuditEntry(**json.loads(raw))
    except (ValueError, TypeError):
        return None


def now_iso(now: dt.datetime) -> str:
    return now.isoformat(timespec="seconds")
