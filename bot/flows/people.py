"""Creating participants (by their coach)."""

from __future__ import annotations

import secrets
from datetime import datetime

from bot.storage.models import ParticipantStatus
from bot.storage.uow import UnitOfWork

NAME_MAX = 80


async def _create_participant(
    uow: UnitOfWork, coach_id: int, display_name: str, now: datetime
) -> int:
    """A new participant of this coach, status 'invited'. Does not commit."""
    coach = await uow.coaches.get(coach_id)
    if coach is None:
        raise LookupError("coach")
    participant = await uow.participants.add(
        organisation_id=coach.organisation_id,
        coach_id=coach_id,
        display_name=display_name,
        pseudonym=secrets.token_hex(8),
        status=ParticipantStatus.INVITED.value,
        created_at=now,
    )
    await uow.audit.record(
        at=now, actor_account_id=coach.account_id, action="participant.created",
        subject_type="participant", subject_id=participant.id,
    )
    return participant.id
