"""The coach ends a trajectory with a reason: one calm closing message through the outbox (not
after a death), every other pending message cancelled, nothing planned or sent afterwards."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from bot.flows.reminders import _replan_participant
from bot.flows.trajectory import AlreadyEnded, Refused, end_trajectory
from bot.notify.dispatcher import Dispatcher
from bot.storage.models import OutboxMessage, Participant
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="en")
OTHER_COACH = TgUser(id=9002, first_name="Piet", language_code="en")
FATIMA = 1001
TUESDAY = date(2026, 3, 10)


async def _setup(db: Any, clock: Any) -> tuple[Any, int]:
    world = await seed_coach(db, clock.now(), locale="en")
    pid = await seed_participant(db, world, clock.now(), name="Fatima", locale="en")
    await seed_goal(db, pid, clock.now(), "Schulden op orde", [
        StepSpec("Bel de bank", due=TUESDAY + timedelta(days=2))])
    async with db.uow() as uow:
        await _replan_participant(uow, pid, clock.now())
        await uow.commit()
    return world, pid


async def _outbox(db: Any) -> list[tuple[str, str]]:
    async with db.uow() as uow:
        rows = await uow.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(r.kind, r.status) for r in rows.scalars()]


async def _person(db: Any, pid: int) -> tuple[str, str | None]:
    async with db.uow() as uow:
        p = await uow.session.get(Participant, pid)
        assert p is not None
        return p.status, p.ended_reason


def _dispatcher(app: Any) -> Dispatcher:
    found: Dispatcher = app.bot_data["dispatcher"]
    return found


async def test_coach_ends_with_a_reason_and_the_participant_gets_one_calm_message(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    _, pid = await _setup(db, clock)
    assert ("remind", "pending") in await _outbox(db)
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    await app.process_update(updates.tap(COACH, "End trajectory"))
    assert "Why does the trajectory of Fatima end?" in telegram_api.last_message(COACH.id).text
    assert updates.buttons(COACH) == [
        "Goals reached", "No contact any more", "Does not want to continue", "Moved",
        "Deceased", "Handed over to other help", "Other reason", "Back"]
    await app.process_update(updates.tap(COACH, "Moved"))
    confirm = telegram_api.last_message(COACH.id).text
    assert "Reason: Moved" in confirm and "one short closing message" in confirm
    assert await _person(db, pid) == ("active", None)  # choosing a reason changes nothing
    await app.process_update(updates.tap(COACH, "Yes, end the trajectory"))
    assert "The trajectory of Fatima has ended." in telegram_api.last_message(COACH.id).text
    assert await _person(db, pid) == ("ended", "moved")
    rows = await _outbox(db)
    assert rows.count(("trajectory_ended", "pending")) == 1
    others = [status for kind, status in rows if kind != "trajectory_ended"]
    assert len(others) >= 2 and set(others) == {"cancelled"}  # reminder, check-in, ...

    telegram_api.clear()
    await _dispatcher(app).tick()
    sent = [html_to_plain(c.text) for c in telegram_api.calls_to("sendMessage")]
    assert len(sent) == 1
    assert sent[0].splitlines()[0] == "Hi Fatima, your coaching has come to an end."
    assert "not send you any more messages" in sent[0]

    # Nothing is planned or sent afterwards (a row that slipped in is skipped at send time),
    # and a second tap of the old button changes nothing.
    async with db.uow() as uow:
        await _replan_participant(uow, pid, clock.now())
        p = await uow.session.get(Participant, pid)
        assert p is not None and p.account_id is not None
        await uow.outbox.enqueue(account_id=p.account_id, kind="lesson", due_at=clock.now(),
                                 dedupe_key="slipped-in", payload={"number": 1},
                                 now=clock.now())
        await uow.commit()
    clock.set(clock.now() + timedelta(days=3))
    await _dispatcher(app).tick()
    assert len(telegram_api.calls_to("sendMessage")) == 1
    confirm_message = telegram_api.last_message(COACH.id)
    await app.process_update(updates.press(COACH, f"ctr:yes:{pid}:moved", confirm_message))
    assert "already ended" in telegram_api.last_message(COACH.id).text
    rows = await _outbox(db)
    assert [r for r in rows if r[0] == "trajectory_ended"] == [("trajectory_ended", "sent")]
    assert ("lesson", "skipped") in rows
    assert {status for kind, status in rows
            if kind not in ("trajectory_ended", "lesson")} == {"cancelled"}


async def test_no_closing_message_after_a_death_and_the_coach_is_told_so(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    _, pid = await _setup(db, clock)
    screen = await _coach_screen(app, updates, telegram_api)
    await app.process_update(updates.press(COACH, f"ctr:pick:{pid}:deceased", screen))
    assert "no closing message either" in telegram_api.last_message(COACH.id).text
    await app.process_update(updates.tap(COACH, "Yes, end the trajectory"))
    assert await _person(db, pid) == ("ended", "deceased")
    rows = await _outbox(db)
    assert rows and {status for _, status in rows} == {"cancelled"}
    assert "trajectory_ended" not in {kind for kind, _ in rows}
    telegram_api.clear()
    await _dispatcher(app).tick()
    assert telegram_api.sent_to(FATIMA) == []


async def test_a_paused_participant_gets_no_closing_message(db: Any, clock: Any) -> None:
    world, pid = await _setup(db, clock)
    async with db.uow() as uow:
        p = await uow.session.get(Participant, pid)
        assert p is not None
        p.status = "paused"
        await uow.commit()
    ended = await end_trajectory(db, world.coach_id, None, pid, "no_contact", clock.now())
    assert not isinstance(ended, Refused | AlreadyEnded) and not ended.farewell
    assert ("trajectory_ended", "pending") not in await _outbox(db)


async def test_forged_presses_change_nothing(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    _, pid = await _setup(db, clock)
    await seed_coach(db, clock.now(), telegram_user_id=OTHER_COACH.id, coach_name="Piet",
                     locale="en")
    theirs = await _coach_screen(app, updates, telegram_api, OTHER_COACH)
    await app.process_update(updates.press(OTHER_COACH, f"ctr:yes:{pid}:moved", theirs))
    assert telegram_api.last("answerCallbackQuery").params["text"] == \
        "This participant is not in your list."
    message = await _coach_screen(app, updates, telegram_api)
    await app.process_update(updates.press(COACH, f"ctr:yes:{pid}:bored", message))
    await app.process_update(updates.press(COACH, f"ctr:yes:{pid}:", message))
    await app.process_update(updates.press(COACH, "ctr:yes:x:moved", message))
    assert await _person(db, pid) == ("active", None)
    assert ("trajectory_ended", "pending") not in await _outbox(db)


async def _coach_screen(app: Any, updates: UpdateFactory, api: FakeBotAPI,
                        user: TgUser = COACH) -> Any:
    """A real message of the bot's in the coach's chat to press buttons on."""
    await app.process_update(updates.command(user, "deelnemers"))
    return api.last_message(user.id)
