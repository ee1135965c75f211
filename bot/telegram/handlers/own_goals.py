"""A goal of the participant's own (/doel, or the button under "Mijn stappen"): what, why,
a pillar or none, a first step or none. Thin: the state is the `own_goal` conversation, the
rules and the save are in bot/flows/own_goals.py, the words in bot/ui/screens/own_goals.py."""

from __future__ import annotations

from telegram import Message
from telegram.ext import Application

from bot.core.conversations import OwnGoalFlow
from bot.core.plan_input import TextProblem
from bot.flows import conversation, own_goals
from bot.flows.conversation import Conversation
from bot.flows.own_goals import OwnGoalSaved
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.my_steps import problem_text
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.telegram.routing import Command, Said, text_step
from bot.ui.buttons.own_goals import OwnGoal
from bot.ui.screens import own_goals as screen

FLOW = OwnGoalFlow.flow


async def start(said: Said, context: BotContext) -> None:
    """/doel: what is the goal?"""
    await _begin(said.message, context, said.account_id)


async def _begin(message: Message, context: BotContext, account_id: int) -> None:
    await conversation.begin(context.services.db, account_id, "what", OwnGoalFlow(),
                             context.services.clock.now())
    await message.reply_text(screen.ask_what())


async def on_start_press(press: Pressed[OwnGoal], context: BotContext) -> None:
    """start: the button under "My steps"."""
    await press.query.answer()
    if press.message is not None:
        await _begin(press.message, context, press.account_id)


async def on_text(said: Said, context: BotContext, state: Conversation) -> None:
    message, services = said.message, context.services
    goal = state.state(OwnGoalFlow)
    now = services.clock.now()
    if state.step == "what":
        what = own_goals.check_what(message.text or "")
        if isinstance(what, TextProblem):
            await message.reply_text(screen.what_problem(what))
            return
        await conversation.begin(services.db, said.account_id, "why",
                                 goal.model_copy(update={"what": what}), now)
        await message.reply_text(screen.ask_why())
    elif state.step == "why":
        why = own_goals.check_why(message.text or "")
        if isinstance(why, TextProblem):
            await message.reply_text(screen.why_problem(why))
            return
        await conversation.begin(services.db, said.account_id, "pillar",
                                 goal.model_copy(update={"why": why}), now)
        labels = await own_goals.pillars_for(services.db, said.participant_id, said.who.locale)
        text, markup = screen.ask_pillar(labels)
        await message.reply_text(text, reply_markup=markup)
    elif state.step == "pillar":
        await message.reply_text(screen.tap_a_pillar())
    else:
        await _save(message, context, said.participant_id, said.account_id, goal,
                    message.text or "")


async def _at_question(press: Pressed[OwnGoal], context: BotContext) -> OwnGoalFlow | None:
    """The goal being made, when the flow is at this button's question (its buttons go);
    None (answered) for an old question or a second tap."""
    query, services = press.query, context.services
    state = await conversation.current(services.db, press.account_id, services.clock.now())
    if not isinstance(state, Conversation) or state.flow != FLOW or state.step != press.data.at:
        await query.answer(no_longer_works())
        return None
    await query.answer()
    if query.message is not None:
        await query.edit_message_reply_markup(None)  # the choice is made
    return state.state(OwnGoalFlow)


async def pick_pillar(press: Pressed[OwnGoal], context: BotContext) -> None:
    """pillar: the chosen pillar (or none); then a first step."""
    goal = await _at_question(press, context)
    if goal is None:
        return
    await conversation.begin(context.services.db, press.account_id, "step",
                             goal.model_copy(update={"pillar": press.data.pillar}),
                             context.services.clock.now())
    text, markup = screen.ask_step()
    if press.message is not None:
        await press.message.chat.send_message(text, reply_markup=markup)


async def no_step(press: Pressed[OwnGoal], context: BotContext) -> None:
    """step: save the goal without a first step."""
    goal = await _at_question(press, context)
    if goal is not None:
        await _save(press.message, context, press.participant_id, press.account_id, goal, None)


async def _save(message: Message | None, context: BotContext, participant_id: int,
                account_id: int, goal: OwnGoalFlow, step: str | None) -> None:
    """`message`: the typed step, or the message with the buttons (None: gone)."""
    services = context.services
    result = await own_goals.save(services.db, participant_id, account_id, goal, step, None,
                                  services.clock.now())
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
    app.add_handler(Command("doel", start, role="participant"))
    app.add_handler(PressHandler(OwnGoal, on_start_press, role="participant", when="start"))
    app.add_handler(PressHandler(OwnGoal, pick_pillar, role="participant", when="pillar"))
    app.add_handler(PressHandler(OwnGoal, no_step, role="participant", when="step"))
    router.on(FLOW, text_step(on_text, role="participant"))
