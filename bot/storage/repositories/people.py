from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.storage.models import Account, Coach, Participant, ParticipantStatus
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

    async def with_account(self, account_id: int) -> tuple[Account | None, Participant | None]:
        """An account and its participant (if any) in one query: the dispatcher's hot path."""
        result = await self.session.execute(
            select(Account, Participant)
            .outerjoin(Participant, Participant.account_id == Account.id)
            .where(Account.id == account_id)
        )
        row = result.first()
        return (row[0], row[1]) if row else (None, None)

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

    async def silent_since(self, cutoff: datetime, *, after_id: int = 0, limit: int = 500
                           ) -> list[Participant]:
        """Active participants with an account whose last interaction is before `cutoff`."""
        result = await self.session.execute(
            select(Participant)
            .where(
                Participant.status == ParticipantStatus.ACTIVE.value,
                Participant.account_id.is_not(None),
                Participant.last_interaction_at < cutoff,
                Participant.id > after_id,
            )
            .order_by(Participant.id)
            .limit(limit)
        )
        return list(result.scalars())

    async def active_with_account(self, *, after_id: int = 0, limit: int = 500
                                  ) -> list[Participant]:
        result = await self.session.execute(
            select(Participant)
            .where(
                Participant.status == ParticipantStatus.ACTIVE.value,
                Participant.account_id.is_not(None),
                Participant.id > after_id,
            )
            .order_by(Participant.id)
            .limit(limit)
        )
        return list(result.scalars())
