"""The route in a crisis: /hulp, the home menu's button, and a clear crisis phrase typed to
the bot (anywhere in a longer text, also in the middle of another flow: this answer comes
first, the flow stays as it was). The answer is direct; the coach hears of a typed phrase
through the outbox, within working hours (bot.flows.crisis)."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.command_names import names
from bot.core.crisis import mentions_crisis
from bot.flows import crisis
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler
from bot.ui.buttons.crisis import CrisisRoute
from bot.ui.screens.crisis import route_text


async def show_route(update: Update, context: BotContext) -> None:
    """/hulp: the same route for anyone (a participant's own coach when there is one)."""
    message = update.effective_message
    if message is None:
        return
    who = context.who
    route = await crisis.route(context.services.db, who.participant_id if who else None)
    await message.reply_text(route_text(route))


async def on_button(press: Pressed[CrisisRoute], context: BotContext) -> None:
    route = await crisis.route(context.services.db, press.who.participant_id)
    await press.query.answer()
    if press.message is not None:
        await press.message.reply_text(route_text(route))


class _CrisisPhrase(filters.MessageFilter):
    def filter(self, message: Message) -> bool:
        return mentions_crisis(message.text)


async def on_phrase(update: Update, context: BotContext) -> None:
    message = update.effective_message
    who = context.who
    if message is None:
        return
    if who is None or who.participant_id is None:
        if who is not None and who.coach_id is not None:
            # A coach typing a note about someone: not theirs to answer here.
            router: ConversationRouter = context.application.bot_data["router"]
            await router.handle_text(update, context)
            return
        await message.reply_text(route_text(crisis.Route()))
        return
    route = await crisis.phrase_typed(context.services.db, who.participant_id,
                                      context.services.clock.now())
    await message.reply_text(route_text(route))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    """Register before every other text handler: a crisis phrase is answered first."""
    app.add_handler(CommandHandler(names("hulp"), show_route))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & _CrisisPhrase(),
                                   on_phrase))
    app.add_handler(PressHandler(CrisisRoute, on_button, role=("participant", "coach")))
