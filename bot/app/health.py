"""Health of the running bot: what ``/healthz`` reports, and the small server that serves it with
``/metrics`` (aiohttp.web, on ``HEALTH_HOST:HEALTH_PORT``, 127.0.0.1:8080 by default).

The doors and the notice/reload code tell :data:`HEALTH` what happened (hooks below); the server
only reads it. ``/healthz`` answers 200 when healthy, 503 otherwise, with the same JSON:

* the knowledge base answering now: its version (the KB's last git commit, when in git) and
  whether the KB's files differ from that commit (a local edit not committed yet), when it was
  loaded, how many ISPs;
* per door (``telegram``, ``whatsapp``): the last successful API call, the last failure;
* the next shift-change notice planned.

Unhealthy: no KB loaded yet, or a door that has not reached its API yet or whose calls have all
failed for :data:`FAILING_AFTER` (Telegram unreachable, token revoked).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.app import metrics
from bot.app.settings import can_listen

if TYPE_CHECKING:
    from bot.knowledge.kb import KB
    from bot.knowledge.version import Version

VersionFinder = Callable[[], "str | Version | None"]
"""How to find the KB's version: a commit, or the commit and whether the files differ from it."""

log = logging.getLogger(__name__)

FAILING_AFTER = dt.timedelta(seconds=60)
"""A door whose calls have failed this long without one success makes the bot unhealthy."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


@dataclass
class DoorHealth:
    last_ok: dt.datetime | None = None
    last_error: dt.datetime | None = None
    error: str | None = None
    failing_since: dt.datetime | None = None
    """The first failure after the last success (None: the last call went through)."""


@dataclass
class KBHealth:
    version: str | VersionFinder | None
    """The version, or how to find it (a ``git log``: run at the first ``/healthz``, not at
    every load; in a thread, outside the lock)."""
    loaded_at: dt.datetime
    providers: int
    uncommitted: bool | None = None
    """The KB's files differ from the commit ``version`` names (a local edit, "Alteração local,
    sem commit" in the bot's announcement); None: not known (outside git)."""


class Health:
    """What ``/healthz`` reports. Thread-safe: the hooks may run in any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.kb: KBHealth | None = None
        self.doors: dict[str, DoorHealth] = {}
        self.next_notice: dt.datetime | None = None
        self.started_at = _utc_now()

    # -------------------------------------------------------------- hooks

    def expect(self, door: str) -> None:
        """A door this process runs: unhealthy until its first successful call."""
        with self._lock:
            self.doors.setdefault(door, DoorHealth())

    def kb_loaded(
        self,
        version: str | VersionFinder | None,
        loaded_at: dt.datetime,
        providers: int,
        uncommitted: bool | None = None,
    ) -> None:
        with self._lock:
            self.kb = KBHealth(version, loaded_at, providers, uncommitted)
        metrics.kb_loaded(providers, loaded_at.timestamp())

    def api_ok(self, door: str, when: dt.datetime | None = None) -> None:
        with self._lock:
            state = self.doors.setdefault(door, DoorHealth())
            state.last_ok = when or _utc_now()
            state.failing_since = None

    def api_failed(self, door: str, error: str, when: dt.datetime | None = None) -> None:
        moment = when or _utc_now()
        with self._lock:
            state = self.doors.setdefault(door, DoorHealth())
            state.last_error, state.error = moment, error
            if state.failing_since is None:
                state.failing_since = moment
        metrics.api_error(door, error)

    def notice_planned(self, at: dt.datetime | None) -> None:
        with self._lock:
            self.next_notice = at

    # -------------------------------------------------------------- the report

    def report(self, now: dt.datetime | None = None) -> tuple[bool, dict[str, Any]]:
        """(healthy, the JSON body of ``/healthz``)."""
        now = now or _utc_now()
        problems: list[str] = []
        with self._lock:
            kb = self.kb
            find_version = kb.version if kb is not None and callable(kb.version) else None
        if kb is not None and find_version is not None:
            found = find_version()  # ``git log``: outside the lock, the hooks go on meanwhile
            short, uncommitted = (
                (found, kb.uncommitted)
                if found is None or isinstance(found, str)
                else (found.short, found.local)
            )
            with self._lock:
                if self.kb is kb:
                    kb.version, kb.uncommitted = short, uncommitted
            kb = KBHealth(short, kb.loaded_at, kb.providers, uncommitted)
        with self._lock:
            doors = {name: DoorHealth(**vars(state)) for name, state in self.doors.items()}
            next_notice = self.next_notice
        if kb is None:
            problems.append("knowledge base not loaded")
        for name, state in sorted(doors.items()):
            if state.last_ok is None:
                problems.append(f"{name}: no successful call yet")
            elif state.failing_since is not None and now - state.failing_since >= FAILING_AFTER:
                problems.append(f"{name}: calls failing since {state.failing_since.isoformat()}")
        body: dict[str, Any] = {
            "status": "ok" if not problems else "unhealthy",
            "problems": problems,
            "started_at": _iso(self.started_at),
            "kb": None
            if kb is None
            else {
                "version": kb.version,
                "loaded_at": _iso(kb.loaded_at),
                "providers": kb.providers,
                "uncommitted": kb.uncommitted,
            },
            "doors": {
                name: {
                    "last_ok": _iso(state.last_ok),
                    "last_error": _iso(state.last_error),
                    "error": state.error,
                }
                for name, state in sorted(doors.items())
            },
            "next_notice": _iso(next_notice),
        }
        return not problems, body


HEALTH = Health()
"""The process's health, fed by the hooks of every door."""


# --------------------------------------------------------------------------- the server


def make_app(health: Health = HEALTH) -> web.Application:
    async def healthz(_request: web.Request) -> web.Response:
        # In a thread: the first report after a load runs ``git log``, never on the event loop.
        healthy, body = await asyncio.to_thread(health.report)
        return web.Response(
            text=json.dumps(body, ensure_ascii=False),
            status=200 if healthy else 503,
            content_type="application/json",
        )

    async def prometheus(_request: web.Request) -> web.Response:
        return web.Response(body=metrics.render(), headers={"Content-Type": metrics.CONTENT_TYPE})

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", prometheus)
    return app


async def start_server(host: str, port: int, health: Health = HEALTH) -> web.AppRunner:
    """Serve ``/healthz`` and ``/metrics`` on ``host:port`` in the running event loop."""
    runner = web.AppRunner(make_app(health), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError:
        await runner.cleanup()
        raise
    log.info("health server on http://%s:%d/healthz and /metrics", host, port)
    return runner


async def start_or_log(host: str, port: int) -> web.AppRunner | None:
    """``start_server``; when the port was taken since start-up's check, one ERROR line and
    None: the bot answers without it."""
    try:
        return await start_server(host, port)
    except OSError as exc:
        log.error("health server not started on %s:%d: %s", host, port, exc.strerror or exc)
        return None


def port_problem(host: str, port: int) -> str | None:
    """A pt-BR line when ``host:port`` cannot be listened on, else None. (An address that is
    not this machine's was refused with the other settings: ``settings.address_problems``.)"""
    if can_listen(host, port):
        return None
    return (
        f"A porta {port} de {host} já está em uso (outro upcall-bot rodando?): "
        f"mude HEALTH_PORT, ex.: HEALTH_PORT={port + 1}, ou HEALTH_PORT=0 para desligar."
    )


def note_kb(kb: KB, health: Health = HEALTH) -> None:
    """The KB answering now (at start and after each good reload)."""
    from bot.knowledge.version import current_version

    health.kb_loaded(lambda: current_version(kb.root), kb.loaded_at, len(kb.providers))
