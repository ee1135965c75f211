"""The goal screen: edit, reorder and drop steps, add steps, close the goal (achieved or
stopped with a reason), and tell the participant about the changes in one message."""

from __future__ import annotations

import html
from datetime import date
from typing import Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.ext import Application

from bot.core import plan_input as limits
from bot.core.conversations import GoalCloseFlow, StepEditFlow
from bot.core.dates import parse_date
from bot.core.plan_input import TextProblem, clean_text, is_past
from bot.flows import conversation, plans
from bot.flows import rewards as reward_flows
from bot.flows.conversation import Conversation
from bot.flows.plans import CLOSE_FLOW, EDIT_FLOW
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.plan_flow import coach_today, start_answer
from bot.telegram.handlers.press import OnPress, Pressed, PressHandler, no_longer_works
from bot.telegram.routing import Said, flow_taps, text_step
from bot.ui.buttons.coach import GoalAction, PlanTap, StepAction
from bot.ui.screens.plans import (
    due_keyboard,
    due_question,
    goal_keyboard,
    goal_screen_text,
    more_keyboard,
    past_keyboard,
    past_question,
    picked_due,
    tap_data,
)


async def show_goal(press: Pressed[Any], context: BotContext, goal_id: int, *, edit: bool
                    ) -> None:
    services, query = context.services, press.query
    screen = await plans.goal_screen(services.db, press.coach_id, press.account_id, goal_id,
                                     services.clock.now(), press.who.locale)
    if screen is None:
        await query.answer(_("This participant is not in your list."))
        return
    uses_rewards = await reward_flows.enabled_for(services.db, screen.participant_id)
    text = goal_screen_text(screen, coach_today(context))
    markup = goal_keyboard(screen, rewards=uses_rewards)
    await query.answer()
    if edit and isinstance(query.message, Message) and query.message.text is not None:
        await query.edit_message_text(text, reply_markup=markup)
        return
    chat = press.update.effective_chat
    if chat is not None:
        await chat.send_message(text, reply_markup=markup)


# --- the goal's buttons, one handler per action of GoalAction ------------------------------


async def open_goal(press: Pressed[GoalAction], context: BotContext) -> None:
    await show_goal(press, context, press.data.gid, edit=True)


async def add_steps(press: Pressed[GoalAction], context: BotContext) -> None:
    draft = await plans.start_plan(context.services.db, press.coach_id, press.account_id, 0,
                                   context.services.clock.now(), goal_id=press.data.gid)
    await start_answer(press.update, context, draft)


async def ask_achieved(press: Pressed[GoalAction], context: BotContext) -> None:
    """achieved: closing drops the open steps, so one more tap guards against a slip."""
    query, gid = press.query, press.data.gid
    if not await plans.owns_goal(context.services.db, press.coach_id, gid):
        await query.answer(_("This participant is not in your list."))
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.chat.send_message(
            _("Close this goal as achieved? Open steps of it are taken off the list."),
            reply_markup=InlineKeyboardMarkup([[
                InlineKeyboardButton(_("Yes, achieved"), callback_data=GoalAction(
                    action="done", gid=gid).pack()),
                InlineKeyboardButton(_("Not yet"), callback_data=GoalAction(
                    action="open", gid=gid).pack()),
            ]]))


async def close_achieved(press: Pressed[GoalAction], context: BotContext) -> None:
    """done: close the goal as achieved."""
    services = context.services
    if not await plans.close_goal(services.db, press.coach_id, press.account_id, press.data.gid,
                                  "achieved", None, services.clock.now()):
        await press.query.answer(_("This participant is not in your list."))
        return
    # A goal reached earns the participant a card (once, however often this is tapped):
    # awarded and queued in the same transaction as the close (the GoalClosed reaction).
    await show_goal(press, context, press.data.gid, edit=True)


async def ask_why_stopped(press: Pressed[GoalAction], context: BotContext) -> None:
    """stopped: a reason (typed, or skipped) before the goal closes."""
    query, services = press.query, context.services
    if not await plans.start_close(services.db, press.coach_id, press.account_id,
                                   press.data.gid, services.clock.now()):
        await query.answer(no_longer_works())
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.chat.send_message(
            _("Why does the goal stop? A few words help later, for example “other "
              "priorities now”."),
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
                _("Skip"), callback_data=tap_data("skip", "reason"))]]))


async def notify(press: Pressed[GoalAction], context: BotContext) -> None:
    """notify: tell the participant about the changes, in one message."""
    query = press.query
    outcome = await plans.tell_changes(context.services.db, press.coach_id, press.account_id,
                                       press.data.gid, context.services.clock.now())
    if outcome == "refused":
        await query.answer(_("This participant is not in your list."))
    elif outcome == "nothing_new":
        await query.answer(_("Nothing new to tell since the last message."))
    elif outcome == "not_linked":
        await query.answer(_("They will see the plan once they have joined."))
    else:
        await query.answer(_("One short message is on its way."))


