"""Typed dates, Dutch or English, as a participant or a coach would write them.

"morgen", "vrijdag", "volgende week dinsdag", "di 17 mrt", "over 3 dagen", "eind van de maand",
"12-3", "12/3/2027", "march 12", "2026-03-12". The reading itself is `bot.core.when` (one parser
for every typed date and time); here are the entry points for a day. A day without a year
means its next occurrence (today counts); a weekday means the coming one, so "dinsdag" typed on
a Tuesday is next Tuesday (today is "vandaag"). Weeks are deadlines and end on a Friday: "deze
week", "volgende week" and "over twee weken" give the same days as the coach's and the
participant's buttons, because both read them from `deadline`. Anything else, or a day that
does not exist ("31-2"), gives None so the caller can ask kindly again. Pure: today is passed
in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.when import FRIDAY, PICKS, Pick, deadline, understand

__all__ = ["FRIDAY", "MAX_AHEAD", "PICKS", "Pick", "deadline", "local_today", "parse_date",
           "parse_day"]

# Far enough ahead for any plan; a year further is almost surely a typo.
MAX_AHEAD = timedelta(days=2 * 366)


def parse_day(text: str, today: date, *, locale: str | None = None) -> date | None:
    """The calendar day meant by `text`, or None. Never a day before today."""
    found = parse_date(text, today, locale=locale)
    if found is None or found < today or found - today > MAX_AHEAD:
        return None
    return found


def parse_date(text: str, today: date, *, locale: str | None = None) -> date | None:
    """The date meant by `text`, or None. A day typed with a year in the past comes back as
    typed, so a coach's flow can question it rather than silently move it. A time typed with
    the day ("vrijdag om 3 uur") is allowed and left out."""
    found = understand(text, today, context="deadline", locale=locale, whole_text=True)
    return found.day if found else None


def local_today(now: datetime, timezone: str) -> date:
    """The calendar day it is for a person in `timezone` at the UTC moment `now`."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")  # only for a zone stored wrongly: a day, never an error
    return now.astimezone(zone).date()
