"""Brug measurements and their per-pillar scores."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import BrugMeasurement, BrugScore
from bot.storage.repositories.base import Repository


class BrugRepository(Repository[BrugMeasurement]):
    model = BrugMeasurement

    async def of_participant(
        self, participant_id: int, *, completed_only: bool = True
    ) -> list[BrugMeasurement]:
        query = select(BrugMeasurement).where(BrugMeasurement.participant_id == participant_id)
        if completed_only:
            query = query.where(BrugMeasurement.completed_at.is_not(None))
        result = await self.session.execute(
            query.order_by(BrugMeasurement.started_at, BrugMeasurement.id)
        )
        return list(result.scalars())

    async def scores(self, measurement_id: int) -> list[BrugScore]:
        result = await self.session.execute(
            select(BrugScore)
            .where(BrugScore.measurement_id == measurement_id)
            .order_by(BrugScore.id)
        )
        return list(result.scalars())
