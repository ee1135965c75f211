"""The participant's /help leads with the three things people do most and stays short; the
rest is one tap away. The buttons and commands the bot's words name exist."""

from __future__ import annotations

import re
from typing import Any

import pytest
from telegram.ext import CommandHandler

from bot import i18n
from bot.command_names import in_language
from bot.telegram.handlers.commands import COACH_COMMANDS, PARTICIPANT_COMMANDS
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.glossary import catalog_entries
from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
SAM = TgUser(id=1002, first_name="Sam", language_code="en")
COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
SHORT = 400  # characters: the short help fits one phone screen


@pytest.mark.parametrize(("user", "locale"), [(FATIMA, "nl"), (SAM, "en")])
async def test_participant_help_is_short_and_the_rest_is_one_tap_away(
    app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI,
    user: TgUser, locale: str,
) -> None:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now(), telegram_user_id=user.id, locale=locale)
    await seed_goal(db, pid, clock.now(), "Rust", [StepSpec("Brief lezen")])
    await app.process_update(updates.command(user, "help"))
    short = html_to_plain(telegram_api.last_message(user.id).text)
    assert len(short) <= SHORT, len(short)
    lines = [line for line in short.splitlines() if line.strip()]
    assert len(lines) <= 6
    with i18n.using_locale(locale):
        # The three: the steps, a step that does not work out, the coach; named as on the
        # buttons the participant will see.
        # English readers get the English command names (core/command_names).
        assert f"/{in_language('stappen', locale)}" in lines[1]
        assert f"“{i18n._('Not now')}”" in lines[2] or f'"{i18n._("Not now")}"' in lines[2]
        assert i18n._("I'd like to talk to my coach") in lines[3]
        assert f"/{in_language('hulp', locale)}" in short
        everything, my_steps = i18n._("Everything the bot can do"), i18n._("📋 My steps")
    assert updates.buttons(user) == [my_steps, everything, i18n_menu(locale)]
    await app.process_update(updates.tap(user, everything))
    full = html_to_plain(telegram_api.last_message(user.id).text)
    for command, _description in PARTICIPANT_COMMANDS:
        if command not in ("start", "help"):
            assert f"/{in_language(command, locale)} " in full, command
    # "My steps" under the short help opens the list, where "Not now" is; the menu has the
    # button to talk to the coach: the help names the buttons as they are.
    await app.process_update(updates.command(user, "help"))
    await app.process_update(updates.tap(user, my_steps))
    with i18n.using_locale(locale):
        assert i18n._("Your steps") in telegram_api.last_message(user.id).text
        assert i18n._("Not now") in updates.buttons(user)
        await app.process_update(updates.command(user, "menu"))
        assert any(i18n._("I'd like to talk to my coach") in b for b in updates.buttons(user))


def i18n_menu(locale: str) -> str:
    with i18n.using_locale(locale):
        return i18n._("🏠 Menu")


async def test_coach_help_names_every_coach_command(
    app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    await seed_coach(db, clock.now())
    await app.process_update(updates.command(COACH, "help"))
    text = telegram_api.last_message(COACH.id).text
    for command, _description in COACH_COMMANDS:
        assert f"/{command} " in text, command
    assert telegram_api.last_message(COACH.id).reply_markup is None


async def test_every_command_the_bot_names_exists(app: Any) -> None:
    """"Typ /xyz" is a promise too: every command in any translation is registered."""
    registered = {name for group in app.handlers.values() for handler in group
                  if isinstance(handler, CommandHandler) for name in handler.commands}
    named = {(entry.name, command) for entry in catalog_entries()
             for text in (entry.nl, entry.en)
             for command in re.findall(r"(?<![\w/.<])/([a-z_]+)", text)}
    missing = sorted(f"{entry!r}: /{command}" for entry, command in named
                     if command not in registered)
    assert not missing, "\n".join(missing)
    assert len(named) > 50
