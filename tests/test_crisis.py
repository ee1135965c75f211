"""A route in a crisis (issue 13): /hulp, the home button, and a crisis phrase typed inside a
longer text, answered at once; the coach is told through the outbox within working hours."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.core.crisis import mentions_crisis
from bot.storage.models import AuditEntry, Coach, Organisation, OutboxMessage, ParticipantEvent
from tests.support.builders import seed_coach, seed_participant
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

AMS = ZoneInfo("Europe/Amsterdam")
COACH = TgUser(id=9001, first_name="Sanne", language_code="en")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="en")


@pytest.mark.parametrize("text", [
    "Hoi. Eerlijk gezegd: ik trek het niet meer, met al die brieven.",
    "IK TREK HET BIJNA NIET MEER!!",
    "soms denk ik: ik wil niet meer leven",
    "Honestly I can't take it anymore with the letters",
    "i dont want to live like this",
    "I’m tired, I want to die",
    "ik trek het echt gewoon niet meer",
    "ik zie het écht niet meer zitten",
    "I really just can't take it any more.",
    "ik wil er een einde aan maken",
])
def test_clear_phrases_are_found_inside_longer_text(text: str) -> None:
    assert mentions_crisis(text)


@pytest.mark.parametrize("text", [
    "ik trek de deur dicht", "Ik wil niet meer bellen met de bank", "I can take it",
    "", "dood moe vandaag", "the suicides squad film",  # whole words only
    "ik wil doodgewoon bellen", "I can take it any more day now", "ik trek het wel",
])
def test_ordinary_text_is_not_a_crisis(text: str) -> None:
    assert not mentions_crisis(text)


async def _world(db: Any, clock: Any) -> int:
    world = await seed_coach(db, clock.now(), locale="en")
    return await seed_participant(db, world, clock.now(), name="Fatima", locale="en")


async def _notices(db: Any) -> list[tuple[str, str]]:
    async with db.uow() as uow:
        rows = await uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.kind == "crisis_notice"))
        return [(r.status, r.dedupe_key) for r in rows.scalars()]


async def test_a_phrase_in_a_longer_text_gets_the_route_and_the_coach_is_told(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    pid = await _world(db, clock)  # Tuesday 10:00 in Amsterdam: working hours
    await app.process_update(updates.text(
        FATIMA, "Sorry dat ik zo laat reageer, ik trek het niet meer met alles."))
    answer = html_to_plain(telegram_api.last_message(FATIMA.id).text)
    assert "112" in answer and "0800-0113" in answer and "113.nl" in answer
    assert "GP out-of-hours service" in answer
    assert "Your coach Sanne." in answer
    assert "This bot cannot help in an emergency." in answer
    assert "I am sending your coach Sanne a message" in answer

    await deliver(app)
    to_coach = [html_to_plain(m.text) for m in telegram_api.sent_to(COACH.id)]
    assert len(to_coach) == 1
    first_line = to_coach[0].splitlines()[0]
    assert first_line == "Fatima: please get in touch soon"  # no health word on a lock screen
    assert "Sorry dat ik" not in to_coach[0]  # the typed text is never passed on

    # Typed again the same day: the route again, the coach not a second time.
    await app.process_update(updates.text(FATIMA, "ik wil niet meer leven"))
    assert "112" in telegram_api.last_message(FATIMA.id).text
    await deliver(app)
    assert len(telegram_api.sent_to(COACH.id)) == 1

    assert [s for s, _ in await _notices(db)] == ["sent"]
    async with db.uow() as uow:
        # When, for the coach's digest and card: the moment only, no text.
        events = (await uow.session.execute(select(ParticipantEvent))).scalars().all()
        assert [(e.kind, e.data) for e in events] == [("crisis_phrase", {})] * 2
        audit = (await uow.session.execute(select(AuditEntry).where(
            AuditEntry.action == "crisis.route_shown"))).scalars().all()
        assert len(audit) == 2 and all(a.subject_id == pid for a in audit)
        assert [a.details for a in audit] == [{"coach_told": True}] * 2  # ids only, no text


async def test_at_the_weekend_the_coach_is_told_on_monday_at_eight(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    clock.set(datetime(2026, 3, 14, 22, 30, tzinfo=AMS))  # Saturday night
    await _world(db, clock)
    await app.process_update(updates.text(FATIMA, "Honestly, I can't go on like this"))
    assert "112" in telegram_api.last_message(FATIMA.id).text
    await deliver(app)
    assert telegram_api.sent_to(COACH.id) == []
    clock.set(datetime(2026, 3, 16, 7, 59, tzinfo=AMS))
    await deliver(app)
    assert telegram_api.sent_to(COACH.id) == []
    clock.set(datetime(2026, 3, 16, 8, 0, tzinfo=AMS))
    await deliver(app)
    assert len(telegram_api.sent_to(COACH.id)) == 1


async def test_help_command_and_home_button_show_local_numbers_and_the_coach_phone(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    await _world(db, clock)
    async with db.uow() as uow:
        org = (await uow.session.execute(select(Organisation))).scalar_one()
        org.settings = {"crisis_numbers": [{"label": "Schuldhulp <Alphen>",
                                            "number": "0172-123456"}]}
        coach = (await uow.session.execute(select(Coach))).scalar_one()
        coach.phone = "06-12345678"
        await uow.commit()
    await app.process_update(updates.command(FATIMA, "hulp"))
    shown = html_to_plain(telegram_api.last_message(FATIMA.id).text)
    assert "Schuldhulp <Alphen>: 0172-123456" in shown  # escaped, shown as typed
    assert "06-12345678" not in shown  # the organisation did not allow the coach's phone
    assert "I am sending" not in shown  # /hulp itself tells nobody
    async with db.uow() as uow:
        org = (await uow.session.execute(select(Organisation))).scalar_one()
        org.settings = {**org.settings, "coach_phone_visible": True}
        await uow.commit()
    await app.process_update(updates.command(FATIMA, "menu"))
    await app.process_update(updates.tap(FATIMA, "🆘 Help in a crisis"))
    assert "Your coach Sanne: 06-12345678" in html_to_plain(
        telegram_api.last_message(FATIMA.id).text)
    assert await _notices(db) == []


async def test_a_coach_typing_a_phrase_is_not_answered_with_the_route(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    await _world(db, clock)
    await app.process_update(updates.text(COACH, "ik trek het niet meer"))
    assert "112" not in telegram_api.last_message(COACH.id).text
    assert await _notices(db) == []


async def test_a_phrase_inside_another_flow_is_answered_first_and_the_flow_stays(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "pauze"))
    await app.process_update(updates.tap(FATIMA, "Until a day I type"))
    await app.process_update(updates.text(FATIMA, "geen idee, ik zie het niet meer zitten"))
    assert "112" in telegram_api.last_message(FATIMA.id).text
    await app.process_update(updates.text(FATIMA, "12-3"))  # the pause question still waits
    assert "Enjoy your break" in telegram_api.last_message(FATIMA.id).text


async def test_the_coach_is_told_within_their_own_working_hours(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    """The working hours the coach set for the digest (here Monday-Thursday 09:00-13:00)."""
    clock.set(datetime(2026, 3, 12, 14, 0, tzinfo=AMS))  # Thursday afternoon
    await _world(db, clock)
    async with db.uow() as uow:
        coach = (await uow.session.execute(select(Coach))).scalar_one()
        coach.work_days, coach.work_start, coach.work_end = "0123", time(9, 0), time(13, 0)
        await uow.commit()
    await app.process_update(updates.text(FATIMA, "ik wil dood"))
    await deliver(app)
    assert telegram_api.sent_to(COACH.id) == []
    async with db.uow() as uow:
        due = (await uow.session.execute(select(OutboxMessage.due_at).where(
            OutboxMessage.kind == "crisis_notice"))).scalar_one()
    assert due == datetime(2026, 3, 16, 9, 0, tzinfo=AMS)  # Monday 09:00, not Friday 08:00
    clock.set(datetime(2026, 3, 16, 9, 0, tzinfo=AMS))
    await deliver(app)
    assert len(telegram_api.sent_to(COACH.id)) == 1


async def test_at_the_weekend_two_days_make_one_notice_and_the_digest_lists_them(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    """The one-a-day notice does not pile up while it waits for working hours; the coach's
    weekly digest and the card list when it happened (no text)."""
    from bot.flows.digest import plan_digests

    clock.set(datetime(2026, 3, 14, 22, 30, tzinfo=AMS))  # Saturday night
    await _world(db, clock)
    await app.process_update(updates.text(FATIMA, "ik trek het niet meer"))
    clock.set(datetime(2026, 3, 15, 11, 0, tzinfo=AMS))  # Sunday
    await app.process_update(updates.text(FATIMA, "Ik wil niet meer leven"))
    assert "I am sending your coach Sanne a message" in telegram_api.last_message(
        FATIMA.id).text
    assert [s for s, _ in await _notices(db)] == ["pending"]  # Saturday's, still waiting
    await plan_digests(db, clock.now(), "Europe/Amsterdam")
    clock.set(datetime(2026, 3, 16, 8, 0, tzinfo=AMS))
    await deliver(app)
    [notice] = [html_to_plain(m.text) for m in telegram_api.sent_to(COACH.id)]
    assert notice.splitlines()[0] == "Fatima: please get in touch soon"
    clock.set(datetime(2026, 3, 16, 8, 30, tzinfo=AMS))  # the digest's slot
    await deliver(app)
    digest = html_to_plain(telegram_api.last_message(COACH.id).text)
    assert digest.splitlines()[0] == "Your week in short"
    assert ("Needs you\n• Fatima: typed such words 2 times, last on Sun 15 Mar; the bot "
            "showed the help numbers") in digest
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    assert "⚑ Typed such words 2 times" in html_to_plain(telegram_api.last_message(
        COACH.id).text)
    # A week later the card no longer raises it.
    clock.set(datetime(2026, 3, 23, 9, 0, tzinfo=AMS))
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    assert "Typed such words" not in telegram_api.last_message(COACH.id).text


async def test_help_names_the_crisis_route_for_participants_and_strangers(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    await _world(db, clock)
    stranger = TgUser(id=4242, first_name="Onbekend", language_code="nl")
    # An English reader sees the English name of the crisis route (/sos, never /help).
    for user, line in ((FATIMA, "Very hard right now? /sos"),
                       (stranger, "/hulp - wie je belt als het heel zwaar is")):
        await app.process_update(updates.command(user, "help"))
        assert line in telegram_api.last_message(user.id).text
        await app.process_update(updates.command(user, "hulp"))
        assert "0800-0113" in telegram_api.last_message(user.id).text
