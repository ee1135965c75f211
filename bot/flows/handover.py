"""A participant moves to another coach of the same organisation (issue 13).

`participants.coach_id` changes (and the coach of meetings still ahead): goals, steps, the
Brug, cards, rewards and events belong to the participant, so the history stays and the new
coach sees all of it; the old coach's queries (all by coach_id) no longer find the
participant. The `CoachChanged` event queues the one message to the participant and writes
the audit row (bot/flows/reactions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.core.events import CoachChanged
from bot.storage.db import Database
from bot.storage.models import MeetingStatus, Participant, ParticipantStatus
from bot.storage.uow import UnitOfWork

RefusedWhy = Literal["not_yours", "no_such_coach", "other_organisation", "same_coach", "ended"]


@dataclass(frozen=True)
class Candidate:
    coach_id: int
    name: str


@dataclass(frozen=True)
class Choice:
    name: str  # the participant's
    coaches: list[Candidate]
    told: bool = True  # the participant would get a message (joined and reachable)


@dataclass(frozen=True)
class HandedOver:
    participant_id: int
    name: str
    from_coach_id: int
    to_coach_id: int
    to_name: str
    told: bool = True


@dataclass(frozen=True)
class Refused:
    why: RefusedWhy


async def _participant(uow: UnitOfWork, participant_id: int, by_coach_id: int | None
                       ) -> Participant | Refused:
    participant = (await uow.participants.owned_by(participant_id, by_coach_id)
                   if by_coach_id is not None else await uow.participants.get(participant_id))
    if participant is None:
        return Refused("not_yours")
    if participant.status == ParticipantStatus.ENDED.value:
        return Refused("ended")
    return participant


async def _reachable(uow: UnitOfWork, participant: Participant) -> bool:
    if participant.account_id is None:
        return False
    account = await uow.accounts.get(participant.account_id)
    return account is not None and account.reachable


async def choices(db: Database, by_coach_id: int, participant_id: int) -> Choice | Refused:
    """The other active coaches of the participant's organisation, for the coach's screen."""
    async with db.uow() as uow:
        participant = await _participant(uow, participant_id, by_coach_id)
        if isinstance(participant, Refused):
            return participant
        coaches = await uow.coaches.of_organisation(participant.organisation_id)
        return Choice(participant.display_name, sorted(
            (Candidate(c.id, c.display_name) for c in coaches
             if c.active and c.id != participant.coach_id),
            key=lambda c: (c.name.lower(), c.coach_id)), await _reachable(uow, participant))


async def hand_over(db: Database, participant_id: int, to_coach_id: int, now: datetime, *,
                    actor_account_id: int | None, by_coach_id: int | None = None
                    ) -> HandedOver | Refused:
    """Move the participant. `by_coach_id`: a coach from the card (must be theirs); None: an
    organisation admin on the command line."""
    async with db.uow() as uow:
        participant = await _participant(uow, participant_id, by_coach_id)
        if isinstance(participant, Refused):
            return participant
        target = await uow.coaches.get(to_coach_id)
        if target is None or not target.active:
            return Refused("no_such_coach")
        if target.organisation_id != participant.organisation_id:
            return Refused("other_organisation")
        if target.id == participant.coach_id:
            return Refused("same_coach")
        before = participant.coach_id
        participant.coach_id = target.id
        # Meetings still ahead are now with the new coach (they see and mark them); past ones
        # keep the coach who held them.
        for meeting in await uow.meetings.of_participant(participant.id):
            if meeting.status == MeetingStatus.PLANNED.value and meeting.starts_at > now:
                meeting.coach_id = target.id
        uow.emit(CoachChanged(participant.id, before, target.id, actor_account_id, now))
        told = await _reachable(uow, participant)
        await uow.commit()
        return HandedOver(participant.id, participant.display_name, before, target.id,
                          target.display_name, told)
