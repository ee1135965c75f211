"""Cards, plan notices and reward messages go through the outbox like reminders: quiet hours,
a pause and a block (403) apply; the reminders' daily cap and bundling do not; a crash between
the commit and the send loses nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core import reminders as plan
from bot.flows import my_steps, pause
from bot.storage.models import OutboxMessage
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.cards_read import read_card
from tests.support.outbox import deliver, dispatcher_of
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
AMS = ZoneInfo("Europe/Amsterdam")


async def _world(db, clock):
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id, coach_name="Sanne")
    pid = await seed_participant(db, world, clock.now(), name="Fatima",
                                 telegram_user_id=FATIMA.id)
    return world, pid


async def _coach_sends_card(app, updates: UpdateFactory, pid: int, text: str) -> None:
    from bot.ui.buttons.cards import CardFor

    await app.process_update(updates.press(COACH, CardFor(participant_id=pid).pack()))
    await app.process_update(updates.text(COACH, text))
    await app.process_update(updates.tap(COACH, "Verstuur dit kaartje"))


def _photos_to(api: FakeBotAPI, chat_id: int) -> list:
    return [c for c in api.calls_to("sendPhoto") if c.params["chat_id"] == chat_id]


async def _rows(db, kind: str) -> list:
    async with db.uow() as uow:
        found = await uow.session.execute(
            select(OutboxMessage.status, OutboxMessage.last_error, OutboxMessage.due_at)
            .where(OutboxMessage.kind == kind))
        return list(found.all())


async def _hello(app, updates: UpdateFactory) -> None:
    """Something in the coach's chat, so a press has a message to sit on."""
    await app.process_update(updates.command(COACH, "deelnemers"))


async def test_a_coach_card_in_quiet_hours_arrives_after_them(
    app, db, clock, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    clock.set(datetime(2026, 3, 10, 22, 30, tzinfo=AMS))  # quiet 21:00-08:00
    _, pid = await _world(db, clock)
    await _hello(app, updates)
    await _coach_sends_card(app, updates, pid, "Goed gedaan deze week!")
    assert "onderweg" in telegram_api.last("sendMessage").params["text"]
    stats = await deliver(app)
    assert _photos_to(telegram_api, FATIMA.id) == []
    [row] = await _rows(db, plan.CARD)
    assert row.status == "pending"
    assert row.due_at.astimezone(AMS) == datetime(2026, 3, 11, 8, 0, tzinfo=AMS)
    assert stats.sent == 0
    clock.set(datetime(2026, 3, 11, 7, 59, tzinfo=AMS))
    assert (await dispatcher_of(app).tick()).sent == 0
    clock.set(datetime(2026, 3, 11, 8, 0, tzinfo=AMS))
    assert (await dispatcher_of(app).tick()).sent == 1
    [photo] = _photos_to(telegram_api, FATIMA.id)
    assert "Goed gedaan deze week!" in await read_card(app, telegram_api, photo)


async def test_a_card_to_someone_who_blocked_the_bot_marks_them_unreachable(
    app, db, clock, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    _, pid = await _world(db, clock)
    await _hello(app, updates)
    await _coach_sends_card(app, updates, pid, "Dank je voor je inzet.")
    telegram_api.fail_next("sendPhoto", 403, "Forbidden: bot was blocked by the user")
    await deliver(app)
    [row] = await _rows(db, plan.CARD)
    assert (row.status, row.last_error) == ("failed", "blocked")
    async with db.uow() as uow:
        account = await uow.accounts.by_telegram_user(FATIMA.id)
        assert account is not None and account.reachable is False
        assert await uow.cards.count_of(pid) == 1  # kept in /kaartjes


async def test_a_crash_between_commit_and_send_loses_no_card(
    app, db, clock, telegram_api: FakeBotAPI
) -> None:
    _, pid = await _world(db, clock)
    _, steps = await seed_goal(db, pid, clock.now(), "Werk", [StepSpec("Bellen", challenging=True),
                                                                StepSpec("Cv")])
    # The use case commits; the process dies before any dispatcher ran (nothing woke it).
    result, _ = await my_steps.tick(db, pid, steps[0], clock.now())
    assert not isinstance(result, my_steps.steps.StepProblem)
    [row] = await _rows(db, plan.CARD)
    assert row.status == "pending" and row.due_at == clock.now()
    assert _photos_to(telegram_api, FATIMA.id) == []
    # After the restart the timer's tick finds the row and sends the card.
    assert (await dispatcher_of(app).tick()).sent == 1
    [photo] = _photos_to(telegram_api, FATIMA.id)
    assert "moeilijke stap" in await read_card(app, telegram_api, photo)


async def test_a_pause_holds_a_card_back_until_resuming(
    app, db, clock, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    _, pid = await _world(db, clock)
    await _hello(app, updates)
    assert await pause.pause(db, pid, None, clock.now()) == pause.PauseOutcome.PAUSED
    await _coach_sends_card(app, updates, pid, "Rustig aan, ik denk aan je.")
    await deliver(app)
    assert _photos_to(telegram_api, FATIMA.id) == []
    [row] = await _rows(db, plan.CARD)
    assert row.status == "pending" and row.due_at > clock.now()
    clock.advance(hours=2)
    assert await pause.resume(db, pid, clock.now()) == pause.PauseOutcome.RESUMED
    assert (await dispatcher_of(app).tick()).sent == 1
    assert len(_photos_to(telegram_api, FATIMA.id)) == 1


async def test_cards_do_not_count_toward_the_reminders_daily_cap(
    app, db, clock, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    _, pid = await _world(db, clock)
    _, steps = await seed_goal(db, pid, clock.now(), "Werk", [StepSpec("Bellen", challenging=True),
                                                                StepSpec("Cv")])
    async with db.uow() as uow:
        account = await uow.accounts.by_telegram_user(FATIMA.id)
        assert account is not None
        for n in range(plan.DAILY_CAP):  # two reminders went out earlier today
            await uow.outbox.add(account_id=account.id, kind=plan.REMIND, due_at=clock.now(),
                                 dedupe_key=f"step:{steps[1]}:remind:x:{n}", payload={},
                                 created_at=clock.now(), status="sent",
                                 sent_at=clock.now() - timedelta(minutes=n + 1))
        await uow.commit()
    await my_steps.tick(db, pid, steps[0], clock.now())
    stats = await dispatcher_of(app).tick()
    assert (stats.sent, stats.skipped) == (1, 0)
    assert len(_photos_to(telegram_api, FATIMA.id)) == 1
    # ... and a card sent today leaves the reminders their two messages.
    async with db.uow() as uow:
        moments = await uow.outbox.sent_moments_of([account.id], plan.NUDGE_KINDS,
                                                   datetime(2026, 3, 9, tzinfo=UTC))
    assert len(moments[account.id]) == plan.DAILY_CAP
