"""The goal screen: edit, reorder and drop steps, add steps, close the goal (achieved or
stopped with a reason), and tell the participant about the changes in one message."""

from __future__ import annotations

import html
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.core import plan_input as limits
from bot.core.callbacks import BadCallback
from bot.core.coach_callbacks import CoachCard, GoalAction, PlanTap, StepAction
from bot.core.dates import parse_date
from bot.core.plan_input import TextProblem, clean_text, is_past
from bot.core.reward_buttons import RewardTagMenu
from bot.flows import conversation, plans
from bot.flows import rewards as reward_flows
from bot.flows.conversation import Conversation
from bot.flows.plans import CLOSE_FLOW, EDIT_FLOW, GoalScreen
from bot.handlers.caseload import not_for_you
from bot.handlers.caseload_text import fit, goal_text
from bot.handlers.conversation import TextRouter
from bot.handlers.plan_flow import (
    TAPS_KEY,
    coach_today,
    due_keyboard,
    due_question,
    past_keyboard,
    past_question,
    picked_due,
    start_answer,
    tap_data,
)
from bot.i18n import _, format_date

MAX_STEP_ROWS = 20  # 4 buttons per step row; Telegram allows 100 buttons in all


def goal_screen_text(screen: GoalScreen, today: date) -> str:
    goal = screen.goal
    head = _("Goal of <b>{name}</b>").format(name=html.escape(screen.participant_name))
    if screen.made_in_meeting is not None:
        head += "\n" + _("Made in the meeting of {day}.").format(
            day=format_date(screen.made_in_meeting, "d MMMM"))
    if goal.status != "active":
        return f"{head}\n\n{goal_text(goal, today)}"
    return fit(f"{head}\n\n{goal_text(goal, today, numbered=True)}")


def goal_keyboard(screen: GoalScreen, *, rewards: bool = False) -> InlineKeyboardMarkup:
    """`rewards`: the organisation uses rewards, so each open step offers "€" to link one."""
    gid = screen.goal.id
    rows = []
    if screen.goal.status == "active":
        for number, step in enumerate(screen.goal.steps[:MAX_STEP_ROWS], start=1):
            if step.status != "open":
                continue
            rows.append([
                InlineKeyboardButton(f"✏️ {number}",
                                     callback_data=StepAction(action="edit", sid=step.id).pack()),
                InlineKeyboardButton("⬆", callback_data=StepAction(action="up",
                                                                   sid=step.id).pack()),
                InlineKeyboardButton("⬇", callback_data=StepAction(action="down",
                                                                   sid=step.id).pack()),
                InlineKeyboardButton(f"✖ {number}",
                                     callback_data=StepAction(action="drop", sid=step.id).pack()),
                *([InlineKeyboardButton(f"€ {number}",
                                        callback_data=RewardTagMenu(step_id=step.id).pack())]
                  if rewards else []),
            ])
        rows.append([
            InlineKeyboardButton(_("Add a step"),
                                 callback_data=GoalAction(action="add", gid=gid).pack()),
            InlineKeyboardButton(_("Achieved"),
                                 callback_data=GoalAction(action="achieved", gid=gid).pack()),
            InlineKeyboardButton(_("Stop goal"),
                                 callback_data=GoalAction(action="stopped", gid=gid).pack()),
        ])
        rows.append([InlineKeyboardButton(
            _("Done: let {name} know").format(name=screen.participant_name[:30]),
            callback_data=GoalAction(action="notify", gid=gid).pack())])
    rows.append([InlineKeyboardButton(
        _("Back to the card"), callback_data=CoachCard(pid=screen.participant_id).pack())])
    return InlineKeyboardMarkup(rows)


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
    if who is None or who.coach_id is None or who.account_id is None:
        return None
    return who.coach_id, who.account_id


async def _on_goal(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    ids = _coach_ids(context)
    if ids is None:
        await not_for_you(update)
        return
    try:
        data = GoalAction.unpack(query.data or "")
    except BadCallback:
        await query.answer(_("This button no longer works."))
        return
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
            await query.answer(_("This button no longer works."))
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


async def _on_step(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    ids = _coach_ids(context)
    if ids is None:
        await not_for_you(update)
        return
    try:
        data = StepAction.unpack(query.data or "")
    except BadCallback:
        await query.answer(_("This button no longer works."))
        return
    services = context.services
    now = services.clock.now()
    if data.action == "edit":
        step = await plans.start_edit(services.db, ids[0], ids[1], data.sid, now)
        if step is None:
            await query.answer(_("This button no longer works."))
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
        await query.answer(_("This button no longer works."))
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
    if state.step == "text":
        text = clean_text(message.text or "", limits.STEP_MAX)
        if isinstance(text, TextProblem):
            await message.reply_text(
                _("That is a bit long. Please keep it under {max} characters.").format(
                    max=limits.STEP_MAX) if text is TextProblem.TOO_LONG
                else _("Please type a few words, or use the buttons."))
            return
        await _ask_due(message, context, {**state.data, "text": text})
        return
    if state.step == "due":
        today = coach_today(context)
        day = parse_date(message.text or "", today)
        if day is None:
            await message.reply_text(
                _("I cannot read that date. Type it like 12-3 or 12-3-2026, or tap a choice."))
            return
        if is_past(day, today):
            await _set_flow(context, EDIT_FLOW, "due_past", {**state.data, "due": day.isoformat()})
            await message.reply_text(past_question(day, today),
                                     reply_markup=past_keyboard("due_past"))
            return
        await _ask_more(message, context, {**state.data, "due": day.isoformat()})
        return
    await message.reply_text(_("Please tap one of the buttons above. (/annuleer to stop)"))


async def _set_flow(context: BotContext, flow: str, step: str, data: dict[str, object]) -> None:
    who = context.who
    assert who is not None and who.account_id is not None
    await conversation.begin(context.services.db, who.account_id, flow, step, data,
                             context.services.clock.now())


async def _ask_due(message: Message, context: BotContext, data: dict[str, object]) -> None:
    await _set_flow(context, EDIT_FLOW, "due", data)
    await message.chat.send_message(
        due_question(), reply_markup=due_keyboard(coach_today(context), "due", keep=True))


def more_keyboard(data: dict[str, object]) -> InlineKeyboardMarkup:
    """Who does it (current choice ticked) and the challenging flag, then save."""
    owner, hard = data.get("owner"), bool(data.get("hard"))
    name = str(data.get("name") or "")[:30] or _("participant")
    choices = (("participant", name), ("coach", _("Me")), ("together", _("Together")))
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(("✓ " if owner == key else "") + label,
                              callback_data=tap_data("owner", "more", key))
         for key, label in choices],
        [InlineKeyboardButton(("☑ " if hard else "☐ ") + _("challenging"),
                              callback_data=tap_data("hard", "more", "0" if hard else "1"))],
        [InlineKeyboardButton(_("Save"), callback_data=tap_data("save", "more"))],
    ])


