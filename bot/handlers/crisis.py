"""The route in a crisis: /hulp, the home menu's button, and a clear crisis phrase typed to
the bot (anywhere in a longer text, also in the middle of another flow: this answer comes
first, the flow stays as it was). The answer is direct; the coach hears of a typed phrase
through the outbox, within working hours (bot.flows.crisis)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, Message, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.core.crisis import mentions_crisis
from bot.core.crisis_callbacks import CrisisRoute
from bot.flows import crisis
from bot.handlers.conversation import TextRouter
from bot.handlers.press import Pressed, PressHandler
from bot.i18n import _


def home_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(_("🆘 Help in a crisis"), callback_data=CrisisRoute().pack())


def route_text(route: crisis.Route) -> str:
    lines = [
        _("<b>Is it very hard right now? You do not have to carry this alone.</b>"),
        "",
        _("• Danger right now? Call <b>112</b>."),
        _("• Dark thoughts, or thinking about ending your life? Call 113 Zelfmoordpreventie: "
          "<b>0800-0113</b> (free, day and night), or chat at 113.nl."),
        _("• Your GP. In the evening, at night and at the weekend: the GP out-of-hours "
          "service (huisartsenpost)."),
    ]
    if route.coach_name:
        coach = html.escape(route.coach_name)
        if route.coach_phone:
            lines.append(_("• Your coach {name}: {phone}").format(
                name=coach, phone=html.escape(route.coach_phone)))
        else:
            lines.append(_("• Your coach {name}.").format(name=coach))
    for number in route.local:
        lines.append(f"• {html.escape(number.label)}: {html.escape(number.number)}")
    lines += ["", _("This bot cannot help in an emergency. Call one of these numbers.")]
    if route.coach_told and route.coach_name:
        lines.append(_("I am sending your coach {name} a message to get in touch with you "
                       "(on working days, between 8:00 and 18:00).")
                     .format(name=html.escape(route.coach_name)))
    return "\n".join(lines)


async def show_route(update: Update, context: BotContext) -> None:
    """/hulp: the same route for anyone (a participant's own coach when there is one)."""
    message = update.effective_message
    if message is None:
        return
    who = context.who
    route = await crisis.route(context.services.db, who.participant_id if who else None)
    await message.reply_text(route_text(route))


async def on_button(press: Pressed[CrisisRoute], context: BotContext) -> None:
    route = await crisis.route(context.services.db, press.who.participant_id)
    await press.query.answer()
    if press.message is not None:
        await press.message.reply_text(route_text(route))


class _CrisisPhrase(filters.MessageFilter):
    def filter(self, message: Message) -> bool:
        return mentions_crisis(message.text)


async def on_phrase(update: Update, context: BotContext) -> None:
    message = update.effective_message
    who = context.who
    if message is None:
        return
    if who is None or who.participant_id is None:
        if who is not None and who.coach_id is not None:
            # A coach typing a note about someone: not theirs to answer here.
            texts: TextRouter = context.application.bot_data["texts"]
            await texts.handle_text(update, context)
            return
        await message.reply_text(route_text(crisis.Route()))
        return
    route = await crisis.phrase_typed(context.services.db, who.participant_id,
                                      context.services.clock.now())
    await message.reply_text(route_text(route))


def register(app: Application, texts: TextRouter) -> None:  # type: ignore[type-arg]
    """Register before every other text handler: a crisis phrase is answered first."""
    app.add_handler(CommandHandler(["hulp", "sos"], show_route))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & _CrisisPhrase(),
                                   on_phrase))
    app.add_handler(PressHandler(CrisisRoute, on_button, role=("participant", "coach")))
