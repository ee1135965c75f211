"""The coach hands a participant over to a colleague of the same organisation: a button on the
participant's card, a choice of coach, a confirmation. Rules live in bot.flows.handover."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from bot.flows import handover
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler
from bot.ui.buttons.coach import CoachCard, CoachList
from bot.ui.buttons.handover import Handover
from bot.ui.screens import handover as screen


async def on_press(press: Pressed[Handover], context: BotContext) -> None:
    data, query = press.data, press.query
    db = context.services.db
    back = InlineKeyboardButton(_("Back"), callback_data=CoachCard(pid=data.pid).pack())
    found = await handover.choices(db, press.coach_id, data.pid)
    if isinstance(found, handover.Refused):
        await query.answer(screen.refusal(found.why), show_alert=True)
        return
    name = html.escape(found.name)
    if data.action == "ask" or data.to is None:
        if not found.coaches:
            text = _("There is no other coach in your organisation yet.")
        else:
            text = _("Which coach takes over {name}?").format(name=name)
        rows = [[InlineKeyboardButton(c.name, callback_data=Handover(
            action="pick", pid=data.pid, to=c.coach_id).pack())] for c in found.coaches]
        await _show(press, text, InlineKeyboardMarkup([*rows, [back]]))
        return
    target = next((c for c in found.coaches if c.coach_id == data.to), None)
    if target is None:
        await query.answer(screen.refusal("no_such_coach"), show_alert=True)
        return
    if data.action == "pick":
        text = "\n".join([
            _("Hand {name} over to {coach}?").format(name=name, coach=html.escape(target.name)),
            "",
            _("Goals, steps, the Brug, cards and rewards stay. {coach} sees all of it; you no "
              "longer see {name}.").format(name=name, coach=html.escape(target.name)),
            (_("{name} gets one message with the name of the new coach.") if found.told
             else _("{name} has no bot (yet), so gets no message.")).format(name=name),
        ])
        yes = InlineKeyboardButton(_("Yes, hand over"), callback_data=Handover(
            action="yes", pid=data.pid, to=target.coach_id).pack())
        await _show(press, text, InlineKeyboardMarkup([[yes], [back]]))
        return
    done = await handover.hand_over(db, data.pid, target.coach_id, context.services.clock.now(),
                                    actor_account_id=press.account_id,
                                    by_coach_id=press.coach_id)
    if isinstance(done, handover.Refused):
        await query.answer(screen.refusal(done.why), show_alert=True)
        return
    text = _("{name} now has {coach} as coach.").format(name=name,
                                                        coach=html.escape(done.to_name))
    await _show(press, text, InlineKeyboardMarkup([[InlineKeyboardButton(
        _("All participants"), callback_data=CoachList().pack())]]))


async def _show(press: Pressed[Handover], text: str, markup: InlineKeyboardMarkup) -> None:
    await press.query.answer()
    message = press.message
    if message is not None and message.text is not None:
        await press.query.edit_message_text(text, reply_markup=markup)
    elif message is not None:
        await message.chat.send_message(text, reply_markup=markup)


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(PressHandler(Handover, on_press, role="coach"))