async def _ask_more(message: Message, context: BotContext, data: dict[str, object]) -> None:
    await _set_flow(context, EDIT_FLOW, "more", data)
    await message.chat.send_message(_("Who does it, and is it challenging? Change it, or save."),
                                    reply_markup=more_keyboard(data))


async def _save_edit(message: Message, context: BotContext, data: dict[str, object]) -> None:
    ids = _coach_ids(context)
    assert ids is not None
    raw_due = data.get("due", "keep")
    due = raw_due if raw_due == "keep" else (
        date.fromisoformat(str(raw_due)) if raw_due else None)
    text = data.get("text")
    owner = data.get("owner")
    goal_id = await plans.edit_step(
        context.services.db, ids[0], ids[1], int(str(data.get("sid", 0))),
        str(text) if text is not None else None, due,  # type: ignore[arg-type]
        context.services.clock.now(),
        owner=owner if owner in ("participant", "coach", "together") else None,  # type: ignore[arg-type]
        challenging=bool(data.get("hard")) if "hard" in data else None)
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
        await query.answer(_("This button no longer works."))
        return
    if tap.action in ("owner", "hard"):
        await _change_more(update, context, state, tap)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if step == "text":
        await _ask_due(message, context, dict(state.data))
    elif tap.action == "save":
        await _save_edit(message, context, dict(state.data))
    elif tap.action == "keep":
        await _ask_more(message, context, {**state.data, "due": "keep"})
    elif tap.action == "due":
        day = picked_due(tap.value, coach_today(context))
        await _ask_more(message, context, {**state.data,
                                           "due": day.isoformat() if day else None})
    elif tap.value == "1":
        await _ask_more(message, context, dict(state.data))
    else:
        await _ask_due(message, context, dict(state.data))


async def _change_more(update: Update, context: BotContext, state: Conversation,
                       tap: PlanTap) -> None:
    """Owner or challenging on the last question of an edit: set explicitly, so a repeated
    tap changes nothing (and edits nothing)."""
    query = update.callback_query
    assert query is not None
    data = dict(state.data)
    if tap.action == "owner" and tap.value in ("participant", "coach", "together"):
        new = {**data, "owner": tap.value}
    elif tap.action == "hard" and tap.value in ("0", "1"):
        new = {**data, "hard": tap.value == "1"}
    else:
        await query.answer(_("This button no longer works."))
        return
    await query.answer()
    if new == data:
        return
    await _set_flow(context, EDIT_FLOW, "more", new)
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
        await query.answer(_("This button no longer works."))
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _close(message, context, state, None)


async def _close(message: Message, context: BotContext, state: Conversation,
                 reason: str | None) -> None:
    ids = _coach_ids(context)
    assert ids is not None
    goal_id = int(state.data.get("gid", 0))
    if not await plans.close_goal(context.services.db, ids[0], ids[1], goal_id, "stopped",
                                  reason, context.services.clock.now()):
        await message.chat.send_message(_("This participant is not in your list."))
        return
    await message.chat.send_message(
        _("The goal is stopped. That is allowed: it makes room for what matters now."),
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(
            _("Open the goal"), callback_data=GoalAction(action="open", gid=goal_id).pack())]]))


def register(app: Application, texts: TextRouter) -> None:  # type: ignore[type-arg]
    taps = app.bot_data.setdefault(TAPS_KEY, {})
    taps[EDIT_FLOW] = _edit_tap
    taps[CLOSE_FLOW] = _close_tap
    texts.on(EDIT_FLOW, _edit_text)
    texts.on(CLOSE_FLOW, _close_text)
    app.add_handler(CallbackQueryHandler(_on_goal, pattern=GoalAction.pattern()))
    app.add_handler(CallbackQueryHandler(_on_step, pattern=StepAction.pattern()))
