"""The handover's button on the participant's card and the participant's message (issue 13)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton

from bot.i18n import _
from bot.ui.buttons.handover import Handover

if TYPE_CHECKING:
    from bot.flows.handover import RefusedWhy


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


def refusal(why: RefusedWhy) -> str:
    texts = {
        "not_yours": _("This participant is not in your list."),
        "ended": _("This trajectory has ended."),
        "no_such_coach": _("That coach cannot be chosen."),
        "other_organisation": _("That coach works for another organisation."),
        "same_coach": _("That is already the coach."),
    }
    return texts[why]
