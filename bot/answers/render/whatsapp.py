"""A :class:`~bot.answers.reply.Reply` as WhatsApp markup.

WhatsApp formats ``*bold*``, ``_italic_``, ``~strike~`` and ````` ```monospace``` `````, and has no
escape character: a ``*`` or ``_`` in a password, a URL or a suggested message would be read as
formatting. So whatever must reach the agent exactly as written goes inside ````` ``` `````:
credentials and other code spans, suggested messages, and any word of the KB's text that
carries one of the marker characters. Nothing here is HTML: the KB's text goes out as written.

Links stay out of the fences, in a suggested message too: WhatsApp makes a link of a URL in
plain text, not of one in monospace, and an agent must be able to tap it (QA round 7, #21).
A marker character inside a URL formats nothing where it sits between two letters or digits
(``central_assinante_web``: WhatsApp styles only from a marker at a word's edge); a ``_`` or
``~`` at a word's edge (``/_x_/``, ``/~user``) is written percent-encoded (``%5F``, ``%7E``:
the same address, RFC 3986 §2.3); a URL with ``*`` or a backtick, whose encoded form may be
another address, stays fenced (exact, but not tappable).

A reply longer than :data:`WHATSAPP_LIMIT` is cut between blocks (paragraphs), an oversized block at
line ends; a code block cut in two is closed and reopened. Choices (Telegram's buttons) become a
numbered list at the end of the last part: the agent answers with the number.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.answers import messages as msg
from bot.answers.render.parts import pack
from bot.answers.reply import Block, BlockKind, Button, Reply, Span, Style

WHATSAPP_LIMIT = 4000
"""Characters per message. WhatsApp takes far more; past a screen or two a long answer is easier
to read, and to quote, in a few messages."""

FENCE = "```"
_BROKEN_FENCE = "`\u02cb`"
"""What three backticks inside a code span become (a modifier grave accent in the middle)."""
_MARKERS = frozenset("*_~`")
_URL = re.compile(r"(?:https?://|www\.)[^\s]+?(?=[.,;:!?)\]]*(?:\s|$))", re.IGNORECASE)
_TOKEN = re.compile(r"\S+|\s+")


def _fenced(text: str) -> str:
    """Monospace, never formatted. Three backticks inside would end the block early."""
    return f"{FENCE}{text.replace(FENCE, _BROKEN_FENCE)}{FENCE}"


_EDGE_SAFE = {"_": "%5F", "~": "%7E"}
"""Marker characters a URL may carry percent-encoded as the same address (unreserved)."""


def _link(url: str) -> str:
    """A URL as WhatsApp makes a tappable link of it, formatting nothing (see the module)."""
    out: list[str] = []
    for index, ch in enumerate(url):
        if ch in _EDGE_SAFE:
            before = url[index - 1] if index else " "
            after = url[index + 1] if index + 1 < len(url) else " "
            out.append(ch if before.isalnum() and after.isalnum() else _EDGE_SAFE[ch])
        else:
            out.append(ch)
    linked = "".join(out)
    return _fenced(url) if any(c in "*`" for c in linked) else linked


def _fenced_but_links(text: str) -> str:
    """``text`` in monospace (a suggested message) but its URLs, left tappable; the spaces and
    line breaks around a URL outside the fences, which hug the text."""
    pieces: list[str] = []
    last = 0
    for found in _URL.finditer(text):
        pieces += [_fenced_hugging(text[last : found.start()]), _link(found.group())]
        last = found.end()
    pieces.append(_fenced_hugging(text[last:]))
    return "".join(pieces)


def _fenced_hugging(text: str) -> str:
    core = text.strip()
    if not core:
        return text
    start = text.index(core)
    return f"{text[:start]}{_fenced(core)}{text[start + len(core) :]}"


def _needs_fence(token: str) -> bool:
    return len(token) > 1 and any(c in _MARKERS for c in token)


def _protect(text: str) -> str:
    """Plain text as WhatsApp shows it as written: words with marker characters fenced, URLs
    left tappable."""
    out: list[str] = []
    for line in text.split("\n"):
        pieces: list[str] = []
        last = 0
        for found in _URL.finditer(line):
            pieces.append(_protect_words(line[last : found.start()]))
            pieces.append(_link(found.group()))
            last = found.end()
        pieces.append(_protect_words(line[last:]))
        out.append("".join(pieces))
    return "\n".join(out)


def _protect_words(text: str) -> str:
    return "".join(
        _fenced(token) if not token.isspace() and _needs_fence(token) else token
        for token in _TOKEN.findall(text)
    )


def _styled(text: str, marker: str) -> str:
    """``*text*`` line by line (WhatsApp does not style across lines), the markers hugging the
    words; text that itself carries marker characters stays plain but protected."""
    if any(c in _MARKERS for c in text) or _URL.search(text):
        return _protect(text)
    lines = []
    for line in text.split("\n"):
        core = line.strip()
        if not core:
            lines.append(line)
            continue
        start = line.index(core)
        lines.append(f"{line[:start]}{marker}{core}{marker}{line[start + len(core) :]}")
    return "\n".join(lines)


def _span(span: Span) -> str:
    if not span.text:
        return ""
    if span.style is Style.CODE:
        if "\n" in span.text:
            lines = span.text.split("\n")
            return "\n".join(_fenced(line) if line.strip() else line for line in lines)
        return _fenced(span.text)
    if span.style is Style.BOLD:
        return _styled(span.text, "*")
    if span.style is Style.ITALIC:
        return _styled(span.text, "_")
    return _protect(span.text)


def block_whatsapp(block: Block) -> str:
    if block.kind is BlockKind.HEADING:
        return _styled(block.plain, "*")
    if block.kind is BlockKind.NOTE:
        return _styled(block.plain, "_")
    if block.kind is BlockKind.TEMPLATE:
        body = block.plain.strip()
        title = f"{_styled(block.title, '*')}\n" if block.title else ""
        return f"{title}{_fenced_but_links(body)}" if body else title.rstrip("\n")
    return "".join(_span(s) for s in block.spans)


def choices_whatsapp(buttons: tuple[Button, ...]) -> str:
    """The choices as a numbered list, and how to pick one."""
    lines = [f"{number}. {_protect(b.label)}" for number, b in enumerate(buttons, start=1)]
    return "\n".join([*lines, "", _styled(msg.CHOOSE_BY_NUMBER, "_")])


def to_whatsapp(reply: Reply) -> str:
    """The whole reply as one text (see :func:`to_whatsapp_parts` for sending)."""
    return "\n\n".join(to_whatsapp_parts(reply, limit=1 << 30))


def to_whatsapp_parts(reply: Reply, limit: int = WHATSAPP_LIMIT) -> list[str]:
    """The reply as WhatsApp messages of at most ``limit`` characters, cut between blocks; the
    numbered choices close the last one."""
    rendered: list[tuple[str, bool]] = []
    for block in reply.blocks:
        whole = block_whatsapp(block)
        split = [whole] if len(whole) <= limit else _split(block, limit)
        # A section's title stays with its body (a card cut into messages).
        rendered += [(piece, block.kind is BlockKind.HEADING) for piece in split]
    if reply.buttons:
        rendered.append((choices_whatsapp(reply.buttons), False))
    return pack(((p, lead) for p, lead in rendered if p), limit)


def _split(block: Block, limit: int) -> list[str]:
    """An oversized block as pieces of at most ``limit`` characters, cut at line ends."""
    if block.kind is BlockKind.TEMPLATE:
        title = _styled(block.title, "*") if block.title else ""

        chunks = _line_chunks(block.plain.strip(), limit - 1, _fenced_chunk)
        fenced = [_fenced_chunk(chunk) for chunk in chunks]
        if title:
            if len(title) + 1 + len(fenced[0]) <= limit:
                fenced[0] = f"{title}\n{fenced[0]}"
            else:
                fenced.insert(0, title)
        return fenced
    if block.kind in (BlockKind.HEADING, BlockKind.NOTE):
        marker = "*" if block.kind is BlockKind.HEADING else "_"
        return [_styled(chunk, marker) for chunk in _line_chunks(block.plain, limit - 2, _protect)]
    pieces: list[str] = []
    current = ""
    for span in block.spans:

        def render(text: str, style: Style = span.style) -> str:
            return _span(Span(text, style))

        for chunk in _line_chunks(span.text, limit, render):
            rendered = render(chunk)
            if current and len(current) + len(rendered) > limit:
                pieces.append(current.strip("\n"))
                current = ""
            current += rendered
    if current.strip("\n"):
        pieces.append(current.strip("\n"))
    return pieces


def _fenced_chunk(chunk: str) -> str:
    return _fenced_but_links(chunk.rstrip("\n"))


def _line_chunks(text: str, limit: int, render: Callable[[str], str]) -> list[str]:
    """``text`` cut at line ends (or anywhere, for a huge line) into chunks that render within
    ``limit``."""
    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True) or [text]:
        if current and len(render(current + line)) > limit:
            chunks.append(current)
            current = ""
        while len(render(line)) > limit:
            cut = max(1, limit - 2 * len(FENCE))
            while cut > 1 and len(render(line[:cut])) > limit:
                cut //= 2
            chunks.append(line[:cut])
            line = line[cut:]
        current += line
    if current:
        chunks.append(current)
    return chunks
