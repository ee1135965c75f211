"""Buttons on reminders, check-ins and the welcome back (callback prefixes rm*)."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.core.callbacks import BadCallback
from bot.core.nudge_callbacks import StepLater, WelcomeBack
from bot.flows.reminders import ask_for_contact, fresh_start, snooze_step
from bot.handlers.conversation import TextRouter
from bot.i18n import _, format_datetime, ngettext
from bot.notify.messages import later_choices


def register(app: Application, texts: TextRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CallbackQueryHandler(on_later, pattern=StepLater.pattern()))
    app.add_handler(CallbackQueryHandler(on_welcome_back, pattern=WelcomeBack.pattern()))


def _participant_id(context: BotContext) -> int | None:
    who = context.who
    return who.participant_id if who is not None else None


async def _refuse(query: CallbackQuery) -> None:
    await query.answer(_("This button no longer works. Open /start for your steps."))


async def on_later(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    participant_id = _participant_id(context)
    try:
        data = StepLater.unpack(query.data or "")
    except BadCallback:
        await _refuse(query)
        return
    if participant_id is None:
        await _refuse(query)
        return
    if data.choice == "ask":
        await query.answer()
        await query.edit_message_reply_markup(later_choices(data.step_id))
        return
    services = context.services
    when = await snooze_step(services.db, participant_id, data.step_id, data.choice,
                             services.clock.now())
    if when is None:
        await _refuse(query)
        return
    who = context.who
    zone = who.timezone if who else context.services.settings.default_timezone
    text = _("Fine. I will remind you again on {moment}. Your other steps stay as they are."
             ).format(moment=format_datetime(when.due_at, "EEEE HH:mm", tz=zone))
    if not when.new:  # the same press again: say it, change nothing
        await query.answer(text)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await query.message.reply_text(text)  # type: ignore[union-attr]


async def on_welcome_back(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    participant_id = _participant_id(context)
    try:
        data = WelcomeBack.unpack(query.data or "")
    except BadCallback:
        await _refuse(query)
        return
    if participant_id is None:
        await _refuse(query)
        return
    services = context.services
    who = context.who
    if data.choice == "coach":
        await ask_for_contact(services.db, participant_id, services.clock.now())
        await query.answer(_("Your coach can see that you would like to talk."),
                           show_alert=True)
        return
    moved = await fresh_start(services.db, participant_id, who.account_id if who else None,
                              services.clock.now())
    if not moved:
        await query.answer(_("Nothing needed a new date. Welcome back!"), show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    text = ngettext("Done: {n} step has a fresh date, a week from today.",
                    "Done: {n} steps have a fresh date, a week from today.", moved
                    ).format(n=moved)
    await query.message.reply_text(text)  # type: ignore[union-attr]
