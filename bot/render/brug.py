"""The Brug as a picture: one column of five steps per pillar, step 1 at the bottom.

Input is a `BrugPicture` with text that is already translated, so this module has no i18n or
database dependency; the output is PNG bytes ready for Telegram's sendPhoto.

Design choices (seed 003 §4.1-4.2: smileys felt like a judgement, a picture helped a dyslexic
participant, a mostly-low Brug can be confronting):
- one calm blue for "now", a pale ghost bar for "before", orange only for goals and targets;
  colour never means good or bad (Okabe-Ito palette, readable with colour blindness);
- step numbers inside the boxes, so the picture works without reading;
- no smileys, no red, no scores added up across pillars.

The same input always gives the same bytes (no timestamps or metadata in the PNG), so callers
can cache by `picture_cache_key`.
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from collections.abc import Callable, Container, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw, ImageFont

from bot.render import emoji

# Bump when the layout changes, so cached pictures are drawn again.
RENDER_VERSION: Final = 2

FONT_DIR: Final = Path(__file__).parent / "fonts"
REGULAR_FONT: Final = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT: Final = FONT_DIR / "DejaVuSans-Bold.ttf"

LEVELS: Final = 5
MAX_PILLARS: Final = 12

# Telegram sendPhoto: width + height <= 10000, ratio <= 20, at most 10 MB.
TELEGRAM_MAX_SIDES: Final = 10_000
TELEGRAM_MAX_RATIO: Final = 20
TELEGRAM_MAX_BYTES: Final = 10 * 1024 * 1024

# --- the input -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PicturePillar:
    label: str
    current: int | None
    previous: int | None = None
    target: int | None = None
    has_active_goal: bool = False

    def __post_init__(self) -> None:
        for name in ("current", "previous", "target"):
            _check_level(name, getattr(self, name))


@dataclass(frozen=True, slots=True)
class PictureLegend:
    now: str
    before: str
    target: str
    working_on: str  # "you are working on this"


@dataclass(frozen=True, slots=True)
class BrugPicture:
    title: str
    date_label: str
    pillars: tuple[PicturePillar, ...]
    legend: PictureLegend
    # Optional calm line under the date, e.g. "Dit is je startpunt." for a mostly-low Brug.
    subtitle: str = ""

    def __post_init__(self) -> None:
        # Accept any sequence but store a tuple, so the picture stays hashable and immutable.
        object.__setattr__(self, "pillars", tuple(self.pillars))
        if not 1 <= len(self.pillars) <= MAX_PILLARS:
            raise ValueError(f"a Brug picture needs 1 to {MAX_PILLARS} pillars")


def _check_level(name: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= LEVELS:
        raise ValueError(f"{name} must be a step from 1 to {LEVELS} or None, got {value!r}")


def picture_cache_key(picture: BrugPicture) -> str:
    """sha256 of the canonical input and the renderer version: same key, same PNG."""
    payload = {"renderer": RENDER_VERSION, "picture": asdict(picture)}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- glyph coverage --------------------------------------------------------------------------


def missing_glyphs(text: str, cmap: Container[int]) -> set[str]:
    """Characters of `text` (after NFC) that the font cannot draw; they would show as boxes."""
    return {ch for ch in unicodedata.normalize("NFC", text) if ord(ch) not in cmap}


# Emoji and pictographs, dropped even where the font has a glyph (DejaVu draws some smileys):
# smileys read as a judgement (seed 003 §4.2), and black-and-white emoji look broken.
_PICTOGRAPHS: Final = (
    (0x2300, 0x23FF),  # watch, hourglass, alarm clock ...
    (0x2600, 0x27BF),  # miscellaneous symbols and dingbats: sun, smileys, hearts, ticks
    (0x2B00, 0x2BFF),  # stars, big arrows
    (0xFE00, 0xFE0F),  # variation selectors (emoji presentation)
    (0x1F000, 0x1FAFF),  # emoji blocks, flags, skin tones
    (0xE0000, 0xE007F),  # tag characters (subdivision flags)
)


def is_pictograph(ch: str) -> bool:
    code = ord(ch)
    return code == 0x20E3 or any(lo <= code <= hi for lo, hi in _PICTOGRAPHS)


def strip_unsupported(text: str, cmap: Container[int]) -> str:
    """`text` without emoji/pictographs and without characters the font lacks; line breaks,
    control characters and runs of spaces become one space. Soft hyphens are kept (they mark
    where a long word may break)."""
    kept = []
    for ch in unicodedata.normalize("NFC", text):
        if ch == SOFT_HYPHEN:
            kept.append(ch)
        elif unicodedata.category(ch) == "Cc" or unicodedata.category(ch)[0] == "Z":
            kept.append(" ")  # line breaks, tabs, odd spaces: one plain space
        elif unicodedata.category(ch)[0] == "C":
            continue  # joiners, direction marks, unassigned: nothing to draw
        elif ord(ch) in cmap and not is_pictograph(ch):
            kept.append(ch)
    return " ".join("".join(kept).split())


@lru_cache(maxsize=1)
def font_cmap() -> frozenset[int]:
    """Code points both bundled fonts can draw. Read once per process, on first use.

    Needs fontTools at runtime (it is only imported here).
    """
    from fontTools.ttLib import TTFont

    def codepoints(path: Path) -> set[int]:
        with TTFont(path, lazy=True) as font:
            return set(font.getBestCmap())

    return frozenset(codepoints(REGULAR_FONT) & codepoints(BOLD_FONT))


# --- layout constants (in output pixels; drawn at SCALE x and reduced for smooth edges) -------

SCALE: Final = 2
PALETTE_COLOURS: Final = 128
WIDTH: Final = 1080
MARGIN: Final = 40
SIDE: Final = 28  # the bridge uses more of the width than the text

TITLE_SIZE: Final = 52
DATE_SIZE: Final = 36
SUBTITLE_SIZE: Final = 36
NUMBER_SIZE: Final = 40
LEGEND_SIZE: Final = 34
LABEL_SIZES: Final = tuple(range(32, 19, -1))  # largest that fits wins
LABEL_MAX_LINES: Final = 3
SPLIT_COST: Final = 2.0
MIN_PART: Final = 3  # letters on each side of a hyphen: no "In-/komen"
LABEL_LEADING: Final = 1.18
MAX_PITCH: Final = 180

BLOCK_H: Final = 78
BLOCK_GAP: Final = 8
DECK_H: Final = 16
GHOST_W: Final = 14  # the "before" bar beside each column
GHOST_GAP: Final = 6
COLUMN_PAD: Final = 12  # room for the target ring inside a pillar's slot

BG: Final = (250, 250, 247)
INK: Final = (28, 42, 58)
MUTED: Final = (88, 100, 112)
EMPTY_FILL: Final = (229, 235, 241)
EMPTY_EDGE: Final = (196, 207, 218)
EMPTY_NUMBER: Final = (118, 132, 146)
NOW_FILL: Final = (0, 114, 178)  # Okabe-Ito blue
NOW_NUMBER: Final = (255, 255, 255)
BEFORE_FILL: Final = (148, 200, 232)  # pale Okabe-Ito sky blue
BEFORE_EMPTY: Final = (236, 240, 244)
TARGET: Final = (230, 159, 0)  # Okabe-Ito orange
GOAL_BAND: Final = (252, 239, 212)
DECK: Final = (70, 88, 108)

SOFT_HYPHEN: Final = "\u00ad"
_VOWELS: Final = frozenset("aeiouyáéíóúàèëïöüâêîôû")


@lru_cache(maxsize=64)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD_FONT if bold else REGULAR_FONT), size * SCALE)


@lru_cache(maxsize=8192)
def text_width(text: str, size: int, bold: bool = False) -> float:
    # Label fitting measures the same words at many sizes, and every Brug of an organisation
    # has the same labels: remembering widths takes a third off a render.
    return _font(size, bold).getlength(text) / SCALE


# --- text wrapping ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Wrapped:
    lines: tuple[str, ...]
    splits: int  # words broken with a hyphen


def wrap_text(text: str, size: int, width: float, bold: bool = False,
              measure: Callable[[str, int, bool], float] | None = None) -> _Wrapped:
    """Greedy wrap at spaces; a word wider than `width` is broken with a hyphen where Dutch
    would usually break it (after a hyphen, between double consonants, between syllables).
    `measure` (text, size, bold) -> width replaces the text font's, e.g. for emoji."""
    measured = measure or text_width

    def fits(candidate: str) -> bool:
        return measured(candidate.replace(SOFT_HYPHEN, ""), size, bold) <= width

    lines: list[str] = []
    splits = 0
    current = ""
    for word in text.split(" "):
        if not word:
            continue
        joined = f"{current} {word}" if current else word
        if fits(joined):
            current = joined
            continue
        if current:
            lines.append(current)
        while not fits(word):
            head, word = _split_word(word, fits)
            lines.append(head)
            splits += 1
        current = word
    if current:
        lines.append(current)
    return _Wrapped(tuple(line.replace(SOFT_HYPHEN, "") for line in lines), splits)


