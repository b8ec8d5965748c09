"""The credentials audit log: who was given which ISP's credentials, where and when.

One JSON object per line, appended; the secret itself is never written. ``/auditoria [isp]`` reads
the latest entries back. A broken line (a crash mid-write) is skipped, never fatal.

A line is written once the answer was sent (or failed to be): ``allowed`` says what the policy
decided, ``sent`` whether the chat network accepted every message carrying the credentials,
``parts_sent`` of ``parts`` how many of those messages it accepted (a long answer goes in
several: the first may have reached the chat when a later one failed). Lines written before
2026-11-30 have ``delivered`` instead (what the policy decided, not the send): they are read as
``allowed`` with ``sent`` unknown (``null``); lines without ``parts`` are read with both
unknown (``null``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.storage.jsonl import JsonLines, aware_time, typed


@dataclass(frozen=True)
class AuditEntry:
    at: str
    """ISO 8601 with offset."""
    user_id: int | str | None
    """A Telegram user id, a WhatsApp JID, or ``console``."""
    user_name: str
    chat_id: int | str
    """A Telegram chat id, a WhatsApp JID (``…@g.us`` for a group), or ``console``."""
    chat_type: str
    provider: str | None
    topic: str | None
    equipment: str | None
    query: str
    """What was asked (as typed), so a supervisor can read the context; never the answer."""
    allowed: bool
    """False when the policy withheld the credentials (asked in a group closed to them)."""
    sent: bool | None
    """True when the chat network accepted every message carrying the credentials; False when
    withheld or when sending failed (Telegram refused it, the gateway was down); ``None`` on a
    line written before the field existed."""
    parts: int | None = None
    """How many messages the credential answer was to go in (a long one is split); ``None``
    when withheld, or on a line written before the field existed."""
    parts_sent: int | None = None
    """How many of those the chat network accepted, in order (``parts`` when ``sent``; fewer when
    a later part failed after the first reached the chat); ``None`` as for ``parts``."""


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = JsonLines(path)

    def append(self, entry: AuditEntry) -> None:
        """Append one line; an I/O error is logged, never raised (the answer was already sent)."""
        self._file.append(asdict(entry))

    def latest(self, limit: int = 20, provider: str | None = None) -> list[AuditEntry]:
        """The newest ``limit`` entries (optionally of one ISP), newest first."""
        found: list[AuditEntry] = []
        for record in self._file.newest_first():
            if len(found) >= limit:
                break
            if provider is not None and record.get("provider") != provider:
                continue
            entry = _parse(record)
            if entry is not None:
                found.append(entry)
        return found


def _parse(record: dict[str, object]) -> AuditEntry | None:
    """The entry a line holds; ``None`` for a line with a field missing or of the wrong type."""
    if "allowed" not in record and type(record.get("delivered")) is bool:  # a line before sent
        record = {**record, "allowed": record["delivered"], "sent": None}
    record = {"parts": None, "parts_sent": None, **record}  # a line before parts
    entry = typed(record, AuditEntry)
    return entry if entry is not None and aware_time(entry.at) is not None else None


def now_iso(now: dt.datetime) -> str:
    return now.isoformat(timespec="seconds")
