"""The outbox end to end: planning rows, the dispatcher re-checking, rendering and sending them
through the real PTB bot to the fake Bot API, retries, 403, kill -9 recovery, bundling, cap."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from bot.flows.reminders import _replan_participant, _replan_step, plan_sweep
from bot.notify.dispatcher import Dispatcher
from bot.storage.models import OutboxMessage, StepStatus
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI, html_to_plain

USER = 1001
# The fake clock starts on Tuesday 10 March 2026, 09:00 UTC = 10:00 in Amsterdam.
TUESDAY = date(2026, 3, 10)


async def setup(db: Any, clock: Any, steps: list[StepSpec], *, locale: str = "nl",
                goal: str = "Mijn administratie op orde", show_texts: bool = True
                ) -> tuple[int, list[int]]:
    """A participant with steps and planned reminders. These tests read the steps in the
    reminders, so the participant chose "show my step texts" (the default is off:
    tests/test_discreet_previews.py)."""
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now(), name="Fatima", locale=locale)
    _, step_ids = await seed_goal(db, pid, clock.now(), goal, steps)
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        assert participant is not None
        participant.show_step_texts = show_texts
        await _replan_participant(uow, pid, clock.now())
        await uow.commit()
    return pid, step_ids


async def rows(db: Any) -> list[OutboxMessage]:
    async with db.uow() as uow:
        result = await uow.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        found = list(result.scalars())
        uow.session.expunge_all()  # plain snapshots the test can read after the uow closes
        return found


def dispatcher(app: Any) -> Dispatcher:
    found: Dispatcher = app.bot_data["dispatcher"]
    return found


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo("Europe/Amsterdam"))


def texts(api: FakeBotAPI) -> list[str]:
    return [html_to_plain(c.text) for c in api.calls_to("sendMessage")]


async def test_reminder_the_day_before_names_person_and_goal_with_three_buttons(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    await setup(db, clock, [StepSpec("Bel de woningcorporatie", due=TUESDAY + timedelta(2))])
    assert await dispatcher(app).tick() == type(await dispatcher(app).tick())()  # nothing due
    assert telegram_api.calls_to("sendMessage") == []
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    stats = await dispatcher(app).tick()
    assert stats.sent == 1
    call = telegram_api.last("sendMessage")
    text = html_to_plain(call.text)
    assert text.splitlines()[0].startswith("Fatima") or "Fatima" in text.splitlines()[0]
    assert "Bel de woningcorporatie" in text and "Mijn administratie op orde" in text
    assert "morgen" in text
    labels = [b["text"] for b in call.buttons]
    assert labels[0] == "✓ Klaar" and len(labels) == 3
    # Sent once: the next tick finds nothing to do.
    assert (await dispatcher(app).tick()).sent == 0
    assert len(telegram_api.calls_to("sendMessage")) == 1


async def test_several_steps_due_together_come_as_one_message(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    due = TUESDAY + timedelta(2)
    await setup(db, clock, [StepSpec("Formulier invullen", due=due),
                            StepSpec("Kopie paspoort maken", due=due),
                            StepSpec("Afspraak bellen", due=due)])
    # The bot was down yesterday: the late 'tomorrow' reminders join today's, one line a step.
    clock.set(at_local(due, 9, 5))
    stats = await dispatcher(app).tick()
    assert stats.sent == 1 and stats.rows_sent == 6
    text = texts(telegram_api)[0]
    for step in ("Formulier invullen", "Kopie paspoort maken", "Afspraak bellen"):
        assert text.count(step) == 1
    assert len(telegram_api.last("sendMessage").buttons) == 9


async def test_english_participant_gets_english(app: Any, db: Any, clock: Any,
                                                telegram_api: FakeBotAPI) -> None:
    await setup(db, clock, [StepSpec("Call the council", due=TUESDAY + timedelta(1))],
                locale="en", goal="Find a house")
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    await dispatcher(app).tick()
    text = texts(telegram_api)[0]
    assert "For your goal: Find a house" in text and "today" in text
    assert telegram_api.last("sendMessage").buttons[0]["text"] == "✓ Done"


async def test_no_message_once_the_step_is_done_or_the_date_moved(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    _, (done_id, moved_id) = await setup(db, clock, [
        StepSpec("Stap een", due=TUESDAY + timedelta(2)),
        StepSpec("Stap twee", due=TUESDAY + timedelta(2)),
    ])
    async with db.uow() as uow:
        done = await uow.steps.get(done_id)
        moved = await uow.steps.get(moved_id)
        done.status = StepStatus.DONE.value
        # Moved without re-planning (a feature that forgot to call _replan_step): the dispatcher
        # still refuses the stale reminder at send time.
        moved.due_date = TUESDAY + timedelta(9)
        await uow.commit()
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    stats = await dispatcher(app).tick()
    assert stats.sent == 0 and stats.skipped == 2
    assert telegram_api.calls_to("sendMessage") == []
    assert {r.last_error for r in await rows(db) if r.status == "skipped"} == {
        "step_closed", "date_changed"}


async def test_replanning_a_done_step_cancels_its_pending_rows_only(
    app: Any, db: Any, clock: Any
) -> None:
    _, (first, second) = await setup(db, clock, [
        StepSpec("Stap een", due=TUESDAY + timedelta(3)),
        StepSpec("Stap twee", due=TUESDAY + timedelta(3)),
    ])
    before = {r.dedupe_key: r.status for r in await rows(db)}
    async with db.uow() as uow:
        step = await uow.steps.get(first)
        step.status = StepStatus.DONE.value
        changes = await _replan_step(uow, first, clock.now())
        await uow.commit()
    after = {r.dedupe_key: r.status for r in await rows(db)}
    assert changes.cancelled == 3 and changes.inserted == 0
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed and all(k.startswith(f"step:{first}:") for k in changed)
    assert all(after[k] == "pending" for k in after if k.startswith(f"step:{second}:"))
    # Re-planning again changes nothing: idempotent.
    async with db.uow() as uow:
        assert (await _replan_step(uow, first, clock.now())).touched == 0
        assert (await _replan_step(uow, second, clock.now())).touched == 0


async def test_a_date_moved_back_revives_the_same_rows(app: Any, db: Any, clock: Any) -> None:
    _, (step_id,) = await setup(db, clock, [StepSpec("Stap", due=TUESDAY + timedelta(3))])
    keys = {r.dedupe_key for r in await rows(db)}
    for due in (TUESDAY + timedelta(10), TUESDAY + timedelta(3)):
        async with db.uow() as uow:
            step = await uow.steps.get(step_id)
            step.due_date = due
            await _replan_step(uow, step_id, clock.now())
            await uow.commit()
    pending = {r.dedupe_key for r in await rows(db) if r.status == "pending"}
    assert keys == pending


async def test_quiet_hours_defer_to_the_morning(app: Any, db: Any, clock: Any,
                                                telegram_api: FakeBotAPI) -> None:
    await setup(db, clock, [StepSpec("Stap", due=TUESDAY + timedelta(2))])
    # The dispatcher was down all day and comes back at 23:30 local: quiet hours.
    clock.set(at_local(TUESDAY + timedelta(1), 23, 30))
    stats = await dispatcher(app).tick()
    assert stats.deferred == 1 and telegram_api.calls_to("sendMessage") == []
    deferred = [r for r in await rows(db) if r.last_error == "deferred"]
    assert deferred[0].due_at == at_local(TUESDAY + timedelta(2), 8, 0).astimezone(UTC)
    assert deferred[0].attempts == 0
    clock.set(at_local(TUESDAY + timedelta(2), 9, 1))
    stats = await dispatcher(app).tick()
    # The late 'tomorrow' reminder and the 'today' one go out together, once.
    assert stats.sent == 1 and stats.rows_sent == 2


async def test_at_most_two_reminder_messages_a_day(app: Any, db: Any, clock: Any,
                                                   telegram_api: FakeBotAPI) -> None:
    from bot.flows.reminders import snooze_step

    pid, (a, b, c) = await setup(db, clock, [
        StepSpec("Stap a", due=TUESDAY + timedelta(1)),
        StepSpec("Stap b"), StepSpec("Stap c"),
    ])
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    assert (await dispatcher(app).tick()).sent == 1
    await snooze_step(db, pid, b, "evening", clock.now())
    clock.set(at_local(TUESDAY + timedelta(1), 12, 0))
    await snooze_step(db, pid, c, "evening", clock.now())
    clock.set(at_local(TUESDAY + timedelta(1), 19, 0))
    # Both snoozes fall on 19:00: one bundled message, the second of the day.
    assert (await dispatcher(app).tick()).sent == 1
    await snooze_step(db, pid, a, "evening", clock.now())
    clock.set(at_local(TUESDAY + timedelta(1), 20, 30))
    stats = await dispatcher(app).tick()
    assert stats.sent == 0 and stats.skipped == 1
    assert len(telegram_api.calls_to("sendMessage")) == 2


async def test_a_blocked_person_is_marked_unreachable_and_left_alone(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    await setup(db, clock, [StepSpec("Stap", due=TUESDAY + timedelta(2))])
    telegram_api.blocked_chats.add(USER)
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    stats = await dispatcher(app).tick()
    assert stats.blocked == 1
    async with db.uow() as uow:
        account = await uow.accounts.by_telegram_user(USER)
        assert account is not None and account.reachable is False
    assert {r.status for r in await rows(db)} == {"failed", "cancelled"}
    clock.set(at_local(TUESDAY + timedelta(3), 9, 1))
    await dispatcher(app).tick()
    assert len(telegram_api.calls_to("sendMessage")) == 1  # only the refused first try


async def test_transient_errors_retry_with_backoff_then_succeed(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    await setup(db, clock, [StepSpec("Stap", due=TUESDAY + timedelta(2))])
    telegram_api.fail_next("sendMessage", 502, "Bad Gateway")
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    stats = await dispatcher(app).tick()
    assert stats.retried == 1 and stats.sent == 0
    row = next(r for r in await rows(db) if r.last_error)
    assert row.status == "pending" and row.due_at == clock.now() + timedelta(seconds=30)
    assert (await dispatcher(app).tick()).sent == 0  # not yet: backing off
    clock.advance(seconds=31)
    assert (await dispatcher(app).tick()).sent == 1


async def test_retry_after_is_honoured(app: Any, db: Any, clock: Any,
                                       telegram_api: FakeBotAPI) -> None:
    from telegram import Bot

    from tests.conftest import TEST_TOKEN

    await setup(db, clock, [StepSpec("Stap", due=TUESDAY + timedelta(2))])
    # A bot without PTB's rate limiter: the outbox's sends never go through it either.
    telegram_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1",
                           {"retry_after": 1})
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    async with Bot(TEST_TOKEN, request=telegram_api) as bare:
        plain = Dispatcher(db, clock, bare, worker="bare")
        stats = await plain.tick()
        assert stats.rate_limited == 1 and stats.sent == 0
        row = next(r for r in await rows(db) if r.last_error == "retry_after")
        assert row.status == "pending" and row.attempts == 0
        assert row.due_at == clock.now() + timedelta(seconds=1)
        assert (await plain.tick()).sent == 0
        clock.advance(seconds=1)
        assert (await plain.tick()).sent == 1


async def test_rows_of_a_killed_process_are_picked_up_after_the_claim_timeout(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    await setup(db, clock, [StepSpec("Stap", due=TUESDAY + timedelta(2))])
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    dead = Dispatcher(db, clock, app.bot, worker="dead")
    claimed = await dead._claim()  # claimed, then 'kill -9' before sending
    assert len(claimed) == 1
    assert (await dispatcher(app).tick()).sent == 0
    clock.advance(minutes=3)
    assert (await dispatcher(app).tick()).sent == 1
    assert len(telegram_api.calls_to("sendMessage")) == 1
    # The dead process cannot mark it afterwards: the row is no longer its claim.
    async with db.uow() as uow:
        assert await uow.outbox.finish([claimed[0].id], "dead", "failed", clock.now()) == 0


async def test_two_dispatchers_side_by_side_send_each_message_once(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    world = await seed_coach(db, clock.now())
    due = TUESDAY + timedelta(2)
    for n in range(12):
        pid = await seed_participant(db, world, clock.now(), name=f"P{n}",
                                     telegram_user_id=5000 + n)
        _, (step_id,) = await seed_goal(db, pid, clock.now(), "Doel", [StepSpec("Stap", due)])
        async with db.uow() as uow:
            await _replan_step(uow, step_id, clock.now())
            await uow.commit()
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    one = Dispatcher(db, clock, app.bot, worker="one", batch_size=3)
    two = Dispatcher(db, clock, app.bot, worker="two", batch_size=3)
    a, b = await asyncio.gather(one.tick(), two.tick())
    assert a.sent + b.sent == 12
    chats = [c.params["chat_id"] for c in telegram_api.calls_to("sendMessage")]
    assert sorted(chats) == sorted(5000 + n for n in range(12))


async def test_one_check_in_the_day_after_a_missed_deadline(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    _, (step_id,) = await setup(db, clock, [StepSpec("Stap", due=TUESDAY)])
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    assert (await dispatcher(app).tick()).sent == 1
    text = texts(telegram_api)[-1]
    assert "gisteren" in text
    labels = [b["text"] for b in telegram_api.last("sendMessage").buttons]
    assert labels == ["✓ Klaar", "Nog bezig", "Hulp vragen"]
    # A new date, then missed again: no second check-in for the same step.
    async with db.uow() as uow:
        step = await uow.steps.get(step_id)
        step.due_date = TUESDAY + timedelta(3)
        await _replan_step(uow, step_id, clock.now())
        await uow.commit()
    clock.set(at_local(TUESDAY + timedelta(5), 9, 1))
    await dispatcher(app).tick()
    checkins = [r for r in await rows(db) if r.kind == "checkin"]
    assert len(checkins) == 1 and checkins[0].status == "sent"


async def test_after_14_silent_days_one_welcome_back_then_quiet(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    pid, _ = await setup(db, clock, [StepSpec("Oude stap", due=TUESDAY),
                                     StepSpec("Nieuwe stap", due=TUESDAY + timedelta(16))])
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        participant.last_interaction_at = clock.now()
        participant.lessons_enabled = False
        await uow.commit()
    clock.set(at_local(TUESDAY + timedelta(14), 12, 0))
    assert await plan_sweep(db, clock.now()) == 1
    assert await plan_sweep(db, clock.now()) == 0  # never twice
    clock.set(at_local(TUESDAY + timedelta(15), 9, 1))
    assert (await dispatcher(app).tick()).sent == 1
    text = texts(telegram_api)[-1]
    # Unasked, after a silence: no "welcome back", no "good to see you here".
    assert text.startswith(("Hoi Fatima, een kort bericht", "Fatima, de bot is er nog"))
    assert "niets in te halen" in text
    assert "Bij 1 stap is de datum voorbij" in text  # one step: said as one
    assert "Nieuwe datum: over een week" in [b["text"] for b in
                                             telegram_api.last("sendMessage").buttons]
    # Quiet until they answer: the reminders for the new step are skipped.
    clock.set(at_local(TUESDAY + timedelta(16), 9, 1))
    stats = await dispatcher(app).tick()
    assert stats.sent == 0 and stats.skipped >= 1
    assert await plan_sweep(db, clock.now()) == 0


async def test_weekly_lessons_the_first_after_a_week(app: Any, db: Any, clock: Any,
                                                     telegram_api: FakeBotAPI) -> None:
    await setup(db, clock, [])
    assert await plan_sweep(db, clock.now()) == 0  # _replan_participant planned it already
    clock.set(at_local(TUESDAY + timedelta(6), 12, 0))
    assert (await dispatcher(app).tick()).sent == 0
    clock.set(at_local(TUESDAY + timedelta(7), 9, 1))
    assert (await dispatcher(app).tick()).sent == 1
    first = telegram_api.last("sendMessage")
    assert html_to_plain(first.text).startswith("Een korte les: Een vol hoofd")
    assert [b["text"] for b in first.buttons] == ["Herkenbaar", "Minder voor mij"]
    clock.set(at_local(TUESDAY + timedelta(14), 9, 1))
    assert (await dispatcher(app).tick()).sent == 1
    assert "Waarom plannen mislukken" in telegram_api.last("sendMessage").text


async def test_post_init_puts_the_dispatcher_and_the_sweep_on_the_job_queue(app: Any) -> None:
    names = {job.name for job in app.job_queue.jobs()}
    assert {"outbox-dispatch", "planner-sweep"} <= names
    assert isinstance(app.bot_data["dispatcher"], Dispatcher)


async def test_a_row_that_keeps_crashing_its_process_is_given_up(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    await setup(db, clock, [StepSpec("Stap", due=TUESDAY + timedelta(2))])
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    for n in range(7):  # claimed, then the process dies before sending, seven times
        dead = Dispatcher(db, clock, app.bot, worker=f"dead{n}")
        assert len(await dead._claim()) == 1
        clock.advance(minutes=3)
    stats = await dispatcher(app).tick()
    assert stats.sent == 0 and stats.skipped == 1
    assert [r.last_error for r in await rows(db) if r.status == "skipped"] == ["gave_up"]
