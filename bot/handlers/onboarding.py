"""Joining as a participant: the welcome with consent, then language, moment and quiet hours."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot.context import BotContext
from bot.core.participant_buttons import Onboard
from bot.flows import onboarding
from bot.flows.invites import ParticipantJoined
from bot.flows.onboarding import Consent, Profile
from bot.handlers.commands import publish_chat_commands
from bot.handlers.conversation import ConversationRouter
from bot.handlers.press import Pressed, PressHandler, no_longer_works, participant_of
from bot.i18n import _, set_locale
from bot.screens.home import home_keyboard
from bot.storage.models import Moment


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


def language_keyboard() -> InlineKeyboardMarkup:
    # Each language named in itself, so anyone finds their own.
    return InlineKeyboardMarkup([[
        InlineKeyboardButton("Nederlands", callback_data=Onboard(step="lang", value="nl").pack()),
        InlineKeyboardButton("English", callback_data=Onboard(step="lang", value="en").pack()),
    ]])


def moment_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(_("In the morning"),
                              callback_data=Onboard(step="moment", value="morning").pack())],
        [InlineKeyboardButton(_("In the afternoon"),
                              callback_data=Onboard(step="moment", value="afternoon").pack())],
        [InlineKeyboardButton(_("In the evening"),
                              callback_data=Onboard(step="moment", value="evening").pack())],
    ])


def quiet_keyboard() -> InlineKeyboardMarkup:
    labels = {
        "21-8": _("21:00 to 08:00 (usual)"),
        "22-7": _("22:00 to 07:00"),
        "20-9": _("20:00 to 09:00"),
        "23-9": _("23:00 to 09:00"),
    }
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(label, callback_data=Onboard(step="quiet", value=key).pack())]  # type: ignore[arg-type]
        for key, label in labels.items()
    ])


def _start_hint() -> str:
    return _("Type /start to begin again.")


async def on_onboard_button(press: Pressed[Onboard], context: BotContext) -> None:
    query, who, data = press.query, press.who, press.data
    services = context.services
    now = services.clock.now()
    pid = press.participant_id
    if data.step == "consent" and data.value in ("yes", "no"):
        outcome = await onboarding.answer_consent(services.db, pid, data.value == "yes", now)
        if outcome is Consent.ALREADY:
            await query.answer(_("You already answered this question."))
            return
        await query.answer()
        if outcome is Consent.DECLINED:
            # Nothing more is sent after this; the coach sees the status.
            await query.edit_message_text(_(
                "All right. The bot will not send you anything. Your coach can see that you "
                "chose not to take part.\n\nChanged your mind? Type /start."
            ))
            return
        await query.edit_message_text(
            _("Thank you! Which language do you want?"), reply_markup=language_keyboard()
        )
    elif data.step == "lang" and data.value in ("nl", "en"):
        await onboarding.set_language(services.db, pid, press.account_id, data.value, now)
        set_locale(data.value)
        await query.answer()
        await publish_chat_commands(context.bot, query.message.chat.id if query.message else
                                    who.telegram_user_id, "participant", data.value)
        await query.edit_message_text(
            _("When do you like to get a message from the bot?"), reply_markup=moment_keyboard()
        )
    elif data.step == "moment" and data.value in ("morning", "afternoon", "evening"):
        await onboarding.set_moment(services.db, pid, Moment(data.value), now)
        await query.answer()
        await query.edit_message_text(
            _("And when should the bot stay quiet? In these hours you get no messages."),
            reply_markup=quiet_keyboard(),
        )
    elif data.step == "quiet" and await onboarding.set_quiet_hours(services.db, pid, data.value,
                                                                   now):
        await query.answer()
        await query.edit_message_text(
            _("All set. You can change this any time with /instellingen.\n\nWhat would you "
              "like to do?"),
            reply_markup=home_keyboard(),
        )
    else:
        await query.answer(no_longer_works(_start_hint()))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(PressHandler(Onboard, on_onboard_button, role="participant",
                                 hint=_start_hint))


async def onboarding_needed(update: Update, context: BotContext, *, ask_again: bool = False
                            ) -> bool:
    """For a participant who has not agreed (yet): the consent question instead of the menu.
    Someone who said no gets only a one-line way back, unless they ask (/start, /menu)."""
    participant_id = participant_of(context.who)
    if participant_id is None:
        return False
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
