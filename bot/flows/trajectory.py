"""The coach ends a participant's trajectory with a reason (seed 000 table 18).

Ending is one unit of work: the status and reason are stored, every pending message is
cancelled, open invites stop working, and (except after a death, during a pause, or without a
reachable Telegram account) one calm closing message is put in the outbox. Planning skips ended
participants and the dispatcher re-checks the status at send time, so nothing else goes out.
The data stays for the evaluation report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.trajectory import FarewellPayload, farewell_key, is_reason, sends_farewell
from bot.flows.invites import _revoke_participant_invites
from bot.storage.db import Database
from bot.storage.models import Participant, ParticipantStatus
from bot.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Ended:
    participant_id: int
    name: str
    reason: str
    farewell: bool  # a closing message was put in the outbox


@dataclass(frozen=True)
class AlreadyEnded:
    name: str


@dataclass(frozen=True)
class Refused:
    """Not this coach's participant, no such participant, or not a known reason."""


@dataclass(frozen=True)
class EndPreview:
    name: str
    farewell: bool


async def _farewell_possible(uow: UnitOfWork, participant: Participant) -> bool:
    if participant.account_id is None or participant.status == ParticipantStatus.PAUSED.value:
        return False
    account = await uow.accounts.get(participant.account_id)
    return account is not None and account.reachable


async def preview(db: Database, coach_id: int, participant_id: int, reason: str | None = None
                  ) -> EndPreview | AlreadyEnded | Refused:
    """What ending for this reason would do, for the screens before it (changes nothing).
    Without a reason: only whose trajectory it is."""
    if reason is not None and not is_reason(reason):
        return Refused()
    async with db.uow() as uow:
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None:
            return Refused()
        if participant.status == ParticipantStatus.ENDED.value:
            return AlreadyEnded(participant.display_name)
        farewell = (reason is not None and sends_farewell(reason)
                    and await _farewell_possible(uow, participant))
        return EndPreview(participant.display_name, farewell)


async def end_trajectory(db: Database, coach_id: int, actor_account_id: int | None,
                         participant_id: int, reason: str, now: datetime
                         ) -> Ended | AlreadyEnded | Refused:
    if not is_reason(reason):
        return Refused()
    async with db.uow() as uow:
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None:
            return Refused()
        if participant.status == ParticipantStatus.ENDED.value:
            return AlreadyEnded(participant.display_name)  # a second tap changes nothing
        farewell = sends_farewell(reason) and await _farewell_possible(uow, participant)
        await _close_trajectory(uow, participant, reason, now, actor_account_id,
                               farewell=farewell)
        await uow.commit()
        return Ended(participant.id, participant.display_name, reason, farewell)


async def _close_trajectory(uow: UnitOfWork, participant: Participant, reason: str,
                           now: datetime, actor_account_id: int | None, *, farewell: bool,
                           by: str = "coach") -> None:
    """End inside an open unit of work (for flows: the coach's end, and the participant's own
    stop in flows/privacy.py): status and reason, nothing pending, no invite, no flow."""
    participant.status = ParticipantStatus.ENDED.value
    participant.ended_reason = reason
    participant.ended_at = now
    await _revoke_participant_invites(uow, participant.id, now)
    if participant.account_id is not None:
        await uow.flows.clear(participant.account_id)  # a half-filled Brug or plan
        await uow.outbox.cancel_all_pending(participant.account_id)
    if farewell and participant.account_id is not None:
        await uow.outbox.queue(participant.account_id, FarewellPayload(), due_at=now,
                               key=farewell_key(participant.id), now=now)
    data = {"reason": reason} if by == "coach" else {"reason": reason, "by": by}
    await uow.participant_events.record(participant.id, "trajectory_ended", now, data)
    await uow.audit.record(
        at=now, actor_account_id=actor_account_id, action="participant.trajectory_ended",
        subject_type="participant", subject_id=participant.id, details=data,
    )
