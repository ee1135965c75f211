"""Callback data of the coach's "end trajectory" screens."""

from __future__ import annotations

from typing import Literal

from bot.ui.buttons.base import CallbackData


class EndTrajectory(CallbackData, prefix="ctr", route="action"):
    """ask: choose a reason; pick: confirm the chosen reason; yes: end it."""

    action: Literal["ask", "pick", "yes"]
    pid: int
    reason: str | None = None  # one of bot.core.trajectory.END_REASONS; checked by the flow
