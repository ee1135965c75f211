"""Callback data of the participant's own goal (prefix `og`): start, a pillar or none, no step."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bot.ui.buttons.base import CallbackData

PillarKey = Annotated[str, Field(pattern=r"^[a-z0-9_]{1,24}$")]


class OwnGoal(CallbackData, prefix="og", route="at"):
    at: Literal["start", "pillar", "step"]
    pillar: PillarKey | None = None  # at "pillar": the chosen one, None for "skip"
