"""The appreciation card picture: valid, deterministic, within Telegram's limits; text always fits
and every character drawn is in the bundled fonts (checked with fontTools, not by drawing)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFont

from bot.render import emoji as emoji_runs
from bot.render.brug import (
    BOLD_FONT,
    REGULAR_FONT,
    TELEGRAM_MAX_BYTES,
    TELEGRAM_MAX_RATIO,
    TELEGRAM_MAX_SIDES,
    font_cmap,
)
from bot.render.card import (
    HEIGHT,
    SCALE,
    TEXT_W,
    CardPicture,
    layout_card,
    render_card,
    sanitised,
)
from bot.render.emoji import EMOJI_FONT, EMOJI_SCALE
from tests.support.cards_read import colour_pixels

ROOT = Path(__file__).resolve().parent.parent
LONGEST = (
    "Fatima, wat heb jij de afgelopen weken hard gewerkt. Je hebt alle brieven van de "
    "schuldeisers opgezocht, gesorteerd en samen met mij doorgenomen. Dat was niet makkelijk, "
    "en toch ben je elke keer gekomen. Ik zag je steeds rustiger worden. Ik ben trots op je "
    "en ik kijk uit naar onze volgende afspraak!"
)


@pytest.fixture(scope="module")
def fonts_cmap() -> set[int]:
    cmaps = []
    for path in (REGULAR_FONT, BOLD_FONT):
        with TTFont(path) as font:
            cmaps.append(set(font.getBestCmap()))
    return cmaps[0] & cmaps[1]


@pytest.fixture(scope="module")
def emoji_cmap() -> set[int]:
    with TTFont(EMOJI_FONT) as font:
        return set(font.getBestCmap())


def _card(message: str = "Goed gedaan!", **kw: str) -> CardPicture:
    values = {"heading": "Voor Fatima", "signature": "Sanne, je coach", "footer": "12 maart 2026"}
    values.update(kw)
    return CardPicture(message=message, **values)


def _decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _words(text: str) -> list[str]:
    return text.split()


def _laid_out(picture: CardPicture) -> str:
    """The message as drawn, with words broken over lines (hyphen at line end) joined again."""
    lines = layout_card(sanitised(picture)).message.lines
    joined = ""
    for line in lines:
        if joined.endswith("-") and not joined.endswith(" -"):
            joined = joined[:-1] + line
        else:
            joined = f"{joined} {line}" if joined else line
    return joined


def test_valid_png_at_least_1080_wide_and_within_telegram_limits() -> None:
    data = render_card(_card(LONGEST))
    image = _decode(data)
    assert image.format == "PNG" and image.mode == "RGB"
    assert image.width >= 1080 and image.height == HEIGHT
    assert image.width + image.height <= TELEGRAM_MAX_SIDES
    assert max(image.size) / min(image.size) <= TELEGRAM_MAX_RATIO
    assert len(data) < min(TELEGRAM_MAX_BYTES, 400_000)


def test_same_content_same_bytes_different_content_different_bytes() -> None:
    assert render_card(_card("Goed gedaan!")) == render_card(_card("Goed gedaan!"))
    assert render_card(_card("Goed gedaan!")) != render_card(_card("Goed gedaan."))


def test_the_longest_message_is_never_cut_and_stays_large() -> None:
    assert len(LONGEST) == 300
    layout = layout_card(sanitised(_card(LONGEST)))
    assert "…" not in layout.drawn_text()
    assert _laid_out(_card(LONGEST)) == LONGEST
    assert layout.message.size >= 40  # readable on a phone without zooming


def test_a_short_message_is_drawn_in_large_type() -> None:
    assert layout_card(sanitised(_card("Goed gedaan!"))).message.size >= 60


def test_a_long_name_wraps_in_the_heading_without_cutting() -> None:
    name = "Maria-Magdalena Wilhelmina van den Hoogenband-Schimmelpenninck"
    assert len(name) <= 80
    layout = layout_card(sanitised(_card(heading=f"Voor {name}")))
    assert 1 <= len(layout.heading.lines) <= 2
    assert "…" not in "".join(layout.heading.lines)


def _line_fits(line: str, size: int, bold: bool) -> bool:
    font = ImageFont.truetype(str(BOLD_FONT if bold else REGULAR_FONT), size * SCALE)
    emoji_font = ImageFont.truetype(str(EMOJI_FONT), round(size * SCALE * EMOJI_SCALE))
    width = sum((emoji_font if is_emoji else font).getlength(piece)
                for piece, is_emoji in emoji_runs.runs(line))
    return width / SCALE <= TEXT_W + 0.5


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    message=st.text(max_size=300) | st.lists(st.sampled_from(
        ["Top", "👍", "💪🏽", "👨‍👩‍👧", "🇳🇱", " ", "1️⃣", "van", "je!", "\u200d", "🏽"]),
        max_size=80).map("".join),
    name=st.text(max_size=80),
    coach=st.text(max_size=80),
)
def test_any_text_fits_and_only_drawable_characters_are_drawn(
    message: str, name: str, coach: str, fonts_cmap: set[int], emoji_cmap: set[int]
) -> None:
    picture = CardPicture(heading=f"Voor {name}", message=message, signature=f"{coach}, je coach",
                          footer="12 maart 2026")
    layout = layout_card(sanitised(picture))
    drawn = layout.drawn_text()
    drawable = fonts_cmap | emoji_cmap
    assert {ch for ch in drawn if ch != "\n" and ord(ch) not in drawable} == set()
    blocks = (layout.heading, layout.message, layout.signature, layout.footer)
    for block in blocks:
        for line in block.lines:
            assert _line_fits(line, block.size, block.bold), line
    total = sum(b.height for b in blocks)
    assert total < HEIGHT - 400  # the arch, the margins and the text never overlap


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Je hebt de DigiD aangevraagd 🎉🎉 Wat knap van je! 💪🏽",
         "Je hebt de DigiD aangevraagd 🎉🎉 Wat knap van je! 💪🏽"),
        ("Samen 👨‍👩‍👧 sterk 🇳🇱 1️⃣", "Samen 👨‍👩‍👧 sterk 🇳🇱 1️⃣"),
        ("café € coöperatie ĳ", "café € coöperatie ĳ"),
        ("a\U0010ffffb \x00 \u0378c", "ab c"),  # nothing either font has: left out, no box
    ],
)
def test_emoji_the_coach_typed_stay_in_the_text(raw: str, shown: str) -> None:
    assert _laid_out(_card(raw)) == shown


def test_an_emoji_sequence_is_never_broken_over_two_lines() -> None:
    long = "Heel-erg-lang-samengesteld-woord👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧" * 3
    layout = layout_card(sanitised(_card(long)))
    for line in layout.message.lines:
        assert not line.startswith(("\u200d", "\U0001f3fd")) and not line.endswith("\u200d")


@pytest.mark.parametrize("emoji", ["👍", "💪🏽", "🎉", "❤️", "👨‍👩‍👧", "🇳🇱"])
def test_emoji_are_drawn_in_colour(emoji: str) -> None:
    without = render_card(_card("Top, goed gedaan"))
    with_emoji = render_card(_card(f"Top {emoji}, goed gedaan"))
    assert colour_pixels(without) == 0
    assert colour_pixels(with_emoji) > 500  # a picture, not a box or nothing


def test_emoji_only_message_still_renders() -> None:
    data = render_card(_card("🎉🎉🎉", heading="🌷", signature=""))
    assert _decode(data).width == 1080
    assert colour_pixels(data) > 1500


def test_runtime_cmap_is_the_fonttools_cmap(fonts_cmap: set[int]) -> None:
    assert font_cmap() == frozenset(fonts_cmap)


def test_committed_examples_are_current(tmp_path: Path) -> None:
    import subprocess
    import sys

    subprocess.run([sys.executable, str(ROOT / "scripts" / "render_card_examples.py"),
                    str(tmp_path)], check=True, capture_output=True)
    for made in sorted(tmp_path.glob("card-*.png")):
        assert made.read_bytes() == (ROOT / "docs" / "img" / made.name).read_bytes(), made.name
