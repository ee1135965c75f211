"""When a coach may be told something: within working hours, in the coach's own zone.

Default weekdays 08:00-18:00. Used for messages to the coach that follow from something a
participant did (a crisis phrase, a meeting they cannot make). Pure: time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class WorkingHours:
    days: frozenset[int] = frozenset(range(5))  # Monday = 0
    start: time = time(8, 0)
    end: time = time(18, 0)


DEFAULT_HOURS = WorkingHours()


def within(now: datetime, zone: ZoneInfo, hours: WorkingHours = DEFAULT_HOURS) -> bool:
    local = now.astimezone(zone)
    return local.weekday() in hours.days and hours.start <= local.time() < hours.end


def next_working_moment(now: datetime, zone: ZoneInfo,
                        hours: WorkingHours = DEFAULT_HOURS) -> datetime:
    """`now` when it is inside working hours, else the next start of working hours (aware)."""
    if within(now, zone, hours) or not hours.days:
        return now
    local = now.astimezone(zone)
    day = local.date()
    if local.time() >= hours.end or local.weekday() not in hours.days:
        day += timedelta(days=1)
    for _ in range(8):
        if day.weekday() in hours.days:
            return datetime.combine(day, hours.start, zone)
        day += timedelta(days=1)
    return now  # unreachable with at least one working day
