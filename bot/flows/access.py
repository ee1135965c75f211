"""Whose data a button id names, and the audit row when someone else's was tried."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.core.access import Kind, may_reach
from bot.storage.db import Database
from bot.storage.models import (
    BrugMeasurement,
    Card,
    Goal,
    Participant,
    RewardEntry,
    Step,
)

_OWNER_COLUMN = {
    "goal": Goal.participant_id,
    "step": Step.participant_id,
    "card": Card.participant_id,
    "reward": RewardEntry.participant_id,
    "measurement": BrugMeasurement.participant_id,
}
_ID_COLUMN = {
    "goal": Goal.id, "step": Step.id, "card": Card.id, "reward": RewardEntry.id,
    "measurement": BrugMeasurement.id,
}


async def refused(db: Database, ids: list[tuple[Kind, int]], *, participant_id: int | None,
                  coach_id: int | None, actor_account_id: int | None, telegram_user_id: int,
                  button: str, now: datetime) -> tuple[Kind, int] | None:
    """The first id that names someone else's data (audited as `access.refused`), or None.
    An id that names nothing is let through: the feature answers it as outdated."""
    async with db.uow() as uow:
        for kind, ident in ids:
            if kind == "participant":
                owner_pid: int | None = ident
            else:
                owner_pid = (await uow.session.execute(
                    select(_OWNER_COLUMN[kind]).where(_ID_COLUMN[kind] == ident)
                )).scalar_one_or_none()
            if owner_pid is None:
                continue
            owner_coach = (await uow.session.execute(
                select(Participant.coach_id).where(Participant.id == owner_pid)
            )).scalar_one_or_none()
            if owner_coach is None:
                continue
            if may_reach(owner_pid, owner_coach, participant_id=participant_id,
                         coach_id=coach_id):
                continue
            await uow.audit.record(
                at=now, actor_account_id=actor_account_id, action="access.refused",
                subject_type=kind, subject_id=ident,
                details={"button": button, "telegram_user_id": telegram_user_id})
            await uow.commit()
            return kind, ident
    return None
