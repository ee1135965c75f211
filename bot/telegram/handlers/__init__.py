"""Thin Telegram glue. `register` is the single list of what answers what.

Each feature module offers `register(app, router)`: it adds its command and button handlers to
group 0 and its conversation steps (typed text, flow buttons) to the one ConversationRouter.
The router's catch-all text handler goes last, so a specific handler always wins.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, TypeHandler

from bot.telegram.handlers import (
    brug,
    cards,
    caseload,
    coach_onboarding,
    crisis,
    digest,
    handover,
    lessons,
    meetings,
    own_goals,
    plan_edit,
    plan_flow,
    privacy,
    reminders,
    rewards,
    setbacks,
    settings,
    trajectory,
)
from bot.telegram.handlers.access import guard as access_guard
from bot.telegram.handlers.common import on_error, resolve_who, unknown_button
from bot.telegram.handlers.conversation import ConversationRouter, register_cancel, register_router
from bot.telegram.handlers.help import HELP
from bot.telegram.handlers.participants import register as participant_features
from bot.telegram.handlers.start import START
from bot.telegram.routing import Command

# Group -2 (who is writing) runs first, then -1 (the access guard), then the features in 0.
IDENTITY_GROUP = -2
ACCESS_GROUP = -1


def register(app: Application) -> None:  # type: ignore[type-arg]
    router = ConversationRouter()
    app.bot_data["router"] = router
    app.add_handler(TypeHandler(Update, resolve_who), group=IDENTITY_GROUP)
    app.add_handler(TypeHandler(Update, access_guard), group=ACCESS_GROUP)
    app.add_handler(Command("start", START))
    app.add_handler(Command("help", HELP))
    register_cancel(app)
    # Before any other text handler: a crisis phrase is answered first, whatever the flow.
    crisis.register(app, router)
    # Feature modules register here, in this order: (app, router).
    participant_features(app, router)
    coach_onboarding.register(app, router)
    caseload.register(app, router)
    digest.register(app, router)
    plan_flow.register(app, router)
    plan_edit.register(app, router)
    brug.register(app, router)
    cards.register(app, router)
    rewards.register(app, router)
    reminders.register(app, router)
    lessons.register(app, router)
    trajectory.register(app, router)
    settings.register(app, router)
    own_goals.register(app, router)
    setbacks.register(app, router)
    privacy.register(app, router)
    handover.register(app, router)
    meetings.register(app, router)
    # After every feature: the router's catch-all for text; presses no one claimed still get
    # an answer.
    register_router(app, router)
    app.add_handler(CallbackQueryHandler(unknown_button))
    app.add_error_handler(on_error)
