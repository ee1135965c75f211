"""The Brug over time: a small line per pillar, every time it was filled in, left to right.

Participants could not remember what they had filled in, and seeing progress on the Brug kept
them going (seed 003 §4.2, 000 §2.6.2); a second and third Brug were rare (003 §5.1). This
picture shows all of them at once: one small chart per pillar (levels 1 to 5 upwards, one dot
each time, the latest larger with its number beside it), the wish as an orange dashed line with
a flag. The same calm colours as the Brug picture (render/brug.py): no red, no smileys, colour
never means good or bad, and nothing is added up across pillars.

Input is a `TimelinePicture` with text already translated; output PNG bytes; the same input
gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from dataclasses import asdict, dataclass
from typing import Final

from PIL import Image, ImageDraw

from bot.render.brug import (
    BG,
    DECK,
    EMPTY_EDGE,
    INK,
    LEVELS,
    MUTED,
    NOW_FILL,
    NOW_NUMBER,
    PALETTE_COLOURS,
    SCALE,
    TARGET,
    _clip,
    _draw_flag,
    _font,
    font_cmap,
    strip_unsupported,
    text_width,
    wrap_text,
)

RENDER_VERSION: Final = 1
MAX_PILLARS: Final = 12
MAX_TIMES: Final = 24  # more than a trajectory of years would have

WIDTH: Final = 1080
MARGIN: Final = 40
COLUMNS: Final = 2
GAP: Final = 40
PANEL_W: Final = (WIDTH - 2 * MARGIN - (COLUMNS - 1) * GAP) / COLUMNS
PANEL_H: Final = 300
LABEL_SIZE: Final = 32
AXIS_SIZE: Final = 24
TITLE_SIZE: Final = 52
DATE_SIZE: Final = 34
LEGEND_SIZE: Final = 32
CHART_TOP: Final = 58  # within a panel, below the label
CHART_H: Final = 170
AXIS_W: Final = 34  # the level numbers left of each chart
DOT: Final = 9
LATEST_DOT: Final = 14
GRID: Final = (226, 232, 238)
SKIPPED: Final = (196, 207, 218)


@dataclass(frozen=True, slots=True)
class TimelinePillar:
    label: str
    levels: tuple[int | None, ...]  # one per time it was filled in, oldest first; None: skipped
    wish: int | None = None  # the latest wish ("where do you want to be"), if any

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", tuple(self.levels))
        for value in (*self.levels, self.wish):
            if value is not None and (isinstance(value, bool) or not 1 <= value <= LEVELS):
                raise ValueError(f"a level must be 1 to {LEVELS} or None, got {value!r}")


@dataclass(frozen=True, slots=True)
class TimelinePicture:
    title: str
    dates: str  # "12 March 2026 – 10 September 2026 · 3 times"
    pillars: tuple[TimelinePillar, ...]
    times: tuple[str, ...]  # a short date per time ("mrt 2025"): the first and last are shown
    legend_line: str  # "Each time you filled it in"
    legend_wish: str  # "Wish"

    def __post_init__(self) -> None:
        object.__setattr__(self, "pillars", tuple(self.pillars))
        if not 1 <= len(self.pillars) <= MAX_PILLARS:
            raise ValueError(f"a Brug picture needs 1 to {MAX_PILLARS} pillars")
        object.__setattr__(self, "times", tuple(self.times))
        times = {len(p.levels) for p in self.pillars} | {len(self.times)}
        if len(times) != 1 or not 1 <= times.pop() <= MAX_TIMES:
            raise ValueError(f"every pillar and the dates need the same 1 to {MAX_TIMES} times")


def timeline_cache_key(picture: TimelinePicture) -> str:
    payload = {"renderer": f"timeline-{RENDER_VERSION}", "picture": asdict(picture)}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _s(value: float) -> int:
    return round(value * SCALE)


def _clean(picture: TimelinePicture) -> TimelinePicture:
    cmap = font_cmap()

    def clean(text: str) -> str:
        return strip_unsupported(text, cmap)

    return TimelinePicture(
        title=clean(picture.title), dates=clean(picture.dates),
        legend_line=clean(picture.legend_line), legend_wish=clean(picture.legend_wish),
        pillars=tuple(TimelinePillar(clean(p.label), p.levels, p.wish)
                      for p in picture.pillars),
        times=tuple(clean(t) for t in picture.times))


@dataclass(frozen=True, slots=True)
class _Layout:
    title: tuple[str, ...]
    dates: tuple[str, ...]
    grid_top: float
    legend_top: float

    def panel(self, index: int) -> tuple[float, float]:
        """The top-left corner of pillar `index`'s panel (two per row)."""
        column, row = index % COLUMNS, index // COLUMNS
        return MARGIN + column * (PANEL_W + GAP), self.grid_top + row * PANEL_H


