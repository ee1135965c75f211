"""An update is handled once: Telegram's second delivery of a command, a text or a press is
recognised by its update id and neither acted on nor answered again; an update whose handling
crashed is handled when it comes again; two presses at once run in order; an edit to what a
message already shows is not an error."""

import asyncio
import logging
from datetime import date

import pytest

from bot.flows.admin import create_organisation, invite_coach
from bot.flows.invites import _invite_participant
from bot.flows.people import _create_participant
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
NEW_COACH = TgUser(id=7001, first_name="Sanne", language_code="nl")


@pytest.fixture(autouse=True)
def _warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def assert_calm(telegram_api: FakeBotAPI, caplog: pytest.LogCaptureFixture) -> None:
    """No ERROR in the log and no apology to the person."""
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    said = " ".join(c.text for c in telegram_api.calls)
    assert "lukte niet" not in said and "ging iets mis" not in said


async def twice(app, update, telegram_api: FakeBotAPI) -> list:
    """Deliver an update, then the same update again; the calls the second delivery made."""
    await app.process_update(update)
    before = len(telegram_api.calls)
    await app.process_update(update)
    return telegram_api.calls[before:]


async def _participant_with_steps(db, clock):
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    _goal, ids = await seed_goal(db, pid, clock.now(), "Mijn schulden op een rij", [
        StepSpec("Bel de bank", date(2026, 3, 11)),
        StepSpec("Brief openen", date(2026, 3, 13)),
    ])
    return pid, ids


async def _done_events(db, pid) -> list[int]:
    async with db.uow() as uow:
        return [e.step_id for e in await uow.step_events.of_participant(pid) if e.kind == "done"]


async def test_a_coach_joining_twice_is_not_told_the_link_was_used(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock, caplog
) -> None:
    await create_organisation(db, "Gemeente Test", clock.now())
    code = await invite_coach(db, "Gemeente Test", clock.now())
    again = await twice(app, updates.command(NEW_COACH, "start", code), telegram_api)
    assert again == []
    assert "Welke naam" in telegram_api.last("sendMessage").params["text"]
    assert not any("al gebruikt" in c.text for c in telegram_api.calls)
    assert_calm(telegram_api, caplog)
    assert any("delivered again" in r.getMessage() for r in caplog.records)


async def test_a_participant_joining_twice_sees_the_consent_screen_once(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock, caplog
) -> None:
    world = await seed_coach(db, clock.now())
    async with db.uow() as uow:
        pid = await _create_participant(uow, world.coach_id, "Fatima", clock.now())
        invite = await _invite_participant(uow, pid, world.coach_account_id, clock.now())
        await uow.commit()
    assert await twice(app, updates.command(FATIMA, "start", invite.code), telegram_api) == []
    welcomes = [c for c in telegram_api.sent_to(FATIMA.id) if "uitgenodigd" in c.text]
    assert len(welcomes) == 1
    assert not any("al verbonden" in c.text for c in telegram_api.calls)
    assert_calm(telegram_api, caplog)


async def test_a_typed_answer_delivered_twice_is_answered_once(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock, caplog
) -> None:
    _pid, ids = await _participant_with_steps(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.press(FATIMA, f"sts:{ids[0]}:0"))
    await app.process_update(updates.tap(FATIMA, "Andere dag"))
    assert await twice(app, updates.text(FATIMA, "12 maart"), telegram_api) == []
    assert "Nieuwe dag: donderdag" in telegram_api.last("sendMessage").text
    assert not any("begreep ik niet" in c.text for c in telegram_api.calls)
    assert_calm(telegram_api, caplog)