# --- a step's buttons, one handler per action of StepAction ----------------------------------


async def edit_step(press: Pressed[StepAction], context: BotContext) -> None:
    """edit: new text (or keep it), then a new date."""
    query, services = press.query, context.services
    step = await plans.start_edit(services.db, press.coach_id, press.account_id, press.data.sid,
                                  services.clock.now())
    if step is None:
        await query.answer(no_longer_works())
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.chat.send_message(
            _("Now: “{text}”.\nType the new text, or keep it.").format(
                text=html.escape(step.text)),
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
                _("Keep the text"), callback_data=tap_data("keep", "text"))]]))


async def drop_step(press: Pressed[StepAction], context: BotContext) -> None:
    services = context.services
    await _step_changed(press, context, await plans.drop_step(
        services.db, press.coach_id, press.account_id, press.data.sid, services.clock.now()))


def move_step(direction: Literal["up", "down"]) -> OnPress[StepAction]:
    """up / down: one place in the goal's order."""
    async def on_press(press: Pressed[StepAction], context: BotContext) -> None:
        services = context.services
        await _step_changed(press, context, await plans.move_step(
            services.db, press.coach_id, press.data.sid, direction, services.clock.now()))

    return on_press


async def _step_changed(press: Pressed[StepAction], context: BotContext,
                        outcome: tuple[int, bool] | None) -> None:
    if outcome is None:
        await press.query.answer(no_longer_works())
        return
    goal_id, changed = outcome
    if not changed:  # a second tap, or the top step going up: the screen is already right
        await press.query.answer()
        return
    await show_goal(press, context, goal_id, edit=True)


# --- the edit flow: new text (or keep), then new date (or keep) -------------------------------


async def _edit_text(said: Said, context: BotContext, state: Conversation) -> None:
    message = said.message
    edit = state.state(StepEditFlow)
    if state.step == "text":
        text = clean_text(message.text or "", limits.STEP_MAX)
        if isinstance(text, TextProblem):
            await message.reply_text(
                _("That is a bit long. Please keep it under {max} characters.").format(
                    max=limits.STEP_MAX) if text is TextProblem.TOO_LONG
                else _("Please type a few words, or use the buttons."))
            return
        await _ask_due(said, context, edit.model_copy(update={"text": text}))
        return
    if state.step == "due":
        today = coach_today(context)
        day = parse_date(message.text or "", today)
        if day is None:
            await message.reply_text(
                _("I cannot read that date. Type it like 12-3 or 12-3-2026, or tap a choice."))
            return
        if is_past(day, today):
            await _set_flow(said, context, "due_past",
                            edit.model_copy(update={"due": day.isoformat()}))
            await message.reply_text(past_question(day, today),
                                     reply_markup=past_keyboard("due_past"))
            return
        await _ask_more(said, context, edit.model_copy(update={"due": day.isoformat()}))
        return
    await message.reply_text(_("Please tap one of the buttons above. (/annuleer to stop)"))


async def _set_flow(said: Said, context: BotContext, step: str, edit: StepEditFlow) -> None:
    await conversation.begin(context.services.db, said.account_id, step, edit,
                             context.services.clock.now())


async def _ask_due(said: Said, context: BotContext, edit: StepEditFlow) -> None:
    await _set_flow(said, context, "due", edit)
    await said.message.chat.send_message(
        due_question(), reply_markup=due_keyboard(coach_today(context), "due", keep=True))


async def _ask_more(said: Said, context: BotContext, edit: StepEditFlow) -> None:
    await _set_flow(said, context, "more", edit)
    await said.message.chat.send_message(
        _("Who does it, and is it challenging? Change it, or save."),
        reply_markup=more_keyboard(edit))


async def _save_edit(said: Said, context: BotContext, edit: StepEditFlow) -> None:
    due = edit.due if edit.due == "keep" else (
        date.fromisoformat(edit.due) if edit.due else None)
    goal_id = await plans.edit_step(
        context.services.db, said.coach_id, said.account_id, edit.sid, edit.text,
        due,  # type: ignore[arg-type]
        context.services.clock.now(), owner=edit.owner, challenging=edit.hard)
    if goal_id is None:
        await said.message.chat.send_message(_("This participant is not in your list."))
        return
    await said.message.chat.send_message(
        _("Changed."), reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
            _("Open the goal"), callback_data=GoalAction(action="open", gid=goal_id).pack())]]))


async def _chosen(said: Said) -> None:
    """A choice that moves the flow on: the press is answered and its buttons go."""
    query = said.update.callback_query
    assert query is not None  # flow_taps hands over presses only
    await query.answer()
    await query.edit_message_reply_markup(None)


