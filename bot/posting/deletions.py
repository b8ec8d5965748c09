"""Credential answers deleted after ``CREDENTIALS_DELETE_AFTER_SECONDS``, even across a restart.

Each message to delete is kept, with when, in ``deletions.json`` beside ``NOTICE_STATE_FILE``
(written through :func:`bot.posting.statefile.save_state`), and a timer per message is set on the
scheduler. At start the file is read again: what is overdue is deleted at once, the rest when due.
A door that cannot delete now (:class:`~bot.app.doors.DeliveryError`) is asked again with backoff;
one that says the message is gone, or cannot delete it, is not asked again. Telegram lets a bot
delete a message for 48 hours: an entry older than :data:`GIVE_UP_AFTER` is dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.app.doors import DeliveryError, Door, Posted
from bot.posting.schedule import Action, Scheduler
from bot.posting.statefile import Source, load_state, save_state

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]

PREFIX = "delete:"
RETRY_FIRST = dt.timedelta(seconds=30)
RETRY_MAX = dt.timedelta(minutes=10)
GIVE_UP_AFTER = dt.timedelta(hours=48)
VERSION = 1


@dataclass
class Pending:
    posted: Posted
    due: dt.datetime
    tries: int = 0

    @property
    def name(self) -> str:
        p = self.posted
        return f"{PREFIX}{p.door}:{p.chat}:{p.message_id}"

    def to_json(self) -> dict[str, Any]:
        p = self.posted
        return {
            "door": p.door,
            "chat": p.chat,
            "message_id": p.message_id,
            "participant": p.participant,
            "due": self.due.isoformat(),
        }

    @classmethod
    def from_json(cls, raw: Any) -> Pending | None:
        if not isinstance(raw, dict):
            return None
        fields = [raw.get(k) for k in ("door", "chat", "message_id")]
        participant = raw.get("participant", "")
        try:
            due = dt.datetime.fromisoformat(str(raw.get("due")))
        except ValueError:
            return None
        if not all(isinstance(f, str) and f for f in fields) or due.tzinfo is None:
            return None
        if not isinstance(participant, str):
            participant = ""
        door, chat, message_id = (str(f) for f in fields)
        return cls(Posted(door, chat, message_id, participant), due)


class Deletions:
    def __init__(
        self,
        path: Path,
        door_named: Callable[[str], Door | None],
        scheduler: Scheduler,
        clock: Clock,
    ) -> None:
        self.path = path
        self._door_named = door_named
        self._scheduler = scheduler
        self._clock = clock
        self.pending: dict[str, Pending] = {}
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        loaded = load_state(self.path)
        if loaded.source is Source.DAMAGED:
            log.error(
                "pending deletions in %s lost: the file and its backup are damaged", self.path
            )
        rows = loaded.data.get("pending", [])
        for raw in rows if isinstance(rows, list) else []:
            entry = Pending.from_json(raw)
            if entry is None:
                log.warning("pending deletions %s: dropping bad entry", self.path)
                continue
            self.pending.setdefault(entry.name, entry)

    def _save(self) -> None:
        rows = [entry.to_json() for entry in self.pending.values()]
        try:
            save_state(self.path, {"version": VERSION, "pending": rows})
        except OSError as exc:
            log.error("pending deletions %s not written (%s)", self.path, exc)

    async def start(self) -> None:
        """Read what earlier runs left to delete; overdue ones go at once."""
        self._load()
        now = self._clock()
        overdue = sum(entry.due <= now for entry in self.pending.values())
        if self.pending:
            log.info("%d message(s) to delete, %d overdue", len(self.pending), overdue)
        for entry in self.pending.values():
            self._schedule(entry, entry.due - now)

    def add(self, posted: Sequence[Posted], after: dt.timedelta) -> None:
        """Delete ``posted`` ``after`` from now, remembered across a restart."""
        self._load()
        due = self._clock() + after
        for item in posted:
            entry = Pending(item, due)
            self.pending[entry.name] = entry
        self._save()
        for item in posted:
            self._schedule(self.pending[Pending(item, due).name], after)

    def _schedule(self, entry: Pending, delay: dt.timedelta) -> None:
        self._scheduler.once(
            entry.name,
            max(delay, dt.timedelta(0)),
            self._action(entry.name),
            data=(entry.posted.chat, entry.posted.message_id),
        )

    def _action(self, name: str) -> Action:
        async def run() -> None:
            await self.carry_out(name)

        return run

    async def carry_out(self, name: str) -> None:
        entry = self.pending.get(name)
        if entry is None:
            return  # done already
        door = self._door_named(entry.posted.door)
        if door is None:
            log.warning(
                "cannot delete message %s: door %s is not configured now; kept for its return",
                entry.posted.message_id,
                entry.posted.door,
            )
            return
        try:
            gone = await door.delete(entry.posted)
        except DeliveryError as exc:
            entry.tries += 1
            if self._clock() - entry.due > GIVE_UP_AFTER:
                log.warning("giving up deleting message %s: %s", entry.posted.message_id, exc)
            else:
                wait = min(RETRY_FIRST * 2 ** (entry.tries - 1), RETRY_MAX)
                log.info("message %s not deleted yet (%s); again in %s", name, exc, wait)
                self._schedule(entry, wait)
                return
        except Exception:
            log.exception("deleting message %s failed unexpectedly", name)
        else:
            if not gone:
                log.info("message %s was already gone or cannot be deleted", name)
        self.pending.pop(name, None)
        self._save()
