"""/pauze and /verder: a break from all non-urgent messages (holiday, illness, crisis)."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.command_names import names
from bot.core.conversations import PauseDateFlow
from bot.core.dates import local_today, parse_day
from bot.core.pause import pause_end
from bot.flows import conversation, pause
from bot.flows.conversation import Conversation
from bot.flows.pause import PauseOutcome
from bot.i18n import _, friendly_day
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler, participant_of
from bot.ui.buttons.participant import Pause
from bot.ui.screens.home import home_keyboard

FLOW_PAUSE = PauseDateFlow.flow


def _today(context: BotContext) -> date:
    who = context.who
    zone = who.timezone if who else context.services.settings.default_timezone
    return local_today(context.services.clock.now(), zone)


async def ask_pause(update: Update, context: BotContext) -> None:
    message = update.effective_message
    participant_id = participant_of(context.who)
    if message is None:
        return
    if participant_id is None:
        await message.reply_text(_("This is for participants. Ask your coach for your "
                                   "personal link."))
        return

    def button(label: str, until: str) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(label, callback_data=Pause(until=until).pack())]  # type: ignore[arg-type]

    await message.reply_text(
        _("Need a break? Then the bot sends you no reminders or other messages for a while. "
          "Your steps stay as they are.\n\nReminders of a meeting with your coach still come: "
          "you agreed on that meeting together.\n\nHow long?"),
        reply_markup=InlineKeyboardMarkup([
            button(_("One week"), "week"),
            button(_("Two weeks"), "two_weeks"),
            button(_("One month"), "month"),
            button(_("Until a day I type"), "date"),
            button(_("Until I type /verder"), "open"),
        ]),
    )


async def on_pause_button(press: Pressed[Pause], context: BotContext) -> None:
    query, data = press.query, press.data
    services = context.services
    await query.answer()
    if data.until == "date":
        await conversation.begin(services.db, press.account_id, "date", PauseDateFlow(),
                                 services.clock.now())
        await query.edit_message_text(_(
            "Until which day do you want a break? Type for example: friday, 12-3 or "
            "12 march.\n(/annuleer to stop)"))
        return
    until = None if data.until == "open" else pause_end(data.until, _today(context))
    await query.edit_message_text(await _pause(context, until))


async def _pause(context: BotContext, until: date | None, *, typed: bool = False) -> str:
    who = context.who
    assert who is not None and who.participant_id is not None
    services = context.services
    outcome = await pause.pause(services.db, who.participant_id, until, services.clock.now(),
                                end_flow_of=who.account_id if typed else None)
    if outcome is not PauseOutcome.PAUSED:
        return _("A break is not possible right now. Type /start to begin.")
    if until is None:
        return _("Enjoy your break. The bot is quiet until you type /verder.")
    return _("Enjoy your break. The bot is quiet until {day} (including that day). "
             "Type /verder to start again sooner.").format(
        day=friendly_day(until, _today(context)))


async def on_pause_date(update: Update, context: BotContext, state: Conversation) -> None:
    message = update.effective_message
    who = context.who
    if message is None or who is None or who.account_id is None:
        return
    day = parse_day(message.text or "", _today(context))
    if day is None:
        await message.reply_text(_(
            "I do not understand that date. Type for example: friday, 12-3 or 12 march.\n"
            "(/annuleer to stop)"))
        return
    await message.reply_text(await _pause(context, day, typed=True))


async def resume(update: Update, context: BotContext) -> None:
    message = update.effective_message
    participant_id = participant_of(context.who)
    if message is None:
        return
    if participant_id is None:
        await message.reply_text(_("This is for participants. Ask your coach for your "
                                   "personal link."))
        return
    services = context.services
    outcome = await pause.resume(services.db, participant_id, services.clock.now())
    if outcome is PauseOutcome.RESUMED:
        await message.reply_text(_("Welcome back. The bot is on again. What would you like "
                                   "to do?"), reply_markup=home_keyboard())
    else:
        await message.reply_text(_("You had no break, so everything is on already."),
                                 reply_markup=home_keyboard())


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(names("pauze"), ask_pause))
    app.add_handler(CommandHandler(names("verder"), resume))
    app.add_handler(PressHandler(Pause, on_pause_button, role="participant",
                                 hint=lambda: _("Type /pauze for a break.")))
    router.on(FLOW_PAUSE, on_pause_date)
