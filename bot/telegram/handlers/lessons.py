"""Stress lessons: /les for the next one now, feedback buttons, pause/stop/start (ls*)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.command_names import names
from bot.flows.lessons import record_feedback, set_lessons, take_next_lesson
from bot.i18n import _, current_locale
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works, participant_of
from bot.ui.buttons.nudges import LessonControl, LessonFeedback
from bot.ui.screens.lessons import lesson_settings_buttons, render_lesson

# Command names: Dutch first (the default language), English alias.


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(names("les"), next_lesson))
    app.add_handler(PressHandler(LessonFeedback, on_feedback, role="participant"))
    app.add_handler(PressHandler(LessonControl, on_control, role="participant"))


async def next_lesson(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    participant_id = participant_of(context.who)
    if participant_id is None:
        await message.reply_text(_("Lessons are for participants. Ask your coach for your "
                                   "personal link."))
        return
    services = context.services
    taken = await take_next_lesson(services.db, participant_id, current_locale(),
                                   services.clock.now())
    found, enabled = taken.found, taken.weekly_on
    if found is None:
        await message.reply_text(_("You have read all the lessons. Thank you for taking the "
                                   "time."))
        return
    text, markup = render_lesson(found.number, found.lesson)
    await message.reply_text(text, reply_markup=markup)
    # True to the participant's choice: weekly or every two weeks (/instellingen), or off.
    await message.reply_text(
        _("The next lesson comes by itself. How often: /instellingen.") if enabled
        else _("Lessons do not come by themselves now. Type /les for the next one."),
        reply_markup=lesson_settings_buttons(enabled),
    )


async def on_feedback(pressed: Pressed[LessonFeedback], context: BotContext) -> None:
    query, data = pressed.query, pressed.data
    services = context.services
    ok = await record_feedback(services.db, pressed.participant_id, data.number, data.verdict,
                               services.clock.now())
    if not ok:
        await query.answer(no_longer_works())
        return
    await query.answer(_("Thank you. Your coach can see this.") if data.verdict == "yes"
                       else _("Thank you for telling us. Your coach can see this."))


async def on_control(pressed: Pressed[LessonControl], context: BotContext) -> None:
    query, data = pressed.query, pressed.data
    if data.action == "next":
        await query.answer(_("Type /les for the next lesson."))
        return
    services = context.services
    ok = await set_lessons(services.db, pressed.participant_id, data.action, services.clock.now())
    if not ok:
        await query.answer(no_longer_works())
        return
    answers = {
        "pause": _("You get no lessons for 4 weeks."),
        "stop": _("No more lessons. Type /les if you ever want one."),
        "start": _("The weekly lessons are on again."),
    }
    await query.answer(answers[data.action])
    if data.action != "pause":  # pausing keeps the same buttons (Telegram refuses a no-op edit)
        await query.edit_message_reply_markup(lesson_settings_buttons(data.action == "start"))
