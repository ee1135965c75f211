"""The goal screen: edit, reorder and drop steps, add steps, close the goal (achieved or
stopped with a reason), and tell the participant about the changes in one message."""

from __future__ import annotations

import html
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
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
from bot.telegram.handlers.press import Pressed, PressHandler, coach_of, no_longer_works
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


async def show_goal(update: Update, context: BotContext, goal_id: int, *, edit: bool) -> None:
    who = context.who
    assert who is not None and who.coach_id is not None and who.account_id is not None
    services = context.services
    screen = await plans.goal_screen(services.db, who.coach_id, who.account_id, goal_id,
                                     services.clock.now(), who.locale)
    query = update.callback_query
    if screen is None:
        if query is not None:
            await query.answer(_("This participant is not in your list."))
        return
    uses_rewards = await reward_flows.enabled_for(services.db, screen.participant_id)
    text = goal_screen_text(screen, coach_today(context))
    markup = goal_keyboard(screen, rewards=uses_rewards)
    if query is not None:
        await query.answer()
        if edit and isinstance(query.message, Message) and query.message.text is not None:
            await query.edit_message_text(text, reply_markup=markup)
            return
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(text, reply_markup=markup)


def _coach_ids(context: BotContext) -> tuple[int, int] | None:
    who = context.who
    coach_id = coach_of(who)
    if who is None or coach_id is None or who.account_id is None:
        return None
    return coach_id, who.account_id


async def _on_goal(pressed: Pressed[GoalAction], context: BotContext) -> None:
    update, query, data = pressed.update, pressed.query, pressed.data
    ids = pressed.coach_id, pressed.account_id
    services = context.services
    now = services.clock.now()
    if data.action == "open":
        await show_goal(update, context, data.gid, edit=True)
    elif data.action == "add":
        draft = await plans.start_plan(services.db, ids[0], ids[1], 0, now, goal_id=data.gid)
        await start_answer(update, context, draft)
    elif data.action == "achieved":
        # Closing drops the open steps: one more tap guards against a slip of the finger.
        if not await plans.owns_goal(services.db, ids[0], data.gid):
            await query.answer(_("This participant is not in your list."))
            return
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.chat.send_message(
                _("Close this goal as achieved? Open steps of it are taken off the list."),
                reply_markup=InlineKeyboardMarkup([[
                    InlineKeyboardButton(_("Yes, achieved"), callback_data=GoalAction(
                        action="done", gid=data.gid).pack()),
                    InlineKeyboardButton(_("Not yet"), callback_data=GoalAction(
                        action="open", gid=data.gid).pack()),
                ]]))
    elif data.action == "done":
        if not await plans.close_goal(services.db, ids[0], ids[1], data.gid, "achieved", None,
                                      now):
            await query.answer(_("This participant is not in your list."))
            return
        # A goal reached earns the participant a card (once, however often this is tapped):
        # awarded and queued in the same transaction as the close (the GoalClosed reaction).
        await show_goal(update, context, data.gid, edit=True)
    elif data.action == "stopped":
        if not await plans.start_close(services.db, ids[0], ids[1], data.gid, now):
            await query.answer(no_longer_works())
            return
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.chat.send_message(
                _("Why does the goal stop? A few words help later, for example “other "
                  "priorities now”."),
                reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
                    _("Skip"), callback_data=tap_data("skip", "reason"))]]))
    else:
        await _notify(update, context, data.gid)


async def _notify(update: Update, context: BotContext, goal_id: int) -> None:
    query = update.callback_query
    assert query is not None
    ids = _coach_ids(context)
    assert ids is not None
    outcome = await plans.tell_changes(context.services.db, ids[0], ids[1], goal_id,
                                       context.services.clock.now())
    if outcome == "refused":
        await query.answer(_("This participant is not in your list."))
    elif outcome == "nothing_new":
        await query.answer(_("Nothing new to tell since the last message."))
    elif outcome == "not_linked":
        await query.answer(_("They will see the plan once they have joined."))
    else:
        await query.answer(_("One short message is on its way."))


async def _on_step(pressed: Pressed[StepAction], context: BotContext) -> None:
    update, query, data = pressed.update, pressed.query, pressed.data
    ids = pressed.coach_id, pressed.account_id
    services = context.services
    now = services.clock.now()
    if data.action == "edit":
        step = await plans.start_edit(services.db, ids[0], ids[1], data.sid, now)
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
        return
    if data.action == "drop":
        outcome = await plans.drop_step(services.db, ids[0], ids[1], data.sid, now)
    else:
        outcome = await plans.move_step(services.db, ids[0], data.sid, data.action, now)
    if outcome is None:
        await query.answer(no_longer_works())
        return
    goal_id, changed = outcome
    if not changed:  # a second tap, or the top step going up: the screen is already right
        await query.answer()
        return
    await show_goal(update, context, goal_id, edit=True)


# --- the edit flow: new text (or keep), then new date (or keep) -------------------------------


async def _edit_text(update: Update, context: BotContext, state: Conversation) -> None:
    message = update.effective_message
    if message is None:
        return
    edit = state.state(StepEditFlow)
    if state.step == "text":
        text = clean_text(message.text or "", limits.STEP_MAX)
        if isinstance(text, TextProblem):
            await message.reply_text(
                _("That is a bit long. Please keep it under {max} characters.").format(
                    max=limits.STEP_MAX) if text is TextProblem.TOO_LONG
                else _("Please type a few words, or use the buttons."))
            return
        await _ask_due(message, context, edit.model_copy(update={"text": text}))
        return
    if state.step == "due":
        today = coach_today(context)
        day = parse_date(message.text or "", today)
        if day is None:
            await message.reply_text(
                _("I cannot read that date. Type it like 12-3 or 12-3-2026, or tap a choice."))
            return
        if is_past(day, today):
            await _set_flow(context, "due_past", edit.model_copy(update={"due": day.isoformat()}))
            await message.reply_text(past_question(day, today),
                                     reply_markup=past_keyboard("due_past"))
            return
        await _ask_more(message, context, edit.model_copy(update={"due": day.isoformat()}))
        return
    await message.reply_text(_("Please tap one of the buttons above. (/annuleer to stop)"))


