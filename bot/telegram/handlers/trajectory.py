"""The coach ends a participant's trajectory: a button on the participant's card, a reason,
a confirmation. Rules and storage live in bot.flows.trajectory; the words in
bot.ui.screens.trajectory."""

from __future__ import annotations

from telegram import CallbackQuery, Message
from telegram.ext import Application

from bot.flows import trajectory
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler
from bot.ui.buttons.trajectory import EndTrajectory
from bot.ui.screens import trajectory as screen


async def ask_reason(pressed: Pressed[EndTrajectory], context: BotContext) -> None:
    """ask: why does the trajectory end?"""
    query, pid = pressed.query, pressed.data.pid
    probe = await trajectory.preview(context.services.db, pressed.coach_id, pid)
    if isinstance(probe, trajectory.Refused):
        await query.answer(_("This participant is not in your list."))
    elif isinstance(probe, trajectory.AlreadyEnded):
        await _show(query, screen.already_ended(probe.name))
    else:
        await _show(query, screen.reasons(probe.name, pid))


async def confirm(pressed: Pressed[EndTrajectory], context: BotContext) -> None:
    """pick: end it for this reason?"""
    query, data = pressed.query, pressed.data
    if data.reason is None:  # a button without a reason: choose one
        await ask_reason(pressed, context)
        return
    seen = await trajectory.preview(context.services.db, pressed.coach_id, data.pid,
                                    data.reason)
    if isinstance(seen, trajectory.Refused):
        await query.answer(_("This participant is not in your list."))
    elif isinstance(seen, trajectory.AlreadyEnded):
        await _show(query, screen.already_ended(seen.name))
    else:
        await _show(query, screen.confirm(seen.name, data.pid, data.reason, seen.farewell))


async def end(pressed: Pressed[EndTrajectory], context: BotContext) -> None:
    """yes: end the trajectory."""
    query, data = pressed.query, pressed.data
    if data.reason is None:  # a button without a reason: choose one
        await ask_reason(pressed, context)
        return
    result = await trajectory.end_trajectory(context.services.db, pressed.coach_id,
                                             pressed.account_id, data.pid, data.reason,
                                             context.services.clock.now())
    if isinstance(result, trajectory.Refused):
        await query.answer(_("This participant is not in your list."))
    elif isinstance(result, trajectory.AlreadyEnded):
        await _show(query, screen.already_ended(result.name))
    else:
        await _show(query, screen.ended(result.name, result.farewell))


async def _show(query: CallbackQuery, shown: screen.Screen) -> None:
    """Answer the press and replace the screen it came from."""
    text, markup = shown
    await query.answer()
    message = query.message
    if isinstance(message, Message) and message.text is not None:
        await query.edit_message_text(text, reply_markup=markup)
    elif isinstance(message, Message):
        await message.chat.send_message(text, reply_markup=markup)


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    steps = {"ask": ask_reason, "pick": confirm, "yes": end}
    for action, on_press in steps.items():
        app.add_handler(PressHandler(EndTrajectory, on_press, role="coach", when=action))
