"""Meetings with the coach (issue 13): the coach plans, moves, cancels and marks them; the
participant answers "I'll come" / "I can't make it". Each change emits `MeetingChanged`, whose
reaction (`_replan_meeting`) brings the participant's message and reminders in the outbox in
line with the meeting, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from bot.config import DEFAULTS
from bot.core import meetings as rules
from bot.core import reminders as plan
from bot.core.digest import next_work_moment
from bot.core.events import MeetingChanged
from bot.flows.digest import schedule_of, zone_or_default
from bot.flows.reminders import _apply, _rules_for, person_of
from bot.storage.db import Database
from bot.storage.models import (
    Meeting,
    MeetingStatus,
    OutboxStatus,
    Participant,
    ParticipantStatus,
)
from bot.storage.repositories import meetings as repo
from bot.storage.uow import UnitOfWork

PLANNED = MeetingStatus.PLANNED.value


@dataclass(frozen=True)
class MeetingView:
    id: int
    starts_at: datetime
    place: str
    note: str | None
    status: str
    answer: str | None


@dataclass(frozen=True)
class Overview:
    name: str
    timezone: str  # the participant's: times are shown on their clock
    meetings: list[MeetingView]


@dataclass(frozen=True)
class Saved:
    meeting_id: int
    starts_at: datetime
    moved: bool
    told: bool = True  # the participant gets a message (joined, reachable, not ended)


@dataclass(frozen=True)
class Cancelled:
    meeting: MeetingView
    told: bool  # they had heard of it, so they hear it is cancelled


@dataclass(frozen=True)
class Refused:
    why: Literal["not_yours", "gone", "past", "far", "clash", "bad_place", "not_yet",
                 "not_planned", "ended"]


def _view(m: Meeting) -> MeetingView:
    return MeetingView(m.id, m.starts_at, m.place, m.note, m.status, m.answer)


async def _reachable(uow: UnitOfWork, participant: Participant) -> bool:
    """Whether a message to this participant can go at all (the promise on the screen)."""
    if participant.account_id is None or participant.status in (
            ParticipantStatus.ENDED.value, ParticipantStatus.DECLINED.value):
        return False
    account = await uow.accounts.get(participant.account_id)
    return account is not None and account.reachable


async def _zone_of(uow: UnitOfWork, account_id: int | None) -> str:
    account = await uow.accounts.get(account_id) if account_id else None
    return account.timezone if account is not None else DEFAULTS.timezone


async def overview(db: Database, coach_id: int, participant_id: int) -> Overview | Refused:
    async with db.uow() as uow:
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None:
            return Refused("not_yours")
        found = await repo.of_participant(uow.session, participant_id)
        return Overview(participant.display_name, await _zone_of(uow, participant.account_id),
                        [_view(m) for m in found])


async def zone_for(db: Database, coach_id: int, participant_id: int) -> str | None:
    """The participant's zone (the coach picks times on the participant's clock)."""
    async with db.uow() as uow:
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None:
            return None
        return await _zone_of(uow, participant.account_id)


async def probe(db: Database, coach_id: int, participant_id: int, day: date, at: time,
                now: datetime, meeting_id: int | None = None) -> Refused | None:
    """Would this moment be refused (past, too far, a clash)? Changes nothing."""
    async with db.uow() as uow:
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None:
            return Refused("not_yours")
        starts_at = rules.local_start(day, at, await _zone_of(uow, participant.account_id))
        others = await repo.planned_near(uow.session, participant_id, coach_id, starts_at,
                                         rules.CLASH, meeting_id)
        problem = rules.check(starts_at, now, others)
        return Refused(problem) if problem else None


async def save(db: Database, coach_id: int, account_id: int, participant_id: int, day: date,
               at: time, place: str, note: str | None, now: datetime,
               meeting_id: int | None = None) -> Saved | Refused:
    """Plan a new meeting, or move `meeting_id`. Ends the coach's typing flow, if any."""
    if place not in rules.PLACES:
        return Refused("bad_place")
    async with db.uow() as uow:
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None:
            return Refused("not_yours")
        if participant.status == ParticipantStatus.ENDED.value:
            return Refused("ended")
        zone = await _zone_of(uow, participant.account_id)
        starts_at = rules.local_start(day, at, zone)
        existing = await repo.get(uow.session, meeting_id) if meeting_id else None
        if meeting_id and (existing is None or existing.participant_id != participant_id):
            return Refused("gone")
        if existing is not None and existing.status != PLANNED:
            return Refused("not_planned")
        others = await repo.planned_near(uow.session, participant_id, coach_id, starts_at,
                                         rules.CLASH, meeting_id)
        problem = rules.check(starts_at, now, others)
        if problem is not None:
            return Refused(problem)
        clean = " ".join(note.split())[:rules.NOTE_MAX] if note else None
        if existing is None:
            existing = await repo.add(
                uow.session, participant_id=participant_id, coach_id=coach_id,
                starts_at=starts_at, place=place, note=clean, status=PLANNED,
                created_by_account_id=account_id, created_at=now, updated_at=now)
        else:
            existing.starts_at, existing.place, existing.updated_at = starts_at, place, now
            existing.answer = existing.answered_at = None  # asked again for the new time
            if clean:
                existing.note = clean
        await uow.flows.clear(account_id)
        await uow.audit.record(at=now, actor_account_id=account_id,
                               action="meeting.moved" if meeting_id else "meeting.planned",
                               subject_type="meeting", subject_id=existing.id)
        uow.emit(MeetingChanged(existing.id, now))
        told = await _reachable(uow, participant)
        await uow.commit()
        return Saved(existing.id, starts_at, moved=meeting_id is not None, told=told)


