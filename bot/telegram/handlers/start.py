"""/start: with an invite code it links the account; without one it explains how to join."""

from __future__ import annotations

from telegram import Update

from bot.flows import invites, onboarding
from bot.flows.invites import CoachJoined, ParticipantJoined, RedeemProblem
from bot.i18n import _, set_locale
from bot.telegram.context import BotContext
from bot.telegram.handlers.coach_onboarding import ask_name
from bot.telegram.handlers.commands import publish_chat_commands
from bot.telegram.handlers.home import send_home
from bot.telegram.handlers.onboarding import send_welcome
from bot.telegram.handlers.press import has_role


def problem_text(problem: RedeemProblem) -> str:
    # Listed literally so extraction finds every sentence.
    texts = {
        RedeemProblem.UNKNOWN: _("This link does not work. Please ask your coach for a new link."),
        RedeemProblem.USED: _(
            "This link has already been used. Please ask your coach for a new link."
        ),
        RedeemProblem.EXPIRED: _(
            "This link is no longer valid. Please ask your coach for a new link."
        ),
        RedeemProblem.REVOKED: _(
            "This link is no longer valid. Please ask your coach for a new link."
        ),
        RedeemProblem.ALREADY_LINKED: _("You are already connected to this bot."),
    }
    return texts[problem]


async def start(update: Update, context: BotContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or context.who is None:
        return
    code = context.args[0] if context.args else None
    if not code:
        if has_role(context.who, "participant"):
            await send_home(update, context)
            return
        await message.reply_text(_welcome_without_code(context))
        return
    services = context.services
    if has_role(context.who, "participant"):
        await message.reply_text(problem_text(RedeemProblem.ALREADY_LINKED))
        await send_home(update, context)
        return
    if context.who.account_id is None:
        # A participant invite first; a code of another kind comes back as UNKNOWN.
        joined = await onboarding.join(
            services.db, code, telegram_user_id=user.id, chat_id=message.chat_id,
            locale=context.who.locale, timezone=services.settings.default_timezone,
            now=services.clock.now(),
        )
        if isinstance(joined, ParticipantJoined):
            await send_welcome(update, joined)
            return
        if joined is not RedeemProblem.UNKNOWN:
            await message.reply_text(problem_text(joined))
            return
    outcome = await invites.redeem_coach_invite(
        services.db,
        code,
        telegram_user_id=user.id,
        chat_id=message.chat_id,
        display_name=user.first_name,
        locale=context.who.locale,
        timezone=services.settings.default_timezone,
        now=services.clock.now(),
    )
    if isinstance(outcome, CoachJoined):
        set_locale(context.who.locale)
        await publish_chat_commands(context.bot, message.chat_id, "coach", context.who.locale)
        welcome = _("Welcome! You are now a coach in this bot. Type /help to see what you can do.")
        await ask_name(message, context, outcome.account_id, user.first_name, intro=welcome)
        return
    await message.reply_text(problem_text(outcome))


def _welcome_without_code(context: BotContext) -> str:
    who = context.who
    if has_role(who, "coach") or has_role(who, "participant"):
        return _("Welcome back! Type /help to see what you can do.")
    return _(
        "Hello! This bot helps you with the small steps you plan with your coach.\n\n"
        "To start, you need a personal link from your coach. "
        "Ask your coach for the link or the QR code, and open it on this phone."
    )
