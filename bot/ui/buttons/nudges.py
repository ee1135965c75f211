"""Button data on reminders, check-ins, the welcome back and lessons (prefixes rm*, ls*).

Done, 'doesn't work out' and 'ask for help' on a reminder carry the participants' own button
data (bot/ui/buttons/participant.py), so their tick / not-now / help flows answer them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.ui.buttons.base import CallbackData, Id

LaterChoice = Literal["ask", "evening", "tomorrow", "week"]


class StepLater(CallbackData, prefix="rml", route="choice"):
    step_id: Id
    choice: LaterChoice


class WelcomeBack(CallbackData, prefix="rmb", route="choice"):
    choice: Literal["fresh", "coach"]


class LessonFeedback(CallbackData, prefix="lsf", route="verdict"):
    number: int = Field(ge=0, le=999)
    verdict: Literal["yes", "no"]


class LessonControl(CallbackData, prefix="lsc", route="action"):
    action: Literal["next", "pause", "stop", "start"]