async def _set_flow(context: BotContext, step: str, edit: StepEditFlow) -> None:
    who = context.who
    assert who is not None and who.account_id is not None
    await conversation.begin(context.services.db, who.account_id, step, edit,
                             context.services.clock.now())


async def _ask_due(message: Message, context: BotContext, edit: StepEditFlow) -> None:
    await _set_flow(context, "due", edit)
    await message.chat.send_message(
        due_question(), reply_markup=due_keyboard(coach_today(context), "due", keep=True))


async def _ask_more(message: Message, context: BotContext, edit: StepEditFlow) -> None:
    await _set_flow(context, "more", edit)
    await message.chat.send_message(_("Who does it, and is it challenging? Change it, or save."),
                                    reply_markup=more_keyboard(edit))


async def _save_edit(message: Message, context: BotContext, edit: StepEditFlow) -> None:
    ids = _coach_ids(context)
    assert ids is not None
    due = edit.due if edit.due == "keep" else (
        date.fromisoformat(edit.due) if edit.due else None)
    goal_id = await plans.edit_step(
        context.services.db, ids[0], ids[1], edit.sid, edit.text,
        due,  # type: ignore[arg-type]
        context.services.clock.now(), owner=edit.owner, challenging=edit.hard)
    if goal_id is None:
        await message.chat.send_message(_("This participant is not in your list."))
        return
    await message.chat.send_message(
        _("Changed."), reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
            _("Open the goal"), callback_data=GoalAction(action="open", gid=goal_id).pack())]]))


async def _edit_tap(update: Update, context: BotContext, state: Conversation, tap: PlanTap,
                    message: Message) -> None:
    query = update.callback_query
    assert query is not None
    step = state.step
    if (tap.action, step) not in {("keep", "text"), ("keep", "due"), ("due", "due"),
                                  ("past_ok", "due_past"), ("owner", "more"), ("hard", "more"),
                                  ("save", "more")}:
        await query.answer(no_longer_works())
        return
    if tap.action in ("owner", "hard"):
        await _change_more(update, context, state, tap)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    edit = state.state(StepEditFlow)
    if step == "text":
        await _ask_due(message, context, edit)
    elif tap.action == "save":
        await _save_edit(message, context, edit)
    elif tap.action == "keep":
        await _ask_more(message, context, edit.model_copy(update={"due": "keep"}))
    elif tap.action == "due":
        day = picked_due(tap.value, coach_today(context))
        await _ask_more(message, context,
                        edit.model_copy(update={"due": day.isoformat() if day else None}))
    elif tap.value == "1":
        await _ask_more(message, context, edit)
    else:
        await _ask_due(message, context, edit)


async def _change_more(update: Update, context: BotContext, state: Conversation,
                       tap: PlanTap) -> None:
    """Owner or challenging on the last question of an edit: set explicitly, so a repeated
    tap changes nothing (and edits nothing)."""
    query = update.callback_query
    assert query is not None
    edit = state.state(StepEditFlow)
    if tap.action == "owner" and tap.value in ("participant", "coach", "together"):
        new = edit.model_copy(update={"owner": tap.value})
    elif tap.action == "hard" and tap.value in ("0", "1"):
        new = edit.model_copy(update={"hard": tap.value == "1"})
    else:
        await query.answer(no_longer_works())
        return
    await query.answer()
    if new == edit:
        return
    await _set_flow(context, "more", new)
    await query.edit_message_reply_markup(more_keyboard(new))


# --- the close flow: a reason for stopping (optional) -----------------------------------------


async def _close_text(update: Update, context: BotContext, state: Conversation) -> None:
    message = update.effective_message
    if message is None:
        return
    reason = clean_text(message.text or "", limits.REASON_MAX)
    if isinstance(reason, TextProblem):
        await message.reply_text(
            _("That is a bit long. Please keep it under {max} characters.").format(
                max=limits.REASON_MAX) if reason is TextProblem.TOO_LONG
            else _("Please type a few words, or use the buttons."))
        return
    await _close(message, context, state, reason)


async def _close_tap(update: Update, context: BotContext, state: Conversation, tap: PlanTap,
                     message: Message) -> None:
    query = update.callback_query
    assert query is not None
    if tap.action != "skip":
        await query.answer(no_longer_works())
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _close(message, context, state, None)


async def _close(message: Message, context: BotContext, state: Conversation,
                 reason: str | None) -> None:
    ids = _coach_ids(context)
    assert ids is not None
    goal_id = state.state(GoalCloseFlow).gid
    if not await plans.close_goal(context.services.db, ids[0], ids[1], goal_id, "stopped",
                                  reason, context.services.clock.now()):
        await message.chat.send_message(_("This participant is not in your list."))
        return
    await message.chat.send_message(
        _("The goal is stopped. That is allowed: it makes room for what matters now."),
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
            _("Open the goal"), callback_data=GoalAction(action="open", gid=goal_id).pack())]]))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    router.on(EDIT_FLOW, _edit_text, tap=_edit_tap)
    router.on(CLOSE_FLOW, _close_text, tap=_close_tap)
    app.add_handler(PressHandler(GoalAction, _on_goal, role="coach"))
    app.add_handler(PressHandler(StepAction, _on_step, role="coach"))
