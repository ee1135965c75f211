"""Help after a setback: noticed inside the use case that saw it, offered once per step.

A step moved for the second time (`_reschedule_step`) or "still busy" twice (`still_busy`)
records a `setback_offered` participant event (step, trigger, lesson): that row is what makes
the offer happen only once, and what the coach's digest can read. The participant then chooses:
a smaller step (the existing flow), an if-then plan (saved on the step's goal, where the coach
sees it on the card) or asking the coach (the existing help request).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core import setbacks as rules
from bot.core.conversations import IfThenFlow
from bot.core.lessons import Lesson
from bot.core.plan_input import IF_THEN_MAX, TextProblem, clean_text
from bot.flows.reminders import lesson_series
from bot.storage.db import Database
from bot.storage.models import StepEventKind, StepStatus
from bot.storage.uow import UnitOfWork

OFFERED = "setback_offered"
STILL_BUSY = "still_busy"


@dataclass(frozen=True)
class Setback:
    step_id: int
    step_text: str
    trigger: rules.Trigger
    lesson_key: str


async def _offer_if_due(uow: UnitOfWork, participant_id: int, step_id: int, now: datetime
                        ) -> Setback | None:
    """Record the offer when this step now calls for one. Does not commit."""
    step = await uow.steps.owned(step_id, participant_id)
    if step is None or step.status != StepStatus.OPEN.value:
        return None
    moves = sum(1 for e in await uow.step_events.of_participant(participant_id)
                if e.step_id == step_id and e.kind == StepEventKind.RESCHEDULED.value)
    events = await uow.participant_events.of_participant(participant_id)
    busy = sum(1 for e in events if e.kind == STILL_BUSY and e.data.get("step_id") == step_id)
    offered = any(e.kind == OFFERED and e.data.get("step_id") == step_id for e in events)
    trigger = rules.setback(moves, busy, offered)
    if trigger is None:
        return None
    lesson = rules.LESSON_FOR[trigger]
    await uow.participant_events.record(participant_id, OFFERED, now,
                                        {"step_id": step_id, "trigger": trigger,
                                         "lesson": lesson})
    return Setback(step_id, step.text, trigger, lesson)


async def still_busy(db: Database, participant_id: int, step_id: int, now: datetime
                     ) -> Setback | None:
    """"Still busy" / "doesn't work out" on an open step: counted, and the offer when due."""
    async with db.uow() as uow:
        step = await uow.steps.owned(step_id, participant_id)
        if step is None or step.status != StepStatus.OPEN.value:
            return None
        await uow.participant_events.record(participant_id, STILL_BUSY, now,
                                            {"step_id": step_id})
        found = await _offer_if_due(uow, participant_id, step_id, now)
        await uow.commit()
        return found


def lesson(key: str, locale: str) -> tuple[int, Lesson] | None:
    series = lesson_series()
    for number in range(series.count):
        found = series.get(number, locale)
        if found.key == key:
            return number, found
    return None


async def begin_if_then(db: Database, participant_id: int, account_id: int, step_id: int,
                        now: datetime) -> str | None:
    """Start the if-then question for one of the participant's open steps: its text, or None."""
    async with db.uow() as uow:
        step = await uow.steps.owned(step_id, participant_id)
        if step is None or step.status != StepStatus.OPEN.value:
            return None
        await uow.flows.save(account_id, IfThenFlow.flow, "text",
                             IfThenFlow(step=step_id).dump(), now)
        text = step.text
        await uow.commit()
        return text


async def save_if_then(db: Database, participant_id: int, account_id: int, step_id: int,
                       raw: str, now: datetime) -> str | TextProblem | None:
    """The plan on the step's goal (where the coach reads it), and the question ends: one
    transaction. None when the step is not theirs or not open any more."""
    text = clean_text(raw, IF_THEN_MAX)
    if isinstance(text, TextProblem):
        return text
    async with db.uow() as uow:
        step = await uow.steps.owned(step_id, participant_id)
        goal = await uow.goals.owned(step.goal_id, participant_id) if step else None
        await uow.flows.clear(account_id)
        if step is None or goal is None or step.status != StepStatus.OPEN.value:
            await uow.commit()
            return None
        goal.if_then = text
        await uow.participant_events.record(participant_id, "if_then_made", now,
                                            {"step_id": step_id, "goal_id": goal.id})
        await uow.participants.touch(participant_id, now)
        await uow.commit()
        return text
