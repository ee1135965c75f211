"""/pauze and /verder: a break from all non-urgent messages (holiday, illness, crisis)."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from bot.core.conversations import PauseDateFlow
from bot.core.dates import local_today, parse_day
from bot.core.pause import Choice, pause_end
from bot.flows import conversation, pause
from bot.flows.conversation import Conversation
from bot.flows.pause import PauseOutcome
from bot.i18n import _, friendly_day
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import OnPress, Pressed, PressHandler
from bot.telegram.routing import Command, Said, text_step
from bot.ui.buttons.participant import Pause
from bot.ui.screens.home import home_keyboard

FLOW_PAUSE = PauseDateFlow.flow


def _today(context: BotContext) -> date:
    who = context.who
    zone = who.timezone if who else context.services.settings.default_timezone
    return local_today(context.services.clock.now(), zone)


async def ask_pause(said: Said, context: BotContext) -> None:
    """/pauze, and the break button in /instellingen: how long?"""
    text, markup = pause_menu()
    await said.message.reply_text(text, reply_markup=markup)


def pause_menu() -> tuple[str, InlineKeyboardMarkup]:
    def button(label: str, until: str) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(label, callback_data=Pause(until=until).pack())]  # type: ignore[arg-type]

    return (
        _("Need a break? Then the bot sends you no reminders or other messages for a while. "
          "Your steps stay as they are.\n\nReminders of a meeting with your coach still come: "
          "you agreed on that meeting together.\n\nHow long?"),
        InlineKeyboardMarkup([
            button(_("One week"), "week"),
            button(_("Two weeks"), "two_weeks"),
            button(_("One month"), "month"),
            button(_("Until a day I type"), "date"),
            button(_("Until I type /verder"), "open"),
        ]),
    )


async def ask_pause_date(press: Pressed[Pause], context: BotContext) -> None:
    """date: the participant types the last day of the break."""
    services = context.services
    await press.query.answer()
    await conversation.begin(services.db, press.account_id, "date", PauseDateFlow(),
                             services.clock.now())
    await press.query.edit_message_text(_(
        "Until which day do you want a break? Type for example: friday, 12-3 or "
        "12 march.\n(/annuleer to stop)"))


async def pause_open(press: Pressed[Pause], context: BotContext) -> None:
    """open: until they type /verder."""
    await press.query.answer()
    await press.query.edit_message_text(await _pause(context, press.participant_id,
                                                     press.account_id, None))


def pause_for(choice: Choice) -> OnPress[Pause]:
    """week / two_weeks / month: until that many days from today."""
    async def on_press(press: Pressed[Pause], context: BotContext) -> None:
        await press.query.answer()
        until = pause_end(choice, _today(context))
        await press.query.edit_message_text(await _pause(context, press.participant_id,
                                                         press.account_id, until))

    return on_press


async def _pause(context: BotContext, participant_id: int, account_id: int,
                 until: date | None, *, typed: bool = False) -> str:
    services = context.services
    outcome = await pause.pause(services.db, participant_id, until, services.clock.now(),
                                end_flow_of=account_id if typed else None)
    if outcome is not PauseOutcome.PAUSED:
        return _("A break is not possible right now. Type /start to begin.")
    if until is None:
        return _("Enjoy your break. The bot is quiet until you type /verder.")
    return _("Enjoy your break. The bot is quiet until {day} (including that day). "
             "Type /verder to start again sooner.").format(
        day=friendly_day(until, _today(context)))


async def on_pause_date(said: Said, context: BotContext, state: Conversation) -> None:
    day = parse_day(said.message.text or "", _today(context))
    if day is None:
        await said.message.reply_text(_(
            "I do not understand that date. Type for example: friday, 12-3 or 12 march.\n"
            "(/annuleer to stop)"))
        return
    await said.message.reply_text(await _pause(context, said.participant_id, said.account_id,
                                               day, typed=True))


async def resume(said: Said, context: BotContext) -> None:
    services = context.services
    outcome = await pause.resume(services.db, said.participant_id, services.clock.now())
    if outcome is PauseOutcome.RESUMED:
        await said.message.reply_text(_("Welcome back. The bot is on again. What would you "
                                        "like to do?"), reply_markup=home_keyboard())
    else:
        await said.message.reply_text(_("You had no break, so everything is on already."),
                                      reply_markup=home_keyboard())


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(Command("pauze", ask_pause, role="participant"))
    app.add_handler(Command("verder", resume, role="participant"))
    presses = {"date": ask_pause_date, "open": pause_open, "week": pause_for("week"),
               "two_weeks": pause_for("two_weeks"), "month": pause_for("month")}
    for until, on_press in presses.items():
        app.add_handler(PressHandler(Pause, on_press, role="participant", when=until,
                                     hint=lambda: _("Type /pauze for a break.")))
    router.on(FLOW_PAUSE, text_step(on_pause_date, role="participant"))
