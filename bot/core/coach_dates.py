"""Reading a deadline the coach typed: 12-3, 12/3/2026, 2026-03-12, 12 maart, 12 march, morgen.

A day without a year means the next such day from today (never silently in the past); a date
that does not exist (31-2) is refused. Pure: today is passed in.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

_MONTHS: Final = {
    "jan": 1, "feb": 2, "mrt": 3, "maa": 3, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}
_RELATIVE: Final = {"vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "overmorgen": 2}
_NUMERIC: Final = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?$")
_ISO: Final = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS: Final = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?$")


def parse_typed_date(text: str, today: date) -> date | None:
    """The date meant, or None when the text is not a date we can read for sure."""
    cleaned = " ".join(text.strip().lower().split())
    if len(cleaned) > 30:
        return None
    if cleaned in _RELATIVE:
        return today + timedelta(days=_RELATIVE[cleaned])
    if match := _ISO.match(cleaned):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC.match(cleaned):
        day, month, year = int(match[1]), int(match[2]), match[3]
        return _with_year(day, month, year, today)
    if match := _WORDS.match(cleaned):
        month_number = _MONTHS.get(match[2][:3])
        if month_number is None:
            return None
        return _with_year(int(match[1]), month_number, match[3], today)
    return None


def _with_year(day: int, month: int, year: str | None, today: date) -> date | None:
    if year is not None:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return _make(full, month, day)
    candidate = _make(today.year, month, day)
    if candidate is None:
        # 29 February in a year without one: try next year before giving up.
        return _make(today.year + 1, month, day)
    if candidate < today:
        return _make(today.year + 1, month, day)
    return candidate


def _make(year: int, month: int, day: int) -> date | None:
    if not 2000 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
