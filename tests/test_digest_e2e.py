"""The digest and the pushes end to end: the real Application, the outbox dispatcher and the
fake Bot API. The participant's words "Je coach ziet ..." are checked to come true here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.core import digest as rules
from bot.flows.digest import plan_digests
from bot.flows.reminders import lesson_series
from bot.flows.requests import ask_for_contact
from bot.notify.dispatcher import Dispatcher
from bot.storage.db import Database
from bot.storage.models import Account, Card, OutboxMessage
from bot.ui.buttons.base import Home
from bot.ui.buttons.digest import DigestCard, DigestSettings, RequestHandled
from bot.ui.buttons.nudges import LessonFeedback
from bot.ui.buttons.participant import StepHelp
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.digest_world import DIGEST_AT, seed_example
from tests.support.telegram_fake import FakeBotAPI, StoredMessage, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
FATIMA = TgUser(id=5000, first_name="Fatima", language_code="nl")
JOHAN = TgUser(id=5001, first_name="Johan", language_code="nl")
SARA = TgUser(id=5002, first_name="Sara", language_code="nl")
# Tuesday 8 December 2026, 10:00 in Amsterdam: inside the coach's working hours.
TUESDAY = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def dispatcher(app: Any) -> Dispatcher:
    found: Dispatcher = app.bot_data["dispatcher"]
    return found


def texts_to(api: FakeBotAPI, chat_id: int) -> list[str]:
    return [html_to_plain(c.text) for c in api.sent_to(chat_id, ("sendMessage",))]


def a_message(chat_id: int) -> StoredMessage:
    return StoredMessage(chat_id, 1, "…", None)


async def sweep(app: Any, db: Database, now: datetime) -> None:
    """What the planner sweep does for digests (every 15 minutes)."""
    await plan_digests(db, now, "Europe/Amsterdam")


async def test_wish_to_talk_reaches_the_coach_and_can_be_handled(
    app: Any, db: Database, clock: Any, telegram_api: FakeBotAPI, updates: UpdateFactory
) -> None:
    await seed_example(db, TUESDAY - timedelta(days=1))
    clock.set(TUESDAY)
    await app.process_update(updates.press(JOHAN, Home(target="talk").pack(), a_message(JOHAN)))
    answer = telegram_api.last("answerCallbackQuery").params
    assert "Je coach ziet dat je graag wilt praten" in answer["text"]
    await app.process_update(updates.press(JOHAN, Home(target="talk").pack(), a_message(JOHAN)))
    # Not at once: a few minutes, so that more requests join one message.
    await dispatcher(app).tick()
    assert texts_to(telegram_api, COACH.id) == []
    clock.advance(minutes=4)
    await dispatcher(app).tick()
    [push] = texts_to(telegram_api, COACH.id)
    assert push.splitlines()[0] == "Je deelnemers vragen naar je"  # no name on a lock screen
    assert "Johan: wil graag met je praten" in push
    # Fatima's help request (from the example) is still open: it is told too.
    assert "Fatima: vraagt hulp bij “Formulier toeslag invullen”" in push
    # The button opens Johan's card with the request and "handled".
    await app.process_update(updates.tap(COACH, "Open Johan"))
    card = html_to_plain(telegram_api.last_message(COACH.id).text)
    # Johan had asked on Sunday already (the example): one open request, not two.
    assert "Wil graag met je praten (gevraagd op 6 dec)." in card
    assert "Wil graag met je praten" in card.split("Open vragen")[0]  # the flag, as in the digest
    await app.process_update(updates.tap(COACH, "Gesprek: afgehandeld"))
    card = html_to_plain(telegram_api.last_message(COACH.id).text)
    assert "Open vragen" not in card and "wil graag met je praten" not in card.lower()
    # A second tap on the old button: nothing changes, a kind answer.
    card_before = telegram_api.last_message(COACH.id)
    stale = RequestHandled(pid=_pid(card_before), what="talk").pack()
    await app.process_update(updates.press(COACH, stale, card_before))
    assert "al op afgehandeld" in telegram_api.last("answerCallbackQuery").params["text"]


def _pid(message: StoredMessage) -> int:
    for row in message.reply_markup["inline_keyboard"]:
        for button in row:
            if button["callback_data"].startswith("cgn:"):
                return int(button["callback_data"].split(":")[1])
    raise AssertionError("no participant id on the card")


async def test_help_request_pushed_only_in_working_hours(
    app: Any, db: Database, clock: Any, telegram_api: FakeBotAPI, updates: UpdateFactory
) -> None:
    saturday = datetime(2026, 12, 12, 19, 0, tzinfo=UTC)
    world = await seed_coach(db, saturday - timedelta(days=30))
    pid = await seed_participant(db, world, saturday - timedelta(days=30), name="Fatima",
                                 telegram_user_id=FATIMA.id)
    _, [step] = await seed_goal(db, pid, saturday, "Rust", [StepSpec("Brief lezen")])
    clock.set(saturday)
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.press(FATIMA, StepHelp(step=step).pack()))
    clock.advance(hours=2)
    await dispatcher(app).tick()
    assert texts_to(telegram_api, COACH.id) == []  # Saturday evening: not now
    clock.set(datetime(2026, 12, 14, 7, 1, tzinfo=UTC))  # Monday 08:01 in Amsterdam
    await dispatcher(app).tick()
    [push] = texts_to(telegram_api, COACH.id)
    assert "Fatima: vraagt hulp bij “Brief lezen”" in push


async def test_lesson_feedback_reaches_the_coach(
    app: Any, db: Database, clock: Any, telegram_api: FakeBotAPI, updates: UpdateFactory
) -> None:
    await seed_example(db, TUESDAY - timedelta(days=1))
    clock.set(TUESDAY)
    await app.process_update(updates.press(
        JOHAN, LessonFeedback(number=2, verdict="yes").pack(), a_message(JOHAN)))
    assert "Je coach kan dit zien" in telegram_api.last("answerCallbackQuery").params["text"]
    clock.advance(minutes=1)
    await app.process_update(updates.command(COACH, "overzicht"))
    overview = html_to_plain(telegram_api.last("sendMessage").text)
    title = lesson_series().get(2, "nl").title
    assert f"Johan: les “{title}”: herkenbaar" in overview.split("Wat aansprak")[1]
    await app.process_update(updates.tap(COACH, "Open Johan"))
    card = html_to_plain(telegram_api.last_message(COACH.id).text)
    assert f"Lessen\n• {title}: herkenbaar" in card


async def test_weekly_digest_once_also_after_a_restart(
    app: Any, db: Database, clock: Any, telegram_api: FakeBotAPI
) -> None:
    await seed_example(db)
    clock.set(DIGEST_AT - timedelta(hours=20))
    await sweep(app, db, clock.now())
    await sweep(app, db, clock.now())  # a second process at the same time
    await dispatcher(app).tick()
    assert texts_to(telegram_api, COACH.id) == []
    clock.set(DIGEST_AT)
    await dispatcher(app).tick()
    [digest] = texts_to(telegram_api, COACH.id)
    assert digest.startswith("Je week in het kort\n30 nov – 7 dec\n\n3 stappen gezet door 2 van "
                             "je 6 deelnemers.")
    for part in ("Heeft jou nodig", "Om te vieren", "Komt eraan", "Wat aansprak",
                 "Doet niet meer mee\n• Kees: gestopt"):
        assert part in digest
    # After a restart (a new dispatcher, a new sweep) nothing goes out twice.
    clock.advance(minutes=20)
    await sweep(app, db, clock.now())
    restarted = Dispatcher(db, clock, app.bot)
    await restarted.tick()
    await dispatcher(app).tick()
    assert len(texts_to(telegram_api, COACH.id)) == 1
    async with db.uow() as uow:
        keys = (await uow.session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.status)
                .where(OutboxMessage.kind == rules.DIGEST)
                .order_by(OutboxMessage.id))).all()
    assert [tuple(k) for k in keys] == [("coach:1:digest:2026-W50", "sent"),
                                        ("coach:1:digest:2026-W51", "pending")]
    # Next week Kees, who ended, is not named again.
    clock.set(DIGEST_AT + timedelta(days=7))
    await dispatcher(app).tick()
    second = texts_to(telegram_api, COACH.id)[-1]
    assert "Kees" not in second


async def test_a_coach_who_blocked_the_bot_loses_nothing(
    app: Any, db: Database, clock: Any, telegram_api: FakeBotAPI, updates: UpdateFactory
) -> None:
    await seed_example(db)
    clock.set(DIGEST_AT - timedelta(hours=1))
    await sweep(app, db, clock.now())
    telegram_api.blocked_chats.add(COACH.id)
    clock.set(DIGEST_AT)
    stats = await dispatcher(app).tick()
    assert stats.blocked == 1
    async with db.uow() as uow:
        reachable = await uow.session.scalar(
            select(Account.reachable).where(Account.telegram_user_id == COACH.id))
    assert reachable is False
    # Requests that come in meanwhile are kept; pushes are not sent to a blocked chat.
    clock.set(TUESDAY)
    await app.process_update(updates.press(JOHAN, Home(target="talk").pack(), a_message(JOHAN)))
    clock.advance(minutes=5)
    assert (await dispatcher(app).tick()).sent == 0
    # Back again: /overzicht answers directly and still holds everything.
    telegram_api.blocked_chats.discard(COACH.id)
    await app.process_update(updates.command(COACH, "overzicht"))
    overview = html_to_plain(telegram_api.last("sendMessage").text)
    assert "Johan: wil graag met je praten" in overview
    assert "Fatima: vraagt hulp bij" in overview


async def test_sixty_participants_fit_telegram_in_pages(
    app: Any, db: Database, clock: Any, telegram_api: FakeBotAPI, updates: UpdateFactory
) -> None:
    world = await seed_coach(db, DIGEST_AT - timedelta(days=30))
    long_step = "Bellen met de afdeling schuldhulpverlening over de regeling " * 3
    for n in range(60):
        pid = await seed_participant(db, world, DIGEST_AT - timedelta(days=30),
                                     name=f"Deelnemer met een lange naam {n:02d}"[:80],
                                     telegram_user_id=20_000 + n)
        _, steps = await seed_goal(db, pid, DIGEST_AT, "Doel " * 50, [
            StepSpec(long_step[:200], DIGEST_AT.date() + timedelta(days=1), challenging=True),
            StepSpec(long_step[:200], DIGEST_AT.date() + timedelta(days=2))])
        async with db.uow() as uow:
            done = await uow.steps.get(steps[0])
            helped = await uow.steps.get(steps[1])
            assert done is not None and helped is not None
            done.status, done.done_at = "done", DIGEST_AT - timedelta(days=1)
            helped.help_asked_at = DIGEST_AT - timedelta(days=1)
            await uow.participant_events.record(pid, "contact_asked", DIGEST_AT)
            await uow.commit()
    clock.set(DIGEST_AT)
    await app.process_update(updates.command(COACH, "overzicht"))
    seen = []
    message = telegram_api.last_message(COACH.id)
    for _ in range(30):
        plain = html_to_plain(message.text)
        seen.append(plain)
        buttons = [b for row in message.reply_markup["inline_keyboard"] for b in row]
        assert len(message.text) <= 4096 and len(buttons) <= 100
        if not any("Verder" in b["text"] for b in buttons):
            break
        await app.process_update(updates.tap(COACH, "Verder", message))
        message = telegram_api.last_message(COACH.id)
    assert len(seen) > 2, seen[0][:2000]
    assert seen[-1].endswith(f"Pagina {len(seen)} van {len(seen)}")
    everything = "\n".join(seen)
    for n in range(60):  # every participant is in "needs you" and in "to celebrate"
        assert everything.count(f"lange naam {n:02d}: vraagt hulp") == 1
        assert everything.count(f"lange naam {n:02d}: moeilijke stap gezet") == 1
    assert not telegram_api.violations


async def test_one_tap_card_sends_one_card_once(
    app: Any, db: Database, clock: Any, telegram_api: FakeBotAPI, updates: UpdateFactory
) -> None:
    example = await seed_example(db)
    clock.set(DIGEST_AT)
    await app.process_update(updates.command(COACH, "overzicht"))
    await app.process_update(updates.tap(COACH, "Kaartje naar Fatima"))
    assert "onderweg" in telegram_api.last("answerCallbackQuery").params["text"]
    await app.process_update(updates.tap(COACH, "Kaartje naar Fatima"))  # a second tap
    assert "al verstuurd" in telegram_api.last("answerCallbackQuery").params["text"]
    await dispatcher(app).tick()  # a card is an outbox row: the dispatcher draws and sends it
    await dispatcher(app).tick()
    photos = telegram_api.sent_to(FATIMA.id, ("sendPhoto",))
    assert len(photos) == 1
    # The caption is discreet (it may show on a lock screen); the warm words are one tap away.
    assert "woningbouw" not in photos[0].text
    # Forged: another participant's step, or a step that is no win, sends nothing.
    await app.process_update(updates.press(COACH, DigestCard(
        pid=example.ids["Johan"], win="step", ref=example.steps["fatima_call"]).pack()))
    await app.process_update(updates.press(COACH, DigestCard(
        pid=example.ids["Fatima"], win="step", ref=example.steps["fatima_form"]).pack()))
    assert "werkt niet meer" in telegram_api.last("answerCallbackQuery").params["text"]
    async with db.uow() as uow:
        cards = (await uow.session.execute(select(Card.participant_id))).scalars().all()
    assert cards == [example.ids["Fatima"]]
    # A participant may not press a coach's button.
    await app.process_update(updates.press(FATIMA, DigestCard(
        pid=example.ids["Fatima"], win="goal", ref=1).pack(), a_message(FATIMA)))
    assert "voor coaches" in telegram_api.last("answerCallbackQuery").params["text"]
    await dispatcher(app).tick()
    assert len(telegram_api.sent_to(FATIMA.id, ("sendPhoto",))) == 1
    # Fatima reopens the card: now its words name what she did.
    await app.process_update(updates.tap(FATIMA, "Lees het kaartje"))
    shown = [html_to_plain(m.text) for m in telegram_api.sent_to(FATIMA.id)]
    assert any("Het is je gelukt: “Bellen met de woningbouw”" in text for text in shown)


async def test_settings_move_the_digest(
    app: Any, db: Database, clock: Any, telegram_api: FakeBotAPI, updates: UpdateFactory
) -> None:
    await seed_example(db)
    clock.set(DIGEST_AT - timedelta(days=1))
    await sweep(app, db, clock.now())
    await app.process_update(updates.command(COACH, "instellingen"))
    screen = html_to_plain(telegram_api.last("sendMessage").text)
    assert "Weekoverzicht: aan, elke maandag om 08:30." in screen
    assert "Werktijden: ma, di, wo, do, vr, 08:00-18:00." in screen
    await app.process_update(updates.tap(COACH, "wo"))
    await app.process_update(updates.tap(COACH, "09:00"))
    assert "elke woensdag om 09:00" in html_to_plain(telegram_api.last_message(COACH.id).text)
    async with db.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage.status, OutboxMessage.due_at)
                .where(OutboxMessage.kind == rules.DIGEST))).all()
    assert [tuple(r) for r in rows] == [("pending", datetime(2026, 12, 9, 8, 0, tzinfo=UTC))]
    # A forged value changes nothing.
    await app.process_update(updates.press(COACH, DigestSettings(what="time", value=1234).pack()))
    assert "werkt niet meer" in telegram_api.last("answerCallbackQuery").params["text"]
    await app.process_update(updates.tap(COACH, "uitzetten"))
    async with db.uow() as uow:
        statuses = (await uow.session.execute(select(OutboxMessage.status)
                    .where(OutboxMessage.kind == rules.DIGEST))).scalars().all()
    assert list(statuses) == ["cancelled"]


async def test_a_coach_without_participants(
    app: Any, db: Database, clock: Any, telegram_api: FakeBotAPI, updates: UpdateFactory
) -> None:
    await seed_coach(db, DIGEST_AT)
    clock.set(DIGEST_AT)
    await app.process_update(updates.command(COACH, "overzicht"))
    text = html_to_plain(telegram_api.last("sendMessage").text)
    assert "Je hebt nog geen deelnemers. Voeg iemand toe met /nieuw." in text
    # A participant cannot open the coach's overview.
    await seed_participant(db, await seed_coach(db, DIGEST_AT, telegram_user_id=9002,
                                                org_name="Ander"), DIGEST_AT,
                           telegram_user_id=FATIMA.id)
    await app.process_update(updates.command(FATIMA, "overzicht"))
    assert "alleen voor coaches" in telegram_api.last("sendMessage").text


async def test_a_push_with_many_requests_fits_one_message(
    app: Any, db: Database, clock: Any, telegram_api: FakeBotAPI, updates: UpdateFactory
) -> None:
    world = await seed_coach(db, TUESDAY - timedelta(days=30))
    text = "Formulier &amp; <brief> invullen voor de gemeente, samen met de buurvrouw " * 3
    for n in range(40):
        pid = await seed_participant(db, world, TUESDAY - timedelta(days=30),
                                     name=f"Deelnemer {n:02d}", telegram_user_id=30_000 + n)
        _, steps = await seed_goal(db, pid, TUESDAY, "Doel", [
            StepSpec(text[:200]) for _ in range(5)])
        async with db.uow() as uow:
            for sid in steps:
                step = await uow.steps.get(sid)
                assert step is not None
                step.help_asked_at = TUESDAY
            await uow.participant_events.record(pid, "contact_asked", TUESDAY)
            await uow.commit()
    clock.set(TUESDAY)
    assert await ask_for_contact(db, pid, TUESDAY)  # queues the push
    clock.advance(minutes=5)
    await dispatcher(app).tick()
    [push] = telegram_api.sent_to(COACH.id, ("sendMessage",))
    plain = html_to_plain(push.text)
    assert len(plain) <= 4096 and len(push.buttons) <= 100
    assert "en nog 2 stappen" in plain and "En nog" in plain and "kijk in /overzicht" in plain
    assert not telegram_api.violations
