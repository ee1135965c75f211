"""Messages to a coach that follow from something a participant did (issue 13): a crisis
phrase, a meeting they cannot make. Sent within the coach's working hours (in the coach's
zone); never about someone who is no longer this coach's participant (a handover since).

The first line names no health, debts or income: it only asks the coach to get in touch.
"""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import DEFAULTS
from bot.core.coach_buttons import CoachCard
from bot.core.crisis import CRISIS_NOTICE
from bot.core.meetings import MEETING_NOTICE
from bot.core.working_hours import next_working_moment, within
from bot.i18n import _, using_locale
from bot.storage.models import Account
from bot.storage.uow import UnitOfWork

KINDS = frozenset({CRISIS_NOTICE, MEETING_NOTICE})


def render_crisis_notice(name: str, pid: int) -> tuple[str, InlineKeyboardMarkup]:
    name = html.escape(name)
    text = "\n".join([
        _("<b>{name}: please get in touch soon</b>").format(name=name),
        "",
        _("{name} typed words to the bot that can mean things are very hard right now.")
        .format(name=name),
        _("The bot showed {name} the help numbers (112, 113, the GP) and your name.")
        .format(name=name),
        _("The bot does not store what was typed."),
    ])
    return text, _card_markup(pid)


def render_meeting_notice(name: str, pid: int, when: str, call_me: bool
                          ) -> tuple[str, InlineKeyboardMarkup]:
    name = html.escape(name)
    lines = [_("<b>{name}: about your meeting</b>").format(name=name), "",
             _("{name} cannot make the meeting of {when}.").format(name=name, when=when)]
    if call_me:
        lines.append(_("{name} asks you to call to find another moment.").format(name=name))
    else:
        lines.append(_("{name} would like another day. You can plan it from the card.")
                     .format(name=name))
    return "\n".join(lines), _card_markup(pid)


def render_handover(name: str, coach_name: str) -> str:
    """To the participant (a prompt kind, bot.core.reminders.HANDOVER); first line discreet."""
    name, coach = html.escape(name), html.escape(coach_name)
    return "\n".join([
        _("<b>Hi {name}, news about your coach</b>").format(name=name), "",
        _("From now on {coach} is your coach.").format(coach=coach),
        _("Your steps, your Brug, your cards and everything you did stay as they are. "
          "{coach} can see them now.").format(coach=coach),
    ])


def _card_markup(pid: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        _("Open the card"), callback_data=CoachCard(pid=pid).pack())]])


async def decide_coach_notice(uow: UnitOfWork, row_kind: str, payload: dict[str, object],
                              account: Account, now: datetime
                              ) -> tuple[str, InlineKeyboardMarkup] | datetime | str:
    """The text to send now; or a later moment (outside working hours); or why it is skipped."""
    zone = ZoneInfo(account.timezone or DEFAULTS.timezone)
    if not within(now, zone):
        return next_working_moment(now, zone)
    coach = await uow.coaches.by_account(account.id)
    pid = int(str(payload.get("participant_id", 0)))
    participant = await uow.participants.get(pid) if pid else None
    if coach is None or participant is None or participant.coach_id != coach.id:
        return "not_theirs"  # handed over since, or gone: nobody is told old news
    with using_locale(account.locale or DEFAULTS.locale):
        if row_kind == CRISIS_NOTICE:
            return render_crisis_notice(participant.display_name, pid)
        from bot.notify.meeting_notices import when_text

        at = datetime.fromisoformat(str(payload.get("at")))
        return render_meeting_notice(participant.display_name, pid,
                                     when_text(at.astimezone(zone), now.astimezone(zone)),
                                     payload.get("call_me") is True)
