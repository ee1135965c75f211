"""Typed dates, Dutch or English, as a participant would write them.

"morgen", "vrijdag", "12-3", "12/3/2027", "12 maart", "march 12", "volgende week", "2026-03-12".
A day without a year means its next occurrence (today counts); a weekday means the coming one,
so "dinsdag" typed on a Tuesday is next Tuesday (today is "vandaag"). Weeks are deadlines and
end on a Friday: "deze week", "volgende week" and "over twee weken" give the same days as the
coach's and the participant's buttons, because both read them from `deadline`. Anything else,
or a day that does not exist ("31-2"), gives None so the caller can ask kindly again. Pure:
today is passed in.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Far enough ahead for any plan; a year further is almost surely a typo.
MAX_AHEAD = timedelta(days=2 * 366)

_RELATIVE = {
    "vandaag": 0, "today": 0, "nu": 0,
    "morgen": 1, "tomorrow": 1, "tmrw": 1,
    "overmorgen": 2,
}  # fmt: skip

# The named deadlines behind every date button (coach and participant alike).
Pick = Literal["today", "tomorrow", "this_week", "next_week", "two_weeks"]
PICKS: Final[tuple[Pick, ...]] = ("today", "tomorrow", "this_week", "next_week", "two_weeks")
FRIDAY: Final = 4

_WEEKS: Final[dict[str, Pick]] = {
    "deze week": "this_week", "this week": "this_week",
    "volgende week": "next_week", "next week": "next_week", "over een week": "next_week",
    "in a week": "next_week", "over 1 week": "next_week", "in 1 week": "next_week",
    "komende week": "next_week",
    "over twee weken": "two_weeks", "over 2 weken": "two_weeks", "in two weeks": "two_weeks",
    "in 2 weeks": "two_weeks",
}  # fmt: skip

# Monday = 0. Full names and the usual abbreviations in both languages.
_WEEKDAYS = {
    "maandag": 0, "ma": 0, "monday": 0, "mon": 0,
    "dinsdag": 1, "di": 1, "tuesday": 1, "tue": 1, "tues": 1,
    "woensdag": 2, "wo": 2, "wednesday": 2, "wed": 2,
    "donderdag": 3, "do": 3, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "vrijdag": 4, "vr": 4, "vrij": 4, "friday": 4, "fri": 4,
    "zaterdag": 5, "za": 5, "saturday": 5, "sat": 5,
    "zondag": 6, "zo": 6, "sunday": 6, "sun": 6,
}  # fmt: skip

_MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "feb": 2, "febr": 2,
    "maart": 3, "march": 3, "mrt": 3, "mar": 3, "maa": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augustus": 8, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

_NUMERIC = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{2}|\d{4}))?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:e|ste|de|st|nd|rd|th)?\s+([a-z]+)\.?(?:\s+(\d{4}))?")
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:e|st|nd|rd|th)?(?:,?\s+(\d{4}))?")
_WEEKDAY_PREFIX = re.compile(r"(?:volgende|next|komende|aanstaande|this|deze)\s+")


def deadline(pick: Pick, today: date) -> date:
    """The day behind a named choice. "This week" is the coming Friday (today on a Friday or
    in the weekend); "next week" and "in two weeks" are the Fridays one and two weeks later."""
    if pick == "today":
        return today
    if pick == "tomorrow":
        return today + timedelta(days=1)
    weekday = today.weekday()
    this_friday = today + timedelta(days=FRIDAY - weekday) if weekday <= FRIDAY else None
    next_friday = today + timedelta(days=7 - weekday + FRIDAY)
    if pick == "this_week":
        return this_friday or today
    return next_friday + timedelta(days=7 if pick == "two_weeks" else 0)


def parse_day(text: str, today: date) -> date | None:
    """The calendar day meant by `text`, or None. Never a day before today."""
    found = parse_date(text, today)
    if found is None or found < today or found - today > MAX_AHEAD:
        return None
    return found


def parse_date(text: str, today: date) -> date | None:
    """The date meant by `text`, or None. A day typed with a year in the past comes back as
    typed, so a coach's flow can question it rather than silently move it."""
    cleaned = _normalise(text)
    return _parse(cleaned, today) if cleaned else None


def _normalise(text: str) -> str:
    # Lower case, accents removed ("zaterdag" typed with a stray accent still counts), inner
    # whitespace collapsed, a trailing full stop or comma dropped.
    decomposed = unicodedata.normalize("NFKD", text[:60].strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split()).rstrip(".,!")


def _parse(text: str, today: date) -> date | None:
    if text in _RELATIVE:
        return today + timedelta(days=_RELATIVE[text])
    if text in _WEEKS:
        return deadline(_WEEKS[text], today)
    weekday = _WEEKDAYS.get(_WEEKDAY_PREFIX.sub("", text, count=1))
    if weekday is not None:
        # The coming such day: "dinsdag" typed on a Tuesday is next Tuesday ("vandaag" is
        # today), as people say it.
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if match := _ISO.fullmatch(text):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC.fullmatch(text):
        return _with_year(int(match[1]), int(match[2]), match[3], today)
    if match := _DAY_MONTH.fullmatch(text):
        month = _MONTHS.get(match[2])
        return _with_year(int(match[1]), month, match[3], today) if month else None
    if match := _MONTH_DAY.fullmatch(text):
        month = _MONTHS.get(match[1])
        return _with_year(int(match[2]), month, match[3], today) if month else None
    return None


def _with_year(day: int, month: int, year_text: str | None, today: date) -> date | None:
    if year_text:
        year = int(year_text)
        return _make(year + 2000 if year < 100 else year, month, day)
    found = _make(today.year, month, day)
    if found is None or found < today:
        # Already past this year (or 29 February in a non-leap year): the next occurrence,
        # when that is next year; a leap day further off is too far to be meant.
        found = _make(today.year + 1, month, day)
    return found


def _make(year: int, month: int, day: int) -> date | None:
    if not 2000 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def local_today(now: datetime, timezone: str) -> date:
    """The calendar day it is for a person in `timezone` at the UTC moment `now`."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")  # only for a zone stored wrongly: a day, never an error
    return now.astimezone(zone).date()
