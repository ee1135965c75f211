"""The handover's button on the participant's card and the participant's message (issue 13)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton

from bot.core.handover_buttons import Handover
from bot.i18n import _


def card_button(participant_id: int) -> InlineKeyboardButton:
    """On the participant's card (handlers.caseload.CARD_BUTTONS)."""
    return InlineKeyboardButton(_("Another coach"),
                                callback_data=Handover(action="ask", pid=participant_id).pack())


def render_handover(name: str, coach_name: str) -> str:
    """To the participant (a prompt kind, bot.core.reminders.HANDOVER); first line discreet."""
    name, coach = html.escape(name), html.escape(coach_name)
    return "\n".join([
        _("<b>Hi {name}, news about your coach</b>").format(name=name), "",
        _("From now on {coach} is your coach.").format(coach=coach),
        _("Your steps, your Brug, your cards and everything you did stay as they are. "
          "{coach} can see them now.").format(coach=coach),
    ])
