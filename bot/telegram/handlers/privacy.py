"""/privacy, /mijngegevens and /verwijder: a person's rights, answered directly.

The export is two documents (readable text and JSON). Deleting asks twice. Stopping (withdrawing
consent) asks once. Rules and storage: bot/flows/privacy.py.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import Application, CommandHandler

from bot.command_names import names
from bot.flows import privacy
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler
from bot.telegram.handlers.privacy_text import export_files, privacy_text
from bot.ui.buttons.privacy import PrivacyPress


def _button(label: str, action: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(label, callback_data=PrivacyPress(
        action=action).pack())]  # type: ignore[arg-type]


def _texts_button(shown: bool) -> list[InlineKeyboardButton]:
    return (_button(_("Hide my step texts in reminders"), "texts_off") if shown
            else _button(_("Show my step texts in reminders"), "texts_on"))


async def _choices(context: BotContext) -> InlineKeyboardMarkup | None:
    who = context.who
    if who is None or who.account_id is None:
        return None
    rows = [_button(_("Get my data as a file"), "export")]
    if who.participant_id is not None:
        rows.append(_texts_button(await privacy.step_texts_shown(context.services.db,
                                                                 who.participant_id)))
        rows.append(_button(_("Stop with the bot"), "stop"))
    rows.append(_button(_("Delete my data"), "erase"))
    return InlineKeyboardMarkup(rows)


async def show_privacy(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is not None:
        await message.reply_text(privacy_text(context.services.settings.retention_months),
                                 reply_markup=await _choices(context))


async def _send_export(message: Message, context: BotContext, user_id: int) -> None:
    services = context.services
    found = await privacy.export(services.db, user_id, services.clock.now())
    if isinstance(found, privacy.NothingStored):
        await message.reply_text(_("Nothing is stored about you in this bot."))
        return
    text, data = export_files(found)
    day = services.clock.now().date().isoformat()
    await message.reply_document(InputFile(text, filename=f"my-data-{day}.txt"),
                                 caption=_("All your data, readable."))
    await message.reply_document(InputFile(data, filename=f"my-data-{day}.json"),
                                 caption=_("The same data as JSON, for computers."))


async def send_my_data(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is not None and user is not None:
        await _send_export(message, context, user.id)


def _erase_question() -> tuple[str, InlineKeyboardMarkup]:
    return (_("Do you want to delete your data? Your name, goals, steps, Brug answers and "
              "cards are deleted. The bot then stops sending you messages."),
            InlineKeyboardMarkup([_button(_("Yes, delete"), "erase_yes"),
                                  _button(_("No, keep my data"), "keep")]))


async def ask_erase(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    if context.who is None or context.who.account_id is None:
        await message.reply_text(_("Nothing is stored about you in this bot."))
        return
    text, keyboard = _erase_question()
    await message.reply_text(text, reply_markup=keyboard)


async def on_press(press: Pressed[PrivacyPress], context: BotContext) -> None:
    query, action, services = press.query, press.data.action, context.services
    message = press.message
    await query.answer()
    if message is None:
        return
    if action == "export":
        await _send_export(message, context, press.who.telegram_user_id)
    elif action == "keep":
        await query.edit_message_text(_("Fine. Nothing has changed."))
    elif action == "erase":
        text, keyboard = _erase_question()
        await query.edit_message_text(text, reply_markup=keyboard)
    elif action == "erase_yes":
        await query.edit_message_text(
            _("Are you sure? This cannot be undone. Numbers without a name stay for the "
              "evaluation."),
            reply_markup=InlineKeyboardMarkup([_button(_("Yes, delete everything for good"),
                                                       "erase_sure"),
                                               _button(_("No, keep my data"), "keep")]))
    elif action == "erase_sure":
        done = await privacy.erase(services.db, press.who.telegram_user_id, services.clock.now())
        if isinstance(done, privacy.CoachStillHasParticipants):
            await query.edit_message_text(_(
                "You still have {count} participants. They need another coach, or their "
                "trajectory must end, before your data can be deleted. Ask your "
                "organisation.").format(count=done.count))
        else:
            await query.edit_message_text(_(
                "Your data has been deleted. The bot sends you no more messages. "
                "Goodbye, and all the best!"))
    elif action in ("texts_on", "texts_off"):
        if press.who.participant_id is None:
            await query.edit_message_text(_("This is for participants."))
            return
        shown = action == "texts_on"
        await privacy.show_step_texts(services.db, press.who.participant_id, shown,
                                      services.clock.now())
        await query.edit_message_text(
            _("From now on your reminders name your steps. Someone who sees your lock screen "
              "can read them too.") if shown else
            _("From now on your reminders only say how many steps you have. Tap “My steps” "
              "in a reminder to see them."),
            reply_markup=InlineKeyboardMarkup([_texts_button(shown)]))
    elif action == "stop":
        if press.who.participant_id is None:
            await query.edit_message_text(_("This is for participants."))
            return
        await query.edit_message_text(
            _("Do you want to stop with the bot? Then you get no more messages and your "
              "trajectory in the bot ends. Your data stays until the retention period ends; "
              "you can still delete it with /verwijder."),
            reply_markup=InlineKeyboardMarkup([_button(_("Yes, stop"), "stop_yes"),
                                               _button(_("No, go on"), "keep")]))
    elif action == "stop_yes":
        if press.who.participant_id is None:
            await query.edit_message_text(_("This is for participants."))
            return
        stopped = await privacy.withdraw_consent(services.db, press.who.participant_id,
                                                 press.account_id, services.clock.now())
        if isinstance(stopped, privacy.AlreadyStopped):
            await query.edit_message_text(_("You have already stopped. The bot sends you no "
                                            "more messages."))
        else:
            await query.edit_message_text(_("You have stopped. The bot sends you no more "
                                            "messages. Thank you for taking part."))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(names("privacy"), show_privacy))
    app.add_handler(CommandHandler(names("mijngegevens"), send_my_data))
    app.add_handler(CommandHandler(names("verwijder"), ask_erase))
    app.add_handler(PressHandler(PrivacyPress, on_press, role=("participant", "coach"),
                                 hint=lambda: _("Type /privacy.")))