def _split_word(word: str, fits: Callable[[str], bool]) -> tuple[str, str]:
    """Best (head-with-hyphen, tail) for a word too wide for one line.

    Highest break score wins; then the most even split (a compound such as huis|vesting usually
    breaks near its middle), then the earliest.
    """
    best: tuple[int, int, int] | None = None  # (score, -imbalance, -position)
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        if _inside_emoji(word, i):
            continue
        head = word[:i]
        shown = head if head.endswith(("-", SOFT_HYPHEN)) else head + "-"
        if not fits(shown.replace(SOFT_HYPHEN, "-")):
            break
        rank = (_break_score(word, i), -abs(len(word) - 2 * i), -i)
        if best is None or rank > best:
            best = rank
    if best is None:  # no decent break fits: cut wherever it fits, at least one letter
        i = 1
        while i < len(word) - 1 and (fits(word[: i + 1] + "-") or _inside_emoji(word, i + 1)):
            i += 1
        while i > 1 and _inside_emoji(word, i):
            i -= 1
    else:
        i = -best[2]
    head = word[:i]
    head = head[:-1] + "-" if head.endswith(SOFT_HYPHEN) else head
    return (head if head.endswith("-") else head + "-"), word[i:]


def _inside_emoji(word: str, i: int) -> bool:
    """Never break a word next to an emoji: a skin tone or joined sequence would fall apart."""
    return any(emoji.is_pictograph(ch) or emoji.is_modifier(ch) for ch in word[i - 1:i + 1])


