"""The one router for conversations: typed text, media and flow buttons go to the flow the
person is in.

Features register per flow name `router.on(flow, text_step, tap=tap_step, media=media_step)`.
Typed text reaches the flow's text step (otherwise a short "I didn't understand"); a `PlanTap`
button reaches its tap step, only while the flow is at the question the button belongs to. A
photo, voice note or file reaches the media step only when the flow's state model says the
current step takes that kind (`FlowState.step_takes`); any other step answers in its own terms
("A photo does not work here. Type your answer.") and nothing changes. Outside a flow media gets
no answer. Only Telegram's file ids are passed on, never a file's content. The router is built
in `handlers.register` (not at import time); its catch-all handlers are registered last.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Message, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters
from telegram.warnings import PTBDeprecationWarning

from bot.command_names import names
from bot.core.conversations import FLOWS, Document, Media, Photo, Voice
from bot.flows import conversation
from bot.flows.conversation import Conversation, Expired
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.ui.buttons.coach import PlanTap
from bot.ui.screens.conversation import media_refused

log = logging.getLogger(__name__)

TextStep = Callable[[Update, BotContext, Conversation], Awaitable[None]]
TapStep = Callable[[Update, BotContext, Conversation, PlanTap, Message], Awaitable[None]]
MediaStep = Callable[[Update, BotContext, Conversation, Media], Awaitable[None]]
Fallback = Callable[[Update, BotContext], Awaitable[None]]


class ConversationRouter:
    def __init__(self) -> None:
        self._steps: dict[str, TextStep] = {}
        self._taps: dict[str, TapStep] = {}
        self._media: dict[str, MediaStep] = {}
        self.fallback: Fallback = _not_understood

    def on(self, flow: str, text: TextStep, *, tap: TapStep | None = None,
           media: MediaStep | None = None) -> None:
        if flow in self._steps:
            raise ValueError(f"flow {flow!r} registered twice")
        if flow not in FLOWS:
            raise ValueError(f"flow {flow!r} has no state model in bot/core/conversations.py")
        if media is None and any(t.media for t in FLOWS[flow].step_takes.values()):
            raise ValueError(f"flow {flow!r} has a step that takes media but no media step")
        self._steps[flow] = text
        if tap is not None:
            self._taps[flow] = tap
        if media is not None:
            self._media[flow] = media

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
        state = await self._flow_of(update, context)
        if isinstance(state, Expired):
            return
        if state is None:
            await self.fallback(update, context)
            return
        await self._steps[state.flow](update, context, state)

    async def handle_media(self, update: Update, context: BotContext) -> None:
        message = update.effective_message
        sent = media_of(message) if message is not None else None
        if message is None or sent is None:
            return
        state = await self._flow_of(update, context)
        if not isinstance(state, Conversation):
            return  # outside any flow media gets no answer, as before media were routed
        takes = FLOWS[state.flow].takes(state.step)
        step = self._media.get(state.flow)
        if sent.kind not in takes.media or step is None:
            await message.reply_text(media_refused(sent.kind, takes))
            return
        await step(update, context, state, sent)

    async def _flow_of(self, update: Update, context: BotContext
                       ) -> Conversation | Expired | None:
        """The flow the sender is in; a stale one (or one no feature routes) is ended and
        said so, and comes back as Expired: the message is answered already."""
        who = context.who
        if who is None or who.account_id is None:
            return None
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
                state = Expired(state.flow)
            log.info("flow expired for account %s", who.account_id)
            if update.effective_message:
                await update.effective_message.reply_text(
                    _("We had stopped what we were doing, so nothing was saved. "
                      "You can start again from the menu.")
                )
        return state


def media_of(message: Message) -> Media | None:
    """The photo (its largest size), voice note or file in `message`: Telegram's ids only."""
    if message.photo:
        return Photo(message.photo[-1].file_id)
    if message.voice is not None:
        with warnings.catch_warnings():  # PTB moves durations to timedelta; both are read
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            duration = message.voice.duration
        seconds = duration.total_seconds() if isinstance(duration, timedelta) else duration
        return Voice(message.voice.file_id, int(seconds))
    if message.document is not None:
        return Document(message.document.file_id, message.document.file_name,
                        message.document.mime_type)
    return None


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
    """Call last: the catch-all for text that is not a command, for media, and the flows'
    buttons."""
    # Flow buttons (PlanTap) belong to the coach's flows (plan, step edit, goal close).
    app.add_handler(PressHandler(PlanTap, router.handle_tap, role="coach"))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, router.handle_text))
    app.add_handler(MessageHandler(filters.PHOTO | filters.VOICE | filters.Document.ALL,
                                   router.handle_media))
