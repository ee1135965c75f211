"""Brug measurements and their per-pillar scores."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.storage.models import BrugMeasurement, BrugScore, Goal, GoalStatus
from bot.storage.repositories.base import Repository


class BrugRepository(Repository[BrugMeasurement]):
    model = BrugMeasurement

    async def of_participant(
        self, participant_id: int, *, completed_only: bool = True
    ) -> list[BrugMeasurement]:
        """Oldest first. Completed ones are ordered by when they were completed."""
        query = select(BrugMeasurement).where(BrugMeasurement.participant_id == participant_id)
        if completed_only:
            query = query.where(BrugMeasurement.completed_at.is_not(None)).order_by(
                BrugMeasurement.completed_at, BrugMeasurement.id
            )
        else:
            query = query.order_by(BrugMeasurement.started_at, BrugMeasurement.id)
        result = await self.session.execute(query)
        return list(result.scalars())

    async def open_of(self, participant_id: int) -> BrugMeasurement | None:
        """The measurement being filled in (completed_at NULL), newest first if ever several."""
        result = await self.session.execute(
            select(BrugMeasurement)
            .where(
                BrugMeasurement.participant_id == participant_id,
                BrugMeasurement.completed_at.is_(None),
            )
            .order_by(BrugMeasurement.started_at.desc(), BrugMeasurement.id.desc())
            .limit(1)
        )
        return result.scalar_one_or_none()

    async def scores(self, measurement_id: int) -> list[BrugScore]:
        result = await self.session.execute(
            select(BrugScore)
            .where(BrugScore.measurement_id == measurement_id)
            .order_by(BrugScore.id)
        )
        return list(result.scalars())

    async def completed_of_many(self, participant_ids: list[int]
                                ) -> dict[int, list[tuple[str, datetime]]]:
        """(moment, completed at) of many participants' completed measurements, oldest first, in
        one query: the invitation sweep reads a batch of participants at a time."""
        if not participant_ids:
            return {}
        result = await self.session.execute(
            select(BrugMeasurement.participant_id, BrugMeasurement.moment,
                   BrugMeasurement.completed_at)
            .where(BrugMeasurement.participant_id.in_(participant_ids),
                   BrugMeasurement.completed_at.is_not(None))
            .order_by(BrugMeasurement.completed_at, BrugMeasurement.id)
        )
        found: dict[int, list[tuple[str, datetime]]] = {}
        for participant_id, moment, completed_at in result.tuples():
            if completed_at is not None:  # filtered above; this tells the type checker
                found.setdefault(participant_id, []).append((moment, completed_at))
        return found

    async def scores_of(self, measurement_ids: list[int]) -> dict[int, list[BrugScore]]:
        """Scores of several measurements at once, by measurement id."""
        found: dict[int, list[BrugScore]] = {m: [] for m in measurement_ids}
        if not measurement_ids:
            return found
        result = await self.session.execute(
            select(BrugScore)
            .where(BrugScore.measurement_id.in_(measurement_ids))
            .order_by(BrugScore.id)
        )
        for score in result.scalars():
            found[score.measurement_id].append(score)
        return found

    async def set_level(self, measurement_id: int, pillar_key: str, level: int | None) -> None:
        """Save the answer for one pillar (None = skipped); answering again replaces it."""
        score = await self._score(measurement_id, pillar_key)
        if score is None:
            self.session.add(
                BrugScore(measurement_id=measurement_id, pillar_key=pillar_key, level=level)
            )
        else:
            score.level = level
            if level is None or (score.target is not None and score.target < level):
                score.target = None  # a target below the step no longer makes sense
        await self.session.flush()

    async def set_target(self, measurement_id: int, pillar_key: str, target: int | None) -> bool:
        """Set the target of an answered pillar. False when the pillar has no score row."""
        score = await self._score(measurement_id, pillar_key)
        if score is None:
            return False
        score.target = target
        await self.session.flush()
        return True

    async def complete(self, measurement: BrugMeasurement, now: datetime) -> None:
        measurement.completed_at = now
        await self.session.flush()

    async def active_goal_pillars(self, participant_id: int) -> set[str]:
        """Pillar keys served by the participant's active goals (highlighted in the picture)."""
        result = await self.session.execute(
            select(Goal.pillars).where(
                Goal.participant_id == participant_id, Goal.status == GoalStatus.ACTIVE.value
            )
        )
        return {key for pillars in result.scalars() for key in (pillars or [])}

    async def _score(self, measurement_id: int, pillar_key: str) -> BrugScore | None:
        result = await self.session.execute(
            select(BrugScore).where(
                BrugScore.measurement_id == measurement_id, BrugScore.pillar_key == pillar_key
            )
        )
        return result.scalar_one_or_none()
