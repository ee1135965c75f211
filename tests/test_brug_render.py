"""The Brug picture: valid, deterministic PNGs within Telegram's limits, in a font that has every
character we draw."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import cast

import pytest
from fontTools.ttLib import TTFont
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFont

from bot.core.brug import available_instruments, load_instrument
from bot.render.brug import (
    BOLD_FONT,
    MAX_PITCH,
    NOW_FILL,
    REGULAR_FONT,
    SIDE,
    TARGET,
    TELEGRAM_MAX_BYTES,
    TELEGRAM_MAX_RATIO,
    TELEGRAM_MAX_SIDES,
    WIDTH,
    BrugPicture,
    PictureLegend,
    PicturePillar,
    fit_labels,
    font_cmap,
    missing_glyphs,
    picture_cache_key,
    render_brug,
    strip_unsupported,
    wrap_text,
)

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENTS = ROOT / "locales" / "instruments"
LEGEND = PictureLegend(now="Nu", before="Vorige keer", target="Doel", working_on="Hier werk je aan")
DUTCH = "ë é € ï ö ü à è ç ĳ IJ ‘aan’ “zo” – — … café coöperatie geïnteresseerd €1.306,00 ½"


def _cmap(path: Path) -> set[int]:
    with TTFont(path) as font:
        return set(font.getBestCmap())


@pytest.fixture(scope="module")
def cmaps() -> dict[str, set[int]]:
    return {"regular": _cmap(REGULAR_FONT), "bold": _cmap(BOLD_FONT)}


def _picture(
    key: str = "brug-alphen",
    levels: tuple[int | None, ...] = (3, 4, 4, 2, 3, 2, 1, 2),
    previous: tuple[int | None, ...] | None = None,
    targets: dict[int, int] | None = None,
    goals: frozenset[int] = frozenset(),
    title: str = "Jouw Brug naar Zelfredzaamheid",
) -> BrugPicture:
    instrument = load_instrument(key, INSTRUMENTS)
    return BrugPicture(
        title=title,
        date_label="Ingevuld op 3 maart 2025",
        legend=LEGEND,
        pillars=tuple(
            PicturePillar(
                label=pillar.label_in("nl"),
                current=levels[i % len(levels)],
                previous=previous[i % len(previous)] if previous else None,
                target=(targets or {}).get(i),
                has_active_goal=i in goals,
            )
            for i, pillar in enumerate(instrument.pillars)
        ),
    )


def _decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _png_chunks(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append(data[pos + 4 : pos + 8].decode("ascii"))
        pos += 12 + length
    return chunks


def _letters(text: str) -> str:
    return text.replace("-", "").replace(" ", "")


def _colours(image: Image.Image) -> set[tuple[int, int, int]]:
    colours = image.convert("RGB").getcolors(maxcolors=1 << 22)
    assert colours is not None
    return {cast(tuple[int, int, int], colour) for _, colour in colours}


# --- the PNG ---------------------------------------------------------------------------------


def test_renders_a_valid_png_at_least_1080_wide() -> None:
    image = _decode(render_brug(_picture()))
    assert image.format == "PNG"
    assert image.mode == "P"  # a palette PNG: half the encoding time of RGB, same look
    assert len(image.getcolors() or []) <= 128
    assert image.width >= 1080
    assert 600 <= image.height <= 1600  # one screen on a phone, not a scroll


def test_same_input_same_bytes_and_no_metadata() -> None:
    picture = _picture(previous=(2, 4, 4, 2, 2, 1, 1, 1), targets={5: 4}, goals=frozenset({5}))
    first, second = render_brug(picture), render_brug(picture)
    assert first == second
    # No tIME/tEXt/pHYs chunks: nothing that changes between runs or leaks information.
    assert set(_png_chunks(first)) == {"IHDR", "PLTE", "IDAT", "IEND"}


def test_same_bytes_in_a_fresh_process() -> None:
    code = (
        "import hashlib, sys; sys.path.insert(0, 'tests');"
        "from test_brug_render import _picture; from bot.render.brug import render_brug;"
        "print(hashlib.sha256(render_brug(_picture())).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    import hashlib

    assert out.stdout.strip() == hashlib.sha256(render_brug(_picture())).hexdigest()


@pytest.mark.parametrize("count", [1, 3, 8, 9, 12])
def test_within_telegram_photo_limits(count: int) -> None:
    pillars = tuple(
        PicturePillar(
            label=f"Pijler nummer {i + 1}",
            current=1 + i % 5,
            previous=1 + (i + 2) % 5,
            target=5,
            has_active_goal=i % 2 == 0,
        )
        for i in range(count)
    )
    picture = BrugPicture("Titel", "Vandaag", pillars, LEGEND, subtitle="Een zin eronder.")
    data = render_brug(picture)
    image = _decode(data)
    assert image.width + image.height <= TELEGRAM_MAX_SIDES
    assert max(image.size) / min(image.size) <= TELEGRAM_MAX_RATIO
    assert len(data) < TELEGRAM_MAX_BYTES
    assert len(data) < 500_000  # quick to send on a poor connection


def test_nine_pillars_render_with_every_label_fitting_its_column() -> None:
    instrument = load_instrument("example-extra-pillar", INSTRUMENTS)
    assert len(instrument.pillars) == 9
    picture = _picture(
        "example-extra-pillar", previous=(1, 2), targets={8: 3}, goals=frozenset({8})
    )
    image = _decode(render_brug(picture))
    assert image.width == WIDTH
    assert NOW_FILL in _colours(image)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_shipped_label_fits_in_its_column(language: str) -> None:
    for instrument in available_instruments(INSTRUMENTS).values():
        labels = [p.label_in(language) for p in instrument.pillars]
        width = min((WIDTH - 2 * SIDE) / len(labels), MAX_PITCH) - 8
        size, wrapped = fit_labels(labels, width)
        assert size >= 20, instrument.key
        for label, result in zip(labels, wrapped, strict=True):
            assert 1 <= len(result.lines) <= 3
            # The wrapped lines spell the label again, apart from the added hyphens.
            assert _letters("".join(result.lines)) == _letters(label)
            font = ImageFont.truetype(str(REGULAR_FONT), size)
            for line in result.lines:
                assert font.getlength(line) <= width + 1, (instrument.key, line)


def test_long_dutch_compounds_break_where_dutch_breaks_them() -> None:
    assert wrap_text("Gezinsstabiliteit", 25, 120).lines == ("Gezins-", "stabiliteit")
    assert wrap_text("Huisvesting", 25, 120).lines == ("Huis-", "vesting")
    assert wrap_text("Zorg voor anderen", 25, 125).lines == ("Zorg voor", "anderen")
    assert wrap_text("Inkomen", 25, 300).lines == ("Inkomen",)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.text(alphabet="aeiouybcdfghklmnprstvwzGHIJ", min_size=1, max_size=24), max_size=6),
    st.integers(min_value=60, max_value=400),
)
def test_wrapping_keeps_every_letter_and_every_line_fits(words: list[str], width: int) -> None:
    text = " ".join(words)
    result = wrap_text(text, 25, width)
    assert _letters("".join(result.lines)) == _letters(text)
    font = ImageFont.truetype(str(REGULAR_FONT), 25)
    assert all(font.getlength(line) <= width + 1 for line in result.lines)


def test_colour_never_signals_bad() -> None:
    """Blue for now, orange for goals: no reds, whatever the levels."""
    picture = _picture(levels=(1,), previous=(5,), targets={0: 5}, goals=frozenset({0}))
    for r, g, b in _colours(_decode(render_brug(picture))):
        assert not (r > 150 and g < 110 and b < 110), (r, g, b)


def test_targets_and_goals_show_in_orange_and_only_when_present() -> None:
    plain = _colours(_decode(render_brug(_picture())))
    marked = _colours(_decode(render_brug(_picture(targets={2: 5}, goals=frozenset({2})))))
    assert TARGET not in plain
    assert TARGET in marked


# --- text and glyphs -------------------------------------------------------------------------


def test_every_instrument_text_and_dutch_sample_is_in_both_fonts(
    cmaps: dict[str, set[int]],
) -> None:
    texts = [DUTCH, LEGEND.now, LEGEND.before, LEGEND.target, LEGEND.working_on]
    for instrument in available_instruments(INSTRUMENTS).values():
        texts += instrument.name.values()
        for pillar in instrument.pillars:
            texts += pillar.label.values()
            texts += (pillar.hint or {}).values()
            for statements in pillar.levels.values():
                texts += statements.values()
    for name, cmap in cmaps.items():
        missing = {ch for text in texts for ch in missing_glyphs(text, cmap)}
        assert not missing, f"{name} font lacks {sorted(missing)}"


def test_runtime_cmap_matches_fonttools(cmaps: dict[str, set[int]]) -> None:
    assert font_cmap() == frozenset(cmaps["regular"] & cmaps["bold"])
    assert ord("€") in font_cmap()


def test_missing_glyphs_finds_emoji() -> None:
    cmap = font_cmap()
    assert missing_glyphs("Goed 👍🏽 gedaan", cmap) >= {"👍", "🏽"}
    assert missing_glyphs(DUTCH, cmap) == set()
    assert strip_unsupported(DUTCH, cmap) == DUTCH  # nothing Dutch counts as a pictograph


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Mijn Brug 😀", "Mijn Brug"),  # DejaVu has this smiley: dropped all the same
        ("Goed 👍🏽 gedaan ❤️ ✓", "Goed gedaan"),
        ("👨‍👩‍👧 Gezin", "Gezin"),
        ("Twee\nregels\tmet\u00a0ruimte", "Twee regels met ruimte"),
        ("Cafe\u0301 € 5,-", "Café € 5,-"),
        ("Brug naar Zelfredzaamheid®", "Brug naar Zelfredzaamheid®"),
        ("😀😀😀", ""),
    ],
)
def test_strip_unsupported(raw: str, clean: str) -> None:
    assert strip_unsupported(raw, font_cmap()) == clean


def test_emoji_input_does_not_crash_and_is_stripped() -> None:
    plain = _picture(title="Jouw Brug")
    noisy = replace(
        plain,
        title="Jouw 🌉 Brug 😀",
        pillars=tuple(replace(p, label=f"{p.label} 💸") for p in plain.pillars),
        legend=replace(LEGEND, now="Nu ✅"),
    )
    assert render_brug(noisy) == render_brug(plain)


def test_only_emoji_labels_still_render() -> None:
    picture = BrugPicture("🙂", "", (PicturePillar("💰", 2), PicturePillar("🏠", None)), LEGEND)
    assert _decode(render_brug(picture)).width == WIDTH


# --- input validation and cache key -----------------------------------------------------------


@pytest.mark.parametrize("bad", [0, 6, True, 2.5])
def test_levels_outside_1_to_5_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="step from 1 to 5"):
        PicturePillar("Schulden", current=bad)  # type: ignore[arg-type]


def test_pillar_count_is_bounded() -> None:
    with pytest.raises(ValueError):
        BrugPicture("t", "d", (), LEGEND)
    with pytest.raises(ValueError):
        BrugPicture("t", "d", tuple(PicturePillar("x", 1) for _ in range(13)), LEGEND)


def test_cache_key_follows_content() -> None:
    picture = _picture()
    key = picture_cache_key(picture)
    assert len(key) == 64 and int(key, 16) >= 0
    assert picture_cache_key(_picture()) == key
    pillars: list[PicturePillar] = list(picture.pillars)
    as_list = BrugPicture(picture.title, picture.date_label, pillars, picture.legend)  # type: ignore[arg-type]
    assert picture_cache_key(as_list) == key
    changed = [
        replace(picture, title="Anders"),
        replace(picture, date_label="Gisteren"),
        replace(picture, subtitle="Startpunt"),
        replace(picture, legend=replace(LEGEND, now="Nu!")),
        replace(picture, pillars=(replace(picture.pillars[0], current=4), *picture.pillars[1:])),
        replace(picture, pillars=(replace(picture.pillars[0], target=5), *picture.pillars[1:])),
        replace(
            picture,
            pillars=(replace(picture.pillars[0], has_active_goal=True), *picture.pillars[1:]),
        ),
    ]
    keys = {picture_cache_key(p) for p in changed}
    assert key not in keys and len(keys) == len(changed)
