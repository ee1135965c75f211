"""The one router for conversations: typed text and flow buttons go to the flow the person is in.

Features register per flow name `router.on(flow, text_step, tap=tap_step)`. Typed text reaches
the flow's text step (otherwise a short "I didn't understand"); a `PlanTap` button reaches its
tap step, only while the flow is at the question the button belongs to. The router is built in
`handlers.register` (not at import time); its catch-all text handler is registered last.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Message, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.command_names import names
from bot.core.conversations import FLOWS
from bot.flows import conversation
from bot.flows.conversation import Conversation, Expired
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.ui.buttons.coach import PlanTap

log = logging.getLogger(__name__)

TextStep = Callable[[Update, BotContext, Conversation], Awaitable[None]]
TapStep = Callable[[Update, BotContext, Conversation, PlanTap, Message], Awaitable[None]]
Fallback = Callable[[Update, BotContext], Awaitable[None]]


class ConversationRouter:
    def __init__(self) -> None:
        self._steps: dict[str, TextStep] = {}
        self._taps: dict[str, TapStep] = {}
        self.fallback: Fallback = _not_understood

    def on(self, flow: str, text: TextStep, *, tap: TapStep | None = None) -> None:
        if flow in self._steps:
            raise ValueError(f"flow {flow!r} registered twice")
        if flow not in FLOWS:
            raise ValueError(f"flow {flow!r} has no state model in bot/core/conversations.py")
        self._steps[flow] = text
        if tap is not None:
            self._taps[flow] = tap

    async def handle_tap(self, press: Pressed[PlanTap], context: BotContext) -> None:
        query, tap = press.query, press.data
        services = context.services
        state = await conversation.current(services.db, press.account_id, services.clock.now())
        if isinstance(state, Expired):
            # Left too long (e.g. overnight): say so once, instead of a silent dead button.
            await query.answer(no_longer_works())
            if press.message is not None:
                await press.message.chat.send_message(_(
                    "We had stopped what we were doing, so nothing was saved. "
                    "You can start again from the menu."))
            return
        if not isinstance(state, Conversation) or tap.at != state.step:
            # No flow, a button of an earlier question, or the same tap delivered twice.
            await query.answer(no_longer_works())
            return
        step = self._taps.get(state.flow)
        if step is None or press.message is None:
            await query.answer(no_longer_works())
            return
        await step(press.update, context, state, tap, press.message)

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
    app.add_handler(CommandHandler(names("annuleer"), cancel))


def register_router(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    """Call last: the catch-all for text that is not a command, and the flows' buttons."""
    # Flow buttons (PlanTap) belong to the coach's flows (plan, step edit, goal close).
    app.add_handler(PressHandler(PlanTap, router.handle_tap, role="coach"))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, router.handle_text))