def _break_score(word: str, i: int) -> int:
    before, after = word[i - 1].lower(), word[i].lower()
    following = word[i + 1].lower() if i + 1 < len(word) else ""
    if before in ("-", SOFT_HYPHEN):
        return 4  # the text says where to break
    if before == after and before not in _VOWELS:
        return 3  # gezins|stabiliteit
    if before not in _VOWELS and after not in _VOWELS and following in _VOWELS:
        return 2  # huis|vesting
    if before in _VOWELS and after not in _VOWELS and following in _VOWELS:
        return 1  # sta|biliteit
    return 0


def fit_labels(labels: Sequence[str], width: float) -> tuple[int, tuple[_Wrapped, ...]]:
    """One size for all labels (no pillar should look more important than another): the size
    with the best trade-off between large type and few broken words, within three lines.

    A broken word costs SPLIT_COST points of size: "Gezins-/stabiliteit" must break anyway, but
    "In-/komen" only to gain two pixels is harder to read than slightly smaller type.
    """
    best: tuple[float, int, tuple[_Wrapped, ...]] | None = None
    for size in LABEL_SIZES:
        wrapped = tuple(wrap_text(label, size, width) for label in labels)
        if any(len(w.lines) > LABEL_MAX_LINES for w in wrapped):
            continue
        score = size - SPLIT_COST * sum(w.splits for w in wrapped)
        if best is None or score > best[0]:
            best = (score, size, wrapped)
    if best is not None:
        return best[1], best[2]
    size = LABEL_SIZES[-1]
    wrapped = tuple(wrap_text(label, size, width) for label in labels)
    return size, tuple(_Wrapped(_clip(w.lines, LABEL_MAX_LINES), w.splits) for w in wrapped)


def _clip(lines: tuple[str, ...], limit: int) -> tuple[str, ...]:
    if len(lines) <= limit:
        return lines
    return (*lines[: limit - 1], lines[limit - 1].rstrip("-") + "…")


# --- drawing ---------------------------------------------------------------------------------


def _s(value: float) -> int:
    return round(value * SCALE)


def _box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
    return (_s(x0), _s(y0), _s(x1), _s(y1))


@dataclass(frozen=True, slots=True)
class _Layout:
    """Every position, computed once, so measuring and drawing cannot disagree."""

    title_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]
    label_size: int
    labels: tuple[_Wrapped, ...]
    legend_rows: tuple[tuple[tuple[str, str], ...], ...]
    pitch: float  # horizontal room per pillar
    column_w: float
    ghosts: bool  # is there a "before" bar beside each column?
    bridge_left: float
    deck_top: float
    deck_bottom: float  # top of the step-5 boxes hangs below this
    ground: float
    labels_top: float
    labels_bottom: float
    legend_top: float
    height: int


