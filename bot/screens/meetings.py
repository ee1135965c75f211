"""The meetings button on the participant's card (issue 13)."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.core.meeting_buttons import MeetingCoach
from bot.i18n import _


def card_button(participant_id: int) -> InlineKeyboardButton:
    """On the participant's card (handlers.caseload.CARD_BUTTONS)."""
    return InlineKeyboardButton(_("📅 Meetings"), callback_data=MeetingCoach(
        action="list", pid=participant_id).pack())
