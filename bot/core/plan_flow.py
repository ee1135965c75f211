"""The plan flow's steps and transitions, pure: which question follows which, what each question
takes, and what a typed answer or a tap does to the draft (`PlanDraft`, bot/core/conversations.py).
The use cases (bot/flows/plan_flow.py) load and store the draft; the handler draws the outcome
(bot/ui/screens/plan_flow.py).

The questions in order: "goal", "why", "pillars" (the Brug parts and the confidence on one
screen; "confidence" is the older separate question, still answered for a draft that was at
it), "obstacle" (an if-then plan answers it at once; an obstacle alone brings "if_then"), then
small steps: "step_text", "step_due" ("step_due_past" for a date in the past), and back to
"step_text" until the plan is saved. More steps for a goal start at "step_text". A typed answer
goes through the step's rule in `_TYPED`, a tap through its action's rule in `_TAPS`, which
names the steps it belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal, get_args

from pydantic import ValidationError

from bot.core.conversations import DraftGoal, DraftStep, Owner, PlanDraft
from bot.core.dates import Pick, deadline, parse_date
from bot.core.plan_input import (
    GOAL_MAX,
    IF_THEN_MAX,
    OBSTACLE_MAX,
    STEP_MAX,
    WHY_MAX,
    StepHints,
    TextProblem,
    clean_text,
    if_then_parts,
    is_past,
    step_hints,
)

GOAL: Final = "goal"
WHY: Final = "why"
PILLARS: Final = "pillars"
CONFIDENCE: Final = "confidence"
OBSTACLE: Final = "obstacle"
IF_THEN: Final = "if_then"
STEP_TEXT: Final = "step_text"
STEP_DUE: Final = "step_due"
STEP_DUE_PAST: Final = "step_due_past"
STEPS: Final = (GOAL, WHY, PILLARS, CONFIDENCE, OBSTACLE, IF_THEN, STEP_TEXT, STEP_DUE,
                STEP_DUE_PAST)
# Steps of an older version of this flow (who does the step, "challenging"): a draft left there
# goes on as after the step, at "step_text".
LEGACY_STEPS: Final = ("step_owner", "step_hard")

# Typed answers and their length limits; the question that follows each answer (or skip).
TEXT_LIMITS: Final = {GOAL: GOAL_MAX, WHY: WHY_MAX, OBSTACLE: OBSTACLE_MAX,
                      IF_THEN: IF_THEN_MAX, STEP_TEXT: STEP_MAX}
NEXT_AFTER: Final = {GOAL: WHY, WHY: PILLARS, PILLARS: OBSTACLE, CONFIDENCE: OBSTACLE,
                     OBSTACLE: IF_THEN, IF_THEN: STEP_TEXT}
# A draft at one of these has its goal; at these, a step being made.
_HAS_GOAL: Final = (WHY, PILLARS, CONFIDENCE, OBSTACLE, IF_THEN)
_HAS_STEP: Final = (STEP_DUE, STEP_DUE_PAST)

# The coach's quick picks for a step's date as they travel in a button (short callback data).
DUE_PICKS: Final[dict[str, Pick]] = {"w0": "this_week", "w1": "next_week", "w2": "two_weeks"}
NO_DATE: Final = "none"


def picked_due(value: str | None, today: date) -> date | None:
    """The date behind a quick-pick button (None for "no date" or anything unknown)."""
    pick = DUE_PICKS.get(value or "")
    return deadline(pick, today) if pick else None


def first_step(draft: PlanDraft) -> str:
    return STEP_TEXT if draft.gid is not None else GOAL


def load(data: Mapping[str, Any], step: str) -> PlanDraft | None:
    """The draft stored at `step`, also as an older version of the flow stored it; None when it
    cannot go on there (garbled, or missing what the step needs): the flow ends, kindly."""
    try:
        draft = PlanDraft.model_validate(dict(data))
    except ValidationError:
        return None
    if step in LEGACY_STEPS:
        return draft
    if step not in STEPS or (step in _HAS_GOAL and draft.goal is None) or (
            step in _HAS_STEP and draft.cur is None) or (
            step == STEP_DUE_PAST and draft.cur is not None and draft.cur.due is None):
        return None
    return draft


def resume(draft: PlanDraft, step: str) -> tuple[PlanDraft, str]:
    """A draft left at an older "who" or "challenging" question: its step is complete with what
    it has (the defaults for the rest), and the flow goes on at "step_text"."""
    if step not in LEGACY_STEPS:
        return draft, step
    done = draft.steps if draft.cur is None else (*draft.steps, draft.cur)
    return draft.model_copy(update={"steps": done, "cur": None}), STEP_TEXT


# --- inputs and outcomes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Tap:
    """A plan-flow button: its action and value (bot/ui/buttons/coach.py PlanTap)."""

    action: str
    value: str | None = None


@dataclass(frozen=True)
class ConfidenceNote:
    """A confidence below 7: maybe the goal or the first step can be smaller."""

    value: int


@dataclass(frozen=True)
class StepTips:
    """Why the step just made might be hard to start (a hint, never a refusal)."""

    hints: StepHints


Note = ConfidenceNote | StepTips

# What happens to the question that was answered: its buttons go ("buttons"); the answer is
# written under it ("echo", for a tap or a typed number); or the next question takes its place
# ("replace", for a tap on a date).
Leave = Literal["buttons", "echo", "replace"]


@dataclass(frozen=True)
class Ask:
    """Go on to `step` with `draft`: ask its question (after `note`). `left` is the step whose
    question was answered, for the echo."""

    draft: PlanDraft
    step: str
    leave: Leave = "buttons"
    left: str = ""
    note: Note | None = None


@dataclass(frozen=True)
class Changed:
    """A tap changed the draft without moving on: redraw the Brug parts or the step list."""

    draft: PlanDraft
    step: str
    redraw: Literal["pillars", "steps"]


Problem = Literal["too_long", "empty", "date", "tap"]


@dataclass(frozen=True)
class Refused:
    """A typed answer this question cannot take; nothing changes."""

    problem: Problem
    max_chars: int = 0


@dataclass(frozen=True)
class Repeated:
    """The same typed message delivered again: already answered."""


@dataclass(frozen=True)
class Stale:
    """A tap that no longer fits the question (an older message, a forged value)."""


@dataclass(frozen=True)
class Same:
    """A tap that changes nothing (already so, or delivered twice)."""


@dataclass(frozen=True)
class SaveNow:
    draft: PlanDraft


@dataclass(frozen=True)
class Later:
    """No plan now: the flow ends, nothing saved."""


Outcome = Ask | Changed | Refused | Repeated | Stale | Same | SaveNow | Later


# --- typed answers --------------------------------------------------------------------------------


def typed(draft: PlanDraft, step: str, text: str, message_id: int, today: date) -> Outcome:
    """A typed message at `step` (Telegram's message id: a copy is not answered twice)."""
    if message_id <= draft.last_mid:
        return Repeated()
    draft, step = resume(draft.model_copy(update={"last_mid": message_id}), step)
    rule = _TYPED.get(step)
    return rule(draft, step, text, today) if rule is not None else Refused("tap")


def _words(step: str, raw: str) -> str | Refused:
    text = clean_text(raw, TEXT_LIMITS[step])
    if isinstance(text, TextProblem):
        return Refused("too_long" if text is TextProblem.TOO_LONG else "empty",
                       TEXT_LIMITS[step])
    return text


def _with_goal(draft: PlanDraft, **changes: Any) -> PlanDraft:
    assert draft.goal is not None  # load() lets no draft without its goal past "goal"
    return draft.model_copy(update={"goal": draft.goal.model_copy(update=changes)})


def _goal(draft: PlanDraft, step: str, raw: str, today: date) -> Outcome:
    text = _words(step, raw)
    if isinstance(text, Refused):
        return text
    return Ask(draft.model_copy(update={"goal": DraftGoal(text=text)}), NEXT_AFTER[step])


def _goal_field(draft: PlanDraft, step: str, raw: str, today: date) -> Outcome:
    """"why" and "if_then": one field of the goal, named like the step."""
    text = _words(step, raw)
    if isinstance(text, Refused):
        return text
    return Ask(_with_goal(draft, **{step: text}), NEXT_AFTER[step])


def _obstacle(draft: PlanDraft, step: str, raw: str, today: date) -> Outcome:
    text = _words(step, raw)
    if isinstance(text, Refused):
        return text
    parts = if_then_parts(text)
    if parts is not None and len(parts[0]) <= OBSTACLE_MAX:
        # An if-then plan at once: its first half is the obstacle, no if-then question.
        return Ask(_with_goal(draft, obstacle=parts[0], if_then=parts[1]), STEP_TEXT)
    return Ask(_with_goal(draft, obstacle=text), NEXT_AFTER[step])


def _step_text(draft: PlanDraft, step: str, raw: str, today: date) -> Outcome:
    text = _words(step, raw)
    if isinstance(text, Refused):
        return text
    return Ask(draft.model_copy(update={"cur": DraftStep(text=text)}), STEP_DUE)


def _confidence_typed(draft: PlanDraft, step: str, raw: str, today: date) -> Outcome:
    number = raw.strip()
    if number.isdigit() and 1 <= int(number) <= 10:
        return _confident(draft, step, int(number))
    return Refused("tap")


def _due_typed(draft: PlanDraft, step: str, raw: str, today: date) -> Outcome:
    day = parse_date(raw, today)
    if day is None:
        return Refused("date")
    dated = _dated(draft, day)
    if is_past(day, today):
        return Ask(dated, STEP_DUE_PAST)
    return _step_done(dated, today, "buttons")


_TYPED: Final[dict[str, Callable[[PlanDraft, str, str, date], Outcome]]] = {
    GOAL: _goal, WHY: _goal_field, OBSTACLE: _obstacle, IF_THEN: _goal_field,
    STEP_TEXT: _step_text, PILLARS: _confidence_typed, CONFIDENCE: _confidence_typed,
    STEP_DUE: _due_typed,
}


def _confident(draft: PlanDraft, step: str, value: int) -> Ask:
    return Ask(_with_goal(draft, confidence=value), OBSTACLE, "echo", step,
               ConfidenceNote(value) if value < 7 else None)


def _dated(draft: PlanDraft, day: date | None) -> PlanDraft:
    assert draft.cur is not None  # load() lets no draft without its step past "step_text"
    return draft.model_copy(update={"cur": draft.cur.model_copy(update={"due": day})})


def _step_done(draft: PlanDraft, today: date, leave: Leave) -> Ask:
    """The step is complete with its date; who does it and "challenging" start from their
    defaults, changed with one tap on the step list that follows."""
    assert draft.cur is not None
    done = draft.cur
    hints = step_hints(done.text, done.due, today)
    return Ask(draft.model_copy(update={"steps": (*draft.steps, done), "cur": None}),
               STEP_TEXT, leave, note=StepTips(hints) if hints.any else None)


# --- taps -------------------------------------------------------------------------------------


def tapped(draft: PlanDraft, step: str, tap: Tap, today: date, pillars: Collection[str]
           ) -> Outcome:
    """A tap on a button of `step`'s question; `pillars` are the Brug parts one can choose."""
    draft, step = resume(draft, step)
    found = _TAPS.get(tap.action)
    if found is None or step not in found[0]:
        return Stale()
    return found[1](draft, step, tap, today, pillars)


TapRule = Callable[[PlanDraft, str, Tap, date, Collection[str]], Outcome]


def _toggle_pillar(draft: PlanDraft, step: str, tap: Tap, today: date,
                   pillars: Collection[str]) -> Outcome:
    """Switched on ("pon") or off ("poff") explicitly, so a repeated tap cannot undo itself."""
    assert draft.goal is not None
    if tap.value is None or tap.value not in pillars:
        return Stale()
    on = tap.action == "pon"
    chosen = draft.goal.pillars
    if (tap.value in chosen) == on:
        return Same()
    chosen = (*chosen, tap.value) if on else tuple(p for p in chosen if p != tap.value)
    return Changed(_with_goal(draft, pillars=chosen), PILLARS, "pillars")


def _change_last_step(draft: PlanDraft, step: str, tap: Tap, today: date,
                      pillars: Collection[str]) -> Outcome:
    """Who does the newest step, or whether it is challenging: "<step number>-<choice>", so a
    tap meant for another step (an older message) changes nothing."""
    number, _sep, value = (tap.value or "").partition("-")
    if not draft.steps or number != str(len(draft.steps)):
        return Stale()
    last = draft.steps[-1]
    if tap.action == "owner" and value in get_args(Owner):
        changed = last.model_copy(update={"owner": value})
    elif tap.action == "hard" and value in ("0", "1"):
        changed = last.model_copy(update={"hard": value == "1"})
    else:
        return Stale()
    if changed == last:
        return Same()
    return Changed(draft.model_copy(update={"steps": (*draft.steps[:-1], changed)}), STEP_TEXT,
                   "steps")


def _skip(draft: PlanDraft, step: str, tap: Tap, today: date, pillars: Collection[str]
          ) -> Outcome:
    # No obstacle named: no if-then question about it either.
    return Ask(draft, STEP_TEXT if step == OBSTACLE else NEXT_AFTER[step], "echo", step)


def _confidence_tapped(draft: PlanDraft, step: str, tap: Tap, today: date,
                       pillars: Collection[str]) -> Outcome:
    if tap.value and tap.value.isdigit() and 1 <= int(tap.value) <= 10:
        return _confident(draft, step, int(tap.value))
    return Same()


def _due_tapped(draft: PlanDraft, step: str, tap: Tap, today: date,
                pillars: Collection[str]) -> Outcome:
    if tap.value != NO_DATE and tap.value not in DUE_PICKS:
        return Same()
    return _step_done(_dated(draft, picked_due(tap.value, today)), today, "replace")


def _past_ok(draft: PlanDraft, step: str, tap: Tap, today: date, pillars: Collection[str]
             ) -> Outcome:
    """A date in the past: kept ("1": the step is done), or chosen again."""
    if tap.value == "1":
        return _step_done(draft, today, "replace")
    return Ask(_dated(draft, None), STEP_DUE, "replace")


def _save(draft: PlanDraft, step: str, tap: Tap, today: date, pillars: Collection[str]
          ) -> Outcome:
    return SaveNow(draft)


def _later(draft: PlanDraft, step: str, tap: Tap, today: date, pillars: Collection[str]
           ) -> Outcome:
    return Later()


# action -> the steps whose question has that button, and what a tap on it does.
_TAPS: Final[dict[str, tuple[tuple[str, ...], TapRule]]] = {
    "pon": ((PILLARS,), _toggle_pillar),
    "poff": ((PILLARS,), _toggle_pillar),
    "owner": ((STEP_TEXT,), _change_last_step),
    "hard": ((STEP_TEXT,), _change_last_step),
    "skip": ((WHY, PILLARS, CONFIDENCE, OBSTACLE, IF_THEN), _skip),
    "next": ((PILLARS,), _skip),
    "conf": ((PILLARS, CONFIDENCE), _confidence_tapped),
    "due": ((STEP_DUE,), _due_tapped),
    "past_ok": ((STEP_DUE_PAST,), _past_ok),
    "save": ((STEP_TEXT,), _save),
    "later": ((GOAL,), _later),
}
