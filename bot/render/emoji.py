"""Emoji in pictures: text is split into runs of ordinary text (DejaVu) and emoji (OpenMoji, a
colour font), measured and drawn run by run on one baseline.

A coach who writes "Wat knap van je! 💪🏽" on a card means the emoji: it is drawn, in colour,
not dropped. OpenMoji (CC BY-SA 4.0, see fonts/LICENSE-OpenMoji.txt) is a COLRv0 font that
Pillow draws with `embedded_color=True`; with libraqm (in Pillow's wheels) joined sequences
such as 👨‍👩‍👧, skin tones and flags become one picture. A character neither font has is left
out, so nothing is ever drawn as a box.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container
from functools import lru_cache
from pathlib import Path
from typing import Final

from PIL import ImageDraw, ImageFont

FONT_DIR: Final = Path(__file__).parent / "fonts"
EMOJI_FONT: Final = FONT_DIR / "OpenMoji-color-glyf_colr0.ttf"
# An emoji is drawn a little smaller than the type's size: OpenMoji's pictures are wider than
# tall and would otherwise look heavier than the words around them.
EMOJI_SCALE: Final = 0.9

ZWJ: Final = "\u200d"
_KEYCAP_BASES: Final = frozenset("0123456789#*")
# Pictographs (the ranges the Brug picture leaves out) and the marks that join or modify them.
_PICTOGRAPHS: Final = ((0x2300, 0x23FF), (0x2600, 0x27BF), (0x2B00, 0x2BFF),
                       (0x1F000, 0x1FAFF))
_MODIFIERS: Final = ((0xFE00, 0xFE0F), (0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F),
                     (0x20E3, 0x20E3), (0x200D, 0x200D))


def _in(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in ranges)


def is_pictograph(ch: str) -> bool:
    return _in(ch, _PICTOGRAPHS)


def is_modifier(ch: str) -> bool:
    return _in(ch, _MODIFIERS)


@lru_cache(maxsize=1)
def emoji_cmap() -> frozenset[int]:
    """Code points the emoji font has. Read once per process, on first use."""
    from fontTools.ttLib import TTFont

    with TTFont(EMOJI_FONT, lazy=True) as font:
        return frozenset(font.getBestCmap())


def runs(text: str) -> tuple[tuple[str, bool], ...]:
    """`text` as (piece, is_emoji) runs. An emoji run holds pictographs with their joiners and
    modifiers (and a keycap's digit), so a sequence is never split between two runs."""
    found: list[tuple[str, bool]] = []
    i = 0
    while i < len(text):
        start, emoji = i, _emoji_at(text, i)
        while i < len(text) and _emoji_at(text, i) == emoji:
            i += 1
        found.append((text[start:i], emoji))
    return tuple(found)


def _emoji_at(text: str, i: int) -> bool:
    ch = text[i]
    if is_pictograph(ch) or is_modifier(ch):
        return True
    # A keycap: "1️⃣" is a digit, a variation selector and the enclosing keycap.
    return ch in _KEYCAP_BASES and i + 1 < len(text) and text[i + 1] in "\ufe0f\u20e3"


def keep_drawable(text: str, text_cmap: Container[int]) -> str:
    """`text` with only what can be drawn: ordinary characters the text font has, emoji the
    emoji font has. Line breaks and odd spaces become one space; nothing becomes a box."""
    emoji_chars = emoji_cmap()
    kept: list[str] = []
    for piece, emoji in runs(unicodedata.normalize("NFC", text)):
        for ch in piece:
            category = unicodedata.category(ch)
            if emoji:
                if ord(ch) in emoji_chars:
                    kept.append(ch)
            elif ch == "\u00ad":
                kept.append(ch)  # a soft hyphen marks where a long word may break
            elif category == "Cc" or category[0] == "Z":
                kept.append(" ")
            elif category[0] == "C":
                continue
            elif ord(ch) in text_cmap:
                kept.append(ch)
    return " ".join("".join(kept).split())


@lru_cache(maxsize=64)
def emoji_font(size: int, scale: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(EMOJI_FONT), round(size * scale * EMOJI_SCALE))


def emoji_width(piece: str, size: int, scale: int) -> float:
    return emoji_font(size, scale).getlength(piece) / scale


def draw_runs(draw: ImageDraw.ImageDraw, x: float, baseline: float, text: str,
              text_font: ImageFont.FreeTypeFont, size: int, scale: int,
              fill: tuple[int, int, int]) -> None:
    """Draw `text` from x (left) on `baseline`, both in drawing pixels: words in `text_font`,
    emoji in colour."""
    for piece, emoji in runs(text):
        if emoji:
            font = emoji_font(size, scale)
            draw.text((x, baseline), piece, font=font, anchor="ls", embedded_color=True)
        else:
            font = text_font
            draw.text((x, baseline), piece, font=font, fill=fill, anchor="ls")
        x += font.getlength(piece)
