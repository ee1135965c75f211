"""Meetings: the coach's screens from the participant's card (list, plan in a few taps, move,
cancel, held / not held, act on a participant's wish) and the participant's answer buttons
("I'll come", "I can't make it", then another day or a call). Rules in bot.flows.meetings and
bot.core.meetings; the messages, reminders and the coach's push go through the outbox."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
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
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.telegram.routing import Said, text_step
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


async def _show(press: Pressed[MeetingCoach], text: str,
                rows: list[list[InlineKeyboardButton]], *, new_message: bool = False) -> None:
    """Replace the screen the button is on; `new_message` for presses on a push or digest
    (several requests in one message), so the other requests stay readable."""
    await press.query.answer()
    markup = InlineKeyboardMarkup(rows)
    message = press.message
    if message is not None and message.text is not None and not new_message:
        await press.query.edit_message_text(text, reply_markup=markup)
    elif message is not None:
        await message.chat.send_message(text, reply_markup=markup)


async def _show_list(press: Pressed[MeetingCoach], context: BotContext, pid: int,
                     heading: str | None = None, *, new_message: bool = False) -> None:
    found = await meetings.overview(context.services.db, press.coach_id, pid)
    if isinstance(found, meetings.Refused):
        await _refuse(press, found)
        return
    text, rows = screen.list_text(found, pid, context.services.clock.now())
    rows.append([InlineKeyboardButton(_("New meeting"), callback_data=MeetingCoach(
        action="new", pid=pid).pack())])
    rows.append(screen.back(pid))
    await _show(press, f"{heading}\n\n{text}" if heading else text, rows,
                new_message=new_message)


async def _refuse(press: Pressed[MeetingCoach], refused: meetings.Refused) -> None:
    await press.query.answer(screen.refusal(refused.why), show_alert=True)


async def _zone(press: Pressed[MeetingCoach], context: BotContext) -> ZoneInfo | None:
    """The participant's zone, or None (answered) when they are not this coach's."""
    zone_name = await meetings.zone_for(context.services.db, press.coach_id, press.data.pid)
    if zone_name is None:
        await press.query.answer(screen.refusal("not_yours"), show_alert=True)
        return None
    return ZoneInfo(zone_name)


async def _stale(press: Pressed[MeetingCoach]) -> None:
    """A button whose data lacks what its step needs (forged, or an older version)."""
    await press.query.answer(no_longer_works())


# --- the coach's screens, one handler per action of MeetingCoach ---------------------------


async def show_list(press: Pressed[MeetingCoach], context: BotContext) -> None:
    await _show_list(press, context, press.data.pid)


async def choose_day(press: Pressed[MeetingCoach], context: BotContext) -> None:
    """new / move: the next two weeks, or type a day and time."""
    data = press.data
    zone = await _zone(press, context)
    if zone is None:
        return
    today = context.services.clock.now().astimezone(zone).date()
    days = [today + timedelta(days=i) for i in range(DAYS_SHOWN)]
    buttons = [InlineKeyboardButton(format_date(d, "EEE d MMM"), callback_data=MeetingCoach(
        action="day", pid=data.pid, m=data.m, day=_num(d)).pack()) for d in days]
    rows = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
    rows.append([InlineKeyboardButton(_("Type a day and time"), callback_data=MeetingCoach(
        action="typed", pid=data.pid, m=data.m).pack())])
    rows.append(screen.back(data.pid))
    await _show(press, _("Which day? (the clock of the participant)"), rows)


async def type_when(press: Pressed[MeetingCoach], context: BotContext) -> None:
    data = press.data
    if await _zone(press, context) is None:
        return
    await conversation.begin(context.services.db, press.account_id, "when",
                             MeetingWhenFlow(pid=data.pid, m=data.m),
                             context.services.clock.now())
    await _show(press, _("Type the day and time, for example: 12-3 14:30"), [])


async def _choose_time(press: Pressed[MeetingCoach], context: BotContext, *,
                       on_a_wish: bool) -> None:
    data = press.data
    day = _day_of(data.day)
    if await _zone(press, context) is None:
        return
    if day is None:
        await _stale(press)
        return
    buttons = [InlineKeyboardButton(t.strftime("%H:%M"), callback_data=data.model_copy(
        update={"action": "time", "hm": t.hour * 100 + t.minute}).pack())
        for t in rules.TIME_CHOICES]
    rows = [buttons[i:i + 4] for i in range(0, len(buttons), 4)]
    if on_a_wish:
        rows.append([InlineKeyboardButton(_("Another day"), callback_data=MeetingCoach(
            action="move", pid=data.pid, m=data.m).pack())])
    await _show(press, _("What time on {day}?").format(day=format_date(day, "EEEE d MMMM")),
                [*rows, screen.back(data.pid)], new_message=on_a_wish)


async def choose_time(press: Pressed[MeetingCoach], context: BotContext) -> None:
    """day: the times of the chosen day."""
    await _choose_time(press, context, on_a_wish=False)


async def choose_other_time(press: Pressed[MeetingCoach], context: BotContext) -> None:
    """other: on a participant's wish, the times of the day they asked for (new message)."""
    await _choose_time(press, context, on_a_wish=True)


