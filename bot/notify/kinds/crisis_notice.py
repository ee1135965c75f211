"""To the coach: a participant of theirs typed a crisis phrase (flows/crisis.py). Within the
coach's working hours, in the coach's zone; never about someone who is no longer theirs (a
handover since). The first line names no health, debts or income (bot/ui/screens/crisis.py)."""

from __future__ import annotations

from bot.core.crisis import CrisisNoticePayload
from bot.core.digest import next_work_moment, within_work_hours
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Defer, Kind, Message, Row, Send, SendTime, Skip
from bot.ui.screens import crisis as screen


async def decide(at: SendTime, row: Row[CrisisNoticePayload]) -> Decision[tuple[str, int]]:
    coach = await at.uow.coaches.by_account(at.account.id)
    pid = row.payload.participant_id
    participant = await at.uow.participants.get(pid) if pid else None
    if coach is None or participant is None or participant.coach_id != coach.id:
        return Skip("not_theirs")  # handed over since, or gone: nobody is told old news
    schedule = rules.working_hours(at, coach, at.uow.defaults.timezone)
    if not within_work_hours(schedule, at.now):
        return Defer(next_work_moment(schedule, at.now))
    return Send((participant.display_name, pid))


def render(facts: tuple[str, int]) -> Message:
    return Message(*screen.render_crisis_notice(*facts))


KIND = Kind(CrisisNoticePayload, decide, render)
