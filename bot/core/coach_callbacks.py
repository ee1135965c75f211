"""Callback data of the coach's screens (prefixes c*, reserved for the coach feature)."""

from __future__ import annotations

from typing import Literal

from bot.core.callbacks import CallbackData


class KeepCoachName(CallbackData, prefix="cn"):
    """Onboarding: keep the Telegram first name as the name participants see."""


class CoachList(CallbackData, prefix="cl"):
    """Back to /deelnemers."""


class CoachCard(CallbackData, prefix="cp"):
    """Open one participant's card."""

    pid: int


class CoachInvite(CallbackData, prefix="ci"):
    action: Literal["new", "revoke"]
    pid: int


class NewGoal(CallbackData, prefix="cgn"):
    pid: int


class GoalAction(CallbackData, prefix="cg"):
    # "achieved" asks to confirm, "done" closes as achieved.
    action: Literal["open", "add", "achieved", "done", "stopped", "notify"]
    gid: int


class StepAction(CallbackData, prefix="cs"):
    action: Literal["edit", "up", "down", "drop"]
    sid: int


class PlanTap(CallbackData, prefix="cpl"):
    """A button inside the goal-action plan flow; `value` depends on the action."""

    action: Literal["skip", "pillar", "next", "conf", "due", "past_ok", "owner", "hard",
                    "more", "save", "keep"]
    value: str | None = None
