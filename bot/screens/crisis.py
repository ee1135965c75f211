"""The crisis route's words and its home-menu button (issue 13)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton

from bot.core.crisis_buttons import CrisisRoute
from bot.flows import crisis
from bot.i18n import _


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
        lines.append(_("I am sending your coach {name} a message to get in touch with you "
                       "(on working days, between 8:00 and 18:00).")
                     .format(name=html.escape(route.coach_name)))
    return "\n".join(lines)
