"""End to end through the real PTB Application; only the HTTP boundary is fake."""

from datetime import timedelta

from telegram import BotCommandScopeAllPrivateChats

from bot.flows.admin import create_organisation, invite_coach
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

DUTCH = TgUser(id=1001, first_name="Fatima", language_code="nl")
ENGLISH = TgUser(id=1002, first_name="Sam", language_code="en")
GERMAN = TgUser(id=1003, first_name="Jonas", language_code="de")


async def test_start_without_code_explains_in_dutch(app, updates: UpdateFactory,
                                                    telegram_api: FakeBotAPI) -> None:
    await app.process_update(updates.command(DUTCH, "start"))
    sent = telegram_api.last("sendMessage")
    assert sent.params["chat_id"] == DUTCH.id
    assert "persoonlijke link van je coach" in sent.params["text"]


async def test_start_and_help_in_english_for_an_english_client(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    await app.process_update(updates.command(ENGLISH, "start"))
    assert "personal link from your coach" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.command(ENGLISH, "help"))
    assert "ask your coach for your personal link" in telegram_api.last("sendMessage").params[
        "text"
    ]


async def test_help_in_dutch_and_unsupported_language_falls_back_to_dutch(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    await app.process_update(updates.command(DUTCH, "help"))
    assert "Vraag je coach om je persoonlijke link" in telegram_api.last("sendMessage").params[
        "text"
    ]
    await app.process_update(updates.command(GERMAN, "help"))
    assert "Vraag je coach" in telegram_api.last("sendMessage").params["text"]


async def test_coach_joins_with_an_invite_link(app, updates: UpdateFactory,
                                               telegram_api: FakeBotAPI, db, clock) -> None:
    await create_organisation(db, "Gemeente Test", clock.now())
    code = await invite_coach(db, "Gemeente Test", clock.now())
    await app.process_update(updates.command(DUTCH, "start", code))
    assert "Je bent nu coach" in telegram_api.last("sendMessage").params["text"]
    commands = telegram_api.last("setMyCommands")
    assert commands.params["scope"]["type"] == "chat"
    # The same link a second time, by someone else: a kind refusal, nothing linked.
    await app.process_update(updates.command(ENGLISH, "start", code))
    assert "already been used" in telegram_api.last("sendMessage").params["text"]
    async with db.uow() as uow:
        assert await uow.accounts.by_telegram_user(ENGLISH.id) is None


async def test_expired_and_forged_codes_are_refused_kindly(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    await create_organisation(db, "Gemeente Test", clock.now())
    code = await invite_coach(db, "Gemeente Test", clock.now())
    clock.advance(days=15)
    await app.process_update(updates.command(DUTCH, "start", code))
    assert "niet meer geldig" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.command(DUTCH, "start", "<b>forged</b>"))
    assert "werkt niet" in telegram_api.last("sendMessage").params["text"]
    async with db.uow() as uow:
        assert await uow.accounts.by_telegram_user(DUTCH.id) is None
    assert clock.now() - timedelta(days=15) < clock.now()


async def test_commands_are_published_per_language(app, telegram_api: FakeBotAPI) -> None:
    await app.post_init(app)
    calls = telegram_api.calls_to("setMyCommands")
    by_language = {c.params.get("language_code"): c for c in calls}
    assert set(by_language) == {"nl", "en", None}
    nl = {c["command"]: c["description"] for c in by_language["nl"].params["commands"]}
    en = {c["command"]: c["description"] for c in by_language["en"].params["commands"]}
    assert nl["help"] == "Wat deze bot voor je kan doen"
    assert en["help"] == "What this bot can do for you"
    assert by_language["nl"].params["scope"] == BotCommandScopeAllPrivateChats().to_dict()


async def test_a_failing_handler_gets_a_kind_reply_and_a_log_without_text(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, caplog
) -> None:
    from telegram.ext import CommandHandler

    async def broken(update, context):
        raise RuntimeError("secret participant text")

    app.add_handler(CommandHandler("broken", broken), group=1)
    await app.process_update(updates.command(DUTCH, "broken"))
    assert "ging bij ons iets mis" in telegram_api.last("sendMessage").params["text"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged
    assert "Fatima" not in logged
    assert "secret participant text" not in logged


async def test_a_press_no_feature_claims_is_answered_and_changes_nothing(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    from tests.support.telegram_fake import StoredMessage

    old = StoredMessage(chat_id=DUTCH.id, message_id=5, text="oud", reply_markup=None)
    for data in ("home:xyz", "zz:1:2", "x" * 64):
        await app.process_update(updates.press(DUTCH, data, old))
        answer = telegram_api.last("answerCallbackQuery")
        assert answer.params["text"].startswith("Deze knop werkt niet meer.")
    assert telegram_api.calls_to("sendMessage") == []
    assert telegram_api.calls_to("editMessageText") == []
