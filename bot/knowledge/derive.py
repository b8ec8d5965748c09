"""Data computed from a KB once and kept in it (an index, a lexicon, its passwords)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from bot.knowledge.kb import KB

T = TypeVar("T")


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

    return get
