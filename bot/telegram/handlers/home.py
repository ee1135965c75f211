"""The participant's home: a few big buttons, /menu, help, and the "I didn't understand" reply.

`home:brug` and `home:cards` are answered by the Brug and cards features; this module answers
`home:menu`, `home:steps` (via handlers.my_steps), `home:help` and `home:help_all`.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.command_names import names
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter, _not_understood
from bot.telegram.handlers.my_steps import open_list
from bot.telegram.handlers.onboarding import onboarding_needed
from bot.telegram.handlers.press import Pressed, PressHandler, has_role, participant_of
from bot.ui.buttons.base import Home
from bot.ui.screens.home import (
    help_keyboard,
    help_text,
    home_keyboard,
    home_text,
    menu_button_row,
    participant_help,
    participant_help_all,
)


async def send_home(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    who = context.who
    if not has_role(who, "participant"):
        # The participant's menu would lead nowhere: a coach gets their commands, anyone else
        # how to join (a personal link from their coach).
        await message.reply_text(help_text(has_role(who, "coach"), False))
        return
    # /start and /menu are the way back in for someone who said no earlier.
    if await onboarding_needed(update, context, ask_again=True):
        return
    await message.reply_text(home_text(), reply_markup=home_keyboard())


async def on_home_button(press: Pressed[Home], context: BotContext) -> None:
    query, target = press.query, press.data.target
    if target == "steps":
        await open_list(press.update, context)
        return
    await query.answer()
    if target == "menu":
        await query.edit_message_text(home_text(), reply_markup=home_keyboard())
    elif target == "help":
        await query.edit_message_text(participant_help(), reply_markup=help_keyboard())
    elif target == "help_all":
        await query.edit_message_text(
            participant_help_all(), reply_markup=InlineKeyboardMarkup([menu_button_row()])
        )


async def participant_fallback(update: Update, context: BotContext) -> None:
    """Free text nobody expects: short "I didn't understand" with the menu (participants)."""
    who = context.who
    message = update.effective_message
    if participant_of(who) is None or message is None:
        await _not_understood(update, context)
        return
    if await onboarding_needed(update, context):
        return
    await message.reply_text(
        _("Sorry, I did not understand that. Choose something from the menu:"),
        reply_markup=home_keyboard(),
    )


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(names("menu"), send_home))
    # home:brug and home:cards belong to other features; this handler takes the rest.
    app.add_handler(PressHandler(Home, on_home_button, role="participant",
                                 when=lambda home: home.target in ("menu", "steps", "help",
                                                                   "help_all"),
                                 hint=lambda: _("Type /menu for the menu.")))
    router.fallback = participant_fallback
