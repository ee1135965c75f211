"""The crisis route's words, its home-menu button, and the message to the coach (issue 13).
The coach's message names no health in its first line."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows import crisis
from bot.i18n import _
from bot.ui.buttons.coach import CoachCard
from bot.ui.buttons.crisis import CrisisRoute


def home_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(_("🆘 Help in a crisis"), callback_data=CrisisRoute().pack())


def route_text(route: crisis.Route) -> str:
    lines = [
        _("<b>Is it very hard right now? You do not have to carry this alone.</b>"),
        "",
        _("• Danger right now? Call <b>112</b>."),
        _("• Dark thoughts, or thinking about ending your life? Call 113 Zelfmoordpreventie: "
          "<b>0800-0113</b> (free, day and night), or chat at 113.nl."),
        _("• Your GP. In the evening, at night and at the weekend: the GP out-of-hours "
          "service (huisartsenpost)."),
    ]
    if route.coach_name:
        coach = html.escape(route.coach_name)
        if route.coach_phone:
            lines.append(_("• Your coach {name}: {phone}").format(
                name=coach, phone=html.escape(route.coach_phone)))
        else:
            lines.append(_("• Your coach {name}.").format(name=coach))
    for number in route.local:
        lines.append(f"• {html.escape(number.label)}: {html.escape(number.number)}")
    lines += ["", _("This bot cannot help in an emergency. Call one of these numbers.")]
    if route.coach_told and route.coach_name:
        lines.append(_("I am sending your coach {name} a message to get in touch with you, "
                       "during their working hours.")
                     .format(name=html.escape(route.coach_name)))
    return "\n".join(lines)


def render_crisis_notice(name: str, pid: int) -> tuple[str, InlineKeyboardMarkup]:
    name = html.escape(name)
    text = "\n".join([
        _("<b>{name}: please get in touch soon</b>").format(name=name),
        "",
        _("{name} typed words to the bot that can mean things are very hard right now.")
        .format(name=name),
        _("The bot showed {name} the help numbers (112, 113, the GP) and your name.")
        .format(name=name),
        _("The bot does not store what was typed."),
    ])
    return text, card_markup(pid)


def card_markup(pid: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        _("Open the card"), callback_data=CoachCard(pid=pid).pack())]])
