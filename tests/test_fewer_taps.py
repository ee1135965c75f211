"""Fewer taps, nothing cut off (issue 15, item 6), measured from outside: each test plays a
person through the real application and counts what they send (tests/support/interactions)."""

from datetime import date, time

from sqlalchemy import select

from bot.flows.invites import _invite_participant
from bot.flows.people import _create_participant
from bot.storage.models import Step
from tests.support.builders import StepSpec, seed_coach, seed_goal
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
