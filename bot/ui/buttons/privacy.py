"""Buttons of /privacy, /mijngegevens and /verwijder (no ids: each acts on the presser only)."""

from __future__ import annotations

from typing import Literal

from bot.ui.buttons.base import CallbackData


class PrivacyPress(CallbackData, prefix="priv", route="action"):
    action: Literal["export", "stop", "stop_yes", "erase", "erase_yes", "erase_sure", "keep",
                    "texts_on", "texts_off"]