async def test_a_press_delivered_twice_acts_and_answers_once(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock, caplog
) -> None:
    pid, ids = await _participant_with_steps(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    press = updates.press(FATIMA, f"std:{ids[0]}:0")
    assert await twice(app, press, telegram_api) == []
    assert len(telegram_api.calls_to("answerCallbackQuery")) == 1
    assert await _done_events(db, pid) == [ids[0]]
    assert_calm(telegram_api, caplog)


async def test_two_presses_at_once_run_in_order(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock, caplog
) -> None:
    pid, ids = await _participant_with_steps(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    listing = telegram_api.last_message(FATIMA.id)
    # A quick double tap on one button: two presses (two query ids) arriving together.
    first = updates.press(FATIMA, f"std:{ids[0]}:0", listing)
    second = updates.press(FATIMA, f"std:{ids[0]}:0", listing)
    await asyncio.gather(app.process_update(first), app.process_update(second))
    answers = [c.params.get("text", "") for c in telegram_api.calls_to("answerCallbackQuery")]
    assert len(answers) == 2 and "al klaar" in answers[1]  # the second saw the first's work
    assert len(telegram_api.calls_to("editMessageText")) == 1
    assert await _done_events(db, pid) == [ids[0]]
    # Two different buttons at once: both done, one after the other.
    listing = telegram_api.last_message(FATIMA.id)
    undo = updates.press(FATIMA, f"stu:{ids[0]}:0:open", listing)
    tick = updates.press(FATIMA, f"std:{ids[1]}:0", listing)
    await asyncio.gather(app.process_update(undo), app.process_update(tick))
    async with db.uow() as uow:
        kinds = [(e.step_id, e.kind) for e in await uow.step_events.of_participant(pid)]
    assert kinds[-2:] == [(ids[0], "undone"), (ids[1], "done")]
    assert_calm(telegram_api, caplog)


async def test_an_edit_to_the_same_screen_is_not_an_error(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock, caplog
) -> None:
    await _participant_with_steps(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    listing = telegram_api.last_message(FATIMA.id)
    for _ in range(2):  # two taps on "page 1" of a list that already shows page 1
        await app.process_update(updates.press(FATIMA, "stl:open:0", listing))
    refused = [v for v in telegram_api.violations if "not modified" in v]
    assert len(refused) == 2  # Telegram said "not modified"; the bot took that as done
    telegram_api.violations = [v for v in telegram_api.violations if v not in refused]
    assert len(telegram_api.calls_to("answerCallbackQuery")) == 2
    assert_calm(telegram_api, caplog)


async def test_an_update_whose_handling_crashed_is_handled_when_it_comes_again(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    await _participant_with_steps(db, clock)
    command = updates.command(FATIMA, "stappen")
    telegram_api.fail_next("sendMessage", 500, "Internal Server Error")

    def lists_sent() -> int:  # attempts, the failed one included
        return sum("Bel de bank" in c.text for c in telegram_api.calls_to("sendMessage"))

    await app.process_update(command)  # the list's send fails: the handler crashes
    assert lists_sent() == 1
    assert "Sorry" in telegram_api.last("sendMessage").text  # the error handler's message
    await app.process_update(command)  # Telegram delivers it again: handled this time
    assert lists_sent() == 2
    before = len(telegram_api.calls)
    await app.process_update(command)  # and once more: now it was handled
    assert len(telegram_api.calls) == before


async def test_old_records_are_pruned_and_a_new_process_still_knows_recent_ones(
    db, clock
) -> None:
    from sqlalchemy import select

    from bot.storage.models import HandledUpdate
    from bot.telegram.updates import HandledUpdates

    first = HandledUpdates(db, clock)
    assert await first.claim(1)
    assert not await first.claim(1)  # in flight
    await first.finish(1)
    assert not await first.claim(1)  # finished
    # After a restart the database still knows it.
    assert not await HandledUpdates(db, clock).claim(1)
    clock.advance(days=3)
    later = HandledUpdates(db, clock)
    assert await later.claim(2)
    await later.finish(2)  # the first finish of a process prunes what is over two days old
    async with db.engine.connect() as conn:
        kept = list(await conn.scalars(select(HandledUpdate.update_id)))
    assert kept == [2]


async def test_only_the_task_handling_an_update_records_it_with_its_change(db, clock) -> None:
    """The ledger row rides along with the update's first commit. A task started meanwhile
    (the dispatcher woken after a card) inherits the context but commits its own work: it must
    not record the update, or a failure of the update afterwards could not be undone."""
    from sqlalchemy import select

    from bot.storage import handled_updates
    from bot.storage.models import HandledUpdate
    from bot.telegram.updates import HandledUpdates

    async def recorded() -> list[int]:
        async with db.engine.connect() as conn:
            return list(await conn.scalars(select(HandledUpdate.update_id)))

    async def some_change() -> None:
        async with db.uow() as uow:
            await uow.audit.record(at=clock.now(), actor_account_id=None, action="test.change",
                                   subject_type="test", subject_id=1, details={})
            await uow.commit()

    ledger = HandledUpdates(db, clock)
    assert await ledger.claim(7)
    token = handled_updates.recording.set(ledger.recording(7))
    try:
        await asyncio.create_task(some_change())  # another task: not the update's change
        assert await recorded() == []
        await some_change()  # the update's own change: recorded in the same commit
        assert await recorded() == [7]
    finally:
        handled_updates.recording.reset(token)
    await ledger.finish(7)  # nothing left to write
    assert await recorded() == [7]
    assert not await ledger.claim(7)

    # A failure after the change removes the row again: a redelivery is handled.
    assert await ledger.claim(8)
    token = handled_updates.recording.set(ledger.recording(8))
    try:
        await some_change()
    finally:
        handled_updates.recording.reset(token)
    assert await recorded() == [7, 8]
    ledger.failed(8)
    await ledger.finish(8)
    assert await recorded() == [7]
    assert await ledger.claim(8)
