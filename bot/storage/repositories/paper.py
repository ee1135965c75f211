"""Lookups for importing paper Brug forms into one organisation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select

from bot.storage.models import BrugMeasurement, BrugScore, Coach, Participant
from bot.storage.repositories.base import Queries


class PaperRepository(Queries):

    async def coaches(self, organisation_id: int) -> dict[str, int]:
        """Active coaches by display name in lower case -> coach id."""
        rows = await self.session.execute(
            select(func.lower(Coach.display_name), Coach.id)
            .where(Coach.organisation_id == organisation_id, Coach.active.is_(True))
            .order_by(Coach.id)
        )
        found: dict[str, int] = {}
        for name, coach_id in rows.all():
            found.setdefault(" ".join(str(name).split()), int(coach_id))
        return found

    async def references(self, organisation_id: int) -> dict[str, int]:
        """The organisation's own references -> participant id."""
        rows = await self.session.execute(
            select(Participant.external_ref, Participant.id)
            .where(Participant.organisation_id == organisation_id,
                   Participant.external_ref.is_not(None))
        )
        return {str(ref): int(pid) for ref, pid in rows.all()}

    async def imported(self, import_key: str) -> tuple[BrugMeasurement, list[BrugScore]] | None:
        measurement = (await self.session.execute(
            select(BrugMeasurement).where(BrugMeasurement.import_key == import_key)
        )).scalar_one_or_none()
        if measurement is None:
            return None
        scores = await self.session.scalars(
            select(BrugScore).where(BrugScore.measurement_id == measurement.id))
        return measurement, list(scores)

    async def drop_scores(self, scores: Sequence[BrugScore]) -> None:
        """The scores of a form imported before, to be replaced by the form's new levels."""
        for score in scores:
            await self.session.delete(score)
        await self.session.flush()

    async def add_scores(self, measurement_id: int, levels: Iterable[tuple[str, int | None]]
                         ) -> None:
        self.session.add_all(BrugScore(measurement_id=measurement_id, pillar_key=k, level=v)
                             for k, v in levels)
        await self.session.flush()