async def accept_wish(press: Pressed[MeetingCoach], context: BotContext) -> None:
    """accept: move the meeting to the day and time the participant asked for, in one tap."""
    data = press.data
    day, at = _day_of(data.day), _time_of(data.hm)
    if await _zone(press, context) is None:
        return
    if day is None or at is None or not data.m:
        await _stale(press)
        return
    services = context.services
    moved = await meetings.save(services.db, press.coach_id, press.account_id, data.pid, day, at,
                                None, None, services.clock.now(), data.m, only_for_wish=True)
    if isinstance(moved, meetings.Refused):
        await _refuse(press, moved)
        return
    await _show_list(press, context, data.pid, screen.saved_text(moved), new_message=True)


async def wish_handled(press: Pressed[MeetingCoach], context: BotContext) -> None:
    """handled: the coach arranged it otherwise."""
    data = press.data
    if await _zone(press, context) is None:
        return
    if not data.m:
        await _stale(press)
        return
    services = context.services
    handled = await meetings.handle_wish(services.db, press.coach_id, press.account_id, data.m,
                                         services.clock.now())
    if isinstance(handled, meetings.Refused):
        await _refuse(press, handled)
        return
    if not handled:
        await press.query.answer(screen.refusal("handled"), show_alert=True)
        return
    await _show_list(press, context, data.pid, _("Marked as handled."), new_message=True)


async def choose_place(press: Pressed[MeetingCoach], context: BotContext) -> None:
    """time: where (after checking the time is free)."""
    data = press.data
    day, at = _day_of(data.day), _time_of(data.hm)
    if await _zone(press, context) is None:
        return
    if day is None or at is None:
        await _stale(press)
        return
    services = context.services
    problem = await meetings.probe(services.db, press.coach_id, data.pid, day, at,
                                   services.clock.now(), data.m)
    if problem is not None:
        await press.query.answer(screen.refusal(problem.why), show_alert=True)
        return
    await _show(press, _("Where?"), screen.place_rows(data))


async def save_or_note(press: Pressed[MeetingCoach], context: BotContext) -> None:
    """place: save, or add a note first."""
    data = press.data
    day, at = _day_of(data.day), _time_of(data.hm)
    zone = await _zone(press, context)
    if zone is None:
        return
    if day is None or at is None or not data.place:
        await _stale(press)
        return
    now = context.services.clock.now()
    when = when_text(datetime.combine(day, at, zone), now.astimezone(zone))
    rows = [[InlineKeyboardButton(_("Save"), callback_data=data.model_copy(
                update={"action": "save"}).pack())],
            [InlineKeyboardButton(_("Add a note first"), callback_data=data.model_copy(
                update={"action": "note"}).pack())],
            screen.back(data.pid)]
    await _show(press, "\n".join([_("Meeting: {when}").format(when=when),
                                  _(PLACE_LINES[data.place])]), rows)


async def type_note(press: Pressed[MeetingCoach], context: BotContext) -> None:
    data = press.data
    if await _zone(press, context) is None:
        return
    if _day_of(data.day) is None or _time_of(data.hm) is None or not data.place:
        await _stale(press)
        return
    await conversation.begin(context.services.db, press.account_id, "note", MeetingNoteFlow(
        pid=data.pid, m=data.m, day=data.day or 0, hm=data.hm or 0, place=data.place),
        context.services.clock.now())
    await _show(press, _("Type the note (at most {max} characters). The participant "
                         "sees it in the message.").format(max=rules.NOTE_MAX), [])


