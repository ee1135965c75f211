"""Ending a trajectory: the reasons (seed 000 table 18) and who hears of it. Pure."""

from __future__ import annotations

from typing import Final

from bot.core.outbox import Payload

# The evaluators' categories, in their order. Stored in participants.ended_reason.
END_REASONS: Final = (
    "goals_reached",
    "no_contact",
    "does_not_continue",
    "moved",
    "deceased",
    "handed_over",
    "other",
)
# The outbox kind of the participant's one closing message (rendered at send time).
FAREWELL: Final = "trajectory_ended"


class FarewellPayload(Payload, kind=FAREWELL):
    """Nothing: the message names the participant as they are when it is sent."""


def is_reason(value: str) -> bool:
    return value in END_REASONS


def sends_farewell(reason: str) -> bool:
    """Everyone gets one calm closing message, except after a death."""
    return reason != "deceased"


def farewell_key(participant_id: int) -> str:
    return f"farewell:{participant_id}"


def status_for_kind(kind: str) -> str:
    """The participant status an outbox row of this kind needs at send time: the farewell only
    goes to an ended trajectory, every other message only to an active one."""
    return "ended" if kind == FAREWELL else "active"
