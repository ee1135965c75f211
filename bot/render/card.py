"""An appreciation card as a picture: a short personal message, warm and calm.

Input is a `CardPicture` with text that is already translated (no i18n, no database here); the
output is PNG bytes for Telegram's sendPhoto. Participants kept their coaches' handwritten cards
on the bookshelf (seed 000 §2.6.4), so the card looks like a card: a cream sheet, a quiet arch
(the bridge) in Okabe-Ito orange and blue, large dark type, no smileys, no red, no judgement.

Text is wrapped and shrunk to fit its box; it is never cut unless even the smallest size cannot
hold it (a 300-character message always fits). Emoji the coach typed are drawn in colour
(bot/render/emoji.py, the OpenMoji font); a character neither font has is left out, so nothing
shows as a box. Same input, same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from PIL import Image, ImageDraw, ImageFont

from bot.render import emoji
from bot.render.brug import (
    BOLD_FONT,
    REGULAR_FONT,
    SOFT_HYPHEN,
    font_cmap,
    text_width,
    wrap_text,
)
from bot.render.emoji import keep_drawable

# Bump when the layout changes.
RENDER_VERSION: Final = 2

SCALE: Final = 2  # drawn at 2x and reduced, for smooth edges
WIDTH: Final = 1080
HEIGHT: Final = 1350  # 4:5 portrait: fills a phone screen without scrolling
MARGIN: Final = 56  # around the sheet
PAD: Final = 72  # inside the sheet, around the text

HEADING_SIZES: Final = tuple(range(60, 35, -2))
HEADING_MAX_LINES: Final = 2
MESSAGE_SIZES: Final = tuple(range(66, 33, -2))  # largest that fits wins; 34 px still reads well
SIGNATURE_SIZES: Final = tuple(range(40, 27, -2))
SIGNATURE_MAX_LINES: Final = 2
FOOTER_SIZE: Final = 30
LEADING: Final = 1.3

PAGE: Final = (244, 236, 224)  # warm paper around the sheet
SHEET: Final = (255, 251, 244)
SHEET_EDGE: Final = (226, 212, 190)
INK: Final = (40, 36, 32)
MUTED: Final = (104, 94, 84)
ORANGE: Final = (230, 159, 0)  # Okabe-Ito orange
BLUE: Final = (0, 114, 178)  # Okabe-Ito blue
SKY: Final = (86, 180, 233)  # Okabe-Ito sky blue

ARCH_TOP: Final = MARGIN + 70
ARCH_H: Final = 150
TEXT_TOP: Final = ARCH_TOP + ARCH_H + 60
MESSAGE_MAX_LINES: Final = 14
# Fitting the message: points of type size a layout flaw is worth.
SPLIT_PENALTY: Final = 8.0  # a word broken with a hyphen
LONELY_PENALTY: Final = 10.0  # a line (not the last) under a third of the width
LONELY_LINE: Final = 0.33


@dataclass(frozen=True, slots=True)
class CardPicture:
    heading: str  # "Voor Fatima"
    message: str  # what they did, or the coach's own words (at most 300 characters)
    signature: str = ""  # "Sanne, je coach" on a coach's card
    footer: str = ""  # e.g. the date


@dataclass(frozen=True, slots=True)
class _Block:
    size: int
    lines: tuple[str, ...]
    bold: bool = False

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEADING


@dataclass(frozen=True, slots=True)
class CardLayout:
    """Every line as drawn, so tests can check exactly what ends up on the card."""

    heading: _Block
    message: _Block
    signature: _Block
    footer: _Block

    def drawn_text(self) -> str:
        blocks = (self.heading, self.message, self.signature, self.footer)
        return "\n".join(line for block in blocks for line in block.lines)


TEXT_W: Final = WIDTH - 2 * (MARGIN + PAD)
TEXT_BOTTOM: Final = HEIGHT - MARGIN - PAD


def sanitised(picture: CardPicture, cmap: Container[int] | None = None) -> CardPicture:
    """The card's text as it will be drawn: emoji kept, characters no font has left out."""
    cmap = font_cmap() if cmap is None else cmap
    return CardPicture(
        heading=keep_drawable(picture.heading, cmap),
        message=keep_drawable(picture.message, cmap),
        signature=keep_drawable(picture.signature, cmap),
        footer=keep_drawable(picture.footer, cmap),
    )


