"""A goal of the participant's own (/doel, or the button under "Mijn stappen"): what, why,
a pillar or none, a first step or none. Thin: the state is the `own_goal` conversation, the
rules and the save are in bot/flows/own_goals.py, the words in bot/ui/screens/own_goals.py."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.command_names import names
from bot.core.conversations import OwnGoalFlow
from bot.core.plan_input import TextProblem
from bot.flows import conversation, own_goals
from bot.flows.conversation import Conversation
from bot.flows.own_goals import OwnGoalSaved
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.my_steps import problem_text
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.ui.buttons.own_goals import OwnGoal
from bot.ui.screens import own_goals as screen

FLOW = OwnGoalFlow.flow


async def start(update: Update, context: BotContext) -> None:
    message, who = update.effective_message, context.who
    if message is None:
        return
    if who is None or who.participant_id is None or who.account_id is None:
        await message.reply_text(screen.not_now())
        return
    await conversation.begin(context.services.db, who.account_id, "what", OwnGoalFlow(),
                             context.services.clock.now())
    await message.reply_text(screen.ask_what())


async def on_start_press(press: Pressed[OwnGoal], context: BotContext) -> None:
    await press.query.answer()
    await start(press.update, context)


async def on_text(update: Update, context: BotContext, state: Conversation) -> None:
    message, who, services = update.effective_message, context.who, context.services
    if message is None or who is None or who.participant_id is None or who.account_id is None:
        return
    goal = state.state(OwnGoalFlow)
    now = services.clock.now()
    if state.step == "what":
        what = own_goals.check_what(message.text or "")
        if isinstance(what, TextProblem):
            await message.reply_text(screen.what_problem(what))
            return
        await conversation.begin(services.db, who.account_id, "why",
                                 goal.model_copy(update={"what": what}), now)
        await message.reply_text(screen.ask_why())
    elif state.step == "why":
        why = own_goals.check_why(message.text or "")
        if isinstance(why, TextProblem):
            await message.reply_text(screen.why_problem(why))
            return
        await conversation.begin(services.db, who.account_id, "pillar",
                                 goal.model_copy(update={"why": why}), now)
        labels = await own_goals.pillars_for(services.db, who.participant_id, who.locale)
        text, markup = screen.ask_pillar(labels)
        await message.reply_text(text, reply_markup=markup)
    elif state.step == "pillar":
        await message.reply_text(screen.tap_a_pillar())
    else:
        await _save(update, context, goal, message.text or "")


async def on_press(press: Pressed[OwnGoal], context: BotContext) -> None:
    query, data, services = press.query, press.data, context.services
    state = await conversation.current(services.db, press.account_id, services.clock.now())
    if not isinstance(state, Conversation) or state.flow != FLOW or state.step != data.at:
        await query.answer(no_longer_works())  # an old question, or a second tap
        return
    await query.answer()
    goal = state.state(OwnGoalFlow)
    if query.message is not None:
        await query.edit_message_reply_markup(None)  # the choice is made
    if data.at == "pillar":
        await conversation.begin(services.db, press.account_id, "step",
                                 goal.model_copy(update={"pillar": data.pillar}),
                                 services.clock.now())
        text, markup = screen.ask_step()
        if press.message is not None:
            await press.message.chat.send_message(text, reply_markup=markup)
        return
    await _save(press.update, context, goal, None)


async def _save(update: Update, context: BotContext, goal: OwnGoalFlow, step: str | None
                ) -> None:
    message, who, services = update.effective_message, context.who, context.services
    assert who is not None and who.participant_id is not None and who.account_id is not None
    result = await own_goals.save(services.db, who.participant_id, who.account_id, goal, step,
                                  None, services.clock.now())
    if message is None:
        return
    if isinstance(result, OwnGoalSaved):
        text, markup = screen.saved(goal.what or "", result.step_id is not None)
        await message.chat.send_message(text, reply_markup=markup)
    elif isinstance(result, TextProblem):
        await message.reply_text(screen.what_problem(result))
    else:
        await message.reply_text(problem_text(result))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(names("doel"), start))
    app.add_handler(PressHandler(OwnGoal, on_press_or_start, role="participant"))
    router.on(FLOW, on_text)


async def on_press_or_start(press: Pressed[OwnGoal], context: BotContext) -> None:
    if press.data.at == "start":
        await on_start_press(press, context)
    else:
        await on_press(press, context)
