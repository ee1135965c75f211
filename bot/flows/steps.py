"""What a participant does with a step: tick off, undo, a new date, ask for help, make it smaller,
add an own step.

The functions taking a `uow` are plain building blocks that do NOT commit, so other features can
call them inside their own unit of work (a reminder's "done" button, automatic cards hooking onto
`TickResult`). Every one checks ownership (`steps.owned(step_id, participant_id)`), decides from
stored state (a second tap or a duplicate update changes nothing), writes a StepEvent and touches
`participants.last_interaction_at`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.core import acknowledgements, events
from bot.core.events import StepChanged, StepDone, StepUndone
from bot.flows import setbacks
from bot.flows.setbacks import Setback
from bot.storage.models import Role, Step, StepEventKind, StepOwner, StepStatus
from bot.storage.uow import UnitOfWork

STEP_TEXT_MAX = 200


class StepProblem(StrEnum):
    NOT_FOUND = "not_found"  # not this participant's step (or forged): same answer either way
    COACH_STEP = "coach_step"  # the coach does this one
    NOT_OPEN = "not_open"  # already done or dropped
    NOT_DONE = "not_done"  # undo of a step that is open
    TOO_LONG = "too_long"
    EMPTY = "empty"


@dataclass(frozen=True)
class TickResult:
    step_id: int
    goal_id: int
    challenging: bool
    goal_completed: bool
    already_done: bool
    # English message id of the acknowledgement; None when nothing changed.
    acknowledgement: str | None = None
    # Appreciation cards this tick earned (stored in the tick's transaction; send after commit).


@dataclass(frozen=True)
class Rescheduled:
    step_id: int
    old_due: date | None
    new_due: date
    setback: Setback | None = None  # moved once too often: help is offered (flows/setbacks)


@dataclass(frozen=True)
class HelpAsked:
    step_id: int
    already_asked: bool


@dataclass(frozen=True)
class StepAdded:
    step_id: int
    goal_id: int
    due: date | None


def check_step_text(text: str) -> str | StepProblem:
    """The text as typed (emoji, RTL and combining marks untouched), or why it can't be used."""
    cleaned = text.strip()
    if not cleaned:
        return StepProblem.EMPTY
    if len(cleaned) > STEP_TEXT_MAX:
        return StepProblem.TOO_LONG
    return cleaned


async def _own_step(uow: UnitOfWork, participant_id: int, step_id: int) -> Step | StepProblem:
    step = await uow.steps.owned(step_id, participant_id, for_update=uow.postgres)
    if step is None:
        return StepProblem.NOT_FOUND
    return step


async def _tick_step(
    uow: UnitOfWork, participant_id: int, step_id: int, now: datetime,
    *, actor_account_id: int | None = None,
) -> TickResult | StepProblem:
    """Mark the step done (once). Does not commit."""
    ticked = await uow.steps.mark_done_if_open(step_id, participant_id, now)
    if ticked is None:
        # Why not: not theirs (or forged), the coach's, dropped, or done already (a second
        # tap, an old message, the same update delivered twice).
        step = await uow.steps.owned(step_id, participant_id)
        if step is None:
            return StepProblem.NOT_FOUND
        if step.owner == StepOwner.COACH.value:
            return StepProblem.COACH_STEP
        if step.status != StepStatus.DONE.value:
            return StepProblem.NOT_OPEN
        return TickResult(step_id, step.goal_id, step.challenging, False, already_done=True)
    goal_id, challenging = ticked
    open_left, previous = await uow.steps.open_count_and_last_ack(goal_id, participant_id)
    goal_completed = open_left == 0
    occasion = acknowledgements.occasion_for(challenging=challenging,
                                            goal_completed=goal_completed)
    line = acknowledgements.choose(occasion, previous, seed=step_id + int(now.timestamp()))
    await uow.step_events.record(step_id, participant_id, StepEventKind.DONE.value, now,
                                 actor_account_id, {"ack": line, "goal_completed": goal_completed})
    await uow.participants.touch(participant_id, now)
    # Reactions: no more reminders for this step; a card for a goal reached or a hard step.
    uow.emit(StepDone(step_id, participant_id, challenging, goal_completed, now))
    return TickResult(step_id, goal_id, challenging, goal_completed, already_done=False,
                      acknowledgement=line)


async def _undo_step(
    uow: UnitOfWork, participant_id: int, step_id: int, now: datetime,
    *, actor_account_id: int | None = None,
) -> Step | StepProblem:
    """Back to open (once). Does not commit."""
    step = await _own_step(uow, participant_id, step_id)
    if isinstance(step, StepProblem):
        return step
    if step.owner == StepOwner.COACH.value:
        return StepProblem.COACH_STEP
    if not await uow.steps.reopen_if_done(step_id, participant_id, now):
        return StepProblem.NOT_DONE
    await uow.step_events.record(step_id, participant_id, StepEventKind.UNDONE.value, now,
                                 actor_account_id)
    await uow.participants.touch(participant_id, now)
    uow.emit(StepUndone(step_id, participant_id, now))
    return step


