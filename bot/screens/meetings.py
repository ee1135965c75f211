"""Meetings (issue 13): the card button, the participant's messages (planned, moved,
cancelled, reminders) and the coach's message when the participant cannot come. First lines
say "appointment" only: never the place, never what it is about."""

from __future__ import annotations

import html
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import meetings as rules
from bot.core.meeting_buttons import MeetingAnswer, MeetingCoach
from bot.i18n import N_, _, friendly_day
from bot.screens.crisis import card_markup


def card_button(participant_id: int) -> InlineKeyboardButton:
    """On the participant's card (handlers.caseload.CARD_BUTTONS)."""
    return InlineKeyboardButton(_("📅 Meetings"), callback_data=MeetingCoach(
        action="list", pid=participant_id).pack())


PLACE_LINES = {
    "office": N_("Where: at the office"),
    "home": N_("Where: at your home"),
    "phone": N_("How: by phone"),
    "video": N_("How: a video call"),
}


def when_text(local: datetime, local_now: datetime) -> str:
    """'tomorrow at 14:30', 'friday 14 march at 09:00' (both on the same wall clock)."""
    return _("{day} at {time}").format(day=friendly_day(local.date(), local_now.date()),
                                       time=local.strftime("%H:%M"))


def answer_buttons(meeting_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(_("I'll come"), callback_data=MeetingAnswer(
            a="coming", m=meeting_id).pack()),
        InlineKeyboardButton(_("I can't make it"), callback_data=MeetingAnswer(
            a="cannot", m=meeting_id).pack()),
    ]])


def render(kind: str, what: str, name: str, coach: str, when: str, place: str,
           note: str | None, meeting_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    name, coach = html.escape(name), html.escape(coach)
    if kind == rules.MEETING_REMINDER:
        heading = (_("<b>{name}, a reminder for tomorrow</b>") if what == "d-1"
                   else _("<b>{name}, your appointment is soon</b>"))
    elif what == "cancelled":
        text = "\n".join([
            _("<b>{name}, an appointment is cancelled</b>").format(name=name), "",
            _("The appointment with {coach} of {when} does not go ahead.")
            .format(coach=coach, when=when)])
        return text, None
    elif what == "moved":
        heading = _("<b>{name}, your appointment has moved</b>")
    else:
        heading = _("<b>{name}, a new appointment</b>")
    lines = [heading.format(name=name), "",
             _("With {coach}: {when}").format(coach=coach, when=when),
             _(PLACE_LINES[place])]
    if note:
        lines.append(html.escape(note))
    lines += ["", _("Can you make it?")]
    return "\n".join(lines), answer_buttons(meeting_id)


def render_meeting_notice(name: str, pid: int, when: str, call_me: bool
                          ) -> tuple[str, InlineKeyboardMarkup]:
    name = html.escape(name)
    lines = [_("<b>{name}: about your meeting</b>").format(name=name), "",
             _("{name} cannot make the meeting of {when}.").format(name=name, when=when)]
    if call_me:
        lines.append(_("{name} asks you to call to find another moment.").format(name=name))
    else:
        lines.append(_("{name} would like another day. You can plan it from the card.")
                     .format(name=name))
    return "\n".join(lines), card_markup(pid)
