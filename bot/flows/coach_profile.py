"""The coach's own profile: the name participants see."""

from __future__ import annotations

from datetime import datetime

from bot.core.conversations import CoachNameFlow
from bot.core.plan_input import NAME_MAX, TextProblem, clean_text
from bot.storage.db import Database

NAME_FLOW = CoachNameFlow.flow


async def set_display_name(
    db: Database, coach_id: int, raw_name: str, now: datetime
) -> str | TextProblem:
    """Store the name (cleaned, max 80) and leave the onboarding flow, in one unit of work."""
    name = clean_text(raw_name, NAME_MAX)
    if isinstance(name, TextProblem):
        return name
    async with db.uow() as uow:
        coach = await uow.coaches.get(coach_id)
        if coach is None:
            raise LookupError("coach")
        coach.display_name = name
        if coach.account_id is not None:
            await uow.flows.clear(coach.account_id)
        await uow.audit.record(
            at=now, actor_account_id=coach.account_id, action="coach.name_set",
            subject_type="coach", subject_id=coach.id,
        )
        await uow.commit()
    return name


async def display_name(db: Database, coach_id: int) -> str | None:
    """The name participants see (the coach's settings screen)."""
    async with db.uow() as uow:
        coach = await uow.coaches.get(coach_id)
        return coach.display_name if coach else None
