"""The participant's home menu, the menu button under other screens, and /help's text."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import _
from bot.ui.buttons.base import Home
from bot.ui.screens.crisis import home_button as crisis_home_button


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
            "/overzicht - what happened this week, and who needs you\n"
            "/nieuw - add a participant and make their invite (link and QR code)\n"
            "/instellingen - your name, weekly overview and working hours\n"
            "/annuleer - stop what you are doing, nothing is saved\n"
            "/privacy - your data and your rights\n"
            "/help - this message"
        )
    if is_participant:
        return participant_help()
    return _(
        "This bot helps people who work on small steps together with a coach.\n\n"
        "To join, ask your coach for your personal link.\n\n"
        "/hulp - who to call when things are very hard"
    )


def participant_help() -> str:
    """Short: the three things people do most, and where to turn when things are very hard.
    Everything else is one tap away (`participant_help_all`)."""
    return _(
        "<b>What you can do</b>\n\n"
        "📋 /stappen - see your steps. Done with one? Tap ✓.\n"
        "🤔 A step does not work out? Tap \"Not now\" next to it: a new day, help from your "
        "coach, or a smaller step.\n"
        "🗣 Talk to your coach? Tap \"I'd like to talk to my coach\" in the /menu.\n\n"
        "No messages for a while? /pauze. Very hard right now? /hulp"
    )


def participant_help_all() -> str:
    return _(
        "<b>Everything the bot can do</b>\n\n"
        "/stappen - your steps: tick off what is done\n"
        "/doel - add a goal of your own\n"
        "/brug - your Brug: see it, or fill it in\n"
        "/kaartjes - your cards\n"
        "/les - a short lesson about stress\n"
        "/instellingen - language, times, lessons and breaks\n"
        "/pauze - a break from messages\n"
        "/verder - start again after a break\n"
        "/menu - the menu\n"
        "/annuleer - stop what you are doing\n"
        "/hulp - who to call when things are very hard\n"
        "/privacy - your data and your rights\n\n"
        "Your coach sees your goals, steps and Brug. Researchers only get numbers, without "
        "your name."
    )


def help_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(_("📋 My steps"), callback_data=Home(target="steps").pack())],
        [InlineKeyboardButton(_("Everything the bot can do"),
                              callback_data=Home(target="help_all").pack())],
        menu_button_row(),
    ])
