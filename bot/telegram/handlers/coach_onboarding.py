"""After a coach joins: ask for the name participants will see (keep the Telegram name with
one tap)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.ext import Application

from bot.core.conversations import CoachNameFlow
from bot.core.plan_input import NAME_MAX, TextProblem
from bot.flows import conversation
from bot.flows.coach_profile import NAME_FLOW, set_display_name
from bot.flows.conversation import Conversation
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler
from bot.telegram.routing import Said, text_step
from bot.ui.buttons.coach import KeepCoachName


async def ask_name(message: Message, context: BotContext, account_id: int, current: str,
                   intro: str = "") -> None:
    services = context.services
    await conversation.begin(services.db, account_id, "name", CoachNameFlow(), services.clock.now())
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
        _("Keep “{name}”").format(name=current[:40]), callback_data=KeepCoachName().pack())]])
    question = (
        _("Which name should your participants see? For example “Sanne” or “Sanne de Vries”.\n"
          "Type it, or keep <b>{name}</b>.").format(name=html.escape(current))
    )
    await message.reply_text(f"{intro}\n\n{question}" if intro else question,
                             reply_markup=keyboard)


async def _on_name(said: Said, context: BotContext, state: Conversation) -> None:
    await _save(said.message, context, said.coach_id, said.message.text or "")


async def _keep(press: Pressed[KeepCoachName], context: BotContext) -> None:
    query = press.query
    state = await conversation.current(context.services.db, press.account_id,
                                       context.services.clock.now())
    await query.answer()
    if not (isinstance(state, Conversation) and state.flow == NAME_FLOW):
        return  # a second tap: the name was already saved
    if query.message is not None:
        await query.edit_message_reply_markup(None)
    if isinstance(query.message, Message):
        await _save(query.message, context, press.coach_id, query.from_user.first_name,
                    reply_to_bot=True)


async def _save(message: Message, context: BotContext, coach_id: int, raw: str,
                reply_to_bot: bool = False) -> None:
    services = context.services
    result = await set_display_name(services.db, coach_id, raw, services.clock.now())
    if result is TextProblem.TOO_LONG:
        await message.reply_text(
            _("That is a bit long. Please keep it under {max} characters.").format(max=NAME_MAX))
        return
    if result is TextProblem.EMPTY:
        await message.reply_text(_("Please type a name, or tap the button to keep yours."))
        return
    send = message.chat.send_message if reply_to_bot else message.reply_text
    await send(
        _("Thank you. Participants will see you as <b>{name}</b>.\n\n"
          "/nieuw - add a participant and make their invite\n"
          "/deelnemers - your participants at a glance").format(name=html.escape(str(result)))
    )


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    router.on(NAME_FLOW, text_step(_on_name, role="coach"))
    app.add_handler(PressHandler(KeepCoachName, _keep, role="coach"))
