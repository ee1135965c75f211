"""Rewards: /beloningen for participants (what I earned, what is coming) and for coaches (to
confirm, to hand out); tagging a step from the coach's step view (RewardTagMenu)."""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardMarkup
from telegram.ext import Application

from bot.flows import rewards
from bot.flows.rewards import Refused
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler
from bot.telegram.routing import Command, Said
from bot.ui.buttons.rewards import (
    RewardConfirm,
    RewardHandOut,
    RewardsMine,
    RewardTag,
    RewardTagMenu,
    RewardUntag,
)
from bot.ui.screens import rewards as screen
from bot.ui.screens.rewards import money, reward_overview_text

log = logging.getLogger(__name__)


async def own_rewards(said: Said, context: BotContext) -> None:
    """/beloningen for a participant: what I earned, what is coming."""
    await said.message.chat.send_message(
        await _participant_overview(context, said.participant_id))


async def coach_rewards(said: Said, context: BotContext) -> None:
    """/beloningen for a coach: rewards to confirm and to hand out."""
    text, markup = await _coach_overview(context, said.coach_id)
    await said.message.chat.send_message(text, reply_markup=markup)


async def own_rewards_press(pressed: Pressed[RewardsMine], context: BotContext) -> None:
    await pressed.query.answer()
    await context.bot.send_message(pressed.chat_id,
                                   await _participant_overview(context, pressed.participant_id))


async def coach_rewards_press(pressed: Pressed[RewardsMine], context: BotContext) -> None:
    await pressed.query.answer()
    text, markup = await _coach_overview(context, pressed.coach_id)
    await context.bot.send_message(pressed.chat_id, text, reply_markup=markup)


async def _participant_overview(context: BotContext, participant_id: int) -> str:
    services = context.services
    return reward_overview_text(await rewards.participant_overview(
        services.db, participant_id, services.clock.now()))


async def _coach_overview(context: BotContext, coach_id: int
                          ) -> tuple[str, InlineKeyboardMarkup | None]:
    return screen.coach_overview(await rewards.coach_overview(context.services.db, coach_id))


# --- coach: tag a step -----------------------------------------------------------------------


async def tag_menu(pressed: Pressed[RewardTagMenu], context: BotContext) -> None:
    query, wanted = pressed.query, pressed.data
    options = await rewards.tag_options(context.services.db, pressed.coach_id, wanted.step_id,
                                        context.services.clock.now())
    await query.answer()
    chat_id = pressed.chat_id
    if isinstance(options, Refused):
        await context.bot.send_message(chat_id, screen.problem_text(options))
        return
    text, markup = screen.tag_menu(wanted.step_id, options)
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def tag(pressed: Pressed[RewardTag], context: BotContext) -> None:
    query, wanted = pressed.query, pressed.data
    outcome = await rewards.tag_step(context.services.db, pressed.coach_id, wanted.step_id,
                                     wanted.kind, context.services.clock.now())
    await query.answer()
    chat_id = pressed.chat_id
    if isinstance(outcome, Refused):
        await context.bot.send_message(chat_id, screen.problem_text(outcome))
        return
    await context.bot.send_message(chat_id, _(
        "Reward linked to the step: {name} ({amount}). The participant sees it with the step. "
        "When the step is done, confirm it under /beloningen."
    ).format(name=html.escape(outcome.kind_name), amount=money(outcome.amount_cents)))


async def untag(pressed: Pressed[RewardUntag], context: BotContext) -> None:
    query, wanted = pressed.query, pressed.data
    outcome = await rewards.untag_step(context.services.db, pressed.coach_id, wanted.step_id,
                                       context.services.clock.now())
    if isinstance(outcome, Refused):
        await query.answer(screen.problem_text(outcome)[:200])
        return
    await query.answer(_("The reward is taken off this step."))


# --- coach: confirm and hand out --------------------------------------------------------------


async def confirm(pressed: Pressed[RewardConfirm], context: BotContext) -> None:
    query, wanted = pressed.query, pressed.data
    services = context.services
    outcome = await rewards.confirm(services.db, pressed.coach_id, wanted.entry_id,
                                    services.clock.now())
    if isinstance(outcome, Refused):
        await query.answer()
        await context.bot.send_message(pressed.chat_id, screen.problem_text(outcome))
        return
    if not outcome.changed:
        await query.answer(_("This has already been done."))
        return
    await query.answer(_("Confirmed: the reward is earned."))


async def hand_out(pressed: Pressed[RewardHandOut], context: BotContext) -> None:
    query, wanted = pressed.query, pressed.data
    outcome = await rewards.hand_out(context.services.db, pressed.coach_id, wanted.entry_id,
                                     context.services.clock.now())
    if isinstance(outcome, Refused):
        await query.answer(screen.problem_text(outcome)[:200])
        return
    await query.answer(_("Marked as handed out.") if outcome.changed
                       else _("This has already been done."))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(Command("beloningen", {"participant": own_rewards,
                                           "coach": coach_rewards}))
    app.add_handler(PressHandler(RewardsMine, {"participant": own_rewards_press,
                                               "coach": coach_rewards_press}))
    app.add_handler(PressHandler(RewardTagMenu, tag_menu, role="coach"))
    app.add_handler(PressHandler(RewardTag, tag, role="coach"))
    app.add_handler(PressHandler(RewardUntag, untag, role="coach"))
    app.add_handler(PressHandler(RewardConfirm, confirm, role="coach"))
    app.add_handler(PressHandler(RewardHandOut, hand_out, role="coach"))
