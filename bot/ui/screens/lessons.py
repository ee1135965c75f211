"""A stress lesson (sent weekly through the outbox, or on /les) and its settings buttons."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.lessons import Lesson
from bot.i18n import N_, _
from bot.ui.buttons.nudges import LessonControl, LessonFeedback

HEADING_LESSON = N_("A short lesson: {title}")


def render_lesson(number: int, lesson: Lesson) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join([
        _(HEADING_LESSON).format(title=html.escape(lesson.title)), "",
        html.escape(lesson.text), "",
        "<b>" + _("Try this:") + "</b> " + html.escape(lesson.strategy),
    ])
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton(_("Sounds familiar"), callback_data=LessonFeedback(
            number=number, verdict="yes").pack()),
         InlineKeyboardButton(_("Less for me"), callback_data=LessonFeedback(
             number=number, verdict="no").pack())],
    ])
    return text, markup


def lesson_settings_buttons(enabled: bool) -> InlineKeyboardMarkup:
    if not enabled:
        return InlineKeyboardMarkup([[InlineKeyboardButton(
            _("Weekly lessons on"), callback_data=LessonControl(action="start").pack())]])
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(_("No lessons for 4 weeks"),
                              callback_data=LessonControl(action="pause").pack()),
         InlineKeyboardButton(_("Stop the lessons"),
                              callback_data=LessonControl(action="stop").pack())],
    ])
