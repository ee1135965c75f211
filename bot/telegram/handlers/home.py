"""The participant's home: a few big buttons, /menu, help, and the "I didn't understand" reply.

`home:brug` and `home:cards` are answered by the Brug and cards features; this module answers
`home:menu`, `home:steps` (via handlers.my_steps), `home:help` and `home:help_all`.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup
from telegram.ext import Application

from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter, _not_understood
from bot.telegram.handlers.help import help_for_anyone, help_for_coach
from bot.telegram.handlers.my_steps import open_list
from bot.telegram.handlers.onboarding import onboarding_needed
from bot.telegram.handlers.press import Pressed, PressHandler
from bot.telegram.routing import Audience, Command, OnMessage, Said, message_route
from bot.ui.buttons.base import Home
from bot.ui.screens.home import (
    help_keyboard,
    home_keyboard,
    home_text,
    menu_button_row,
    participant_help,
    participant_help_all,
)


async def send_home(said: Said, context: BotContext) -> None:
    """/menu (and /start) for a participant: the home menu, or the consent question first."""
    # /start and /menu are the way back in for someone who said no earlier.
    if await onboarding_needed(said.update, context, said.participant_id, ask_again=True):
        return
    await said.message.reply_text(home_text(), reply_markup=home_keyboard())


# The participant's menu would lead nowhere for anyone else: a coach gets their commands,
# anyone else how to join (a personal link from their coach).
MENU: dict[Audience, OnMessage] = {"participant": send_home, "coach": help_for_coach,
                                   "anyone": help_for_anyone}


async def home_steps(press: Pressed[Home], context: BotContext) -> None:
    await open_list(press.update, context, press.participant_id)


async def home_menu(press: Pressed[Home], context: BotContext) -> None:
    await press.query.answer()
    await press.query.edit_message_text(home_text(), reply_markup=home_keyboard())


async def home_help(press: Pressed[Home], context: BotContext) -> None:
    await press.query.answer()
    await press.query.edit_message_text(participant_help(), reply_markup=help_keyboard())


async def home_help_all(press: Pressed[Home], context: BotContext) -> None:
    await press.query.answer()
    await press.query.edit_message_text(
        participant_help_all(), reply_markup=InlineKeyboardMarkup([menu_button_row()]))


async def participant_fallback(said: Said, context: BotContext) -> None:
    """Free text nobody expects: short "I didn't understand" with the menu (participants)."""
    if await onboarding_needed(said.update, context, said.participant_id):
        return
    await said.message.reply_text(
        _("Sorry, I did not understand that. Choose something from the menu:"),
        reply_markup=home_keyboard(),
    )


async def not_understood(said: Said, context: BotContext) -> None:
    await _not_understood(said.update, context)


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(Command("menu", MENU))
    # home:brug, home:cards and home:talk belong to other features; these take the rest.
    home = {"menu": home_menu, "steps": home_steps, "help": home_help,
            "help_all": home_help_all}
    for target, on_press in home.items():
        app.add_handler(PressHandler(Home, on_press, role="participant", when=target,
                                     hint=lambda: _("Type /menu for the menu.")))
    router.fallback = message_route({"participant": participant_fallback,
                                     "anyone": not_understood})
