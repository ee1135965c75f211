"""Meetings of a participant with their coach."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.storage.models import Meeting, MeetingStatus
from bot.storage.repositories.base import Repository

PLANNED = MeetingStatus.PLANNED.value


class MeetingRepository(Repository[Meeting]):
    model = Meeting

    async def of_participant(self, participant_id: int) -> list[Meeting]:
        result = await self.session.execute(
            select(Meeting).where(Meeting.participant_id == participant_id)
            .order_by(Meeting.starts_at, Meeting.id))
        return list(result.scalars())

    async def planned_near(self, participant_id: int, coach_id: int, starts_at: datetime,
                           window: timedelta, except_id: int | None) -> list[datetime]:
        """Start times of planned meetings of this participant or this coach near
        `starts_at`."""
        result = await self.session.execute(
            select(Meeting.starts_at).where(
                Meeting.status == PLANNED,
                (Meeting.participant_id == participant_id) | (Meeting.coach_id == coach_id),
                Meeting.starts_at > starts_at - window, Meeting.starts_at < starts_at + window,
                Meeting.id != (except_id or 0)))
        return list(result.scalars())

