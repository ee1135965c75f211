"""The handover's button on the participant's card (issue 13)."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.core.handover_buttons import Handover
from bot.i18n import _


def card_button(participant_id: int) -> InlineKeyboardButton:
    """On the participant's card (handlers.caseload.CARD_BUTTONS)."""
    return InlineKeyboardButton(_("Another coach"),
                                callback_data=Handover(action="ask", pid=participant_id).pack())
