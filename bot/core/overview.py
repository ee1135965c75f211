"""The coach's overview: per participant, the few numbers that matter, from plain values.

Pure: the repository hands over rows as plain values, the use case passes the time and the
coach's zone; nothing here reads a clock or a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from bot.core.dates import local_today

# Shown as a flag on the card: this long without contact deserves a friendly check-in.
QUIET_DAYS: Final = 14

STATUSES: Final = ("invited", "active", "paused", "declined", "unreachable", "ended")


@dataclass(frozen=True)
class ParticipantFacts:
    participant_id: int
    display_name: str
    status: str
    # None when no Telegram account is linked yet (still invited).
    reachable: bool | None
    last_interaction_at: datetime | None


@dataclass(frozen=True)
class StepFacts:
    participant_id: int
    status: str
    due_date: date | None
    done_at: datetime | None
    help_asked_at: datetime | None


@dataclass(frozen=True)
class OverviewLine:
    participant_id: int
    display_name: str
    status: str
    done_this_week: int
    overdue: int
    help_asked: int
    days_since_contact: int | None


def week_start(today: date) -> date:
    """Monday of today's week (Dutch weeks start on Monday)."""
    return today - timedelta(days=today.weekday())


def shown_status(stored: str, reachable: bool | None) -> str:
    """A blocked bot is what the coach needs to know, unless the participant left anyway."""
    if reachable is False and stored not in ("declined", "ended"):
        return "unreachable"
    return stored


def overview(
    participants: Iterable[ParticipantFacts], steps: Iterable[StepFacts], now: datetime,
    zone: str,
) -> list[OverviewLine]:
    today = local_today(now, zone)
    monday = week_start(today)
    done: dict[int, int] = {}
    overdue: dict[int, int] = {}
    helped: dict[int, int] = {}
    for step in steps:
        pid = step.participant_id
        if step.status == "done" and step.done_at is not None \
                and local_today(step.done_at, zone) >= monday:
            done[pid] = done.get(pid, 0) + 1
        if step.status == "open":
            if step.due_date is not None and step.due_date < today:
                overdue[pid] = overdue.get(pid, 0) + 1
            if step.help_asked_at is not None:
                helped[pid] = helped.get(pid, 0) + 1
    lines = []
    for person in participants:
        pid = person.participant_id
        last = person.last_interaction_at
        lines.append(OverviewLine(
            participant_id=pid,
            display_name=person.display_name,
            status=shown_status(person.status, person.reachable),
            done_this_week=done.get(pid, 0),
            overdue=overdue.get(pid, 0),
            help_asked=helped.get(pid, 0),
            days_since_contact=None if last is None else max(0, (today - local_today(last, zone)
                                                                 ).days),
        ))
    return lines


def needs_attention(line: OverviewLine) -> bool:
    """Help asked, unreachable or long silent: sorted to the top of the list."""
    quiet = line.days_since_contact is not None and line.days_since_contact >= QUIET_DAYS
    return line.help_asked > 0 or line.status == "unreachable" or (
        quiet and line.status == "active")


def sorted_for_coach(lines: Iterable[OverviewLine]) -> list[OverviewLine]:
    """Attention first, then ended/declined last, then by name."""
    rank = {"ended": 2, "declined": 2}
    return sorted(lines, key=lambda line: (
        0 if needs_attention(line) else 1 + rank.get(line.status, 0),
        line.display_name.casefold(), line.participant_id,
    ))
