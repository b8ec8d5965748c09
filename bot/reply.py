"""What the core answers: plain data, free of any chat platform.

A :class:`Reply` is a sequence of :class:`Block` (each a run of styled :class:`Span`), optional
:class:`Button` choices, and flags. ``bot.render`` turns it into Telegram HTML or console text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Style(StrEnum):
    PLAIN = "plain"
    BOLD = "bold"
    ITALIC = "italic"
    CODE = "code"  # monospace; in Telegram a tap copies it (passwords, IPs, URLs)


@dataclass(frozen=True)
class Span:
    text: str
    style: Style = Style.PLAIN


class BlockKind(StrEnum):
    HEADING = "heading"
    TEXT = "text"
    NOTE = "note"  # supervisors' notes and hints, shown in italics
    TEMPLATE = "template"  # a suggested message, copied verbatim by the agent


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    spans: tuple[Span, ...]
    title: str = ""

    @property
    def plain(self) -> str:
        return "".join(span.text for span in self.spans)


def heading(text: str) -> Block:
    return Block(BlockKind.HEADING, (Span(text),))


def text(*parts: str | Span) -> Block:
    return Block(BlockKind.TEXT, tuple(p if isinstance(p, Span) else Span(p) for p in parts))


def note(text_: str) -> Block:
    return Block(BlockKind.NOTE, (Span(text_),))


def template(title: str, body: str) -> Block:
    return Block(BlockKind.TEMPLATE, (Span(body),), title=title)


@dataclass(frozen=True)
class Button:
    """A choice offered to the agent; choosing it asks the core ``ask`` as if typed."""

    label: str
    ask: str


class ReplyKind(StrEnum):
    ANSWER = "answer"  # a topic of an ISP, found
    CARD = "card"  # /provedor: every topic of an ISP
    LIST = "list"  # /provedores
    HELP = "help"
    CHOICE = "choice"  # several good matches: the agent picks one of the buttons
    NO_INFO = "no_info"  # the ISP's document does not answer this topic
    MISSING_PROVIDER = "missing_provider"
    UNKNOWN_PROVIDER = "unknown_provider"
    LOOKALIKE = "lookalike"  # a company whose callers reach an ISP by mistake
    UNKNOWN_EQUIPMENT = "unknown_equipment"
    UNKNOWN_COMMAND = "unknown_command"
    NOT_UNDERSTOOD = "not_understood"  # free text with low confidence
    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind
    blocks: tuple[Block, ...]
    buttons: tuple[Button, ...] = ()
    credentials: bool = False
    """True when the text carries a password or a system login (see the credential policy)."""
    provider_id: str | None = None
    topic_id: str | None = None
    equipment: str | None = None
    confidence: float = 1.0

    @property
    def templates(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind is BlockKind.TEMPLATE)
