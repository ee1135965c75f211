"""Goals, steps and step events: the goal-action plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, or_, select

from bot.storage.models import Goal, GoalStatus, Participant, Step, StepEvent, StepStatus
from bot.storage.repositories.base import Repository


class GoalRepository(Repository[Goal]):
    model = Goal

    async def of_participant(self, participant_id: int, *, active_only: bool = True) -> list[Goal]:
        query = select(Goal).where(Goal.participant_id == participant_id)
        if active_only:
            query = query.where(Goal.status == GoalStatus.ACTIVE.value)
        result = await self.session.execute(query.order_by(Goal.position, Goal.id))
        return list(result.scalars())

    async def owned(self, goal_id: int, participant_id: int) -> Goal | None:
        """The goal only when it belongs to this participant: the access check to use."""
        result = await self.session.execute(
            select(Goal).where(Goal.id == goal_id, Goal.participant_id == participant_id)
        )
        return result.scalar_one_or_none()


class StepRepository(Repository[Step]):
    model = Step

    async def of_participant(self, participant_id: int) -> list[Step]:
        result = await self.session.execute(
            select(Step)
            .where(Step.participant_id == participant_id)
            .order_by(Step.goal_id, Step.position, Step.id)
        )
        return list(result.scalars())

    async def of_goal(self, goal_id: int) -> list[Step]:
        result = await self.session.execute(
            select(Step).where(Step.goal_id == goal_id).order_by(Step.position, Step.id)
        )
        return list(result.scalars())

    async def owned(
        self, step_id: int, participant_id: int, *, for_update: bool = False
    ) -> Step | None:
        """The step only when it belongs to this participant: the access check to use."""
        query = select(Step).where(Step.id == step_id, Step.participant_id == participant_id)
        if for_update:
            query = query.with_for_update()
        result = await self.session.execute(query)
        return result.scalar_one_or_none()


    async def overview_rows(self, coach_id: int, done_since: datetime) -> Sequence[Row[Any]]:
        """Steps that count in the coach's overview, for all their participants at once:
        open steps, and steps done since `done_since`.
        Rows: (participant_id, status, due_date, done_at, help_asked_at)."""
        result = await self.session.execute(
            select(Step.participant_id, Step.status, Step.due_date, Step.done_at,
                   Step.help_asked_at)
            .join(Participant, Participant.id == Step.participant_id)
            .where(
                Participant.coach_id == coach_id,
                or_(Step.status == StepStatus.OPEN.value,
                    (Step.status == StepStatus.DONE.value) & (Step.done_at >= done_since)),
            )
        )
        return result.all()

    async def next_position(self, goal_id: int) -> int:
        result = await self.session.execute(
            select(func.coalesce(func.max(Step.position), -1)).where(Step.goal_id == goal_id)
        )
        return int(result.scalar_one()) + 1


class StepEventRepository(Repository[StepEvent]):
    model = StepEvent

    async def kinds_by_step(self, participant_id: int) -> dict[int, set[str]]:
        """Which kinds of event each step of this participant has had (for the coach's markers)."""
        result = await self.session.execute(
            select(StepEvent.step_id, StepEvent.kind)
            .where(StepEvent.participant_id == participant_id)
            .distinct()
        )
        kinds: dict[int, set[str]] = {}
        for step_id, kind in result.all():
            kinds.setdefault(step_id, set()).add(kind)
        return kinds

    async def latest_id(self, participant_id: int, actor_account_id: int | None = None) -> int:
        """The newest event id of this participant's steps (0 if none), optionally only those
        made by one actor (the coach's own changes, not the participant's ticks)."""
        query = select(func.coalesce(func.max(StepEvent.id), 0)).where(
            StepEvent.participant_id == participant_id)
        if actor_account_id is not None:
            query = query.where(StepEvent.actor_account_id == actor_account_id)
        result = await self.session.execute(query)
        return int(result.scalar_one())

    async def of_participant(self, participant_id: int) -> list[StepEvent]:
        result = await self.session.execute(
            select(StepEvent)
            .where(StepEvent.participant_id == participant_id)
            .order_by(StepEvent.at, StepEvent.id)
        )
        return list(result.scalars())
