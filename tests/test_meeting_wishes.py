""""I can't make it", end to end (issue 13): the participant picks another day and part of the
day (a few big buttons, or a typed date), or asks for a call; the wish reaches the coach in the
bundled push within working hours, and one tap moves the meeting (the reminders follow) or
opens the times of that day. What the participant is told is checked to come true here."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core import meetings as rules
from bot.flows import meetings
from bot.storage.models import Account, Meeting, OutboxMessage, ParticipantEvent
from tests.support.builders import seed_coach, seed_participant
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

AMS = ZoneInfo("Europe/Amsterdam")
SANNE = TgUser(id=9001, first_name="Sanne", language_code="en")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="en")


async def _world(app: Any, telegram_api: FakeBotAPI, db: Any, clock: Any,
                 day: date = date(2026, 3, 12)) -> tuple[Any, int, int]:
    """Sanne and Fatima (English), a meeting at 14:30 on `day` that Fatima was told about."""
    world = await seed_coach(db, clock.now(), locale="en")
    pid = await seed_participant(db, world, clock.now(), name="Fatima", locale="en")
    saved = await meetings.save(db, world.coach_id, world.coach_account_id, pid, day,
                                time(14, 30), "office", None, clock.now())
    assert isinstance(saved, meetings.Saved)
    await deliver(app)
    assert "a new meeting" in telegram_api.last_message(FATIMA.id).text
    return world, pid, saved.meeting_id


def _plain(api: FakeBotAPI, chat: int) -> str:
    return html_to_plain(api.last_message(chat).text)


async def _reminders(db: Any) -> list[tuple[str, str, str]]:
    async with db.uow() as uow:
        rows = await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.kind == "meeting_reminder").order_by(OutboxMessage.id))
        return [(r.dedupe_key.split(":")[2], r.dedupe_key.rsplit(":", 1)[1], r.status)
                for r in rows.scalars()]


async def _pushes(db: Any) -> list[str]:
    async with db.uow() as uow:
        return list((await uow.session.execute(select(OutboxMessage.status).where(
            OutboxMessage.kind == "coach_push").order_by(OutboxMessage.id))).scalars())


async def test_another_day_in_two_taps_and_the_coach_moves_it_in_one(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    # Tuesday 10 March 10:00; the meeting is on Thursday.
    _, pid, mid = await _world(app, telegram_api, db, clock)
    await app.process_update(updates.tap(FATIMA, "I can't make it"))
    assert updates.buttons(FATIMA) == ["Choose another day", "Ask my coach to call me"]
    await app.process_update(updates.tap(FATIMA, "Choose another day"))
    assert telegram_api.last_message(FATIMA.id).text == "Which day would suit you better?"
    # The coach's next three working days from tomorrow, inside the coach's working hours
    # (08:00-18:00: no evening), one big button each.
    assert updates.buttons(FATIMA) == [
        "Wednesday 11 March, morning", "Wednesday 11 March, afternoon",
        "Thursday 12 March, morning", "Thursday 12 March, afternoon",
        "Friday 13 March, morning", "Friday 13 March, afternoon",
        "Another date: I'll type it", "Ask my coach to call me instead"]
    offer = telegram_api.last_message(FATIMA.id)
    assert offer.reply_markup is not None
    assert all(len(row) == 1 for row in offer.reply_markup["inline_keyboard"])
    await app.process_update(updates.tap(FATIMA, "Friday 13 March, morning"))
    assert _plain(telegram_api, FATIMA.id) == (
        "Thank you. Sanne gets a message during working hours that you would like Friday "
        "13 March, morning.\nWhen Sanne moves the meeting, you get a message.")
    # A second tap on the same button adds nothing.
    await app.process_update(updates.tap(FATIMA, "Friday 13 March, morning", offer))
    # No reminders for a meeting she cannot make.
    clock.set(datetime(2026, 3, 11, 9, 0, tzinfo=AMS))
    await deliver(app)
    assert ("20260312T1330", "d-1", "skipped") in await _reminders(db)

    # The coach hears of it in the bundled push, with one tap to move it.
    pushes = [html_to_plain(m.text) for m in telegram_api.sent_to(SANNE.id)]
    assert len(pushes) == 1 and pushes[0].splitlines()[0] == "Your participants asked for you"
    assert ("Fatima: cannot make the meeting of Thu 12 Mar 14:30; would like Friday 13 March, "
            "morning") in pushes[0]
    assert updates.buttons(SANNE) == ["✔ Move to Fri 13 Mar 10:00", "Another time",
                                      "✔ Handled: meeting 12-03 14:30", "Open Fatima"]
    await app.process_update(updates.tap(SANNE, "✔ Move to Fri 13 Mar 10:00"))
    answer = _plain(telegram_api, SANNE.id)
    assert answer.startswith("The meeting has moved. The participant gets a message.")
    assert "Friday at 10:00 · At the office · no answer yet" in answer
    # The push itself stays as it was (a new message answers).
    assert len(telegram_api.sent_to(SANNE.id)) == 2
    # The promise to Fatima comes true, and the reminders follow the new time.
    await deliver(app)
    moved = _plain(telegram_api, FATIMA.id)
    assert moved.splitlines()[0] == "Fatima, your meeting has moved"
    assert "With Sanne: Friday at 10:00" in moved
    assert [r for r in await _reminders(db) if r[2] == "pending"] == [
        ("20260313T0900", "d-1", "pending"), ("20260313T0900", "h-2", "pending")]
    async with db.uow() as uow:
        meeting = await uow.session.get(Meeting, mid)
        assert meeting is not None and meeting.answer is None  # asked again for the new time
        kinds = (await uow.session.execute(select(ParticipantEvent.kind).where(
            ParticipantEvent.participant_id == pid).order_by(ParticipantEvent.id))).scalars()
        # "I can't make it", then the day: the latest counts; the move closed it.
        assert list(kinds) == [rules.WISH, rules.WISH, rules.WISH_HANDLED]
    # An old push button does not move the meeting again.
    await app.process_update(updates.press(
        SANNE, f"mtc:accept:{pid}:{mid}:20260313:1000:"))
    assert "already handled" in telegram_api.last("answerCallbackQuery").params["text"]


async def test_a_typed_day_then_the_coach_picks_another_time_on_it(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    _, _pid, _mid = await _world(app, telegram_api, db, clock)
    await app.process_update(updates.tap(FATIMA, "I can't make it"))
    await app.process_update(updates.tap(FATIMA, "Choose another day"))
    await app.process_update(updates.tap(FATIMA, "Another date: I'll type it"))
    assert "Which day would suit you?" in telegram_api.last_message(FATIMA.id).text
    async with db.uow() as uow:
        stored = (await uow.session.execute(select(ParticipantEvent))).scalars().all()
    # Bad input: a kind message, the question stays, nothing more is stored.
    for typed, says in (("sometime soon", "I do not understand that date"),
                        ("10-3", "from tomorrow on"), ("gisteren", "I do not understand"),
                        ("12-3-2028", "more than a year")):
        await app.process_update(updates.text(FATIMA, typed))
        assert says in telegram_api.last_message(FATIMA.id).text, typed
    async with db.uow() as uow:
        assert len((await uow.session.execute(select(ParticipantEvent))).scalars().all()) \
            == len(stored)
    await app.process_update(updates.text(FATIMA, "maandag"))
    assert telegram_api.last_message(FATIMA.id).text == "Which part of Monday 16 March?"
    assert updates.buttons(FATIMA) == ["Morning", "Afternoon"]
    await app.process_update(updates.tap(FATIMA, "Afternoon"))
    assert "would like Monday 16 March, afternoon" in telegram_api.last_message(FATIMA.id).text
    # The question is over: what she types next is not taken as a day.
    await app.process_update(updates.text(FATIMA, "dinsdag"))
    assert "Which part" not in telegram_api.last_message(FATIMA.id).text

    clock.advance(minutes=3)
    await deliver(app)
    assert "would like Monday 16 March, afternoon" in _plain(telegram_api, SANNE.id)
    # The meeting's own time (14:30) is in the afternoon: the one tap keeps it.
    assert "✔ Move to Mon 16 Mar 14:30" in updates.buttons(SANNE)
    await app.process_update(updates.tap(SANNE, "Another time"))
    assert telegram_api.last_message(SANNE.id).text == "What time on Monday 16 March?"
    await app.process_update(updates.tap(SANNE, "15:30"))
    await app.process_update(updates.tap(SANNE, "By phone"))
    await app.process_update(updates.tap(SANNE, "Save"))
    assert "Monday at 15:30 · By phone" in _plain(telegram_api, SANNE.id)
    await deliver(app)
    moved = _plain(telegram_api, FATIMA.id)
    assert moved.splitlines()[0] == "Fatima, your meeting has moved"
    assert "How: by phone" in moved
    # Moved: the wish left the coach's requests.
    await app.process_update(updates.command(SANNE, "deelnemers"))
    await app.process_update(updates.tap(SANNE, "Fatima"))
    assert "Open requests" not in _plain(telegram_api, SANNE.id)


async def test_a_wish_at_the_weekend_waits_for_monday_and_joins_one_push(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    clock.set(datetime(2026, 3, 13, 17, 0, tzinfo=AMS))  # Friday 17:00
    _, _pid, _mid = await _world(app, telegram_api, db, clock, date(2026, 3, 17))
    clock.set(datetime(2026, 3, 14, 11, 0, tzinfo=AMS))  # Saturday
    await app.process_update(updates.tap(FATIMA, "I can't make it"))
    await app.process_update(updates.tap(FATIMA, "Choose another day"))
    # The coach's working days: from Monday, not the weekend.
    assert updates.buttons(FATIMA)[:2] == ["Monday 16 March, morning",
                                           "Monday 16 March, afternoon"]
    await app.process_update(updates.tap(FATIMA, "Monday 16 March, morning"))
    await app.process_update(updates.command(FATIMA, "menu"))
    await app.process_update(updates.tap(FATIMA, "🗣 I'd like to talk to my coach"))
    await deliver(app)
    assert telegram_api.sent_to(SANNE.id) == []
    clock.set(datetime(2026, 3, 16, 7, 59, tzinfo=AMS))
    await deliver(app)
    assert telegram_api.sent_to(SANNE.id) == []
    clock.set(datetime(2026, 3, 16, 8, 0, tzinfo=AMS))
    await deliver(app)
    [push] = [html_to_plain(m.text) for m in telegram_api.sent_to(SANNE.id)]
    assert ("Fatima: would like to talk with you; cannot make the meeting of Tue 17 Mar "
            "14:30; would like Monday 16 March, morning") in push
    assert await _pushes(db) == ["sent"]
    # The digest (here on demand: /overzicht) lists it under "Needs you" as well.
    await app.process_update(updates.command(SANNE, "overzicht"))
    overview = _plain(telegram_api, SANNE.id)
    assert ("Needs you\n• Fatima: would like to talk with you; cannot make the meeting of "
            "Tue 17 Mar 14:30; would like Monday 16 March, morning") in overview


def test_the_wish_rules() -> None:
    from datetime import timedelta

    at = datetime(2026, 3, 12, 14, 30)
    events = [(rules.WISH, at, {"meeting_id": 1, "local": "2026-03-12T14:30",
                                "wish": "cannot"}),
              (rules.WISH, at, {"meeting_id": 1, "local": "2026-03-12T14:30",
                                "wish": "other_day", "day": "2026-03-13", "part": "morning"}),
              (rules.WISH, at, {"meeting_id": 2, "local": "2026-03-20T09:00", "wish": "call"}),
              (rules.WISH, at, {"meeting_id": 3, "wish": "call"}),  # stored wrongly: ignored
              (rules.WISH_HANDLED, at, {"meeting_id": 2})]
    found = rules.open_wishes(7, events)
    assert list(found) == [1] and found[1].kind == "other_day"
    # The meeting's own time when it is in the wished part of the day, else the part's time.
    assert found[1].proposal == (date(2026, 3, 13), time(10, 0))
    afternoon = rules.Wish(1, 7, at, "other_day", date(2026, 3, 13), "afternoon")
    assert afternoon.proposal == (date(2026, 3, 13), time(14, 30))
    assert rules.Wish(1, 7, at, "call").proposal is None
    assert rules.parts_offered(time(8), time(18)) == ("morning", "afternoon")
    assert rules.parts_offered(time(8), time(12, 30)) == ("morning",)
    assert rules.parts_offered(time(12), time(21)) == ("afternoon", "evening")
    friday = date(2026, 3, 13)
    assert rules.days_offered(friday, frozenset(range(5))) == [
        date(2026, 3, 16), date(2026, 3, 17), date(2026, 3, 18)]
    assert rules.check_wish_day(friday, friday) == "past"
    assert rules.check_wish_day(friday + timedelta(days=400), friday) == "far"
    assert rules.check_wish_day(friday + timedelta(days=1), friday) is None


async def test_call_me_is_handled_on_the_card_and_coming_after_all_closes_a_wish(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    _, _pid, mid = await _world(app, telegram_api, db, clock)
    await app.process_update(updates.tap(FATIMA, "I can't make it"))
    await app.process_update(updates.tap(FATIMA, "Ask my coach to call me"))
    await app.process_update(updates.command(SANNE, "deelnemers"))
    await app.process_update(updates.tap(SANNE, "Fatima"))
    card = _plain(telegram_api, SANNE.id)
    assert "Open requests\n• Cannot make the meeting of Thu 12 Mar 14:30 and asks you to call" \
        in card
    await app.process_update(updates.tap(SANNE, "✔ Handled: meeting 12-03 14:30"))
    assert _plain(telegram_api, SANNE.id).startswith("Marked as handled.")
    # Handled before the push went: the push has nothing left to say and is not sent.
    clock.advance(minutes=3)
    await deliver(app)
    assert [m for m in telegram_api.sent_to(SANNE.id)
            if "asked for you" in m.text] == []
    assert await _pushes(db) == ["skipped"]

    # Another wish, then "I'll come" after all: the coach need not act on it.
    await app.process_update(updates.press(FATIMA, f"mta:other_day:{mid}"))
    await app.process_update(updates.tap(FATIMA, "Wednesday 11 March, afternoon"))
    await app.process_update(updates.press(FATIMA, f"mta:coming:{mid}"))
    assert "Your coach sees that you are coming." in telegram_api.last_message(FATIMA.id).text
    await app.process_update(updates.command(SANNE, "deelnemers"))
    await app.process_update(updates.tap(SANNE, "Fatima"))
    assert "Open requests" not in _plain(telegram_api, SANNE.id)
    await app.process_update(updates.tap(SANNE, "📅 Meetings"))
    assert "✅ Thursday at 14:30 · At the office · is coming" in _plain(telegram_api, SANNE.id)


async def test_no_promise_when_the_coach_cannot_get_messages_and_bad_presses_change_nothing(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    world, _pid, mid = await _world(app, telegram_api, db, clock)
    async with db.uow() as uow:
        account = await uow.session.get(Account, world.coach_account_id)
        assert account is not None
        account.reachable = False  # the coach blocked the bot
        await uow.commit()
    await app.process_update(updates.press(FATIMA, f"mta:call:{mid}"))
    said = telegram_api.last_message(FATIMA.id).text
    assert "I cannot send your coach a message right now. Please contact Sanne yourself." \
        in said
    assert "gets a message" not in said
    async with db.uow() as uow:
        before = (await uow.session.execute(select(ParticipantEvent.id))).scalars().all()
    # A day in the past, a day too far, a day that does not exist: refused, nothing stored.
    for forged, says in ((f"mtw:{mid}:20260309:morning", "from tomorrow on"),
                         (f"mtw:{mid}:20280101:morning", "more than a year"),
                         (f"mtw:{mid}:20260231:morning", "no longer works"),
                         (f"mtw:{mid}:20260313:night", "no longer works")):
        await app.process_update(updates.press(FATIMA, forged))
        assert says in telegram_api.last("answerCallbackQuery").params["text"], forged
    async with db.uow() as uow:
        after = (await uow.session.execute(select(ParticipantEvent.id))).scalars().all()
    assert after == before
    # After the meeting started it is too late to ask for another day.
    clock.set(datetime(2026, 3, 12, 14, 31, tzinfo=AMS))
    await app.process_update(updates.press(FATIMA, f"mtw:{mid}:20260313:morning"))
    assert "already started" in telegram_api.last("answerCallbackQuery").params["text"]


async def test_only_i_cannot_make_it_still_reaches_the_coach(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    """Someone who taps "I can't make it" and then nothing more: the coach is told too."""
    _, _pid, _mid = await _world(app, telegram_api, db, clock)
    await app.process_update(updates.tap(FATIMA, "I can't make it"))
    clock.advance(minutes=3)
    await deliver(app)
    push = _plain(telegram_api, SANNE.id)
    assert "Fatima: cannot make the meeting of Thu 12 Mar 14:30" in push
    assert updates.buttons(SANNE) == ["✔ Handled: meeting 12-03 14:30", "Open Fatima"]
    # On the coach's meetings screen: ❌ and the same line, with Move / Cancel.
    await app.process_update(updates.tap(SANNE, "Open Fatima"))
    await app.process_update(updates.tap(SANNE, "📅 Meetings"))
    screen = _plain(telegram_api, SANNE.id)
    assert "❌ Thursday at 14:30 · At the office · cannot make it" in screen
    assert "cannot make the meeting of Thu 12 Mar 14:30" in screen
    assert "Move 12-03 14:30" in updates.buttons(SANNE)
