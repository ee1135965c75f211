"""Domain events: what changed, raised by a use case inside its unit of work.

Plain frozen values. The unit of work collects them and, before it commits, hands each to the
reactions registered for its type (`flows/reactions.py`, installed by `bot/bootstrap.py`): that is
where the outbox is re-planned, cards are awarded and messages are queued, in the same
transaction as the change itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal


@dataclass(frozen=True)
class StepDone:
    step_id: int
    participant_id: int
    challenging: bool
    goal_completed: bool
    at: datetime


@dataclass(frozen=True)
class StepUndone:
    step_id: int
    participant_id: int
    at: datetime


@dataclass(frozen=True)
class StepChanged:
    """Created, rescheduled, edited, made smaller or dropped: its reminders follow."""

    step_id: int
    at: datetime


@dataclass(frozen=True)
class GoalClosed:
    goal_id: int
    participant_id: int
    outcome: str  # "achieved" | "stopped"
    at: datetime


@dataclass(frozen=True)
class PlanChanged:
    """The coach saved a plan or asked to tell the participant about changes."""

    participant_id: int
    coach_account_id: int
    kind: Literal["new_goal", "new_steps", "changed"]
    steps: int
    goal_id: int
    upto_event_id: int  # the coach's latest step event the message covers
    at: datetime


@dataclass(frozen=True)
class PreferencesChanged:
    """Consent, moment or quiet hours: everything of this person is planned again."""

    participant_id: int
    at: datetime


@dataclass(frozen=True)
class Paused:
    participant_id: int
    at: datetime


@dataclass(frozen=True)
class Resumed:
    participant_id: int
    at: datetime


@dataclass(frozen=True)
class LessonsChanged:
    """Lessons paused, stopped, started, one read now or one sent: the next one moves."""

    participant_id: int
    at: datetime


@dataclass(frozen=True)
class CardAwarded:
    card_id: int
    participant_id: int
    at: datetime


@dataclass(frozen=True)
class RewardEarned:
    entry_id: int
    participant_id: int
    at: datetime


@dataclass(frozen=True)
class HelpAsked:
    """A participant asked their coach for help with a step: the coach hears within minutes."""

    participant_id: int
    step_id: int
    at: datetime


@dataclass(frozen=True)
class TalkAsked:
    """A participant would like to talk with their coach."""

    participant_id: int
    at: datetime


@dataclass(frozen=True)
class CoachSettingsChanged:
    """Digest day, time or on/off, or working hours: the coach's digest is planned again."""

    coach_id: int
    at: datetime


@dataclass(frozen=True)
class CoachChanged:
    """The participant was handed over to another coach of the same organisation."""

    participant_id: int
    from_coach_id: int
    to_coach_id: int
    actor_account_id: int | None  # None: an operator on the command line
    at: datetime


@dataclass(frozen=True)
class MeetingChanged:
    """A meeting was planned, moved, cancelled or marked: its messages and reminders follow."""

    meeting_id: int
    at: datetime


@dataclass(frozen=True)
class MeetingWished:
    """The participant cannot make a meeting and asked for another day or a call: the coach
    hears of it in the next push, inside working hours."""

    participant_id: int
    meeting_id: int
    at: datetime


Event = (StepDone | StepUndone | StepChanged | GoalClosed | PlanChanged | PreferencesChanged
         | Paused | Resumed | LessonsChanged | CardAwarded | RewardEarned | HelpAsked | TalkAsked
         | CoachSettingsChanged | CoachChanged | MeetingChanged | MeetingWished)
