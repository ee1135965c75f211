"""Button data of the Brug (prefixes `br*`, plus `home:brug` from bot.ui.buttons.base).

Ids in button data are never trusted: every use case checks that the person pressing may see or
change that participant's Brug.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bot.ui.buttons.base import CallbackData, Id

Index = Annotated[int, Field(ge=0, lt=64)]
# 0 = skip (no step / no target), 1..5 = the step.
Choice = Annotated[int, Field(ge=0, le=5)]


class BrugFill(CallbackData, prefix="brf", route="k"):
    """Filling in measurement `m`: k = "q" show the step question for pillar i, "a" answer it
    with v; "tq" show the target question for pillar i, "t" answer it with v; "tn" no targets."""

    k: Literal["q", "a", "tq", "t", "tn"]
    m: Id
    i: Index = 0
    v: Choice = 0


class BrugMine(CallbackData, prefix="brm", route="a"):
    """A participant's own Brug: latest picture, first vs latest, all times in one picture
    ("time"), the list, one measurement (m), fill in (again)."""

    a: Literal["latest", "compare", "time", "list", "open", "fill"]
    m: Id | None = None


class BrugCoach(CallbackData, prefix="brc", route="a"):
    """A coach opens participant p's Brug: the same views as BrugMine, and "start" a
    measurement, then "together" (filled in with the participant) or "coach" (entered by the
    coach alone)."""

    a: Literal["latest", "compare", "time", "list", "open", "start", "together", "coach"]
    p: Id
    m: Id | None = None
