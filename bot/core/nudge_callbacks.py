"""Button data on reminders, check-ins, the welcome back and lessons (prefixes rm*, ls*)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.core.callbacks import CallbackData

LaterChoice = Literal["ask", "evening", "tomorrow", "week"]


class StepDone(CallbackData, prefix="rmd"):
    step_id: int = Field(ge=1)


class StepLater(CallbackData, prefix="rml"):
    step_id: int = Field(ge=1)
    choice: LaterChoice


class StepStuck(CallbackData, prefix="rms"):
    """'Doesn't work out' / 'ask for help': the participants' flow takes it from here."""

    step_id: int = Field(ge=1)


class WelcomeBack(CallbackData, prefix="rmb"):
    choice: Literal["fresh", "steps", "coach"]


class LessonFeedback(CallbackData, prefix="lsf"):
    number: int = Field(ge=0, le=999)
    verdict: Literal["yes", "no"]


class LessonControl(CallbackData, prefix="lsc"):
    action: Literal["next", "pause", "stop", "start"]
