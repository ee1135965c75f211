"""Meetings (issue 13): the card button, the participant's messages (planned, moved,
cancelled, reminders) and the coach's message when the participant cannot come. First lines
say "meeting" only: never the place, never what it is about."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import meetings as rules
from bot.core.coach_buttons import CoachCard
from bot.core.meeting_buttons import MeetingAnswer, MeetingCoach
from bot.i18n import N_, _, friendly_day
from bot.screens.crisis import card_markup

if TYPE_CHECKING:
    from bot.flows.meetings import Overview, Saved


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
                   else _("<b>{name}, your meeting is soon</b>"))
    elif what == "cancelled":
        text = "\n".join([
            _("<b>{name}, a meeting is cancelled</b>").format(name=name), "",
            _("The meeting with {coach} of {when} does not go ahead.")
            .format(coach=coach, when=when)])
        return text, None
    elif what == "moved":
        heading = _("<b>{name}, your meeting has moved</b>")
    else:
        heading = _("<b>{name}, a new meeting</b>")
    lines = [heading.format(name=name), "",
             _("With {coach}: {when}").format(coach=coach, when=when),
             _(PLACE_LINES[place]), "", _("Can you make it?")]
    if note:
        # The coach's words may name debts or benefits: last, under a label, so they stay out
        # of what a lock screen shows (the first lines; tests/test_discreet_previews.py).
        lines += ["", _("A note from {coach}:").format(coach=coach), html.escape(note)]
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

# --- the coach's screens (bot/handlers/meetings.py) ---------------------------------------

PLACE_LABELS = {"office": N_("At the office"), "home": N_("At their home"),
                "phone": N_("By phone"), "video": N_("Video call")}
ANSWER_MARKS = {"coming": "✅", "cannot": "❌", None: "…"}
STATUS_LABELS = {"held": N_("held"), "not_held": N_("not held"), "cancelled": N_("cancelled")}


def refusal(why: str) -> str:
    texts = {
        "not_yours": _("This participant is not in your list."),
        "gone": _("This meeting cannot be found."),
        "past": _("That moment has already passed. Please check the day and time."),
        "far": _("That is more than a year from now. Please check the day."),
        "clash": _("There is already a meeting within an hour of that time. "
                   "Please choose another time."),
        "bad_place": _("This button no longer works."),
        "not_yet": _("You can mark this meeting once it has started."),
        "not_planned": _("This meeting is no longer planned."),
        "ended": _("This trajectory has ended."),
    }
    return texts.get(why, _("This button no longer works."))


def back(pid: int) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(_("Back"), callback_data=CoachCard(pid=pid).pack())]


def list_text(found: Overview, pid: int, now: datetime
               ) -> tuple[str, list[list[InlineKeyboardButton]]]:
    zone = ZoneInfo(found.timezone)
    local_now = now.astimezone(zone)
    lines = [_("<b>Meetings with {name}</b>").format(name=html.escape(found.name)),
             _("Times on the clock of {name}.").format(name=html.escape(found.name)), ""]
    rows: list[list[InlineKeyboardButton]] = []
    # The last two months and everything ahead: a long trajectory stays one screen.
    shown = [m for m in found.meetings if m.starts_at > now - timedelta(days=60)]
    if not shown:
        lines.append(_("No meetings planned yet."))
    for m in shown:
        when = when_text(m.starts_at.astimezone(zone), local_now)
        short = m.starts_at.astimezone(zone).strftime("%d-%m %H:%M")
        if m.status == "planned":
            mark = ANSWER_MARKS.get(m.answer, "…")
            answer = {"coming": _("is coming"), "cannot": _("cannot make it")}.get(
                m.answer or "", _("no answer yet"))
            lines.append(f"{mark} {when} · {_(PLACE_LABELS[m.place])} · {answer}")
            if m.starts_at > now:
                rows.append([
                    InlineKeyboardButton(_("Move {when}").format(when=short),
                                         callback_data=MeetingCoach(action="move", pid=pid,
                                                                    m=m.id).pack()),
                    InlineKeyboardButton(_("Cancel {when}").format(when=short),
                                         callback_data=MeetingCoach(action="cancel", pid=pid,
                                                                    m=m.id).pack()),
                ])
            else:
                rows.append([
                    InlineKeyboardButton(_("Held {when}").format(when=short),
                                         callback_data=MeetingCoach(action="held", pid=pid,
                                                                    m=m.id).pack()),
                    InlineKeyboardButton(_("Not held {when}").format(when=short),
                                         callback_data=MeetingCoach(action="nothold", pid=pid,
                                                                    m=m.id).pack()),
                ])
        else:
            lines.append(f"· {when} · {_(STATUS_LABELS[m.status])}")
    return "\n".join(lines), rows


def place_rows(data: MeetingCoach) -> list[list[InlineKeyboardButton]]:
    places = [InlineKeyboardButton(_(PLACE_LABELS[p]), callback_data=data.model_copy(
        update={"action": "place", "place": p}).pack()) for p in rules.PLACES]
    return [places[:2], places[2:], back(data.pid)]


def saved_text(saved: Saved) -> str:
    done = _("The meeting has moved.") if saved.moved else _("The meeting is saved.")
    told = (_("The participant gets a message.") if saved.told
            else _("The participant has no bot (yet), so gets no message."))
    return f"{done} {told}"
