"""Rewards as the participant sees them: the overview and the "you earned" message (outbox
kind reward), and amounts in the reader's locale."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from babel.numbers import format_currency

from bot.i18n import _, current_locale
from bot.storage.models import RewardStatus

if TYPE_CHECKING:
    from bot.flows.rewards import ParticipantRewards


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


def render_reward_earned(overview: ParticipantRewards | None) -> str:
    return (_("You earned a reward. Your coach will hand it out.") + "\n\n"
            + reward_overview_text(overview))
