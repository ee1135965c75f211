"""Free text, photos, voice notes and files: routed to the flow in progress, stale flows never
swallow a message, a step gets only what it takes."""

from collections.abc import Mapping
from typing import ClassVar

import pytest
from telegram import Update

from bot.core.conversations import Document, FlowState, Media, Photo, Takes
from bot.flows import conversation
from bot.flows.conversation import Conversation
from bot.telegram.context import BotContext
from tests.support.builders import seed_coach
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
STRANGER = TgUser(id=4242, first_name="Piet", language_code="en")


class Echo(FlowState, flow="test_echo"):
    a: int = 0


class Gone(FlowState, flow="test_gone"):
    """A flow no feature routes (e.g. removed by an update of the bot)."""


class Letter(FlowState, flow="test_letter"):
    """A question answered with a photo or a file of a letter (or its text typed)."""

    step_takes: ClassVar[Mapping[str, Takes]] = {
        "letter": Takes(media=frozenset({"photo", "document"}))}


def register_echo(app) -> list[str]:
    seen: list[str] = []

    async def echo(update: Update, context: BotContext, state: Conversation) -> None:
        seen.append(f"{state.step}:{update.effective_message.text}")

    app.bot_data["router"].on(Echo.flow, echo)
    return seen


async def test_text_without_a_flow_gets_a_short_not_understood(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    await app.process_update(updates.text(STRANGER, "hello?"))
    assert "did not understand" in telegram_api.last("sendMessage").params["text"]


async def test_text_goes_to_the_flow_in_progress(app, updates, telegram_api, db, clock) -> None:
    world = await seed_coach(db, clock.now())
    seen = register_echo(app)
    await conversation.begin(db, world.coach_account_id, "name", Echo(), clock.now())
    await app.process_update(updates.text(COACH, "Fatima"))
    assert seen == ["name:Fatima"]
    assert telegram_api.calls_to("sendMessage") == []


async def test_a_stale_flow_is_cleared_and_the_message_not_taken_as_its_answer(
    app, updates, telegram_api, db, clock
) -> None:
    world = await seed_coach(db, clock.now())
    seen = register_echo(app)
    await conversation.begin(db, world.coach_account_id, "name", Echo(), clock.now())
    clock.advance(hours=13)
    await app.process_update(updates.text(COACH, "Fatima"))
    assert seen == []
    assert "niets opgeslagen" in telegram_api.last("sendMessage").params["text"]
    assert await conversation.current(db, world.coach_account_id, clock.now()) is None


async def test_a_flow_of_an_unknown_name_is_cleared(app, updates, telegram_api, db, clock) -> None:
    world = await seed_coach(db, clock.now())
    await conversation.begin(db, world.coach_account_id, "x", Gone(), clock.now())
    await app.process_update(updates.text(COACH, "anything"))
    assert "niets opgeslagen" in telegram_api.last("sendMessage").params["text"]
    assert await conversation.current(db, world.coach_account_id, clock.now()) is None


async def test_cancel_leaves_the_flow_and_says_so(app, updates, telegram_api, db, clock) -> None:
    world = await seed_coach(db, clock.now())
    await conversation.begin(db, world.coach_account_id, "name", Echo(a=1), clock.now())
    await app.process_update(updates.command(COACH, "annuleer"))
    assert "Er is niets opgeslagen" in telegram_api.last("sendMessage").params["text"]
    assert await conversation.current(db, world.coach_account_id, clock.now()) is None
    await app.process_update(updates.command(COACH, "annuleer"))
    assert "niets om te stoppen" in telegram_api.last("sendMessage").params["text"]


def test_a_flow_name_used_twice_fails_at_import() -> None:
    with pytest.raises(ValueError, match="test_echo"):
        class Again(FlowState, flow="test_echo"):
            pass


def test_a_conversation_is_read_only_through_its_own_model() -> None:
    state = Conversation(Echo.flow, "name", {"a": 3})
    assert state.state(Echo) == Echo(a=3)
    with pytest.raises(LookupError):
        state.state(Gone)


def test_a_flow_without_a_state_model_cannot_be_routed(app) -> None:
    async def nothing(update: Update, context: BotContext, state: Conversation) -> None:
        return None

    with pytest.raises(ValueError, match="no state model"):
        app.bot_data["router"].on("test_untyped", nothing)


def register_letter(app) -> tuple[list[str], list[Media]]:
    typed: list[str] = []
    sent: list[Media] = []

    async def on_text(update: Update, context: BotContext, state: Conversation) -> None:
        typed.append(update.effective_message.text)

    async def on_media(update: Update, context: BotContext, state: Conversation,
                       media: Media) -> None:
        sent.append(media)

    app.bot_data["router"].on(Letter.flow, on_text, media=on_media)
    return typed, sent


async def test_media_outside_any_flow_gets_no_answer_and_never_crashes(
    app, updates, telegram_api, db, clock
) -> None:
    await seed_coach(db, clock.now())
    for user in (COACH, STRANGER):  # an account without a flow, and someone unknown
        await app.process_update(updates.photo(user, caption="kijk"))
        await app.process_update(updates.voice(user))
        await app.process_update(updates.document(user))
    assert telegram_api.calls_to("sendMessage") == []


async def test_media_to_a_step_that_takes_text_is_answered_kindly_and_changes_nothing(
    app, updates, telegram_api, db, clock
) -> None:
    world = await seed_coach(db, clock.now())
    seen = register_echo(app)
    await conversation.begin(db, world.coach_account_id, "name", Echo(a=2), clock.now())
    # A caption is no typed answer either.
    await app.process_update(updates.photo(COACH, caption="Fatima"))
    assert telegram_api.last("sendMessage").params["text"] == (
        "Een foto werkt hier niet. Typ je antwoord.")
    await app.process_update(updates.voice(COACH))
    assert telegram_api.last("sendMessage").params["text"].startswith(
        "Een spraakbericht werkt hier niet.")
    await app.process_update(updates.document(COACH))
    assert telegram_api.last("sendMessage").params["text"].startswith(
        "Een bestand werkt hier niet.")
    assert seen == []
    state = await conversation.current(db, world.coach_account_id, clock.now())
    assert isinstance(state, Conversation) and (state.step, state.data) == ("name", {"a": 2})
    await app.process_update(updates.text(COACH, "Fatima"))
    assert seen == ["name:Fatima"]


async def test_a_step_that_takes_photos_and_files_gets_their_ids_only(
    app, updates, telegram_api, db, clock
) -> None:
    world = await seed_coach(db, clock.now())
    typed, sent = register_letter(app)
    await conversation.begin(db, world.coach_account_id, "letter", Letter(), clock.now())
    await app.process_update(updates.photo(COACH, file_id="AgACbrief"))
    await app.process_update(updates.document(COACH, file_id="BQACbrief", name="brief.pdf"))
    assert sent == [Photo("AgACbrief-1280"), Document("BQACbrief", "brief.pdf",
                                                      "application/pdf")]
    # A voice note is not what this step takes: it says what is.
    await app.process_update(updates.voice(COACH))
    assert telegram_api.last("sendMessage").params["text"] == (
        "Een spraakbericht werkt hier niet. Typ je antwoord. Je kunt een bestand sturen. "
        "Je kunt een foto sturen.")
    assert len(sent) == 2 and typed == []
    await app.process_update(updates.text(COACH, "Een brief van de gemeente"))
    assert typed == ["Een brief van de gemeente"]


async def test_media_to_a_stale_flow_ends_it_with_the_usual_message(
    app, updates, telegram_api, db, clock
) -> None:
    world = await seed_coach(db, clock.now())
    _typed, sent = register_letter(app)
    await conversation.begin(db, world.coach_account_id, "letter", Letter(), clock.now())
    clock.advance(hours=13)
    await app.process_update(updates.photo(COACH))
    assert sent == []
    assert "niets opgeslagen" in telegram_api.last("sendMessage").params["text"]
    assert await conversation.current(db, world.coach_account_id, clock.now()) is None


def test_a_flow_whose_step_takes_media_needs_a_media_step(app) -> None:
    async def nothing(update: Update, context: BotContext, state: Conversation) -> None:
        return None

    with pytest.raises(ValueError, match="media"):
        app.bot_data["router"].on(Letter.flow, nothing)
