"""/instellingen (/settings): the participant's own settings; for a coach, the name participants
see. Thin: one use case per press, the words in bot/ui/screens/settings.py."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import Application, CommandHandler

from bot.command_names import names
from bot.flows import coach_profile, coach_settings, participant_settings, pause
from bot.flows.pause import PauseOutcome
from bot.i18n import _, set_locale
from bot.telegram.context import BotContext
from bot.telegram.handlers import digest
from bot.telegram.handlers.coach_onboarding import ask_name
from bot.telegram.handlers.commands import publish_chat_commands
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.pause import ask_pause
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.ui.buttons.settings import Setting
from bot.ui.screens.settings import participant_settings as participant_screen


async def show_settings(update: Update, context: BotContext) -> None:
    message, who, db = update.effective_message, context.who, context.services.db
    if message is None:
        return
    if who is not None and who.participant_id is not None and who.account_id is not None:
        view = await participant_settings.show(db, who.participant_id, who.account_id)
        if view is not None:
            text, markup = participant_screen(view)
            await message.reply_text(text, reply_markup=markup)
            return
    if who is not None and who.coach_id is not None:
        await digest.show_settings(update, context)  # name, weekly overview, working hours
        return
    await message.reply_text(_("This is for participants and coaches. Ask your coach for your "
                               "personal link."))


async def on_setting(press: Pressed[Setting], context: BotContext) -> None:
    query, data, who, services = press.query, press.data, press.who, context.services
    now = services.clock.now()
    if data.what == "name":
        if who.coach_id is None or not isinstance(query.message, Message):
            await query.answer(no_longer_works())
            return
        await query.answer()
        name = await coach_profile.display_name(services.db, who.coach_id) or ""
        await ask_name(query.message, context, press.account_id, name)
        return
    if who.coach_id is not None and data.what == "lang":
        await _coach_language(press, context, who.coach_id, data.value)
        return
    if who.participant_id is None:
        await query.answer(no_longer_works())
        return
    if data.what == "pause":
        await query.answer()
        await ask_pause(press.update, context)  # the break menu, as /pauze shows it
        return
    if data.what == "resume":
        outcome = await pause.resume(services.db, who.participant_id, now)
        if outcome is not PauseOutcome.RESUMED:
            await query.answer(_("You have no break right now."))  # a second tap
            return
        await query.answer(_("Welcome back. The bot sends you messages again."))
        view = await participant_settings.show(services.db, who.participant_id,
                                               press.account_id)
    else:
        changed = await participant_settings.change(services.db, who.participant_id,
                                                    press.account_id, data.what, data.value, now)
        if changed is None:
            await query.answer(no_longer_works())
            return
        view, news = changed
        if not news:
            await query.answer(_("That is already your choice."))
            return
        if data.what == "lang":
            set_locale(view.locale)
            if query.message is not None:
                await publish_chat_commands(context.bot, query.message.chat.id, "participant",
                                            view.locale)
        await query.answer(_("Saved."))
    if view is not None:
        text, markup = participant_screen(view)
        await query.edit_message_text(text, reply_markup=markup)


async def _coach_language(press: Pressed[Setting], context: BotContext, coach_id: int,
                          locale: str) -> None:
    """A coach's language: this screen, the menu behind '/' and everything the bot sends them
    from now on (the outbox draws its messages in the recipient's language when it sends)."""
    query, services = press.query, context.services
    changed = await coach_settings.set_language(services.db, coach_id, press.account_id,
                                                locale, services.clock.now())
    if changed is None:
        await query.answer(no_longer_works())
        return
    view, news = changed
    if not news:
        await query.answer(_("That is already your choice."))
        return
    set_locale(view.locale)
    await publish_chat_commands(context.bot, press.chat_id, "coach", view.locale)
    await query.answer(_("Saved."))
    await query.edit_message_text(digest.settings_text(view),
                                  reply_markup=digest.settings_keyboard(view))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(names("instellingen"), show_settings))
    app.add_handler(PressHandler(Setting, on_setting, role=("participant", "coach")))