async def _coach_meeting(uow: UnitOfWork, coach_id: int, meeting_id: int
                         ) -> Meeting | Refused:
    meeting = await repo.get(uow.session, meeting_id)
    if meeting is None:
        return Refused("gone")
    if await uow.participants.owned_by(meeting.participant_id, coach_id) is None:
        return Refused("not_yours")
    return meeting


async def cancel(db: Database, coach_id: int, account_id: int, meeting_id: int,
                 now: datetime) -> Cancelled | Refused:
    async with db.uow() as uow:
        meeting = await _coach_meeting(uow, coach_id, meeting_id)
        if isinstance(meeting, Refused):
            return meeting
        if meeting.status != PLANNED:
            return Refused("not_planned")
        meeting.status, meeting.updated_at = MeetingStatus.CANCELLED.value, now
        await uow.audit.record(at=now, actor_account_id=account_id, action="meeting.cancelled",
                               subject_type="meeting", subject_id=meeting.id)
        uow.emit(MeetingChanged(meeting.id, now))
        # They hear of the cancel when they had heard of the meeting (as _replan_meeting does).
        participant = await uow.participants.get(meeting.participant_id)
        told = False
        if participant is not None and participant.account_id is not None \
                and await _reachable(uow, participant):
            rows = await uow.outbox.of_account_with_prefix(participant.account_id,
                                                           rules.key_prefix(meeting.id))
            told = any(r.kind == rules.MEETING and r.status == OutboxStatus.SENT.value
                       for r in rows)
        await uow.commit()
        return Cancelled(_view(meeting), told)


async def mark(db: Database, coach_id: int, account_id: int, meeting_id: int, held: bool,
               now: datetime) -> MeetingView | Refused:
    """Held / not held, once the meeting has started; a second tap may correct the first."""
    async with db.uow() as uow:
        meeting = await _coach_meeting(uow, coach_id, meeting_id)
        if isinstance(meeting, Refused):
            return meeting
        if meeting.status == MeetingStatus.CANCELLED.value:
            return Refused("not_planned")
        if meeting.starts_at > now:
            return Refused("not_yet")
        meeting.status = (MeetingStatus.HELD if held else MeetingStatus.NOT_HELD).value
        meeting.updated_at = now
        await uow.audit.record(at=now, actor_account_id=account_id,
                               action="meeting.held" if held else "meeting.not_held",
                               subject_type="meeting", subject_id=meeting.id)
        uow.emit(MeetingChanged(meeting.id, now))
        await uow.commit()
        return _view(meeting)


