"""Joining as a participant: redeem the invite, agree (or not), then language, moment, quiet hours.

Each answer is stored at once with a participant event, so a participant who stops halfway keeps
what they chose and the coach can see where they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from bot.core.events import PreferencesChanged
from bot.flows.invites import ParticipantJoined, RedeemProblem, _redeem_participant_invite
from bot.storage.db import Database
from bot.storage.models import Moment, ParticipantStatus

QUIET_CHOICES: dict[str, tuple[time, time]] = {
    "21-8": (time(21, 0), time(8, 0)),  # the default
    "22-7": (time(22, 0), time(7, 0)),
    "20-9": (time(20, 0), time(9, 0)),
    "23-9": (time(23, 0), time(9, 0)),
}


class Consent(StrEnum):
    GIVEN = "given"
    DECLINED = "declined"
    ALREADY = "already"  # a second tap on an old question: nothing changes


@dataclass(frozen=True)
class Profile:
    participant_id: int
    status: str
    coach_name: str
    consented: bool


async def join(
    db: Database, code: str, *, telegram_user_id: int, chat_id: int, locale: str,
    timezone: str, now: datetime,
) -> ParticipantJoined | RedeemProblem:
    async with db.uow() as uow:
        outcome = await _redeem_participant_invite(
            uow, code, telegram_user_id=telegram_user_id, chat_id=chat_id, locale=locale,
            timezone=timezone, now=now,
        )
        if isinstance(outcome, ParticipantJoined):
            await uow.participant_events.record(outcome.participant_id, "joined", now)
            await uow.commit()
        return outcome


async def profile(db: Database, participant_id: int) -> Profile | None:
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        if participant is None:
            return None
        coach = await uow.coaches.get(participant.coach_id)
        return Profile(participant.id, participant.status, coach.display_name if coach else "",
                       participant.consent_at is not None)


async def answer_consent(db: Database, participant_id: int, agree: bool, now: datetime
                         ) -> Consent:
    """Agree: status active, consent time stored. Not agree: status declined, and the bot sends
    nothing more (the coach sees the status). Agreeing later (via /start) is possible."""
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        if participant is None:
            return Consent.ALREADY
        status = participant.status
        if agree and status in (ParticipantStatus.INVITED.value, ParticipantStatus.DECLINED.value):
            participant.status = ParticipantStatus.ACTIVE.value
            participant.consent_at = now
            outcome = Consent.GIVEN
        elif not agree and status == ParticipantStatus.INVITED.value:
            participant.status = ParticipantStatus.DECLINED.value
            outcome = Consent.DECLINED
        else:
            return Consent.ALREADY
        participant.last_interaction_at = now
        await uow.participant_events.record(participant_id, f"consent_{outcome.value}", now)
        uow.emit(PreferencesChanged(participant_id, now))  # reminders, first lesson
        await uow.commit()
        return outcome


async def set_language(db: Database, participant_id: int, account_id: int, locale: str,
                       now: datetime) -> None:
    async with db.uow() as uow:
        account = await uow.accounts.get(account_id)
        if account is None:
            return
        account.locale = locale
        await uow.participant_events.record(participant_id, "language_set", now,
                                            {"locale": locale})
        await uow.participants.touch(participant_id, now)
        await uow.commit()


async def set_moment(db: Database, participant_id: int, moment: Moment, now: datetime) -> None:
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        if participant is None:
            return
        participant.preferred_moment = moment.value
        participant.last_interaction_at = now
        await uow.participant_events.record(participant_id, "moment_set", now,
                                            {"moment": moment.value})
        uow.emit(PreferencesChanged(participant_id, now))  # new moment
        await uow.commit()


async def set_quiet_hours(db: Database, participant_id: int, choice: str, now: datetime) -> bool:
    if choice not in QUIET_CHOICES:
        return False
    start, end = QUIET_CHOICES[choice]
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        if participant is None:
            return False
        participant.quiet_start, participant.quiet_end = start, end
        participant.last_interaction_at = now
        await uow.participant_events.record(
            participant_id, "quiet_hours_set", now,
            {"start": start.isoformat("minutes"), "end": end.isoformat("minutes")},
        )
        uow.emit(PreferencesChanged(participant_id, now))  # new quiet hours
        await uow.commit()
        return True
