"""Goals, steps and step events: the goal-action plan."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import Goal, GoalStatus, Step, StepEvent
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


    async def with_goal_texts(self, step_ids: list[int]) -> dict[int, tuple[Step, str]]:
        """Steps with the text of their goal, in one query."""
        if not step_ids:
            return {}
        result = await self.session.execute(
            select(Step, Goal.text).join(Goal, Goal.id == Step.goal_id)
            .where(Step.id.in_(step_ids))
        )
        return {step.id: (step, text) for step, text in result.tuples()}


class StepEventRepository(Repository[StepEvent]):
    model = StepEvent

    async def of_participant(self, participant_id: int) -> list[StepEvent]:
        result = await self.session.execute(
            select(StepEvent)
            .where(StepEvent.participant_id == participant_id)
            .order_by(StepEvent.at, StepEvent.id)
        )
        return list(result.scalars())
