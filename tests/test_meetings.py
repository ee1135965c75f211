"""Meetings with the coach (issue 13): planned in a few taps from the card, one message and two
reminders (the day before at the participant's moment, about two hours before; never in quiet
hours, also during a pause), "I'll come" / "I can't make it", held / not held afterwards."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core import meetings as rules
from bot.core import reminders as plan
from bot.flows import meetings
from bot.storage.models import Meeting, OutboxMessage, Participant
from tests.support.builders import seed_coach, seed_participant
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

AMS = ZoneInfo("Europe/Amsterdam")
SANNE = TgUser(id=9001, first_name="Sanne", language_code="en")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="en")


def test_reminders_across_the_switch_to_summer_time_stay_on_the_wall_clock() -> None:
    person = plan.Person(1, "Europe/Amsterdam")  # morning = 09:00, quiet 21:00-08:00
    starts = rules.local_start(date(2026, 3, 30), time(9, 0), "Europe/Amsterdam")
    assert starts == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # CEST since Sunday
    now = datetime(2026, 3, 27, 10, 0, tzinfo=UTC)  # Friday, still CET
    moments = dict(rules.reminder_moments(starts, person, plan.ReminderRules(), now))
    assert moments["d-1"] == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)  # Sunday 09:00 CEST
    # 07:00 is in quiet hours: moved to 08:00, still before the meeting.
    assert moments["h-2"] == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    # Someone in another zone: their own clock.
    london = rules.local_start(date(2026, 3, 30), time(9, 0), "Europe/London")
    assert london == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def test_an_early_meeting_has_no_reminder_in_quiet_hours() -> None:
    person = plan.Person(1, "Europe/Amsterdam", quiet_end=time(9, 0))
    starts = rules.local_start(date(2026, 3, 12), time(9, 0), "Europe/Amsterdam")
    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    moments = dict(rules.reminder_moments(starts, person, plan.ReminderRules(), now))
    assert "h-2" not in moments  # 07:00 is quiet and 09:00 is the meeting itself
    assert moments["d-1"].astimezone(AMS).time() == time(9, 0)


def test_typed_moments_are_read_and_checked() -> None:
    today = date(2026, 3, 10)
    assert rules.parse_when("12-3 14:30", today) == (date(2026, 3, 12), time(14, 30))
    assert rules.parse_when("12 maart om 9.15", today) == (date(2026, 3, 12), time(9, 15))
    assert rules.parse_when("sometime", today) is None
    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert rules.check(datetime(2026, 3, 9, 9, 0, tzinfo=UTC), now, []) == "past"
    assert rules.check(datetime(2027, 4, 1, 9, 0, tzinfo=UTC), now, []) == "far"
    at = datetime(2026, 3, 12, 13, 30, tzinfo=UTC)
    assert rules.check(at, now, [datetime(2026, 3, 12, 14, 0, tzinfo=UTC)]) == "clash"
    assert rules.check(at, now, [datetime(2026, 3, 12, 15, 0, tzinfo=UTC)]) is None
    assert rules.kept_percentage(7, 3) == 70 and rules.kept_percentage(0, 0) is None


async def _rows(db: Any) -> list[tuple[str, str, str]]:
    async with db.uow() as uow:
        found = await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.kind.in_(["meeting", "meeting_reminder"]))
            .order_by(OutboxMessage.id))
        return [(r.kind, r.dedupe_key.rsplit(":", 1)[1], r.status) for r in found.scalars()]


async def _open_meetings(app: Any, updates: UpdateFactory) -> None:
    await app.process_update(updates.command(SANNE, "deelnemers"))
    await app.process_update(updates.tap(SANNE, "Fatima"))
    await app.process_update(updates.tap(SANNE, "📅 Meetings"))


async def test_coach_plans_a_meeting_in_a_few_taps_and_the_reminders_follow(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    world = await seed_coach(db, clock.now(), locale="en")  # Tuesday 10 March, 10:00
    pid = await seed_participant(db, world, clock.now(), name="Fatima", locale="en")
    await _open_meetings(app, updates)
    assert "No meetings planned yet." in telegram_api.last_message(SANNE.id).text
    await app.process_update(updates.tap(SANNE, "New meeting"))
    await app.process_update(updates.tap(SANNE, "Thu 12 Mar"))
    await app.process_update(updates.tap(SANNE, "14:30"))
    await app.process_update(updates.tap(SANNE, "At the office"))
    await app.process_update(updates.tap(SANNE, "Save"))
    screen = html_to_plain(telegram_api.last_message(SANNE.id).text)
    assert "The meeting is saved. The participant gets a message." in screen
    assert "Thursday at 14:30 · At the office · no answer yet" in screen
    assert await _rows(db) == [("meeting", "told", "pending"), ("meeting_reminder", "d-1",
                                                                 "pending"),
                               ("meeting_reminder", "h-2", "pending")]

    await deliver(app)
    told = html_to_plain(telegram_api.last_message(FATIMA.id).text)
    assert told.splitlines()[0] == "Fatima, a new meeting"
    assert "With Sanne: Thursday at 14:30" in told and "Where: at the office" in told
    await app.process_update(updates.tap(FATIMA, "I'll come"))
    assert "Your coach sees that you are coming." in telegram_api.last_message(FATIMA.id).text
    await _open_meetings(app, updates)
    assert "✅ Thursday at 14:30 · At the office · is coming" in html_to_plain(
        telegram_api.last_message(SANNE.id).text)

    # The day before, at her moment of day (morning: 09:00 on her clock).
    clock.set(datetime(2026, 3, 11, 8, 59, tzinfo=AMS))
    await deliver(app)
    assert "reminder" not in telegram_api.last_message(FATIMA.id).text
    clock.set(datetime(2026, 3, 11, 9, 0, tzinfo=AMS))
    await deliver(app)
    reminder = html_to_plain(telegram_api.last_message(FATIMA.id).text)
    assert reminder.splitlines()[0] == "Fatima, a reminder for tomorrow"
    assert "With Sanne: tomorrow at 14:30" in reminder

    # Paused since: the meeting was agreed together, so the reminder still goes.
    async with db.uow() as uow:
        participant = await uow.session.get(Participant, pid)
        assert participant is not None
        participant.status, participant.paused_until = "paused", date(2026, 3, 20)
        await uow.commit()
    clock.set(datetime(2026, 3, 12, 12, 30, tzinfo=AMS))
    await deliver(app)
    soon = html_to_plain(telegram_api.last_message(FATIMA.id).text)
    assert soon.splitlines()[0] == "Fatima, your meeting is soon"
    assert "With Sanne: today at 14:30" in soon

    # Afterwards the coach marks it with one tap.
    clock.set(datetime(2026, 3, 12, 15, 30, tzinfo=AMS))
    await _open_meetings(app, updates)
    await app.process_update(updates.tap(SANNE, "Held 12-03 14:30"))
    assert "today at 14:30 · held" in html_to_plain(telegram_api.last_message(SANNE.id).text)
    async with db.uow() as uow:
        assert (await uow.session.execute(select(Meeting.status))).scalar_one() == "held"


async def test_bad_moments_are_asked_to_check_and_nothing_is_saved(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    world = await seed_coach(db, clock.now(), locale="en")
    pid = await seed_participant(db, world, clock.now(), name="Fatima", locale="en")
    await _open_meetings(app, updates)
    await app.process_update(updates.tap(SANNE, "New meeting"))
    await app.process_update(updates.tap(SANNE, "Type a day and time"))
    for typed, says in (("soon-ish", "I could not read that"),
                        ("1-3-2026 10:00", "already passed"),
                        ("10-4-2027 10:00", "more than a year")):
        await app.process_update(updates.text(SANNE, typed))
        assert says in telegram_api.last_message(SANNE.id).text
    await app.process_update(updates.text(SANNE, "12-3 14:30"))
    assert telegram_api.last_message(SANNE.id).text == "Where?"
    await app.process_update(updates.tap(SANNE, "By phone"))
    await app.process_update(updates.tap(SANNE, "Add a note first"))
    await app.process_update(updates.text(SANNE, "Neem de <b>brief</b> mee"))
    assert "saved" in telegram_api.last_message(SANNE.id).text
    # A second meeting 30 minutes later is a clash.
    clash = await meetings.save(db, world.coach_id, world.coach_account_id, pid,
                                date(2026, 3, 12), time(15, 0), "office", None, clock.now())
    assert clash == meetings.Refused("clash")
    async with db.uow() as uow:
        stored = (await uow.session.execute(select(Meeting))).scalars().all()
        assert [(m.place, m.note) for m in stored] == [("phone", "Neem de <b>brief</b> mee")]
    await deliver(app)
    told = telegram_api.last_message(FATIMA.id).text
    assert "&lt;b&gt;brief&lt;/b&gt;" in told  # shown as typed, never as HTML
    assert told.splitlines()[0] == "<b>Fatima, a new meeting</b>"


async def test_cannot_come_tells_the_coach_and_moving_and_cancelling_follow(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    world = await seed_coach(db, clock.now(), locale="en")
    pid = await seed_participant(db, world, clock.now(), name="Fatima", locale="en")
    saved = await meetings.save(db, world.coach_id, world.coach_account_id, pid,
                                date(2026, 3, 12), time(14, 30), "home", None, clock.now())
    assert isinstance(saved, meetings.Saved)
    await deliver(app)
    await app.process_update(updates.tap(FATIMA, "I can't make it"))
    await app.process_update(updates.tap(FATIMA, "Ask my coach to call me"))
    assert telegram_api.last_message(FATIMA.id).text == (
        "Thank you. Sanne gets a message during working hours, with your question to call you.")
    clock.advance(minutes=3)  # the push waits a little, so that more requests join it
    await deliver(app)
    to_coach = html_to_plain(telegram_api.last_message(SANNE.id).text)
    assert to_coach.splitlines()[0] == "Your participants asked for you"
    assert "Fatima: cannot make the meeting of Thu 12 Mar 14:30 and asks you to call" in to_coach
    # Someone who cannot come gets no reminder.
    clock.set(datetime(2026, 3, 11, 9, 0, tzinfo=AMS))
    await deliver(app)
    assert ("meeting_reminder", "d-1", "skipped") in await _rows(db)

    moved = await meetings.save(db, world.coach_id, world.coach_account_id, pid,
                                date(2026, 3, 13), time(10, 0), "home", None, clock.now(),
                                saved.meeting_id)
    assert isinstance(moved, meetings.Saved) and moved.moved
    await deliver(app)
    assert html_to_plain(telegram_api.last_message(FATIMA.id).text).splitlines()[0] == \
        "Fatima, your meeting has moved"
    pending = [r for r in await _rows(db) if r[2] == "pending"]
    # New reminders for the new time (the answer is asked again); the old ones are cancelled.
    assert pending == [("meeting_reminder", "d-1", "pending"),
                       ("meeting_reminder", "h-2", "pending")]
    assert ("meeting_reminder", "h-2", "cancelled") in await _rows(db)
    cancelled = await meetings.cancel(db, world.coach_id, world.coach_account_id,
                                      saved.meeting_id, clock.now())
    assert isinstance(cancelled, meetings.Cancelled) and cancelled.told
    clock.advance(seconds=2)  # one message a second per chat at most (docs/outbox.md)
    await deliver(app)
    gone = html_to_plain(telegram_api.last_message(FATIMA.id).text)
    assert gone.splitlines()[0] == "Fatima, a meeting is cancelled"
    assert "Friday at 10:00 does not go ahead" in gone
    assert [r for r in await _rows(db) if r[2] == "pending"] == []
    # An old button after the cancel changes nothing.
    await app.process_update(updates.press(FATIMA, f"mta:coming:{saved.meeting_id}"))
    assert "changed" in telegram_api.last("answerCallbackQuery").params["text"]


async def test_appointments_kept_appear_in_the_cohort_report(db: Any, clock: Any) -> None:
    from bot.flows.report import build_report

    world = await seed_coach(db, clock.now(), locale="en")
    other = await seed_coach(db, clock.now(), telegram_user_id=9002, org_name="Gemeente Zuid")
    pid = await seed_participant(db, world, clock.now(), name="Fatima", locale="en")
    piet = await seed_participant(db, other, clock.now(), name="Piet", telegram_user_id=1002)
    made: list[int] = []
    for day in (11, 12, 13, 16):
        saved = await meetings.save(db, world.coach_id, world.coach_account_id, pid,
                                    date(2026, 3, day), time(10, 0), "office", None, clock.now())
        assert isinstance(saved, meetings.Saved)
        made.append(saved.meeting_id)
    zuid = await meetings.save(db, other.coach_id, other.coach_account_id, piet,
                               date(2026, 3, 11), time(10, 0), "phone", None, clock.now())
    assert isinstance(zuid, meetings.Saved)
    assert await meetings.mark(db, world.coach_id, world.coach_account_id, made[0], True,
                               clock.now()) == meetings.Refused("not_yet")
    await meetings.cancel(db, world.coach_id, world.coach_account_id, made[3], clock.now())
    clock.set(datetime(2026, 3, 14, 12, 0, tzinfo=AMS))
    for mid, held in ((made[0], True), (made[1], True), (made[2], False)):
        assert isinstance(await meetings.mark(db, world.coach_id, world.coach_account_id, mid,
                                              held, clock.now()), meetings.MeetingView)
    # Another coach's meeting cannot be marked by this coach.
    assert await meetings.mark(db, world.coach_id, world.coach_account_id, zuid.meeting_id,
                               True, clock.now()) == meetings.Refused("not_yours")
    report = await build_report(db, ["Gemeente Test", "Gemeente Zuid"])
    rows = {(r[0], r[1]): r[2:] for r in report.table("meetings").rows}
    assert rows[("Gemeente Test", "kept")] == (2, 3, 67)
    assert rows[("Gemeente Test", "not_kept")] == (1, 3, 33)
    assert rows[("Gemeente Test", "cancelled")] == (1, None, None)
    assert rows[("Gemeente Zuid", "kept")] == (0, 0, None)  # nothing marked: no percentage
    assert rows[("Gemeente Zuid", "not_marked_or_ahead")] == (1, None, None)
    assert rows[("all", "kept")] == (2, 3, 67)


async def test_the_pause_screen_says_meeting_reminders_still_come(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    world = await seed_coach(db, clock.now(), locale="en")
    await seed_participant(db, world, clock.now(), name="Fatima", locale="en")
    await app.process_update(updates.command(FATIMA, "pauze"))
    assert "Reminders of a meeting with your coach still come" in \
        telegram_api.last_message(FATIMA.id).text


async def test_a_meeting_ahead_moves_with_the_participant_to_the_new_coach(
    db: Any, clock: Any, app: Any
) -> None:
    from bot.flows import handover

    world = await seed_coach(db, clock.now(), locale="en")
    piet = await seed_coach(db, clock.now(), telegram_user_id=9002, coach_name="Piet")
    pid = await seed_participant(db, world, clock.now(), name="Fatima", locale="en")
    saved = await meetings.save(db, world.coach_id, world.coach_account_id, pid,
                                date(2026, 3, 12), time(10, 0), "office", None, clock.now())
    assert isinstance(saved, meetings.Saved)
    await handover.hand_over(db, pid, piet.coach_id, clock.now(), actor_account_id=None)
    assert await meetings.overview(db, world.coach_id, pid) == meetings.Refused("not_yours")
    seen = await meetings.overview(db, piet.coach_id, pid)
    assert isinstance(seen, meetings.Overview) and [m.id for m in seen.meetings] == [
        saved.meeting_id]
    async with db.uow() as uow:
        meeting = await uow.session.get(Meeting, saved.meeting_id)
        assert meeting is not None and meeting.coach_id == piet.coach_id


async def test_a_plan_made_on_the_day_of_the_meeting_links_to_it(
    app: Any, db: Any, clock: Any
) -> None:
    from bot.flows import plans
    from bot.i18n import using_locale
    from bot.telegram.handlers.plan_edit import goal_screen_text
    from tests.support.builders import StepSpec, seed_goal

    world = await seed_coach(db, clock.now(), locale="en")
    pid = await seed_participant(db, world, clock.now(), name="Fatima", locale="en")
    before, _ = await seed_goal(db, pid, clock.now(), "Eerder doel", [StepSpec("a")])
    saved = await meetings.save(db, world.coach_id, world.coach_account_id, pid,
                                date(2026, 3, 12), time(10, 0), "office", None, clock.now())
    assert isinstance(saved, meetings.Saved)
    clock.set(datetime(2026, 3, 12, 11, 0, tzinfo=AMS))
    made, _ = await seed_goal(db, pid, clock.now(), "Post op orde", [StepSpec("b")])
    screen = await plans.goal_screen(db, world.coach_id, world.coach_account_id, made,
                                     clock.now(), "en")
    assert screen is not None and screen.made_in_meeting == date(2026, 3, 12)
    with using_locale("en"):
        assert "Made in the meeting of 12 March." in goal_screen_text(screen, date(2026, 3, 12))
    earlier = await plans.goal_screen(db, world.coach_id, world.coach_account_id, before,
                                      clock.now(), "en")
    assert earlier is not None and earlier.made_in_meeting is None


async def test_no_message_is_promised_to_someone_without_the_bot(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    world = await seed_coach(db, clock.now(), locale="en")
    pid = await seed_participant(db, world, clock.now(), name="Fatima", telegram_user_id=None,
                                 status="invited")
    await _open_meetings(app, updates)
    await app.process_update(updates.tap(SANNE, "New meeting"))
    await app.process_update(updates.tap(SANNE, "Thu 12 Mar"))
    await app.process_update(updates.tap(SANNE, "09:00"))
    await app.process_update(updates.tap(SANNE, "Video call"))
    await app.process_update(updates.tap(SANNE, "Save"))
    assert "The participant has no bot (yet), so gets no message." in \
        telegram_api.last_message(SANNE.id).text
    assert await _rows(db) == []
    await app.process_update(updates.tap(SANNE, "Cancel 12-03 09:00"))
    await app.process_update(updates.tap(SANNE, "Yes, cancel the meeting"))
    shown = telegram_api.last_message(SANNE.id).text
    assert "The meeting is cancelled." in shown and "gets a message" not in shown
    async with db.uow() as uow:
        assert (await uow.session.execute(select(Meeting.status).where(
            Meeting.participant_id == pid))).scalar_one() == "cancelled"
