"""The coach ends a participant's trajectory: a button on the participant's card, a reason,
a confirmation. Rules and storage live in bot.flows.trajectory."""

from __future__ import annotations

import html

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.core.coach_callbacks import CoachCard, CoachList
from bot.core.trajectory import END_REASONS
from bot.core.trajectory_callbacks import EndTrajectory
from bot.flows import trajectory
from bot.handlers.common import unpack_press
from bot.handlers.conversation import TextRouter
from bot.i18n import N_, _

REASON_LABELS = {
    "goals_reached": N_("Goals reached"),
    "no_contact": N_("No contact any more"),
    "does_not_continue": N_("Does not want to continue"),
    "moved": N_("Moved"),
    "deceased": N_("Deceased"),
    "handed_over": N_("Handed over to other help"),
    "other": N_("Other reason"),
}


def card_button(participant_id: int) -> InlineKeyboardButton:
    """On the participant's card in the coach menu (handlers.caseload.CARD_BUTTONS)."""
    return InlineKeyboardButton(_("End trajectory"),
                                callback_data=EndTrajectory(action="ask",
                                                            pid=participant_id).pack())


def _back(pid: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(_("Back"), callback_data=CoachCard(pid=pid).pack())


async def on_press(update: Update, context: BotContext) -> None:
    pressed = await unpack_press(update, EndTrajectory)
    if pressed is None:
        return
    query, data = pressed
    who = context.who
    if who is None or who.coach_id is None or who.account_id is None:
        await query.answer(_("This button is not for you."))
        return
    db, now = context.services.db, context.services.clock.now()
    if data.action == "ask" or data.reason is None:
        probe = await trajectory.preview(db, who.coach_id, data.pid)
        if isinstance(probe, trajectory.Refused):
            await query.answer(_("This participant is not in your list."))
            return
        if isinstance(probe, trajectory.AlreadyEnded):
            await _show(query, _already(probe.name), _done_keyboard())
            return
        rows = [[InlineKeyboardButton(_(REASON_LABELS[r]), callback_data=EndTrajectory(
            action="pick", pid=data.pid, reason=r).pack())] for r in END_REASONS]
        rows.append([_back(data.pid)])
        text = _("Why does the trajectory of {name} end?").format(name=html.escape(probe.name))
        await _show(query, text, InlineKeyboardMarkup(rows))
        return
    if data.action == "pick":
        seen = await trajectory.preview(db, who.coach_id, data.pid, data.reason)
        if isinstance(seen, trajectory.Refused):
            await query.answer(_("This participant is not in your list."))
            return
        if isinstance(seen, trajectory.AlreadyEnded):
            await _show(query, _already(seen.name), _done_keyboard())
            return
        name = html.escape(seen.name)
        lines = [_("End the trajectory of {name}?").format(name=name),
                 _("Reason: {reason}").format(reason=_(REASON_LABELS[data.reason])), ""]
        if seen.farewell:
            lines.append(_("{name} gets one short closing message from the bot. After that "
                           "the bot sends nothing more.").format(name=name))
        else:
            lines.append(_("The bot sends {name} no more messages, and no closing message "
                           "either.").format(name=name))
        lines.append(_("What was recorded stays for the evaluation."))
        markup = InlineKeyboardMarkup([
            [InlineKeyboardButton(_("Yes, end the trajectory"), callback_data=EndTrajectory(
                action="yes", pid=data.pid, reason=data.reason).pack())],
            [_back(data.pid)],
        ])
        await _show(query, "\n".join(lines), markup)
        return
    result = await trajectory.end_trajectory(db, who.coach_id, who.account_id, data.pid,
                                             data.reason, now)
    if isinstance(result, trajectory.Refused):
        await query.answer(_("This participant is not in your list."))
        return
    if isinstance(result, trajectory.AlreadyEnded):
        await _show(query, _already(result.name), _done_keyboard())
        return
    name = html.escape(result.name)
    lines = [_("The trajectory of {name} has ended.").format(name=name)]
    if result.farewell:
        lines.append(_("The bot sends {name} one short closing message.").format(name=name))
    await _show(query, "\n".join(lines), _done_keyboard())


def _already(name: str) -> str:
    return _("The trajectory of {name} has already ended.").format(name=html.escape(name))


def _done_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("All participants"),
                                                       callback_data=CoachList().pack())]])


async def _show(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    """Answer the press and replace the screen it came from."""
    await query.answer()
    message = query.message
    if isinstance(message, Message) and message.text is not None:
        await query.edit_message_text(text, reply_markup=markup)
    elif isinstance(message, Message):
        await message.chat.send_message(text, reply_markup=markup)


def register(app: Application, texts: TextRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CallbackQueryHandler(on_press, pattern=EndTrajectory.pattern()))