@lru_cache(maxsize=8192)
def mixed_width(text: str, size: int, bold: bool = False) -> float:
    """The width of a line of words and emoji, as `_draw_block` draws it."""
    return sum(emoji.emoji_width(piece, size, SCALE) if is_emoji else
               text_width(piece, size, bold) for piece, is_emoji in emoji.runs(text))


def layout_card(picture: CardPicture) -> CardLayout:
    """Fit the (sanitised) text: heading and signature first, the message gets what is left."""
    heading = _fit(picture.heading, HEADING_SIZES, HEADING_MAX_LINES, bold=True)
    signature = _fit(picture.signature, SIGNATURE_SIZES, SIGNATURE_MAX_LINES, bold=True)
    footer = _fit(picture.footer, (FOOTER_SIZE,), 1)
    below = (signature.height + 40 if signature.lines else 0) + (
        footer.height + 16 if footer.lines else 0
    )
    room = TEXT_BOTTOM - TEXT_TOP - heading.height - 48 - below
    message = _fit_height(picture.message, room)
    return CardLayout(heading, message, signature, footer)


def _fit(text: str, sizes: tuple[int, ...], max_lines: int, bold: bool = False) -> _Block:
    if not text:
        return _Block(sizes[0], ())
    for size in sizes:
        lines = wrap_text(text, size, TEXT_W, bold, mixed_width).lines
        if len(lines) <= max_lines:
            return _Block(size, lines, bold)
    size = sizes[-1]
    return _Block(size, _clip(wrap_text(text, size, TEXT_W, bold, mixed_width).lines,
                              max_lines), bold)