async def keep_text(said: Said, context: BotContext, state: Conversation, tap: PlanTap
                    ) -> None:
    await _chosen(said)
    await _ask_due(said, context, state.state(StepEditFlow))


async def keep_due(said: Said, context: BotContext, state: Conversation, tap: PlanTap
                   ) -> None:
    await _chosen(said)
    await _ask_more(said, context, state.state(StepEditFlow).model_copy(update={"due": "keep"}))


async def pick_due(said: Said, context: BotContext, state: Conversation, tap: PlanTap
                   ) -> None:
    await _chosen(said)
    day = picked_due(tap.value, coach_today(context))
    await _ask_more(said, context, state.state(StepEditFlow).model_copy(
        update={"due": day.isoformat() if day else None}))


async def past_due(said: Said, context: BotContext, state: Conversation, tap: PlanTap
                   ) -> None:
    """A date in the past: keep it ("1"), or choose again."""
    await _chosen(said)
    edit = state.state(StepEditFlow)
    if tap.value == "1":
        await _ask_more(said, context, edit)
    else:
        await _ask_due(said, context, edit)


async def save_edit(said: Said, context: BotContext, state: Conversation, tap: PlanTap
                    ) -> None:
    await _chosen(said)
    await _save_edit(said, context, state.state(StepEditFlow))


async def set_owner(said: Said, context: BotContext, state: Conversation, tap: PlanTap
                    ) -> None:
    if tap.value not in ("participant", "coach", "together"):
        await _stale_tap(said)
        return
    await _change_more(said, context, state, {"owner": tap.value})


async def set_hard(said: Said, context: BotContext, state: Conversation, tap: PlanTap
                   ) -> None:
    if tap.value not in ("0", "1"):
        await _stale_tap(said)
        return
    await _change_more(said, context, state, {"hard": tap.value == "1"})


async def _stale_tap(said: Said) -> None:
    if said.update.callback_query is not None:
        await said.update.callback_query.answer(no_longer_works())


async def _change_more(said: Said, context: BotContext, state: Conversation,
                       change: dict[str, object]) -> None:
    """Owner or challenging on the last question of an edit: set explicitly, so a repeated
    tap changes nothing (and edits nothing)."""
    query = said.update.callback_query
    assert query is not None  # flow_taps hands over presses only
    edit = state.state(StepEditFlow)
    new = edit.model_copy(update=change)
    await query.answer()
    if new == edit:
        return
    await _set_flow(said, context, "more", new)
    await query.edit_message_reply_markup(more_keyboard(new))


# --- the close flow: a reason for stopping (optional) -----------------------------------------


async def _close_text(said: Said, context: BotContext, state: Conversation) -> None:
    reason = clean_text(said.message.text or "", limits.REASON_MAX)
    if isinstance(reason, TextProblem):
        await said.message.reply_text(
            _("That is a bit long. Please keep it under {max} characters.").format(
                max=limits.REASON_MAX) if reason is TextProblem.TOO_LONG
            else _("Please type a few words, or use the buttons."))
        return
    await _close(said, context, state, reason)


async def skip_reason(said: Said, context: BotContext, state: Conversation, tap: PlanTap
                      ) -> None:
    await _chosen(said)
    await _close(said, context, state, None)


async def _close(said: Said, context: BotContext, state: Conversation, reason: str | None
                 ) -> None:
    goal_id = state.state(GoalCloseFlow).gid
    if not await plans.close_goal(context.services.db, said.coach_id, said.account_id, goal_id,
                                  "stopped", reason, context.services.clock.now()):
        await said.message.chat.send_message(_("This participant is not in your list."))
        return
    await said.message.chat.send_message(
        _("The goal is stopped. That is allowed: it makes room for what matters now."),
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
            _("Open the goal"), callback_data=GoalAction(action="open", gid=goal_id).pack())]]))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    router.on(EDIT_FLOW, text_step(_edit_text, role="coach"), tap=flow_taps({
        ("text", "keep"): keep_text, ("due", "keep"): keep_due, ("due", "due"): pick_due,
        ("due_past", "past_ok"): past_due, ("more", "owner"): set_owner,
        ("more", "hard"): set_hard, ("more", "save"): save_edit,
    }, role="coach"))
    router.on(CLOSE_FLOW, text_step(_close_text, role="coach"),
              tap=flow_taps({("reason", "skip"): skip_reason}, role="coach"))
    goal = {"open": open_goal, "add": add_steps, "achieved": ask_achieved,
            "done": close_achieved, "stopped": ask_why_stopped, "notify": notify}
    for action, on_goal in goal.items():
        app.add_handler(PressHandler(GoalAction, on_goal, role="coach", when=action))
    step = {"edit": edit_step, "drop": drop_step, "up": move_step("up"),
            "down": move_step("down")}
    for action, on_step in step.items():
        app.add_handler(PressHandler(StepAction, on_step, role="coach", when=action))
