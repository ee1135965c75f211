"""Buttons on the reminder itself: later (this evening / tomorrow / next week, only this step),
the welcome back's one choice, and forged or foreign presses that change nothing."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import Any

from bot.storage.models import StepEventKind
from tests.support.builders import StepSpec, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory
from tests.test_outbox_dispatch import TUESDAY, at_local, dispatcher, rows, setup

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
OTHER = TgUser(id=1002, first_name="Other", language_code="nl")


async def test_later_tomorrow_moves_only_this_step(app: Any, db: Any, clock: Any,
                                                   updates: UpdateFactory,
                                                   telegram_api: FakeBotAPI) -> None:
    _, (first, second) = await setup(db, clock, [
        StepSpec("Stap een", due=TUESDAY + timedelta(1)),
        StepSpec("Stap twee", due=TUESDAY + timedelta(4)),
    ])
    before = {r.dedupe_key: (r.status, r.due_at) for r in await rows(db)
              if r.dedupe_key.startswith(f"step:{second}:")}
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    await dispatcher(app).tick()
    await app.process_update(updates.tap(FATIMA, "Later"))
    assert updates.buttons(FATIMA) == ["Vanavond", "Morgen", "Volgende week"]
    await app.process_update(updates.tap(FATIMA, "Morgen"))
    confirmation = html_to_plain(telegram_api.last("sendMessage").text)
    assert "09:00" in confirmation and "andere stappen blijven" in confirmation
    # The same press delivered twice: one snooze, one confirmation.
    await app.process_update(updates.press(FATIMA, f"rml:{first}:tomorrow",
                                           telegram_api.last_message(FATIMA.id)))
    assert len([c for c in telegram_api.calls_to("sendMessage") if "09:00" in c.text]) == 1
    later = [r for r in await rows(db) if r.kind == "later"]
    assert len(later) == 1 and later[0].dedupe_key.startswith(f"step:{first}:")
    assert later[0].due_at == at_local(TUESDAY + timedelta(2), 9, 0).astimezone(UTC)
    after = {r.dedupe_key: (r.status, r.due_at) for r in await rows(db)
             if r.dedupe_key.startswith(f"step:{second}:")}
    assert after == before
    async with db.uow() as uow:
        step = await uow.steps.get(first)
        assert step.due_date == TUESDAY + timedelta(1)  # the deadline itself did not move
    clock.set(at_local(TUESDAY + timedelta(2), 9, 1))
    await dispatcher(app).tick()
    assert html_to_plain(telegram_api.last("sendMessage").text).startswith("Fatima")
    assert "Stap een" in telegram_api.last("sendMessage").text


async def test_later_on_someone_elses_step_or_forged_data_changes_nothing(
    app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    _, (step_id,) = await setup(db, clock, [StepSpec("Stap", due=TUESDAY + timedelta(2))])
    from tests.support.builders import World

    async with db.uow() as uow:
        coach = await uow.coaches.get(1)
        world = World(coach.organisation_id, coach.id, coach.account_id or 0)
    other = await seed_participant(db, world, clock.now(), name="Other",
                                   telegram_user_id=OTHER.id)
    await seed_goal(db, other, clock.now(), "Doel", [StepSpec("Iets", date(2026, 3, 20))])
    await app.process_update(updates.command(OTHER, "help"))
    message = telegram_api.last_message(OTHER.id)
    for data in (f"rml:{step_id}:tomorrow", "rml:0:tomorrow", "rml:1:soon", "rml:x",
                 "rmb:hack", "rmb:steps"):
        await app.process_update(updates.press(OTHER, data, message))
    assert not [r for r in await rows(db) if r.kind == "later"]
    answers = telegram_api.calls_to("answerCallbackQuery")
    assert len(answers) == 6


async def test_welcome_back_gives_all_overdue_steps_one_fresh_date(
    app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    from bot.flows.reminders import plan_sweep

    pid, (old_a, old_b, future) = await setup(db, clock, [
        StepSpec("Oud a", due=TUESDAY), StepSpec("Oud b", due=TUESDAY + timedelta(2)),
        StepSpec("Later", due=TUESDAY + timedelta(40)),
    ])
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        participant.last_interaction_at = clock.now()
        participant.lessons_enabled = False
        await uow.commit()
    clock.set(at_local(TUESDAY + timedelta(20), 12, 0))
    await plan_sweep(db, clock.now())
    clock.set(at_local(TUESDAY + timedelta(21), 9, 1))
    await dispatcher(app).tick()
    assert "Bij 2 stappen is de datum voorbij" in telegram_api.last("sendMessage").text
    await app.process_update(updates.tap(FATIMA, "Alle stappen: over een week"))
    assert "2 stappen hebben een nieuwe datum" in telegram_api.last("sendMessage").text
    new_date = TUESDAY + timedelta(28)
    async with db.uow() as uow:
        assert (await uow.steps.get(old_a)).due_date == new_date
        assert (await uow.steps.get(old_b)).due_date == new_date
        assert (await uow.steps.get(future)).due_date == TUESDAY + timedelta(40)
        events = await uow.step_events.of_participant(pid)
        assert [e.kind for e in events] == [StepEventKind.RESCHEDULED.value] * 2
        participant = await uow.participants.get(pid)
        assert participant.last_interaction_at == clock.now()
    # Answered: the reminders for the fresh dates are planned and go out again.
    pending = [r for r in await rows(db) if r.status == "pending" and r.kind == "remind"
               and r.payload["due"] == new_date.isoformat()]
    assert len(pending) == 4
    # The same press delivered again (the buttons are gone by now): nothing left to move.
    welcome = next(m for m in telegram_api.messages.values()
                   if m.text.startswith(("Welkom", "Hoi")))
    await app.process_update(updates.press(FATIMA, "rmb:fresh", welcome))
    assert "niets een nieuwe datum" in telegram_api.last("answerCallbackQuery").params["text"]
    told = [c for c in telegram_api.calls_to("sendMessage") if "Klaar: 2 stappen" in c.text]
    assert len(told) == 1


async def test_done_on_the_reminder_ticks_the_step_and_stops_its_reminders(
    app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    _, (step_id, other) = await setup(db, clock, [
        StepSpec("Stap een", due=TUESDAY + timedelta(2)),
        StepSpec("Stap twee", due=TUESDAY + timedelta(5)),
    ])
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    await dispatcher(app).tick()
    await app.process_update(updates.tap(FATIMA, "Klaar"))
    async with db.uow() as uow:
        assert (await uow.steps.get(step_id)).status == "done"
    pending = {r.dedupe_key for r in await rows(db) if r.status == "pending"}
    assert not [k for k in pending if k.startswith(f"step:{step_id}:")]
    assert [k for k in pending if k.startswith(f"step:{other}:")]
    clock.set(at_local(TUESDAY + timedelta(2), 9, 1))
    assert (await dispatcher(app).tick()).sent == 0  # done: no 'today' reminder


async def test_doesnt_work_out_leads_to_a_new_date_and_the_reminders_follow(
    app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    _, (step_id,) = await setup(db, clock, [StepSpec("Stap", due=TUESDAY + timedelta(2))])
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    await dispatcher(app).tick()
    await app.process_update(updates.tap(FATIMA, "Lukt niet"))
    await app.process_update(updates.tap(FATIMA, "Volgende week"))
    new_due = TUESDAY + timedelta(10)  # next week's Friday (core/dates.deadline)
    async with db.uow() as uow:
        assert (await uow.steps.get(step_id)).due_date == new_due
    pending = [r for r in await rows(db) if r.status == "pending" and r.kind != "lesson"]
    assert {r.payload["due"] for r in pending} == {new_due.isoformat()}
    assert len(pending) == 3  # the day before, on the day, the check-in after
