"""The help offered once after a setback, the if-then question and its answer."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.plan_input import IF_THEN_MAX, TextProblem
from bot.flows.setbacks import Setback
from bot.i18n import _
from bot.ui.buttons.participant import StepHelp, StepSmaller
from bot.ui.buttons.setbacks import SetbackChoice


def offer(setback: Setback) -> tuple[str, InlineKeyboardMarkup]:
    intro = _("This step has been moved more than once.") if setback.trigger == "moved" else \
        _("This step is taking a while.")
    text = "\n\n".join([
        f"<b>{html.escape(setback.step_text)}</b>",
        intro + " " + _("That happens to everyone. Often a step is simply too big, or the "
                        "moment does not fit. Would one of these help?"),
    ])
    sid = setback.step_id
    lesson = SetbackChoice(choice=setback.trigger, step=sid).pack()
    return text, InlineKeyboardMarkup([
        [InlineKeyboardButton(_("✂ Make the step smaller"),
                              callback_data=StepSmaller(step=sid).pack())],
        [InlineKeyboardButton(_("🧭 Make an if-then plan"),
                              callback_data=SetbackChoice(choice="if_then", step=sid).pack())],
        [InlineKeyboardButton(_("🙋 Ask my coach for help"),
                              callback_data=StepHelp(step=sid).pack())],
        [InlineKeyboardButton(_("📖 A short lesson about this"),
                              callback_data=lesson)],
    ])


def ask_if_then(step_text: str) -> str:
    return _("An if-then plan links your step to a fixed moment. Finish the sentence:\n"
             "<b>If ..., then ...</b>\n\nFor example: “If I have made coffee, then I open the "
             "letter.”\n\nYour step: {step}\n(/annuleer to stop)").format(
                 step=html.escape(step_text))


def if_then_saved(text: str) -> str:
    return _("Your plan is saved with your goal: <i>{plan}</i>\nYour coach sees it with your "
             "plan.").format(plan=html.escape(text))


def if_then_problem(problem: TextProblem) -> str:
    if problem is TextProblem.TOO_LONG:
        return _("That is a bit long. Please keep it under {max} characters.").format(
            max=IF_THEN_MAX)
    return _("Please type a few words.")


def step_gone() -> str:
    return _("This step is not open (any more). Type /stappen for your list.")
