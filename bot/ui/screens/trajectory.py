"""Ending a trajectory, as the coach sees it: the reasons, the confirmation, the outcome."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.trajectory import END_REASONS
from bot.i18n import N_, _
from bot.ui.buttons.coach import CoachCard, CoachList
from bot.ui.buttons.trajectory import EndTrajectory

REASON_LABELS = {
    "goals_reached": N_("Goals reached"),
    "no_contact": N_("No contact any more"),
    "does_not_continue": N_("Does not want to continue"),
    "moved": N_("Moved"),
    "deceased": N_("Deceased"),
    "handed_over": N_("Handed over to other help"),
    "other": N_("Other reason"),
}

Screen = tuple[str, InlineKeyboardMarkup]


def card_button(participant_id: int) -> InlineKeyboardButton:
    """On the participant's card in the coach menu (handlers.caseload.CARD_BUTTONS)."""
    return InlineKeyboardButton(_("End trajectory"),
                                callback_data=EndTrajectory(action="ask",
                                                            pid=participant_id).pack())


def _back(pid: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(_("Back"), callback_data=CoachCard(pid=pid).pack())


def _done_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("All participants"),
                                                       callback_data=CoachList().pack())]])


def reasons(name: str, pid: int) -> Screen:
    rows = [[InlineKeyboardButton(_(REASON_LABELS[r]), callback_data=EndTrajectory(
        action="pick", pid=pid, reason=r).pack())] for r in END_REASONS]
    rows.append([_back(pid)])
    return (_("Why does the trajectory of {name} end?").format(name=html.escape(name)),
            InlineKeyboardMarkup(rows))


def confirm(name: str, pid: int, reason: str, farewell: bool) -> Screen:
    name = html.escape(name)
    lines = [_("End the trajectory of {name}?").format(name=name),
             _("Reason: {reason}").format(reason=_(REASON_LABELS[reason])), ""]
    if farewell:
        lines.append(_("{name} gets one short closing message from the bot. After that "
                       "the bot sends nothing more.").format(name=name))
    else:
        lines.append(_("The bot sends {name} no more messages, and no closing message "
                       "either.").format(name=name))
    lines.append(_("What was recorded stays for the evaluation."))
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton(_("Yes, end the trajectory"), callback_data=EndTrajectory(
            action="yes", pid=pid, reason=reason).pack())],  # type: ignore[arg-type]
        [_back(pid)],
    ])
    return "\n".join(lines), markup


def ended(name: str, farewell: bool) -> Screen:
    name = html.escape(name)
    lines = [_("The trajectory of {name} has ended.").format(name=name)]
    if farewell:
        lines.append(_("The bot sends {name} one short closing message.").format(name=name))
    return "\n".join(lines), _done_keyboard()


def already_ended(name: str) -> Screen:
    return (_("The trajectory of {name} has already ended.").format(name=html.escape(name)),
            _done_keyboard())
