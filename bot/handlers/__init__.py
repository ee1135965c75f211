"""Thin Telegram glue. `register` is the single list of what answers what.

Each feature module offers `register(app, texts)`: it adds its command and button handlers to
group 0 and its free-text flow steps to the shared TextRouter. The router's catch-all text
handler goes last, so a specific handler always wins.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, TypeHandler

from bot.handlers import (
    brug,
    cards,
    caseload,
    coach_onboarding,
    lessons,
    plan_edit,
    plan_flow,
    reminders,
    rewards,
    settings,
    trajectory,
)
from bot.handlers.common import on_error, resolve_who, unknown_button
from bot.handlers.conversation import TextRouter, register_cancel, register_text_router
from bot.handlers.help import show_help
from bot.handlers.participants import register as participant_features
from bot.handlers.start import start

# Group -1 runs before everything else; features register in group 0.
IDENTITY_GROUP = -1


def register(app: Application) -> None:  # type: ignore[type-arg]
    texts = TextRouter()
    app.bot_data["texts"] = texts
    app.add_handler(TypeHandler(Update, resolve_who), group=IDENTITY_GROUP)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", show_help))
    register_cancel(app)
    # Feature modules register here, in this order: (app, texts).
    participant_features(app, texts)
    coach_onboarding.register(app, texts)
    caseload.register(app, texts)
    plan_flow.register(app, texts)
    plan_edit.register(app, texts)
    brug.register(app, texts)
    cards.register(app, texts)
    rewards.register(app, texts)
    reminders.register(app, texts)
    lessons.register(app, texts)
    trajectory.register(app, texts)
    settings.register(app, texts)
    # After every feature: presses no feature claimed still get an answer.
    app.add_handler(CallbackQueryHandler(unknown_button))
    register_text_router(app, texts)
    app.add_error_handler(on_error)
