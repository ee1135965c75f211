"""A person's privacy rights as use cases: see everything stored (export), stop (withdraw
consent), be forgotten (erase), and the retention job. What stays after erasure, and why:
bot/core/retention.py and docs/privacy.md.

Stopping reuses the trajectory's own ending (flows/trajectory._close_trajectory): nothing
pending is sent, nothing new is planned. The coach hears of it through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core import retention
from bot.core.privacy import PrivacyNoticePayload, notice_key
from bot.flows.trajectory import _close_trajectory
from bot.storage.db import Database
from bot.storage.models import Participant, ParticipantStatus
from bot.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Export:
    role: str  # "participant" or "coach"
    data: dict[str, Any]


@dataclass(frozen=True)
class NothingStored:
    """No account for this Telegram user (or it was erased already)."""


@dataclass(frozen=True)
class Stopped:
    coach_told: bool


@dataclass(frozen=True)
class AlreadyStopped:
    pass


@dataclass(frozen=True)
class Erased:
    coach_told: bool


@dataclass(frozen=True)
class CoachStillHasParticipants:
    count: int


async def export(db: Database, telegram_user_id: int, now: datetime
                 ) -> Export | NothingStored:
    async with db.uow() as uow:
        account = await uow.accounts.by_telegram_user(telegram_user_id)
        if account is None:
            return NothingStored()
        data: dict[str, Any] = {"exported_at": now.isoformat(),
                                "account": uow.privacy.as_dict(account)}
        role = "participant"
        coach = await uow.coaches.by_account(account.id)
        participant = await uow.participants.by_account(account.id)
        if coach is not None:
            role = "coach"
            organisation = await uow.organisations.get(coach.organisation_id)
            data["coach"] = {**uow.privacy.as_dict(coach),
                             "organisation": organisation.name if organisation else None,
                             "participants": len(await uow.participants.of_coach(coach.id))}
        elif participant is not None:
            own_coach = await uow.coaches.get(participant.coach_id)
            data["participant"] = {**uow.privacy.as_dict(participant),
                                   "coach": own_coach.display_name if own_coach else None}
            data.update(await uow.privacy.participant_data(participant))
        data.update(await uow.privacy.account_data(account.id))
        await uow.audit.record(at=now, actor_account_id=account.id, action="privacy.exported",
                               subject_type="account", subject_id=account.id)
        await uow.commit()
        return Export(role, data)


async def _tell_coach(uow: UnitOfWork, participant: Participant, what: str,
                      now: datetime) -> bool:
    """A proactive message to the coach: an outbox row. The name travels in the payload
    because an erased participant has none any more; the dispatcher empties the payload
    once the message is sent (and finished rows go after 30 days)."""
    coach = await uow.coaches.get(participant.coach_id)
    if coach is None or coach.account_id is None or not coach.active:
        return False
    await uow.outbox.queue(
        coach.account_id, PrivacyNoticePayload(what=what, name=participant.display_name),
        due_at=now, key=notice_key(participant.id, what), now=now)
    return True


async def _stop(uow: UnitOfWork, participant: Participant, account_id: int, now: datetime,
                by: str) -> None:
    await _close_trajectory(uow, participant, retention.SELF_ENDED_REASON, now, account_id,
                           farewell=False, by=by)


async def withdraw_consent(db: Database, participant_id: int, account_id: int,
                           now: datetime) -> Stopped | AlreadyStopped:
    """Same effect as the coach ending the trajectory (no messages, nothing planned), by the
    participant, without deleting anything."""
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        if participant is None or participant.account_id != account_id:
            return AlreadyStopped()
        if participant.status == ParticipantStatus.ENDED.value:
            return AlreadyStopped()
        await _stop(uow, participant, account_id, now, by="participant")
        participant.consent_at = None
        told = await _tell_coach(uow, participant, "withdrawn", now)
        await uow.participant_events.record(participant.id, "consent_withdrawn", now, {})
        await uow.commit()
        return Stopped(told)


async def erase(db: Database, telegram_user_id: int, now: datetime
                ) -> Erased | CoachStillHasParticipants | NothingStored:
    """The right to be forgotten, for the person asking (after asking twice)."""
    async with db.uow() as uow:
        account = await uow.accounts.by_telegram_user(telegram_user_id)
        if account is None:
            return NothingStored()
        told = False
        coach = await uow.coaches.by_account(account.id)
        if coach is not None:
            waiting = await uow.privacy.open_participants_of(coach.id)
            if waiting:
                return CoachStillHasParticipants(waiting)
            await uow.privacy.erase_coach(coach)
        participant = await uow.participants.by_account(account.id)
        if participant is not None:
            if participant.status != ParticipantStatus.ENDED.value:
                await _stop(uow, participant, account.id, now, by="participant")
            told = await _tell_coach(uow, participant, "erased", now)
            await uow.privacy.erase_participant(participant)
            await uow.participant_events.record(participant.id, "personal_data_erased", now,
                                                {"by": "participant"})
        await uow.privacy.erase_account(account)
        await uow.audit.record(at=now, actor_account_id=account.id, action="privacy.erased",
                               subject_type="account", subject_id=account.id)
        await uow.commit()
        return Erased(told)


@dataclass(frozen=True)
class Swept:
    erased: int
    outbox_dropped: int


async def retention_sweep(db: Database, now: datetime, months: int) -> Swept:
    """Erase trajectories that ended longer ago than the period; drop finished outbox rows.
    One unit of work per batch of 200, so a long backlog is worked off in small steps."""
    erased = 0
    cutoff = retention.erase_ended_before(now, months)
    while True:
        async with db.uow() as uow:
            batch = await uow.privacy.ended_before(cutoff)
            for participant in batch:
                if participant.account_id is not None:
                    account = await uow.accounts.get(participant.account_id)
                    if account is not None:
                        await uow.privacy.erase_account(account)
                await uow.privacy.erase_participant(participant)
                await uow.participant_events.record(participant.id, "personal_data_erased",
                                                    now, {"by": "retention"})
                await uow.audit.record(at=now, actor_account_id=None,
                                       action="privacy.retention_erased",
                                       subject_type="participant", subject_id=participant.id)
            await uow.commit()
        erased += len(batch)
        if len(batch) < 200:
            break
    async with db.uow() as uow:
        dropped = await uow.privacy.drop_finished_outbox(
            retention.drop_finished_outbox_before(now))
        await uow.commit()
    return Swept(erased, dropped)


async def step_texts_shown(db: Database, participant_id: int) -> bool:
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        return bool(participant and participant.show_step_texts)


async def show_step_texts(db: Database, participant_id: int, show: bool, now: datetime) -> None:
    """The participant's choice: name the steps in reminders (a lock screen may show them)."""
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        if participant is None or participant.show_step_texts == show:
            return
        participant.show_step_texts = show
        await uow.audit.record(at=now, actor_account_id=participant.account_id,
                               action="privacy.step_texts_" + ("on" if show else "off"),
                               subject_type="participant", subject_id=participant.id)
        await uow.commit()
