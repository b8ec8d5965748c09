"""Drawing a :class:`~bot.answers.reply.Timeline` (``/escala``) as a PNG: one bar row per ISP (or
per ISP
and day) on a 0-24 h axis of UPCALL's clock, coloured by mode, with a legend.

Pure and deterministic: the same timeline gives the same bytes on the same machine. Text is drawn
with DejaVu Sans when the system has it (else another common sans-serif font, see FONT_FILES),
because Pillow's own default font has no accented letters; with none of them, the default font is
used and the words lose their accents rather than showing boxes.
No chat platform here: a door that can show pictures uploads these bytes.
"""

from __future__ import annotations

import asyncio
import io
import logging
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from bot.answers import messages as msg
from bot.answers.reply import Bar, Timeline, TimelineRow

log = logging.getLogger(__name__)

RGB = tuple[int, int, int]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

BACKGROUND: RGB = (255, 255, 255)
TRACK: RGB = (236, 239, 241)
"""A row's 0-24 h band, where no bar covers it."""
GRID: RGB = (214, 221, 225)
GRID_MAJOR: RGB = (170, 184, 192)
INK: RGB = (33, 43, 48)
MUTED: RGB = (96, 112, 122)
NOW: RGB = (211, 47, 47)
MODE_COLOURS: dict[str, RGB] = {"full": (46, 125, 50), "overflow": (245, 166, 35)}
OTHER: RGB = (120, 144, 156)
"""The colour of a mode this module does not know."""
_BAR_INK: dict[str, RGB] = {"overflow": INK}
"""Text on a bar: white, except on the light overflow colour."""

WIDTH = 1200
PAD = 32
MINUTES = 24 * 60
TITLE_SIZE, SUBTITLE_SIZE, TICK_SIZE = 30, 18, 16
AXIS_HEIGHT = 28
TALL_PICTURE_ROWS = 10
"""Beyond this many rows the hours are repeated at the foot of the picture."""

FONT_FILES: tuple[tuple[str, str], ...] = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),  # Pillow looks in the system's font folders
    # Other sans-serif fonts with accented letters that servers and desktops often have.
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf",
    ),
    (
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
    ),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
)
"""(regular, bold) font files to try, in order: the first that loads draws every picture."""


@dataclass(frozen=True)
class Style:
    """The sizes of one kind of picture: a day (a few tall rows) or a week (many short ones)."""

    row: int
    bar: int
    label: int
    note: int
    bar_text: int
    group: int
    note_below: bool
    """Tall rows: the note goes under the label; short rows: after it, on the same line."""


DAY_STYLE = Style(row=58, bar=30, label=21, note=15, bar_text=15, group=0, note_below=True)
WEEK_STYLE = Style(row=30, bar=20, label=16, note=14, bar_text=13, group=44, note_below=False)


# --------------------------------------------------------------------------- fonts


@dataclass(frozen=True)
class Fonts:
    regular: str | None
    """``None``: Pillow's default font (no accents)."""
    bold: str | None

    def get(self, size: int, bold: bool = False) -> Font:
        return _font(self.bold if bold else self.regular, size)

    def shown(self, text: str) -> str:
        """``text`` as this font can draw it."""
        return text if self.regular is not None else fold(text)


@lru_cache(maxsize=64)
def _font(path: str | None, size: int) -> Font:
    if path is None:
        return ImageFont.load_default(size=size)
    # Plain Latin text: the basic layout is much faster than Raqm and draws it the same.
    return ImageFont.truetype(path, size=size, layout_engine=ImageFont.Layout.BASIC)


def _loads(path: str) -> bool:
    try:
        ImageFont.truetype(path, size=12)
    except OSError:
        return False
    return True


@lru_cache(maxsize=8)
def find_fonts(candidates: tuple[tuple[str, str], ...] = FONT_FILES) -> Fonts:
    """The first (regular, bold) pair that loads; a missing bold falls back to the regular."""
    for regular, bold in candidates:
        if _loads(regular):
            return Fonts(regular, bold if _loads(bold) else regular)
    return Fonts(None, None)


_PUNCTUATION: dict[str, str | int | None] = {"—": "-", "–": "-", "·": "-", "→": "->"}


def fold(text: str) -> str:
    """``"sáb — só transbordo"`` -> ``"sab - so transbordo"``, for a font without accents."""
    text = text.translate(str.maketrans(_PUNCTUATION))
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return bare.encode("ascii", "replace").decode("ascii")