def render_brug(picture: BrugPicture) -> bytes:
    """PNG bytes of the Brug picture, 1080 px wide, deterministic for the same input."""
    clean = _sanitised(picture, font_cmap())
    layout = _layout(clean)
    image = Image.new("RGB", (_s(WIDTH), _s(layout.height)), BG)
    draw = ImageDraw.Draw(image)
    _draw_header(draw, clean, layout)
    _draw_bridge(draw, clean, layout)
    _draw_legend(draw, layout)
    image = image.reduce(SCALE)  # box-filter downsample: smooth edges, cheap
    # A palette PNG: the picture has a handful of flat colours plus their anti-aliased edges, so
    # 128 colours look the same, and encoding 1 byte per pixel takes half the time of RGB
    # (encoding was most of the render time).
    image = image.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    # No pnginfo and no timestamp chunk: identical input gives identical bytes.
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _sanitised(picture: BrugPicture, cmap: Container[int]) -> BrugPicture:
    def clean(text: str) -> str:
        return strip_unsupported(text, cmap)

    legend = picture.legend
    return BrugPicture(
        title=clean(picture.title),
        date_label=clean(picture.date_label),
        subtitle=clean(picture.subtitle),
        legend=PictureLegend(
            now=clean(legend.now),
            before=clean(legend.before),
            target=clean(legend.target),
            working_on=clean(legend.working_on),
        ),
        pillars=tuple(
            PicturePillar(
                label=clean(p.label),
                current=p.current,
                previous=p.previous,
                target=p.target,
                has_active_goal=p.has_active_goal,
            )
            for p in picture.pillars
        ),
    )


def _legend_items(picture: BrugPicture) -> list[tuple[str, str]]:
    """Only what the picture shows: a first Brug has no "before" to explain."""
    pillars = picture.pillars
    items = [("now", picture.legend.now)]
    if any(p.previous is not None for p in pillars):
        items.append(("before", picture.legend.before))
    if any(p.target is not None for p in pillars):
        items.append(("target", picture.legend.target))
    if any(p.has_active_goal for p in pillars):
        items.append(("goal", picture.legend.working_on))
    return [(kind, text) for kind, text in items if text]


SWATCH: Final = 40
SWATCH_GAP: Final = 12
LEGEND_ITEM_GAP: Final = 40
LEGEND_ROW_H: Final = 60


def _legend_rows(items: list[tuple[str, str]]) -> tuple[tuple[tuple[str, str], ...], ...]:
    rows: list[list[tuple[str, str]]] = [[]]
    x = 0.0
    limit = WIDTH - 2 * MARGIN
    for kind, text in items:
        w = SWATCH + SWATCH_GAP + text_width(text, LEGEND_SIZE)
        if rows[-1] and x + w > limit:
            rows.append([])
            x = 0.0
        rows[-1].append((kind, text))
        x += w + LEGEND_ITEM_GAP
    return tuple(tuple(row) for row in rows if row)


TITLE_LEADING: Final = 1.2
SUBTITLE_MAX_LINES: Final = 3
DECK_GAP: Final = 34  # between the deck and step 5: room for a target flag
GROUND_H: Final = 6


def _layout(picture: BrugPicture) -> _Layout:
    n = len(picture.pillars)
    # Few pillars would give giant boxes: cap the pitch and centre the bridge.
    pitch = min((WIDTH - 2 * SIDE) / n, MAX_PITCH)
    ghosts = any(p.previous is not None for p in picture.pillars)
    label_size, labels = fit_labels([p.label for p in picture.pillars], pitch - 8)
    text_w = WIDTH - 2 * MARGIN
    title_lines = _clip(wrap_text(picture.title, TITLE_SIZE, text_w, bold=True).lines, 2)
    subtitle_lines = (
        _clip(wrap_text(picture.subtitle, SUBTITLE_SIZE, text_w).lines, SUBTITLE_MAX_LINES)
        if picture.subtitle
        else ()
    )
    legend_rows = _legend_rows(_legend_items(picture))

    y = MARGIN + len(title_lines) * TITLE_SIZE * TITLE_LEADING
    if picture.date_label:
        y += 6 + DATE_SIZE * TITLE_LEADING
    if subtitle_lines:
        y += 8 + len(subtitle_lines) * SUBTITLE_SIZE * 1.25
    deck_top = y + 40
    deck_bottom = deck_top + DECK_H + DECK_GAP
    ground = deck_bottom + LEVELS * BLOCK_H + (LEVELS - 1) * BLOCK_GAP + 10
    labels_top = ground + GROUND_H + 14
    label_lines = max(len(w.lines) for w in labels)
    labels_bottom = labels_top + label_lines * label_size * LABEL_LEADING
    legend_top = labels_bottom + 36
    height = legend_top + len(legend_rows) * LEGEND_ROW_H + MARGIN - 16
    return _Layout(
        title_lines=title_lines,
        subtitle_lines=subtitle_lines,
        label_size=label_size,
        labels=labels,
        legend_rows=legend_rows,
        pitch=pitch,
        column_w=pitch - 2 * COLUMN_PAD - (GHOST_W + GHOST_GAP if ghosts else 0),
        ghosts=ghosts,
        bridge_left=(WIDTH - n * pitch) / 2,
        deck_top=deck_top,
        deck_bottom=deck_bottom,
        ground=ground,
        labels_top=labels_top,
        labels_bottom=labels_bottom,
        legend_top=legend_top,
        height=round(height),
    )


