"""Joining as a participant: the welcome with consent, then straight to the list.

Language, moment of day and quiet hours are not asked on the way in (they start from Telegram's
language and the defaults, said in one line, and /instellingen changes them)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot.core.dates import local_today
from bot.flows import onboarding
from bot.flows.invites import ParticipantJoined
from bot.flows.onboarding import Consent, Profile
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.ui.buttons.participant import Onboard
from bot.ui.screens.home import home_keyboard, home_text
from bot.ui.screens.settings import defaults_line
from bot.ui.screens.steps import render_page


def welcome_text(coach_name: str) -> str:
    return _(
        "Hello! Your coach {coach} invited you to this bot.\n\n"
        "<b>What the bot does</b>\n"
        "• It shows the steps you planned with your coach.\n"
        "• You can tick off a step when it is done.\n"
        "• It sends you a short reminder now and then.\n\n"
        "<b>What the bot does not do</b>\n"
        "• It does not arrange money, debts or benefits.\n"
        "• It is not for emergencies. Then call your coach or 112.\n\n"
        "<b>Who sees what</b>\n"
        "Your coach {coach} sees your steps and your Brug. The organisation that runs the "
        "bot keeps the data safe, for a limited time after your trajectory ends. "
        "Researchers only get numbers under a code, never your name or your texts. "
        "Type /privacy to read more, to get your data or to delete it.\n\n"
        "Do you want to take part?"
    ).format(coach=html.escape(coach_name))


def consent_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(_("Yes, I want to take part"),
                              callback_data=Onboard(step="consent", value="yes").pack())],
        [InlineKeyboardButton(_("No, rather not"),
                              callback_data=Onboard(step="consent", value="no").pack())],
    ])


async def send_welcome(update: Update, joined: ParticipantJoined) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(
            welcome_text(joined.coach_name), reply_markup=consent_keyboard()
        )


async def send_consent_question(update: Update, context: BotContext, profile: Profile) -> None:
    message = update.effective_message
    if message is None:
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    await message.reply_text(welcome_text(profile.coach_name), reply_markup=consent_keyboard())


def _start_hint() -> str:
    return _("Type /start to begin again.")


async def older_welcome(press: Pressed[Onboard], context: BotContext) -> None:
    """A language, moment or quiet-hours button of an older welcome: /instellingen now."""
    await press.query.answer(no_longer_works(_("Type /instellingen to change it.")))


# The consent buttons' values; any other value on a consent button is forged.
CONSENT = {"yes": True, "no": False}


async def consent(press: Pressed[Onboard], context: BotContext) -> None:
    query, data = press.query, press.data
    services = context.services
    now = services.clock.now()
    agreed = CONSENT.get(data.value)
    if agreed is None:
        await query.answer(no_longer_works(_start_hint()))
        return
    answered = await onboarding.answer_consent(services.db, press.participant_id,
                                               agreed, now)
    if answered.outcome is Consent.ALREADY:
        await query.answer(_("You already answered this question."))
        return
    await query.answer()
    # The welcome stays readable, with the answer under it; only its buttons go.
    chosen = _("Yes, I want to take part") if answered.outcome is Consent.GIVEN else _(
        "No, rather not")
    await query.edit_message_text(
        welcome_text(answered.coach_name) + "\n\n✓ <b>" + chosen + "</b>", reply_markup=None)
    chat = press.message.chat if press.message is not None else None
    if chat is None:
        return
    if answered.outcome is Consent.DECLINED or answered.plan is None:
        # Nothing more is sent after this; the coach sees the status.
        await chat.send_message(_(
            "All right. The bot will not send you anything. Your coach can see that you "
            "chose not to take part.\n\nChanged your mind? Type /start."
        ))
        return
    notice = defaults_line(answered.moment, answered.quiet_start, answered.quiet_end)
    if any(step.tickable for step in answered.plan.steps):
        text, markup, _page = render_page(answered.plan, "open", 0,
                                          local_today(now, press.who.timezone), notice)
        await chat.send_message(text, reply_markup=markup)
        return
    await chat.send_message(notice + "\n\n" + home_text(), reply_markup=home_keyboard())


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(PressHandler(Onboard, consent, role="participant", when="consent",
                                 hint=_start_hint))
    app.add_handler(PressHandler(Onboard, older_welcome, role="participant",
                                 when=("lang", "moment", "quiet"), hint=_start_hint))


async def onboarding_needed(update: Update, context: BotContext, participant_id: int, *,
                            ask_again: bool = False) -> bool:
    """For a participant who has not agreed (yet): the consent question instead of the menu.
    Someone who said no gets only a one-line way back, unless they ask (/start, /menu)."""
    profile = await onboarding.profile(context.services.db, participant_id)
    if profile is None or profile.consented:
        return False
    if profile.status == "declined" and not ask_again:
        if update.effective_message is not None:
            await update.effective_message.reply_text(
                _("You chose not to take part. Changed your mind? Type /start."))
        return True
    await send_consent_question(update, context, profile)
    return True
