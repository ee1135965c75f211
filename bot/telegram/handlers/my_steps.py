"""The participant's steps: the list, ticking off, undo, "not now" (new date, help, smaller) and
own steps. Thin: parse the button or text, call one use case, render."""

from __future__ import annotations

import html
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot.core.action_list import View
from bot.core.conversations import StepAddFlow, StepDateFlow, StepSmallerFlow
from bot.core.dates import Pick, deadline, local_today, parse_day
from bot.flows import conversation, my_steps, setbacks
from bot.flows.conversation import Conversation
from bot.flows.my_steps import Plan
from bot.flows.steps import STEP_TEXT_MAX, StepAdded, StepProblem, TickResult, check_step_text
from bot.i18n import _, friendly_day
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.onboarding import onboarding_needed
from bot.telegram.handlers.press import OnPress, Pressed, PressHandler, no_longer_works
from bot.telegram.handlers.setbacks import send_offer as setback_offer
from bot.telegram.routing import Command, Said, text_step
from bot.ui.buttons import participant as pb
from bot.ui.screens.home import menu_button_row
from bot.ui.screens.steps import render_page, short

FLOW_DATE = StepDateFlow.flow
FLOW_SMALLER = StepSmallerFlow.flow
FLOW_ADD = StepAddFlow.flow


def _today(context: BotContext) -> date:
    who = context.who
    zone = who.timezone if who else context.services.settings.default_timezone
    return local_today(context.services.clock.now(), zone)


def problem_text(problem: StepProblem) -> str:
    texts = {
        StepProblem.NOT_FOUND: _("I cannot find this step. Type /stappen for your list."),
        StepProblem.COACH_STEP: _("Your coach does this step."),
        StepProblem.NOT_OPEN: _("This step is already done."),
        StepProblem.NOT_DONE: _("This step is already open."),
        StepProblem.TOO_LONG: _("That is a bit long. Can you say it in at most {n} characters?"),
        StepProblem.EMPTY: _("I did not get any text. Type the step in a few words."),
    }
    return texts[problem].format(n=STEP_TEXT_MAX)


def _list_hint() -> str:
    return _("Type /stappen for your list.")


async def _show(update: Update, context: BotContext, plan: Plan, view: View, page: int,
                notice: str | None = None, undo_step: int | None = None, *,
                edit: bool) -> None:
    text, markup, _page = render_page(plan, view, page, _today(context), notice, undo_step)
    query = update.callback_query
    if edit and query is not None:
        # Two taps in a row may ask for the same content: the bot takes "not modified" as done.
        await query.edit_message_text(text, reply_markup=markup)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=markup)


# --- the list -------------------------------------------------------------------------------

async def open_list(update: Update, context: BotContext, participant_id: int) -> None:
    """/stappen and the "My steps" button (home:steps)."""
    if update.callback_query is None and await onboarding_needed(update, context,
                                                                 participant_id):
        return
    plan = await my_steps.show(context.services.db, participant_id,
                               opened_at=context.services.clock.now())
    if update.callback_query is not None:
        await update.callback_query.answer()
    await _show(update, context, plan, "open", 0, edit=update.callback_query is not None)


async def steps_command(said: Said, context: BotContext) -> None:
    await open_list(said.update, context, said.participant_id)


async def on_page(press: Pressed[pb.StepList], context: BotContext) -> None:
    await press.query.answer()
    plan = await my_steps.show(context.services.db, press.participant_id)
    await _show(press.update, context, plan, press.data.view, press.data.page, edit=True)


# --- tick and undo --------------------------------------------------------------------------

async def on_done(press: Pressed[pb.StepDone], context: BotContext) -> None:
    update, query, who, participant_id, data = (press.update, press.query, press.who,
                                                press.participant_id, press.data)
    services = context.services
    result, plan = await my_steps.tick(services.db, participant_id, data.step,
                                       services.clock.now(), who.account_id)
    if isinstance(result, StepProblem):
        await query.answer(problem_text(result))
        return
    if result.already_done:
        # A second tap or a duplicate update: say so, change nothing.
        await query.answer(_("This step is already done."))
        return
    line = acknowledgement_text(result)
    await query.answer(line)
    # A goal reached or a hard step done: its card is queued in the outbox and follows the
    # edited list within seconds (the dispatcher is woken when this update is handled).
    await _show(update, context, plan, "open", data.page, notice=f"<b>{html.escape(line)}</b>",
                undo_step=data.step, edit=True)


