"""Participant events outside steps (consent, pause, language, lesson feedback, ...)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.storage.models import ParticipantEvent
from bot.storage.repositories.base import Repository


class ParticipantEventRepository(Repository[ParticipantEvent]):
    model = ParticipantEvent

    async def record(
        self, participant_id: int, kind: str, at: datetime, data: dict[str, Any] | None = None
    ) -> ParticipantEvent:
        return await self.add(participant_id=participant_id, kind=kind, at=at, data=data or {})

    async def of_participant(self, participant_id: int) -> list[ParticipantEvent]:
        result = await self.session.execute(
            select(ParticipantEvent)
            .where(ParticipantEvent.participant_id == participant_id)
            .order_by(ParticipantEvent.at, ParticipantEvent.id)
        )
        return list(result.scalars())

    async def latest_of(self, participant_id: int, kinds: list[str]) -> ParticipantEvent | None:
        result = await self.session.execute(
            select(ParticipantEvent)
            .where(ParticipantEvent.participant_id == participant_id,
                   ParticipantEvent.kind.in_(kinds))
            .order_by(ParticipantEvent.at.desc(), ParticipantEvent.id.desc())
            .limit(1)
        )
        return result.scalar_one_or_none()
