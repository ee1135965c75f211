"""Callback data of the coach's screens (prefixes c*, reserved for the coach feature)."""

from __future__ import annotations

from typing import Literal

from bot.ui.buttons.base import CallbackData, Id


class KeepCoachName(CallbackData, prefix="cn"):
    """Onboarding: keep the Telegram first name as the name participants see."""


class CoachList(CallbackData, prefix="cl"):
    """Back to /deelnemers."""


class CoachCard(CallbackData, prefix="cp"):
    """Open one participant's card."""

    pid: Id


class CoachInvite(CallbackData, prefix="ci", route="action"):
    action: Literal["new", "revoke"]
    pid: Id


class NewGoal(CallbackData, prefix="cgn"):
    pid: Id


class GoalAction(CallbackData, prefix="cg", route="action"):
    # "achieved" asks to confirm, "done" closes as achieved.
    action: Literal["open", "add", "achieved", "done", "stopped", "notify"]
    gid: Id


class StepAction(CallbackData, prefix="cs", route="action"):
    action: Literal["edit", "up", "down", "drop"]
    sid: Id


class PlanTap(CallbackData, prefix="cpl"):
    """A button inside a plan flow. `at` is the flow step the button was made for: a button of
    an earlier question, or the same tap delivered twice, finds the flow elsewhere and does
    nothing. Pillars are switched on/off explicitly, so a repeated tap cannot undo itself."""

    action: Literal["skip", "pon", "poff", "next", "conf", "due", "past_ok", "owner", "hard",
                    "save", "keep", "later"]
    at: str
    value: str | None = None
