"""Prometheus metrics of the running bot, through ``prometheus_client``.

One registry for the process (:data:`REGISTRY`, served at ``/metrics`` by
:mod:`bot.app.health`), and small hooks the doors and the notice/reload code call. A hook never
raises: counting must not cost an agent an answer. Door labels: ``telegram``, ``whatsapp``,
``console``.

Every series whose labels are known in advance (each door, each kind of reply, each reload
result) exists from the start at 0, so that a dashboard and ``rate()`` see it before its first
event.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.answers.reply import ReplyKind

log = logging.getLogger(__name__)

DOORS = ("telegram", "whatsapp", "console")
RELOAD_RESULTS = ("loaded", "unchanged", "broken", "still_broken")
"""bot.knowledge.reload.ReloadEvent's values (that module imports this one; a test checks)."""

REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST

QUESTIONS = Counter(
    "upcall_questions", "Questions and commands asked, by door.", ["door"], registry=REGISTRY
)
ANSWERS = Counter(
    "upcall_answers",
    "Answers given, by door and kind (answer, choice, not_understood, ...).",
    ["door", "kind"],
    registry=REGISTRY,
)
GAPS = Counter(
    "upcall_gaps",
    "Questions the KB did not answer well (see /lacunas).",
    ["door"],
    registry=REGISTRY,
)
NOTICES_SENT = Counter(
    "upcall_notices_sent", "Shift-change notices posted.", ["door"], registry=REGISTRY
)
NOTICES_LATE = Counter(
    "upcall_notices_late",
    "Shift-change notices posted late (missed while the bot was down, within the grace).",
    ["door"],
    registry=REGISTRY,
)
NOTICES_FAILED = Counter(
    "upcall_notices_failed",
    "Notice sends that failed (tried again within the grace).",
    ["door"],
    registry=REGISTRY,
)
RELOADS = Counter(
    "upcall_kb_reloads",
    "Knowledge reloads by result (loaded, unchanged, broken, still_broken).",
    ["result"],
    registry=REGISTRY,
)
API_ERRORS = Counter(
    "upcall_api_errors",
    "Failed calls to a chat network's API, by door and error.",
    ["door", "error"],
    registry=REGISTRY,
)
KB_PROVIDERS = Gauge(
    "upcall_kb_providers", "ISPs in the knowledge base answering now.", registry=REGISTRY
)
KB_LOADED = Gauge(
    "upcall_kb_loaded_timestamp_seconds",
    "When the knowledge base answering now was loaded (Unix time).",
    registry=REGISTRY,
)


_P = ParamSpec("_P")


def _never_raises(hook: Callable[_P, None]) -> Callable[_P, None]:
    """Counting must not cost an agent an answer, nor a notice its post."""

    @functools.wraps(hook)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> None:
        try:
            hook(*args, **kwargs)
        except Exception as exc:
            log.warning("metrics: %s failed (%s)", hook.__name__, type(exc).__name__)

    return guarded


@_never_raises
def answered(door: str, kind: str, *, gap: bool = False) -> None:
    """One question asked at ``door`` and answered with a reply of ``kind``."""
    QUESTIONS.labels(door).inc()
    ANSWERS.labels(door, kind).inc()
    if gap:
        GAPS.labels(door).inc()


@_never_raises
def notice_posted(door: str, *, late: bool) -> None:
    NOTICES_SENT.labels(door).inc()
    if late:
        NOTICES_LATE.labels(door).inc()


@_never_raises
def notice_failed(door: str) -> None:
    NOTICES_FAILED.labels(door).inc()


@_never_raises
def reloaded(result: str) -> None:
    RELOADS.labels(result).inc()


@_never_raises
def api_error(door: str, error: str) -> None:
    API_ERRORS.labels(door, error).inc()


@_never_raises
def kb_loaded(providers: int, loaded_at: float) -> None:
    KB_PROVIDERS.set(providers)
    KB_LOADED.set(loaded_at)


def _known_series() -> None:
    """Create every series whose labels are known, at 0 (``labels()`` alone creates it)."""
    for door in DOORS:
        for counter in (QUESTIONS, GAPS, NOTICES_SENT, NOTICES_LATE, NOTICES_FAILED):
            counter.labels(door)
        for kind in ReplyKind:
            ANSWERS.labels(door, kind.value)
    for result in RELOAD_RESULTS:
        RELOADS.labels(result)


_known_series()


def render() -> bytes:
    """The registry in Prometheus' text format."""
    return generate_latest(REGISTRY)
