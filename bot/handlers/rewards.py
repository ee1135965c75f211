"""Rewards: /beloningen for participants (what I earned, what is coming) and for coaches (to
confirm, to hand out); tagging a step from the coach's step view (RewardTagMenu)."""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.core.reward_buttons import (
    RewardConfirm,
    RewardHandOut,
    RewardsMine,
    RewardTag,
    RewardTagMenu,
    RewardUntag,
)
from bot.flows import rewards
from bot.flows.rewards import Refused, RewardProblem
from bot.handlers.common import unpack_press
from bot.handlers.conversation import TextRouter
from bot.i18n import _
from bot.notify import messages
from bot.notify.messages import money

log = logging.getLogger(__name__)
MAX_LISTED = 30  # buttons per overview; Telegram allows 100 in all


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


def _chat_id(update: Update) -> int | None:
    return update.effective_chat.id if update.effective_chat else None


# --- /beloningen -----------------------------------------------------------------------------


async def show_rewards(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer()
    who = context.who
    chat_id = _chat_id(update)
    if who is None or chat_id is None:
        return
    if who.coach_id is not None:
        text, markup = await _coach_overview(context, who.coach_id)
    elif who.participant_id is not None:
        text, markup = await _participant_overview(context, who.participant_id), None
    else:
        text, markup = _("To join, ask your coach for your personal link."), None
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def _participant_overview(context: BotContext, participant_id: int) -> str:
    services = context.services
    return messages.reward_overview_text(await rewards.participant_overview(
        services.db, participant_id, services.clock.now()))


async def _coach_overview(context: BotContext, coach_id: int
                          ) -> tuple[str, InlineKeyboardMarkup | None]:
    overview = await rewards.coach_overview(context.services.db, coach_id)
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


# --- coach: tag a step -----------------------------------------------------------------------


async def tag_menu(update: Update, context: BotContext) -> None:
    pressed = await unpack_press(update, RewardTagMenu)
    if pressed is None:
        return
    query, wanted = pressed
    who = context.who
    if who is None or who.coach_id is None:
        await query.answer(_("This button is not for you."))
        return
    options = await rewards.tag_options(context.services.db, who.coach_id, wanted.step_id,
                                        context.services.clock.now())
    await query.answer()
    chat_id = _chat_id(update)
    if chat_id is None:
        return
    if isinstance(options, Refused):
        await context.bot.send_message(chat_id, problem_text(options))
        return
    rows = [[InlineKeyboardButton(f"{money(o.amount_cents)} · {o.name}",
                                  callback_data=RewardTag(step_id=wanted.step_id,
                                                          kind=o.key).pack())]
            for o in options if o.problem is None]
    rows.append([InlineKeyboardButton(_("Take the reward off this step"),
                                      callback_data=RewardUntag(step_id=wanted.step_id).pack())])
    text = _("Which reward does this step earn? Rewards are for real effort; each kind is "
             "earned once.")
    unavailable = [o for o in options if o.problem is not None]
    if unavailable:
        text += "\n\n" + _("Not available now:") + "\n" + "\n".join(
            f"• {html.escape(o.name)}: " + (
                _("already used") if o.problem is RewardProblem.KIND_USED
                else _("does not fit in this year's budget"))
            for o in unavailable)
    await context.bot.send_message(chat_id, text, reply_markup=InlineKeyboardMarkup(rows))


async def tag(update: Update, context: BotContext) -> None:
    pressed = await unpack_press(update, RewardTag)
    if pressed is None:
        return
    query, wanted = pressed
    who = context.who
    if who is None or who.coach_id is None:
        await query.answer(_("This button is not for you."))
        return
    outcome = await rewards.tag_step(context.services.db, who.coach_id, wanted.step_id,
                                     wanted.kind, context.services.clock.now())
    await query.answer()
    chat_id = _chat_id(update)
    if chat_id is None:
        return
    if isinstance(outcome, Refused):
        await context.bot.send_message(chat_id, problem_text(outcome))
        return
    await context.bot.send_message(chat_id, _(
        "Reward linked to the step: {name} ({amount}). The participant sees it with the step. "
        "When the step is done, confirm it under /beloningen."
    ).format(name=html.escape(outcome.kind_name), amount=money(outcome.amount_cents)))


async def untag(update: Update, context: BotContext) -> None:
    pressed = await unpack_press(update, RewardUntag)
    if pressed is None:
        return
    query, wanted = pressed
    who = context.who
    if who is None or who.coach_id is None:
        await query.answer(_("This button is not for you."))
        return
    outcome = await rewards.untag_step(context.services.db, who.coach_id, wanted.step_id,
                                       context.services.clock.now())
    if isinstance(outcome, Refused):
        await query.answer(problem_text(outcome)[:200])
        return
    await query.answer(_("The reward is taken off this step."))


# --- coach: confirm and hand out --------------------------------------------------------------


async def confirm(update: Update, context: BotContext) -> None:
    pressed = await unpack_press(update, RewardConfirm)
    if pressed is None:
        return
    query, wanted = pressed
    who = context.who
    if who is None or who.coach_id is None:
        await query.answer(_("This button is not for you."))
        return
    services = context.services
    outcome = await rewards.confirm(services.db, who.coach_id, wanted.entry_id,
                                    services.clock.now())
    if isinstance(outcome, Refused):
        await query.answer()
        if (chat_id := _chat_id(update)) is not None:
            await context.bot.send_message(chat_id, problem_text(outcome))
        return
    if not outcome.changed:
        await query.answer(_("This has already been done."))
        return
    await query.answer(_("Confirmed: the reward is earned."))


async def hand_out(update: Update, context: BotContext) -> None:
    pressed = await unpack_press(update, RewardHandOut)
    if pressed is None:
        return
    query, wanted = pressed
    who = context.who
    if who is None or who.coach_id is None:
        await query.answer(_("This button is not for you."))
        return
    outcome = await rewards.hand_out(context.services.db, who.coach_id, wanted.entry_id,
                                     context.services.clock.now())
    if isinstance(outcome, Refused):
        await query.answer(problem_text(outcome)[:200])
        return
    await query.answer(_("Marked as handed out.") if outcome.changed
                       else _("This has already been done."))


def register(app: Application, texts: TextRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["beloningen", "rewards"], show_rewards))
    app.add_handler(CallbackQueryHandler(show_rewards, pattern=RewardsMine.pattern()))
    app.add_handler(CallbackQueryHandler(tag_menu, pattern=RewardTagMenu.pattern()))
    app.add_handler(CallbackQueryHandler(tag, pattern=RewardTag.pattern()))
    app.add_handler(CallbackQueryHandler(untag, pattern=RewardUntag.pattern()))
    app.add_handler(CallbackQueryHandler(confirm, pattern=RewardConfirm.pattern()))
    app.add_handler(CallbackQueryHandler(hand_out, pattern=RewardHandOut.pattern()))