@lru_cache(maxsize=1024)
def _text_mask(text: str, path: str | None, size: int, anchor: str) -> tuple[Image.Image, int, int]:
    """``text`` drawn once as a mask, with its offset from the anchor point.

    The same words recur on every row and every picture ("até 08:00", "seg 23/11"): pasting a
    ready mask costs a tenth of laying the text out again."""
    font = _font(path, size)
    left, top, right, bottom = (round(v) for v in font.getbbox(text, anchor=anchor))
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, fill=255, font=font, anchor=anchor)
    return mask, left, top


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Layout:
    """Where everything goes: computed once, used to draw and, by tests, to find pixels."""

    width: int
    height: int
    chart_left: int
    chart_right: int
    axis_tops: tuple[int, ...]
    row_tops: tuple[int, ...]
    group_tops: tuple[tuple[str, int], ...]
    style: Style

    def x(self, minute: float) -> int:
        """The x of ``minute`` (0-1440) on the axis."""
        return self.chart_left + round((self.chart_right - self.chart_left) * minute / MINUTES)

    def bar_box(self, index: int) -> tuple[int, int]:
        """Top and bottom (exclusive) y of row ``index``'s band."""
        top = self.row_tops[index] + (self.style.row - self.style.bar) // 2
        return top, top + self.style.bar

    def point(self, index: int, minute: float) -> tuple[int, int]:
        """A pixel of row ``index``'s band at ``minute``, clear of the words drawn on a bar."""
        return self.x(minute), self.bar_box(index)[0] + 2


def _text_width(font: Font, text: str) -> int:
    return round(font.getlength(text))


def _label_width(timeline: Timeline, style: Style, fonts: Fonts) -> int:
    """The label column: room for the labels and their notes, within bounds (notes get cut)."""
    label_font, note_font = fonts.get(style.label), fonts.get(style.note)
    widest = 0
    for row in timeline.rows:
        width = _text_width(label_font, fonts.shown(row.label))
        note = _text_width(note_font, fonts.shown(row.note)) if row.note else 0
        width = max(width, note) if style.note_below else width + (12 + note if note else 0)
        widest = max(widest, width)
    return max(150, min(widest + 24, 330))


def layout(timeline: Timeline, fonts: Fonts | None = None) -> Layout:
    fonts = fonts or find_fonts()
    style = WEEK_STYLE if any(row.group for row in timeline.rows) else DAY_STYLE
    y = PAD + TITLE_SIZE + 10 + SUBTITLE_SIZE + 22
    axis_tops = [y]
    y += AXIS_HEIGHT
    row_tops: list[int] = []
    group_tops: list[tuple[str, int]] = []
    for index, row in enumerate(timeline.rows):
        if row.group and (index == 0 or timeline.rows[index - 1].group != row.group):
            group_tops.append((row.group, y))
            y += style.group
        row_tops.append(y)
        y += style.row
    if len(timeline.rows) > TALL_PICTURE_ROWS:
        axis_tops.append(y + 4)
        y += AXIS_HEIGHT + 4
    return Layout(
        width=WIDTH,
        height=y + PAD,
        chart_left=PAD + _label_width(timeline, style, fonts),
        chart_right=WIDTH - PAD - 12,  # room for half of the "24h" label
        axis_tops=tuple(axis_tops),
        row_tops=tuple(row_tops),
        group_tops=tuple(group_tops),
        style=style,
    )


# --------------------------------------------------------------------------- drawing


