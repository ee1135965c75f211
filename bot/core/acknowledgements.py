"""Which short line answers a ticked step: varied, sincere, never the same line twice in a row.

Lines are English message ids (translated by the caller with `_()`), in three pools: an ordinary
step, a step marked challenging, and the last open step of a goal. Warmer pools for bigger
moments, no exclamation-mark inflation for small ones. Pure: the previous line and a seed come in.
"""

from __future__ import annotations

import random
from typing import Literal


def N_(message: str) -> str:
    """Mark a line for extraction (scripts/i18n_update.py takes N_); core imports no i18n."""
    return message


Occasion = Literal["step", "challenging", "goal"]

POOLS: dict[Occasion, tuple[str, ...]] = {
    "step": (
        N_("Done. Nice work."),
        N_("Ticked off. One step further."),
        N_("That one is done."),
        N_("Well done. Step by step."),
        N_("Done. One thing less to keep in mind."),
        N_("Done. That counts."),
    ),
    "challenging": (
        N_("That was a hard one, and you did it."),
        N_("This step was not easy. You did it anyway."),
        N_("A difficult step, and it is done."),
        N_("That took courage. Really well done."),
    ),
    "goal": (
        N_("That was the last step of this goal. You did it!"),
        N_("All steps of this goal are done. That is a big achievement."),
        N_("Goal reached, step by step."),
    ),
}


def occasion_for(*, challenging: bool, goal_completed: bool) -> Occasion:
    if goal_completed:
        return "goal"
    return "challenging" if challenging else "step"


def choose(occasion: Occasion, previous: str | None, seed: int) -> str:
    """A line from the occasion's pool that differs from `previous` (the last line shown)."""
    pool = [line for line in POOLS[occasion] if line != previous]
    return random.Random(seed).choice(pool)
