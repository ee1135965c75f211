"""The participant's messages about a meeting (kinds meeting and meeting_reminder, planned by
flows/meetings.py): planned, moved, cancelled, and the reminders the day before and about two
hours before. A meeting that moved or was cancelled since is not announced with the old time.
A pause does not hold them back (the meeting was agreed together); quiet hours do, and a
reminder too late is dropped. The first line says "meeting" only: never the place, never what
it is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core import meetings as meeting_rules
from bot.core import reminders as plan
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Defer, Kind, Message, Row, Send, SendTime, Skip
from bot.storage.models import MeetingStatus, ParticipantStatus
from bot.ui.screens import meetings as screen


@dataclass(frozen=True)
class Facts:
    kind: str
    what: str  # new / moved / cancelled, or which reminder
    name: str
    coach_name: str
    starts_at: datetime  # in the participant's zone
    local_now: datetime
    place: str
    note: str | None
    meeting_id: int


async def _decide(at: SendTime, kind: str, meeting_id: int, planned_at: str | None, what: str
                  ) -> Decision[Facts]:
    participant = at.participant
    if participant is None or participant.status in (ParticipantStatus.ENDED.value,
                                                     ParticipantStatus.DECLINED.value):
        return Skip("inactive")
    meeting = await at.uow.meetings.get(meeting_id)
    if meeting is None or meeting.participant_id != participant.id:
        return Skip("gone")
    wanted = MeetingStatus.CANCELLED.value if what == "cancelled" else MeetingStatus.PLANNED.value
    if meeting.status != wanted or meeting.starts_at.isoformat() != planned_at:
        return Skip("changed")
    if kind == meeting_rules.MEETING_REMINDER and meeting.answer == "cannot":
        return Skip("cannot_come")
    if what != "cancelled" and meeting.starts_at <= at.now:
        return Skip("too_late")
    if rules.in_quiet_hours(at):
        later = plan.out_of_quiet(at.now, at.person)
        if what != "cancelled" and later >= meeting.starts_at:
            return Skip("too_late")
        return Defer(later)
    coach = await at.uow.coaches.get(meeting.coach_id)
    zone = at.person.zone
    return Send(Facts(kind, what, participant.display_name, coach.display_name if coach else "",
                      meeting.starts_at.astimezone(zone), at.now.astimezone(zone),
                      meeting.place, meeting.note, meeting.id))


async def decide_notice(at: SendTime, row: Row[meeting_rules.MeetingPayload]
                        ) -> Decision[Facts]:
    return await _decide(at, row.kind, row.payload.meeting_id, row.payload.at, row.payload.what)


async def decide_reminder(at: SendTime, row: Row[meeting_rules.MeetingReminderPayload]
                          ) -> Decision[Facts]:
    return await _decide(at, row.kind, row.payload.meeting_id, row.payload.at, row.payload.tag)


def render(facts: Facts) -> Message:
    when = screen.when_text(facts.starts_at, facts.local_now)
    return Message(*screen.render(facts.kind, facts.what, facts.name, facts.coach_name, when,
                                  facts.place, facts.note, facts.meeting_id))


MEETING = Kind(meeting_rules.MeetingPayload, decide_notice, render)
MEETING_REMINDER = Kind(meeting_rules.MeetingReminderPayload, decide_reminder, render)
KINDS = (MEETING, MEETING_REMINDER)
