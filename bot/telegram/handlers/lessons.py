"""Stress lessons: /les for the next one now, feedback buttons, pause/stop/start (ls*)."""

from __future__ import annotations

from telegram.ext import Application

from bot.flows.lessons import record_feedback, set_lessons, take_next_lesson
from bot.i18n import _, current_locale
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.telegram.routing import Command, Said
from bot.ui.buttons.nudges import LessonControl, LessonFeedback
from bot.ui.screens.lessons import lesson_settings_buttons, render_lesson


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(Command("les", next_lesson, role="participant"))
    app.add_handler(PressHandler(LessonFeedback, helpful, role="participant", when="yes"))
    app.add_handler(PressHandler(LessonFeedback, not_helpful, role="participant", when="no"))
    control = {"next": lesson_hint, "pause": pause_lessons, "stop": stop_lessons,
               "start": start_lessons}
    for action, on_press in control.items():
        app.add_handler(PressHandler(LessonControl, on_press, role="participant", when=action))


async def next_lesson(said: Said, context: BotContext) -> None:
    """/les: the next lesson now."""
    message, services = said.message, context.services
    taken = await take_next_lesson(services.db, said.participant_id, current_locale(),
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


async def _feedback(pressed: Pressed[LessonFeedback], context: BotContext) -> bool:
    """Record yes / no on a lesson; False (answered) when it cannot be recorded."""
    services, data = context.services, pressed.data
    if await record_feedback(services.db, pressed.participant_id, data.number, data.verdict,
                             services.clock.now()):
        return True
    await pressed.query.answer(no_longer_works())
    return False


async def helpful(pressed: Pressed[LessonFeedback], context: BotContext) -> None:
    if await _feedback(pressed, context):
        await pressed.query.answer(_("Thank you. Your coach can see this."))


async def not_helpful(pressed: Pressed[LessonFeedback], context: BotContext) -> None:
    if await _feedback(pressed, context):
        await pressed.query.answer(_("Thank you for telling us. Your coach can see this."))


async def lesson_hint(pressed: Pressed[LessonControl], context: BotContext) -> None:
    await pressed.query.answer(_("Type /les for the next lesson."))


async def _set(pressed: Pressed[LessonControl], context: BotContext) -> bool:
    """Pause, stop or start the lessons; False (answered) when that is not possible."""
    services = context.services
    if await set_lessons(services.db, pressed.participant_id, pressed.data.action,
                         services.clock.now()):
        return True
    await pressed.query.answer(no_longer_works())
    return False


async def pause_lessons(pressed: Pressed[LessonControl], context: BotContext) -> None:
    if await _set(pressed, context):
        # Pausing keeps the same buttons (Telegram refuses an edit that changes nothing).
        await pressed.query.answer(_("You get no lessons for 4 weeks."))


async def stop_lessons(pressed: Pressed[LessonControl], context: BotContext) -> None:
    if await _set(pressed, context):
        await pressed.query.answer(_("No more lessons. Type /les if you ever want one."))
        await pressed.query.edit_message_reply_markup(lesson_settings_buttons(False))


async def start_lessons(pressed: Pressed[LessonControl], context: BotContext) -> None:
    if await _set(pressed, context):
        await pressed.query.answer(_("The weekly lessons are on again."))
        await pressed.query.edit_message_reply_markup(lesson_settings_buttons(True))
