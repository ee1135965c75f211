"""Callback data of the coach's "hand over to another coach" screens."""

from __future__ import annotations

from typing import Literal

from bot.ui.buttons.base import CallbackData, Id


class Handover(CallbackData, prefix="cho", route="action"):
    """ask: choose a coach; pick: confirm; yes: move the participant."""

    action: Literal["ask", "pick", "yes"]
    pid: Id
    to: Id | None = None
