"""Meetings: the coach's screens from the participant's card (list, plan in a few taps, move,
cancel, held / not held, act on a participant's wish) and the participant's answer buttons
("I'll come", "I can't make it", then another day or a call). Rules in bot.flows.meetings and
bot.core.meetings; the messages, reminders and the coach's push go through the outbox."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot.core import meetings as rules
from bot.core.conversations import MeetingDayFlow, MeetingNoteFlow, MeetingWhenFlow
from bot.core.dates import parse_date
from bot.core.plan_input import TextProblem, clean_text
from bot.flows import conversation, meetings
from bot.flows.conversation import Conversation
from bot.i18n import _, format_date
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler, has_role, participant_of
from bot.ui.buttons.meetings import MeetingAnswer, MeetingCoach, MeetingWish
from bot.ui.screens import meetings as screen
from bot.ui.screens.meetings import PLACE_LINES, card_button, when_text

WHEN_FLOW = MeetingWhenFlow.flow
NOTE_FLOW = MeetingNoteFlow.flow
DAY_FLOW = MeetingDayFlow.flow
DAYS_SHOWN = 14


def _day_of(number: int | None) -> date | None:
    try:
        return date(number // 10000, number // 100 % 100, number % 100) if number else None
    except ValueError:
        return None


def _time_of(number: int | None) -> time | None:
    if number is None or not 0 <= number // 100 <= 23 or not 0 <= number % 100 <= 59:
        return None
    return time(number // 100, number % 100)


def _num(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


# Presses on a push or digest (several requests in one message): answered in a new message, so
# the other requests stay readable.
NEW_MESSAGE = frozenset({"accept", "other", "handled"})


async def _show(press: Pressed[MeetingCoach], text: str,
                rows: list[list[InlineKeyboardButton]]) -> None:
    await press.query.answer()
    markup = InlineKeyboardMarkup(rows)
    message = press.message
    if message is not None and message.text is not None \
            and press.data.action not in NEW_MESSAGE:
        await press.query.edit_message_text(text, reply_markup=markup)
    elif message is not None:
        await message.chat.send_message(text, reply_markup=markup)


async def _show_list(press: Pressed[MeetingCoach], context: BotContext, pid: int,
                     heading: str | None = None) -> None:
    found = await meetings.overview(context.services.db, press.coach_id, pid)
    if isinstance(found, meetings.Refused):
        await press.query.answer(screen.refusal(found.why), show_alert=True)
        return
    text, rows = screen.list_text(found, pid, context.services.clock.now())
    rows.append([InlineKeyboardButton(_("New meeting"), callback_data=MeetingCoach(
        action="new", pid=pid).pack())])
    rows.append(screen.back(pid))
    await _show(press, f"{heading}\n\n{text}" if heading else text, rows)


async def on_coach_press(press: Pressed[MeetingCoach], context: BotContext) -> None:
    data = press.data
    db, now = context.services.db, context.services.clock.now()
    if data.action == "list":
        await _show_list(press, context, data.pid)
        return
    zone_name = await meetings.zone_for(db, press.coach_id, data.pid)
    if zone_name is None:
        await press.query.answer(screen.refusal("not_yours"), show_alert=True)
        return
    zone = ZoneInfo(zone_name)
    today = now.astimezone(zone).date()
    day, at = _day_of(data.day), _time_of(data.hm)
    if data.action in ("new", "move"):
        days = [today + timedelta(days=i) for i in range(DAYS_SHOWN)]
        buttons = [InlineKeyboardButton(format_date(d, "EEE d MMM"), callback_data=MeetingCoach(
            action="day", pid=data.pid, m=data.m, day=_num(d)).pack()) for d in days]
        rows = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
        rows.append([InlineKeyboardButton(_("Type a day and time"), callback_data=MeetingCoach(
            action="typed", pid=data.pid, m=data.m).pack())])
        rows.append(screen.back(data.pid))
        await _show(press, _("Which day? (the clock of the participant)"), rows)
        return
    if data.action == "typed":
        await conversation.begin(db, press.account_id, "when",
                                 MeetingWhenFlow(pid=data.pid, m=data.m), now)
        await _show(press, _("Type the day and time, for example: 12-3 14:30"), [])
        return
    if data.action in ("day", "other") and day is not None:
        buttons = [InlineKeyboardButton(t.strftime("%H:%M"), callback_data=data.model_copy(
            update={"action": "time", "hm": t.hour * 100 + t.minute}).pack())
            for t in rules.TIME_CHOICES]
        rows = [buttons[i:i + 4] for i in range(0, len(buttons), 4)]
        if data.action == "other":
            rows.append([InlineKeyboardButton(_("Another day"), callback_data=MeetingCoach(
                action="move", pid=data.pid, m=data.m).pack())])
        await _show(press, _("What time on {day}?").format(day=format_date(day, "EEEE d MMMM")),
                    [*rows, screen.back(data.pid)])
        return
    if data.action == "accept" and day is not None and at is not None and data.m:
        moved = await meetings.save(db, press.coach_id, press.account_id, data.pid, day, at,
                                    None, None, now, data.m, only_for_wish=True)
        if isinstance(moved, meetings.Refused):
            await press.query.answer(screen.refusal(moved.why), show_alert=True)
            return
        await _show_list(press, context, data.pid, screen.saved_text(moved))
        return
    if data.action == "handled" and data.m:
        handled = await meetings.handle_wish(db, press.coach_id, press.account_id, data.m, now)
        if isinstance(handled, meetings.Refused):
            await press.query.answer(screen.refusal(handled.why), show_alert=True)
            return
        if not handled:
            await press.query.answer(screen.refusal("handled"), show_alert=True)
            return
        await _show_list(press, context, data.pid, _("Marked as handled."))
        return
    if data.action == "time" and day is not None and at is not None:
        problem = await meetings.probe(db, press.coach_id, data.pid, day, at, now, data.m)
        if problem is not None:
            await press.query.answer(screen.refusal(problem.why), show_alert=True)
            return
        await _show(press, _("Where?"), screen.place_rows(data))
        return
    if data.action == "place" and day is not None and at is not None and data.place:
        when = when_text(datetime.combine(day, at, zone), now.astimezone(zone))
        rows = [[InlineKeyboardButton(_("Save"), callback_data=data.model_copy(
                    update={"action": "save"}).pack())],
                [InlineKeyboardButton(_("Add a note first"), callback_data=data.model_copy(
                    update={"action": "note"}).pack())],
                screen.back(data.pid)]
        await _show(press, "\n".join([_("Meeting: {when}").format(when=when),
                                      _(PLACE_LINES[data.place])]), rows)
        return
    if data.action == "note" and day is not None and at is not None and data.place:
        await conversation.begin(db, press.account_id, "note", MeetingNoteFlow(
            pid=data.pid, m=data.m, day=data.day or 0, hm=data.hm or 0, place=data.place), now)
        await _show(press, _("Type the note (at most {max} characters). The participant "
                             "sees it in the message.").format(max=rules.NOTE_MAX), [])
        return
    if data.action == "save" and day is not None and at is not None and data.place:
        saved = await meetings.save(db, press.coach_id, press.account_id, data.pid, day, at,
                                    data.place, None, now, data.m)
        if isinstance(saved, meetings.Refused):
            await press.query.answer(screen.refusal(saved.why), show_alert=True)
            return
        await _show_list(press, context, data.pid, screen.saved_text(saved))
        return
    if data.action == "cancel" and data.m:
        rows = [[InlineKeyboardButton(_("Yes, cancel the meeting"), callback_data=MeetingCoach(
            action="sure", pid=data.pid, m=data.m).pack())], screen.back(data.pid)]
        await _show(press, _("Cancel this meeting?"), rows)
        return
    if data.action == "sure" and data.m:
        done = await meetings.cancel(db, press.coach_id, press.account_id, data.m, now)
        if isinstance(done, meetings.Refused):
            await press.query.answer(screen.refusal(done.why), show_alert=True)
            return
        await _show_list(press, context, data.pid, _("The meeting is cancelled.") + (
            " " + _("The participant gets a message.") if done.told else ""))
        return
    if data.action in ("held", "nothold") and data.m:
        marked = await meetings.mark(db, press.coach_id, press.account_id, data.m,
                                     data.action == "held", now)
        if isinstance(marked, meetings.Refused):
            await press.query.answer(screen.refusal(marked.why), show_alert=True)
            return
        await _show_list(press, context, data.pid)
        return
    await press.query.answer(_("This button no longer works."))


async def _when_text(update: Update, context: BotContext, state: Conversation) -> None:
    message = update.effective_message
    who = context.who
    if message is None or who is None or not has_role(who, "coach"):
        return
    assert who.coach_id is not None
    db, now = context.services.db, context.services.clock.now()
    flow = state.state(MeetingWhenFlow)
    pid, mid = flow.pid, flow.m
    zone_name = await meetings.zone_for(db, who.coach_id, pid)
    if zone_name is None:
        await conversation.end(db, who.account_id or 0)
        await message.reply_text(screen.refusal("not_yours"))
        return
    parsed = rules.parse_when((message.text or "")[:100], now.astimezone(
        ZoneInfo(zone_name)).date())
    if parsed is None:
        await message.reply_text(_("I could not read that. Please type a day and a time, "
                                   "for example: 12-3 14:30"))
        return
    day, at = parsed
    problem = await meetings.probe(db, who.coach_id, pid, day, at, now, mid)
    if problem is not None:
        await message.reply_text(screen.refusal(problem.why))  # the flow stays: type it again
        return
    await conversation.end(db, who.account_id or 0)
    data = MeetingCoach(action="time", pid=pid, m=mid, day=_num(day),
                        hm=at.hour * 100 + at.minute)
    await message.reply_text(_("Where?"),
                             reply_markup=InlineKeyboardMarkup(screen.place_rows(data)))


async def _note_text(update: Update, context: BotContext, state: Conversation) -> None:
    message = update.effective_message
    who = context.who
    if message is None or who is None or who.coach_id is None or who.account_id is None:
        return
    note = clean_text(message.text or "", rules.NOTE_MAX)
    if isinstance(note, TextProblem):
        await message.reply_text(
            _("That is a bit long. Please keep it under {max} characters.").format(
                max=rules.NOTE_MAX) if note is TextProblem.TOO_LONG
            else _("Please type a few words, or use the buttons."))
        return
    flow = state.state(MeetingNoteFlow)
    day, at, pid = _day_of(flow.day), _time_of(flow.hm), flow.pid
    if day is None or at is None:
        await conversation.end(context.services.db, who.account_id)
        return
    saved = await meetings.save(context.services.db, who.coach_id, who.account_id, pid, day, at,
                                flow.place, note, context.services.clock.now(), flow.m)
    if isinstance(saved, meetings.Refused):
        await conversation.end(context.services.db, who.account_id)
        await message.reply_text(screen.refusal(saved.why))
        return
    await message.reply_text(screen.saved_text(saved), reply_markup=InlineKeyboardMarkup([[
        card_button(pid)]]))


async def on_answer(press: Pressed[MeetingAnswer], context: BotContext) -> None:
    data = press.data
    db, now = context.services.db, context.services.clock.now()
    if data.a in ("coming", "cannot"):
        done = await meetings.answer(db, press.participant_id, data.m, data.a == "coming", now)
        if isinstance(done, meetings.Refused):
            await press.query.answer(screen.wish_refusal(done.why), show_alert=True)
            return
        await press.query.answer()
        if press.message is None:
            return
        if data.a == "coming":
            await press.message.reply_text(_("Thank you. Your coach sees that you are coming."))
        else:
            text, markup = screen.cannot_choice(data.m)
            await press.message.reply_text(text, reply_markup=markup)
        return
    if data.a == "call":
        await _send_wish(press, context, data.m, "call", None, None)
        return
    offer = await meetings.offer(db, press.participant_id, data.m, now)
    if isinstance(offer, meetings.Refused):
        await press.query.answer(screen.wish_refusal(offer.why), show_alert=True)
        return
    await press.query.answer()
    if data.a == "type_day":
        await conversation.begin(db, press.account_id, "day", MeetingDayFlow(m=data.m), now)
        if press.message is not None:
            await press.message.reply_text(screen.ask_day())
        return
    if press.message is not None:
        text, markup = screen.offer_screen(offer)
        await press.message.reply_text(text, reply_markup=markup)


async def on_wish(press: Pressed[MeetingWish], context: BotContext) -> None:
    data = press.data
    day = _day_of(data.day)
    if day is None:
        await press.query.answer(_("This button no longer works."))
        return
    await _send_wish(press, context, data.m, "other_day", day, data.part)


async def _send_wish(press: Pressed[MeetingAnswer] | Pressed[MeetingWish], context: BotContext,
                     meeting_id: int, kind: rules.WishKind, day: date | None, part: str | None
                     ) -> None:
    services = context.services
    sent = await meetings.send_wish(services.db, press.participant_id, meeting_id, kind, day,
                                    part, services.clock.now())
    if isinstance(sent, meetings.Refused):
        await press.query.answer(screen.wish_refusal(sent.why), show_alert=True)
        return
    await press.query.answer()
    if press.message is not None:
        await press.message.reply_text(screen.wish_sent(sent))


async def _day_text(update: Update, context: BotContext, state: Conversation) -> None:
    """The day a participant types instead of the days offered; then the part of that day."""
    message = update.effective_message
    who = context.who
    participant_id = participant_of(who)
    if message is None or who is None or who.account_id is None or participant_id is None:
        return
    services = context.services
    now = services.clock.now()
    meeting_id = state.state(MeetingDayFlow).m
    offer = await meetings.offer(services.db, participant_id, meeting_id, now)
    if isinstance(offer, meetings.Refused):
        await conversation.end(services.db, who.account_id)
        await message.reply_text(screen.wish_refusal(offer.why))
        return
    day = parse_date(message.text or "", offer.today)
    problem = "unclear" if day is None else rules.check_wish_day(day, offer.today)
    if day is None or problem is not None:
        # The flow stays: they can type it again (or /annuleer).
        await message.reply_text(screen.day_problem(f"day_{problem}" if day else "unclear"))
        return
    await conversation.end(services.db, who.account_id)
    text, markup = screen.parts_screen(meeting_id, day, offer.parts)
    await message.reply_text(text, reply_markup=markup)


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(PressHandler(MeetingCoach, on_coach_press, role="coach"))
    app.add_handler(PressHandler(MeetingAnswer, on_answer, role="participant"))
    app.add_handler(PressHandler(MeetingWish, on_wish, role="participant"))
    router.on(WHEN_FLOW, _when_text)
    router.on(NOTE_FLOW, _note_text)
    router.on(DAY_FLOW, _day_text)
