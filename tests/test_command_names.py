"""English users get English command names (issue 15): in the menu behind '/', in the texts,
and each English name reaches the same handler as its Dutch one. /hulp stays the crisis route
(issue 13), so its English name is /sos and /help stays the help in both languages."""

from telegram.ext import CommandHandler

from bot.command_names import ENGLISH, mentions_in
from bot.telegram.handlers.commands import COACH_COMMANDS, PARTICIPANT_COMMANDS
from tests.support.builders import seed_coach, seed_participant
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

SAM = TgUser(id=1001, first_name="Sam", language_code="en")
SANNE = TgUser(id=9001, first_name="Sanne", language_code="en")


def _handlers_by_command(app) -> dict[str, object]:
    found: dict[str, object] = {}
    for group in app.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler):
                for command in handler.commands:
                    assert command not in found, f"/{command} is registered twice"
                    found[command] = handler.callback
    return found


async def test_every_english_name_reaches_the_same_handler_as_its_dutch_name(app) -> None:
    handlers = _handlers_by_command(app)
    for dutch, english in ENGLISH.items():
        assert dutch in handlers, f"/{dutch} has no handler"
        assert handlers[english] is handlers[dutch], f"/{english} is not /{dutch}"
    # Every command in a menu has both names; the crisis route never answers to /help.
    menus = {name for name, _ in PARTICIPANT_COMMANDS + COACH_COMMANDS}
    assert menus <= set(ENGLISH)
    assert handlers["help"] is not handlers["hulp"] and handlers["sos"] is handlers["hulp"]


async def test_the_menus_are_published_with_english_names_for_english_clients(
    app, telegram_api: FakeBotAPI
) -> None:
    await app.post_init(app)
    by_language = {c.params.get("language_code"): [x["command"] for x in c.params["commands"]]
                   for c in telegram_api.calls_to("setMyCommands")}
    assert by_language["en"] == [ENGLISH[name] for name, _ in PARTICIPANT_COMMANDS]
    assert by_language["nl"] == [name for name, _ in PARTICIPANT_COMMANDS]
    assert by_language[None] == by_language["nl"]  # the default language of these tests
    assert {"steps", "settings", "sos", "help", "lesson", "cards"} <= set(by_language["en"])
    assert "hulp" in by_language["nl"] and "help" in by_language["nl"]


def test_mentions_are_swapped_only_as_whole_commands() -> None:
    text = "Type /instellingen or /les. Not /lesson, /helpdesk, a/stappen or t.me/nieuw."
    assert mentions_in(text, "en") == (
        "Type /settings or /lesson. Not /lesson, /helpdesk, a/stappen or t.me/nieuw.")
    assert mentions_in(text, "nl") == text
    assert mentions_in("/hulp, /help", "en") == "/sos, /help"


async def test_an_english_participant_reads_and_uses_english_names(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world = await seed_coach(db, clock.now(), locale="en")
    await seed_participant(db, world, clock.now(), name="Sam", locale="en")
    await app.process_update(updates.command(SAM, "help"))
    helped = telegram_api.last("sendMessage").params["text"]
    assert "/settings" in helped or "/steps" in helped
    assert "/instellingen" not in helped and "/stappen" not in helped
    await app.process_update(updates.command(SAM, "settings"))
    assert "Your settings" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.command(SAM, "steps"))
    assert "Your steps" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.command(SAM, "sos"))
    crisis = telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.command(SAM, "hulp"))
    assert telegram_api.last("sendMessage").params["text"] == crisis
    # A Dutch reader of the same texts keeps the Dutch names, which also work for Sam.
    await app.process_update(updates.command(SAM, "instellingen"))
    assert "Your settings" in telegram_api.last("sendMessage").params["text"]


async def test_an_english_coach_gets_participants_and_new(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world = await seed_coach(db, clock.now(), locale="en")
    await seed_participant(db, world, clock.now(), name="Fatima")
    await app.process_update(updates.command(SANNE, "participants"))
    assert "Fatima" in updates.buttons(SANNE)
    await app.process_update(updates.command(SANNE, "new"))
    asked = telegram_api.last("sendMessage").params["text"]
    assert "name or nickname" in asked and "/cancel" in asked and "/annuleer" not in asked
    await app.process_update(updates.command(SANNE, "cancel"))
    assert telegram_api.last("sendMessage").params["text"] == "Stopped. Nothing was saved."
