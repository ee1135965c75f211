"""Buttons on reminders, check-ins and the welcome back (callback prefixes rm*)."""

from __future__ import annotations

from telegram import CallbackQuery
from telegram.ext import Application

from bot.flows.reminders import fresh_start, snooze_step
from bot.flows.requests import ask_for_contact
from bot.i18n import _, format_datetime, ngettext
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.ui.buttons.base import Home
from bot.ui.buttons.nudges import StepLater, WelcomeBack
from bot.ui.screens.nudges import later_choices


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(PressHandler(StepLater, on_later, role="participant", hint=_start_hint))
    app.add_handler(PressHandler(WelcomeBack, on_welcome_back, role="participant",
                                 hint=_start_hint))
    app.add_handler(PressHandler(Home, on_talk, role="participant",
                                 when=lambda home: home.target == "talk"))


def _start_hint() -> str:
    return _("Open /start for your steps.")


async def on_later(pressed: Pressed[StepLater], context: BotContext) -> None:
    query, data, participant_id = pressed.query, pressed.data, pressed.participant_id
    if data.choice == "ask":
        await query.answer()
        await query.edit_message_reply_markup(later_choices(data.step_id))
        return
    services = context.services
    when = await snooze_step(services.db, participant_id, data.step_id, data.choice,
                             services.clock.now())
    if when is None:
        await query.answer(no_longer_works(_start_hint()))
        return
    zone = pressed.who.timezone
    text = _("Fine. I will remind you again on {moment}. Your other steps stay as they are."
             ).format(moment=format_datetime(when.due_at, "EEEE HH:mm", tz=zone))
    if not when.new:  # the same press again: say it, change nothing
        await query.answer(text)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await query.message.reply_text(text)  # type: ignore[union-attr]


async def on_talk(press: Pressed[Home], context: BotContext) -> None:
    """"I'd like to talk to my coach" from the home menu, at any time."""
    await _ask_for_contact(press.query, context, press.participant_id)


async def _ask_for_contact(query: CallbackQuery, context: BotContext, participant_id: int
                           ) -> None:
    services = context.services
    await ask_for_contact(services.db, participant_id, services.clock.now())
    # True: the coach gets a message within minutes (in working hours), and sees it in the
    # weekly overview and on the card until it is marked handled (tests/test_digest_e2e.py).
    await query.answer(_("Your coach can see that you would like to talk."), show_alert=True)


async def on_welcome_back(pressed: Pressed[WelcomeBack], context: BotContext) -> None:
    query, data, participant_id = pressed.query, pressed.data, pressed.participant_id
    services = context.services
    if data.choice == "coach":
        await _ask_for_contact(query, context, participant_id)
        return
    moved = await fresh_start(services.db, participant_id, pressed.account_id,
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
