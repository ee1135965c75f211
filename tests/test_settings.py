"""/instellingen end to end: each choice is one tap, is stored, and the planned messages it
affects are planned again (read back from the outbox)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core import reminders as plan
from bot.flows.reminders import _replan_participant
from bot.storage.models import Coach, OutboxMessage, OutboxStatus, Participant
from bot.ui.buttons.settings import Setting
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 3, 2, 10, 0, tzinfo=AMS)  # a Monday
DUE = date(2026, 3, 6)


async def _world(db: Any, clock: Any, *, morning: str | None = None) -> int:
    clock.set(START)
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id)
    pid = await seed_participant(db, world, clock.now(), telegram_user_id=FATIMA.id)
    await seed_goal(db, pid, clock.now(), "Post op orde", [StepSpec("Brief openen", DUE)])
    async with db.uow() as uow:
        if morning is not None:
            org = await uow.organisations.get(world.org_id)
            org.settings = {"reminders": {"moments": {"morning": morning}}}
        await _replan_participant(uow, pid, clock.now())
        await uow.commit()
    return pid


async def _pending(db: Any, kind: str) -> list[datetime]:
    async with db.uow() as uow:
        found = await uow.session.execute(
            select(OutboxMessage.due_at).where(OutboxMessage.kind == kind,
                                               OutboxMessage.status == OutboxStatus.PENDING.value)
            .order_by(OutboxMessage.due_at))
        return [moment.astimezone(AMS) for moment in found.scalars()]


async def _participant(db: Any, pid: int) -> Participant:
    async with db.uow() as uow:
        found = await uow.participants.get(pid)
        assert found is not None
        uow.session.expunge_all()
        return found


async def _open(app: Any, updates: UpdateFactory) -> None:
    await app.process_update(updates.command(FATIMA, "instellingen"))


async def test_the_moment_of_day_moves_every_planned_reminder(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    pid = await _world(db, clock)
    before = await _pending(db, plan.REMIND)
    assert before and all(m.time() == time(9, 0) for m in before)
    await _open(app, updates)
    assert "Berichten van de bot: 's ochtends" in telegram_api.last_message(FATIMA.id).text
    await app.process_update(updates.tap(FATIMA, "'s Avonds"))
    after = await _pending(db, plan.REMIND)
    assert [m.date() for m in after] == [m.date() for m in before]
    assert all(m.time() == time(19, 0) for m in after)
    assert (await _participant(db, pid)).preferred_moment == "evening"
    screen = telegram_api.last_message(FATIMA.id)
    assert "Berichten van de bot: 's avonds" in screen.text
    assert "• 's Avonds" in updates.buttons(FATIMA)


async def test_quiet_hours_move_a_reminder_that_falls_inside_them(
        app: Any, db: Any, clock: Any, updates: UpdateFactory) -> None:
    # The organisation's morning is 08:30: outside 21-08, inside 20-09.
    pid = await _world(db, clock, morning="08:30")
    assert all(m.time() == time(8, 30) for m in await _pending(db, plan.REMIND))
    await _open(app, updates)
    await app.process_update(updates.tap(FATIMA, "20-09"))
    after = await _pending(db, plan.REMIND)
    assert after and all(m.time() == time(9, 0) for m in after)
    participant = await _participant(db, pid)
    assert (participant.quiet_start, participant.quiet_end) == (time(20, 0), time(9, 0))


async def test_lessons_less_often_or_off_move_or_drop_the_next_lesson(
        app: Any, db: Any, clock: Any, updates: UpdateFactory) -> None:
    await _world(db, clock)
    [weekly] = await _pending(db, plan.LESSON)
    assert weekly.date() == START.date() + timedelta(days=7)
    await _open(app, updates)
    await app.process_update(updates.tap(FATIMA, "Om de twee weken"))
    [less] = await _pending(db, plan.LESSON)
    assert less.date() == START.date() + timedelta(days=14)
    await app.process_update(updates.tap(FATIMA, "Geen lessen"))
    assert await _pending(db, plan.LESSON) == []
    await app.process_update(updates.tap(FATIMA, "Elke week"))
    [again] = await _pending(db, plan.LESSON)
    assert again.date() == START.date() + timedelta(days=7)


async def test_a_break_from_settings_holds_the_reminders_and_stopping_it_plans_them_again(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    pid = await _world(db, clock)
    before = await _pending(db, plan.REMIND)
    await _open(app, updates)
    await app.process_update(updates.tap(FATIMA, "Pauze nemen"))
    await app.process_update(updates.tap(FATIMA, "Een week"))
    assert (await _participant(db, pid)).status == "paused"
    assert before and await _pending(db, plan.REMIND) == []  # the step is due in the break
    await _open(app, updates)
    assert "Pauze: tot" in telegram_api.last_message(FATIMA.id).text
    await app.process_update(updates.tap(FATIMA, "Pauze stoppen"))
    assert (await _participant(db, pid)).status == "active"
    assert await _pending(db, plan.REMIND) == before
    assert "Pauze nemen" in updates.buttons(FATIMA)


async def test_the_language_changes_the_screen_and_what_is_sent_later(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    await _world(db, clock)
    planned = await _pending(db, plan.REMIND)
    await _open(app, updates)
    await app.process_update(updates.tap(FATIMA, "English"))
    assert "Your settings" in telegram_api.last_message(FATIMA.id).text
    # The planned reminders stay planned, and are written in English when they go.
    assert await _pending(db, plan.REMIND) == planned
    clock.set(planned[0] + timedelta(minutes=1))
    await deliver(app)
    reminder = telegram_api.last_message(FATIMA.id)
    assert reminder.text.startswith("Fatima, just so you know what is coming up tomorrow")


async def test_choosing_what_is_set_changes_nothing_and_a_forged_press_is_refused(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    pid = await _world(db, clock)
    await _open(app, updates)
    await app.process_update(updates.tap(FATIMA, "• 's Ochtends"))
    await app.process_update(updates.press(FATIMA, Setting(what="lang", value="weekly").pack()))
    answers = [c.params.get("text") for c in telegram_api.calls_to("answerCallbackQuery")]
    assert answers[-2] == "Dat heb je al gekozen."
    assert answers[-1] and "werkt niet meer" in answers[-1]
    async with db.uow() as uow:
        events = [e.kind for e in await uow.participant_events.of_participant(pid)]
    assert "moment_set" not in events and "language_set" not in events


async def test_a_coach_changes_the_name_participants_see(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    await _world(db, clock)
    await app.process_update(updates.command(COACH, "instellingen"))
    assert "Deelnemers zien je als: <b>Sanne</b>" in telegram_api.last_message(COACH.id).text
    await app.process_update(updates.tap(COACH, "Mijn naam veranderen"))
    await app.process_update(updates.text(COACH, "Sanne de Vries"))
    async with db.uow() as uow:
        name = (await uow.session.execute(select(Coach.display_name))).scalar_one()
    assert name == "Sanne de Vries"
    # A participant's press on the coach's button does nothing.
    await _open(app, updates)
    await app.process_update(updates.press(FATIMA, Setting(what="name", value="go").pack()))
    async with db.uow() as uow:
        assert (await uow.session.execute(select(Coach.display_name))).scalar_one() == name


async def test_step_texts_in_reminders_are_one_tap_and_the_next_reminder_follows(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    pid = await _world(db, clock)
    planned = await _pending(db, plan.REMIND)
    await _open(app, updates)
    assert "Herinneringen: alleen het aantal" in telegram_api.last_message(FATIMA.id).text
    await app.process_update(updates.tap(FATIMA, "Mijn stappen noemen"))
    assert (await _participant(db, pid)).show_step_texts is True
    assert await _pending(db, plan.REMIND) == planned  # rendered at send time, nothing moves
    clock.set(planned[0] + timedelta(minutes=1))
    await deliver(app)
    assert "Brief openen" in telegram_api.last_message(FATIMA.id).text
