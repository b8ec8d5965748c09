"""A :class:`~bot.answers.reply.Reply` as Telegram HTML.

Every string that comes from the KB or from the user is escaped here and only here.
"""

from __future__ import annotations

import html

from bot.answers.render.parts import pack
from bot.answers.reply import Block, BlockKind, Reply, Span, Style, Timeline

TELEGRAM_LIMIT = 4096
"""Telegram's maximum message length, in characters, after entity parsing."""
CAPTION_LIMIT = 1024
"""Telegram's maximum caption length (a photo's text), after entity parsing."""

_TAGS = {Style.BOLD: "b", Style.ITALIC: "i", Style.CODE: "code"}


def _escaped(words: str) -> str:
    """``html.escape`` without quotes; most lines have nothing to escape (called per span)."""
    if "&" in words or "<" in words or ">" in words:
        return html.escape(words, quote=False)
    return words


def _span_html(span: Span) -> str:
    escaped = _escaped(span.text)
    tag = _TAGS.get(span.style)
    return f"<{tag}>{escaped}</{tag}>" if tag else escaped


def block_html(block: Block) -> str:
    if block.kind is BlockKind.HEADING:
        return f"<b>{html.escape(block.plain, quote=False)}</b>"
    if block.kind is BlockKind.TEMPLATE:
        title = html.escape(block.title, quote=False)
        return f"<b>{title}</b>\n<pre>{html.escape(block.plain.strip(), quote=False)}</pre>"
    inner = "".join(_span_html(s) for s in block.spans)
    return f"<i>{inner}</i>" if block.kind is BlockKind.NOTE else inner


def to_html(reply: Reply) -> str:
    """The whole reply as one Telegram HTML text (see :func:`to_html_parts` for sending)."""
    return "\n\n".join(block_html(b) for b in reply.blocks)


def _split_block(block: Block, limit: int) -> list[Block]:
    """Cut an oversized block at line breaks (or anywhere, for a huge line) into blocks that fit."""
    pieces: list[Block] = []
    current: list[Span] = []
    size = 0

    def flush() -> None:
        nonlocal current, size
        if current:
            pieces.append(Block(block.kind, tuple(current), block.title))
        current, size = [], 0

    for span in block.spans:
        for chunk in _chunks(span.text, limit):
            cost = len(_span_html(Span(chunk, span.style)))
            if size + cost > limit:
                flush()
            current.append(Span(chunk, span.style))
            size += cost
    flush()
    return pieces


def _chunks(text: str, limit: int) -> list[str]:
    """Pieces of ``text``, cut at line ends where possible, each escaping to <= ``limit``."""
    out: list[str] = []
    for line in text.splitlines(keepends=True) or [text]:
        piece, size = "", 0
        for char in line:
            cost = len(html.escape(char, quote=False))
            if size + cost > limit:
                out.append(piece)
                piece, size = "", 0
            piece += char
            size += cost
        out.append(piece)
    return out


def to_html_parts(reply: Reply, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """The reply as Telegram messages of at most ``limit`` characters, cut between blocks."""
    margin = 64  # room for the tags a block adds around its spans
    pieces: list[tuple[str, bool]] = []
    for block in reply.blocks:
        rendered = block_html(block)
        split = (
            [rendered]
            if len(rendered) <= limit
            else [block_html(p) for p in _split_block(block, limit - margin)]
        )
        # A section's title stays with its body (a card cut into messages).
        pieces += [(piece, block.kind is BlockKind.HEADING) for piece in split]
    return pack(pieces, limit)


def caption_html(timeline: Timeline) -> str:
    """The caption of a timeline's picture: its short title."""
    return html.escape(timeline.title[:CAPTION_LIMIT], quote=False)
