"""Thin Telegram glue. `register` is the single list of what answers what."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, TypeHandler

from bot.handlers.common import on_error, resolve_who
from bot.handlers.help import show_help
from bot.handlers.start import start

# Group -1 runs before everything else; features register in group 0.
IDENTITY_GROUP = -1


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, resolve_who), group=IDENTITY_GROUP)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", show_help))
    app.add_error_handler(on_error)
