"""The route in a crisis: /hulp, the home menu's button, and a clear crisis phrase typed to
the bot (anywhere in a longer text, also in the middle of another flow: this answer comes
first, the flow stays as it was). The answer is direct; the coach hears of a typed phrase
through the outbox, within working hours (bot.flows.crisis)."""

from __future__ import annotations

from telegram import Message
from telegram.ext import Application, filters

from bot.core.crisis import mentions_crisis
from bot.flows import crisis
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import OnPress, Pressed, PressHandler
from bot.telegram.routing import Command, Said, Typed
from bot.ui.buttons.crisis import CrisisRoute
from bot.ui.screens.crisis import route_text


async def _route_of(context: BotContext, participant_id: int | None) -> str:
    return route_text(await crisis.route(context.services.db, participant_id))


async def own_route(said: Said, context: BotContext) -> None:
    """/hulp for a participant: with their own coach."""
    await said.message.reply_text(await _route_of(context, said.participant_id))


async def general_route(said: Said, context: BotContext) -> None:
    """/hulp for anyone else: the same numbers, without a coach."""
    await said.message.reply_text(await _route_of(context, None))


def button(participant: bool) -> OnPress[CrisisRoute]:
    """The home menu's button (a participant's), or the same on a coach's screen."""
    async def on_press(press: Pressed[CrisisRoute], context: BotContext) -> None:
        text = await _route_of(context, press.participant_id if participant else None)
        await press.query.answer()
        if press.message is not None:
            await press.message.reply_text(text)

    return on_press


class _CrisisPhrase(filters.MessageFilter):
    def filter(self, message: Message) -> bool:
        return mentions_crisis(message.text)


async def phrase_from_participant(said: Said, context: BotContext) -> None:
    """The route at once; the coach hears of it through the outbox, within working hours."""
    route = await crisis.phrase_typed(context.services.db, said.participant_id,
                                      context.services.clock.now())
    await said.message.reply_text(route_text(route))


async def phrase_from_coach(said: Said, context: BotContext) -> None:
    """A coach typing a note about someone: not theirs to answer here."""
    router: ConversationRouter = context.application.bot_data["router"]
    await router.handle_text(said.update, context)


async def phrase_from_anyone(said: Said, context: BotContext) -> None:
    await said.message.reply_text(route_text(crisis.Route()))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    """Register before every other text handler: a crisis phrase is answered first."""
    app.add_handler(Command("hulp", {"participant": own_route, "anyone": general_route}))
    app.add_handler(Typed(filters.TEXT & ~filters.COMMAND & _CrisisPhrase(), {
        "participant": phrase_from_participant, "coach": phrase_from_coach,
        "anyone": phrase_from_anyone}))
    app.add_handler(PressHandler(CrisisRoute, {"participant": button(participant=True),
                                               "coach": button(participant=False)}))