def acknowledgement_text(result: TickResult) -> str:
    return _(result.acknowledgement) if result.acknowledgement else ""


async def on_undo(press: Pressed[pb.StepUndo], context: BotContext) -> None:
    update, query, who, participant_id, data = (press.update, press.query, press.who,
                                                press.participant_id, press.data)
    services = context.services
    result, plan = await my_steps.undo(services.db, participant_id, data.step,
                                       services.clock.now(), who.account_id)
    if isinstance(result, StepProblem):
        await query.answer(problem_text(result))
        return
    await query.answer(_("The step is open again."))
    await _show(update, context, plan, data.view, data.page,
                notice=_("The step is open again."), edit=True)


# --- "not now" ------------------------------------------------------------------------------

async def on_stuck(press: Pressed[pb.StepStuck], context: BotContext) -> None:
    query, data = press.query, press.data
    plan = await my_steps.show(context.services.db, press.participant_id)
    step = plan.step(data.step)
    if step is None or not step.tickable:
        await query.answer(_("This step is not open (any more). Type /stappen for your list."))
        return
    await query.answer()
    sid = step.id
    text = _("Does it not work out right now? That is all right. What would help?") + \
        "\n\n<b>" + html.escape(step.text) + "</b>"
    rows = [
        [InlineKeyboardButton(_("📅 Tomorrow"),
                              callback_data=pb.StepMove(step=sid, to="tomorrow").pack()),
         InlineKeyboardButton(_("📅 Next week"),
                              callback_data=pb.StepMove(step=sid, to="next_week").pack())],
        [InlineKeyboardButton(_("📅 Another day"),
                              callback_data=pb.StepMove(step=sid, to="type").pack())],
        [InlineKeyboardButton(_("🙋 Ask my coach for help"),
                              callback_data=pb.StepHelp(step=sid).pack())],
        [InlineKeyboardButton(_("✂ Make the step smaller"),
                              callback_data=pb.StepSmaller(step=sid).pack())],
        [InlineKeyboardButton(_("📋 Back to my steps"),
                              callback_data=pb.StepList(view="open", page=data.page).pack())],
    ]
    await query.edit_message_text(text, reply_markup=InlineKeyboardMarkup(rows))
    # "Still busy" for the second time: the help after a setback, once.
    await setback_offer(press.message, await setbacks.still_busy(
        context.services.db, press.participant_id, sid, context.services.clock.now()))


async def ask_move_date(press: Pressed[pb.StepMove], context: BotContext) -> None:
    """type: the participant types the new day."""
    services = context.services
    await press.query.answer()
    await conversation.begin(services.db, press.account_id, "date",
                             StepDateFlow(step=press.data.step), services.clock.now())
    await press.query.edit_message_text(_ask_date_text())


def move_to(pick: Pick) -> OnPress[pb.StepMove]:
    """tomorrow / next_week: move the step there."""
    async def on_press(press: Pressed[pb.StepMove], context: BotContext) -> None:
        await _reschedule(press.update, context, press.who.account_id, press.participant_id,
                          press.data.step, deadline(pick, _today(context)), edit=True)

    return on_press


def _unclear_date_text() -> str:
    return _("I do not understand that date. Type for example: friday, 12-3 or 12 march.\n"
             "(/annuleer to stop)")


def _ask_date_text() -> str:
    return _("Which day suits you? Type for example: friday, 12-3 or 12 march.\n"
             "(/annuleer to stop)")


async def _reschedule(update: Update, context: BotContext, account_id: int | None,
                      participant_id: int, step_id: int, new_due: date, *, edit: bool,
                      typed: bool = False) -> None:
    services = context.services
    result, plan = await my_steps.reschedule(services.db, participant_id, step_id, new_due,
                                             services.clock.now(), account_id,
                                             end_flow=typed)
    if isinstance(result, StepProblem):
        notice = problem_text(result)
        if update.callback_query is not None:
            # Nothing changed, so the list stays as it is (an edit to the same would fail).
            await update.callback_query.answer(notice)
            return
    else:
        notice = _("Fine. New day: {day}.").format(
            day=friendly_day(result.new_due, _today(context)))
    if update.callback_query is not None:
        await update.callback_query.answer(notice)
    await _show(update, context, plan, "open", 0, notice=notice, edit=edit)
    if not isinstance(result, StepProblem):
        await setback_offer(update.effective_message, result.setback)


