"""Pillar labels of an organisation's Brug instrument, for the plan flow and the coach's card.
The instrument itself is loaded (once per key) by the Brug feature: `flows.brug.instrument`."""

from __future__ import annotations

from bot.flows.brug import instrument


def pillar_labels(key: str, locale: str) -> dict[str, str]:
    """pillar key -> label in `locale`, in the instrument's order."""
    return {p.key: p.label_in(locale) for p in instrument(key).pillars}
