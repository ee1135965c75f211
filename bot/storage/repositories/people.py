from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from bot.storage.models import Coach, Participant
from bot.storage.repositories.base import Repository


class CoachRepository(Repository[Coach]):
    model = Coach

    async def by_account(self, account_id: int) -> Coach | None:
        result = await self.session.execute(select(Coach).where(Coach.account_id == account_id))
        return result.scalar_one_or_none()


class ParticipantRepository(Repository[Participant]):
    model = Participant

    async def by_account(self, account_id: int) -> Participant | None:
        result = await self.session.execute(
            select(Participant).where(Participant.account_id == account_id)
        )
        return result.scalar_one_or_none()

    async def of_coach(self, coach_id: int) -> list[Participant]:
        result = await self.session.execute(
            select(Participant).where(Participant.coach_id == coach_id).order_by(Participant.id)
        )
        return list(result.scalars())

    async def owned_by(self, participant_id: int, coach_id: int) -> Participant | None:
        """The participant, only when it belongs to this coach: the one access check to use."""
        result = await self.session.execute(
            select(Participant).where(
                Participant.id == participant_id, Participant.coach_id == coach_id
            )
        )
        return result.scalar_one_or_none()

    async def touch(self, participant_id: int, now: datetime) -> None:
        """Remember the participant's last action (for the coach's "last active")."""
        await self.session.execute(
            update(Participant)
            .where(Participant.id == participant_id)
            .values(last_interaction_at=now)
        )
