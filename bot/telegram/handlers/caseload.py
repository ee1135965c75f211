"""Coach screens: /deelnemers, a participant's card, /nieuw with invite link and QR code."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application

from bot.core.conversations import NewParticipantFlow
from bot.core.dates import local_today
from bot.core.plan_input import NAME_MAX, TextProblem
from bot.flows import caseload, conversation, plans
from bot.flows.caseload import NEW_FLOW, InviteRefused, NewParticipant, ParticipantCard
from bot.flows.conversation import Conversation
from bot.flows.invites import deep_link
from bot.i18n import _, format_date
from bot.render.qr import qr_png
from bot.telegram.context import BotContext
from bot.telegram.handlers.cards import coach_card_button as send_card_button
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.plan_flow import ask_first
from bot.telegram.handlers.press import Pressed, PressHandler
from bot.telegram.routing import Command, Said, text_step
from bot.ui.buttons.coach import CoachCard, CoachInvite, CoachList, GoalAction, NewGoal
from bot.ui.buttons.digest import RequestHandled
from bot.ui.screens import brug as brug_screen
from bot.ui.screens import handover as handover_screen
from bot.ui.screens import meetings as meetings_screen
from bot.ui.screens import trajectory
from bot.ui.screens.caseload import card_text, overview_text

# Telegram shows at most 100 buttons; a caseload is 3-15 people, this is only a guard.
MAX_LIST_BUTTONS = 90

# ---------------------------------------------------------------------------------------------
# INTEGRATION SPOT for other features on the participant card (Brug: issue 5, cards: issue 7).
# Each feature adds one function here when merged: participant id -> its button, e.g.
#     lambda pid: InlineKeyboardButton(_("Brug"), callback_data=CoachBrug(pid=pid).pack())
# Their handler must check ownership itself (participants.owned_by) and write an audit entry.
CARD_BUTTONS: tuple[Callable[[int], InlineKeyboardButton], ...] = (
    meetings_screen.card_button,
    brug_screen.coach_card_button,
    send_card_button,
    trajectory.card_button,
    handover_screen.card_button,
)
# ---------------------------------------------------------------------------------------------


async def list_command(said: Said, context: BotContext) -> None:
    """/deelnemers."""
    await show_list(said.update, context, said.coach_id, said.account_id, said.who.timezone)


async def show_list(update: Update, context: BotContext, coach_id: int, account_id: int,
                    zone: str) -> None:
    services = context.services
    lines = await caseload.list_participants(services.db, coach_id, account_id,
                                             services.clock.now(), zone)
    buttons = [[InlineKeyboardButton(line.display_name[:40] or "…",
                                     callback_data=CoachCard(pid=line.participant_id).pack())]
               for line in lines[:MAX_LIST_BUTTONS]]
    markup = InlineKeyboardMarkup(buttons) if buttons else None
    await _reply_or_edit(update, overview_text(lines), markup)


async def _reply_or_edit(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer()
        if isinstance(query.message, Message) and query.message.text is not None:
            await query.edit_message_text(text, reply_markup=markup)
            return
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(text, reply_markup=markup)


def card_keyboard(card: ParticipantCard) -> InlineKeyboardMarkup:
    pid = card.line.participant_id
    rows = [[InlineKeyboardButton("🎯 " + goal.text[:40],
                                  callback_data=GoalAction(action="open", gid=goal.id).pack())]
            for goal in card.goals if goal.status == "active"][:20]
    rows.append([InlineKeyboardButton(_("New goal"), callback_data=NewGoal(pid=pid).pack())])
    if card.line.status == "invited":
        rows.append([
            InlineKeyboardButton(_("New invite"),
                                 callback_data=CoachInvite(action="new", pid=pid).pack()),
            InlineKeyboardButton(_("Revoke invite"),
                                 callback_data=CoachInvite(action="revoke", pid=pid).pack()),
        ])
    if card.requests.talk_asked_at is not None:
        rows.append([InlineKeyboardButton(_("✔ Talk: handled"), callback_data=RequestHandled(
            pid=pid, what="talk").pack())])
    rows.extend([InlineKeyboardButton(_("✔ Help: handled") + " · " + text[:30],
                                      callback_data=RequestHandled(pid=pid, what="help",
                                                                   sid=sid).pack())]
                for sid, text in card.requests.help_steps[:10])
    for wish in card.requests.meeting_wishes[:3]:
        rows.extend(meetings_screen.wish_rows(wish, pid))
    extra = [make(pid) for make in CARD_BUTTONS]
    # Two per row: the labels stay readable on a phone.
    rows.extend(extra[i:i + 2] for i in range(0, len(extra), 2))
    rows.append([InlineKeyboardButton(_("All participants"), callback_data=CoachList().pack())])
    return InlineKeyboardMarkup(rows)


async def send_card(press: Pressed[Any], context: BotContext, pid: int) -> None:
    """Open (or refresh) the card of one of this coach's own participants."""
    services, who = context.services, press.who
    now = services.clock.now()
    card = await caseload.open_card(services.db, press.coach_id, press.account_id, pid, now,
                                    who.timezone, who.locale)
    if card is None:
        await _refuse(press.update)
        return
    await _reply_or_edit(press.update, card_text(card, local_today(now, who.timezone),
                                                 who.timezone), card_keyboard(card))


