"""Hot reload of the knowledge: watch ``KB_DIR`` (and a secrets file kept outside it), load all or
nothing, swap, tell who must know.

A good new version replaces the KB in one assignment and yields the changelog for the group. A bad
one (a load error, an ISP that lost most of what it had at once, :mod:`bot.knowledge.guard`, or a
whole ISP gone, until a supervisor confirms with ``/recarregar``) leaves the old KB answering and
yields the problems for the supervisors, once per bad version; the next good version tells them
the problem is fixed. Nothing here imports ``telegram``: listeners
receive a :class:`ReloadResult` and decide how to post it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import subprocess
from collections.abc import Awaitable, Callable, Set
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from bot.app import metrics
from bot.knowledge.changelog import diff
from bot.knowledge.derive import build_all
from bot.knowledge.kb import (
    KB,
    KBError,
    KBHolder,
    KBProblem,
    load_kb,
    removal_problems,
    shrink_problems,
)
from bot.knowledge.version import Version, fingerprint, git_version

log = logging.getLogger(__name__)

DEBOUNCE_MS = 1500
"""Editors and ``git pull`` write several files in a burst: wait for quiet before loading."""
CHECK_MS = 5000
"""Without changes, the watcher still wakes this often: to see whether the directory itself was
replaced (a symlink switched by a deploy) and needs watching anew, and, after that, to load it."""
RETRY_SECONDS = 5.0
"""When the directory cannot be watched (it is gone), try again after this long."""

_Identity = tuple[tuple[Path, tuple[int, int] | None], ...]


class ReloadEvent(StrEnum):
    LOADED = "loaded"  # a new version is answering
    UNCHANGED = "unchanged"  # files touched, knowledge the same
    BROKEN = "broken"  # a new bad version: old KB kept, supervisors alerted
    STILL_BROKEN = "still_broken"  # the same bad version again: nobody alerted twice


@dataclass(frozen=True)
class ReloadResult:
    event: ReloadEvent
    changes: tuple[str, ...] = ()
    problems: tuple[KBProblem, ...] = ()
    version: Version | None = None
    fixed: bool = False
    """True when this good version follows a bad one."""


Listener = Callable[[ReloadResult], Awaitable[None]]


@dataclass
class Reloader:
    holder: KBHolder
    directory: Path
    listeners: list[Listener] = field(default_factory=list)
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    fingerprint: str = ""
    version: Version | None = None
    loaded_at: dt.datetime | None = None
    broken_fingerprint: str | None = None
    secrets_file: Path | None = None
    """``KB_SECRETS_FILE``; None: ``secrets.yaml`` inside the directory, if any."""
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)
    """One reload at a time: the watchers, the git pull and /recarregar may ask at once."""

    def __post_init__(self) -> None:
        self.fingerprint = self.fingerprint or self._fingerprint()
        self.version = self.version or git_version(self.directory)
        self.loaded_at = self.loaded_at or self.holder.kb.loaded_at

    def _fingerprint(self) -> str:
        # The secrets file by name, wherever it is: outside the directory, nothing else sees it.
        return fingerprint(self.directory, [self.secrets_file] if self.secrets_file else [])

    def reload_now(self, *, confirmed: bool = False) -> ReloadResult:
        """Load the directory as it is now and swap if it is good. Blocking; never raises.
        ``confirmed`` (a supervisor's ``/recarregar``): a whole ISP removed is accepted; without
        it, such a version is held as a bad one (:func:`~bot.knowledge.kb.removal_problems`)."""
        current = self._fingerprint()
        if current and current == self.fingerprint and self.broken_fingerprint is None:
            return ReloadResult(ReloadEvent.UNCHANGED)
        try:
            new = load_kb(
                self.directory,
                now=self.clock(),
                secrets_file=self.secrets_file,
                cache=self.holder.cache,
            )
            # An ISP that lost most of what it had at once: a file cut short, most likely.
            shrunk = shrink_problems(self.holder.kb.providers, new)
            if not confirmed:  # a whole ISP gone: a file deleted or renamed by mistake?
                shrunk += removal_problems(self.holder.kb.providers, new)
            if not shrunk:
                build_all(new)  # here, in the reload's thread: not at the next question
        except KBError as exc:
            return self._broken(current, tuple(exc.problems))
        except Exception as exc:  # a loader bug must not take the bot down either
            log.exception("unexpected error loading the KB")
            return self._broken(current, (KBProblem(self.directory, None, repr(exc)),))
        if shrunk:  # the version answering keeps answering
            return self._broken(current, tuple(shrunk))
        old: KB = self.holder.swap(new)
        was_broken = self.broken_fingerprint is not None
        self.fingerprint, self.broken_fingerprint = current, None
        self.version = git_version(self.directory)
        self.loaded_at = new.loaded_at
        changes = tuple(diff(old, new))
        del old
        self.holder.settle()
        if not changes and not was_broken:
            return ReloadResult(ReloadEvent.UNCHANGED, version=self.version)
        return ReloadResult(ReloadEvent.LOADED, changes, version=self.version, fixed=was_broken)

    def _broken(self, current: str, problems: tuple[KBProblem, ...]) -> ReloadResult:
        version = git_version(self.directory)
        if current and current == self.broken_fingerprint:
            return ReloadResult(ReloadEvent.STILL_BROKEN, problems=problems, version=version)
        self.broken_fingerprint = current or "unreadable"
        log.warning(
            "KB not reloaded: %d problem(s); the previous version keeps answering", len(problems)
        )
        return ReloadResult(ReloadEvent.BROKEN, problems=problems, version=version)

    async def reload(self, *, confirmed: bool = False) -> ReloadResult:
        """:meth:`reload_now` in a worker thread, then the listeners; ``confirmed``: see there."""
        async with self._lock:  # listeners included: their posts keep the order of the reloads
            result = await asyncio.to_thread(lambda: self.reload_now(confirmed=confirmed))
            metrics.reloaded(result.event.value)
            if result.event in (ReloadEvent.LOADED, ReloadEvent.BROKEN):
                for listener in self.listeners:
                    try:
                        await listener(result)
                    except Exception:
                        log.exception("reload listener failed")
        return result

    async def watch(self, stop: asyncio.Event | None = None) -> None:
        """Reload after every burst of changes under the directory, or to a secrets file outside
        it, until ``stop`` is set."""
        stop = stop or asyncio.Event()
        async with asyncio.TaskGroup() as group:
            group.create_task(self._follow(self._kb_scope, stop))
            if self._secrets_scope().directories:
                group.create_task(self._follow(self._secrets_scope, stop))

    def _kb_scope(self) -> _Scope:
        return _Scope((self.directory,), recursive=True)

    def _secrets_scope(self) -> _Scope:
        """The directory of the secrets file, when the file lies outside the KB directory (inside
        it, the KB's own watch sees it). Its directory, not the file: editors and vault agents
        replace a file by rename, and a watch on the file would stay on the replaced one. A
        symlink's target is watched too: a Kubernetes secret volume switches a symlink and then
        deletes the old target."""
        if self.secrets_file is None:
            return _Scope((), recursive=False, files=frozenset())
        given = Path(os.path.abspath(self.secrets_file))
        files = {p for p in (given, given.resolve()) if not _inside(p, self.directory)}
        directories = tuple(sorted({p.parent for p in files}))
        return _Scope(directories, recursive=False, files=frozenset(files))

    async def _follow(self, scope: Callable[[], _Scope], stop: asyncio.Event) -> None:
        """Watch what ``scope`` names, and name anew when it was removed or replaced."""
        from watchfiles import DefaultFilter, awatch

        lost = gone = False
        while not stop.is_set():
            watching = scope()
            watched = watching.identity()
            gone = gone and any(found is None for _, found in watched)
            if not watching.directories:  # a symlink now points into the KB directory
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=RETRY_SECONDS)
                continue
            try:
                async for changes in awatch(
                    *watching.directories,
                    # The secrets file's directory may hold anything: filtered below, by path.
                    watch_filter=DefaultFilter() if watching.files is None else None,
                    debounce=DEBOUNCE_MS,
                    stop_event=stop,
                    recursive=watching.recursive,
                    rust_timeout=CHECK_MS,
                    yield_on_timeout=True,
                ):
                    if watching.concerned(changes) or lost:
                        # After a lost watch, the first wake-up (changes settled, or CHECK_MS of
                        # quiet) loads what changed while nothing watched.
                        await self.reload()
                        lost = False
                    if scope().identity() != watched:
                        # Removed, or replaced by another directory (rm -r and a fresh copy, a
                        # switched symlink): the watch follows the old one and would never report
                        # a change again. Watch the new one.
                        log.warning("%s was removed or replaced: watching it anew", watching)
                        lost = True
                        break
            except (FileNotFoundError, OSError) as exc:
                # The directory vanished (a checkout in progress?): keep the last good KB.
                level = logging.DEBUG if gone else logging.WARNING  # once, not every retry
                log.log(level, "cannot watch %s (%s); retrying", watching, exc)
                await self.reload()
                lost = gone = True
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=RETRY_SECONDS)

    async def pull_forever(self, period: float, stop: asyncio.Event | None = None) -> None:
        """``git pull --ff-only`` every ``period`` seconds; reload when HEAD moved."""
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=period)
                return
            except TimeoutError:
                pass
            before = git_version(self.directory)
            await asyncio.to_thread(git_pull, self.directory)
            after = git_version(self.directory)
            if after != before:
                await self.reload()


@dataclass(frozen=True)
class _Scope:
    """What one watch covers: directories, whether it descends into them and, when ``files`` is
    set, the only paths in them whose changes matter."""

    directories: tuple[Path, ...]
    recursive: bool
    files: frozenset[Path] | None = None

    def concerned(self, changes: Set[tuple[object, str]]) -> bool:
        if self.files is None:
            return bool(changes)
        return any(Path(path) in self.files for _, path in changes)

    def identity(self) -> _Identity:
        """Which directories are at these paths now."""
        return tuple((d, _identity(d)) for d in self.directories)

    def __str__(self) -> str:
        shown = self.files if self.files is not None else self.directories
        return ", ".join(str(p) for p in sorted(shown))


def _inside(path: Path, directory: Path) -> bool:
    """Does the KB directory's watch see ``path``? (Either spelling of the directory.)"""
    return any(
        path.is_relative_to(d) for d in (Path(os.path.abspath(directory)), directory.resolve())
    )


def _identity(directory: Path) -> tuple[int, int] | None:
    """Which directory is at this path now (device, inode); ``None`` when there is none."""
    try:
        found = directory.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def git_pull(directory: Path) -> bool:
    """Fast-forward the KB's repository; False (and a log line) on any failure."""
    try:
        done = subprocess.run(
            ["git", "pull", "--ff-only", "--quiet"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("git pull failed: %s", exc)
        return False
    if done.returncode != 0:
        log.warning("git pull failed: %s", done.stderr.strip())
    return done.returncode == 0
