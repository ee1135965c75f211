"""Help after a setback: the offer after a second move or a second "still busy", and its two
own choices (if-then plan, the lesson). Smaller step and asking the coach are the step list's
own presses. Thin: rules in core/setbacks.py, use cases in flows/setbacks.py."""

from __future__ import annotations

from telegram import Message, Update
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
from bot.ui.buttons.setbacks import SetbackChoice
from bot.ui.screens import setbacks as screen
from bot.ui.screens.lessons import render_lesson


async def send_offer(message: Message | None, setback: Setback | None) -> None:
    """After the answer to the press that caused it: the offer, once per step."""
    if message is None or setback is None:
        return
    text, markup = screen.offer(setback)
    await message.chat.send_message(text, reply_markup=markup)


async def on_choice(press: Pressed[SetbackChoice], context: BotContext) -> None:
    query, data, services = press.query, press.data, context.services
    message = press.message
    if data.choice != "if_then":
        found = setbacks.lesson(LESSON_FOR[data.choice], current_locale())
        await query.answer()
        if found is not None and message is not None:
            text, markup = render_lesson(*found)
            await message.chat.send_message(text, reply_markup=markup)
        return
    step_text = await setbacks.begin_if_then(services.db, press.participant_id,
                                             press.account_id, data.step, services.clock.now())
    if step_text is None:
        await query.answer(screen.step_gone())
        return
    await query.answer()
    if message is not None:
        await message.chat.send_message(screen.ask_if_then(step_text))


async def on_if_then_typed(update: Update, context: BotContext, state: Conversation) -> None:
    message, who, services = update.effective_message, context.who, context.services
    if message is None or who is None or who.participant_id is None or who.account_id is None:
        return
    step = state.state(IfThenFlow).step
    result = await setbacks.save_if_then(services.db, who.participant_id, who.account_id, step,
                                         message.text or "", services.clock.now())
    if isinstance(result, TextProblem):
        await message.reply_text(screen.if_then_problem(result))
    elif result is None:
        await message.reply_text(screen.step_gone())
    else:
        await message.reply_text(screen.if_then_saved(result))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(PressHandler(SetbackChoice, on_choice, role="participant"))
    router.on(IfThenFlow.flow, on_if_then_typed)
