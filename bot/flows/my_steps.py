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


async def _load_plan(uow: UnitOfWork, participant_id: int) -> Plan:
    found = await uow.goals.plan_of(participant_id)
    if found is None:
        return Plan("ended", [], [])
    (status, paused_until), rows = found
    goals: dict[int, GoalItem] = {}
    items: list[StepItem] = []
    # One small query when nothing is tagged (rewards are off by default).
    _step_rewards = await rewards._step_rewards(uow, participant_id)
    for (goal_id, goal_text, goal_position, step_id, text, due, owner, step_status,
         challenging, help_asked_at, position) in rows:
        goals.setdefault(goal_id, GoalItem(goal_id, goal_text, goal_position))
        if step_id is not None:
            items.append(StepItem(step_id, goal_id, text, due, owner, step_status,
                                  bool(challenging), help_asked_at is not None, position,
                                  _step_rewards.get(step_id)))
    return Plan(status, list(goals.values()), items, paused_until)


async def show(db: Database, participant_id: int, opened_at: datetime | None = None) -> Plan:
    """The list. `opened_at`: the participant opened it themselves, which counts as being
    active (last_interaction_at), without an event row for every look."""
    async with db.uow() as uow:
        plan = await _load_plan(uow, participant_id)
        if opened_at is not None:
            await uow.participants.touch(participant_id, opened_at)
            await uow.commit()
        return plan


async def _act(db: Database, participant_id: int, action: Callable[[UnitOfWork], Awaitable[T]],
               end_flow_of: int | None = None) -> tuple[T, Plan]:
    """One use case, one transaction: the change, its reactions, leaving the conversation that
    asked for it (`end_flow_of`: the account whose flow ends) and the fresh list."""
    async with db.uow() as uow:
        if end_flow_of is not None:
            await uow.flows.clear(end_flow_of)
        result = await action(uow)
        plan = await _load_plan(uow, participant_id)
        await uow.commit()
        return result, plan


async def tick(db: Database, participant_id: int, step_id: int, now: datetime,
               actor_account_id: int | None = None
               ) -> tuple[steps.TickResult | steps.StepProblem, Plan]:
    # A card earned by the tick is stored and queued in this same transaction (the StepDone
    # reaction); the dispatcher draws and sends it after the list is edited.
    return await _act(db, participant_id, lambda uow: steps._tick_step(
        uow, participant_id, step_id, now, actor_account_id=actor_account_id))


async def undo(db: Database, participant_id: int, step_id: int, now: datetime,
               actor_account_id: int | None = None) -> tuple[object, Plan]:
    return await _act(db, participant_id, lambda uow: steps._undo_step(
        uow, participant_id, step_id, now, actor_account_id=actor_account_id))


async def reschedule(db: Database, participant_id: int, step_id: int, new_due: date,
                     now: datetime, actor_account_id: int | None = None, *,
                     end_flow: bool = False
                     ) -> tuple[steps.Rescheduled | steps.StepProblem, Plan]:
    """`end_flow`: the date was typed in answer to a question; that conversation ends here."""
    return await _act(db, participant_id, lambda uow: steps._reschedule_step(
        uow, participant_id, step_id, new_due, now, actor_account_id=actor_account_id),
        actor_account_id if end_flow else None)


async def help_please(db: Database, participant_id: int, step_id: int, now: datetime,
                      actor_account_id: int | None = None
                      ) -> tuple[steps.HelpAsked | steps.StepProblem, Plan]:
    return await _act(db, participant_id, lambda uow: steps._ask_help(
        uow, participant_id, step_id, now, actor_account_id=actor_account_id))


async def smaller(db: Database, participant_id: int, step_id: int, text: str, now: datetime,
                  actor_account_id: int | None = None
                  ) -> tuple[steps.StepAdded | steps.StepProblem, Plan]:
    """Typed in answer to "what is a smaller part?": that conversation ends here."""
    return await _act(db, participant_id, lambda uow: steps._make_smaller(
        uow, participant_id, step_id, text, now, actor_account_id=actor_account_id),
        actor_account_id)


async def add(db: Database, participant_id: int, goal_id: int, text: str, due: date | None,
              now: datetime, actor_account_id: int | None = None
              ) -> tuple[steps.StepAdded | steps.StepProblem, Plan]:
    """The last answer of the "add a step" conversation, which ends here."""
    return await _act(db, participant_id, lambda uow: steps._add_own_step(
        uow, participant_id, goal_id, text, due, now, actor_account_id=actor_account_id),
        actor_account_id)