class _Painter:
    def __init__(self, timeline: Timeline, fonts: Fonts) -> None:
        self.timeline = timeline
        self.fonts = fonts
        self.box = layout(timeline, fonts)
        self.image = Image.new("RGB", (self.box.width, self.box.height), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)

    def text(
        self,
        xy: tuple[int, int],
        words: str,
        size: int,
        fill: RGB,
        *,
        bold: bool = False,
        anchor: str = "la",
    ) -> None:
        if not words:
            return
        path = self.fonts.bold if bold else self.fonts.regular
        mask, left, top = _text_mask(words, path, size, anchor)
        self.image.paste(fill, (xy[0] + left, xy[1] + top), mask)

    def width(self, words: str, size: int, bold: bool = False) -> int:
        return _text_width(self.fonts.get(size, bold), words)

    def fit(self, words: str, size: int, room: int) -> str:
        """``words`` as shown, cut with an ellipsis to fit ``room`` pixels."""
        words = self.fonts.shown(words)
        if self.width(words, size) <= room:
            return words
        while words and self.width(words + "...", size) > room:
            words = words[:-1]
        return words.rstrip() + "..." if words else ""

    # ---- parts

    def header(self) -> None:
        shown = self.fonts.shown
        self.text((PAD, PAD), shown(self.timeline.title), TITLE_SIZE, INK, bold=True)
        y = PAD + TITLE_SIZE + 10
        self.text((PAD, y), shown(self.timeline.subtitle), SUBTITLE_SIZE, MUTED)
        self.legend(y)

    def legend(self, y: int) -> None:
        """Right-aligned on the subtitle's line: a swatch and a word per mode, and "now"."""
        entries: list[tuple[RGB, str, bool]] = [
            (MODE_COLOURS["full"], msg.MODE_FULL, False),
            (MODE_COLOURS["overflow"], msg.MODE_OVERFLOW, False),
        ]
        if any(row.now is not None for row in self.timeline.rows):
            entries.append((NOW, msg.TIMELINE_NOW, True))
        swatch = 18
        x = self.box.width - PAD
        for colour, words, is_marker in reversed(entries):
            words = self.fonts.shown(words)
            x -= self.width(words, SUBTITLE_SIZE)
            self.text((x, y), words, SUBTITLE_SIZE, INK)
            x -= 8 + swatch
            top = y + 2
            if is_marker:
                middle = x + swatch // 2
                self.draw.rectangle((middle - 1, top - 2, middle + 1, top + swatch), fill=colour)
            else:
                box = (x, top, x + swatch, top + swatch - 2)
                self.draw.rounded_rectangle(box, radius=4, fill=colour)
            x -= 30

    def axis(self, top: int) -> None:
        for hour in range(0, 25, 2):
            self.text((self.box.x(hour * 60), top + 4), f"{hour}h", TICK_SIZE, MUTED, anchor="ma")

    def grid(self) -> None:
        box = self.box
        top = box.axis_tops[0] + AXIS_HEIGHT - 4
        bottom = box.row_tops[-1] + box.style.row if box.row_tops else top
        for hour in range(25):
            colour = GRID_MAJOR if hour % 6 == 0 else GRID
            self.draw.line((box.x(hour * 60), top, box.x(hour * 60), bottom), fill=colour)

    def groups(self) -> None:
        size = self.box.style.group // 2 - 2
        for group, top in self.box.group_tops:
            xy = (PAD, top + self.box.style.group - 8)
            self.text(xy, self.fonts.shown(group), size, INK, bold=True, anchor="ls")

    def label(self, row: TimelineRow, index: int) -> None:
        style = self.box.style
        room = self.box.chart_left - PAD - 16
        label = self.fit(row.label, style.label, room)
        top, bottom = self.box.bar_box(index)
        middle = (top + bottom) // 2
        if style.note_below and row.note:
            self.text((PAD, middle - 1), label, style.label, INK, anchor="ls")
            note = self.fit(row.note, style.note, room)
            self.text((PAD, middle + 5), note, style.note, MUTED, anchor="lt")
            return
        self.text((PAD, middle), label, style.label, INK, anchor="lm")
        if row.note:
            x = PAD + self.width(label, style.label) + 12
            note = self.fit(row.note, style.note, self.box.chart_left - 16 - x)
            self.text((x, middle), note, style.note, MUTED, anchor="lm")

    def track(self, index: int) -> None:
        top, bottom = self.box.bar_box(index)
        self.draw.rectangle((self.box.chart_left, top, self.box.chart_right - 1, bottom - 1), TRACK)

    def bar(self, bar: Bar, index: int) -> None:
        top, bottom = self.box.bar_box(index)
        left, right = self.box.x(bar.start), self.box.x(bar.end)
        # A square end says the run goes on past the day's edge; a rounded one, that it ends.
        corners = (not bar.from_before, not bar.to_after, not bar.to_after, not bar.from_before)
        radius = max(0, min(6, (right - left) // 2))
        colour = MODE_COLOURS.get(bar.mode, OTHER)
        self.draw.rounded_rectangle(
            (left, top, right - 1, bottom - 1), radius=radius, fill=colour, corners=corners
        )

    def bar_words(self, bar: Bar, index: int) -> None:
        size = self.box.style.bar_text
        words = self.fonts.shown(bar.label)
        left, right = self.box.x(bar.start), self.box.x(bar.end)
        if not words or self.width(words, size) + 12 > right - left:
            return  # too short a bar: the axis and the text reply say it
        top, bottom = self.box.bar_box(index)
        ink = _BAR_INK.get(bar.mode, BACKGROUND)
        self.text(((left + right) // 2, (top + bottom) // 2), words, size, ink, anchor="mm")

    def now(self, row: TimelineRow, index: int) -> None:
        if row.now is None:
            return
        x, top = self.box.x(row.now), self.box.row_tops[index]
        self.draw.rectangle((x - 1, top + 2, x + 1, top + self.box.style.row - 2), fill=NOW)

    def paint(self) -> Image.Image:
        rows = self.timeline.rows
        self.header()
        for top in self.box.axis_tops:
            self.axis(top)
        self.groups()
        for index in range(len(rows)):
            self.track(index)
        self.grid()
        for index, row in enumerate(rows):
            self.label(row, index)
            for bar in row.bars:
                self.bar(bar, index)
        for index, row in enumerate(rows):
            self.now(row, index)
        for index, row in enumerate(rows):
            for bar in row.bars:
                self.bar_words(bar, index)  # over the now marker: the times stay readable
        return self.image


def render(timeline: Timeline, fonts: Fonts | None = None) -> Image.Image:
    """The picture as a Pillow image (see :func:`render_png`)."""
    return _Painter(timeline, fonts or find_fonts()).paint()


def render_png(timeline: Timeline, fonts: Fonts | None = None) -> bytes:
    """The timeline as PNG bytes, ready to upload."""
    out = io.BytesIO()
    # Flat colours compress well even at the fastest level, which halves the time of a week.
    render(timeline, fonts).save(out, format="PNG", compress_level=1)
    return out.getvalue()


async def draw_png(timeline: Timeline) -> bytes | None:
    """:func:`render_png` off the event loop (it takes tens of milliseconds: other chats keep
    being answered); ``None``, logged, when it cannot be drawn: the words say the same."""
    try:
        return await asyncio.to_thread(render_png, timeline)
    except Exception:  # a drawing bug must not cost the agent the answer
        log.exception("could not draw the timeline %r", timeline.title)
        return None