def layout(picture: TimelinePicture) -> _Layout:
    clean = _clean(picture)
    title = _clip(wrap_text(clean.title, TITLE_SIZE, WIDTH - 2 * MARGIN, bold=True).lines, 2)
    dates = _clip(wrap_text(clean.dates, DATE_SIZE, WIDTH - 2 * MARGIN).lines, 2)
    rows = math.ceil(len(clean.pillars) / COLUMNS)
    grid_top = MARGIN + len(title) * TITLE_SIZE * 1.2 + 8 + len(dates) * DATE_SIZE * 1.25 + 30
    return _Layout(title, dates, grid_top, grid_top + rows * PANEL_H + 10)


def render_timeline(picture: TimelinePicture) -> bytes:
    """PNG bytes, 1080 px wide, deterministic for the same input."""
    clean = _clean(picture)
    laid = layout(picture)
    title, dates, legend_top = laid.title, laid.dates, laid.legend_top
    height = round(legend_top + 60 + MARGIN)
    image = Image.new("RGB", (_s(WIDTH), _s(height)), BG)
    draw = ImageDraw.Draw(image)
    y = float(MARGIN)
    for line in title:
        draw.text((_s(MARGIN), _s(y)), line, font=_font(TITLE_SIZE, True), fill=INK)
        y += TITLE_SIZE * 1.2
    y += 8
    for line in dates:
        draw.text((_s(MARGIN), _s(y)), line, font=_font(DATE_SIZE), fill=MUTED)
        y += DATE_SIZE * 1.25
    for index, pillar in enumerate(clean.pillars):
        _draw_panel(draw, pillar, clean.times, *laid.panel(index))
    _draw_legend(draw, clean, legend_top, any(p.wish for p in clean.pillars))
    image = image.reduce(SCALE)
    image = image.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _label_line(label: str) -> tuple[str, int]:
    """One line for the pillar's name: the largest size that fits, at most cut with '…'."""
    for size in range(LABEL_SIZE, 21, -2):
        if text_width(label, size, True) <= PANEL_W:
            return label, size
    return _clip(wrap_text(label, 22, PANEL_W, bold=True).lines, 1)[0], 22


def _y(level: float, top: float) -> float:
    return top + CHART_H - (level - 1) / (LEVELS - 1) * CHART_H


