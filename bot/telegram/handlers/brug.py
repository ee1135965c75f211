"""/brug, the home button `home:brug`, and the Brug's buttons (BrugFill, BrugMine, BrugCoach).

Thin: parse the button, call one use case in bot.flows.brug, show the result. Pictures are sent
by Telegram file_id when the same content was sent before (see bot.render.picture_cache).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CommandHandler

from bot.command_names import names
from bot.flows import brug as flows
from bot.flows.identity import Who
from bot.i18n import _
from bot.render.brug import picture_cache_key, render_brug
from bot.render.brug_timeline import render_timeline, timeline_cache_key
from bot.render.picture_cache import PictureCache
from bot.storage.models import FilledBy
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler, has_role, participant_of
from bot.ui.buttons.base import Home
from bot.ui.buttons.brug import BrugCoach, BrugFill, BrugMine
from bot.ui.screens import brug as present

log = logging.getLogger(__name__)

CACHE_KEY = "brug_pictures"


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.bot_data[CACHE_KEY] = PictureCache()
    app.add_handler(CommandHandler(names("brug"), brug_command))
    app.add_handler(PressHandler(Home, home_brug, role="participant",
                                 when=lambda home: home.target == "brug"))
    # Filling in is done by a participant, or by a coach for one of their participants.
    app.add_handler(PressHandler(BrugFill, on_fill, role=("participant", "coach"),
                                 hint=_brug_hint))
    app.add_handler(PressHandler(BrugMine, on_mine, role="participant", hint=_brug_hint))
    app.add_handler(PressHandler(BrugCoach, on_coach, role="coach", hint=_brug_hint))


def _not_available() -> str:
    return _("This is not available.")


def _brug_hint() -> str:
    return _("Type /brug to see your Brug.")


# --- /brug and the home button ---------------------------------------------------------------


async def brug_command(update: Update, context: BotContext) -> None:
    message, who = update.effective_message, context.who
    if message is None or who is None:
        return
    if (participant_id := participant_of(who)) is not None:
        await _show(context, message.chat_id, who, participant_id, "latest")
    elif has_role(who, "coach"):
        await message.reply_text(
            _("Open a participant from your list to see their Brug.")
        )
    else:
        await message.reply_text(
            _("To see your Brug, you first need a personal link from your coach.")
        )


async def home_brug(press: Pressed[Home], context: BotContext) -> None:
    await press.query.answer()
    await _show(context, press.chat_id, press.who, press.participant_id, "latest")


# --- showing ---------------------------------------------------------------------------------


async def _show(
    context: BotContext, chat_id: int, who: Who, participant_id: int,
    mode: Literal["latest", "compare", "one"], measurement_id: int | None = None,
) -> bool:
    """Send the picture (or the kind offer to fill it in). False when access was refused."""
    services = context.services
    result = await flows.view(services.db, who, participant_id, services.clock.now(), mode,
                              measurement_id)
    if isinstance(result, flows.Refused):
        return False
    if isinstance(result, flows.NoMeasurement):
        await context.bot.send_message(
            chat_id, present.offer_text(result), reply_markup=present.offer_keyboard(result)
        )
        return True
    await _send_picture(context, chat_id, result, who.timezone)
    return True


async def _send_picture(
    context: BotContext, chat_id: int, view: flows.BrugView, timezone: str
) -> None:
    picture = present.picture(view, timezone)
    await _send_png(context, chat_id, picture_cache_key(picture), lambda: render_brug(picture),
                    present.caption(view, timezone), present.view_keyboard(view))


async def _send_png(context: BotContext, chat_id: int, key: str, draw: Callable[[], bytes],
                    caption: str, keyboard: InlineKeyboardMarkup) -> None:
    """A picture by Telegram file_id when the same content went out before, else drawn."""
    cache: PictureCache = context.bot_data[CACHE_KEY]
    file_id = cache.file_id(key)
    if file_id is not None:
        try:
            await context.bot.send_photo(chat_id, file_id, caption=caption,
                                         reply_markup=keyboard)
            return
        except BadRequest:
            log.warning("cached Brug file_id refused; uploading again")
            cache.forget(key)
    png = await cache.png(key, draw)
    sent = await context.bot.send_photo(chat_id, png, caption=caption, reply_markup=keyboard,
                                        filename="brug.png")
    if sent.photo:
        cache.remember(key, sent.photo[-1].file_id)


async def _show_timeline(context: BotContext, chat_id: int, who: Who, participant_id: int
                         ) -> bool:
    """Every time the Brug was filled in, one small line per pillar, with its words."""
    services = context.services
    result = await flows.timeline(services.db, who, participant_id, services.clock.now())
    if isinstance(result, flows.Refused):
        return False
    if isinstance(result, flows.NoMeasurement):
        await context.bot.send_message(
            chat_id, present.offer_text(result), reply_markup=present.offer_keyboard(result))
        return True
    picture = present.timeline_picture(result, who.timezone)
    await _send_png(context, chat_id, timeline_cache_key(picture),
                    lambda: render_timeline(picture),
                    present.timeline_caption(result, who.timezone),
                    present.timeline_keyboard(result))
    return True


async def _show_history(context: BotContext, chat_id: int, who: Who, participant_id: int
                        ) -> bool:
    result = await flows.history(context.services.db, who, participant_id)
    if isinstance(result, flows.Refused):
        return False
    if not result.items:
        return await _show(context, chat_id, who, participant_id, "latest")
    await context.bot.send_message(
        chat_id, present.history_text(result, who.timezone),
        reply_markup=present.history_keyboard(result, who.timezone),
    )
    return True


# --- the participant's own buttons -----------------------------------------------------------


async def on_mine(press: Pressed[BrugMine], context: BotContext) -> None:
    query, who, data, chat_id = press.query, press.who, press.data, press.chat_id
    if data.a == "fill":
        result = await flows.start(context.services.db, who, press.participant_id,
                                   context.services.clock.now())
        await _after_fill_step(query, context, who, chat_id, result,
                               new_message=_is_photo(query))
        return
    await query.answer()
    await _view_action(context, chat_id, who, press.participant_id, data.a, data.m)


async def _view_action(context: BotContext, chat_id: int, who: Who, participant_id: int,
                       action: str, measurement_id: int | None) -> bool:
    if action == "list":
        return await _show_history(context, chat_id, who, participant_id)
    if action == "time":
        return await _show_timeline(context, chat_id, who, participant_id)
    if action == "open":
        if measurement_id is None:
            return False
        return await _show(context, chat_id, who, participant_id, "one", measurement_id)
    mode: Literal["latest", "compare"] = "compare" if action == "compare" else "latest"
    return await _show(context, chat_id, who, participant_id, mode)


# --- the coach's buttons ---------------------------------------------------------------------


async def on_coach(press: Pressed[BrugCoach], context: BotContext) -> None:
    query, who, data, chat_id = press.query, press.who, press.data, press.chat_id
    services = context.services
    if data.a == "start":
        found = await flows.history(services.db, who, data.p)
        if isinstance(found, flows.Refused):
            await query.answer(_not_available())
            return
        await query.answer()
        await context.bot.send_message(
            chat_id, _("How will this Brug be filled in?"),
            reply_markup=present.start_choice_keyboard(found.participant_id,
                                                       found.participant_name),
        )
        return
    if data.a in ("together", "coach"):
        filled_by = FilledBy.TOGETHER if data.a == "together" else FilledBy.COACH
        result = await flows.start(services.db, who, data.p, services.clock.now(),
                                   filled_by=filled_by)
        await _after_fill_step(query, context, who, chat_id, result,
                               new_message=_is_photo(query))
        return
    # Access is checked inside the use case; answer first so the spinner stops promptly.
    if not await _view_action(context, chat_id, who, data.p, data.a, data.m):
        await query.answer(_not_available())
        return
    await query.answer()


# --- filling in ------------------------------------------------------------------------------


async def on_fill(press: Pressed[BrugFill], context: BotContext) -> None:
    query, who, data = press.query, press.who, press.data
    db, now = context.services.db, context.services.clock.now()
    result: (flows.Question | flows.LevelsDone | flows.TargetsDone | flows.Stale
             | flows.Refused)
    if data.k == "q":
        result = await flows.ask(db, who, data.m, data.i)
    elif data.k == "a":
        result = await flows.answer(db, who, data.m, data.i, data.v or None, now)
    elif data.k == "tq":
        result = await flows.ask_target(db, who, data.m, data.i)
    elif data.k == "t":
        result = await flows.set_target(db, who, data.m, data.i, data.v or None, now)
    else:
        result = await flows.skip_targets(db, who, data.m)
    await _after_fill_step(query, context, who, press.chat_id, result, new_message=False)


async def _after_fill_step(
    query: CallbackQuery, context: BotContext, who: Who, chat_id: int,
    result: (flows.Question | flows.LevelsDone | flows.TargetsDone | flows.Stale
             | flows.Refused),
    *, new_message: bool,
) -> None:
    if isinstance(result, flows.Refused):
        await query.answer(_not_available())
        return
    if isinstance(result, flows.Stale):
        await query.answer(_("This was already saved."))
        return
    await query.answer()
    if isinstance(result, flows.Question):
        await _put(query, context, chat_id, present.question_text(result),
                   present.question_keyboard(result), new_message)
    elif isinstance(result, flows.LevelsDone):
        text = present.levels_done_text(result.by_coach, result.can_set_targets)
        if result.can_set_targets:
            await _put(query, context, chat_id, text,
                       present.targets_keyboard(result.measurement_id), new_message)
            return
        await _put(query, context, chat_id, text, None, new_message)
        await _show(context, chat_id, who, result.participant_id, "one", result.measurement_id)
    else:
        await _put(query, context, chat_id, _("Thank you, the Brug is saved."), None,
                   new_message)
        await _show(context, chat_id, who, result.participant_id, "one", result.measurement_id)


def _is_photo(query: CallbackQuery) -> bool:
    """Buttons under a picture start a new message; under a text, the text is replaced (so a
    second delivery of the same press edits to the same text instead of sending twice)."""
    message = query.message
    return bool(getattr(message, "photo", None))


async def _put(query: CallbackQuery, context: BotContext, chat_id: int, text: str,
               keyboard: InlineKeyboardMarkup | None, new_message: bool) -> None:
    """A question replaces the previous one in the same message, so the chat stays short."""
    if new_message:
        await context.bot.send_message(chat_id, text, reply_markup=keyboard)
        return
    await query.edit_message_text(text, reply_markup=keyboard)