async def answer(db: Database, participant_id: int, meeting_id: int, coming: bool,
                 now: datetime, *, call_me: bool | None = None) -> MeetingView | Refused:
    """The participant's "I'll come" / "I can't make it". With `call_me` set (after "I can't
    make it": another day, or please call) the coach is told within working hours."""
    async with db.uow() as uow:
        meeting = await repo.get(uow.session, meeting_id)
        if meeting is None or meeting.participant_id != participant_id:
            return Refused("gone")
        if meeting.status != PLANNED:
            return Refused("not_planned")
        if meeting.starts_at <= now:
            return Refused("past")
        meeting.answer, meeting.answered_at = ("coming" if coming else "cannot"), now
        if not coming and call_me is not None:
            await _tell_coach(uow, meeting, call_me, now, rules.MEETING_NOTICE)
        await uow.commit()
        return _view(meeting)


async def _tell_coach(uow: UnitOfWork, meeting: Meeting, call_me: bool, now: datetime,
                      kind: str) -> None:
    """One message to the coach inside working hours (rendered at send time, in the coach's
    language and zone, by bot.notify.coach_notices)."""
    coach = await uow.coaches.get(meeting.coach_id)
    if coach is None or coach.account_id is None:
        return
    account = await uow.accounts.get(coach.account_id)
    if account is None or not account.reachable:
        return
    due = next_work_moment(schedule_of(coach, zone_or_default(account.timezone,
                                                              DEFAULTS.timezone)), now)
    if await uow.outbox.enqueue(
            account_id=account.id, kind=kind, due_at=due,
            dedupe_key=rules.key(meeting.id, meeting.starts_at, "cannot"),
            payload={"participant_id": meeting.participant_id, "meeting_id": meeting.id,
                     "at": meeting.starts_at.isoformat(), "call_me": call_me},
            now=now) and due <= now:
        uow.queued_due_now = True


async def _replan_meeting(uow: UnitOfWork, meeting_id: int, now: datetime) -> None:
    """The participant's message about the meeting and its reminders, as the meeting is now."""
    meeting = await repo.get(uow.session, meeting_id)
    if meeting is None:
        return
    participant = await uow.participants.get(meeting.participant_id)
    if participant is None or participant.account_id is None:
        return  # not joined yet: the coach's screen is all there is
    account = await uow.accounts.get(participant.account_id)
    if account is None:
        return
    existing = await uow.outbox.of_account_with_prefix(account.id,
                                                       rules.key_prefix(meeting.id))
    told_before = any(r.kind == rules.MEETING and r.status == OutboxStatus.SENT.value
                      for r in existing)
    desired: list[plan.Planned] = []
    base = {"meeting_id": meeting.id, "participant_id": participant.id,
            "at": meeting.starts_at.isoformat()}
    if meeting.status == PLANNED and participant.status != ParticipantStatus.ENDED.value:
        what = "moved" if told_before else "new"
        desired.append(plan.Planned(rules.key(meeting.id, meeting.starts_at, "told"),
                                    rules.MEETING, now, {**base, "what": what}))
        person = person_of(participant, account)
        for tag, due in rules.reminder_moments(meeting.starts_at, person,
                                               await _rules_for(uow, participant), now):
            desired.append(plan.Planned(rules.key(meeting.id, meeting.starts_at, tag),
                                        rules.MEETING_REMINDER, due, {**base, "tag": tag}))
    elif meeting.status == MeetingStatus.CANCELLED.value and told_before:
        desired.append(plan.Planned(rules.key(meeting.id, meeting.starts_at, "cancelled"),
                                    rules.MEETING, now, {**base, "what": "cancelled"}))
    changes = await _apply(uow, account.id, existing, desired, rules.KINDS, now)
    if changes.inserted and any(p.due_at <= now for p in desired):
        uow.queued_due_now = True


async def _replan_meetings_of(uow: UnitOfWork, participant_id: int, now: datetime) -> None:
    """New quiet hours or moment of day: the reminders of planned meetings follow."""
    for meeting in await repo.of_participant(uow.session, participant_id):
        if meeting.status == PLANNED and meeting.starts_at > now:
            await _replan_meeting(uow, meeting.id, now)
