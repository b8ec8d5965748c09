"""Fidelity of an ISP's YAML to its seed document: every answer line of the seed is in the YAML.

A seed line counts as transcribed when, after dropping question lines (ending in "?") and the
"R:" prefix ("Resp:", "Resposta:") and normalising case, accents, punctuation and whitespace, it
appears word-for-word in the text of the ISP's YAML. A table row (cells separated by tabs) counts
when each of its cells does. Lines deliberately left out are listed in the YAML's
``fidelity_skip`` with a reason; the skip list itself is not searched, so a line cannot vouch for
itself.

Passwords stay out of the YAML's text: a skip line may hold ``•••`` where the seed line has a
password (``LOGIN: admin SENHA: •••``), which matches whatever the seed has there; and a seed
copy written by ``kb import`` has its passwords masked the same way, each ``•••`` a gap between
pieces that are each looked for (the passwords themselves are in ``equipment`` or the secrets
file).

Run as ``python -m bot.knowledge.fidelity [KB_DIR] [SEEDS_DIR]`` to list the missing lines of every
ISP.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.kb import yaml_files
from bot.knowledge.typed_passwords import MASK
from bot.reading.text import normalize

ANSWER_MARK = re.compile(r"^(?:r|resp\.?|resposta)\s*:\s*", re.IGNORECASE)
"""What opens an answer line: "R:", "Resp:", "Resposta:"."""


def without_answer_mark(line: str) -> str:
    """ "R: Sim." -> "Sim."; a line without the mark as it is."""
    return ANSWER_MARK.sub("", line, count=1).strip()


def has_answer_mark(line: str) -> bool:
    return ANSWER_MARK.match(line.strip()) is not None


@dataclass(frozen=True)
class SeedLine:
    number: int
    raw: str

    @property
    def cells(self) -> list[str]:
        """The normalised pieces that must each be found (one, unless a table row)."""
        pieces = (piece for cell in self.raw.split("\t") for piece in cell.split(MASK))
        return [c for c in (normalize(piece) for piece in pieces) if c]


def answer_lines(seed_text: str) -> Iterator[SeedLine]:
    """The seed's answer lines: no blank lines, no questions, no bare "R:"."""
    for number, raw in enumerate(seed_text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.endswith("?"):
            continue
        line = without_answer_mark(line)
        if normalize(line):
            yield SeedLine(number, line)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "fidelity_skip":
                continue
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def haystack(provider_data: dict[str, Any]) -> str:
    """All the YAML's text, normalised, padded with spaces for whole-word search."""
    return " " + " ".join(normalize(s) for s in _strings(provider_data)) + " "


@dataclass(frozen=True)
class Skips:
    """The YAML's ``fidelity_skip`` lines: exact ones, and those with ``•••`` (a password left
    out) as patterns."""

    exact: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, provider_data: dict[str, Any]) -> Skips:
        lines = [str(item["line"]) for item in provider_data.get("fidelity_skip") or []]
        exact = frozenset(normalize(line) for line in lines if MASK not in line)
        return cls(exact, tuple(p for p in map(_masked_pattern, lines) if p is not None))

    def covers(self, raw: str) -> bool:
        plain = normalize(raw)
        return plain in self.exact or any(p.fullmatch(plain) for p in self.patterns)


def _masked_pattern(line: str) -> re.Pattern[str] | None:
    """A skip line with ``•••`` as a pattern of the normalised seed line: each ``•••`` stands for
    one or more words. ``None`` for a line without one, or with nothing else (it would match
    every line)."""
    if MASK not in line:
        return None
    pieces = [normalize(piece) for piece in line.split(MASK)]
    if not any(pieces):
        return None
    return re.compile(r"\s*\S.*?\s*".join(re.escape(piece) for piece in pieces))


def missing_lines(seed_text: str, provider_data: dict[str, Any]) -> list[SeedLine]:
    """Seed answer lines not found in the YAML and not in its skip list."""
    hay = haystack(provider_data)
    skips = Skips.of(provider_data)
    return [
        line
        for line in answer_lines(seed_text)
        if not skips.covers(line.raw) and not all(f" {cell} " in hay for cell in line.cells)
    ]


def _symbol(char: str) -> bool:
    """A character the normalisation drops that a reader still sees: an arrow, a dash, a quote,
    an icon ("⁝") -- anything outside ASCII that is neither a letter, a digit nor a space."""
    return ord(char) > 127 and not char.isalnum() and not char.isspace()


_WORD_THEN_SYMBOL = re.compile(r"[^\W_]+\W*?$")
_SYMBOL_THEN_WORD = re.compile(r"^\W*?[^\W_]+")


def symbol_slips(seed_text: str, provider_data: dict[str, Any]) -> list[tuple[SeedLine, str]]:
    """Seed answer lines whose symbols the YAML does not keep: each symbol with the word before
    it and the word after it (spaces aside: "Contrato→⁝", "⁝→TV") must be in the YAML's text, so
    a "⁝" copied as "”" is found though both normalise away. With the symbol that slipped."""
    hay = "".join("".join(s.split()) for s in _strings(provider_data))
    skips = Skips.of(provider_data)
    out: list[tuple[SeedLine, str]] = []
    for line in answer_lines(seed_text):
        if skips.covers(line.raw):
            continue
        tight = "".join(line.raw.replace(MASK, " ").split())
        lost = [char for char in tight if _symbol(char) and char not in hay]
        if lost:  # a symbol the YAML lacks altogether is the slip to name
            out.append((line, lost[0]))
            continue
        for at, char in enumerate(tight):
            if not _symbol(char):
                continue
            before = _WORD_THEN_SYMBOL.search(tight[:at])
            after = _SYMBOL_THEN_WORD.search(tight[at + 1 :])
            keys = [char]
            if before:
                keys.append(before.group() + char)
            if after:
                keys.append(char + after.group())
            if not all(key in hay for key in keys):
                out.append((line, char))
                break
    return out


def unused_skips(seed_text: str, provider_data: dict[str, Any]) -> list[str]:
    """Skip entries that match no seed line (stale or mistyped)."""
    lines = [line.raw for line in answer_lines(seed_text)]
    unused = []
    for item in provider_data.get("fidelity_skip") or []:
        skips = Skips.of({"fidelity_skip": [item]})
        if not any(skips.covers(line) for line in lines):
            unused.append(item["line"])
    return unused


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    kb_dir = Path(args[0]) if args else Path("knowledge")
    seeds_dir = Path(args[1]) if len(args) > 1 else Path("seeds")
    status = 0
    for path in yaml_files(kb_dir / "providers"):
        seed = seeds_dir / f"{path.stem}.txt"
        if not seed.is_file():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        seed_text = seed.read_text(encoding="utf-8")
        missing = missing_lines(seed_text, data)
        stale = unused_skips(seed_text, data)
        slips = symbol_slips(seed_text, data)
        for line in missing:
            print(f"{seed}:{line.number}: not in {path}: {line.raw}")
        for line, char in slips:
            print(
                f"{seed}:{line.number}: {char!r} (U+{ord(char):04X}) not kept in {path}: {line.raw}"
            )
        for skip in stale:
            print(f"{path}: fidelity_skip matches no seed line: {skip}")
        status |= bool(missing or stale or slips)
        print(
            f"{path.stem}: {len(missing)} missing, {len(slips)} symbol slips, "
            f"{len(stale)} stale skips",
            file=sys.stderr,
        )
    return status


if __name__ == "__main__":
    raise SystemExit(main())
