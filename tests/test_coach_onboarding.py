"""A coach joins with an invite and chooses the name participants see."""

from bot.flows.admin import create_organisation, invite_coach
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=7001, first_name="Sanne", language_code="nl")


async def _join(app, updates, db, clock) -> None:
    await create_organisation(db, "Gemeente Test", clock.now())
    code = await invite_coach(db, "Gemeente Test", clock.now())
    await app.process_update(updates.command(COACH, "start", code))


async def _coach_name(db) -> str:
    async with db.uow() as uow:
        account = await uow.accounts.by_telegram_user(COACH.id)
        coach = await uow.coaches.by_account(account.id)
        return coach.display_name


async def test_coach_types_the_name_participants_see(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    await _join(app, updates, db, clock)
    assert "Welke naam" in telegram_api.last("sendMessage").params["text"]
    assert updates.buttons(COACH) == ["Houd “Sanne”"]
    menu = telegram_api.last("setMyCommands").params
    assert menu["scope"] == {"type": "chat", "chat_id": COACH.id}
    assert [c["command"] for c in menu["commands"]] == [
        "deelnemers", "overzicht", "nieuw", "annuleer", "instellingen", "privacy", "help"]
    await app.process_update(updates.text(COACH, "  Sanne   <b>de Vries</b> 🌷 "))
    assert await _coach_name(db) == "Sanne <b>de Vries</b> 🌷"
    text = telegram_api.last("sendMessage").params["text"]
    assert "&lt;b&gt;de Vries&lt;/b&gt;" in text
    # The flow is over: the next text is not taken as a name.
    await app.process_update(updates.text(COACH, "Piet"))
    assert await _coach_name(db) == "Sanne <b>de Vries</b> 🌷"


async def test_coach_keeps_the_telegram_name_with_one_tap_and_a_second_tap_is_harmless(
    app, updates, telegram_api, db, clock
) -> None:
    await _join(app, updates, db, clock)
    message = telegram_api.last_message(COACH.id)
    await app.process_update(updates.tap(COACH, "Houd", message))
    assert "Deelnemers zien je als <b>Sanne</b>" in telegram_api.last("sendMessage").params["text"]
    sent = len(telegram_api.calls_to("sendMessage"))
    await app.process_update(updates.press(COACH, "cn", message))
    assert len(telegram_api.calls_to("sendMessage")) == sent


async def test_a_too_long_or_empty_name_is_refused_kindly(app, updates, telegram_api, db, clock
                                                          ) -> None:
    await _join(app, updates, db, clock)
    await app.process_update(updates.text(COACH, "x" * 81))
    assert "onder 80 tekens" in telegram_api.last("sendMessage").params["text"]
    assert await _coach_name(db) == "Sanne"
    await app.process_update(updates.text(COACH, "\u200b"))
    assert await _coach_name(db) == "Sanne"
    await app.process_update(updates.text(COACH, "x" * 80))
    assert await _coach_name(db) == "x" * 80
