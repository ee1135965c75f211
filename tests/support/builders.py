"""Test data built through the real repositories (no fakes of our own code)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.flows.people import _create_participant
from bot.storage.db import Database
from bot.storage.models import ParticipantStatus, Role


@dataclass
class World:
    org_id: int
    coach_id: int
    coach_account_id: int
    participant_ids: list[int] = field(default_factory=list)


async def seed_coach(
    db: Database, now: datetime, *, telegram_user_id: int = 9001, org_name: str = "Gemeente Test",
    coach_name: str = "Sanne", locale: str = "nl",
) -> World:
    async with db.uow() as uow:
        org = await uow.organisations.by_name(org_name)
        if org is None:
            org = await uow.organisations.add(name=org_name, settings={}, created_at=now)
        account = await uow.accounts.add(
            telegram_user_id=telegram_user_id, chat_id=telegram_user_id, role=Role.COACH.value,
            locale=locale, timezone="Europe/Amsterdam", created_at=now,
        )
        coach = await uow.coaches.add(
            organisation_id=org.id, account_id=account.id, display_name=coach_name,
            created_at=now,
        )
        await uow.commit()
        return World(org.id, coach.id, account.id)


async def seed_participant(
    db: Database, world: World, now: datetime, *, name: str = "Fatima",
    telegram_user_id: int | None = 1001, status: str = ParticipantStatus.ACTIVE.value,
    locale: str | None = "nl",
) -> int:
    """A participant of the world's coach; linked to a Telegram account unless the id is None."""
    async with db.uow() as uow:
        participant_id = await _create_participant(uow, world.coach_id, name, now)
        participant = await uow.participants.get(participant_id)
        assert participant is not None
        participant.status = status
        if telegram_user_id is not None:
            account = await uow.accounts.add(
                telegram_user_id=telegram_user_id, chat_id=telegram_user_id,
                role=Role.PARTICIPANT.value, locale=locale, timezone="Europe/Amsterdam",
                created_at=now,
            )
            participant.account_id = account.id
            if status == ParticipantStatus.ACTIVE.value:
                participant.consent_at = now
        await uow.commit()
    world.participant_ids.append(participant_id)
    return participant_id


@dataclass(frozen=True)
class StepSpec:
    text: str
    due: date | None = None
    owner: str = "participant"
    challenging: bool = False


async def seed_goal(
    db: Database, participant_id: int, now: datetime, text: str, steps: list[StepSpec],
    *, pillars: list[str] | None = None,
) -> tuple[int, list[int]]:
    async with db.uow() as uow:
        goal = await uow.goals.add(
            participant_id=participant_id, text=text, pillars=pillars or [], created_at=now,
        )
        step_ids = []
        for position, spec in enumerate(steps):
            step = await uow.steps.add(
                goal_id=goal.id, participant_id=participant_id, text=spec.text,
                due_date=spec.due, owner=spec.owner, challenging=spec.challenging,
                position=position, created_at=now, updated_at=now,
            )
            step_ids.append(step.id)
        await uow.commit()
        return goal.id, step_ids
