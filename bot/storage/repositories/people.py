from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Select, Table, bindparam, select, update

from bot.storage.models import (
    Account,
    BrugMeasurement,
    Card,
    Coach,
    Goal,
    Meeting,
    Participant,
    ParticipantStatus,
    RewardEntry,
    Step,
)
from bot.storage.repositories.base import Repository

_participants = cast(Table, Participant.__table__)
# Built once: runs on every tap of a participant.
_TOUCH = (
    update(_participants)
    .where(_participants.c.id == bindparam("participant_id"))
    .values(last_interaction_at=bindparam("now"))
)

_accounts = cast(Table, Account.__table__)
# Built once: every message queued for a participant (a card, a notice) asks for it.
_CONTACT = (
    select(_accounts.c.id, _accounts.c.chat_id, _accounts.c.locale, _accounts.c.reachable)
    .join(_participants, _participants.c.account_id == _accounts.c.id)
    .where(_participants.c.id == bindparam("participant_id"))
)

# One plain statement per kind of id a button names (bot/core/access.Kind), built once: the
# owning participant and their coach (a press is checked before every feature, so this runs
# on nearly every tap).
_OWNED = {"goal": Goal, "step": Step, "card": Card, "reward": RewardEntry,
          "measurement": BrugMeasurement, "meeting": Meeting}
_OWNER: dict[str, Select[Any]] = {
    kind: select(table.c.participant_id, _participants.c.coach_id)
    .join(_participants, _participants.c.id == table.c.participant_id)
    .where(table.c.id == bindparam("ident"))
    for kind, table in ((kind, cast(Table, model.__table__)) for kind, model in _OWNED.items())
}
_OWNER["participant"] = select(_participants.c.id, _participants.c.coach_id).where(
    _participants.c.id == bindparam("ident"))


class CoachRepository(Repository[Coach]):
    model = Coach

    async def of_organisation(self, organisation_id: int) -> list[Coach]:
        result = await self.session.execute(
            select(Coach).where(Coach.organisation_id == organisation_id).order_by(Coach.id))
        return list(result.scalars())

    async def by_account(self, account_id: int) -> Coach | None:
        result = await self.session.execute(select(Coach).where(Coach.account_id == account_id))
        return result.scalar_one_or_none()

    async def with_schedule(self, *, after_id: int = 0, limit: int = 500,
                            only: int | None = None) -> list[Row[Any]]:
        """(Coach, account id, account timezone) of active coaches with an account, by id:
        what planning their digests needs, a batch at a time."""
        query = (
            select(Coach, Account.id, Account.timezone)
            .join(Account, Account.id == Coach.account_id)
            .where(Coach.active.is_(True))
            .order_by(Coach.id)
        )
        if only is not None:
            query = query.where(Coach.id == only)
        else:
            query = query.where(Coach.id > after_id).limit(limit)
        return list((await self.session.execute(query)).all())


class ParticipantRepository(Repository[Participant]):
    model = Participant

    async def by_account(self, account_id: int) -> Participant | None:
        result = await self.session.execute(
            select(Participant).where(Participant.account_id == account_id)
        )
        return result.scalar_one_or_none()

    async def with_accounts(self, account_ids: list[int]
                            ) -> dict[int, tuple[Account, Participant | None]]:
        """Many accounts with their participants in one query (a dispatcher batch)."""
        if not account_ids:
            return {}
        result = await self.session.execute(
            select(Account, Participant)
            .outerjoin(Participant, Participant.account_id == Account.id)
            .where(Account.id.in_(account_ids))
        )
        return {account.id: (account, participant) for account, participant in result.tuples()}

    async def of_coach(self, coach_id: int) -> list[Participant]:
        result = await self.session.execute(
            select(Participant).where(Participant.coach_id == coach_id).order_by(Participant.id)
        )
        return list(result.scalars())

    async def of_organisation(self, organisation_id: int) -> list[Participant]:
        result = await self.session.execute(
            select(Participant)
            .where(Participant.organisation_id == organisation_id)
            .order_by(Participant.id)
        )
        return list(result.scalars())

    async def ids_in_organisation(self, organisation_id: int) -> list[int]:
        """Every participant id of the organisation (the research rows' pseudonyms)."""
        return list(await self.session.scalars(
            select(Participant.id).where(Participant.organisation_id == organisation_id)))

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

    async def touch(self, participant_id: int, now: datetime) -> None:
        """Remember the participant's last action (for the coach's "last active")."""
        if self.loaded(Participant, participant_id):
            # An object in this unit of work: the ORM's UPDATE keeps it in step.
            await self.session.execute(
                update(Participant)
                .where(Participant.id == participant_id)
                .values(last_interaction_at=now)
            )
        else:
            await self.core(_TOUCH, {"participant_id": participant_id, "now": now})
    async def overview_rows(self, coach_id: int) -> Sequence[Row[Any]]:
        """One row per participant of the coach: (id, display_name, status, reachable,
        last_interaction_at); reachable is None while no account is linked."""
        result = await self.session.execute(
            select(
                Participant.id, Participant.display_name, Participant.status,
                Account.reachable, Participant.last_interaction_at,
            )
            .outerjoin(Account, Account.id == Participant.account_id)
            .where(Participant.coach_id == coach_id)
            .order_by(Participant.id)
        )
        return result.all()

    async def owner_of(self, kind: str, ident: int) -> Row[Any] | None:
        """(participant id, coach id) whose data row `ident` of `kind` is ("participant",
        "goal", "step", "card", "reward", "measurement", "meeting"); None: no such row."""
        return (await self.core(_OWNER[kind], {"ident": ident})).one_or_none()

    async def contact(self, participant_id: int) -> Row[Any] | None:
        """(account_id, chat_id, locale, reachable) of a linked participant, else None."""
        return (await self.core(_CONTACT, {"participant_id": participant_id})).one_or_none()

    async def mark_seen(self, participant_id: int, now: datetime) -> None:
        participant = await self.get(participant_id)
        if participant is not None:
            participant.last_interaction_at = now
            await self.session.flush()
