"""The use cases behind the participant's step buttons: one unit of work each, committed once,
returning what happened plus the fresh list so the handler can edit the message in place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from bot.core.action_list import GoalItem, StepItem
from bot.flows import rewards, steps
from bot.storage.db import Database
from bot.storage.uow import UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True)
class Plan:
    """A participant's goals and steps as plain values (no ORM rows leave the unit of work)."""

    status: str
    goals: list[GoalItem]
    steps: list[StepItem]
    paused_until: date | None = None

    def goal(self, goal_id: int) -> GoalItem | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def step(self, step_id: int) -> StepItem | None:
        return next((s for s in self.steps if s.id == step_id), None)


async def load_plan(uow: UnitOfWork, participant_id: int) -> Plan:
    found = await uow.goals.plan_of(participant_id)
    if found is None:
        return Plan("ended", [], [])
    (status, paused_until), rows = found
    goals: dict[int, GoalItem] = {}
    items: list[StepItem] = []
    # One small query when nothing is tagged (rewards are off by default).
    step_rewards = await rewards.step_rewards(uow, participant_id)
    for (goal_id, goal_text, goal_position, step_id, text, due, owner, step_status,
         challenging, help_asked_at, position) in rows:
        goals.setdefault(goal_id, GoalItem(goal_id, goal_text, goal_position))
        if step_id is not None:
            items.append(StepItem(step_id, goal_id, text, due, owner, step_status,
                                  bool(challenging), help_asked_at is not None, position,
                                  step_rewards.get(step_id)))
    return Plan(status, list(goals.values()), items, paused_until)


async def show(db: Database, participant_id: int, opened_at: datetime | None = None) -> Plan:
    """The list. `opened_at`: the participant opened it themselves, which counts as being
    active (last_interaction_at), without an event row for every look."""
    async with db.uow() as uow:
        plan = await load_plan(uow, participant_id)
        if opened_at is not None:
            await uow.participants.touch(participant_id, opened_at)
            await uow.commit()
        return plan


async def _act(db: Database, participant_id: int, action: Callable[[UnitOfWork], Awaitable[T]]
               ) -> tuple[T, Plan]:
    async with db.uow() as uow:
        result = await action(uow)
        plan = await load_plan(uow, participant_id)
        await uow.commit()
        return result, plan


async def tick(db: Database, participant_id: int, step_id: int, now: datetime,
               actor_account_id: int | None = None
               ) -> tuple[steps.TickResult | steps.StepProblem, Plan]:
    # A card earned by the tick is stored and queued in this same transaction (the StepDone
    # reaction); the dispatcher draws and sends it after the list is edited.
    return await _act(db, participant_id, lambda uow: steps.tick_step(
        uow, participant_id, step_id, now, actor_account_id=actor_account_id))


async def undo(db: Database, participant_id: int, step_id: int, now: datetime,
               actor_account_id: int | None = None) -> tuple[object, Plan]:
    return await _act(db, participant_id, lambda uow: steps.undo_step(
        uow, participant_id, step_id, now, actor_account_id=actor_account_id))


async def reschedule(db: Database, participant_id: int, step_id: int, new_due: date,
                     now: datetime, actor_account_id: int | None = None
                     ) -> tuple[steps.Rescheduled | steps.StepProblem, Plan]:
    return await _act(db, participant_id, lambda uow: steps.reschedule_step(
        uow, participant_id, step_id, new_due, now, actor_account_id=actor_account_id))


async def help_please(db: Database, participant_id: int, step_id: int, now: datetime,
                      actor_account_id: int | None = None
                      ) -> tuple[steps.HelpAsked | steps.StepProblem, Plan]:
    return await _act(db, participant_id, lambda uow: steps.ask_help(
        uow, participant_id, step_id, now, actor_account_id=actor_account_id))


async def smaller(db: Database, participant_id: int, step_id: int, text: str, now: datetime,
                  actor_account_id: int | None = None
                  ) -> tuple[steps.StepAdded | steps.StepProblem, Plan]:
    return await _act(db, participant_id, lambda uow: steps.make_smaller(
        uow, participant_id, step_id, text, now, actor_account_id=actor_account_id))


async def add(db: Database, participant_id: int, goal_id: int, text: str, due: date | None,
              now: datetime, actor_account_id: int | None = None
              ) -> tuple[steps.StepAdded | steps.StepProblem, Plan]:
    return await _act(db, participant_id, lambda uow: steps.add_own_step(
        uow, participant_id, goal_id, text, due, now, actor_account_id=actor_account_id))
