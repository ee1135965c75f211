"""Stress lessons: /les for the next one now, feedback buttons, pause/stop/start (ls*)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.core.callbacks import BadCallback
from bot.core.nudge_callbacks import LessonControl, LessonFeedback
from bot.flows.lessons import record_feedback, set_lessons, take_next_lesson
from bot.handlers.conversation import TextRouter
from bot.i18n import _, current_locale
from bot.notify.messages import lesson_settings_buttons, render_lesson

# Command names: Dutch first (the default language), English alias.
COMMANDS = ("les", "lesson")


def register(app: Application, texts: TextRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(list(COMMANDS), next_lesson))
    app.add_handler(CallbackQueryHandler(on_feedback, pattern=LessonFeedback.pattern()))
    app.add_handler(CallbackQueryHandler(on_control, pattern=LessonControl.pattern()))


async def next_lesson(update: Update, context: BotContext) -> None:
    message = update.effective_message
    who = context.who
    if message is None:
        return
    if who is None or who.participant_id is None:
        await message.reply_text(_("Lessons are for participants. Ask your coach for your "
                                   "personal link."))
        return
    services = context.services
    taken = await take_next_lesson(services.db, who.participant_id, current_locale(),
                                   services.clock.now())
    found, enabled = taken.found, taken.weekly_on
    if found is None:
        await message.reply_text(_("You have read all the lessons. Well done for taking the "
                                   "time."))
        return
    text, markup = render_lesson(found.number, found.lesson)
    await message.reply_text(text, reply_markup=markup)
    await message.reply_text(
        _("A new lesson comes once a week. You can also pause or stop them."),
        reply_markup=lesson_settings_buttons(enabled),
    )


async def on_feedback(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    who = context.who
    try:
        data = LessonFeedback.unpack(query.data or "")
    except BadCallback:
        await query.answer(_("This button no longer works."))
        return
    if who is None or who.participant_id is None:
        await query.answer(_("This button no longer works."))
        return
    services = context.services
    ok = await record_feedback(services.db, who.participant_id, data.number, data.verdict,
                               services.clock.now())
    if not ok:
        await query.answer(_("This button no longer works."))
        return
    await query.answer(_("Thank you. Your coach can see this.") if data.verdict == "yes"
                       else _("Thank you for telling us. Your coach can see this."))


async def on_control(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    who = context.who
    try:
        data = LessonControl.unpack(query.data or "")
    except BadCallback:
        await query.answer(_("This button no longer works."))
        return
    if who is None or who.participant_id is None or data.action == "next":
        await query.answer(_("Type /les for the next lesson."))
        return
    services = context.services
    ok = await set_lessons(services.db, who.participant_id, data.action, services.clock.now())
    if not ok:
        await query.answer(_("This button no longer works."))
        return
    answers = {
        "pause": _("The lessons pause for 4 weeks."),
        "stop": _("No more lessons. Type /les if you ever want one."),
        "start": _("The weekly lessons are on again."),
    }
    await query.answer(answers[data.action])
    if data.action != "pause":  # pausing keeps the same buttons (Telegram refuses a no-op edit)
        await query.edit_message_reply_markup(lesson_settings_buttons(data.action == "start"))
