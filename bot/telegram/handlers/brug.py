"""/brug, the home button `home:brug`, and the Brug's buttons (BrugFill, BrugMine, BrugCoach).

Thin: parse the button, call one use case in bot.flows.brug, show the result. Pictures are sent
by Telegram file_id when the same content was sent before (see bot.render.picture_cache).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Literal

from telegram import CallbackQuery, InlineKeyboardMarkup
from telegram.error import BadRequest
from telegram.ext import Application

from bot.flows import brug as flows
from bot.flows.identity import Who
from bot.i18n import _
from bot.render.brug import picture_cache_key, render_brug
from bot.render.brug_timeline import render_timeline, timeline_cache_key
from bot.render.picture_cache import PictureCache
from bot.storage.models import FilledBy
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler
from bot.telegram.routing import Command, Said
from bot.ui.buttons.base import Home
from bot.ui.buttons.brug import BrugCoach, BrugFill, BrugMine
from bot.ui.screens import brug as present

log = logging.getLogger(__name__)

CACHE_KEY = "brug_pictures"


def _not_available() -> str:
    return _("This is not available.")


def _brug_hint() -> str:
    return _("Type /brug to see your Brug.")


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.bot_data[CACHE_KEY] = PictureCache()
    app.add_handler(Command("brug", {"participant": own_brug, "coach": coach_brug}))
    app.add_handler(PressHandler(Home, home_brug, role="participant", when="brug"))
    # Filling in is done by a participant, or by a coach for one of their participants.
    fill = {"q": ask_level, "a": save_level, "tq": ask_target, "t": save_target,
            "tn": skip_targets}
    for step, on_press in fill.items():
        app.add_handler(PressHandler(BrugFill, on_press, role=("participant", "coach"),
                                     when=step, hint=_brug_hint))
    for action, view in VIEWS.items():
        app.add_handler(PressHandler(BrugMine, own_view(view), role="participant", when=action,
                                     hint=_brug_hint))
        app.add_handler(PressHandler(BrugCoach, coach_view(view), role="coach", when=action,
                                     hint=_brug_hint))
    app.add_handler(PressHandler(BrugMine, fill_own, role="participant", when="fill",
                                 hint=_brug_hint))
    app.add_handler(PressHandler(BrugCoach, ask_how_to_fill, role="coach", when="start",
                                 hint=_brug_hint))
    app.add_handler(PressHandler(BrugCoach, fill_by(FilledBy.TOGETHER), role="coach",
                                 when="together", hint=_brug_hint))
    app.add_handler(PressHandler(BrugCoach, fill_by(FilledBy.COACH), role="coach",
                                 when="coach", hint=_brug_hint))


# --- /brug and the home button ---------------------------------------------------------------


async def own_brug(said: Said, context: BotContext) -> None:
    """/brug for a participant: their latest picture (or the offer to fill it in)."""
    await _show(context, said.message.chat_id, said.who, said.participant_id, "latest")


async def coach_brug(said: Said, context: BotContext) -> None:
    """/brug for a coach: a participant's Brug is on their card."""
    await said.message.reply_text(_("Open a participant from your list to see their Brug."))


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


# --- the views, the same for a participant's own buttons and a coach's ---------------------

# A view: (context, chat, who, participant, measurement) -> False when access was refused.
View = Callable[[BotContext, int, Who, int, int | None], Awaitable[bool]]


async def _latest(context: BotContext, chat_id: int, who: Who, participant_id: int,
                  measurement_id: int | None) -> bool:
    return await _show(context, chat_id, who, participant_id, "latest")


async def _compare(context: BotContext, chat_id: int, who: Who, participant_id: int,
                   measurement_id: int | None) -> bool:
    return await _show(context, chat_id, who, participant_id, "compare")


async def _one(context: BotContext, chat_id: int, who: Who, participant_id: int,
               measurement_id: int | None) -> bool:
    if measurement_id is None:
        return False
    return await _show(context, chat_id, who, participant_id, "one", measurement_id)


async def _timeline(context: BotContext, chat_id: int, who: Who, participant_id: int,
                    measurement_id: int | None) -> bool:
    return await _show_timeline(context, chat_id, who, participant_id)


async def _history(context: BotContext, chat_id: int, who: Who, participant_id: int,
                   measurement_id: int | None) -> bool:
    return await _show_history(context, chat_id, who, participant_id)


