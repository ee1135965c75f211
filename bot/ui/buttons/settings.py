"""Callback data of /instellingen (prefix `set`): one press changes one setting."""

from __future__ import annotations

from typing import Literal

from bot.ui.buttons.base import CallbackData

SettingName = Literal["lang", "moment", "quiet", "lessons", "steps", "pause", "resume", "name"]
SettingValue = Literal["nl", "en", "morning", "afternoon", "evening", "21-8", "22-7", "20-9",
                       "23-9", "weekly", "less", "off", "go", "show", "count"]


class Setting(CallbackData, prefix="set", route="what"):
    what: SettingName
    value: SettingValue
