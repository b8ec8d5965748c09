"""Shift-change notices, for every door with a notice chat: timers, sending, retries, the state.

What to post and when is :mod:`bot.coverage.notices`' (pure); this module keeps the timers on the
one scheduler and delivers through :class:`bot.app.doors.Door`.

* A plan job (:data:`PLAN_JOB` at start, :data:`REPLAN_JOB` every :data:`REPLAN_EVERY`) sets one
  timer per boundary instant of the next :data:`HORIZON` and posts what is due now (one missed
  while the bot was down: late, within the grace).
* The instant job posts every notice due at its instant, to every notice door that has not
  accepted it yet.
* A door that fails is tried again with backoff (:data:`RETRY_FIRST`, doubling, at most
  :data:`RETRY_MAX`) while the grace lasts; an advance notice is tried again until just before its
  boundary (:data:`LEAD_LAST_TRY`), then the boundary notice takes its place.
* A notice is marked sent for a door only once that door accepted it, in the state file
  (:class:`bot.posting.ledger.SentLedger`): a notice Telegram took and WhatsApp did not is tried
  again for WhatsApp only; neither a restart nor two jobs at the same instant post it twice.
* A damaged state file (and backup) never makes the bot post twice: what is due at start is taken
  as posted.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.answers.reply import Reply
from bot.app import metrics
from bot.app.doors import Audience, DeliveryError, Door
from bot.app.health import HEALTH
from bot.coverage import notices as planning
from bot.knowledge.kb import KBHolder
from bot.posting.ledger import SentLedger
from bot.posting.schedule import Action, Scheduler

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]

HORIZON = dt.timedelta(hours=48)
"""How far ahead the boundary timers are set."""
REPLAN_EVERY = dt.timedelta(hours=1)
"""How often the timers are set again (the horizon moves on; a missed one is caught)."""
RETRY_FIRST = dt.timedelta(seconds=10)
"""After a failed send, the first try again; each further failure doubles the wait."""
RETRY_MAX = dt.timedelta(minutes=5)
"""The longest wait between two tries (the grace is 30 minutes by default)."""
LEAD_LAST_TRY = dt.timedelta(seconds=2)
"""An advance notice's last try comes this long before its boundary, never on it."""

JOB_PREFIX = "notices:"
"""Every job of this module is named with this prefix: :meth:`NoticeService.reschedule` drops
them all."""
PLAN_JOB = f"{JOB_PREFIX}plan"
REPLAN_JOB = f"{JOB_PREFIX}replan"
AT_PREFIX = f"{JOB_PREFIX}at:"
RETRY_JOB = f"{JOB_PREFIX}retry"