VIEWS: dict[str, View] = {"latest": _latest, "compare": _compare, "open": _one,
                          "time": _timeline, "list": _history}


def own_view(view: View) -> Callable[[Pressed[BrugMine], BotContext], Awaitable[None]]:
    async def on_press(press: Pressed[BrugMine], context: BotContext) -> None:
        await press.query.answer()
        await view(context, press.chat_id, press.who, press.participant_id, press.data.m)

    return on_press


def coach_view(view: View) -> Callable[[Pressed[BrugCoach], BotContext], Awaitable[None]]:
    async def on_press(press: Pressed[BrugCoach], context: BotContext) -> None:
        # Access is checked inside the use case; answer first so the spinner stops promptly.
        if not await view(context, press.chat_id, press.who, press.data.p, press.data.m):
            await press.query.answer(_not_available())
            return
        await press.query.answer()

    return on_press


# --- starting a measurement ------------------------------------------------------------------


async def fill_own(press: Pressed[BrugMine], context: BotContext) -> None:
    """A participant fills in (again)."""
    result = await flows.start(context.services.db, press.who, press.participant_id,
                               context.services.clock.now())
    await _after_fill_step(press.query, context, press.who, press.chat_id, result,
                           new_message=_is_photo(press.query))


async def ask_how_to_fill(press: Pressed[BrugCoach], context: BotContext) -> None:
    """start: together with the participant, or entered by the coach alone?"""
    query = press.query
    found = await flows.history(context.services.db, press.who, press.data.p)
    if isinstance(found, flows.Refused):
        await query.answer(_not_available())
        return
    await query.answer()
    await context.bot.send_message(
        press.chat_id, _("How will this Brug be filled in?"),
        reply_markup=present.start_choice_keyboard(found.participant_id,
                                                   found.participant_name),
    )


def fill_by(filled_by: FilledBy) -> Callable[[Pressed[BrugCoach], BotContext],
                                             Awaitable[None]]:
    """together / coach: start the measurement, filled in that way."""
    async def on_press(press: Pressed[BrugCoach], context: BotContext) -> None:
        services = context.services
        result = await flows.start(services.db, press.who, press.data.p, services.clock.now(),
                                   filled_by=filled_by)
        await _after_fill_step(press.query, context, press.who, press.chat_id, result,
                               new_message=_is_photo(press.query))

    return on_press


# --- filling in ------------------------------------------------------------------------------


FillResult = (flows.Question | flows.LevelsDone | flows.TargetsDone | flows.Stale
              | flows.Refused)


async def ask_level(press: Pressed[BrugFill], context: BotContext) -> None:
    """q: the step question for pillar i."""
    data = press.data
    result = await flows.ask(context.services.db, press.who, data.m, data.i)
    await _in_place(press, context, result)


async def save_level(press: Pressed[BrugFill], context: BotContext) -> None:
    """a: the answer v (0: skip) to the step question for pillar i."""
    data, services = press.data, context.services
    result = await flows.answer(services.db, press.who, data.m, data.i, data.v or None,
                                services.clock.now())
    await _in_place(press, context, result)


async def ask_target(press: Pressed[BrugFill], context: BotContext) -> None:
    """tq: the target question for pillar i."""
    data = press.data
    result = await flows.ask_target(context.services.db, press.who, data.m, data.i)
    await _in_place(press, context, result)


async def save_target(press: Pressed[BrugFill], context: BotContext) -> None:
    """t: the target v (0: none) for pillar i."""
    data, services = press.data, context.services
    result = await flows.set_target(services.db, press.who, data.m, data.i, data.v or None,
                                    services.clock.now())
    await _in_place(press, context, result)


async def skip_targets(press: Pressed[BrugFill], context: BotContext) -> None:
    """tn: no targets this time."""
    result = await flows.skip_targets(context.services.db, press.who, press.data.m)
    await _in_place(press, context, result)


async def _in_place(press: Pressed[BrugFill], context: BotContext, result: FillResult) -> None:
    """A fill step's answer drawn over the pressed message."""
    await _after_fill_step(press.query, context, press.who, press.chat_id, result,
                           new_message=False)


async def _after_fill_step(
    query: CallbackQuery, context: BotContext, who: Who, chat_id: int, result: FillResult,
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
