"""/instellingen: the participant's settings and the coach's, each choice one tap away."""

from __future__ import annotations

import html
from datetime import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows.onboarding import QUIET_CHOICES
from bot.flows.participant_settings import SettingsView
from bot.i18n import _, format_date
from bot.ui.buttons.settings import Setting

CHOSEN = "• "  # marks the current choice on its button


def _moments() -> dict[str, str]:
    return {"morning": _("In the morning"), "afternoon": _("In the afternoon"),
            "evening": _("In the evening")}


def _lessons() -> dict[str, str]:
    return {"weekly": _("Every week"), "less": _("Every two weeks"), "off": _("No lessons")}


def _step_texts() -> dict[str, str]:
    return {"show": _("Name my steps"), "count": _("Only how many")}


def _quiet_label(view: SettingsView) -> str:
    return _("{start} to {end}").format(start=view.quiet_start.strftime("%H:%M"),
                                        end=view.quiet_end.strftime("%H:%M"))


def defaults_line(moment: str, quiet_start: time, quiet_end: time) -> str:
    """The one line a new participant reads instead of three questions."""
    return _("I send you messages {moment}, never between {start} and {end}. "
             "Change this, or the language, with /instellingen.").format(
        moment=_moments().get(moment, _moments()["morning"]).lower(),
        start=quiet_start.strftime("%H:%M"), end=quiet_end.strftime("%H:%M"))


def participant_settings(view: SettingsView) -> tuple[str, InlineKeyboardMarkup]:
    lines = [
        "<b>" + _("Your settings") + "</b>", "",
        _("Language: {value}").format(value="Nederlands" if view.locale == "nl" else "English"),
        _("Messages from the bot: {value}").format(value=_moments()[view.moment].lower()),
        _("Quiet hours (no messages): {value}").format(value=_quiet_label(view)),
        _("Short lessons about stress: {value}").format(value=_lessons()[view.lessons].lower()),
        _("Reminders: {value}").format(value=_step_texts()[view.step_texts].lower()),
    ]
    if view.paused:
        lines.append(_("Break: until {day}").format(day=format_date(view.paused_until, "d MMMM"))
                     if view.paused_until else _("Break: until you type /verder"))
    lines += ["", _("Tap what you want to change. It counts from now on.")]

    def button(label: str, what: str, value: str, current: str | None
               ) -> InlineKeyboardButton:
        mark = CHOSEN if value == current else ""
        data = Setting.model_validate({"what": what, "value": value})  # checked, not cast
        return InlineKeyboardButton(mark + label, callback_data=data.pack())

    quiet = [button(f"{start.strftime('%H')}-{end.strftime('%H')}", "quiet", key, view.quiet)
             for key, (start, end) in QUIET_CHOICES.items()]
    rows = [
        language_buttons(view.locale),
        [button(label, "moment", key, view.moment)
         for key, label in _moments().items()],
        quiet,
        [button(label, "lessons", key, view.lessons)
         for key, label in _lessons().items()],
        [button(label, "steps", key, view.step_texts) for key, label in _step_texts().items()],
        [button(_("Stop the break"), "resume", "go", None) if view.paused
         else button(_("Take a break"), "pause", "go", None)],
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def coach_name_line(display_name: str) -> str:
    """The coach's part of the settings screen the digest's settings share (handlers/digest)."""
    return _("Participants see you as: <b>{name}</b>").format(name=html.escape(display_name))


def language_buttons(current: str) -> list[InlineKeyboardButton]:
    """Each language named in itself, so anyone finds their own; the current one marked."""
    return [InlineKeyboardButton((CHOSEN if current == key else "") + label,
                                 callback_data=Setting.model_validate(
                                     {"what": "lang", "value": key}).pack())
            for key, label in (("nl", "Nederlands"), ("en", "English"))]


def change_name_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(_("Change my name"),
                                callback_data=Setting(what="name", value="go").pack())
