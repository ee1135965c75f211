"""Whose data a button id names, and the audit row when someone else's was tried.

The owners are read with the account of whoever pressed (`identity.resolve`, one unit of work
for both, once per update); the access guard (bot/telegram/handlers/access.py) decides from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.access import Kind, may_reach
from bot.storage.db import Database
from bot.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Owner:
    """An id a button names, with the participant whose data it is and their coach."""

    kind: Kind
    ident: int
    participant_id: int
    coach_id: int


async def _owners(uow: UnitOfWork, ids: Sequence[tuple[Kind, int]]) -> tuple[Owner, ...]:
    """The owners of these ids; an id that names nothing is left out (the feature answers it
    as outdated)."""
    found: list[Owner] = []
    for kind, ident in ids:
        row = await uow.participants.owner_of(kind, ident)
        if row is not None:
            found.append(Owner(kind, ident, row[0], row[1]))
    return tuple(found)


def first_refused(owners: Sequence[Owner], *, participant_id: int | None,
                  coach_id: int | None) -> Owner | None:
    """The first id whose data this participant or coach may not reach."""
    return next((owner for owner in owners
                 if not may_reach(owner.participant_id, owner.coach_id,
                                  participant_id=participant_id, coach_id=coach_id)), None)


async def record_refusal(db: Database, owner: Owner, *, actor_account_id: int | None,
                         telegram_user_id: int, button: str, now: datetime) -> None:
    """The audit row `access.refused` (who tried which id through which button)."""
    async with db.uow() as uow:
        await uow.audit.record(
            at=now, actor_account_id=actor_account_id, action="access.refused",
            subject_type=owner.kind, subject_id=owner.ident,
            details={"button": button, "telegram_user_id": telegram_user_id})
        await uow.commit()


async def refused(db: Database, ids: list[tuple[Kind, int]], *, participant_id: int | None,
                  coach_id: int | None, actor_account_id: int | None, telegram_user_id: int,
                  button: str, now: datetime) -> Owner | None:
    """Read the owners, decide and audit, in one go: for a press whose owners were not read
    with the account (there was no one to resolve)."""
    async with db.uow() as uow:
        owners = await _owners(uow, ids)
    hit = first_refused(owners, participant_id=participant_id, coach_id=coach_id)
    if hit is not None:
        await record_refusal(db, hit, actor_account_id=actor_account_id,
                             telegram_user_id=telegram_user_id, button=button, now=now)
    return hit
