"""Callback data of the crisis route (the home menu's button)."""

from __future__ import annotations

from bot.ui.buttons.base import CallbackData


class CrisisRoute(CallbackData, prefix="sos"):
    """Show the numbers to call in a crisis."""
