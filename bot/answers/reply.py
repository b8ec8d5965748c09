"""What the core answers: plain data, free of any chat platform.

A :class:`Reply` is a sequence of :class:`Block` (each a run of styled :class:`Span`), optional
:class:`Button` choices, and flags. ``bot.answers.render`` turns it into Telegram HTML, WhatsApp
markup or console text.
A reply may also carry a :class:`Timeline` (``/escala``): the data of a picture, never its pixels;
``bot.coverage.picture`` draws it, and a door that cannot show pictures just sends the text.
"""

from __future__ import annotations

import datetime as dt
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
    GREETING = "greeting"  # free text that only greets ("boa noite"): greeted back
    UNSURE = "unsure"  # free text read with low confidence: the closest commands, as buttons
    SEARCH = "search"  # passages found inside the answers (/buscar, or free text without a topic)
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOD = "nod"  # an emoji only, replying to the bot's answer ("👍"): nothing to send
    OUT_OF_RANGE = "out_of_range"  # the clock is outside the dates the coverage engine computes


@dataclass(frozen=True)
class Bar:
    """One run of coverage inside a timeline row, in minutes from the row's midnight (0-1440)."""

    start: int
    end: int
    mode: str
    """``full`` or ``overflow`` (``bot.coverage.engine`` modes)."""
    from_before: bool = False
    """The run began before the row's midnight (a night shift from the day before)."""
    to_after: bool = False
    """The run goes on past the row's end (into the next day)."""
    label: str = ""
    """Its times in words (``"08:00–18:00"``, ``"até 08:00"``), shown on the bar where it fits."""


@dataclass(frozen=True)
class TimelineRow:
    label: str
    """The ISP's name (a day's picture) or the day (``"seg 23/11"``, a week's picture)."""
    bars: tuple[Bar, ...]
    note: str = ""
    """Short words shown by the label: a holiday, another clock, no schedule known."""
    group: str = ""
    """Rows of one group are drawn under one heading (a week's picture: the ISP)."""
    now: int | None = None
    """The current minute, when now falls on this row's day."""


@dataclass(frozen=True)
class Timeline:
    """Coverage drawn as bars on a 0-24 h axis, one row per ISP (or per ISP and day)."""

    title: str
    """Short: it is also the picture's caption."""
    subtitle: str
    """The clock of the axis, e.g. ``"horário de Brasília (GMT -3)"``."""
    first: dt.date
    last: dt.date
    rows: tuple[TimelineRow, ...]


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
    timeline: Timeline | None = None
    """A picture of the coverage (``/escala``); the blocks say the same in words."""
    clock: bool = False
    """The reply says the state now of the ISP's sectors or of UPCALL's coverage (``/agora``,
    or a topic's answer that routes to a sector: ``bot.answers.clock``)."""
    stands_for: str = ""
    """The command this reply answers when the message asked less ("e a senha?" replying to
    Mutum's answer: ``/senha mutum``, ``bot.answers.followup``): what to ask in private when a
    group may not see it."""
    also: tuple[str, ...] = ()
    """Other topics of the same ISP shown in this reply, each in a section of its own after
    ``topic_id``'s (the compact two-section reply: ``bot.answers.topics.sections_reply``)."""

    @property
    def templates(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind is BlockKind.TEMPLATE)

    @property
    def gap(self) -> bool:
        """The KB (or the reading of the question) fell short: worth a supervisor's look.

        Low confidence, not understood, passages instead of an answer, "the document does not
        say", an equipment model the document does not list; "which ISP?" for a topic read
        with low confidence (other topics offered beside it). ``bot.policy.gaps`` records these.
        """
        unsure = self.kind is ReplyKind.MISSING_PROVIDER and self.confidence < 1.0
        return self.kind in GAP_KINDS or unsure


GAP_KINDS = frozenset(
    {
        ReplyKind.NOT_UNDERSTOOD,
        ReplyKind.UNSURE,
        ReplyKind.SEARCH,
        ReplyKind.NO_INFO,
        ReplyKind.UNKNOWN_EQUIPMENT,
    }
)
