"""Stress lessons: feedback for the coach, pause/stop/start, and 'the next one now' (/les)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import reminders as plan
from bot.core.events import LessonsChanged
from bot.core.lessons import Lesson
from bot.flows._tx import in_one_transaction
from bot.flows.reminders import lesson_series, person_of
from bot.storage.db import Database
from bot.storage.models import Participant
from bot.storage.uow import UnitOfWork

FEEDBACK = "lesson_feedback"
PAUSE_DAYS = 28


@dataclass(frozen=True)
class NextLesson:
    number: int
    lesson: Lesson


async def _participant(uow: UnitOfWork, participant_id: int) -> Participant | None:
    participant = await uow.participants.get(participant_id)
    if participant is None or participant.account_id is None:
        return None
    return participant


async def record_feedback(db: Database, participant_id: int, number: int, verdict: str,
                          now: datetime) -> bool:
    return await in_one_transaction(
        db, lambda uow: _record_feedback(uow, participant_id, number, verdict, now))


async def _record_feedback(uow: UnitOfWork, participant_id: int, number: int, verdict: str,
                           now: datetime) -> bool:
    """'Sounds familiar' / 'less for me', stored once per lesson for the coach (a second tap
    or a redelivered update changes the answer, never adds a row)."""
    if not 0 <= number < lesson_series().count:
        return False
    participant = await _participant(uow, participant_id)
    if participant is None:
        return False
    key = lesson_series().get(number, "nl").key
    for event in await uow.participant_events.of_participant(participant_id):
        if event.kind == FEEDBACK and event.data.get("number") == number:
            if event.data.get("verdict") != verdict:
                event.data = {**event.data, "verdict": verdict}
                event.at = now
            participant.last_interaction_at = now
            return True
    await uow.participant_events.record(participant_id, FEEDBACK, now,
                                        {"number": number, "lesson": key, "verdict": verdict})
    participant.last_interaction_at = now
    return True


async def set_lessons(db: Database, participant_id: int, action: str, now: datetime) -> bool:
    return await in_one_transaction(
        db, lambda uow: _set_lessons(uow, participant_id, action, now))


async def _set_lessons(uow: UnitOfWork, participant_id: int, action: str, now: datetime
                       ) -> bool:
    """pause (4 weeks) / stop / start the weekly lessons, then re-plan."""
    participant = await _participant(uow, participant_id)
    if participant is None:
        return False
    account = await uow.accounts.get(participant.account_id or 0)
    if account is None:
        return False
    person = person_of(participant, account)
    if action == "pause":
        until = plan.local_today(now, person) + timedelta(days=PAUSE_DAYS)
        await uow.participant_events.record(participant_id, "lessons_paused", now,
                                            {"until": until.isoformat()})
    elif action == "stop":
        participant.lessons_enabled = False
        await uow.participant_events.record(participant_id, "lessons_stopped", now)
    elif action == "start":
        participant.lessons_enabled = True
        await uow.participant_events.record(participant_id, "lessons_started", now)
    else:
        return False
    participant.last_interaction_at = now
    uow.emit(LessonsChanged(participant_id, now))
    return True


@dataclass(frozen=True)
class LessonTaken:
    found: NextLesson | None  # None: all lessons have been read
    weekly_on: bool  # the weekly lessons are on (for the pause/stop buttons)


async def take_next_lesson(db: Database, participant_id: int, locale: str, now: datetime
                           ) -> LessonTaken:
    async def take(uow: UnitOfWork) -> LessonTaken:
        found = await _take_next_lesson(uow, participant_id, locale, now)
        participant = await uow.participants.get(participant_id)
        return LessonTaken(found, bool(participant and participant.lessons_enabled))

    return await in_one_transaction(db, take)


async def _take_next_lesson(uow: UnitOfWork, participant_id: int, locale: str, now: datetime
                            ) -> NextLesson | None:
    """The participant asks for the next lesson now: it counts as sent, and the weekly one
    after it moves a week on. None when all lessons have been read."""
    participant = await _participant(uow, participant_id)
    if participant is None:
        return None
    account = await uow.accounts.get(participant.account_id or 0)
    if account is None:
        return None
    series = lesson_series()
    count, _ = await uow.outbox.sent_count_and_last(account.id, plan.LESSON)
    if count >= series.count:
        return None
    if not await uow.outbox.sent_on_request(
            account.id, plan.LessonPayload(participant_id=participant.id, number=count),
            key=plan.lesson_key(participant.id, count), now=now):
        return None  # the dispatcher is sending this very lesson right now
    participant.last_interaction_at = now
    uow.emit(LessonsChanged(participant.id, now))
    return NextLesson(count, series.get(count, locale))
