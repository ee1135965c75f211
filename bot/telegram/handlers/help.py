from __future__ import annotations

from telegram import Update

from bot.telegram.context import BotContext
from bot.telegram.handlers.press import has_role
from bot.ui.screens.home import help_keyboard, help_text


async def show_help(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    who = context.who
    coach, participant = has_role(who, "coach"), has_role(who, "participant")
    # A participant's short help leads with what people do most; the rest is one tap away.
    await message.reply_text(help_text(coach, participant),
                             reply_markup=help_keyboard() if participant and not coach else None)
