"""The participant's messages about a meeting: planned, moved, cancelled, and the reminders
the day before and about two hours before. Rendered and checked at send time: a meeting that
moved or was cancelled since is not announced with the old time. A pause does not hold them
back (the meeting was agreed together); quiet hours do, and a reminder too late is dropped.
The first line says "meeting" only: never the place, never what it is about.
"""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.core import meetings as rules
from bot.core import reminders as plan
from bot.flows.reminders import person_of
from bot.i18n import using_locale
from bot.storage.models import Account, MeetingStatus, Participant, ParticipantStatus
from bot.storage.repositories import meetings as repo
from bot.storage.uow import UnitOfWork
from bot.ui.screens import meetings as meetings_screen


async def decide_meeting(uow: UnitOfWork, kind: str, payload: dict[str, object],
                         account: Account, participant: Participant | None, now: datetime
                         ) -> tuple[str, InlineKeyboardMarkup | None] | datetime | str:
    """The message to send now; a later moment (quiet hours); or why it is skipped."""
    if participant is None or participant.status in (ParticipantStatus.ENDED.value,
                                                     ParticipantStatus.DECLINED.value):
        return "inactive"
    meeting = await repo.get(uow.session, int(str(payload.get("meeting_id", 0))))
    if meeting is None or meeting.participant_id != participant.id:
        return "gone"
    what = str(payload.get("what") or payload.get("tag") or "")
    wanted = MeetingStatus.CANCELLED.value if what == "cancelled" else MeetingStatus.PLANNED.value
    if meeting.status != wanted or meeting.starts_at.isoformat() != payload.get("at"):
        return "changed"
    if kind == rules.MEETING_REMINDER and meeting.answer == "cannot":
        return "cannot_come"
    person = person_of(participant, account)
    if what != "cancelled" and meeting.starts_at <= now:
        return "too_late"
    if plan.in_quiet_hours(now.astimezone(person.zone).time(), person.quiet_start,
                           person.quiet_end):
        later = plan.out_of_quiet(now, person)
        if what != "cancelled" and later >= meeting.starts_at:
            return "too_late"
        return later
    coach = await uow.coaches.get(meeting.coach_id)
    with using_locale(account.locale or uow.defaults.locale):
        when = meetings_screen.when_text(meeting.starts_at.astimezone(person.zone),
                                         now.astimezone(person.zone))
        return meetings_screen.render(kind, what, participant.display_name,
                                      coach.display_name if coach else "",
                                      when, meeting.place, meeting.note, meeting.id)
