"""Text normalisation shared by matching, search and the fidelity check.

``normalize`` folds case and accents, turns punctuation into spaces and collapses whitespace, so
that "Qual o DNS da Mutum?" and "qual o dns da mutum" compare equal.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case and strip accents (ç -> c, ã -> a), keeping everything else."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """Fold case and accents, punctuation to spaces, whitespace collapsed."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def compact(text: str) -> str:
    """``normalize`` without spaces: "W5-1200G" and "w5 1200g" both give "w51200g"."""
    return normalize(text).replace(" ", "")


def tokens(text: str) -> list[str]:
    return normalize(text).split()
