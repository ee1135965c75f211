"""Operator use cases behind `python -m bot admin ...`."""

from __future__ import annotations

from datetime import datetime

from bot.core.brug import available_instruments
from bot.flows.brug import INSTRUMENTS_DIR
from bot.flows.invites import _create_coach_invite
from bot.flows.pseudonyms import new_secret
from bot.storage.db import Database
from bot.storage.models import Organisation
from bot.storage.uow import UnitOfWork


class AdminError(Exception):
    """A clear, one-line problem for the operator."""


DEFAULT_INSTRUMENT = "brug-alphen"


async def create_organisation(db: Database, name: str, now: datetime,
                              instrument: str = DEFAULT_INSTRUMENT) -> int:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 200:
        raise AdminError("the organisation name must be 1-200 characters")
    known = available_instruments(INSTRUMENTS_DIR)
    if instrument not in known:
        raise AdminError(f"no instrument {instrument!r}; choose one of: {', '.join(sorted(known))}")
    async with db.uow() as uow:
        if await uow.organisations.by_name(name) is not None:
            raise AdminError(f"an organisation named {name!r} already exists")
        org = await uow.organisations.add(name=name, settings={}, created_at=now,
                                          instrument_key=instrument,
                                          pseudonym_secret=new_secret())
        await uow.audit.record(
            at=now, actor_account_id=None, action="organisation.created",
            subject_type="organisation", subject_id=org.id,
        )
        await uow.commit()
        return org.id


async def organisation_named(uow: UnitOfWork, organisation: str) -> Organisation:
    """An organisation by name (any case) or id; AdminError when there is none."""
    org = await uow.organisations.by_name(organisation)
    if org is None and organisation.strip().isdigit():
        org = await uow.organisations.get(int(organisation))
    if org is None:
        raise AdminError(f"no organisation {organisation!r}; create it with admin create-org")
    return org


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
