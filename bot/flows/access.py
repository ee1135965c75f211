"""Whose data a button id names, and the audit row when someone else's was tried."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, select

from bot.core.access import Kind, may_reach
from bot.storage.db import Database
from bot.storage.models import (
    BrugMeasurement,
    Card,
    Goal,
    Meeting,
    Participant,
    RewardEntry,
    Step,
)

_OWNER_COLUMN: dict[Kind, Any] = {
    "goal": Goal.participant_id,
    "step": Step.participant_id,
    "card": Card.participant_id,
    "reward": RewardEntry.participant_id,
    "measurement": BrugMeasurement.participant_id,
    "meeting": Meeting.participant_id,
}
_ID_COLUMN: dict[Kind, Any] = {
    "goal": Goal.id, "step": Step.id, "card": Card.id, "reward": RewardEntry.id,
    "measurement": BrugMeasurement.id, "meeting": Meeting.id,
}

# One statement per id, built once: the owning participant and their coach (a press is checked
# before every feature, so this runs on nearly every tap).
_OWNER: dict[Kind, Select[tuple[int, int]]] = {
    kind: select(owner, Participant.coach_id)
    .join(Participant, Participant.id == owner)
    .where(_ID_COLUMN[kind] == bindparam("ident"))
    for kind, owner in _OWNER_COLUMN.items()
}
_OWNER["participant"] = select(Participant.id, Participant.coach_id).where(
    Participant.id == bindparam("ident"))


async def refused(db: Database, ids: list[tuple[Kind, int]], *, participant_id: int | None,
                  coach_id: int | None, actor_account_id: int | None, telegram_user_id: int,
                  button: str, now: datetime) -> tuple[Kind, int] | None:
    """The first id that names someone else's data (audited as `access.refused`), or None.
    An id that names nothing is let through: the feature answers it as outdated."""
    async with db.uow() as uow:
        for kind, ident in ids:
            found = (await uow.session.execute(_OWNER[kind], {"ident": ident})).one_or_none()
            if found is None:
                continue
            owner_pid, owner_coach = found
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
