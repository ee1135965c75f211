"""Operator use cases behind `python -m bot admin ...`."""

from __future__ import annotations

from datetime import datetime

from bot.flows.invites import _create_coach_invite
from bot.storage.db import Database


class AdminError(Exception):
    """A clear, one-line problem for the operator."""


async def create_organisation(db: Database, name: str, now: datetime) -> int:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 200:
        raise AdminError("the organisation name must be 1-200 characters")
    async with db.uow() as uow:
        if await uow.organisations.by_name(name) is not None:
            raise AdminError(f"an organisation named {name!r} already exists")
        org = await uow.organisations.add(name=name, settings={}, created_at=now)
        await uow.audit.record(
            at=now, actor_account_id=None, action="organisation.created",
            subject_type="organisation", subject_id=org.id,
        )
        await uow.commit()
        return org.id


async def invite_coach(db: Database, organisation: str, now: datetime) -> str:
    """A fresh one-time coach code for the organisation (by name or id)."""
    async with db.uow() as uow:
        org = await uow.organisations.by_name(organisation)
        if org is None and organisation.isdigit():
            org = await uow.organisations.get(int(organisation))
        if org is None:
            raise AdminError(f"no organisation {organisation!r}; create it with admin create-org")
        code = await _create_coach_invite(uow, org.id, now)
        await uow.audit.record(
            at=now, actor_account_id=None, action="invite.coach_created",
            subject_type="organisation", subject_id=org.id,
        )
        await uow.commit()
        return code
