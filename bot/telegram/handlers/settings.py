"""/instellingen (/settings): the participant's own settings; for a coach, the name participants
see. Thin: one use case per press, the words in bot/ui/screens/settings.py."""

from __future__ import annotations

from telegram import Message
from telegram.ext import Application

from bot.flows import coach_profile, coach_settings, participant_settings, pause
from bot.flows.participant_settings import SettingsView
from bot.flows.pause import PauseOutcome
from bot.i18n import _, set_locale
from bot.telegram.context import BotContext
from bot.telegram.handlers import digest
from bot.telegram.handlers.coach_onboarding import ask_name
from bot.telegram.handlers.commands import publish_chat_commands
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.pause import pause_menu
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.telegram.routing import Command, Said, refuse
from bot.ui.buttons.settings import Setting
from bot.ui.screens.settings import participant_settings as participant_screen


async def show_settings(said: Said, context: BotContext) -> None:
    """/instellingen for a participant (a coach's are in handlers/digest.py)."""
    view = await participant_settings.show(context.services.db, said.participant_id,
                                           said.account_id)
    if view is None:
        await refuse(said.update, "participant")
        return
    text, markup = participant_screen(view)
    await said.message.reply_text(text, reply_markup=markup)


async def coach_name(press: Pressed[Setting], context: BotContext) -> None:
    """name: the coach types the name participants see (or keeps the current one)."""
    query, services = press.query, context.services
    if not isinstance(query.message, Message):
        await query.answer(no_longer_works())
        return
    await query.answer()
    name = await coach_profile.display_name(services.db, press.coach_id) or ""
    await ask_name(query.message, context, press.account_id, name)


async def ask_break(press: Pressed[Setting], context: BotContext) -> None:
    """pause: the break menu, as /pauze shows it."""
    await press.query.answer()
    if press.message is not None:
        text, markup = pause_menu()
        await press.message.reply_text(text, reply_markup=markup)


async def end_break(press: Pressed[Setting], context: BotContext) -> None:
    query, services = press.query, context.services
    outcome = await pause.resume(services.db, press.participant_id, services.clock.now())
    if outcome is not PauseOutcome.RESUMED:
        await query.answer(_("You have no break right now."))  # a second tap
        return
    await query.answer(_("Welcome back. The bot sends you messages again."))
    view = await participant_settings.show(services.db, press.participant_id, press.account_id)
    await _redraw(press, view)


async def _change(press: Pressed[Setting], context: BotContext) -> SettingsView | None:
    """Save a participant's choice; None (answered) when it is refused or was already so."""
    query, data, services = press.query, press.data, context.services
    changed = await participant_settings.change(services.db, press.participant_id,
                                                press.account_id, data.what, data.value,
                                                services.clock.now())
    if changed is None:
        await query.answer(no_longer_works())
        return None
    view, news = changed
    if not news:
        await query.answer(_("That is already your choice."))
        return None
    return view


async def change(press: Pressed[Setting], context: BotContext) -> None:
    """A participant's moment, quiet hours, lessons or step texts."""
    view = await _change(press, context)
    if view is not None:
        await press.query.answer(_("Saved."))
        await _redraw(press, view)


async def participant_language(press: Pressed[Setting], context: BotContext) -> None:
    """lang: saved like any setting, then this screen and the '/' menu in the new language."""
    view = await _change(press, context)
    if view is None:
        return
    set_locale(view.locale)
    if press.query.message is not None:
        await publish_chat_commands(context.bot, press.query.message.chat.id, "participant",
                                    view.locale)
    await press.query.answer(_("Saved."))
    await _redraw(press, view)


async def _redraw(press: Pressed[Setting], view: SettingsView | None) -> None:
    if view is not None:
        text, markup = participant_screen(view)
        await press.query.edit_message_text(text, reply_markup=markup)


async def coach_language(press: Pressed[Setting], context: BotContext) -> None:
    """A coach's language: this screen, the menu behind '/' and everything the bot sends them
    from now on (the outbox draws its messages in the recipient's language when it sends)."""
    query, services = press.query, context.services
    changed = await coach_settings.set_language(services.db, press.coach_id, press.account_id,
                                                press.data.value, services.clock.now())
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
    app.add_handler(Command("instellingen", {"participant": show_settings,
                                             "coach": digest.show_settings}))
    presses = [
        PressHandler(Setting, coach_name, role="coach", when="name"),
        PressHandler(Setting, {"participant": participant_language, "coach": coach_language},
                     when="lang"),
        PressHandler(Setting, ask_break, role="participant", when="pause"),
        PressHandler(Setting, end_break, role="participant", when="resume"),
        PressHandler(Setting, change, role="participant",
                     when=("moment", "quiet", "lessons", "steps")),
    ]
    for handler in presses:
        app.add_handler(handler)
