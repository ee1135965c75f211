"""Meetings with the coach (issue 13): the coach plans, moves, cancels and marks them; the
participant answers "I'll come" / "I can't make it", and then asks for another day (a part of
a day) or a call. Each change emits `MeetingChanged`, whose reaction (`_replan_meeting`) brings
the participant's message and reminders in the outbox in line with the meeting, in the same
transaction. A wish is a participant event (`core.meetings.WISH`) and emits `MeetingWished`:
the coach hears of it in the bundled push (flows/requests.py), inside working hours; moving,
cancelling or marking the meeting, or "handled", closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from bot.core import meetings as rules
from bot.core import reminders as plan
from bot.core.events import MeetingChanged, MeetingWished
from bot.flows.digest import schedule_of
from bot.flows.reminders import _rules_for, person_of
from bot.storage.db import Database
from bot.storage.models import (
    Meeting,
    MeetingStatus,
    OutboxStatus,
    Participant,
    ParticipantStatus,
)
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
    wish: rules.Wish | None = None  # open: the coach has not acted on it yet


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
                 "not_planned", "ended", "day_past", "day_far", "handled"]


@dataclass(frozen=True)
class WishOffer:
    """What "Choose another day" offers: the coach's next working days, the parts of the day
    inside the coach's working hours (on the participant's calendar)."""

    meeting_id: int
    local: datetime  # the meeting's start on the participant's clock
    today: date  # the participant's
    days: tuple[date, ...]
    parts: tuple[rules.Part, ...]


@dataclass(frozen=True)
class WishSent:
    wish: rules.Wish
    coach_name: str
    # The coach gets it in the next push: they have the bot, are active and reachable.
    coach_told: bool


def _view(m: Meeting, wish: rules.Wish | None = None) -> MeetingView:
    return MeetingView(m.id, m.starts_at, m.place, m.note, m.status, m.answer,
                       wish if m.status == PLANNED else None)


async def _wishes_of(uow: UnitOfWork, participant_id: int) -> dict[int, rules.Wish]:
    """Meeting id -> the participant's open wish about it."""
    return rules.open_wishes(participant_id, [
        (e.kind, e.at, e.data) for e in await uow.participant_events.of_participant(
            participant_id) if e.kind in rules.WISH_EVENTS])


async def _close_wish(uow: UnitOfWork, meeting: Meeting, now: datetime) -> bool:
    """The meeting moved, was cancelled or marked, or the coach handled the wish: it leaves
    the push, the digest and the card."""
    if meeting.id not in await _wishes_of(uow, meeting.participant_id):
        return False
    await uow.participant_events.record(meeting.participant_id, rules.WISH_HANDLED, now,
                                        {"meeting_id": meeting.id})
    return True


async def _reachable(uow: UnitOfWork, participant: Participant) -> bool:
    """Whether a message to this participant can go at all (the promise on the screen)."""
    if participant.account_id is None or participant.status in (
            ParticipantStatus.ENDED.value, ParticipantStatus.DECLINED.value):
        return False
    account = await uow.accounts.get(participant.account_id)
    return account is not None and account.reachable


async def _zone_of(uow: UnitOfWork, account_id: int | None) -> str:
    account = await uow.accounts.get(account_id) if account_id else None
    return account.timezone if account is not None else uow.defaults.timezone


async def overview(db: Database, coach_id: int, participant_id: int) -> Overview | Refused:
    async with db.uow() as uow:
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None:
            return Refused("not_yours")
        found = await uow.meetings.of_participant(participant_id)
        wishes = await _wishes_of(uow, participant_id)
        return Overview(participant.display_name, await _zone_of(uow, participant.account_id),
                        [_view(m, wishes.get(m.id)) for m in found])


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
        others = await uow.meetings.planned_near(participant_id, coach_id, starts_at,
                                                 rules.CLASH, meeting_id)
        problem = rules.check(starts_at, now, others)
        return Refused(problem) if problem else None


