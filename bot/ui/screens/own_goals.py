"""A goal of the participant's own: the questions, the pillar buttons and the answer."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.plan_input import GOAL_MAX, WHY_MAX, TextProblem
from bot.i18n import _
from bot.ui.buttons.own_goals import OwnGoal
from bot.ui.screens.home import home_keyboard


def ask_what() -> str:
    return _("A goal of your own. What do you want to reach? Type it in your own words "
             "(at most {n} characters).\n(/annuleer to stop)").format(n=GOAL_MAX)


def ask_why() -> str:
    return _("Why does this matter to you? Type it in a few words.")


def ask_pillar(labels: dict[str, str]) -> tuple[str, InlineKeyboardMarkup]:
    rows = [[InlineKeyboardButton(label, callback_data=OwnGoal(at="pillar", pillar=key).pack())]
            for key, label in labels.items()]
    rows.append([InlineKeyboardButton(_("Skip"), callback_data=OwnGoal(at="pillar").pack())])
    return _("Which part of your life is it about? Tap one, or skip."), \
        InlineKeyboardMarkup(rows)


def tap_a_pillar() -> str:
    return _("Tap one of the buttons above, or “Skip”.")


def ask_step() -> tuple[str, InlineKeyboardMarkup]:
    return _("What is a first small step? Type it, or tap “No step yet”."), InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("No step yet"), callback_data=OwnGoal(at="step").pack())]])


def text_problem(problem: TextProblem, limit: int) -> str:
    if problem is TextProblem.TOO_LONG:
        return _("That is a bit long. Please keep it under {max} characters.").format(max=limit)
    return _("Please type a few words.")


def what_problem(problem: TextProblem) -> str:
    return text_problem(problem, GOAL_MAX)


def why_problem(problem: TextProblem) -> str:
    return text_problem(problem, WHY_MAX)


def saved(goal: str, with_step: bool) -> tuple[str, InlineKeyboardMarkup]:
    lines = [_("Your goal is saved: <b>{goal}</b>").format(goal=html.escape(goal))]
    if with_step:
        lines.append(_("Your first step is on your list."))
    lines.append(_("Your coach sees it with your plan, marked as your own idea. You can "
                   "work it out together."))
    return "\n\n".join(lines), home_keyboard()