class NoticeService:
    def __init__(
        self,
        doors: Callable[[], Sequence[Door]],
        holder: KBHolder,
        scheduler: Scheduler,
        clock: Clock,
        *,
        state_file: Path,
        lead: dt.timedelta,
        grace: dt.timedelta,
    ) -> None:
        self._doors = doors
        self._holder = holder
        self._scheduler = scheduler
        self.clock = clock
        self.state_file = state_file
        self.lead = lead
        self.grace = grace
        self.ledger: SentLedger | None = None
        self.in_flight: set[tuple[str, str]] = set()
        """(door, key) being sent right now: a second job at the same instant leaves them."""
        self.failures: dict[tuple[str, str], int] = {}
        """(door, key) -> failed tries so far: the backoff."""
        self._off_logged = False

    # ------------------------------------------------------------------ set-up

    def doors(self) -> Sequence[Door]:
        return self._doors()

    def _names(self) -> list[str]:
        return [door.name for door in self.doors()]

    def _set_up(self) -> SentLedger | None:
        """The ledger, loaded once; ``None`` when no door has a notice chat."""
        if self.ledger is not None:
            return self.ledger
        if not self.doors():
            if not self._off_logged:
                log.info("no notice chat configured (NOTICE_CHAT_ID): no shift-change notices")
                self._off_logged = True
            return None
        ledger = SentLedger.load(self.state_file, self.clock())
        ledger.expected = tuple(self._names())
        if ledger.damaged:
            due = self._due(ledger, self.clock(), ignore_state=True)
            ledger.assume_sent(ledger.expected, [notice.key for notice in due], self.clock())
        self.ledger = ledger
        log.info(
            "shift-change notices to %s (%d already sent on record)",
            ", ".join(ledger.expected),
            len(ledger),
        )
        return ledger

    async def start(self) -> None:
        """Load the state and set the timers: the plan job runs at once."""
        if self._set_up() is None:
            return
        self._scheduler.once(PLAN_JOB, dt.timedelta(0), self._on_plan)
        self._scheduler.every(REPLAN_JOB, REPLAN_EVERY, self._on_plan)

    async def reschedule(self) -> None:
        """Drop this module's timers and plan again: the KB changed, so may the boundaries."""
        self._scheduler.drop(JOB_PREFIX)
        await self.start()

    def next_instant(self) -> dt.datetime | None:
        """The next boundary a timer is set for (for a health report); ``None`` when none is."""
        instants = []
        for name in self._scheduler.names(AT_PREFIX):
            try:
                instants.append(dt.datetime.fromisoformat(name.removeprefix(AT_PREFIX)))
            except ValueError:
                continue
        return min(instants, default=None)

    # ------------------------------------------------------------------ the jobs

    async def _on_plan(self) -> None:
        # Timers first: a send that hangs or fails must not leave the day without them.
        self.schedule_upcoming()
        await self.post_due()

    def _instant_action(self, instant: dt.datetime) -> Action:
        async def run() -> None:
            left = instant - self.clock()
            if left > planning.EARLY:
                # Woke before the instant (the wall clock stepped back?): wait for the rest.
                name = f"{AT_PREFIX}{instant.astimezone(dt.UTC).isoformat()}"
                self._scheduler.once(name, left, self._instant_action(instant), data=instant)
                return
            await self.post_due()

        return run

    def _sent_everywhere(self, ledger: SentLedger) -> frozenset[str]:
        names = self._names()
        busy = {key for _door, key in self.in_flight}
        pending = {
            key
            for key in busy
            if all(ledger.has(n, key) or (n, key) in self.in_flight for n in names)
        }
        return ledger.done(names) | pending

    def schedule_upcoming(self) -> list[dt.datetime]:
        """One timer per boundary instant of the horizon (the previous ones dropped)."""
        ledger = self._set_up()
        if ledger is None:
            return []
        self._scheduler.drop(AT_PREFIX)
        now = self.clock()
        upcoming = planning.plan(
            self._holder.kb.providers.values(),
            now,
            horizon=HORIZON,
            lead=self.lead,
            grace=self.grace,
            sent=self._sent_everywhere(ledger),
        )
        HEALTH.notice_planned(min(upcoming.instants, default=None))
        for instant in upcoming.instants:
            self._scheduler.once(
                f"{AT_PREFIX}{instant.astimezone(dt.UTC).isoformat()}",
                max(instant - now, dt.timedelta(0)),
                self._instant_action(instant),
                data=instant,
            )
        return upcoming.instants

    def _due(
        self, ledger: SentLedger, now: dt.datetime, ignore_state: bool = False
    ) -> tuple[planning.Notice, ...]:
        return planning.plan(
            self._holder.kb.providers.values(),
            now,
            horizon=dt.timedelta(0),
            lead=self.lead,
            grace=self.grace,
            sent=frozenset() if ignore_state else self._sent_everywhere(ledger),
        ).now

    async def post_due(self) -> int:
        """Post every notice due now to every notice door that lacks it; returns how many
        deliveries the doors accepted."""
        ledger = self._set_up()
        if ledger is None:
            return 0
        kb = self._holder.kb
        posted = 0
        retry_at: list[dt.datetime] = []
        due = self._due(ledger, self.clock())
        # Failures of notices no longer due (posted, or past their grace) are forgotten.
        keys = {notice.key for notice in due}
        self.failures = {pair: n for pair, n in self.failures.items() if pair[1] in keys}
        for notice in due:
            for door in self.doors():
                pair = (door.name, notice.key)
                # Checked again: while this loop awaited a door, another job may have posted it.
                if ledger.has(*pair) or pair in self.in_flight:
                    continue
                self.in_flight.add(pair)
                try:
                    provider = kb.providers[notice.provider]
                    reply = planning.notice_reply(notice, provider, self.clock())
                    if await self._send(door, notice, reply):
                        ledger.mark(door.name, notice.key, self.clock())
                        self.failures.pop(pair, None)
                        posted += 1
                    else:
                        retry_at.append(self._next_try(pair, notice))
                finally:
                    self.in_flight.discard(pair)
        if retry_at:
            self._scheduler.drop(RETRY_JOB)
            delay = max(min(retry_at) - self.clock(), dt.timedelta(0))
            self._scheduler.once(RETRY_JOB, delay, self._retry)
        return posted

    async def _retry(self) -> None:
        await self.post_due()

    def _next_try(self, pair: tuple[str, str], notice: planning.Notice) -> dt.datetime:
        """When to try ``pair`` again: backoff, an advance notice before its boundary."""
        tries = self.failures[pair] = self.failures.get(pair, 0) + 1
        now = self.clock()
        wait = min(RETRY_FIRST * 2 ** (tries - 1), RETRY_MAX)
        at: dt.datetime = now + wait
        if notice.kind == planning.LEAD:
            last = notice.event.at - LEAD_LAST_TRY
        else:
            last = notice.event.at + max(self.grace, planning.ON_TIME) - LEAD_LAST_TRY
        if at > last > now:
            at = last
        return at

    async def _send(self, door: Door, notice: planning.Notice, reply: Reply) -> bool:
        try:
            await door.post(Audience.NOTICES, reply, provider=notice.provider)
        except DeliveryError as exc:
            log.warning(
                "notice %s not posted to %s (%s); trying again within the grace",
                notice.key,
                door.name,
                exc,
            )
            metrics.notice_failed(door.name)
            return False
        except Exception:
            log.exception("notice %s: %s failed unexpectedly", notice.key, door.name)
            metrics.notice_failed(door.name)
            return False
        log.info(
            "notice %s posted to %s%s", notice.key, door.name, " (late)" if notice.late else ""
        )
        metrics.notice_posted(door.name, late=notice.late)
        return True