async def save(db: Database, coach_id: int, account_id: int, participant_id: int, day: date,
               at: time, place: str | None, note: str | None, now: datetime,
               meeting_id: int | None = None, *, only_for_wish: bool = False
               ) -> Saved | Refused:
    """Plan a new meeting, or move `meeting_id` (`place` None: where it was). Ends the coach's
    typing flow, if any. `only_for_wish`: the one tap on a participant's wish, refused once the
    wish was handled (an old push must not move a meeting again)."""
    if (place is None and meeting_id is None) or (place is not None
                                                  and place not in rules.PLACES):
        return Refused("bad_place")
    async with db.uow() as uow:
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None:
            return Refused("not_yours")
        if participant.status == ParticipantStatus.ENDED.value:
            return Refused("ended")
        zone = await _zone_of(uow, participant.account_id)
        starts_at = rules.local_start(day, at, zone)
        existing = await uow.meetings.get(meeting_id) if meeting_id else None
        if meeting_id and (existing is None or existing.participant_id != participant_id):
            return Refused("gone")
        if existing is not None and existing.status != PLANNED:
            return Refused("not_planned")
        if only_for_wish and (existing is None or existing.id not in await _wishes_of(
                uow, participant_id)):
            return Refused("handled")
        others = await uow.meetings.planned_near(participant_id, coach_id, starts_at,
                                                 rules.CLASH, meeting_id)
        problem = rules.check(starts_at, now, others)
        if problem is not None:
            return Refused(problem)
        clean = " ".join(note.split())[:rules.NOTE_MAX] if note else None
        if existing is None:
            existing = await uow.meetings.add(
                participant_id=participant_id, coach_id=coach_id,
                starts_at=starts_at, place=place, note=clean, status=PLANNED,
                created_by_account_id=account_id, created_at=now, updated_at=now)
        else:
            existing.starts_at, existing.updated_at = starts_at, now
            existing.place = place or existing.place
            existing.answer = existing.answered_at = None  # asked again for the new time
            if clean:
                existing.note = clean
            await _close_wish(uow, existing, now)
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
    meeting = await uow.meetings.get(meeting_id)
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
        await _close_wish(uow, meeting, now)
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
        await _close_wish(uow, meeting, now)
        await uow.audit.record(at=now, actor_account_id=account_id,
                               action="meeting.held" if held else "meeting.not_held",
                               subject_type="meeting", subject_id=meeting.id)
        uow.emit(MeetingChanged(meeting.id, now))
        await uow.commit()
        return _view(meeting)


async def answer(db: Database, participant_id: int, meeting_id: int, coming: bool,
                 now: datetime) -> MeetingView | Refused:
    """The participant's "I'll come" / "I can't make it". Coming after all closes a wish they
    sent: the coach need not act on it any more."""
    async with db.uow() as uow:
        meeting = await _own_meeting(uow, participant_id, meeting_id, now)
        if isinstance(meeting, Refused):
            return meeting
        meeting.answer, meeting.answered_at = ("coming" if coming else "cannot"), now
        if coming:
            await _close_wish(uow, meeting, now)
        elif meeting.id not in await _wishes_of(uow, participant_id):
            # The coach hears of it even when nothing more is chosen; a day or a call chosen
            # before the push goes replaces this in it.
            await _record_wish(uow, meeting, "cannot", None, None, now)
        await uow.commit()
        return _view(meeting)


async def _record_wish(uow: UnitOfWork, meeting: Meeting, kind: rules.WishKind,
                       day: date | None, part: rules.Part | None, now: datetime) -> rules.Wish:
    participant = await uow.participants.get(meeting.participant_id)
    zone = ZoneInfo(await _zone_of(uow, participant.account_id if participant else None))
    wish = rules.Wish(meeting.id, meeting.participant_id,
                      meeting.starts_at.astimezone(zone).replace(tzinfo=None), kind, day, part,
                      now)
    await uow.participant_events.record(meeting.participant_id, rules.WISH, now, wish.data())
    uow.emit(MeetingWished(meeting.participant_id, meeting.id, now))
    return wish


async def _own_meeting(uow: UnitOfWork, participant_id: int, meeting_id: int, now: datetime
                       ) -> Meeting | Refused:
    """The participant's own meeting, still planned and still ahead."""
    meeting = await uow.meetings.get(meeting_id)
    if meeting is None or meeting.participant_id != participant_id:
        return Refused("gone")
    if meeting.status != PLANNED:
        return Refused("not_planned")
    if meeting.starts_at <= now:
        return Refused("past")
    return meeting


async def offer(db: Database, participant_id: int, meeting_id: int, now: datetime
                ) -> WishOffer | Refused:
    """The days and parts of the day "Choose another day" offers."""
    async with db.uow() as uow:
        meeting = await _own_meeting(uow, participant_id, meeting_id, now)
        if isinstance(meeting, Refused):
            return meeting
        participant = await uow.participants.get(participant_id)
        zone = ZoneInfo(await _zone_of(uow, participant.account_id if participant else None))
        coach = await uow.coaches.get(meeting.coach_id)
        today = now.astimezone(zone).date()
        if coach is None:
            work_days, parts = frozenset(range(5)), rules.parts_offered(time(8), time(18))
        else:
            schedule = schedule_of(coach, zone.key)
            work_days = schedule.work_days
            parts = rules.parts_offered(schedule.work_start, schedule.work_end)
        return WishOffer(meeting.id, meeting.starts_at.astimezone(zone).replace(tzinfo=None),
                         today, tuple(rules.days_offered(today, work_days)), parts)


