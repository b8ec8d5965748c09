"""Data computed from a KB once and kept in it (an index, a lexicon, its passwords).

Every such function is registered as it is defined: :func:`build_all` computes them all for a KB
just loaded, in the loader or the reload worker, so the first question after a start or a reload
finds them built instead of waiting for them in the chat."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bot.knowledge.kb import KB

T = TypeVar("T")
K = TypeVar("K")

log = logging.getLogger(__name__)

_BUILDERS: list[Callable[[KB], Any]] = []
"""Every :func:`derived` function of the modules imported so far, in definition order. A module
the process never imported answers nothing, so what it would derive is not needed."""


def derived(build: Callable[[KB], T]) -> Callable[[KB], T]:
    """Decorate a function that computes data from a KB (an index, a lexicon): it runs once per
    KB and its result is kept in that KB. Unlike an ``lru_cache`` keyed on the KB, this does not
    keep old KBs alive after reloads; the results go when their KB goes. Thread-safe enough: two
    threads may both build, one result wins, and both are equal."""

    @wraps(build)
    def get(kb: KB) -> T:
        try:
            return kb._derived[build]  # type: ignore[no-any-return]
        except KeyError:
            return kb._derived.setdefault(build, build(kb))  # type: ignore[no-any-return]

    _BUILDERS.append(get)
    return get


def prepared(warm: Callable[[KB], None]) -> Callable[[KB], None]:
    """Decorate a function that fills a cache of the process for a KB (not kept in the KB: the
    holiday calendars of its ISPs, the git version of its directory): :func:`build_all` runs it
    for each KB loaded."""
    _WARMERS.append(warm)
    return warm


_WARMERS: list[Callable[[KB], None]] = []


def builders() -> tuple[Callable[[KB], Any], ...]:
    """The registered :func:`derived` functions (tests: each is built by :func:`build_all`)."""
    return tuple(_BUILDERS)


def build_all(kb: KB) -> None:
    """Compute every registered function for ``kb`` now. Never raises: a function that fails
    is logged and left to fail where it is used, as it would have without this."""
    for get in (*_BUILDERS, *_WARMERS):
        try:
            get(kb)
        except Exception:
            log.exception("building %s for the KB failed", getattr(get, "__qualname__", get))


def remembered(memo: dict[K, T], key: K, compute: Callable[[], T], limit: int) -> T:
    """``memo[key]``, computed once by ``compute``. A per-KB memo (a :func:`derived` dict)
    starts over when it holds ``limit`` entries: a bound on its memory, as every question's
    words are tried in it."""
    found = memo.get(key)
    if found is None:
        if len(memo) >= limit:
            memo.clear()
        found = memo[key] = compute()
    return found
