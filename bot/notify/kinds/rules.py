"""The send-time rules several kinds share: whom a message may still reach, and when.

Planned messages (reminders, lessons, the welcome back, Brug invitations, the farewell) are
dropped on a paused day and held back in quiet hours; messages that follow from something that
happened (a card, a plan notice, a reward, a handover) are held back by both, never dropped.
Messages to a coach wait for the coach's working hours.
"""

from __future__ import annotations

from bot.core import reminders as plan
from bot.core import trajectory
from bot.core.digest import CoachSchedule
from bot.flows.digest import schedule_of, zone_or_default
from bot.notify.kinds.base import Defer, SendTime, Skip
from bot.storage.models import Coach, ParticipantStatus


def in_quiet_hours(at: SendTime) -> bool:
    person = at.person
    return plan.in_quiet_hours(at.now.astimezone(person.zone).time(), person.quiet_start,
                               person.quiet_end)


def planned_hold(at: SendTime, kind: str) -> Skip | Defer | None:
    """A planned message goes to a trajectory in the status its kind needs (the farewell to
    an ended one, the others to an active one), not on a paused day, not in quiet hours."""
    if at.participant is None or at.participant.status != trajectory.status_for_kind(kind):
        return Skip("inactive")
    if plan.is_paused(plan.local_today(at.now, at.person), at.person):
        return Skip("paused")
    if in_quiet_hours(at):
        return Defer(plan.out_of_quiet(at.now, at.person))
    return None


def silent(at: SendTime) -> bool:
    """No word from the participant for SILENCE_DAYS: only the welcome back speaks then, and
    after it nothing until they answer."""
    assert at.participant is not None
    return plan.is_silent(at.participant.last_interaction_at, at.now)


def follow_up_hold(at: SendTime) -> Skip | Defer | None:
    """A message that follows from something that happened: no daily cap and no silence rule;
    quiet hours and a pause hold it back (until they end), never drop it."""
    participant = at.participant
    if participant is None or participant.status in (ParticipantStatus.DECLINED.value,
                                                     ParticipantStatus.ENDED.value):
        return Skip("inactive")
    person = at.person
    paused = participant.status == ParticipantStatus.PAUSED.value and (
        participant.paused_until is None or plan.is_paused(plan.local_today(at.now, person),
                                                           person))
    if paused:
        return Defer(plan.after_pause(at.now, person))
    if in_quiet_hours(at):
        return Defer(plan.out_of_quiet(at.now, person))
    return None


def working_hours(at: SendTime, coach: Coach, default_zone: str) -> CoachSchedule:
    """The coach's own working hours (set with the digest), in the coach's zone."""
    return schedule_of(coach, zone_or_default(at.account.timezone, default_zone))


async def coach_of_account(at: SendTime, coach_id: int) -> Coach | None:
    """The coach a message to a coach is about, while that coach is still this account."""
    found = await at.uow.coaches.with_schedule(only=coach_id)
    if not found or found[0][1] != at.account.id:
        return None
    coach: Coach = found[0][0]
    return coach
