"""Reminders, check-ins and the welcome back: messages the bot sends on its own (outbox kinds
remind / checkin / later / welcome_back), and the "later" choices.

Call inside `using_locale(recipient_locale)`. What a lock screen or a notification shows (the
first 100 characters, a photo's caption) is always one of the headings below (with the person's
name) and a neutral line: never a goal or step text, an amount, debts, benefits, income or
health. The details sit behind a button, or, for reminders, in the message when the participant
chose "show my step texts" (tests/test_discreet_previews.py checks every template and lesson).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import reminders as plan
from bot.core.wording import rotate
from bot.i18n import N_, _, friendly_day, ngettext
from bot.ui.buttons import participant as pb
from bot.ui.buttons.nudges import StepLater, WelcomeBack

MAX_BUNDLED = 8
SHORT_LABEL = 24

HEADINGS_TOMORROW = (
    N_("{name}, a small reminder for tomorrow"),
    N_("Hi {name}, tomorrow is a good day for this"),
    N_("{name}, just so you know what is coming up tomorrow"),
)
HEADINGS_TODAY = (
    N_("{name}, this is planned for today"),
    N_("Hi {name}, one small thing for today"),
    N_("{name}, today is the day for this step"),
)
HEADINGS_SOON = (
    N_("{name}, a look ahead at the coming days"),
    N_("Hi {name}, something to keep in mind"),
)
HEADINGS_CHECKIN = (
    N_("{name}, how did it go?"),
    N_("Hi {name}, a quick question"),
    N_("{name}, curious how it went"),
)
HEADINGS_LATER = (
    N_("{name}, you asked me to remind you"),
    N_("Hi {name}, here it is again, as you asked"),
)
HEADINGS_BUNDLE = (
    N_("{name}, a few steps to keep in mind"),
    N_("Hi {name}, a short overview of your steps"),
    N_("{name}, here is what is planned"),
)
# Sent after a silence, unasked: the person has not come back (yet), so no "welcome back".
HEADINGS_WELCOME_BACK = (
    N_("Hi {name}, a short message from the bot"),
    N_("{name}, the bot is still here for you"),
)
FOOTERS_REMIND = (
    N_("Done? Tap the button. Not today? That is fine, pick a later moment."),
    N_("Small steps count too. Tap a button when it suits you."),
    N_("No rush: you choose when. The buttons below help."),
)
FOOTERS_CHECKIN = (
    N_("Not done yet? That happens to everyone. Pick a new moment or ask for help."),
    N_("Still busy with it? No problem. Choose what fits."),
)

ALL_HEADINGS = (HEADINGS_TOMORROW + HEADINGS_TODAY + HEADINGS_SOON + HEADINGS_CHECKIN
                + HEADINGS_LATER + HEADINGS_BUNDLE + HEADINGS_WELCOME_BACK)


@dataclass(frozen=True)
class NudgeItem:
    step_id: int
    kind: str  # remind / checkin / later
    step_text: str
    goal_text: str
    due: date | None


def _short(text: str) -> str:
    return text if len(text) <= SHORT_LABEL else text[: SHORT_LABEL - 1].rstrip() + "…"


def _heading(items: Sequence[NudgeItem], today: date, salt: int) -> str:
    if len(items) > 1:
        return rotate(HEADINGS_BUNDLE, today, salt)
    item = items[0]
    if item.kind == plan.CHECKIN:
        return rotate(HEADINGS_CHECKIN, today, salt)
    if item.kind == plan.LATER:
        return rotate(HEADINGS_LATER, today, salt)
    if item.due == today:
        return rotate(HEADINGS_TODAY, today, salt)
    if item.due is not None and (item.due - today).days == 1:
        return rotate(HEADINGS_TOMORROW, today, salt)
    return rotate(HEADINGS_SOON, today, salt)


def _count_line(items: Sequence[NudgeItem], today: date) -> str:
    n = len(items)
    if all(item.kind == plan.CHECKIN for item in items):
        return ngettext("You had {n} step planned. Tap below to say how it went.",
                        "You had {n} steps planned. Tap below to say how they went.",
                        n).format(n=n)
    if all(item.due == today for item in items):
        return ngettext("You have {n} step for today.", "You have {n} steps for today.",
                        n).format(n=n)
    if all(item.due is not None and (item.due - today).days == 1 for item in items):
        return ngettext("You have {n} step for tomorrow.", "You have {n} steps for tomorrow.",
                        n).format(n=n)
    return ngettext("You have {n} step to look at.", "You have {n} steps to look at.",
                    n).format(n=n)


def render_nudges(name: str, items: Sequence[NudgeItem], today: date, salt: int,
                  *, show_texts: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    """One message for all of a person's due reminders and check-ins (a bundle). Without the
    participant's "show my step texts" choice it only counts the steps; which ones they are is
    behind the buttons ("My steps", and a bundle's buttons name each step)."""
    items = list(items)[:MAX_BUNDLED]
    lines = [_(_heading(items, today, salt)).format(name=html.escape(name)), ""]
    if not show_texts:
        lines += [_count_line(items, today), "",
                  _(rotate(FOOTERS_CHECKIN if all(i.kind == plan.CHECKIN for i in items)
                           else FOOTERS_REMIND, today, salt))]
        markup = _nudge_buttons(items)
        rows = [*markup.inline_keyboard, [InlineKeyboardButton(
            _("My steps"), callback_data=pb.StepList(view="open", page=0).pack())]]
        return "\n".join(lines), InlineKeyboardMarkup(rows)
    for item in items:
        lines.append(f"<b>{html.escape(item.step_text)}</b>")
        lines.append(_("For your goal: {goal}").format(goal=html.escape(item.goal_text)))
        if item.due is not None:
            key = N_("The date was {day}") if item.due < today else N_("Planned for {day}")
            lines.append(_(key).format(day=friendly_day(item.due, today)))
        lines.append("")
    checkin_only = all(item.kind == plan.CHECKIN for item in items)
    lines.append(_(rotate(FOOTERS_CHECKIN if checkin_only else FOOTERS_REMIND, today, salt)))
    return "\n".join(lines), _nudge_buttons(items)


def _nudge_buttons(items: Sequence[NudgeItem]) -> InlineKeyboardMarkup:
    if len(items) == 1:
        item = items[0]
        checkin = item.kind == plan.CHECKIN
        done = InlineKeyboardButton("✓ " + _("Done"), callback_data=pb.StepDone(
            step=item.step_id, page=0).pack())
        if checkin:
            # Still busy -> a new date (the participants' 'not now' choices); or ask for help.
            return InlineKeyboardMarkup([
                [done, InlineKeyboardButton(_("Still busy"), callback_data=pb.StepStuck(
                    step=item.step_id, page=0).pack())],
                [InlineKeyboardButton(_("Ask for help"), callback_data=pb.StepHelp(
                    step=item.step_id).pack())],
            ])
        return InlineKeyboardMarkup([
            [done, InlineKeyboardButton(_("Later"), callback_data=StepLater(
                step_id=item.step_id, choice="ask").pack())],
            [InlineKeyboardButton(_("Doesn't work out"), callback_data=pb.StepStuck(
                step=item.step_id, page=0).pack())],
        ])
    rows = []
    for item in items:
        rows.append([
            InlineKeyboardButton("✓ " + _short(item.step_text),
                                 callback_data=pb.StepDone(step=item.step_id, page=0).pack()),
            InlineKeyboardButton(_("Later"), callback_data=StepLater(
                step_id=item.step_id, choice="ask").pack()),
            InlineKeyboardButton(_("Help"), callback_data=pb.StepStuck(
                step=item.step_id, page=0).pack()),
        ])
    return InlineKeyboardMarkup(rows)


def later_choices(step_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(_("This evening"),
                              callback_data=StepLater(step_id=step_id, choice="evening").pack())],
        [InlineKeyboardButton(_("Tomorrow"),
                              callback_data=StepLater(step_id=step_id, choice="tomorrow").pack())],
        [InlineKeyboardButton(_("Next week"),
                              callback_data=StepLater(step_id=step_id, choice="week").pack())],
    ])


def render_welcome_back(name: str, overdue: int, today: date, salt: int
                        ) -> tuple[str, InlineKeyboardMarkup]:
    lines = [_(rotate(HEADINGS_WELCOME_BACK, today, salt)).format(name=html.escape(name)), "",
             _("No catching up needed. Life gets busy sometimes; we simply pick up from here.")]
    buttons = []
    if overdue:
        # The same date as flows.reminders.fresh_start: a week from today.
        lines.append(ngettext(
            "{n} step is past its date. One tap gives it a new date, a week from today. Or "
            "look at it first.",
            "{n} steps are past their date. One tap gives them all a new date, a week from "
            "today. Or look at them one by one.", overdue).format(n=overdue))
        buttons.append([InlineKeyboardButton(
            ngettext("New date: in a week", "All steps: in a week", overdue),
            callback_data=WelcomeBack(choice="fresh").pack())])
    buttons.append([InlineKeyboardButton(_("Show my steps"), callback_data=pb.StepList(
        view="open", page=0).pack())])
    buttons.append([InlineKeyboardButton(_("I'd like to talk to my coach"),
                                         callback_data=WelcomeBack(choice="coach").pack())])
    return "\n".join(lines), InlineKeyboardMarkup(buttons)
