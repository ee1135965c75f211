"""Callback data of the rewards feature (prefixes `rw*`).

`RewardTagMenu(step_id=...)` is the button the coaches feature puts on a step ("reward"); the
rest is answered by bot/telegram/handlers/rewards.py.
"""

from __future__ import annotations

from pydantic import Field

from bot.ui.buttons.base import CallbackData, Id


class RewardTagMenu(CallbackData, prefix="rwm"):
    """Coach: choose a reward kind for this step (or take its reward off)."""

    step_id: Id


class RewardTag(CallbackData, prefix="rwt"):
    step_id: Id
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")


class RewardUntag(CallbackData, prefix="rwu"):
    step_id: Id


class RewardConfirm(CallbackData, prefix="rwc"):
    """Coach: the step is done, the reward is earned."""

    entry_id: Id


class RewardHandOut(CallbackData, prefix="rwh"):
    entry_id: Id


class RewardsMine(CallbackData, prefix="rwp"):
    """Participant: show my rewards."""
