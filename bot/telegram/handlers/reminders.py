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
    app.add_handler(PressHandler(StepLater, later_choices_for, role="participant", when="ask",
                                 hint=_start_hint))
    app.add_handler(PressHandler(StepLater, snooze, role="participant",
                                 when=("evening", "tomorrow", "week"), hint=_start_hint))
    app.add_handler(PressHandler(WelcomeBack, fresh, role="participant", when="fresh",
                                 hint=_start_hint))
    app.add_handler(PressHandler(WelcomeBack, talk_after_break, role="participant",
                                 when="coach", hint=_start_hint))
    app.add_handler(PressHandler(Home, on_talk, role="participant", when="talk"))


def _start_hint() -> str:
    return _("Open /start for your steps.")


async def later_choices_for(pressed: Pressed[StepLater], context: BotContext) -> None:
    """ask: when to be reminded again."""
    await pressed.query.answer()
    await pressed.query.edit_message_reply_markup(later_choices(pressed.data.step_id))


async def snooze(pressed: Pressed[StepLater], context: BotContext) -> None:
    """evening / tomorrow / week: remind again then."""
    query, data, participant_id = pressed.query, pressed.data, pressed.participant_id
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


async def talk_after_break(pressed: Pressed[WelcomeBack], context: BotContext) -> None:
    """coach: back after a while, and would like to talk first."""
    await _ask_for_contact(pressed.query, context, pressed.participant_id)


async def fresh(pressed: Pressed[WelcomeBack], context: BotContext) -> None:
    """fresh: every overdue step gets a fresh date, a week from today."""
    query, participant_id = pressed.query, pressed.participant_id
    services = context.services
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
