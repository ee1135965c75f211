"""The coach's language (issue 15): chosen on the coach's /instellingen screen, it holds for
everything the bot sends them afterwards: the screen itself, the menu behind '/' (with English
command names), direct answers, and what the outbox sends later (drawn in the recipient's
language when it is sent)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.storage.db import Database
from bot.ui.buttons.participant import StepHelp
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.outbox import dispatcher_of
from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
FATIMA = TgUser(id=5000, first_name="Fatima", language_code="nl")
# Tuesday 8 December 2026, 10:00 in Amsterdam: inside the coach's working hours.
TUESDAY = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


async def test_a_coach_switches_to_english_and_everything_after_follows(
    app: Any, db: Database, clock: Any, telegram_api: FakeBotAPI, updates: UpdateFactory
) -> None:
    clock.set(TUESDAY)
    world = await seed_coach(db, TUESDAY - timedelta(days=30), locale="nl")
    pid = await seed_participant(db, world, TUESDAY - timedelta(days=30), name="Fatima",
                                 telegram_user_id=FATIMA.id)
    _, [step] = await seed_goal(db, pid, TUESDAY, "Rust", [StepSpec("Brief lezen")])
    await app.process_update(updates.command(COACH, "instellingen"))
    screen = html_to_plain(telegram_api.last("sendMessage").text)
    assert "Taal: Nederlands" in screen
    assert "• Nederlands" in updates.buttons(COACH)
    await app.process_update(updates.tap(COACH, "English"))
    # The screen answers in English at once, with the choice marked.
    settings_screen = telegram_api.last_message(COACH.id)
    now_shown = html_to_plain(settings_screen.text)
    assert "Your settings" in now_shown and "Language: English" in now_shown
    assert "• English" in updates.buttons(COACH)
    menu = telegram_api.last("setMyCommands").params
    assert menu["scope"] == {"type": "chat", "chat_id": COACH.id}
    assert [c["command"] for c in menu["commands"]][:3] == ["participants", "overview", "new"]
    assert "Your participants at a glance" in [c["description"] for c in menu["commands"]]
    async with db.uow() as uow:
        assert (await uow.accounts.get(world.coach_account_id)).locale == "en"
    # A direct answer in English, whatever Telegram says the phone's language is.
    await app.process_update(updates.command(COACH, "deelnemers"))
    assert "Fatima" in updates.buttons(COACH)
    assert "participant" in telegram_api.last("sendMessage").text.lower()
    # What the outbox sends later: Fatima asks for help, the coach's push comes in English.
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.press(FATIMA, StepHelp(step=step).pack()))
    clock.advance(minutes=10)
    await dispatcher_of(app).tick()
    [push] = [html_to_plain(c.text) for c in telegram_api.sent_to(COACH.id, ("sendMessage",))
              if "Brief lezen" in c.text]
    assert "Fatima: asks for help with “Brief lezen”" in push
    # A second tap on the same choice changes nothing.
    await app.process_update(updates.tap(COACH, "English", settings_screen))
    assert "already your choice" in telegram_api.last("answerCallbackQuery").params["text"]
