"""The organisation's Brug instrument, for pillar choices and Brug summaries."""

from __future__ import annotations

from functools import lru_cache

from bot.core.brug import Instrument, load_instrument
from bot.i18n import LOCALES_DIR

INSTRUMENTS_DIR = LOCALES_DIR / "instruments"


@lru_cache(maxsize=16)
def instrument(key: str) -> Instrument:
    """Loaded once per key on first use (content files do not change while the bot runs)."""
    return load_instrument(key, INSTRUMENTS_DIR)


def pillar_labels(key: str, locale: str) -> dict[str, str]:
    """pillar key -> label in `locale`, in the instrument's order."""
    return {p.key: p.label_in(locale) for p in instrument(key).pillars}
