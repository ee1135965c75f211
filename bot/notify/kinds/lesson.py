"""The next lesson of the series, weekly or less often (planned by flows/reminders.py). Once
sent, the one after it is planned (`LessonsChanged`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core import reminders as plan
from bot.core.events import LessonsChanged
from bot.core.lessons import Lesson
from bot.flows.reminders import lesson_series
from bot.notify.claimed import Claimed
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Kind, Message, Row, Send, SendTime, Skip
from bot.storage.uow import UnitOfWork
from bot.ui.screens import lessons as screen


async def decide(at: SendTime, row: Row[plan.LessonPayload]) -> Decision[tuple[int, Lesson]]:
    held = rules.planned_hold(at, row.kind)
    if held is not None:
        return held
    assert at.participant is not None
    if rules.silent(at):
        return Skip("silent")  # after a silence only the welcome back speaks
    if not at.participant.lessons_enabled:
        return Skip("lessons_off")
    number = row.payload.number
    return Send((number, lesson_series().get(number, at.locale)))


def render(facts: tuple[int, Lesson]) -> Message:
    return Message(*screen.render_lesson(*facts))


async def plan_the_next(uow: UnitOfWork, rows: Sequence[Claimed], now: datetime) -> None:
    participant = await uow.participants.by_account(rows[0].account_id)
    if participant is not None:
        uow.emit(LessonsChanged(participant.id, now))  # the next one, a week on


KIND = Kind(plan.LessonPayload, decide, render, after_sent=plan_the_next,
            cancelled_when_blocked=True)
