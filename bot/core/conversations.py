"""What each conversation has collected so far: one pydantic model per flow; what each step
of a flow can be answered with; the media a person can send as an answer.

A flow's state is kept as JSON in `flow_states` (see `bot/flows/conversation.py`) and read back
through its model, so a handler works with typed fields and a garbled row fails validation
instead of a KeyError. A flow's name is its model's `flow`; two models on one name fail at import.
A step answered by anything but typed text alone says so in its model's `step_takes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.core import plan_input as limits
from bot.core.ids import Id

# flow name -> its state model, for every flow that exists.
FLOWS: dict[str, type[FlowState]] = {}

Owner = Literal["participant", "coach", "together"]

# --- what a step takes -----------------------------------------------------------------------

MediaKind = Literal["photo", "voice", "document"]


@dataclass(frozen=True)
class Photo:
    """A photo sent as an answer: only Telegram's id of its largest size, never the picture."""

    file_id: str
    kind: ClassVar[MediaKind] = "photo"


@dataclass(frozen=True)
class Voice:
    """A voice note: Telegram's file id and its length in seconds, never the sound."""

    file_id: str
    duration: int
    kind: ClassVar[MediaKind] = "voice"


@dataclass(frozen=True)
class Document:
    """A file: Telegram's file id, its name and type as sent, never its content."""

    file_id: str
    name: str | None = None
    mime: str | None = None
    kind: ClassVar[MediaKind] = "document"


Media = Photo | Voice | Document


@dataclass(frozen=True)
class Takes:
    """What a step's question can be answered with: typed text, a tap on its buttons, media."""

    text: bool = True
    tap: bool = False
    media: frozenset[MediaKind] = frozenset()


TEXT = Takes()
TAP = Takes(text=False, tap=True)
TEXT_OR_TAP = Takes(tap=True)


