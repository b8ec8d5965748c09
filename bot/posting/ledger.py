"""Which notice went to which door: the sent-notice state, per channel (``NOTICE_STATE_FILE``).

A notice accepted by Telegram but not yet by WhatsApp is remembered for Telegram only, so that it
is tried again for WhatsApp alone; a restart reads the same. The file::

    {"version": 2,
     "doors": {"telegram": {key: sent-at ISO}, "whatsapp": {key: sent-at ISO}},
     "sent": {key: sent-at ISO}}      # the keys every configured door has (a summary)

A version-1 file (``{"sent": {...}}``, Telegram only) is read as Telegram's. Written through
:func:`bot.posting.statefile.save_state` (atomic, fsync'ed, with a backup copy). A file that cannot
be read, nor its backup, leaves :attr:`SentLedger.damaged` set: the caller then treats what is due
now as sent (:meth:`SentLedger.assume_sent`), so that no notice is posted twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.posting.statefile import Source, load_state, save_state

log = logging.getLogger(__name__)

KEEP = dt.timedelta(days=3)
"""Keys older than this are pruned: far beyond any grace, nothing can ask about them."""
VERSION = 2
LEGACY_DOOR = "telegram"
"""Version-1 files were written when Telegram was the only door."""


def _moment(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _entries(path: Path, table: Any) -> dict[str, dt.datetime]:
    if not isinstance(table, dict):
        log.warning("notice state %s: a table is not an object; ignored", path)
        return {}
    good: dict[str, dt.datetime] = {}
    for key, value in table.items():
        moment = _moment(value)
        if isinstance(key, str) and moment is not None:
            good[key] = moment
        else:
            log.warning("notice state %s: dropping bad entry %r", path, key)
    return good


@dataclass
class SentLedger:
    path: Path
    doors: dict[str, dict[str, dt.datetime]] = field(default_factory=dict)
    damaged: bool = False
    """Neither the file nor its backup could be read: what was sent is unknown."""
    keep: dt.timedelta = KEEP
    expected: tuple[str, ...] = ()
    """The configured doors: the ``sent`` summary holds the keys all of them have."""

    @classmethod
    def load(cls, path: Path, now: dt.datetime, keep: dt.timedelta = KEEP) -> SentLedger:
        loaded = load_state(path)
        data = loaded.data
        doors: dict[str, dict[str, dt.datetime]] = {}
        by_door = data.get("doors")
        if isinstance(by_door, dict):
            for door, table in by_door.items():
                if isinstance(door, str):
                    doors[door] = _entries(path, table)
        elif "sent" in data:  # version 1
            doors[LEGACY_DOOR] = _entries(path, data["sent"])
        elif loaded.source in (Source.FILE, Source.BACKUP):
            log.warning("notice state %s has no 'doors' table: starting empty", path)
        ledger = cls(path, doors, loaded.source is Source.DAMAGED, keep)
        ledger.prune(now)
        return ledger

    def has(self, door: str, key: str) -> bool:
        return key in self.doors.get(door, {})

    def keys(self, door: str) -> frozenset[str]:
        return frozenset(self.doors.get(door, {}))

    def done(self, doors: Iterable[str]) -> frozenset[str]:
        """The keys every one of ``doors`` has."""
        tables = [self.keys(door) for door in doors]
        if not tables:
            return frozenset()
        return frozenset.intersection(*tables)

    def __len__(self) -> int:
        return len({key for table in self.doors.values() for key in table})

    def prune(self, now: dt.datetime) -> None:
        oldest = now - self.keep
        self.doors = {
            door: {k: v for k, v in table.items() if v >= oldest}
            for door, table in self.doors.items()
        }

    def mark(self, door: str, key: str, now: dt.datetime) -> None:
        """Remember ``key`` as accepted by ``door`` at ``now`` and write the file. A failed write
        is logged: the key stays remembered in memory, so only a restart could repeat it."""
        self.mark_many([door], [key], now)

    def mark_many(self, doors: Iterable[str], keys: Iterable[str], now: dt.datetime) -> None:
        keys = list(keys)
        for door in doors:
            table = self.doors.setdefault(door, {})
            for key in keys:
                table[key] = now
        self.prune(now)
        try:
            self.save()
        except OSError as exc:
            log.error(
                "notice state %s not written (%s): a restart may repeat %s",
                self.path,
                exc,
                ", ".join(keys),
            )

    def assume_sent(self, doors: Iterable[str], keys: Iterable[str], now: dt.datetime) -> None:
        """After a damaged state: record ``keys`` as sent (they may have been), and clear the
        damage once written."""
        keys = list(keys)
        if keys:
            log.warning(
                "notice state %s was damaged: not posting again what was due: %s",
                self.path,
                ", ".join(keys),
            )
        self.mark_many(doors, keys, now)
        self.damaged = False

    def save(self) -> None:
        everyone = self.done(self.expected or self.doors)
        newest = {key: max(t[key] for t in self.doors.values() if key in t) for key in everyone}
        payload = {
            "version": VERSION,
            "doors": {
                door: {k: v.isoformat() for k, v in sorted(table.items())}
                for door, table in sorted(self.doors.items())
            },
            "sent": {k: v.isoformat() for k, v in sorted(newest.items())},
        }
        save_state(self.path, payload)
