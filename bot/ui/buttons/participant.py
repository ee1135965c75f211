"""Callback data of the participant's buttons (prefixes `st*`, `pa*`, `ob*`; see callbacks.py).
Ids are the bounded `Id` of bot.ui.buttons.base."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bot.ui.buttons.base import CallbackData, Id

PageNo = Annotated[int, Field(ge=0, le=99)]


class Onboard(CallbackData, prefix="ob", route="step"):
    """Joining: consent. (The other steps belong to older welcomes, which still get a kind
    answer: language, moment and quiet hours are in /instellingen now.)"""

    step: Literal["consent", "lang", "moment", "quiet"]
    value: Literal["yes", "no", "nl", "en", "morning", "afternoon", "evening",
                   "21-8", "22-7", "20-9", "23-9"]


class StepList(CallbackData, prefix="stl"):
    view: Literal["open", "done"]
    page: PageNo


class StepDone(CallbackData, prefix="std"):
    step: Id
    page: PageNo


class StepUndo(CallbackData, prefix="stu"):
    step: Id
    page: PageNo
    view: Literal["open", "done"]


class StepStuck(CallbackData, prefix="sts"):
    """"Lukt nu niet": opens the choices for one step."""

    step: Id
    page: PageNo


class StepMove(CallbackData, prefix="stm", route="to"):
    step: Id
    to: Literal["tomorrow", "next_week", "type"]


class StepHelp(CallbackData, prefix="sth"):
    step: Id


class StepSmaller(CallbackData, prefix="stk"):
    step: Id


class StepAdd(CallbackData, prefix="sta"):
    """Add an own step; without a goal the participant picks one first."""

    goal: Id | None = None


class StepAddDate(CallbackData, prefix="stw", route="when"):
    when: Literal["none", "today", "tomorrow", "next_week", "type"]


class Pause(CallbackData, prefix="pa", route="until"):
    until: Literal["week", "two_weeks", "month", "open", "date"]
