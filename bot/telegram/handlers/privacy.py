"""/privacy, /mijngegevens and /verwijder: a person's rights, answered directly.

The export is two documents (readable text and JSON). Deleting asks twice. Stopping (withdrawing
consent) asks once. Rules and storage: bot/flows/privacy.py.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.ext import Application

from bot.flows import privacy
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import OnPress, Pressed, PressHandler
from bot.telegram.handlers.privacy_text import export_files, privacy_text
from bot.telegram.routing import Audience, Command, Said
from bot.ui.buttons.privacy import PrivacyPress


def _button(label: str, action: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(label, callback_data=PrivacyPress(
        action=action).pack())]  # type: ignore[arg-type]


def _texts_button(shown: bool) -> list[InlineKeyboardButton]:
    return (_button(_("Hide my step texts in reminders"), "texts_off") if shown
            else _button(_("Show my step texts in reminders"), "texts_on"))


def _choices(step_texts_shown: bool | None) -> InlineKeyboardMarkup:
    """/privacy's buttons; a participant's (`step_texts_shown` not None) also show or hide the
    step texts in reminders and stop with the bot."""
    rows = [_button(_("Get my data as a file"), "export")]
    if step_texts_shown is not None:
        rows.append(_texts_button(step_texts_shown))
        rows.append(_button(_("Stop with the bot"), "stop"))
    rows.append(_button(_("Delete my data"), "erase"))
    return InlineKeyboardMarkup(rows)


async def privacy_for_participant(said: Said, context: BotContext) -> None:
    shown = await privacy.step_texts_shown(context.services.db, said.participant_id)
    await said.message.reply_text(privacy_text(context.services.settings.retention_months),
                                  reply_markup=_choices(shown))


async def privacy_for_anyone(said: Said, context: BotContext) -> None:
    """Coaches and people with an account: export and delete; without one: only the text."""
    await said.message.reply_text(
        privacy_text(context.services.settings.retention_months),
        reply_markup=_choices(None) if said.who.account_id is not None else None)


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


async def send_my_data(said: Said, context: BotContext) -> None:
    await _send_export(said.message, context, said.who.telegram_user_id)


def _erase_question() -> tuple[str, InlineKeyboardMarkup]:
    return (_("Do you want to delete your data? Your name, goals, steps, Brug answers and "
              "cards are deleted. The bot then stops sending you messages."),
            InlineKeyboardMarkup([_button(_("Yes, delete"), "erase_yes"),
                                  _button(_("No, keep my data"), "keep")]))


async def ask_erase(said: Said, context: BotContext) -> None:
    if said.who.account_id is None:
        await said.message.reply_text(_("Nothing is stored about you in this bot."))
        return
    text, keyboard = _erase_question()
    await said.message.reply_text(text, reply_markup=keyboard)


async def _answered(press: Pressed[PrivacyPress]) -> Message | None:
    """Answer the press; the message it is on, when the bot can still change it."""
    await press.query.answer()
    return press.message


async def export(press: Pressed[PrivacyPress], context: BotContext) -> None:
    message = await _answered(press)
    if message is not None:
        await _send_export(message, context, press.who.telegram_user_id)


async def keep(press: Pressed[PrivacyPress], context: BotContext) -> None:
    if await _answered(press) is not None:
        await press.query.edit_message_text(_("Fine. Nothing has changed."))


async def ask_erase_again(press: Pressed[PrivacyPress], context: BotContext) -> None:
    """erase: the same question as /verwijder."""
    if await _answered(press) is not None:
        text, keyboard = _erase_question()
        await press.query.edit_message_text(text, reply_markup=keyboard)


async def ask_sure(press: Pressed[PrivacyPress], context: BotContext) -> None:
    """erase_yes: deleting asks twice."""
    if await _answered(press) is not None:
        await press.query.edit_message_text(
            _("Are you sure? This cannot be undone. Numbers without a name stay for the "
              "evaluation."),
            reply_markup=InlineKeyboardMarkup([_button(_("Yes, delete everything for good"),
                                                       "erase_sure"),
                                               _button(_("No, keep my data"), "keep")]))


async def erase(press: Pressed[PrivacyPress], context: BotContext) -> None:
    """erase_sure: delete."""
    if await _answered(press) is None:
        return
    services = context.services
    done = await privacy.erase(services.db, press.who.telegram_user_id, services.clock.now())
    if isinstance(done, privacy.CoachStillHasParticipants):
        await press.query.edit_message_text(_(
            "You still have {count} participants. They need another coach, or their "
            "trajectory must end, before your data can be deleted. Ask your "
            "organisation.").format(count=done.count))
    else:
        await press.query.edit_message_text(_(
            "Your data has been deleted. The bot sends you no more messages. "
            "Goodbye, and all the best!"))


def show_step_texts(shown: bool) -> OnPress[PrivacyPress]:
    """texts_on / texts_off: name the steps in reminders, or only count them."""
    async def on_press(press: Pressed[PrivacyPress], context: BotContext) -> None:
        if await _answered(press) is None:
            return
        services = context.services
        await privacy.show_step_texts(services.db, press.participant_id, shown,
                                      services.clock.now())
        await press.query.edit_message_text(
            _("From now on your reminders name your steps. Someone who sees your lock screen "
              "can read them too.") if shown else
            _("From now on your reminders only say how many steps you have. Tap “My steps” "
              "in a reminder to see them."),
            reply_markup=InlineKeyboardMarkup([_texts_button(shown)]))

    return on_press


async def ask_stop(press: Pressed[PrivacyPress], context: BotContext) -> None:
    """stop: withdrawing consent asks once."""
    if await _answered(press) is not None:
        await press.query.edit_message_text(
            _("Do you want to stop with the bot? Then you get no more messages and your "
              "trajectory in the bot ends. Your data stays until the retention period ends; "
              "you can still delete it with /verwijder."),
            reply_markup=InlineKeyboardMarkup([_button(_("Yes, stop"), "stop_yes"),
                                               _button(_("No, go on"), "keep")]))


async def stop(press: Pressed[PrivacyPress], context: BotContext) -> None:
    """stop_yes: withdraw consent."""
    if await _answered(press) is None:
        return
    services = context.services
    stopped = await privacy.withdraw_consent(services.db, press.participant_id,
                                             press.account_id, services.clock.now())
    if isinstance(stopped, privacy.AlreadyStopped):
        await press.query.edit_message_text(_("You have already stopped. The bot sends you no "
                                              "more messages."))
    else:
        await press.query.edit_message_text(_("You have stopped. The bot sends you no more "
                                              "messages. Thank you for taking part."))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(Command("privacy", {"participant": privacy_for_participant,
                                        "anyone": privacy_for_anyone}))
    app.add_handler(Command("mijngegevens", send_my_data, role="anyone"))
    app.add_handler(Command("verwijder", ask_erase, role="anyone"))
    # Export and delete are everyone's rights; the step texts and stopping, a participant's.
    everyone: tuple[Audience, ...] = ("participant", "coach")
    presses: dict[str, tuple[OnPress[PrivacyPress], Audience | tuple[Audience, ...]]] = {
        "export": (export, everyone), "keep": (keep, everyone),
        "erase": (ask_erase_again, everyone), "erase_yes": (ask_sure, everyone),
        "erase_sure": (erase, everyone),
        "texts_on": (show_step_texts(True), "participant"),
        "texts_off": (show_step_texts(False), "participant"),
        "stop": (ask_stop, "participant"), "stop_yes": (stop, "participant"),
    }
    for action, (on_press, role) in presses.items():
        app.add_handler(PressHandler(PrivacyPress, on_press, role=role, when=action,
                                     hint=lambda: _("Type /privacy.")))
