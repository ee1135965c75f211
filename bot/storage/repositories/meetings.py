"""Meetings of a participant with their coach."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Meeting, MeetingStatus

PLANNED = MeetingStatus.PLANNED.value


async def add(session: AsyncSession, **values: object) -> Meeting:
    meeting = Meeting(**values)
    session.add(meeting)
    await session.flush()
    return meeting


async def get(session: AsyncSession, meeting_id: int) -> Meeting | None:
    return await session.get(Meeting, meeting_id)


async def of_participant(session: AsyncSession, participant_id: int) -> list[Meeting]:
    result = await session.execute(
        select(Meeting).where(Meeting.participant_id == participant_id)
        .order_by(Meeting.starts_at, Meeting.id))
    return list(result.scalars())


async def planned_near(session: AsyncSession, participant_id: int, coach_id: int,
                       starts_at: datetime, window: timedelta, except_id: int | None
                       ) -> list[datetime]:
    """Start times of planned meetings of this participant or this coach near `starts_at`."""
    result = await session.execute(
        select(Meeting.starts_at).where(
            Meeting.status == PLANNED,
            (Meeting.participant_id == participant_id) | (Meeting.coach_id == coach_id),
            Meeting.starts_at > starts_at - window, Meeting.starts_at < starts_at + window,
            Meeting.id != (except_id or 0)))
    return list(result.scalars())


async def counts_by_status(session: AsyncSession, participant_ids: list[int]
                           ) -> dict[str, int]:
    """Meetings per status among these participants (the cohort report)."""
    if not participant_ids:
        return {}
    result = await session.execute(
        select(Meeting.status, func.count()).where(Meeting.participant_id.in_(participant_ids))
        .group_by(Meeting.status))
    return {status: int(n) for status, n in result.all()}
