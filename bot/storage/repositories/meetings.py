"""Meetings of a participant with their coach."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Meeting, MeetingStatus, Participant

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


async def counts_by_status(session: AsyncSession, cohort: ColumnElement[bool]
                           ) -> dict[str, int]:
    """Meetings per status of the participants matching `cohort` (the cohort report)."""
    result = await session.execute(
        select(Meeting.status, func.count())
        .join(Participant, Participant.id == Meeting.participant_id)
        .where(cohort).group_by(Meeting.status))
    return {status: int(n) for status, n in result.all()}
