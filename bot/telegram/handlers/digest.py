"""The coach's digest on demand (/overzicht), its pages, the one-tap card, the settings screen.

The weekly digest itself is an outbox message (bot/notify/dispatcher.py); these are direct
answers to what the coach just did, rendered with the same `screens/digest.py`.
"""

from __future__ import annotations

import html
from datetime import date, time, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from bot.core import digest as rules
from bot.flows import coach_settings
from bot.flows import digest as digest_flow
from bot.flows.coach_cards import CardRefusal
from bot.flows.coach_settings import DIGEST_TIMES, WORK_PRESETS, CoachSettings
from bot.flows.pillars import pillar_labels
from bot.i18n import _, current_locale, format_date, using_locale
from bot.telegram.context import BotContext
from bot.telegram.handlers import cards as card_screens
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.telegram.routing import Command, Said, refuse
from bot.ui.buttons.digest import DigestCard, DigestPage, DigestSettings
from bot.ui.screens.digest import from_minutes, render_page
from bot.ui.screens.settings import change_name_button, coach_name_line, language_buttons


async def show_overview(said: Said, context: BotContext) -> None:
    """/overzicht: the digest of the week so far."""
    services = context.services
    built = await digest_flow.overview_now(services.db, said.coach_id, said.account_id,
                                           services.clock.now(),
                                           services.settings.default_timezone)
    if built is None:
        await refuse(said.update, "coach")
        return
    page = render_page(built, 0)
    await said.message.reply_text(page.text, reply_markup=page.markup)


async def turn_page(press: Pressed[DigestPage], context: BotContext) -> None:
    data, query, services = press.data, press.query, context.services
    if data.since >= data.until:
        await query.answer(no_longer_works())
        return
    built = await digest_flow.overview_now(
        services.db, press.coach_id, press.account_id, services.clock.now(),
        services.settings.default_timezone, since=from_minutes(data.since),
        until=from_minutes(data.until))
    if built is None:
        await query.answer(no_longer_works())
        return
    page = render_page(built, data.page)
    await query.answer()
    if press.message is not None and press.message.text is not None:
        await query.edit_message_text(page.text, reply_markup=page.markup)


def card_message(win: digest_flow.WinCard) -> str:
    """The warm default text, naming what they did (in the current language)."""
    if win.win == rules.Win.GOAL:
        return _("You reached your goal: “{goal}”. I am glad for you, and proud of how you "
                 "kept going.").format(goal=win.text)
    if win.win == rules.Win.STEP:
        return _("You did it: “{step}”. That was not an easy step. Well done.").format(
            step=win.text)
    try:
        labels = pillar_labels(win.instrument_key, current_locale())
    except ValueError:
        labels = {}
    pillars = ", ".join(labels.get(key, key) for key in win.text.split(","))
    return _("Your Brug went up: {pillars}. Your steps are making a difference.").format(
        pillars=pillars)


async def send_win_card(press: Pressed[DigestCard], context: BotContext) -> None:
    """One tap in the digest: the card goes out (through the outbox) with the default text
    in the participant's language."""
    data, query, services = press.data, press.query, context.services

    def compose(win: digest_flow.WinCard) -> str:
        with using_locale(win.locale or services.settings.default_locale):
            return card_message(win)

    outcome = await digest_flow.send_win_card(services.db, press.coach_id, data.pid, data.win,
                                              data.ref, services.clock.now(), compose)
    if outcome is None:
        await query.answer(no_longer_works())
        return
    win, sent = outcome
    if isinstance(sent, CardRefusal):
        await query.answer(card_screens.refusal_text(sent), show_alert=True)
        return
    name = html.escape(win.name)
    if not sent.new:
        await query.answer(_("Your card for {name} has already been sent.").format(name=name))
        return
    await query.answer(
        _("Your card for {name} is on its way.").format(name=name) if sent.reachable else
        _("Your card for {name} is saved, but could not be delivered right now. They will "
          "find it under /kaartjes.").format(name=name), show_alert=True)


# --- settings ---------------------------------------------------------------------------------