class FlowState(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    flow: ClassVar[str]
    # Steps answered otherwise than by typed text alone; any other step takes TEXT.
    step_takes: ClassVar[Mapping[str, Takes]] = {}

    @classmethod
    def takes(cls, step: str) -> Takes:
        return cls.step_takes.get(step, TEXT)

    def __init_subclass__(cls, flow: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if flow:
            if flow in FLOWS:
                raise ValueError(f"flow {flow!r} is used by {FLOWS[flow].__qualname__} already")
            cls.flow = flow
            FLOWS[flow] = cls

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# --- participants -------------------------------------------------------------------------


class StepDateFlow(FlowState, flow="step_date"):
    """"Another day" for a step: waiting for a typed date."""

    step: Id


class StepSmallerFlow(FlowState, flow="step_smaller"):
    """"Make it smaller": waiting for the smaller step's text."""

    step: Id


class StepAddFlow(FlowState, flow="step_add"):
    """An own step: its text (step "text"), then when (step "when", or a typed "date")."""

    goal: Id
    text: str | None = None
    step_takes: ClassVar[Mapping[str, Takes]] = {"when": TEXT_OR_TAP}


class PauseDateFlow(FlowState, flow="pause_date"):
    """A pause until a typed date."""


# --- coaches ------------------------------------------------------------------------------


class CoachNameFlow(FlowState, flow="coach_name"):
    """A new coach types the name participants will see."""


class NewParticipantFlow(FlowState, flow="new_participant"):
    """/nieuw: waiting for the participant's name."""


class CardDraft(FlowState, flow="card"):
    """A card from the coach: "write" (waiting for words), then "preview" (`message` set)."""

    participant_id: Id
    name: str
    nonce: str
    message: str | None = None
    step_takes: ClassVar[Mapping[str, Takes]] = {"write": TEXT_OR_TAP, "preview": TEXT_OR_TAP}


class StepEditFlow(FlowState, flow="step_edit"):
    """Editing one step: new text (or keep), new date (or keep), who and how hard, then save.
    `due` is "keep", an ISO date, or None for no date."""

    sid: Id
    name: str = ""
    owner: Owner | None = None
    hard: bool = False
    text: str | None = None
    due: str | None = "keep"
    step_takes: ClassVar[Mapping[str, Takes]] = {
        "text": TEXT_OR_TAP, "due": TEXT_OR_TAP, "due_past": TAP, "more": TAP}


class GoalCloseFlow(FlowState, flow="goal_close"):
    """Stopping a goal: waiting for a reason (or "skip")."""

    gid: Id
    step_takes: ClassVar[Mapping[str, Takes]] = {"reason": TEXT_OR_TAP}


class MeetingWhenFlow(FlowState, flow="meeting_when"):
    """A coach types the day and time of a meeting (new, or moving meeting `m`)."""

    pid: Id
    m: Id | None = None


class MeetingNoteFlow(FlowState, flow="meeting_note"):
    """A coach types the note of a meeting before it is saved."""

    pid: Id
    m: Id | None = None
    day: int  # yyyymmdd on the participant's calendar
    hm: int  # hhmm on the participant's clock
    place: Literal["office", "home", "phone", "video"]


class MeetingDayFlow(FlowState, flow="meeting_day"):
    """A participant types the day they would like instead of meeting `m`."""

    m: Id


class OwnGoalFlow(FlowState, flow="own_goal"):
    """A goal in the participant's own words: "what", "why", "pillar" (buttons), "step"."""

    what: str | None = None
    why: str | None = None
    pillar: str | None = None
    step_takes: ClassVar[Mapping[str, Takes]] = {"pillar": TAP, "step": TEXT_OR_TAP}


class IfThenFlow(FlowState, flow="if_then"):
    """After a setback: waiting for the participant's "Als ..., dan ..." for one step."""

    step: Id


class DraftStep(BaseModel):
    """A small step of the plan being made: its text, date, who does it, challenging or not."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    text: str = Field(min_length=1, max_length=limits.STEP_MAX)
    due: date | None = None
    owner: Owner = "participant"
    hard: bool = False


class DraftGoal(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    text: str = Field(min_length=1, max_length=limits.GOAL_MAX)
    why: str | None = Field(default=None, max_length=limits.WHY_MAX)
    pillars: tuple[str, ...] = ()
    confidence: int | None = Field(default=None, ge=1, le=10)
    obstacle: str | None = Field(default=None, max_length=limits.OBSTACLE_MAX)
    if_then: str | None = Field(default=None, max_length=limits.IF_THEN_MAX)


class PlanDraft(FlowState, flow="plan"):
    """What the plan flow has collected so far; its steps and transitions are in
    bot/core/plan_flow.py. Nothing is stored elsewhere until the plan is saved."""

    pid: int
    name: str = ""  # the participant's display name, for the prompts
    instrument: str = "brug-alphen"
    gid: int | None = None  # adding steps to an existing goal
    title: str = ""  # that goal's text, for the prompts
    goal: DraftGoal | None = None
    steps: tuple[DraftStep, ...] = ()
    # The step being made: its text from "step_text", its date at "step_due_past" (a draft of
    # an older version may also hold who does it and "challenging").
    cur: DraftStep | None = None
    # The last typed message taken as an answer: Telegram may deliver a message twice, and the
    # copy must not become the answer to the next question.
    last_mid: int = 0
    # The bot's message that asks the current question with buttons: when the coach answers
    # by typing, its buttons are taken away, so no stale keyboard is left in the chat.
    ask_mid: int = 0
    # Every question has a button ("Plan later", "Skip", "Save") beside what is typed; a date
    # in the past is kept or chosen again with a tap only.
    step_takes: ClassVar[Mapping[str, Takes]] = {
        step: TEXT_OR_TAP for step in ("goal", "why", "pillars", "confidence", "obstacle",
                                       "if_then", "step_text", "step_due")} | {
        "step_due_past": TAP}

    @field_validator("cur", mode="before")
    @classmethod
    def _no_step_yet(cls, value: Any) -> Any:
        # Drafts stored before the step was typed kept it as a dict, empty between steps.
        return value or None
