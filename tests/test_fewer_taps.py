"""Fewer taps, nothing cut off (issue 15, item 6), measured from outside: each test plays a
person through the real application and counts what they send (tests/support/interactions)."""

from datetime import date, time

from sqlalchemy import select

from bot.core.brug import available_instruments
from bot.flows.brug import INSTRUMENTS_DIR
from bot.flows.invites import _invite_participant
from bot.flows.people import _create_participant
from bot.storage.models import Goal, Step
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.interactions import Person
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

# Before issue 15: link, consent, language, moment, quiet hours, "My steps", tick.
PARTICIPANT_BEFORE = 7
PARTICIPANT_TARGET = 4


async def _invited_with_steps(db, clock, steps: list[StepSpec]) -> tuple[int, str]:
    world = await seed_coach(db, clock.now(), coach_name="Sanne")
    async with db.uow() as uow:
        pid = await _create_participant(uow, world.coach_id, "Fatima", clock.now())
        invite = await _invite_participant(uow, pid, world.coach_account_id, clock.now())
        await uow.commit()
    if steps:
        await seed_goal(db, pid, clock.now(), "Rust in mijn geld", steps)
    return pid, invite.code


async def test_a_new_participant_ticks_the_first_step_in_three_interactions(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    pid, code = await _invited_with_steps(db, clock, [
        StepSpec("Bel de bank", due=date(2026, 3, 13)), StepSpec("Brief opzoeken")])
    # Telegram says the phone is in British English: no language question.
    sam = Person(app, updates, telegram_api, TgUser(1001, "Sam", language_code="en-GB"))
    await sam.command("start", code)
    welcome = telegram_api.last_message(sam.user.id)
    assert "Who sees what" in welcome.text and sam.buttons()[0] == "Yes, I want to take part"
    await sam.tap("Yes, I want to take part")
    # The welcome is still there to read, with the answer under it and no buttons left.
    kept = telegram_api.messages[(sam.user.id, welcome.message_id)]
    assert "Who sees what" in kept.text
    assert html_to_plain(kept.text).endswith("Do you want to take part?\n\n✓ Yes, I want to "
                                             "take part")
    assert kept.reply_markup is None
    # Straight to the list, with the assumed times in one line and where to change them.
    listed = sam.last_text()
    assert listed.startswith("I send you messages in the morning, never between 21:00 and "
                             "08:00. Change this, or the language, with /settings.")
    assert "Bel de bank" in listed
    await sam.tap("✓ 1.")
    async with db.uow() as uow:
        steps = (await uow.session.execute(select(Step).order_by(Step.id))).scalars().all()
        assert [s.status for s in steps] == ["done", "open"]
        account = await uow.accounts.by_telegram_user(sam.user.id)
        participant = await uow.participants.get(pid)
        assert account.locale == "en"
        assert (participant.preferred_moment, participant.quiet_start, participant.quiet_end
                ) == ("morning", time(21), time(8))
    assert sam.count == 3, sam.log
    assert sam.count <= PARTICIPANT_TARGET < PARTICIPANT_BEFORE
    await deliver(app)


async def test_another_phone_language_gets_the_organisations_language_and_the_menu(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    pid, code = await _invited_with_steps(db, clock, [])
    ana = Person(app, updates, telegram_api, TgUser(1001, "Ana", language_code="pt-BR"))
    await ana.command("start", code)
    await ana.tap("Ja, ik doe mee")
    text = ana.last_text()
    assert text.startswith("Ik stuur je berichten")
    assert "/instellingen" in text
    assert "📋 Mijn stappen" in ana.buttons()
    async with db.uow() as uow:
        assert (await uow.accounts.by_telegram_user(ana.user.id)).locale == "nl"
    # The times are hers to change: /instellingen, one tap, and the line was true.
    await ana.command("instellingen")
    await ana.tap("'s Avonds")
    async with db.uow() as uow:
        assert (await uow.participants.get(pid)).preferred_moment == "evening"


# Before issue 15, the same plan: /nieuw, name, "Make a goal-action plan", goal, why, pillar,
# Next, confidence, obstacle, if-then, then 4 per step (text, date, who, challenging), save.
COACH_BEFORE = 23
COACH_TARGET = 14
SANNE = TgUser(id=9001, first_name="Sanne", language_code="en")


async def test_a_coach_makes_a_plan_with_three_steps_in_fourteen_interactions(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    await seed_coach(db, clock.now(), coach_name="Sanne", locale="en")
    sanne = Person(app, updates, telegram_api, SANNE)
    await sanne.command("new")
    await sanne.type("Fatima")
    # The QR code, then straight on to the goal.
    assert "New goal for Fatima" in sanne.last_text()
    await sanne.type("Rust in mijn geld")
    await sanne.type("Dan slaap ik beter")
    # The Brug part and the confidence on one screen: the number moves on.
    await sanne.tap("Debts")
    screen = telegram_api.last_message(SANNE.id)
    await sanne.tap("8")
    # The choice is written into the question, its buttons gone.
    answered = telegram_api.messages[(SANNE.id, screen.message_id)]
    assert html_to_plain(answered.text).endswith("→ Debts · confidence 8/10")
    assert answered.reply_markup is None
    # An if-then plan answers the obstacle question at once.
    await sanne.type("Als ik een brief niet snap, dan bel ik Sanne")
    await sanne.type("Bel de bank")
    await sanne.tap("This week")
    # The date is in the step line now; who does it is the default, said and changeable.
    assert "1. Bel de bank · Friday · Fatima" in sanne.last_text()
    assert "Step 1: Fatima does it" in sanne.last_text()
    await sanne.type("Schuldhulp aanvragen")
    await sanne.type("20-3")  # typed instead of tapped: the date buttons go
    await sanne.type("Map met brieven maken")
    await sanne.tap("Next week")
    await sanne.tap("Save the plan")
    assert sanne.count == 14, sanne.log
    assert sanne.count <= COACH_TARGET < COACH_BEFORE
    # Nothing to tap is left behind but the two buttons under "Saved".
    left = sanne.keyboards()
    assert [html_to_plain(m.text).split("\n")[0] for m in left] == [
        "Saved: the goal with 3 steps."]
    async with db.uow() as uow:
        goal = (await uow.session.execute(select(Goal))).scalars().one()
        steps = (await uow.session.execute(select(Step).order_by(Step.position))).scalars().all()
        assert (goal.text, goal.why, goal.pillars, goal.confidence) == (
            "Rust in mijn geld", "Dan slaap ik beter", ["debts"], 8)
        assert (goal.obstacle, goal.if_then) == (
            "ik een brief niet snap", "Als ik een brief niet snap, dan bel ik Sanne")
        assert [(s.text, s.due_date, s.owner, s.challenging) for s in steps] == [
            ("Bel de bank", date(2026, 3, 13), "participant", False),
            ("Schuldhulp aanvragen", date(2026, 3, 20), "participant", False),
            ("Map met brieven maken", date(2026, 3, 20), "participant", False)]
    await deliver(app)


# A phone shows about 30 characters of a one-button row before it cuts ("1. Zorg voor mijn
# gezin laat ge..." in issue 15); a little room to spare.
PHONE_BUTTON = 28


async def test_brug_answer_buttons_fit_on_a_phone_and_the_statements_are_in_the_text(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world = await seed_coach(db, clock.now())
    await seed_participant(db, world, clock.now())
    fatima = TgUser(id=1001, first_name="Fatima", language_code="nl")
    await app.process_update(updates.command(fatima, "brug"))
    await app.process_update(updates.tap(fatima, "Vul mijn Brug in"))
    for _pillar in range(8):
        question = telegram_api.last_message(fatima.id)
        buttons = updates.buttons(fatima)
        answers = [b for b in buttons if b[0].isdigit()]
        assert len(answers) == 5
        assert all(len(b) <= PHONE_BUTTON for b in buttons), buttons
        # Each button's number leads to its full statement in the question.
        for label in answers:
            number = label.split(" · ")[0]
            assert f"\n{number}. " in html_to_plain(question.text)
        await app.process_update(updates.tap(fatima, "3 · "))
    # The wish questions ("where do you want to be?") have the same short buttons.
    await app.process_update(updates.press(fatima, updates_data(updates, fatima, 0)))
    wish = updates.buttons(fatima)
    assert [b.split(" · ")[0] for b in wish if b[0].isdigit()] == ["3", "4", "5"]
    assert all(len(b) <= PHONE_BUTTON for b in wish), wish


def updates_data(updates: UpdateFactory, user: TgUser, index: int) -> str:
    markup = updates.api.last_message(user.id).reply_markup
    return [b for row in markup["inline_keyboard"] for b in row][index]["callback_data"]


def test_every_instrument_has_a_short_key_word_for_every_statement() -> None:
    instruments = available_instruments(INSTRUMENTS_DIR)
    assert {"brug-alphen", "brug-groningen"} <= set(instruments)
    for instrument in instruments.values():
        for pillar in instrument.pillars:
            for language in ("nl", "en"):
                words = [pillar.keyword(level, language) for level in range(1, 6)]
                assert all(words), (instrument.key, pillar.key, language)
                assert len(set(words)) == 5, words  # they tell the statements apart
                assert all(len(f"✓ 5 · {w}") <= PHONE_BUTTON for w in words), words
