"""Joining as a participant: redeem the invite, then agree (or not).

Nothing else is asked on the way in: the language is the one Telegram reports (nl or en, else the
organisation's default), the moment of day and the quiet hours start from the defaults below,
and all three are changed later with /instellingen. Agreeing returns the participant's list, so
the first step can be ticked straight away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from bot.core.events import PreferencesChanged
from bot.flows.invites import ParticipantJoined, RedeemProblem, _redeem_participant_invite
from bot.flows.my_steps import Plan, _load_plan
from bot.storage.db import Database
from bot.storage.models import ParticipantStatus

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
class Answered:
    """The answer to the welcome, the coach's name (to show the welcome again with the answer
    under it) and, after "yes", what the bot assumed (said in one line) and the list."""

    outcome: Consent
    coach_name: str = ""
    moment: str = ""
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    plan: Plan | None = None


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
                         ) -> Answered:
    """Agree: status active, consent time stored, the defaults and the list come back. Not
    agree: status declined, and the bot sends nothing more (the coach sees the status).
    Agreeing later (via /start) is possible."""
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        if participant is None:
            return Answered(Consent.ALREADY)
        status = participant.status
        if agree and status in (ParticipantStatus.INVITED.value, ParticipantStatus.DECLINED.value):
            participant.status = ParticipantStatus.ACTIVE.value
            participant.consent_at = now
            outcome = Consent.GIVEN
        elif not agree and status == ParticipantStatus.INVITED.value:
            participant.status = ParticipantStatus.DECLINED.value
            outcome = Consent.DECLINED
        else:
            return Answered(Consent.ALREADY)
        participant.last_interaction_at = now
        await uow.participant_events.record(participant_id, f"consent_{outcome.value}", now)
        uow.emit(PreferencesChanged(participant_id, now))  # reminders, first lesson
        coach = await uow.coaches.get(participant.coach_id)
        answered = Answered(
            outcome, coach.display_name if coach else "", participant.preferred_moment,
            participant.quiet_start, participant.quiet_end,
            await _load_plan(uow, participant_id) if outcome is Consent.GIVEN else None)
        await uow.commit()
        return answered