async def _refuse(update: Update) -> None:
    """Someone else's participant, or one that no longer exists: the same answer for both."""
    text = _("This participant is not in your list.")
    if update.callback_query is not None:
        await update.callback_query.answer(text)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


async def _on_card(press: Pressed[CoachCard], context: BotContext) -> None:
    await send_card(press, context, press.data.pid)


async def _on_list(press: Pressed[CoachList], context: BotContext) -> None:
    await show_list(press.update, context, press.coach_id, press.account_id, press.who.timezone)


async def start_new(said: Said, context: BotContext) -> None:
    """/nieuw: the participant's name first."""
    services = context.services
    await conversation.begin(services.db, said.account_id, "name", NewParticipantFlow(),
                             services.clock.now())
    await said.message.reply_text(
        _("What is the participant's name or nickname? Only you and they will see it.\n"
          "(/annuleer to stop)"))


async def _on_new_name(said: Said, context: BotContext, state: Conversation) -> None:
    message, services = said.message, context.services
    result = await plans.new_participant(services.db, said.coach_id, said.account_id,
                                         message.text or "", services.clock.now())
    if result is TextProblem.TOO_LONG:
        await message.reply_text(
            _("That is a bit long. Please keep it under {max} characters.").format(max=NAME_MAX))
        return
    if isinstance(result, TextProblem):
        await message.reply_text(_("Please type a name or nickname."))
        return
    if result is None:
        return  # the same message delivered twice: the invite was already sent
    new, draft = result
    await send_invite(message, context, new, plan_button=False)
    # Straight on to the first goal: in the meeting that is what comes next.
    await ask_first(message, context, draft)


async def send_invite(message: Message, context: BotContext, new: NewParticipant, *,
                      plan_button: bool = True) -> None:
    """The link and the QR code picture, to show on screen in the meeting."""
    username = context.services.settings.bot_username or context.bot.username
    link = deep_link(username, new.invite.code)
    caption = _(
        "Invite for <b>{name}</b>. Let them scan this code with the phone camera, "
        "or send them this link:\n{link}\n\nIt works once, until {day}."
    ).format(name=html.escape(new.display_name), link=html.escape(link),
             day=format_date(new.invite.expires_at.date()))
    # A new invite for someone made earlier: their plan is one tap away.
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
        _("Make a goal-action plan"), callback_data=NewGoal(pid=new.participant_id).pack())]]
    ) if plan_button else None
    await message.chat.send_photo(qr_png(link), caption=caption, reply_markup=keyboard)


async def _new_invite(press: Pressed[CoachInvite], context: BotContext) -> None:
    query, services = press.query, context.services
    renewed = await caseload.renew_invite(services.db, press.coach_id, press.account_id,
                                          press.data.pid, services.clock.now())
    if isinstance(renewed, InviteRefused):
        await query.answer(_("No invite needed: this participant is not waiting to join."))
        return
    await query.answer(_("New invite made. The old one no longer works."))
    if isinstance(query.message, Message):
        await send_invite(query.message, context, renewed)


async def _revoke_invite(press: Pressed[CoachInvite], context: BotContext) -> None:
    services = context.services
    revoked = await caseload.revoke_invite(services.db, press.coach_id, press.account_id,
                                           press.data.pid, services.clock.now())
    if isinstance(revoked, InviteRefused):
        await _refuse(press.update)
        return
    await press.query.answer(_("The invite no longer works.") if revoked
                             else _("There was no open invite."))


async def _on_handled(press: Pressed[RequestHandled], context: BotContext) -> None:
    data, services = press.data, context.services
    done = await caseload.handle_request(services.db, press.coach_id, press.account_id, data.pid,
                                         data.what, data.sid or 0, services.clock.now())
    if done is None:
        await _refuse(press.update)
        return
    if not done:
        await press.query.answer(_("This was already marked as handled."))
        return
    await send_card(press, context, data.pid)


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(PressHandler(RequestHandled, _on_handled, role="coach"))
    app.add_handler(Command("deelnemers", list_command, role="coach"))
    app.add_handler(Command("nieuw", start_new, role="coach"))
    app.add_handler(PressHandler(CoachList, _on_list, role="coach"))
    app.add_handler(PressHandler(CoachCard, _on_card, role="coach"))
    app.add_handler(PressHandler(CoachInvite, _new_invite, role="coach", when="new"))
    app.add_handler(PressHandler(CoachInvite, _revoke_invite, role="coach", when="revoke"))
    router.on(NEW_FLOW, text_step(_on_new_name, role="coach"))
