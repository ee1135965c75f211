"""Meetings (issue 13): the card button, the participant's messages (planned, moved,
cancelled, reminders), the participant's "another day" screens, and how a wish reads for the
coach (meetings screen, push, digest, card). First lines say "meeting" only: never the place,
never what it is about."""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import meetings as rules
from bot.core.meetings import Part, Wish
from bot.i18n import N_, _, format_date, friendly_day
from bot.ui.buttons.coach import CoachCard
from bot.ui.buttons.meetings import MeetingAnswer, MeetingCoach, MeetingWish

if TYPE_CHECKING:
    from bot.flows.meetings import Overview, Saved, WishOffer, WishSent


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


# --- "I can't make it": the participant's wish ------------------------------------------------

PART_LABELS = {"morning": N_("morning"), "afternoon": N_("afternoon"),
               "evening": N_("evening")}


def day_number(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def wished(day: date, part: str) -> str:
    """'Friday 13 March, morning'."""
    return _("{day}, {part}").format(day=format_date(day, "EEEE d MMMM"),
                                     part=_(PART_LABELS[part]))


def cannot_choice(meeting_id: int) -> tuple[str, InlineKeyboardMarkup]:
    return _("That is fine. What would you like?"), InlineKeyboardMarkup([
        [InlineKeyboardButton(_("Choose another day"), callback_data=MeetingAnswer(
            a="other_day", m=meeting_id).pack())],
        [InlineKeyboardButton(_("Ask my coach to call me"), callback_data=MeetingAnswer(
            a="call", m=meeting_id).pack())],
    ])


def offer_screen(offer: WishOffer) -> tuple[str, InlineKeyboardMarkup]:
    """A few concrete days and parts of the day, one big button each; or type a date."""
    rows = [[InlineKeyboardButton(wished(day, part), callback_data=MeetingWish(
        m=offer.meeting_id, day=day_number(day), part=part).pack())]
        for day in offer.days for part in offer.parts]
    rows.append([InlineKeyboardButton(_("Another date: I'll type it"), callback_data=MeetingAnswer(
        a="type_day", m=offer.meeting_id).pack())])
    rows.append([InlineKeyboardButton(_("Ask my coach to call me instead"),
                                      callback_data=MeetingAnswer(a="call",
                                                                  m=offer.meeting_id).pack())])
    return _("Which day would suit you better?"), InlineKeyboardMarkup(rows)


def ask_day() -> str:
    return _("Which day would suit you? Type for example: friday, 12-3 or 12 march.\n"
             "(/annuleer to stop)")


def day_problem(why: str) -> str:
    texts = {
        "unclear": _("I do not understand that date. Type for example: friday, 12-3 or "
                     "12 march.\n(/annuleer to stop)"),
        "day_past": _("Please choose a day from tomorrow on."),
        "day_far": _("That is more than a year from now. Please choose an earlier day."),
    }
    return texts.get(why, texts["unclear"])


def parts_screen(meeting_id: int, day: date, parts: tuple[Part, ...]
                 ) -> tuple[str, InlineKeyboardMarkup]:
    return _("Which part of {day}?").format(day=format_date(day, "EEEE d MMMM")), \
        InlineKeyboardMarkup([[InlineKeyboardButton(_(PART_LABELS[part]).capitalize(),
                                                    callback_data=MeetingWish(
            m=meeting_id, day=day_number(day), part=part).pack())] for part in parts])


def wish_sent(sent: WishSent) -> str:
    coach = sent.coach_name
    if not sent.coach_told:
        return _("Thank you, I have saved it. But I cannot send your coach a message right "
                 "now. Please contact {coach} yourself.").format(coach=coach)
    wish = sent.wish
    if wish.kind == "call" or wish.day is None or wish.part is None:
        return _("Thank you. {coach} gets a message during working hours, with your "
                 "question to call you.").format(coach=coach)
    return "\n".join([
        _("Thank you. {coach} gets a message during working hours that you would like "
          "{wish}.").format(coach=coach, wish=wished(wish.day, wish.part)),
        _("When {coach} moves the meeting, you get a message.").format(coach=coach)])


def wish_refusal(why: str) -> str:
    if why == "past":
        return _("This meeting has already started.")
    if why in ("day_past", "day_far"):
        return day_problem(why)
    return _("This meeting has changed. Look at the latest message about it.")


# --- a wish as the coach reads it (meetings screen, push, digest, card) -------------------------


def short_when(local: datetime) -> str:
    """'Thu 12 Mar 14:30' on the participant's clock."""
    return f"{format_date(local.date(), 'EEE d MMM')} {local.strftime('%H:%M')}"


def wish_line(wish: Wish) -> str:
    """'cannot make the meeting of Thu 12 Mar 14:30; would like Friday 13 March, morning'."""
    when = short_when(wish.local)
    if wish.kind == "other_day" and wish.day is not None and wish.part is not None:
        return _("cannot make the meeting of {when}; would like {wish}").format(
            when=when, wish=wished(wish.day, wish.part))
    if wish.kind == "other_day":
        return _("cannot make the meeting of {when} and would like another day").format(
            when=when)
    if wish.kind == "cannot":
        return _("cannot make the meeting of {when}").format(when=when)
    return _("cannot make the meeting of {when} and asks you to call").format(when=when)


def wish_rows(wish: Wish, pid: int) -> list[list[InlineKeyboardButton]]:
    """One tap to move the meeting to the wished day, or choose another time on it; or mark
    it handled (after a call, say)."""
    rows = []
    proposal = wish.proposal
    if proposal is not None:
        day, at = proposal
        when = f"{format_date(day, 'EEE d MMM')} {at.strftime('%H:%M')}"
        rows.append([
            InlineKeyboardButton(_("✔ Move to {when}").format(when=when),
                                 callback_data=MeetingCoach(
                                     action="accept", pid=pid, m=wish.meeting_id,
                                     day=day_number(day), hm=at.hour * 100 + at.minute).pack()),
            InlineKeyboardButton(_("Another time"), callback_data=MeetingCoach(
                action="other", pid=pid, m=wish.meeting_id, day=day_number(day)).pack())])
    rows.append([InlineKeyboardButton(
        _("✔ Handled: meeting {when}").format(when=wish.local.strftime("%d-%m %H:%M")),
        callback_data=MeetingCoach(action="handled", pid=pid, m=wish.meeting_id).pack())])
    return rows


# --- the coach's screens (telegram/handlers/meetings.py) ---

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
        "handled": _("This request was already handled. The meetings show how things are "
                     "now."),
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
            if m.wish is not None:
                lines.append("   " + html.escape(wish_line(m.wish)))
                rows.extend(wish_rows(m.wish, pid))
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
