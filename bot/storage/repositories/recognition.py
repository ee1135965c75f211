"""Appreciation cards and the reward ledger."""

from __future__ import annotations

from sqlalchemy import func, select

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

    async def page_of(self, participant_id: int, *, offset: int, limit: int) -> list[Card]:
        """Newest first."""
        result = await self.session.execute(
            select(Card)
            .where(Card.participant_id == participant_id)
            .order_by(Card.created_at.desc(), Card.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(result.scalars())

    async def count_of(self, participant_id: int) -> int:
        result = await self.session.execute(
            select(func.count(Card.id)).where(Card.participant_id == participant_id)
        )
        return int(result.scalar_one())

    async def owned(self, card_id: int, participant_id: int) -> Card | None:
        """The card only when it belongs to this participant: the access check to use."""
        result = await self.session.execute(
            select(Card).where(Card.id == card_id, Card.participant_id == participant_id)
        )
        return result.scalar_one_or_none()

    async def by_dedupe_key(self, key: str) -> Card | None:
        result = await self.session.execute(select(Card).where(Card.dedupe_key == key))
        return result.scalar_one_or_none()

    async def kind_counts(self, participant_ids: list[int]) -> list[tuple[int, str, int]]:
        """(participant_id, kind, count) for the evaluation data."""
        if not participant_ids:
            return []
        result = await self.session.execute(
            select(Card.participant_id, Card.kind, func.count(Card.id))
            .where(Card.participant_id.in_(participant_ids))
            .group_by(Card.participant_id, Card.kind)
        )
        return [(int(p), str(k), int(n)) for p, k, n in result.all()]


class RewardRepository(Repository[RewardEntry]):
    model = RewardEntry

    async def of_participant(self, participant_id: int) -> list[RewardEntry]:
        result = await self.session.execute(
            select(RewardEntry)
            .where(RewardEntry.participant_id == participant_id)
            .order_by(RewardEntry.id)
        )
        return list(result.scalars())