async def save(press: Pressed[MeetingCoach], context: BotContext) -> None:
    data = press.data
    day, at = _day_of(data.day), _time_of(data.hm)
    if await _zone(press, context) is None:
        return
    if day is None or at is None or not data.place:
        await _stale(press)
        return
    services = context.services
    saved = await meetings.save(services.db, press.coach_id, press.account_id, data.pid, day, at,
                                data.place, None, services.clock.now(), data.m)
    if isinstance(saved, meetings.Refused):
        await _refuse(press, saved)
        return
    await _show_list(press, context, data.pid, screen.saved_text(saved))


async def ask_cancel(press: Pressed[MeetingCoach], context: BotContext) -> None:
    data = press.data
    if await _zone(press, context) is None:
        return
    if not data.m:
        await _stale(press)
        return
    rows = [[InlineKeyboardButton(_("Yes, cancel the meeting"), callback_data=MeetingCoach(
        action="sure", pid=data.pid, m=data.m).pack())], screen.back(data.pid)]
    await _show(press, _("Cancel this meeting?"), rows)


async def cancel(press: Pressed[MeetingCoach], context: BotContext) -> None:
    """sure: cancel it (the participant is told when they had been told of it)."""
    data = press.data
    if await _zone(press, context) is None:
        return
    if not data.m:
        await _stale(press)
        return
    services = context.services
    done = await meetings.cancel(services.db, press.coach_id, press.account_id, data.m,
                                 services.clock.now())
    if isinstance(done, meetings.Refused):
        await _refuse(press, done)
        return
    await _show_list(press, context, data.pid, _("The meeting is cancelled.") + (
        " " + _("The participant gets a message.") if done.told else ""))


async def _mark(press: Pressed[MeetingCoach], context: BotContext, *, held: bool) -> None:
    data = press.data
    if await _zone(press, context) is None:
        return
    if not data.m:
        await _stale(press)
        return
    services = context.services
    marked = await meetings.mark(services.db, press.coach_id, press.account_id, data.m, held,
                                 services.clock.now())
    if isinstance(marked, meetings.Refused):
        await _refuse(press, marked)
        return
    await _show_list(press, context, data.pid)


async def mark_held(press: Pressed[MeetingCoach], context: BotContext) -> None:
    await _mark(press, context, held=True)


async def mark_not_held(press: Pressed[MeetingCoach], context: BotContext) -> None:
    await _mark(press, context, held=False)


# --- typed by the coach: day and time, a note ------------------------------------------------

async def when_typed(said: Said, context: BotContext, state: Conversation) -> None:
    message, coach_id, account_id = said.message, said.coach_id, said.account_id
    db, now = context.services.db, context.services.clock.now()
    flow = state.state(MeetingWhenFlow)
    pid, mid = flow.pid, flow.m
    zone_name = await meetings.zone_for(db, coach_id, pid)
    if zone_name is None:
        await conversation.end(db, account_id)
        await message.reply_text(screen.refusal("not_yours"))
        return
    parsed = rules.parse_when((message.text or "")[:100], now.astimezone(
        ZoneInfo(zone_name)).date())
    if parsed is None:
        await message.reply_text(_("I could not read that. Please type a day and a time, "
                                   "for example: 12-3 14:30"))
        return
    day, at = parsed
    problem = await meetings.probe(db, coach_id, pid, day, at, now, mid)
    if problem is not None:
        await message.reply_text(screen.refusal(problem.why))  # the flow stays: type it again
        return
    await conversation.end(db, account_id)
    data = MeetingCoach(action="time", pid=pid, m=mid, day=_num(day),
                        hm=at.hour * 100 + at.minute)
    await message.reply_text(_("Where?"),
                             reply_markup=InlineKeyboardMarkup(screen.place_rows(data)))


async def note_typed(said: Said, context: BotContext, state: Conversation) -> None:
    message, db = said.message, context.services.db
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
        await conversation.end(db, said.account_id)
        return
    saved = await meetings.save(db, said.coach_id, said.account_id, pid, day, at, flow.place,
                                note, context.services.clock.now(), flow.m)
    if isinstance(saved, meetings.Refused):
        await conversation.end(db, said.account_id)
        await message.reply_text(screen.refusal(saved.why))
        return
    await message.reply_text(screen.saved_text(saved), reply_markup=InlineKeyboardMarkup([[
        card_button(pid)]]))


# --- the participant's answers ----------------------------------------------------------------


