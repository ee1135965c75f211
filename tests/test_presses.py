"""One way to handle a press: every callback class has a handler, prefixes are unique, ids are
bounded, and the refusal (stale button / wrong role) is given once."""

import importlib
import pkgutil

import pytest
from telegram import Update
from telegram.ext import CallbackQueryHandler

import bot.ui.buttons
from bot.telegram.handlers.common import unknown_button
from bot.ui.buttons.base import REGISTRY, BadCallback, CallbackData
from bot.ui.buttons.coach import CoachCard
from bot.ui.buttons.participant import StepDone
from tests.support.builders import seed_coach, seed_participant
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")


def _bot_callback_classes() -> list[type[CallbackData]]:
    for module in pkgutil.iter_modules(bot.ui.buttons.__path__):
        importlib.import_module(f"bot.ui.buttons.{module.name}")
    return [cls for cls in REGISTRY.values() if cls.__module__.startswith("bot.")]


def _unhandled(app, updates: UpdateFactory, classes) -> list[str]:
    """Classes whose presses only the last-resort handler would get."""
    handlers = [h for group in app.handlers.values() for h in group
                if isinstance(h, CallbackQueryHandler) and h.callback is not unknown_button]
    missing = []
    for cls in classes:
        data = cls.prefix + ":" * len(cls.model_fields)
        update = Update.de_json({"update_id": 1, "callback_query": {
            "id": "1", "from": FATIMA.to_dict(), "chat_instance": "c", "data": data}},
            app.bot)
        if not any(handler.check_update(update) for handler in handlers):
            missing.append(cls.__name__)
    return missing


async def test_every_callback_class_has_a_handler(app, updates: UpdateFactory) -> None:
    classes = _bot_callback_classes()
    assert len(classes) > 30
    assert _unhandled(app, updates, classes) == []


async def test_a_class_without_handler_is_found(app, updates: UpdateFactory) -> None:
    class Orphan(CallbackData, prefix="zzorphan"):
        pass

    try:
        assert _unhandled(app, updates, [Orphan]) == ["Orphan"]
    finally:
        del REGISTRY["zzorphan"]


def test_a_duplicate_prefix_fails_at_import() -> None:
    with pytest.raises(ValueError, match="std"):
        class Twin(CallbackData, prefix="std"):
            pass
    assert REGISTRY["std"] is StepDone


@pytest.mark.parametrize("data", ["std:2147483648:0", "std:0:0", "cp:99999999999", "cp:-1"])
def test_ids_are_bounded_everywhere(data: str) -> None:
    cls = StepDone if data.startswith("std") else CoachCard
    with pytest.raises(BadCallback):
        cls.unpack(data)


async def test_refusals_are_given_once_per_press(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id)
    pid = await seed_participant(db, world, clock.now())
    await app.process_update(updates.command(FATIMA, "stappen"))
    cases = [
        (FATIMA, f"cp:{pid}", "Deze knoppen zijn voor coaches."),
        (COACH, "std:1:0", "Deze knoppen zijn voor deelnemers."),
        (FATIMA, "std:abc:0", "Deze knop werkt niet meer. Typ /stappen voor je lijst."),
        (COACH, "cp:abc", "Deze knop werkt niet meer."),
    ]
    for user, data, answer in cases:
        # Any message of that chat will do; refused presses never touch it.
        message = telegram_api.last_message(FATIMA.id)
        before = len(telegram_api.calls)
        await app.process_update(updates.press(user, data, message))
        made = telegram_api.calls[before:]
        assert [c.method for c in made] == ["answerCallbackQuery"]
        assert made[0].params["text"] == answer