async def _open_own_step(uow: UnitOfWork, participant_id: int, step_id: int
                         ) -> Step | StepProblem:
    step = await _own_step(uow, participant_id, step_id)
    if isinstance(step, StepProblem):
        return step
    if step.owner == StepOwner.COACH.value:
        return StepProblem.COACH_STEP
    if step.status != StepStatus.OPEN.value:
        return StepProblem.NOT_OPEN
    return step


async def _reschedule_step(
    uow: UnitOfWork, participant_id: int, step_id: int, new_due: date, now: datetime,
    *, actor_account_id: int | None = None,
) -> Rescheduled | StepProblem:
    """Give an open step a new date. The same date again changes nothing. Does not commit."""
    step = await _open_own_step(uow, participant_id, step_id)
    if isinstance(step, StepProblem):
        return step
    old_due = step.due_date
    if old_due != new_due:
        step.due_date = new_due
        step.updated_at = now
        await uow.step_events.record(
            step_id, participant_id, StepEventKind.RESCHEDULED.value, now, actor_account_id,
            {"from": old_due.isoformat() if old_due else None, "to": new_due.isoformat()},
        )
        uow.emit(StepChanged(step_id, now))  # reminders follow the new date
        offer = await setbacks._offer_if_due(uow, participant_id, step_id, now)
    else:
        offer = None
    await uow.participants.touch(participant_id, now)
    return Rescheduled(step_id, old_due, new_due, offer)


async def _ask_help(
    uow: UnitOfWork, participant_id: int, step_id: int, now: datetime,
    *, actor_account_id: int | None = None,
) -> HelpAsked | StepProblem:
    """Flag the step for the coach (help_asked_at), once. Does not commit."""
    step = await _open_own_step(uow, participant_id, step_id)
    if isinstance(step, StepProblem):
        return step
    if step.help_asked_at is not None:
        return HelpAsked(step_id, already_asked=True)
    step.help_asked_at = now
    step.updated_at = now
    await uow.step_events.record(step_id, participant_id, StepEventKind.HELP_ASKED.value, now,
                                 actor_account_id)
    await uow.participants.touch(participant_id, now)
    uow.emit(events.HelpAsked(participant_id, step_id, now))  # the coach hears in minutes
    return HelpAsked(step_id, already_asked=False)


async def _make_smaller(
    uow: UnitOfWork, participant_id: int, step_id: int, text: str, now: datetime,
    *, actor_account_id: int | None = None,
) -> StepAdded | StepProblem:
    """Add a smaller step just before this one (same goal, same date). Does not commit."""
    checked = check_step_text(text)
    if isinstance(checked, StepProblem):
        return checked
    step = await _open_own_step(uow, participant_id, step_id)
    if isinstance(step, StepProblem):
        return step
    position, goal_id, due = step.position, step.goal_id, step.due_date
    await uow.steps.make_room(goal_id, position)
    smaller = await uow.steps.add(
        goal_id=goal_id, participant_id=participant_id, text=checked, due_date=due,
        owner=StepOwner.PARTICIPANT.value, position=position,
        created_by_role=Role.PARTICIPANT.value, created_by_account_id=actor_account_id,
        created_at=now, updated_at=now,
    )
    await uow.step_events.record(smaller.id, participant_id, StepEventKind.CREATED.value, now,
                                 actor_account_id, {"smaller_than": step_id})
    await uow.step_events.record(step_id, participant_id, StepEventKind.MADE_SMALLER.value, now,
                                 actor_account_id, {"new_step": smaller.id})
    await uow.participants.touch(participant_id, now)
    uow.emit(StepChanged(smaller.id, now))
    return StepAdded(smaller.id, goal_id, due)


async def _add_own_step(
    uow: UnitOfWork, participant_id: int, goal_id: int, text: str, due: date | None,
    now: datetime, *, actor_account_id: int | None = None,
) -> StepAdded | StepProblem:
    """A step the participant adds to one of their own active goals. Does not commit."""
    checked = check_step_text(text)
    if isinstance(checked, StepProblem):
        return checked
    goal = await uow.goals.owned(goal_id, participant_id)
    if goal is None or goal.status != "active":
        return StepProblem.NOT_FOUND
    existing = await uow.steps.of_goal(goal_id)
    step = await uow.steps.add(
        goal_id=goal_id, participant_id=participant_id, text=checked, due_date=due,
        owner=StepOwner.PARTICIPANT.value,
        position=max((s.position for s in existing), default=-1) + 1,
        created_by_role=Role.PARTICIPANT.value, created_by_account_id=actor_account_id,
        created_at=now, updated_at=now,
    )
    await uow.step_events.record(step.id, participant_id, StepEventKind.CREATED.value, now,
                                 actor_account_id, {"by": Role.PARTICIPANT.value})
    await uow.participants.touch(participant_id, now)
    uow.emit(StepChanged(step.id, now))
    return StepAdded(step.id, goal_id, due)