async def _answer(press: Pressed[MeetingAnswer], context: BotContext, *, coming: bool) -> None:
    data = press.data
    services = context.services
    done = await meetings.answer(services.db, press.participant_id, data.m, coming,
                                 services.clock.now())
    if isinstance(done, meetings.Refused):
        await press.query.answer(screen.wish_refusal(done.why), show_alert=True)
        return
    await press.query.answer()
    if press.message is None:
        return
    if coming:
        await press.message.reply_text(_("Thank you. Your coach sees that you are coming."))
    else:
        text, markup = screen.cannot_choice(data.m)
        await press.message.reply_text(text, reply_markup=markup)


async def coming(press: Pressed[MeetingAnswer], context: BotContext) -> None:
    await _answer(press, context, coming=True)


async def cannot(press: Pressed[MeetingAnswer], context: BotContext) -> None:
    await _answer(press, context, coming=False)


async def ask_call(press: Pressed[MeetingAnswer], context: BotContext) -> None:
    await _send_wish(press, context, press.data.m, "call", None, None)


async def _offer(press: Pressed[MeetingAnswer], context: BotContext
                 ) -> meetings.WishOffer | None:
    """The days a participant may wish for, or None (answered) when that is not possible."""
    services = context.services
    offer = await meetings.offer(services.db, press.participant_id, press.data.m,
                                 services.clock.now())
    if isinstance(offer, meetings.Refused):
        await press.query.answer(screen.wish_refusal(offer.why), show_alert=True)
        return None
    await press.query.answer()
    return offer


async def offer_days(press: Pressed[MeetingAnswer], context: BotContext) -> None:
    """other_day: the days offered."""
    offer = await _offer(press, context)
    if offer is not None and press.message is not None:
        text, markup = screen.offer_screen(offer)
        await press.message.reply_text(text, reply_markup=markup)


async def type_day(press: Pressed[MeetingAnswer], context: BotContext) -> None:
    """type_day: type a date instead of the days offered."""
    if await _offer(press, context) is None:
        return
    await conversation.begin(context.services.db, press.account_id, "day",
                             MeetingDayFlow(m=press.data.m), context.services.clock.now())
    if press.message is not None:
        await press.message.reply_text(screen.ask_day())


async def on_wish(press: Pressed[MeetingWish], context: BotContext) -> None:
    data = press.data
    day = _day_of(data.day)
    if day is None:
        await press.query.answer(no_longer_works())
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


async def day_typed(said: Said, context: BotContext, state: Conversation) -> None:
    """The day a participant types instead of the days offered; then the part of that day."""
    message, services = said.message, context.services
    now = services.clock.now()
    meeting_id = state.state(MeetingDayFlow).m
    offer = await meetings.offer(services.db, said.participant_id, meeting_id, now)
    if isinstance(offer, meetings.Refused):
        await conversation.end(services.db, said.account_id)
        await message.reply_text(screen.wish_refusal(offer.why))
        return
    day = parse_date(message.text or "", offer.today)
    problem = "unclear" if day is None else rules.check_wish_day(day, offer.today)
    if day is None or problem is not None:
        # The flow stays: they can type it again (or /annuleer).
        await message.reply_text(screen.day_problem(f"day_{problem}" if day else "unclear"))
        return
    await conversation.end(services.db, said.account_id)
    text, markup = screen.parts_screen(meeting_id, day, offer.parts)
    await message.reply_text(text, reply_markup=markup)


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    coach_presses = {
        "list": show_list, "new": choose_day, "move": choose_day, "typed": type_when,
        "day": choose_time, "other": choose_other_time, "time": choose_place,
        "place": save_or_note, "note": type_note, "save": save, "accept": accept_wish,
        "handled": wish_handled, "cancel": ask_cancel, "sure": cancel, "held": mark_held,
        "nothold": mark_not_held,
    }
    for action, on_press in coach_presses.items():
        app.add_handler(PressHandler(MeetingCoach, on_press, role="coach", when=action))
    answers = {"coming": coming, "cannot": cannot, "call": ask_call, "other_day": offer_days,
               "type_day": type_day}
    for answer, on_answer in answers.items():
        app.add_handler(PressHandler(MeetingAnswer, on_answer, role="participant", when=answer))
    app.add_handler(PressHandler(MeetingWish, on_wish, role="participant"))
    router.on(WHEN_FLOW, text_step(when_typed, role="coach"))
    router.on(NOTE_FLOW, text_step(note_typed, role="coach"))
    router.on(DAY_FLOW, text_step(day_typed, role="participant"))
