"""Free text and flows: routed to the flow in progress, stale flows never swallow a message."""

import pytest
from telegram import Update

from bot.core.conversations import FlowState
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
