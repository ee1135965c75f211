"""Appreciation cards and the reward ledger."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.storage.models import Card, Participant, RewardEntry, RewardStatus
from bot.storage.repositories.base import Repository

_cards = cast(Table, Card.__table__)
# Built once, per database: a new card's id, or none when its dedupe key exists (a second tick,
# an undo and redo): one statement instead of a read and an insert.
_ADD_ONCE = {
    postgres: insert_.on_conflict_do_nothing(index_elements=["dedupe_key"])
    .returning(_cards.c.id)
    for postgres, insert_ in ((False, sqlite_insert(_cards)), (True, pg_insert(_cards)))
}

_entries = cast(Table, RewardEntry.__table__)
# Built once: the step list (redrawn after every tick) asks for it each time.
_TAGGED_ON_STEPS = (
    select(_entries.c.step_id, _entries.c.reward_kind, _entries.c.amount_cents)
    .where(_entries.c.participant_id == bindparam("participant_id"),
           _entries.c.status == RewardStatus.TAGGED.value, _entries.c.step_id.is_not(None))
    .order_by(_entries.c.id)
)


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

    async def add_once(self, **values: Any) -> int | None:
        """Insert the card unless one with its `dedupe_key` exists: the new id, else None."""
        result = await self.core(_ADD_ONCE[self.postgres], values)
        return result.scalar()

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

    async def tagged_on_steps(self, participant_id: int) -> list[Row[Any]]:
        """(step_id, reward_kind, amount_cents) of the rewards that wait for a step to be done."""
        return list((await self.core(_TAGGED_ON_STEPS, {"participant_id": participant_id})).all())

    async def for_kind(self, participant_id: int, kind: str, *, for_update: bool = False
                       ) -> RewardEntry | None:
        query = select(RewardEntry).where(
            RewardEntry.participant_id == participant_id, RewardEntry.reward_kind == kind
        )
        if for_update:
            query = query.with_for_update()
        result = await self.session.execute(query)
        return result.scalar_one_or_none()

    async def live_for_step(self, step_id: int) -> RewardEntry | None:
        """The reward a step carries (tagged, earned or handed out), if any."""
        result = await self.session.execute(
            select(RewardEntry).where(
                RewardEntry.step_id == step_id,
                RewardEntry.status != RewardStatus.CANCELLED.value,
            )
        )
        return result.scalars().first()

    async def of_coach(self, coach_id: int, statuses: list[str]) -> list[RewardEntry]:
        """Entries of this coach's participants in these states, oldest first."""
        result = await self.session.execute(
            select(RewardEntry)
            .join(Participant, Participant.id == RewardEntry.participant_id)
            .where(Participant.coach_id == coach_id, RewardEntry.status.in_(statuses))
            .order_by(RewardEntry.id)
        )
        return list(result.scalars())
