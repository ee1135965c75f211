"""Messages to a coach of their own that follow from something a participant did (issue 13): a
crisis phrase. Sent within the coach's working hours (in the coach's zone); never about someone
who is no longer this coach's participant (a handover since). A meeting the participant cannot
make is a request like a wish to talk: it goes in the bundled push (flows/requests.py).

The words are in bot/ui/screens/crisis.py; the first line names no health, debts or income.
"""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.core.crisis import CRISIS_NOTICE
from bot.core.digest import next_work_moment, within_work_hours
from bot.flows.digest import schedule_of, zone_or_default
from bot.i18n import using_locale
from bot.storage.models import Account
from bot.storage.uow import UnitOfWork
from bot.ui.screens import crisis as crisis_screen

KINDS = frozenset({CRISIS_NOTICE})


async def decide_coach_notice(uow: UnitOfWork, row_kind: str, payload: dict[str, object],
                              account: Account, now: datetime
                              ) -> tuple[str, InlineKeyboardMarkup] | datetime | str:
    """The text to send now; or a later moment (outside working hours); or why it is skipped."""
    coach = await uow.coaches.by_account(account.id)
    pid = int(str(payload.get("participant_id", 0)))
    participant = await uow.participants.get(pid) if pid else None
    if coach is None or participant is None or participant.coach_id != coach.id:
        return "not_theirs"  # handed over since, or gone: nobody is told old news
    # The coach's own working hours (set with the digest), in the coach's zone.
    schedule = schedule_of(coach, zone_or_default(account.timezone, uow.defaults.timezone))
    if not within_work_hours(schedule, now):
        return next_work_moment(schedule, now)
    with using_locale(account.locale or uow.defaults.locale):
        return crisis_screen.render_crisis_notice(participant.display_name, pid)
