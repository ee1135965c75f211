"""The one 'welcome back' after a silence of SILENCE_DAYS (planned by the sweep,
flows/reminders.py): sent only while the silence lasts, with the number of overdue steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core import reminders as plan
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Kind, Message, Row, Send, SendTime, Skip
from bot.storage.models import StepStatus
from bot.ui.screens import nudges as screen


@dataclass(frozen=True)
class Facts:
    name: str
    overdue: int
    today: date
    salt: int


async def decide(at: SendTime, row: Row[plan.WelcomeBackPayload]) -> Decision[Facts]:
    held = rules.planned_hold(at, row.kind)
    if held is not None:
        return held
    if not rules.silent(at):
        return Skip("answered")
    assert at.participant is not None
    today = plan.local_today(at.now, at.person)
    overdue = [s for s in await at.uow.steps.of_participant(at.participant.id)
               if s.status == StepStatus.OPEN.value and s.due_date is not None
               and s.due_date < today]
    return Send(Facts(at.participant.display_name, len(overdue), today, at.account.id))


def render(facts: Facts) -> Message:
    return Message(*screen.render_welcome_back(facts.name, facts.overdue, facts.today,
                                               facts.salt))


KIND = Kind(plan.WelcomeBackPayload, decide, render, cancelled_when_blocked=True)
