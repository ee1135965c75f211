"""/start: with an invite code it links the account; without one it explains how to join."""

from __future__ import annotations

from bot.flows import invites, onboarding
from bot.flows.invites import CoachJoined, ParticipantJoined, RedeemProblem
from bot.i18n import _, set_locale
from bot.telegram.context import BotContext
from bot.telegram.handlers.coach_onboarding import ask_name
from bot.telegram.handlers.commands import publish_chat_commands
from bot.telegram.handlers.home import send_home
from bot.telegram.handlers.onboarding import send_welcome
from bot.telegram.routing import Audience, OnMessage, Said


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


async def start_participant(said: Said, context: BotContext) -> None:
    """/start for a participant: the menu (a code cannot link them again)."""
    if context.args:
        await said.message.reply_text(problem_text(RedeemProblem.ALREADY_LINKED))
    await send_home(said, context)


async def start_coach(said: Said, context: BotContext) -> None:
    if context.args:
        await _redeem(said, context, context.args[0])
        return
    await said.message.reply_text(_("Welcome back! Type /help to see what you can do."))


async def start_anyone(said: Said, context: BotContext) -> None:
    """/start for someone new: with a code, join; without one, how to join."""
    if context.args:
        await _redeem(said, context, context.args[0])
        return
    await said.message.reply_text(_(
        "Hello! This bot helps you with the small steps you plan with your coach.\n\n"
        "To start, you need a personal link from your coach. "
        "Ask your coach for the link or the QR code, and open it on this phone."
    ))


START: dict[Audience, OnMessage] = {"participant": start_participant, "coach": start_coach,
                                    "anyone": start_anyone}


async def _redeem(said: Said, context: BotContext, code: str) -> None:
    message, who, user = said.message, said.who, said.update.effective_user
    if user is None:
        return
    services = context.services
    if who.account_id is None:
        # A participant invite first; a code of another kind comes back as UNKNOWN.
        joined = await onboarding.join(
            services.db, code, telegram_user_id=user.id, chat_id=message.chat_id,
            locale=who.locale, timezone=services.settings.default_timezone,
            now=services.clock.now(),
        )
        if isinstance(joined, ParticipantJoined):
            await send_welcome(said.update, joined)
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
        locale=who.locale,
        timezone=services.settings.default_timezone,
        now=services.clock.now(),
    )
    if isinstance(outcome, CoachJoined):
        set_locale(who.locale)
        await publish_chat_commands(context.bot, message.chat_id, "coach", who.locale)
        welcome = _("Welcome! You are now a coach in this bot. Type /help to see what you can do.")
        await ask_name(message, context, outcome.account_id, user.first_name, intro=welcome)
        return
    await message.reply_text(problem_text(outcome))
