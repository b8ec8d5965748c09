"""The passwords the KB holds, where they may appear, and masking them out of what is stored.

A password lives in an equipment row (``passwords``) or in the text of a secret topic ("Senha:
x"). :func:`leaks` finds one anywhere else (pasted into a public topic, a template, a note), which
``kb validate`` (and every load and reload) refuses: a public topic's answer goes to any allowed
chat and is offered by inline mode, which no credential policy guards.

:func:`mask` removes passwords from text the bot stores (the gaps log, the audit log): every
password the KB knows, as a whole word, and whatever follows "senha:" in what an agent typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.knowledge.derive import derived
from bot.knowledge.schema import Provider
from bot.reading.text import compact

if TYPE_CHECKING:
    from bot.knowledge.kb import KB

MASK = "•••"
MIN_SECRET = 4
"""Shorter "passwords" ("-") are not masked: they would mask ordinary words."""
PLAIN_WORD = 5
"""Nor letters-only ones this short ("admin")."""
SECRET_IN_TEXT = re.compile(r"(?i)\b(?:senha|password|pass)\s*[:=]\s*(\S+)")
"""``Senha: x`` in a credential topic's text; also what an agent types to give one."""


@derived
def known_secrets(kb: KB) -> tuple[str, ...]:
    """Every password the KB holds (equipment rows, and "Senha: x" in credential topics), longest
    first; except those that are also an ISP's name ("sejafibra") or a short plain word
    ("admin"), which name things in ordinary questions."""
    names = {compact(n) for p in kb.providers.values() for n in p.names()}
    found: set[str] = set()
    for provider in kb.providers.values():
        for item in provider.equipment:
            found.update(p for p in item.passwords if len(p) >= MIN_SECRET)
        for topic_id, entry in provider.topics.items():
            if kb.is_secret(provider, topic_id):
                found.update(m for m in SECRET_IN_TEXT.findall(entry.text) if _looks_secret(m))
    maskable = {
        s for s in found if compact(s) not in names and not (s.isalpha() and len(s) <= PLAIN_WORD)
    }
    return tuple(sorted(maskable, key=len, reverse=True))


def _looks_secret(word: str) -> bool:
    """A password, not a description ("4 primeiros números"): long, with a digit or a sign."""
    return len(word) >= 6 and any(not ch.isalpha() for ch in word) and "://" not in word


def _whole_word(secret: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(secret)}(?![^\W_])")


def contains_secret(kb: KB, text: str) -> bool:
    return any(_whole_word(s).search(text) for s in known_secrets(kb))


def mask_secrets(kb: KB, text: str) -> str:
    """``text`` with every known password in it (as a whole word) masked."""
    for secret in known_secrets(kb):
        text = _whole_word(secret).sub(MASK, text)
    return text


def mask(kb: KB, typed: str) -> str:
    """What an agent typed, fit to store: known passwords masked, and the value after
    "senha:" / "password=" masked even when the KB does not know it."""
    masked = mask_secrets(kb, typed)
    return SECRET_IN_TEXT.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + MASK, masked)


@dataclass(frozen=True)
class Leak:
    provider: str
    where: str
    """The topic id, or the field ("notes", "coverage notes") holding the password."""


def _public_texts(kb: KB, provider: Provider) -> Iterator[tuple[str, str]]:
    """(where, text) of everything of this ISP that is not a credential (an equipment row,
    notes included, is shown only with its credentials)."""
    for topic_id, entry in provider.topics.items():
        if kb.is_secret(provider, topic_id):
            continue
        yield topic_id, entry.text
        for template in entry.templates:
            yield topic_id, f"{template.title}\n{template.text}"
        for line in entry.notes:
            yield topic_id, line
    for line in provider.notes:
        yield "notes", line
    if provider.coverage is not None:
        for line in provider.coverage.notes:
            yield "coverage notes", line
    for sector in provider.sectors:
        for line in sector.notes:
            yield f"sector {sector.id} notes", line


def leaks(kb: KB) -> list[Leak]:
    """Where a password the KB knows appears outside the secret topics and equipment rows."""
    secrets = [_whole_word(s) for s in known_secrets(kb)]
    found: list[Leak] = []
    for provider in kb.providers.values():
        for where, text in _public_texts(kb, provider):
            if any(p.search(text) for p in secrets):
                leak = Leak(provider.id, where)
                if leak not in found:
                    found.append(leak)
    return found
