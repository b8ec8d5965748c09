"""The /escala picture: ``bot.coverage.picture`` draws a :class:`~bot.answers.reply.Timeline` as a PNG."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import shared_real_kb
from PIL import Image

from bot.answers.core import answer
from bot.answers.reply import Bar, Timeline, TimelineRow
from bot.coverage.picture import (
    BACKGROUND,
    MODE_COLOURS,
    NOW,
    TRACK,
    WIDTH,
    Fonts,
    find_fonts,
    fold,
    layout,
    render_png,
)

ROOT = Path(__file__).resolve().parent.parent
REAL = shared_real_kb()
SP = ZoneInfo("America/Sao_Paulo")
MONDAY_NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=SP)
FULL, OVERFLOW = MODE_COLOURS["full"], MODE_COLOURS["overflow"]
NO_FONT = Fonts(None, None)
"""Pillow's default font: what a server without DejaVu gets."""


def timeline_of(text: str, now: dt.datetime = MONDAY_NOON) -> Timeline:
    timeline = answer(REAL, text, now).timeline
    assert timeline is not None
    return timeline


def picture(timeline: Timeline, fonts: Fonts | None = None) -> Image.Image:
    data = render_png(timeline, fonts)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG" and image.mode == "RGB"
    return image


def row_of(timeline: Timeline, label: str) -> int:
    return [row.label for row in timeline.rows].index(label)


def colour(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    pixel = image.getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


def test_a_day_is_a_valid_png_of_the_laid_out_size() -> None:
    timeline = timeline_of("/escala")
    image = picture(timeline)
    box = layout(timeline)
    assert image.size == (box.width, box.height) == (WIDTH, box.height)
    assert 300 < box.height < 600  # five ISPs: a wide, short picture
    assert len(box.row_tops) == len(REAL.providers)


def test_covered_hours_are_in_the_mode_colour_and_the_rest_is_the_empty_band() -> None:
    timeline = timeline_of("/escala")  # Monday 23/11/2026
    image, box = picture(timeline), layout(timeline)
    seja = row_of(timeline, "Seja Fibra")  # 17:00-22:00 on a weekday
    assert colour(image, box.point(seja, 20 * 60 + 30)) == FULL
    assert colour(image, box.point(seja, 3 * 60 + 30)) == TRACK
    assert colour(image, box.point(seja, 22 * 60 + 30)) == TRACK
    laser = row_of(timeline, "LaserNet")  # overflow only, 08:00-18:00, Monday to Saturday
    assert colour(image, box.point(laser, 10 * 60 + 30)) == OVERFLOW
    assert colour(image, box.point(laser, 17 * 60 + 30)) == OVERFLOW
    assert colour(image, box.point(laser, 5 * 60 + 30)) == FULL
    assert colour(image, box.point(laser, 19 * 60 + 30)) == FULL
    assert colour(image, (box.chart_left - 8, box.bar_box(laser)[0] + 2)) == BACKGROUND


def test_now_is_marked_on_today_only() -> None:
    today = timeline_of("/escala")
    image, box = picture(today), layout(today)
    assert all(row.now == 12 * 60 for row in today.rows)
    assert colour(image, box.point(row_of(today, "Seja Fibra"), 12 * 60)) == NOW
    assert colour(image, box.point(row_of(today, "LaserNet"), 12 * 60)) == NOW  # over the bar
    saturday = timeline_of("/escala sab")
    image, box = picture(saturday), layout(saturday)
    assert colour(image, box.point(row_of(saturday, "LaserNet"), 12 * 60)) == OVERFLOW
    assert all(row.now is None for row in saturday.rows)


def test_a_run_cut_at_midnight_has_a_square_end_and_one_that_ends_a_rounded_one() -> None:
    rows = (
        TimelineRow("Cortada", (Bar(0, 480, "full", from_before=True),)),
        TimelineRow("Inteira", (Bar(0, 480, "full"),)),
    )
    timeline = Timeline("t", "s", dt.date(2026, 11, 23), dt.date(2026, 11, 23), rows)
    image, box = picture(timeline), layout(timeline)
    corner = (box.x(0), box.bar_box(0)[0])
    assert colour(image, corner) == FULL
    assert colour(image, (box.x(0), box.bar_box(1)[0])) != FULL


def test_the_week_groups_seven_days_per_isp_with_hours_at_both_ends() -> None:
    timeline = timeline_of("/escala semana")
    image, box = picture(timeline), layout(timeline)
    assert [group for group, _ in box.group_tops] == [
        "LaserNet",
        "Mutum Fibra · horário local -1h",
        "NETCENTER",
        "Seja Fibra",
        "VM NET",
    ]
    assert len(box.axis_tops) == 2
    assert image.height == box.height and image.height <= 2 * image.width
    # LaserNet, Sunday 29/11: covered all day, no overflow on Sundays.
    sunday = 6
    assert timeline.rows[sunday].label == "dom 29/11"
    assert colour(image, box.point(sunday, 10 * 60 + 30)) == FULL
    assert colour(image, box.point(0, 10 * 60 + 30)) == OVERFLOW  # Monday


def test_the_same_timeline_gives_the_same_bytes() -> None:
    timeline = timeline_of("/escala semana")
    assert render_png(timeline) == render_png(timeline)


def test_without_a_font_with_accents_the_words_lose_them_and_still_draw() -> None:
    assert fold("sáb — só transbordo · Brasília → ação") == "sab - so transbordo - Brasilia -> acao"
    timeline = timeline_of("/escala 25/12")
    image = picture(timeline, NO_FONT)
    box = layout(timeline, NO_FONT)
    assert image.size == (box.width, box.height)
    assert colour(image, box.point(row_of(timeline, "VM NET"), 12 * 60)) == FULL


def test_a_missing_font_file_falls_back_to_pillow_s_default() -> None:
    assert find_fonts((("/nonexistent/Regular.ttf", "/nonexistent/Bold.ttf"),)) == NO_FONT


def test_the_first_font_that_loads_is_taken_and_a_missing_bold_is_the_regular() -> None:
    found = find_fonts()
    if found.regular is None:
        pytest.skip("no font with accents on this machine")
    missing = ("/nonexistent/Regular.ttf", "/nonexistent/Bold.ttf")
    assert find_fonts((missing, (found.regular, str(found.bold)))) == found
    assert find_fonts(((found.regular, missing[1]),)) == Fonts(found.regular, found.regular)


def test_long_labels_are_cut_and_an_empty_timeline_still_draws() -> None:
    long = TimelineRow(
        "Provedor " * 30, (Bar(60, 120, "full", label="01:00–02:00"),), note="x" * 300
    )
    unknown_mode = TimelineRow("Outro", (Bar(60, 1380, "plantão", label="01:00–23:00"),))
    day = dt.date(2026, 11, 23)
    timeline = Timeline("t", "s", day, day, (long, unknown_mode))
    image, box = picture(timeline), layout(timeline)
    assert image.width == WIDTH and box.chart_left < WIDTH // 2
    assert colour(image, box.point(1, 600)) not in (FULL, OVERFLOW, TRACK)
    empty = Timeline("Escala", "s", day, day, ())
    assert picture(empty).width == WIDTH
