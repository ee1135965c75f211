"""The participant's home menu, the menu button under other screens, and /help's text."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.callbacks import Home
from bot.i18n import _
from bot.screens.crisis import home_button as crisis_home_button


def home_keyboard() -> InlineKeyboardMarkup:
    # One big button per row: easy to hit and to read, also for people who read poorly.
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(_("📋 My steps"), callback_data=Home(target="steps").pack())],
        [InlineKeyboardButton(_("🌉 My Brug"), callback_data=Home(target="brug").pack())],
        [InlineKeyboardButton(_("💌 My cards"), callback_data=Home(target="cards").pack())],
        [InlineKeyboardButton("🗣 " + _("I'd like to talk to my coach"),
                              callback_data=Home(target="talk").pack())],
        [InlineKeyboardButton(_("❓ Help"), callback_data=Home(target="help").pack())],
        [crisis_home_button()],
    ])


def menu_button_row() -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(_("🏠 Menu"), callback_data=Home(target="menu").pack())]


def home_text() -> str:
    return _("What would you like to do?")


def help_text(is_coach: bool, is_participant: bool) -> str:
    if is_coach:
        return _(
            "This bot helps you support your participants between meetings.\n\n"
            "/deelnemers - your participants at a glance; tap one for the card and the plans\n"
            "/nieuw - add a participant and make their invite (link and QR code)\n"
            "/annuleer - stop what you are doing, nothing is saved\n"
            "/help - this message"
        )
    if is_participant:
        return _(
            "This bot helps you with the steps you planned with your coach.\n\n"
            "/stappen - your steps: tick off what is done\n"
            "/brug - your Brug: see it, or fill it in\n"
            "/kaartjes - your cards\n"
            "/les - a short lesson about stress\n"
            "/menu - the menu\n"
            "/pauze - a break from messages\n"
            "/verder - start again after a break\n"
            "/annuleer - stop what you are doing\n"
            "/hulp - who to call when things are very hard\n"
            "/help - this message\n\n"
            "Does a step not work out right now? Tap \"Not now\" next to it: choose a new "
            "day, ask your coach for help, or make the step smaller.\n\n"
            "Your coach sees your steps. Researchers only get numbers, without your name. "
            "/privacy - your data and your rights"
        )
    return _(
        "This bot helps people who work on small steps together with a coach.\n\n"
        "To join, ask your coach for your personal link.\n\n"
        "/hulp - who to call when things are very hard"
    )


def participant_help() -> str:
    return help_text(False, True)