def _draw_panel(draw: ImageDraw.ImageDraw, pillar: TimelinePillar, times: tuple[str, ...],
                x0: float, y0: float) -> None:
    label, size = _label_line(pillar.label)
    draw.text((_s(x0), _s(y0)), label, font=_font(size, True), fill=INK)
    top = y0 + CHART_TOP
    left, right = x0 + AXIS_W, x0 + PANEL_W - 40
    for level in range(1, LEVELS + 1):
        y = _y(level, top)
        draw.line((_s(left), _s(y), _s(right), _s(y)), fill=GRID, width=_s(2))
        draw.text((_s(x0 + AXIS_W - 12), _s(y)), str(level), font=_font(AXIS_SIZE),
                  fill=MUTED, anchor="rm")
    axis = top + CHART_H + 14
    draw.line((_s(left), _s(axis), _s(right), _s(axis)), fill=EMPTY_EDGE, width=_s(2))
    count = len(pillar.levels)
    xs = [(left + right) / 2] if count == 1 else [
        left + 14 + i * (right - left - 28) / (count - 1) for i in range(count)]
    if pillar.wish is not None:
        wy = _y(pillar.wish, top)
        _dashed(draw, left, right, wy)
        _draw_flag(draw, right + 6, wy - 26)
    points = [(x, _y(level, top)) for x, level in zip(xs, pillar.levels, strict=True)
              if level is not None]
    # A line only between two times that were both answered: a skipped time is a gap.
    for i in range(count - 1):
        la, lb = pillar.levels[i], pillar.levels[i + 1]
        if la is not None and lb is not None:
            draw.line((_s(xs[i]), _s(_y(la, top)), _s(xs[i + 1]), _s(_y(lb, top))),
                      fill=NOW_FILL, width=_s(5))
    for x, skipped in zip(xs, pillar.levels, strict=True):
        if skipped is None:
            # Skipped: a small ring on the axis below level 1, so the time is there but empty.
            draw.ellipse((_s(x - 6), _s(axis - 6), _s(x + 6), _s(axis + 6)), outline=SKIPPED,
                         width=_s(2), fill=BG)
    for x, y in points[:-1]:
        draw.ellipse((_s(x - DOT), _s(y - DOT), _s(x + DOT), _s(y + DOT)), fill=NOW_FILL)
    latest_level = pillar.levels[-1]
    if latest_level is not None:
        x, y = xs[-1], _y(latest_level, top)
        draw.ellipse((_s(x - LATEST_DOT), _s(y - LATEST_DOT), _s(x + LATEST_DOT),
                      _s(y + LATEST_DOT)), fill=NOW_FILL, outline=DECK, width=_s(2))
        draw.text((_s(x), _s(y)), str(latest_level), font=_font(20, True), fill=NOW_NUMBER,
                  anchor="mm")
    shown = [(xs[0], times[0], "la")] if len(xs) == 1 else [
        (xs[0], times[0], "la"), (xs[-1], times[-1], "ra")]
    for x, label, anchor in shown:
        edge = x - 14 if anchor == "la" else x + 14
        draw.text((_s(edge), _s(axis + 10)), label, font=_font(AXIS_SIZE), fill=MUTED,
                  anchor=anchor if len(xs) > 1 else "ma")


def _dashed(draw: ImageDraw.ImageDraw, left: float, right: float, y: float) -> None:
    x = left
    while x < right:  # a dashed line: the wish is a place to aim for, not a level reached
        draw.line((_s(x), _s(y), _s(min(x + 14, right)), _s(y)), fill=TARGET, width=_s(4))
        x += 24


def _draw_legend(draw: ImageDraw.ImageDraw, picture: TimelinePicture, top: float,
                 wish: bool) -> None:
    x, mid = float(MARGIN), top + 30
    draw.line((_s(x), _s(mid), _s(x + 44), _s(mid)), fill=NOW_FILL, width=_s(5))
    for cx in (x + 4, x + 40):
        draw.ellipse((_s(cx - DOT), _s(mid - DOT), _s(cx + DOT), _s(mid + DOT)), fill=NOW_FILL)
    x += 60
    draw.text((_s(x), _s(mid)), picture.legend_line, font=_font(LEGEND_SIZE), fill=INK,
              anchor="lm")
    x += text_width(picture.legend_line, LEGEND_SIZE) + 48
    if wish and picture.legend_wish and x + 60 + text_width(picture.legend_wish,
                                                            LEGEND_SIZE) <= WIDTH - MARGIN:
        _dashed(draw, x, x + 44, mid)
        _draw_flag(draw, x + 48, mid - 26)
        draw.text((_s(x + 80), _s(mid)), picture.legend_wish, font=_font(LEGEND_SIZE),
                  fill=INK, anchor="lm")