def _text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    size: int,
    fill: tuple[int, int, int],
    bold: bool = False,
    anchor: str = "la",
) -> None:
    draw.text((_s(xy[0]), _s(xy[1])), text, font=_font(size, bold), fill=fill, anchor=anchor)


def _draw_header(draw: ImageDraw.ImageDraw, picture: BrugPicture, layout: _Layout) -> None:
    y = float(MARGIN)
    for line in layout.title_lines:
        _text(draw, (MARGIN, y), line, TITLE_SIZE, INK, bold=True)
        y += TITLE_SIZE * TITLE_LEADING
    if picture.date_label:
        y += 6
        _text(draw, (MARGIN, y), picture.date_label, DATE_SIZE, MUTED)
        y += DATE_SIZE * TITLE_LEADING
    if layout.subtitle_lines:
        y += 8
        for line in layout.subtitle_lines:
            _text(draw, (MARGIN, y), line, SUBTITLE_SIZE, INK)
            y += SUBTITLE_SIZE * 1.25


def _block_top(layout: _Layout, level: int) -> float:
    """Top edge of step `level`: step 5 hangs right under the deck, step 1 stands on the ground."""
    return layout.deck_bottom + (LEVELS - level) * (BLOCK_H + BLOCK_GAP)


def _draw_bridge(draw: ImageDraw.ImageDraw, picture: BrugPicture, layout: _Layout) -> None:
    pitch, left = layout.pitch, layout.bridge_left
    right = WIDTH - left

    # Goal bands first, so everything else is drawn on top of them.
    for index, pillar in enumerate(picture.pillars):
        if pillar.has_active_goal:
            x0 = left + index * pitch
            draw.rounded_rectangle(
                _box(x0 + 3, layout.deck_top - 14, x0 + pitch - 3, layout.labels_bottom + 14),
                radius=_s(14),
                fill=GOAL_BAND,
            )

    # The deck and the ground make the columns read as a bridge.
    draw.rounded_rectangle(
        _box(left, layout.deck_top, right, layout.deck_top + DECK_H),
        radius=_s(DECK_H / 2),
        fill=DECK,
    )
    draw.rectangle(_box(left, layout.ground, right, layout.ground + GROUND_H), fill=DECK)

    for index, pillar in enumerate(picture.pillars):
        x0 = left + index * pitch
        _draw_column(draw, pillar, layout, x0)
        _draw_label(draw, layout.labels[index], pillar, layout, x0 + pitch / 2)


def _draw_column(
    draw: ImageDraw.ImageDraw, pillar: PicturePillar, layout: _Layout, x0: float
) -> None:
    left = x0 + COLUMN_PAD + (GHOST_W + GHOST_GAP if layout.ghosts else 0)
    right = left + layout.column_w
    mid = (left + right) / 2
    # A short hanger from the deck ties each column to the bridge.
    draw.rectangle(_box(mid - 3, layout.deck_top + DECK_H, mid + 3, layout.deck_bottom), fill=DECK)

    for level in range(1, LEVELS + 1):
        y0 = _block_top(layout, level)
        filled = pillar.current is not None and level <= pillar.current
        draw.rounded_rectangle(
            _box(left, y0, right, y0 + BLOCK_H),
            radius=_s(8),
            fill=NOW_FILL if filled else EMPTY_FILL,
            outline=None if filled else EMPTY_EDGE,
            width=_s(2),
        )
        _text(
            draw,
            (mid, y0 + BLOCK_H / 2),
            str(level),
            NUMBER_SIZE,
            NOW_NUMBER if filled else EMPTY_NUMBER,
            bold=level == pillar.current,  # the step you are on now
            anchor="mm",
        )

    if layout.ghosts:
        # "Before" is a thin pale bar beside the column: visible, but quieter than "now".
        gx = x0 + COLUMN_PAD
        for level in range(1, LEVELS + 1):
            y0 = _block_top(layout, level)
            was = pillar.previous is not None and level <= pillar.previous
            draw.rounded_rectangle(
                _box(gx, y0, gx + GHOST_W, y0 + BLOCK_H),
                radius=_s(5),
                fill=BEFORE_FILL if was else BEFORE_EMPTY,
            )

    if pillar.target is not None:
        y0 = _block_top(layout, pillar.target)
        _draw_target(draw, left, y0, right, y0 + BLOCK_H)


