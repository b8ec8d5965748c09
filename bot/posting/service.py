"""The bot's own initiative, one per process: the doors it posts through, the notices, the KB
watcher and what a reload posts, the weekly gaps post, the pending deletions.

``upcall-bot run`` builds one :class:`Posting` around the one KB and the one scheduler and adds the
door of every configured channel (see ``handlers.runner``); a Telegram application built alone
(tests, ``build_application``) builds its own, with the Telegram door only.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from zoneinfo import ZoneInfo

from bot.answers.reload import broken_reply, changelog_reply, recovered_reply
from bot.answers.reply import Reply
from bot.app import health
from bot.app.doors import Audience, DeliveryError, Door, Posted
from bot.app.settings import Settings
from bot.knowledge.kb import KBHolder
from bot.knowledge.reload import Reloader, ReloadEvent, ReloadResult
from bot.policy.gaps import GapStore, weekly_reply
from bot.posting.deletions import Deletions
from bot.posting.notices import NoticeService
from bot.posting.schedule import Scheduler

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
AfterReload = Callable[[], Awaitable[None]]

WEEKLY_JOB = "gaps:weekly"
POST_PREFIX = "post:"
POST_RETRIES = (dt.timedelta(seconds=30), dt.timedelta(minutes=2), dt.timedelta(minutes=10))
"""A changelog, alert or weekly post a door could not deliver is tried again after these."""
WATCH_STOP_TIMEOUT = 3.0
"""Seconds the KB watcher gets to end by itself at shutdown before it is cancelled."""
DRAIN_TIMEOUT = 30.0
"""At shutdown, how long posts already under way may take to finish (a notice waits up to a minute
for Telegram's answer; cut short, it would be neither marked nor known to be posted)."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Posting:
    def __init__(
        self,
        settings: Settings,
        holder: KBHolder,
        scheduler: Scheduler,
        *,
        clock: Clock = utc_now,
    ) -> None:
        self.settings = settings
        self.holder = holder
        self.scheduler = scheduler
        self.clock = clock
        self.doors: list[Door] = []
        self.gaps = GapStore(settings.gaps_file)
        self.notices = NoticeService(
            self._notice_doors,
            holder,
            scheduler,
            lambda: self.clock(),
            state_file=settings.notice_state_file,
            lead=dt.timedelta(minutes=settings.notice_lead_minutes),
            grace=dt.timedelta(minutes=settings.notice_grace_minutes),
        )
        self.deletions = Deletions(
            settings.notice_state_file.with_name("deletions.json"),
            self.door_named,
            scheduler,
            lambda: self.clock(),
        )
        self.reloader = Reloader(
            holder, settings.kb_dir, [self.after_reload], secrets_file=settings.kb_secrets_file
        )
        self._after_reload: list[AfterReload] = []
        self._watch_stop = asyncio.Event()
        self._watch_tasks: list[asyncio.Task[None]] = []
        self._busy = 0
        self._idle = asyncio.Condition()
        self._posts = 0
        self.started = False

    # ------------------------------------------------------------------ doors

    def add_door(self, door: Door) -> None:
        if self.door_named(door.name) is not None:
            raise ValueError(f"door {door.name!r} added twice")
        self.doors.append(door)

    def door_named(self, name: str) -> Door | None:
        return next((door for door in self.doors if door.name == name), None)

    def _notice_doors(self) -> Sequence[Door]:
        """The doors with a chat of their own for notices (``has_chat_for``, when they say)."""
        return [d for d in self.doors if _has_chat_for(d, Audience.NOTICES)]

    def on_reload(self, callback: AfterReload) -> None:
        """Run ``callback()`` after every good reload (menus, ...); the notices replan anyway."""
        self._after_reload.append(callback)

    # ------------------------------------------------------------------ life

    async def start(self) -> None:
        """Notices, pending deletions, the weekly post and the KB watcher. Once."""
        if self.started:
            return
        self.started = True
        async with self.busy():
            await self.notices.start()
            await self.deletions.start()
        self.schedule_weekly()
        self.start_watching()

    async def stop(self) -> None:
        """Stop the watcher; wait (at most :data:`DRAIN_TIMEOUT`) for posts under way."""
        await self.stop_watching()
        await self.drain(DRAIN_TIMEOUT)

    @contextlib.asynccontextmanager
    async def busy(self) -> AsyncIterator[None]:
        """Counts a post under way, for :meth:`drain`."""
        self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1
            async with self._idle:
                self._idle.notify_all()

    async def drain(self, timeout: float) -> bool:
        """Until no post is under way (True) or ``timeout`` seconds passed (False)."""
        async with self._idle:
            try:
                await asyncio.wait_for(self._idle.wait_for(lambda: self._busy == 0), timeout)
            except TimeoutError:
                log.warning("stopping with %d post(s) still under way", self._busy)
                return False
        return True

    def start_watching(self) -> None:
        """Watch ``KB_DIR`` (and pull git, when configured) in the background."""
        if self._watch_tasks:
            return
        self._watch_stop = asyncio.Event()
        tasks = [asyncio.create_task(self.reloader.watch(self._watch_stop), name="kb-watch")]
        if self.settings.kb_git_pull_seconds > 0:
            pull = self.reloader.pull_forever(self.settings.kb_git_pull_seconds, self._watch_stop)
            tasks.append(asyncio.create_task(pull, name="kb-git-pull"))
        self._watch_tasks = tasks
        outside = f" and {self.settings.kb_secrets_file}" if self.settings.kb_secrets_file else ""
        log.info("watching %s%s for knowledge changes", self.settings.kb_dir, outside)

    async def stop_watching(self) -> None:
        self._watch_stop.set()
        tasks, self._watch_tasks = self._watch_tasks, []
        if not tasks:
            return
        _done, pending = await asyncio.wait(tasks, timeout=WATCH_STOP_TIMEOUT)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    # ------------------------------------------------------------------ posting

    async def post(self, audience: Audience, reply: Reply) -> None:
        """``reply`` to ``audience`` through every door; a door that cannot now is tried again
        (:data:`POST_RETRIES`), the others are not asked twice."""
        for door in self.doors:
            await self._post_through(door, audience, reply, 0)

    async def _post_through(self, door: Door, audience: Audience, reply: Reply, tries: int) -> None:
        async with self.busy():
            try:
                await door.post(audience, reply)
                return
            except DeliveryError as exc:
                if tries >= len(POST_RETRIES):
                    log.error("%s post to %s given up: %s", audience, door.name, exc)
                    return
                wait = POST_RETRIES[tries]
                log.warning(
                    "%s post to %s failed (%s); again in %s", audience, door.name, exc, wait
                )
            except Exception:
                log.exception("%s post to %s failed unexpectedly", audience, door.name)
                return
        self._posts += 1

        async def again() -> None:
            await self._post_through(door, audience, reply, tries + 1)

        self.scheduler.once(f"{POST_PREFIX}{self._posts}", wait, again)

    async def post_due_notices(self) -> int:
        async with self.busy():
            return await self.notices.post_due()

    def delete_later(self, posted: Sequence[Posted], seconds: int) -> None:
        self.deletions.add(posted, dt.timedelta(seconds=seconds))

    # ------------------------------------------------------------------ reloads

    async def after_reload(self, result: ReloadResult) -> None:
        """The changelog to the notice chats after a good reload, the problems to the
        supervisors after a bad one (and to them, not the group, that a later one is good);
        notices replanned, the doors' own callbacks run."""
        if result.event is ReloadEvent.LOADED:
            health.note_kb(self.holder.kb)
            for callback in [self.notices.reschedule, *self._after_reload]:
                try:
                    await callback()
                except Exception:
                    log.exception("after-reload callback failed")
            reply = changelog_reply(result)
            if reply is not None:
                await self.post(Audience.NOTICES, reply)
            recovered = recovered_reply(result)  # to whom the error went, not to the group
            if recovered is not None:
                await self.post(Audience.SUPERVISORS, recovered)
        elif result.event is ReloadEvent.BROKEN:
            reply = broken_reply(result)
            if reply is not None:
                await self.post(Audience.SUPERVISORS, reply)

    # ------------------------------------------------------------------ the weekly post

    def schedule_weekly(self) -> None:
        """The week's gaps to the supervisors at ``GAPS_WEEKLY_AT`` (UPCALL's clock); ``off``:
        never."""
        self.scheduler.drop(WEEKLY_JOB)
        weekly = self.settings.gaps_weekly_at
        if weekly is None:
            log.info("GAPS_WEEKLY_AT is off: no weekly summary of unanswered questions")
            return
        at = dt.time(weekly.hour, weekly.minute, tzinfo=ZoneInfo(self.settings.timezone))
        self.scheduler.weekly(WEEKLY_JOB, weekly.weekday, at, self.post_weekly)

    async def post_weekly(self) -> None:
        now = dt.datetime.now(ZoneInfo(self.settings.timezone))
        # Read in a worker thread: a large gaps file must not hold the other chats' answers.
        reply = await asyncio.to_thread(weekly_reply, self.holder.kb, self.gaps, now)
        await self.post(Audience.SUPERVISORS, reply)


def _has_chat_for(door: Door, audience: Audience) -> bool:
    has = getattr(door, "has_chat_for", None)
    return bool(has(audience)) if callable(has) else True
