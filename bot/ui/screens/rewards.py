"""Rewards as the participant sees them: the overview and the "you earned" message (outbox
kind reward), and amounts in the reader's locale."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from babel.numbers import format_currency
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows.rewards import Refused, RewardProblem
from bot.i18n import _, current_locale
from bot.storage.models import RewardStatus
from bot.ui.buttons.rewards import (
    RewardConfirm,
    RewardHandOut,
    RewardsMine,
    RewardTag,
    RewardUntag,
)

if TYPE_CHECKING:
    from bot.flows.rewards import CoachRewards, KindOption, ParticipantRewards

MAX_LISTED = 30  # buttons per overview; Telegram allows 100 in all


def money(cents: int) -> str:
    return format_currency(cents / 100, "EUR", locale=current_locale())


def reward_overview_text(overview: ParticipantRewards | None) -> str:
    """The participant's rewards: earned (handed out or not) and coming."""
    if overview is None:
        return _("Your organisation does not use rewards.")
    lines = [_("<b>Your rewards</b>"),
             _("Earned this year: {amount}").format(amount=money(overview.earned_this_year_cents))]
    if overview.earned:
        lines.append("")
        for item in overview.earned:
            state = (_("handed out") if item.status == RewardStatus.HANDED_OUT.value
                     else _("your coach will hand it out"))
            lines.append(f"• {html.escape(item.kind_name)}: {money(item.amount_cents)} ({state})")
    if overview.coming:
        lines += ["", _("<b>Coming</b>: when the step is done and your coach confirms it.")]
        for item in overview.coming:
            step = f" – “{html.escape(item.step_text)}”" if item.step_text else ""
            lines.append(f"• {html.escape(item.kind_name)}: {money(item.amount_cents)}{step}")
    if not overview.earned and not overview.coming:
        lines += ["", _("No rewards yet. Your coach can link a reward to a step you plan "
                        "together.")]
    return "\n".join(lines)


def render_reward_earned(overview: ParticipantRewards | None
                         ) -> tuple[str, InlineKeyboardMarkup]:
    """Amounts and steps stay behind the button: a lock screen shows only the first line."""
    del overview  # shown by the button (the participant's own /beloningen screen)
    return (_("You earned a reward. Your coach will hand it out."),
            InlineKeyboardMarkup([[InlineKeyboardButton(
                _("My rewards"), callback_data=RewardsMine().pack())]]))



def problem_text(refused: Refused) -> str:
    if refused.problem is RewardProblem.OVER_BUDGET:
        return _(
            "This reward ({amount}) does not fit in this year's budget. {promised} of {budget} "
            "is already promised or earned, so {left} is left."
        ).format(amount=money(refused.amount_cents), promised=money(refused.committed_cents),
                 budget=money(refused.budget_cents), left=money(refused.remaining_cents))
    texts = {
        RewardProblem.DISABLED: _("Your organisation does not use rewards."),
        RewardProblem.NOT_YOURS: _("This is not one of your participants' steps."),
        RewardProblem.UNKNOWN_KIND: _("This reward is not on your organisation's list."),
        RewardProblem.STEP_HAS_REWARD: _("This step already has a reward. Take that one off "
                                         "first."),
        RewardProblem.STEP_NOT_OPEN: _("A reward can only be added to a step that is still "
                                       "open."),
        RewardProblem.KIND_USED: _("Each reward can be earned once. This one is already "
                                   "used for this participant."),
        RewardProblem.STEP_NOT_DONE: _("The step is not done yet. Confirm the reward once "
                                       "it is done."),
        RewardProblem.WRONG_STATE: _("This has already been done."),
    }
    return texts[refused.problem]


def coach_overview(overview: CoachRewards) -> tuple[str, InlineKeyboardMarkup | None]:
    """The coach's /beloningen: rewards to confirm and to hand out, a button for each."""
    if not overview.to_confirm and not overview.to_hand_out:
        return _("There are no rewards to confirm or hand out right now."), None
    lines: list[str] = []
    rows: list[list[InlineKeyboardButton]] = []
    if overview.to_confirm:
        lines.append(_("<b>Step done, reward to confirm</b>"))
        for item in overview.to_confirm[:MAX_LISTED]:
            lines.append(f"• {html.escape(item.participant_name)}: "
                         f"{html.escape(item.kind_name)}, {money(item.amount_cents)}")
            rows.append([InlineKeyboardButton(
                _("Confirm: {name}, {amount}").format(name=item.participant_name,
                                                      amount=money(item.amount_cents)),
                callback_data=RewardConfirm(entry_id=item.entry_id).pack())])
    if overview.to_hand_out:
        if lines:
            lines.append("")
        lines.append(_("<b>Earned, to hand out</b>"))
        for item in overview.to_hand_out[:MAX_LISTED]:
            lines.append(f"• {html.escape(item.participant_name)}: "
                         f"{html.escape(item.kind_name)}, {money(item.amount_cents)}")
            rows.append([InlineKeyboardButton(
                _("Handed out: {name}, {amount}").format(name=item.participant_name,
                                                         amount=money(item.amount_cents)),
                callback_data=RewardHandOut(entry_id=item.entry_id).pack())])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def tag_menu(step_id: int, options: list[KindOption]) -> tuple[str, InlineKeyboardMarkup]:
    """The rewards a step can earn (the coach's step view, "€")."""
    rows = [[InlineKeyboardButton(f"{money(o.amount_cents)} · {o.name}",
                                  callback_data=RewardTag(step_id=step_id,
                                                          kind=o.key).pack())]
            for o in options if o.problem is None]
    rows.append([InlineKeyboardButton(_("Take the reward off this step"),
                                      callback_data=RewardUntag(step_id=step_id).pack())])
    text = _("Which reward does this step earn? Rewards are for real effort; each kind is "
             "earned once.")
    unavailable = [o for o in options if o.problem is not None]
    if unavailable:
        text += "\n\n" + _("Not available now:") + "\n" + "\n".join(
            f"• {html.escape(o.name)}: " + (
                _("already used") if o.problem is RewardProblem.KIND_USED
                else _("does not fit in this year's budget"))
            for o in unavailable)
    return text, InlineKeyboardMarkup(rows)
