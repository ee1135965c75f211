"""The participant hears that the coach changed the plan (outbox kind plan_notice)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import _, ngettext
from bot.ui.buttons.base import Home


def render_plan_notice(kind: str, steps: int, coach_name: str
                       ) -> tuple[str, InlineKeyboardMarkup]:
    """The coach put something in the plan. The first line is what a lock screen shows: it names
    no goal, debt or benefit."""
    coach = html.escape(coach_name)
    if kind == "new_goal":
        body = ngettext(
            "Your coach {coach} put a new goal in your plan, with {n} small step.",
            "Your coach {coach} put a new goal in your plan, with {n} small steps.",
            steps).format(coach=coach, n=steps)
        if steps == 0:
            body = _("Your coach {coach} put a new goal in your plan.").format(coach=coach)
    elif kind == "new_steps":
        body = ngettext("Your coach {coach} added {n} step to your plan.",
                        "Your coach {coach} added {n} steps to your plan.",
                        steps).format(coach=coach, n=steps)
    else:
        body = _("Your coach {coach} changed a few things in your plan.").format(coach=coach)
    text = body + "\n" + _("Have a look whenever it suits you.")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(
        _("My steps"), callback_data=Home(target="steps").pack())]])
    return text, markup
