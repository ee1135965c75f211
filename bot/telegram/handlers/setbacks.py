"""Help after a setback: the offer after a second move or a second "still busy", and its two
own choices (if-then plan, the lesson). Smaller step and asking the coach are the step list's
own presses. Thin: rules in core/setbacks.py, use cases in flows/setbacks.py."""

from __future__ import annotations

from telegram import Message
from telegram.ext import Application

from bot.core.conversations import IfThenFlow
from bot.core.plan_input import TextProblem
from bot.core.setbacks import LESSON_FOR
from bot.flows import setbacks
from bot.flows.conversation import Conversation
from bot.flows.setbacks import Setback
from bot.i18n import current_locale
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler
from bot.telegram.routing import Said, text_step
from bot.ui.buttons.setbacks import SetbackChoice
from bot.ui.screens import setbacks as screen
from bot.ui.screens.lessons import render_lesson


async def send_offer(message: Message | None, setback: Setback | None) -> None:
    """After the answer to the press that caused it: the offer, once per step."""
    if message is None or setback is None:
        return
    text, markup = screen.offer(setback)
    await message.chat.send_message(text, reply_markup=markup)


async def read_lesson(press: Pressed[SetbackChoice], context: BotContext) -> None:
    """moved / still_busy: the lesson that fits the setback."""
    found = setbacks.lesson(LESSON_FOR[press.data.choice], current_locale())
    await press.query.answer()
    if found is not None and press.message is not None:
        text, markup = render_lesson(*found)
        await press.message.chat.send_message(text, reply_markup=markup)


async def make_if_then(press: Pressed[SetbackChoice], context: BotContext) -> None:
    """if_then: the participant types an if-then plan for the step."""
    services = context.services
    step_text = await setbacks.begin_if_then(services.db, press.participant_id,
                                             press.account_id, press.data.step,
                                             services.clock.now())
    if step_text is None:
        await press.query.answer(screen.step_gone())
        return
    await press.query.answer()
    if press.message is not None:
        await press.message.chat.send_message(screen.ask_if_then(step_text))


async def on_if_then_typed(said: Said, context: BotContext, state: Conversation) -> None:
    message, services = said.message, context.services
    step = state.state(IfThenFlow).step
    result = await setbacks.save_if_then(services.db, said.participant_id, said.account_id, step,
                                         message.text or "", services.clock.now())
    if isinstance(result, TextProblem):
        await message.reply_text(screen.if_then_problem(result))
    elif result is None:
        await message.reply_text(screen.step_gone())
    else:
        await message.reply_text(screen.if_then_saved(result))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(PressHandler(SetbackChoice, make_if_then, role="participant",
                                 when="if_then"))
    app.add_handler(PressHandler(SetbackChoice, read_lesson, role="participant",
                                 when=("moved", "still_busy")))
    router.on(IfThenFlow.flow, text_step(on_if_then_typed, role="participant"))
