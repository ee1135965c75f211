"""Free text goes to the flow the person is in; otherwise a short "I didn't understand".

Features register a text handler per flow name with `TextRouter.on`. The router is built in
`handlers.register` (not at import time) and is the only generic text handler, registered last.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.flows import conversation
from bot.flows.conversation import Conversation, Expired
from bot.i18n import _

log = logging.getLogger(__name__)

TextStep = Callable[[Update, BotContext, Conversation], Awaitable[None]]
Fallback = Callable[[Update, BotContext], Awaitable[None]]


class TextRouter:
    def __init__(self) -> None:
        self._steps: dict[str, TextStep] = {}
        self.fallback: Fallback = _not_understood

    def on(self, flow: str, handler: TextStep) -> None:
        if flow in self._steps:
            raise ValueError(f"flow {flow!r} registered twice")
        self._steps[flow] = handler

    async def handle_text(self, update: Update, context: BotContext) -> None:
        who = context.who
        if who is None or who.account_id is None:
            await self.fallback(update, context)
            return
        services = context.services
        state = await conversation.current_of(services.db, who.account_id, who.conversation,
                                              who.conversation_at, services.clock.now())
        if isinstance(state, Expired) or (
            isinstance(state, Conversation) and state.flow not in self._steps
        ):
            # Never take this message as the answer to a question asked long ago (or by a
            # flow that no longer exists after an update of the bot).
            if isinstance(state, Conversation):
                await conversation.end(services.db, who.account_id)
            log.info("flow expired for account %s", who.account_id)
            if update.effective_message:
                await update.effective_message.reply_text(
                    _("We had stopped what we were doing, so nothing was saved. "
                      "You can start again from the menu.")
                )
            return
        if state is None:
            await self.fallback(update, context)
            return
        await self._steps[state.flow](update, context, state)


async def _not_understood(update: Update, context: BotContext) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(
            _("Sorry, I did not understand that. Type /help to see what I can do.")
        )


async def cancel(update: Update, context: BotContext) -> None:
    """/annuleer (and /cancel): leave any flow, save nothing."""
    message = update.effective_message
    who = context.who
    if message is None:
        return
    had_flow = bool(who and who.account_id and await conversation.end(
        context.services.db, who.account_id))
    if had_flow:
        await message.reply_text(_("Stopped. Nothing was saved."))
    else:
        await message.reply_text(_("There was nothing to stop."))


def register_cancel(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["annuleer", "cancel"], cancel))


def register_text_router(app: Application, router: TextRouter) -> None:  # type: ignore[type-arg]
    """Call last: the catch-all for text that is not a command."""
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, router.handle_text))
