"""Stacked bar charts for the cohort report (Pillow, the bundled DejaVu fonts).

One horizontal bar per pillar and organisation, split into the shares of the table's rows.
Colours come from an orange-grey-blue scale that stays distinct for the common colour-vision
deficiencies (Okabe & Ito); nothing is red, so no step reads as "bad". Each segment wide enough
carries its percentage, and every bar its n, so the chart does not depend on colour alone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final

from PIL import Image, ImageDraw, ImageFont

from bot.core.report import ALL, CHANGES, LEVELS, Table, percent
from bot.render.brug import BOLD_FONT, REGULAR_FONT

FIVE_STEPS: Final = ("#E69F00", "#F3CD85", "#D9D9D9", "#9CCBEB", "#0072B2")
THREE_CHANGES: Final = ("#E69F00", "#D9D9D9", "#0072B2")
DARK_TEXT: Final = "#1A1A1A"
LIGHT_TEXT: Final = "#FFFFFF"
BACKGROUND: Final = "#FFFFFF"

WIDTH: Final = 1100
LABEL_WIDTH: Final = 260
BAR_WIDTH: Final = 700
BAR_HEIGHT: Final = 30
GAP: Final = 10
MARGIN: Final = 24
MIN_LABELLED: Final = 34  # px: narrower segments carry no percentage text


Segment = tuple[str, int]  # (colour, count)


def start_position_chart(table: Table, level_names: Sequence[str]) -> bytes:
    index = {name: i for i, name in enumerate(table.columns)}
    bars = [(str(row[index["organisation"]]), str(row[index["label"]]),
             [(FIVE_STEPS[i], int(row[index[f"level_{lvl}"]] or 0))
              for i, lvl in enumerate(LEVELS)])
            for row in table.rows]
    legend = list(zip(FIVE_STEPS, level_names, strict=True))
    return _chart("Start position per pillar (first measurement)", legend, bars)


def change_chart(table: Table) -> bytes:
    index = {name: i for i, name in enumerate(table.columns)}
    bars = [(str(row[index["organisation"]]), str(row[index["label"]]),
             [(THREE_CHANGES[i], int(row[index[c]] or 0)) for i, c in enumerate(CHANGES)])
            for row in table.rows]
    legend = list(zip(THREE_CHANGES, ("lower step", "same step", "higher step"), strict=True))
    return _chart("Change between the first and the latest measurement", legend, bars)


def _chart(title: str, legend: list[tuple[str, str]],
           bars: list[tuple[str, str, list[Segment]]]) -> bytes:
    regular = ImageFont.truetype(str(REGULAR_FONT), 16)
    small = ImageFont.truetype(str(REGULAR_FONT), 13)
    bold = ImageFont.truetype(str(BOLD_FONT), 20)
    groups = list(dict.fromkeys(org for org, _, _ in bars))
    height = (MARGIN * 2 + 40 + 36 + len(groups) * 34
              + len(bars) * (BAR_HEIGHT + GAP) + (0 if bars else 40))
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    draw.text((MARGIN, y), title, font=bold, fill=DARK_TEXT)
    y += 40
    x = MARGIN
    for colour, name in legend:
        draw.rectangle((x, y + 2, x + 18, y + 20), fill=colour, outline=DARK_TEXT)
        draw.text((x + 24, y + 2), name, font=regular, fill=DARK_TEXT)
        x += 24 + int(draw.textlength(name, font=regular)) + 24
    y += 36
    if not bars:
        draw.text((MARGIN, y), "No measurements in this selection.", font=regular,
                  fill=DARK_TEXT)
    for group in groups:
        draw.text((MARGIN, y + 6), "All together" if group == ALL else group, font=bold,
                  fill=DARK_TEXT)
        y += 34
        for org, label, segments in bars:
            if org != group:
                continue
            _bar(draw, y, label, segments, regular, small)
            y += BAR_HEIGHT + GAP
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _bar(draw: ImageDraw.ImageDraw, y: int, label: str, segments: list[Segment],
         regular: ImageFont.FreeTypeFont, small: ImageFont.FreeTypeFont) -> None:
    draw.text((MARGIN, y + 6), _fit(draw, label, regular, LABEL_WIDTH - 12), font=regular,
              fill=DARK_TEXT)
    left = MARGIN + LABEL_WIDTH
    total = sum(n for _, n in segments)
    draw.rectangle((left, y, left + BAR_WIDTH, y + BAR_HEIGHT), outline="#808080")
    x = float(left)
    for colour, n in segments:
        if total == 0 or n == 0:
            continue
        width = BAR_WIDTH * n / total
        draw.rectangle((round(x), y, round(x + width), y + BAR_HEIGHT), fill=colour,
                       outline=BACKGROUND)
        if width >= MIN_LABELLED:
            text = f"{percent(n, total)}%"
            ink = LIGHT_TEXT if colour in ("#0072B2",) else DARK_TEXT
            tw = draw.textlength(text, font=small)
            draw.text((x + (width - tw) / 2, y + 8), text, font=small, fill=ink)
        x += width
    draw.text((left + BAR_WIDTH + 12, y + 6), f"n = {total}", font=regular, fill=DARK_TEXT)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
         ) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"