def _fit_height(text: str, room: float) -> _Block:
    """The message's size: the largest type that fits, unless a slightly smaller one reads
    better (a word broken with a hyphen, or a lonely short line such as "de" in the middle)."""
    if not text:
        return _Block(MESSAGE_SIZES[0], ())
    best: tuple[float, _Block] | None = None
    for size in MESSAGE_SIZES:
        wrapped = wrap_text(text, size, TEXT_W, measure=mixed_width)
        block = _Block(size, wrapped.lines)
        if block.height > room or len(block.lines) > MESSAGE_MAX_LINES:
            continue
        lonely = sum(
            1 for line in block.lines[:-1] if mixed_width(line, size) < LONELY_LINE * TEXT_W
        )
        score = size - SPLIT_PENALTY * wrapped.splits - LONELY_PENALTY * lonely
        if best is None or score > best[0]:
            best = (score, block)
    if best is not None:
        return best[1]
    size = MESSAGE_SIZES[-1]
    fits = max(1, int(room // (size * LEADING)))
    return _Block(size, _clip(wrap_text(text, size, TEXT_W, measure=mixed_width).lines, fits))


def _clip(lines: tuple[str, ...], limit: int) -> tuple[str, ...]:
    if len(lines) <= limit:
        return lines
    return (*lines[: limit - 1], lines[limit - 1].rstrip("-") + "…")


def render_card(picture: CardPicture) -> bytes:
    """PNG bytes of the card, 1080 x 1350, deterministic for the same input."""
    clean = sanitised(picture)
    layout = layout_card(clean)
    image = Image.new("RGB", (_s(WIDTH), _s(HEIGHT)), PAGE)
    draw = ImageDraw.Draw(image)
    _draw_sheet(draw)
    _draw_arch(draw)
    _draw_text(draw, layout)
    image = image.reduce(SCALE)
    buffer = io.BytesIO()
    # No pnginfo and no timestamp chunk: identical input gives identical bytes.
    # Level 3: a third of the time of level 6 for about 10% more bytes.
    image.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def _s(value: float) -> int:
    return round(value * SCALE)


_FONTS: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}


def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    key = (size, bold)
    if key not in _FONTS:
        _FONTS[key] = ImageFont.truetype(str(BOLD_FONT if bold else REGULAR_FONT), size * SCALE)
    return _FONTS[key]


def _draw_sheet(draw: ImageDraw.ImageDraw) -> None:
    box = (_s(MARGIN), _s(MARGIN), _s(WIDTH - MARGIN), _s(HEIGHT - MARGIN))
    draw.rounded_rectangle(box, radius=_s(36), fill=SHEET, outline=SHEET_EDGE, width=_s(3))


def _draw_arch(draw: ImageDraw.ImageDraw) -> None:
    """A small bridge: an orange arch over three blue piers, with a sky-blue water line."""
    cx = WIDTH / 2
    half = 170
    top, bottom = ARCH_TOP, ARCH_TOP + ARCH_H
    for offset, colour in ((0, ORANGE), (22, SKY)):
        draw.arc(
            (_s(cx - half + offset), _s(top + offset), _s(cx + half - offset),
             _s(bottom * 2 - top - offset)),
            start=180, end=360, fill=colour, width=_s(14),
        )
    deck = top + ARCH_H * 0.62
    draw.rounded_rectangle(
        (_s(cx - half - 30), _s(deck - 7), _s(cx + half + 30), _s(deck + 7)),
        radius=_s(7), fill=BLUE,
    )
    for x in (cx - 95, cx, cx + 95):
        draw.rectangle((_s(x - 6), _s(deck), _s(x + 6), _s(bottom)), fill=BLUE)
    draw.rounded_rectangle(
        (_s(cx - half - 70), _s(bottom + 6), _s(cx + half + 70), _s(bottom + 14)),
        radius=_s(4), fill=SKY,
    )


def _draw_block(draw: ImageDraw.ImageDraw, block: _Block, y: float, fill: tuple[int, int, int]
                ) -> float:
    font = _font(block.size, block.bold)
    ascent = font.getmetrics()[0]
    for line in block.lines:
        shown = line.replace(SOFT_HYPHEN, "")
        # Centred, words and emoji on one baseline (y is the top of the line, as before).
        left = WIDTH / 2 - mixed_width(shown, block.size, block.bold) / 2
        emoji.draw_runs(draw, _s(left), _s(y) + ascent, shown, font, block.size, SCALE, fill)
        y += block.size * LEADING
    return y


def _draw_text(draw: ImageDraw.ImageDraw, layout: CardLayout) -> None:
    y = _draw_block(draw, layout.heading, TEXT_TOP, BLUE)
    if layout.heading.lines:
        y += 12
        draw.line((_s(WIDTH / 2 - 60), _s(y), _s(WIDTH / 2 + 60), _s(y)), fill=ORANGE,
                  width=_s(5))
        y += 36
    # The message sits in the middle of the room it has, like words written on a card.
    bottom_blocks = (layout.signature.height + 40 if layout.signature.lines else 0) + (
        layout.footer.height + 16 if layout.footer.lines else 0
    )
    room = TEXT_BOTTOM - bottom_blocks - y
    y += max(0.0, (room - layout.message.height) / 2)
    _draw_block(draw, layout.message, y, INK)
    footer_h = layout.footer.height + 16 if layout.footer.lines else 0
    if layout.signature.lines:
        _draw_block(draw, layout.signature, TEXT_BOTTOM - footer_h - layout.signature.height,
                    MUTED)
    if layout.footer.lines:
        _draw_block(draw, layout.footer, TEXT_BOTTOM - layout.footer.height, MUTED)
