"""The participant's home: a few big buttons, /menu, help, and the "I didn't understand" reply.

`home:brug` and `home:cards` are answered by the Brug and cards features; this module answers
`home:menu`, `home:steps` (via handlers.my_steps) and `home:help`.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.core.callbacks import Home
from bot.flows import onboarding
from bot.handlers.conversation import TextRouter, _not_understood
from bot.handlers.crisis import home_button as crisis_home_button
from bot.handlers.help import help_text
from bot.handlers.press import Pressed, PressHandler, has_role
from bot.i18n import _


def home_keyboard() -> InlineKeyboardMarkup:
    # One big button per row: easy to hit and to read, also for people who read poorly.
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(_("📋 My steps"), callback_data=Home(target="steps").pack())],
        [InlineKeyboardButton(_("🌉 My Brug"), callback_data=Home(target="brug").pack())],
        [InlineKeyboardButton(_("💌 My cards"), callback_data=Home(target="cards").pack())],
        [InlineKeyboardButton(_("❓ Help"), callback_data=Home(target="help").pack())],
        [crisis_home_button()],
    ])


def menu_button_row() -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(_("🏠 Menu"), callback_data=Home(target="menu").pack())]


def home_text() -> str:
    return _("What would you like to do?")


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


async def onboarding_needed(update: Update, context: BotContext, *, ask_again: bool = False
                            ) -> bool:
    """For a participant who has not agreed (yet): the consent question instead of the menu.
    Someone who said no gets only a one-line way back, unless they ask (/start, /menu)."""
    from bot.handlers.onboarding import send_consent_question

    who = context.who
    if who is None or who.participant_id is None:
        return False
    profile = await onboarding.profile(context.services.db, who.participant_id)
    if profile is None or profile.consented:
        return False
    if profile.status == "declined" and not ask_again:
        if update.effective_message is not None:
            await update.effective_message.reply_text(
                _("You chose not to take part. Changed your mind? Type /start."))
        return True
    await send_consent_question(update, context, profile)
    return True


async def on_home_button(press: Pressed[Home], context: BotContext) -> None:
    query, target = press.query, press.data.target
    if target == "steps":
        from bot.handlers.my_steps import open_list

        await open_list(press.update, context)
        return
    await query.answer()
    if target == "menu":
        await query.edit_message_text(home_text(), reply_markup=home_keyboard())
    elif target == "help":
        await query.edit_message_text(
            participant_help(), reply_markup=InlineKeyboardMarkup([menu_button_row()])
        )


def participant_help() -> str:
    return help_text(False, True)


async def participant_fallback(update: Update, context: BotContext) -> None:
    """Free text nobody expects: short "I didn't understand" with the menu (participants)."""
    who = context.who
    message = update.effective_message
    if who is None or who.participant_id is None or message is None:
        await _not_understood(update, context)
        return
    if await onboarding_needed(update, context):
        return
    await message.reply_text(
        _("Sorry, I did not understand that. Choose something from the menu:"),
        reply_markup=home_keyboard(),
    )


def register(app: Application, texts: TextRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("menu", send_home))
    # home:brug and home:cards belong to other features; this handler takes the rest.
    app.add_handler(PressHandler(Home, on_home_button, role="participant",
                                 when=lambda home: home.target in ("menu", "steps", "help"),
                                 hint=lambda: _("Type /menu for the menu.")))
    texts.fallback = participant_fallback
