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


async def _choices(press: Pressed[Handover], context: BotContext
                   ) -> handover.Choice | None:
    """The colleagues to hand over to, or None (answered) when this is not the coach's."""
    found = await handover.choices(context.services.db, press.coach_id, press.data.pid)
    if isinstance(found, handover.Refused):
        await press.query.answer(screen.refusal(found.why), show_alert=True)
        return None
    return found


def _back(pid: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(_("Back"), callback_data=CoachCard(pid=pid).pack())


async def ask_coach(press: Pressed[Handover], context: BotContext) -> None:
    """ask: which colleague takes over?"""
    found = await _choices(press, context)
    if found is None:
        return
    pid = press.data.pid
    if not found.coaches:
        text = _("There is no other coach in your organisation yet.")
    else:
        text = _("Which coach takes over {name}?").format(name=html.escape(found.name))
    rows = [[InlineKeyboardButton(c.name, callback_data=Handover(
        action="pick", pid=pid, to=c.coach_id).pack())] for c in found.coaches]
    await _show(press, text, InlineKeyboardMarkup([*rows, [_back(pid)]]))


async def _target(press: Pressed[Handover], found: handover.Choice) -> handover.Candidate | None:
    """The chosen colleague, or None (answered) when they are not (or no longer) a choice."""
    target = next((c for c in found.coaches if c.coach_id == press.data.to), None)
    if target is None:
        await press.query.answer(screen.refusal("no_such_coach"), show_alert=True)
    return target


async def confirm(press: Pressed[Handover], context: BotContext) -> None:
    """pick: hand over to this colleague?"""
    if press.data.to is None:  # a button without a colleague: choose one
        await ask_coach(press, context)
        return
    found = await _choices(press, context)
    target = await _target(press, found) if found is not None else None
    if found is None or target is None:
        return
    name, coach = html.escape(found.name), html.escape(target.name)
    text = "\n".join([
        _("Hand {name} over to {coach}?").format(name=name, coach=coach),
        "",
        _("Goals, steps, the Brug, cards and rewards stay. {coach} sees all of it; you no "
          "longer see {name}.").format(name=name, coach=coach),
        (_("{name} gets one message with the name of the new coach.") if found.told
         else _("{name} has no bot (yet), so gets no message.")).format(name=name),
    ])
    yes = InlineKeyboardButton(_("Yes, hand over"), callback_data=Handover(
        action="yes", pid=press.data.pid, to=target.coach_id).pack())
    await _show(press, text, InlineKeyboardMarkup([[yes], [_back(press.data.pid)]]))


async def hand_over(press: Pressed[Handover], context: BotContext) -> None:
    """yes: the participant moves to the colleague."""
    if press.data.to is None:  # a button without a colleague: choose one
        await ask_coach(press, context)
        return
    found = await _choices(press, context)
    target = await _target(press, found) if found is not None else None
    if found is None or target is None:
        return
    done = await handover.hand_over(context.services.db, press.data.pid, target.coach_id,
                                    context.services.clock.now(),
                                    actor_account_id=press.account_id,
                                    by_coach_id=press.coach_id)
    if isinstance(done, handover.Refused):
        await press.query.answer(screen.refusal(done.why), show_alert=True)
        return
    text = _("{name} now has {coach} as coach.").format(name=html.escape(found.name),
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
    steps = {"ask": ask_coach, "pick": confirm, "yes": hand_over}
    for action, on_press in steps.items():
        app.add_handler(PressHandler(Handover, on_press, role="coach", when=action))