async def send_wish(db: Database, participant_id: int, meeting_id: int, kind: rules.WishKind,
                    day: date | None, part: str | None, now: datetime) -> WishSent | Refused:
    """"I can't make it" with another day (and part of the day) or "please call me": stored
    as an open wish for the coach, who hears of it in the next push within working hours. The
    same wish twice adds nothing."""
    async with db.uow() as uow:
        meeting = await _own_meeting(uow, participant_id, meeting_id, now)
        if isinstance(meeting, Refused):
            return meeting
        participant = await uow.participants.get(participant_id)
        if participant is None:
            return Refused("gone")
        zone = ZoneInfo(await _zone_of(uow, participant.account_id))
        chosen: rules.Part | None = None
        if kind == "other_day":
            chosen = next((p for p in rules.PARTS if p == part), None)
            if day is None or chosen is None:
                return Refused("gone")
            problem = rules.check_wish_day(day, now.astimezone(zone).date())
            if problem is not None:
                return Refused("day_past" if problem == "past" else "day_far")
        else:
            day = None
        meeting.answer, meeting.answered_at = "cannot", now
        wish = (await _wishes_of(uow, participant_id)).get(meeting.id)
        if wish is None or (wish.kind, wish.day, wish.part) != (kind, day, chosen):
            wish = await _record_wish(uow, meeting, kind, day, chosen, now)
        coach = await uow.coaches.get(meeting.coach_id)
        account = await uow.accounts.get(coach.account_id) \
            if coach is not None and coach.account_id is not None else None
        told = coach is not None and coach.active and account is not None and account.reachable
        await uow.commit()
        return WishSent(wish, coach.display_name if coach else "", told)


async def handle_wish(db: Database, coach_id: int, account_id: int, meeting_id: int,
                      now: datetime) -> bool | Refused:
    """The coach handled a participant's wish (called them, agreed on something): it leaves
    the push, the digest and the card. False when nothing was open (a second tap)."""
    async with db.uow() as uow:
        meeting = await _coach_meeting(uow, coach_id, meeting_id)
        if isinstance(meeting, Refused):
            return meeting
        done = await _close_wish(uow, meeting, now)
        if done:
            await uow.audit.record(at=now, actor_account_id=account_id,
                                   action="meeting.wish_handled", subject_type="meeting",
                                   subject_id=meeting.id)
        await uow.commit()
        return done


async def _replan_meeting(uow: UnitOfWork, meeting_id: int, now: datetime) -> None:
    """The participant's message about the meeting and its reminders, as the meeting is now."""
    meeting = await uow.meetings.get(meeting_id)
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
    at = meeting.starts_at.isoformat()

    def told(what: str) -> plan.Planned:
        return plan.Planned(rules.key(meeting.id, meeting.starts_at,
                                      "cancelled" if what == "cancelled" else "told"),
                            now, rules.MeetingPayload(meeting_id=meeting.id,
                                                      participant_id=participant.id, at=at,
                                                      what=what))

    if meeting.status == PLANNED and participant.status != ParticipantStatus.ENDED.value:
        desired.append(told("moved" if told_before else "new"))
        person = person_of(participant, account)
        for tag, due in rules.reminder_moments(meeting.starts_at, person,
                                               await _rules_for(uow, participant), now):
            desired.append(plan.Planned(rules.key(meeting.id, meeting.starts_at, tag), due,
                                        rules.MeetingReminderPayload(
                                            meeting_id=meeting.id, participant_id=participant.id,
                                            at=at, tag=tag)))
    elif meeting.status == MeetingStatus.CANCELLED.value and told_before:
        desired.append(told("cancelled"))
    await uow.outbox.plan(account.id, existing, desired, rules.KINDS, now)


async def _replan_meetings_of(uow: UnitOfWork, participant_id: int, now: datetime) -> None:
    """New quiet hours or moment of day: the reminders of planned meetings follow."""
    for meeting in await uow.meetings.of_participant(participant_id):
        if meeting.status == PLANNED and meeting.starts_at > now:
            await _replan_meeting(uow, meeting.id, now)
