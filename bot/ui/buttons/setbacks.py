"""Callback data of the help offered after a setback (prefix `sb`)."""

from __future__ import annotations

from typing import Literal

from bot.ui.buttons.base import CallbackData, Id


class SetbackChoice(CallbackData, prefix="sb", route="choice"):
    """"if_then", or the lesson that fits the setback ("moved" / "still_busy")."""

    choice: Literal["if_then", "moved", "still_busy"]
    step: Id