def _draw_target(draw: ImageDraw.ImageDraw, x0: float, y0: float, x1: float, y1: float) -> None:
    """An orange ring around the target step, with a small flag on its top-right corner."""
    draw.rounded_rectangle(
        _box(x0 - 6, y0 - 6, x1 + 6, y1 + 6), radius=_s(12), outline=TARGET, width=_s(5)
    )
    _draw_flag(draw, x1 - 4, y0 - 24)


def _draw_flag(draw: ImageDraw.ImageDraw, x: float, y: float, size: float = 26) -> None:
    """A pole at x from y to y + size with a pennant to the right: "this is where I aim"."""
    draw.rectangle(_box(x, y, x + 4, y + size), fill=INK)
    draw.polygon(
        [
            (_s(x + 4), _s(y)),
            (_s(x + 4 + size * 0.75), _s(y + size * 0.28)),
            (_s(x + 4), _s(y + size * 0.56)),
        ],
        fill=TARGET,
        outline=INK,
        width=_s(1.5),
    )


def _draw_label(
    draw: ImageDraw.ImageDraw,
    wrapped: _Wrapped,
    pillar: PicturePillar,
    layout: _Layout,
    centre_x: float,
) -> None:
    size = layout.label_size
    y = layout.labels_top
    for line in wrapped.lines:
        _text(draw, (centre_x, y), line, size, INK, anchor="ma")
        y += size * LABEL_LEADING
    if pillar.has_active_goal and wrapped.lines:
        # An underline in the goal colour, so the highlight does not rely on the band alone.
        widest = max(text_width(line, size) for line in wrapped.lines)
        draw.rectangle(
            _box(centre_x - widest / 2, y + 2, centre_x + widest / 2, y + 7), fill=TARGET
        )


def _draw_legend(draw: ImageDraw.ImageDraw, layout: _Layout) -> None:
    y = layout.legend_top
    for row in layout.legend_rows:
        x = float(MARGIN)
        for kind, text in row:
            _draw_swatch(draw, kind, x, y + (LEGEND_ROW_H - SWATCH) / 2 - 6)
            _text(
                draw,
                (x + SWATCH + SWATCH_GAP, y + LEGEND_ROW_H / 2 - 6),
                text,
                LEGEND_SIZE,
                INK,
                anchor="lm",
            )
            x += SWATCH + SWATCH_GAP + text_width(text, LEGEND_SIZE) + LEGEND_ITEM_GAP
        y += LEGEND_ROW_H


def _draw_swatch(draw: ImageDraw.ImageDraw, kind: str, x: float, y: float) -> None:
    if kind == "now":
        draw.rounded_rectangle(_box(x, y, x + SWATCH, y + SWATCH), radius=_s(6), fill=NOW_FILL)
    elif kind == "before":
        cx = x + SWATCH / 2
        draw.rounded_rectangle(
            _box(cx - GHOST_W / 2, y, cx + GHOST_W / 2, y + SWATCH), radius=_s(5), fill=BEFORE_FILL
        )
    elif kind == "target":
        draw.rounded_rectangle(
            _box(x + 3, y + 3, x + SWATCH - 3, y + SWATCH - 3),
            radius=_s(8),
            fill=EMPTY_FILL,
            outline=TARGET,
            width=_s(5),
        )
        _draw_flag(draw, x + SWATCH - 10, y - 12, size=20)
    elif kind == "goal":
        draw.rounded_rectangle(
            _box(x, y, x + SWATCH, y + SWATCH),
            radius=_s(8),
            fill=GOAL_BAND,
            outline=TARGET,
            width=_s(2),
        )