def _clock(at: time) -> str:
    return at.strftime("%H:%M")


def settings_text(view: CoachSettings) -> str:
    day = format_date(_a_monday_plus(view.digest_weekday), "EEEE")
    digest = _("Weekly overview: on, every {day} at {time}.").format(
        day=day, time=_clock(view.digest_time)) if view.digest_enabled else \
        _("Weekly overview: off. /overzicht still shows it whenever you like.")
    days = ", ".join(format_date(_a_monday_plus(d), "EEE") for d in sorted(view.work_days))
    work = _("Working hours: {days}, {start}-{end}. Messages about a request for help or a "
             "request to talk only come within these hours.").format(
        days=days, start=_clock(view.work_start), end=_clock(view.work_end))
    language = _("Language: {value}").format(
        value="Nederlands" if view.locale == "nl" else "English")
    return "<b>" + _("Your settings") + "</b>\n\n" + coach_name_line(view.display_name) \
        + "\n" + language + "\n\n" + digest + "\n\n" + work


def _a_monday_plus(days: int) -> date:
    return date(2026, 11, 30) + timedelta(days=days)  # a Monday, only for the day's name


def settings_keyboard(view: CoachSettings) -> InlineKeyboardMarkup:
    def press(what: str, value: int = 0) -> str:
        return DigestSettings(what=what, value=value).pack()  # type: ignore[arg-type]

    toggle = InlineKeyboardButton(_("Turn the weekly overview off"), callback_data=press("off")) \
        if view.digest_enabled else InlineKeyboardButton(_("Turn the weekly overview on"),
                                                         callback_data=press("on"))
    days = [InlineKeyboardButton(("• " if d == view.digest_weekday else "")
                                 + format_date(_a_monday_plus(d), "EEE"),
                                 callback_data=press("day", d)) for d in range(7)]
    times = [InlineKeyboardButton(("• " if time(t // 100, t % 100) == view.digest_time else "")
                                  + f"{t // 100:02d}:{t % 100:02d}",
                                  callback_data=press("time", t)) for t in DIGEST_TIMES]
    work = []
    for index, (work_days, start, end) in enumerate(WORK_PRESETS):
        chosen = (frozenset(int(c) for c in work_days), start, end) == (
            view.work_days, view.work_start, view.work_end)
        label = "{}{}-{} {}-{}".format(
            "• " if chosen else "", format_date(_a_monday_plus(int(work_days[0])), "EEE"),
            format_date(_a_monday_plus(int(work_days[-1])), "EEE"), _clock(start), _clock(end))
        work.append([InlineKeyboardButton(label, callback_data=press("work", index))])
    rows = [[toggle], days[:4], days[4:], times, *work, [change_name_button()],
            language_buttons(view.locale)]
    return InlineKeyboardMarkup(rows)


async def show_settings(said: Said, context: BotContext) -> None:
    """/instellingen for a coach."""
    view = await coach_settings.show(context.services.db, said.coach_id)
    if view is None:
        await refuse(said.update, "coach")
        return
    await said.message.reply_text(settings_text(view), reply_markup=settings_keyboard(view))


async def change_setting(press: Pressed[DigestSettings], context: BotContext) -> None:
    data, query, services = press.data, press.query, context.services
    view = await coach_settings.change(
        services.db, press.coach_id, press.account_id, data.what, data.value,
        services.clock.now())
    if view is None:
        await query.answer(no_longer_works())
        return
    await query.answer(_("Saved."))
    text, markup = settings_text(view), settings_keyboard(view)
    message = press.message
    if message is not None and (message.text_html != text or message.reply_markup != markup):
        await query.edit_message_text(text, reply_markup=markup)


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(Command("overzicht", show_overview, role="coach"))
    # /instellingen itself is routed by handlers/settings.py (participants and coaches).
    app.add_handler(PressHandler(DigestPage, turn_page, role="coach"))
    app.add_handler(PressHandler(DigestCard, send_win_card, role="coach"))
    app.add_handler(PressHandler(DigestSettings, change_setting, role="coach"))