async def on_date_typed(said: Said, context: BotContext, state: Conversation) -> None:
    day = parse_day(said.message.text or "", _today(context))
    if day is None:
        await said.message.reply_text(_unclear_date_text())
        return
    await _reschedule(said.update, context, said.account_id, said.participant_id,
                      state.state(StepDateFlow).step, day, edit=False, typed=True)


async def on_help(press: Pressed[pb.StepHelp], context: BotContext) -> None:
    update, query, who, participant_id, data = (press.update, press.query, press.who,
                                                press.participant_id, press.data)
    services = context.services
    result, plan = await my_steps.help_please(services.db, participant_id, data.step,
                                              services.clock.now(), who.account_id)
    if isinstance(result, StepProblem):
        await query.answer(problem_text(result))
        return
    if result.already_asked:
        notice = _("You already asked for help with this step. Your coach can see it.")
    else:
        notice = _("Your coach can now see that you would like help with this step.")
    await query.answer()
    await _show(update, context, plan, "open", 0, notice=notice, edit=True)


async def on_smaller(press: Pressed[pb.StepSmaller], context: BotContext) -> None:
    query = press.query
    await query.answer()
    await conversation.begin(context.services.db, press.account_id, "text",
                             StepSmallerFlow(step=press.data.step), context.services.clock.now())
    await query.edit_message_text(_(
        "What is a smaller first part of this step? Type it in a few words.\n"
        "For example: look up the phone number.\n(/annuleer to stop)"))


async def on_smaller_typed(said: Said, context: BotContext, state: Conversation) -> None:
    message = said.message
    text = message.text or ""
    checked = check_step_text(text)
    if isinstance(checked, StepProblem):
        await message.reply_text(problem_text(checked))  # the flow stays: try again
        return
    services = context.services
    result, plan = await my_steps.smaller(services.db, said.participant_id,
                                          state.state(StepSmallerFlow).step, checked,
                                          services.clock.now(), said.account_id)
    notice = problem_text(result) if isinstance(result, StepProblem) else _(
        "Good idea. The smaller step comes first now.")
    await _show(said.update, context, plan, "open", 0, notice=notice, edit=False)


# --- own steps ------------------------------------------------------------------------------

async def on_add(press: Pressed[pb.StepAdd], context: BotContext) -> None:
    query = press.query
    plan = await my_steps.show(context.services.db, press.participant_id)
    goal_id = press.data.goal
    if goal_id is None and len(plan.goals) == 1:
        goal_id = plan.goals[0].id
    if goal_id is not None and plan.goal(goal_id) is None:
        # Not (any more) one of this participant's goals.
        await query.answer(no_longer_works(_list_hint()))
        return
    await query.answer()
    if goal_id is None:
        rows = [[InlineKeyboardButton(f"🎯 {short(goal.text, 40)}",
                                      callback_data=pb.StepAdd(goal=goal.id).pack())]
                for goal in plan.goals[:20]]
        rows.append(menu_button_row())
        await query.edit_message_text(_("For which goal is the new step?"),
                                      reply_markup=InlineKeyboardMarkup(rows))
        return
    goal = plan.goal(goal_id)
    assert goal is not None
    await conversation.begin(context.services.db, press.account_id, "text",
                             StepAddFlow(goal=goal_id), context.services.clock.now())
    await query.edit_message_text(_(
        "A new step for: <b>{goal}</b>\n\nType the step in a few words (at most {n} "
        "characters).\n(/annuleer to stop)").format(goal=html.escape(goal.text),
                                                    n=STEP_TEXT_MAX))


def _when_keyboard() -> InlineKeyboardMarkup:
    def button(label: str, when: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=pb.StepAddDate(when=when).pack())  # type: ignore[arg-type]

    return InlineKeyboardMarkup([
        [button(_("Today"), "today"), button(_("Tomorrow"), "tomorrow")],
        [button(_("Next week"), "next_week"), button(_("Another day"), "type")],
        [button(_("No date"), "none")],
    ])


async def on_add_typed(said: Said, context: BotContext, state: Conversation) -> None:
    message, services = said.message, context.services
    if state.step in ("date", "when"):
        # At "when" the buttons are the question, but a typed day is just as good an answer.
        day = parse_day(message.text or "", _today(context))
        if day is None:
            await message.reply_text(_unclear_date_text())
            return
        await _save_own_step(said.update, context, said.participant_id, said.account_id,
                             state, day)
        return
    checked = check_step_text(message.text or "")
    if isinstance(checked, StepProblem):
        await message.reply_text(problem_text(checked))
        return
    adding = state.state(StepAddFlow).model_copy(update={"text": checked})
    await conversation.begin(services.db, said.account_id, "when", adding,
                             services.clock.now())
    await message.reply_text(_("When do you want to do it?"), reply_markup=_when_keyboard())


