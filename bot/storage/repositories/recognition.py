"""Appreciation cards and the reward ledger."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import Card, RewardEntry
from bot.storage.repositories.base import Repository


class CardRepository(Repository[Card]):
    model = Card

    async def of_participant(self, participant_id: int) -> list[Card]:
        result = await self.session.execute(
            select(Card)
            .where(Card.participant_id == participant_id)
            .order_by(Card.created_at.desc(), Card.id.desc())
        )
        return list(result.scalars())

    async def by_dedupe_key(self, key: str) -> Card | None:
        result = await self.session.execute(select(Card).where(Card.dedupe_key == key))
        return result.scalar_one_or_none()


class RewardRepository(Repository[RewardEntry]):
    model = RewardEntry

    async def of_participant(self, participant_id: int) -> list[RewardEntry]:
        result = await self.session.execute(
            select(RewardEntry)
            .where(RewardEntry.participant_id == participant_id)
            .order_by(RewardEntry.id)
        )
        return list(result.scalars())
