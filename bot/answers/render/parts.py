"""Rendered blocks packed into messages of a door's size: shared by the Telegram and WhatsApp
renderers, which cut a long reply (an ISP's card) into several messages."""

from __future__ import annotations

from collections.abc import Iterable

SEPARATOR = "\n\n"


def pack(pieces: Iterable[tuple[str, bool]], limit: int) -> list[str]:
    """``(text, lead)`` pieces, each at most ``limit`` long, joined into as few messages of at most
    ``limit`` characters as they fit in, cut between pieces. A ``lead`` piece (a section's title)
    never closes a message: it opens the next one with the piece it heads, unless the two
    together cannot fit in one message."""
    units: list[str] = []
    carry = ""
    for piece, lead in pieces:
        if carry:
            glued = f"{carry}{SEPARATOR}{piece}"
            if len(glued) <= limit:
                piece = glued
            else:
                units.append(carry)
            carry = ""
        if lead:
            carry = piece
        else:
            units.append(piece)
    if carry:
        units.append(carry)
    parts: list[str] = []
    current = ""
    for unit in units:
        joined = f"{current}{SEPARATOR}{unit}" if current else unit
        if len(joined) <= limit:
            current = joined
        else:
            if current:
                parts.append(current)
            current = unit
    if current or not parts:
        parts.append(current)
    return parts
