"""Joining as a participant by invite: consent, then the list or the menu; home and menu."""

from datetime import time

from bot.flows.invites import _invite_participant
from bot.flows.people import _create_participant
from bot.telegram.handlers.commands import PARTICIPANT_COMMANDS
from tests.support.builders import seed_coach, seed_participant
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
OTHER = TgUser(id=1002, first_name="Sam", language_code="en")


async def invited(db, clock, name: str = "Fatima", coach_user: int = 9001) -> tuple[int, str]:
    world = await seed_coach(db, clock.now(), coach_name="Sanne <3",
                             telegram_user_id=coach_user)
    async with db.uow() as uow:
        pid = await _create_participant(uow, world.coach_id, name, clock.now())
        invite = await _invite_participant(uow, pid, world.coach_account_id, clock.now())
        await uow.commit()
    return pid, invite.code


async def test_join_agree_and_change_settings_later(app, updates: UpdateFactory,
                                                   telegram_api: FakeBotAPI, db, clock) -> None:
    pid, code = await invited(db, clock)
    await app.process_update(updates.command(FATIMA, "start", code))
    welcome = telegram_api.last("sendMessage").params["text"]
    assert "Je coach Sanne &lt;3 heeft je uitgenodigd" in welcome  # coach name escaped
    assert "Onderzoekers krijgen alleen getallen" in welcome and "noodgevallen" in welcome
    await app.process_update(updates.tap(FATIMA, "Ja, ik doe mee"))
    # No questions about language or times: the defaults, said in one line, then the menu
    # (no steps yet).
    assert "📋 Mijn stappen" in updates.buttons(FATIMA)
    assert "/instellingen" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.command(FATIMA, "instellingen"))
    await app.process_update(updates.tap(FATIMA, "English"))
    # From here on in English, and the chat's command menu follows the choice, with the
    # English command names.
    commands = telegram_api.last("setMyCommands").params
    assert commands["scope"] == {"type": "chat", "chat_id": FATIMA.id}
    assert "My steps" in [c["description"] for c in commands["commands"]]
    assert {"steps", "settings", "sos", "help"} <= {c["command"] for c in commands["commands"]}
    await app.process_update(updates.tap(FATIMA, "In the evening"))
    await app.process_update(updates.tap(FATIMA, "22-07"))
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        account = await uow.accounts.by_telegram_user(FATIMA.id)
        events = [e.kind for e in await uow.participant_events.of_participant(pid)]
        assert participant.status == "active" and participant.consent_at == clock.now()
        assert participant.preferred_moment == "evening"
        assert (participant.quiet_start, participant.quiet_end) == (time(22), time(7))
        assert account.locale == "en"
    assert events[:2] == ["joined", "consent_given"]


async def test_not_agreeing_sends_nothing_more_and_the_status_shows_it(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    pid, code = await invited(db, clock)
    await app.process_update(updates.command(FATIMA, "start", code))
    await app.process_update(updates.tap(FATIMA, "Nee, liever niet"))
    # The welcome stays, with the answer under it and no buttons; the reply follows it.
    kept = telegram_api.last("editMessageText").params
    assert "Wil je meedoen?\n\n✓ <b>Nee, liever niet</b>" in kept["text"]
    assert "reply_markup" not in kept
    assert "stuurt je niets" in telegram_api.last("sendMessage").params["text"]
    assert telegram_api.last_message(FATIMA.id).reply_markup is None
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        assert participant.status == "declined" and participant.consent_at is None
    # The old welcome's "yes" button still works later (changing one's mind is fine) but a
    # second "no" changes nothing.
    message = telegram_api.messages[(FATIMA.id, int(kept["message_id"]))]
    await app.process_update(updates.press(FATIMA, "ob:consent:no", message))
    assert "al beantwoord" in telegram_api.last("answerCallbackQuery").params["text"]


async def test_wrong_used_and_expired_participant_codes(app, updates: UpdateFactory,
                                                        telegram_api: FakeBotAPI, db,
                                                        clock) -> None:
    _pid, code = await invited(db, clock)
    await app.process_update(updates.command(FATIMA, "start", code))
    await app.process_update(updates.command(OTHER, "start", code))
    assert "already been used" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.command(OTHER, "start", "wrongcode"))
    assert "does not work" in telegram_api.last("sendMessage").params["text"]
    _pid2, code2 = await invited(db, clock, "Piet", coach_user=9002)
    clock.advance(days=15)
    await app.process_update(updates.command(OTHER, "start", code2))
    assert "no longer valid" in telegram_api.last("sendMessage").params["text"]
    async with db.uow() as uow:
        assert await uow.accounts.by_telegram_user(OTHER.id) is None


async def test_home_menu_help_and_commands(app, updates: UpdateFactory,
                                           telegram_api: FakeBotAPI, db, clock) -> None:
    world = await seed_coach(db, clock.now())
    await seed_participant(db, world, clock.now())
    await app.process_update(updates.command(FATIMA, "menu"))
    assert updates.buttons(FATIMA) == ["📋 Mijn stappen", "🌉 Mijn Brug", "💌 Mijn kaartjes",
                                       "🗣 Ik wil mijn coach spreken", "❓ Uitleg",
                                       "🆘 Als het heel zwaar is"]
    await app.process_update(updates.tap(FATIMA, "Uitleg"))
    assert "/pauze" in telegram_api.last("editMessageText").params["text"]
    await app.process_update(updates.tap(FATIMA, "Menu"))
    assert "Wat wil je doen?" in telegram_api.last("editMessageText").params["text"]
    await app.process_update(updates.command(FATIMA, "start"))
    assert "Wat wil je doen?" in telegram_api.last("sendMessage").params["text"]
    names = [name for name, _ in PARTICIPANT_COMMANDS]
    assert {"stappen", "menu", "pauze", "verder"} <= set(names)


async def test_unexpected_text_gets_not_understood_with_the_menu(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world = await seed_coach(db, clock.now())
    await seed_participant(db, world, clock.now())
    await app.process_update(updates.text(FATIMA, "<b>hoi</b> 🙂"))
    sent = telegram_api.last("sendMessage")
    assert "dat begreep ik niet" in sent.params["text"]
    assert "📋 Mijn stappen" in [b["text"] for b in sent.buttons]


async def test_a_participant_who_has_not_agreed_gets_the_question_again(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world = await seed_coach(db, clock.now())
    await seed_participant(db, world, clock.now(), status="invited")
    await app.process_update(updates.command(FATIMA, "stappen"))
    assert "Wil je meedoen?" in telegram_api.last("sendMessage").params["text"]


async def test_someone_who_said_no_gets_one_line_and_can_join_later(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now(), status="declined")
    await app.process_update(updates.text(FATIMA, "hallo"))
    sent = telegram_api.last("sendMessage")
    assert "niet mee te doen" in sent.params["text"] and not sent.buttons
    await app.process_update(updates.command(FATIMA, "start"))
    await app.process_update(updates.tap(FATIMA, "Ja, ik doe mee"))
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        assert participant.status == "active" and participant.consent_at == clock.now()
