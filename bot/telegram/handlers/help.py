"""/help: what this bot can do, for the person asking (participant, coach or anyone else)."""

from __future__ import annotations

from bot.telegram.context import BotContext
from bot.telegram.routing import Audience, OnMessage, Said
from bot.ui.screens.home import help_keyboard, help_text


async def help_for_participant(said: Said, context: BotContext) -> None:
    # A participant's short help leads with what people do most; the rest is one tap away.
    await said.message.reply_text(help_text(False, True), reply_markup=help_keyboard())


async def help_for_coach(said: Said, context: BotContext) -> None:
    await said.message.reply_text(help_text(True, False))


async def help_for_anyone(said: Said, context: BotContext) -> None:
    await said.message.reply_text(help_text(False, False))


HELP: dict[Audience, OnMessage] = {
    "participant": help_for_participant, "coach": help_for_coach, "anyone": help_for_anyone,
}
