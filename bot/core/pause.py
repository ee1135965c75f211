"""Pausing: until which day a choice means, and whether someone is paused on a given day.

`paused_until` is the last paused day (inclusive); None with status 'paused' means "until
/verder". Pure: today is passed in.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

Choice = Literal["week", "two_weeks", "month"]
_DAYS: dict[str, int] = {"week": 7, "two_weeks": 14, "month": 30}


def pause_end(choice: Choice, today: date) -> date:
    return today + timedelta(days=_DAYS[choice])


def is_paused(status: str, paused_until: date | None, today: date) -> bool:
    """For the dispatcher and reminders: a pause with an end date is over after that day."""
    if status != "paused":
        return False
    return paused_until is None or today <= paused_until