async def _add_question(press: Pressed[pb.StepAddDate], context: BotContext
                        ) -> Conversation | None:
    """The own-step flow at its "when" question, or None (answered) when it is closed."""
    services = context.services
    state = await conversation.current(services.db, press.account_id, services.clock.now())
    if not isinstance(state, Conversation) or state.flow != FLOW_ADD \
            or state.step != "when":
        await press.query.answer(_("This question is already closed. Type /stappen for your "
                                   "list."))
        return None
    await press.query.answer()
    return state


async def ask_add_date(press: Pressed[pb.StepAddDate], context: BotContext) -> None:
    """type: the participant types the day of the new step."""
    state = await _add_question(press, context)
    if state is None:
        return
    services = context.services
    await conversation.begin(services.db, press.account_id, "date", state.state(StepAddFlow),
                             services.clock.now())
    await press.query.edit_message_text(_ask_date_text())


def add_on(pick: Pick | None) -> OnPress[pb.StepAddDate]:
    """today / tomorrow / next_week / none: save the new step with that date (or none)."""
    async def on_press(press: Pressed[pb.StepAddDate], context: BotContext) -> None:
        state = await _add_question(press, context)
        if state is None:
            return
        day = deadline(pick, _today(context)) if pick else None
        await _save_own_step(press.update, context, press.participant_id, press.account_id,
                             state, day)

    return on_press


async def _save_own_step(update: Update, context: BotContext, participant_id: int,
                         account_id: int, state: Conversation, day: date | None) -> None:
    services = context.services
    adding = state.state(StepAddFlow)
    result, plan = await my_steps.add(
        services.db, participant_id, adding.goal, adding.text or "", day,
        services.clock.now(), account_id)
    notice = problem_text(result) if isinstance(result, StepProblem) else _(
        "Your step is on the list. Your coach can see that you added it.")
    await _show(update, context, plan, "open", _page_with(plan, result), notice=notice,
                edit=update.callback_query is not None)


def _page_with(plan: Plan, result: StepAdded | StepProblem) -> int:
    from bot.core.action_list import build_pages, page_of_step

    if isinstance(result, StepProblem):
        return 0
    return page_of_step(build_pages(plan.goals, plan.steps), result.step_id) or 0


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(Command("stappen", steps_command, role="participant"))
    presses = [
        PressHandler(pb.StepList, on_page, role="participant", hint=_list_hint),
        PressHandler(pb.StepDone, on_done, role="participant", hint=_list_hint),
        PressHandler(pb.StepUndo, on_undo, role="participant", hint=_list_hint),
        PressHandler(pb.StepStuck, on_stuck, role="participant", hint=_list_hint),
        PressHandler(pb.StepMove, ask_move_date, role="participant", when="type",
                     hint=_list_hint),
        PressHandler(pb.StepMove, move_to("tomorrow"), role="participant", when="tomorrow",
                     hint=_list_hint),
        PressHandler(pb.StepMove, move_to("next_week"), role="participant", when="next_week",
                     hint=_list_hint),
        PressHandler(pb.StepHelp, on_help, role="participant", hint=_list_hint),
        PressHandler(pb.StepSmaller, on_smaller, role="participant", hint=_list_hint),
        PressHandler(pb.StepAdd, on_add, role="participant", hint=_list_hint),
        PressHandler(pb.StepAddDate, ask_add_date, role="participant", when="type",
                     hint=_list_hint),
        *(PressHandler(pb.StepAddDate, add_on(pick), role="participant", when=when,
                       hint=_list_hint) for when, pick in ADD_DATES.items()),
    ]
    for handler in presses:
        app.add_handler(handler)
    router.on(FLOW_DATE, text_step(on_date_typed, role="participant"))
    router.on(FLOW_SMALLER, text_step(on_smaller_typed, role="participant"))
    router.on(FLOW_ADD, text_step(on_add_typed, role="participant"))


# The own step's date buttons (StepAddDate.when) and the day each means; "type" asks.
ADD_DATES: dict[str, Pick | None] = {"today": "today", "tomorrow": "tomorrow",
                                     "next_week": "next_week", "none": None}
