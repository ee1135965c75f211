"""Meetings with the coach (issue 13): the rules, as pure functions.

Times are chosen on the participant's wall clock (their zone from the account, never a fixed
zone) and stored in UTC. Reminders: the day before at the participant's moment of day, and
about two hours before; neither in quiet hours (moved to the nearest allowed time that is
still before the meeting, or left out). A pause does not stop them: the meeting was agreed
together (the pause screen says so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal

from bot.core import reminders as plan
from bot.core.dates import parse_date
from bot.core.report import ALL, Cell, Table, percent

PLACES: Final = ("office", "home", "phone", "video")
MEETING: Final = "meeting"  # the participant hears of a new, moved or cancelled meeting
MEETING_REMINDER: Final = "meeting_reminder"
KINDS: Final = frozenset({MEETING, MEETING_REMINDER})
MEETING_NOTICE: Final = "meeting_notice"  # to the coach: the participant cannot make it
MAX_AHEAD: Final = timedelta(days=366)
CLASH: Final = timedelta(minutes=60)  # two meetings closer than this are "at the same time"
BEFORE: Final = timedelta(hours=2)
NOTE_MAX: Final = 200
# Time buttons the coach picks from: 08:00 to 19:30 every half hour.
TIME_CHOICES: Final = tuple(time(h, m) for h in range(8, 20) for m in (0, 30))

Problem = Literal["past", "far", "clash"]


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # UTC


def local_start(day: date, at: time, timezone: str) -> datetime:
    """The UTC moment of `day` at `at` on the participant's wall clock (DST-aware)."""
    return plan.local_datetime(day, at, plan.Person(0, timezone).zone).astimezone(UTC)


def check(starts_at: datetime, now: datetime, others: list[datetime]) -> Problem | None:
    """Past, more than a year ahead, or within an hour of another planned meeting."""
    if starts_at <= now:
        return "past"
    if starts_at - now > MAX_AHEAD:
        return "far"
    if any(abs(other - starts_at) < CLASH for other in others):
        return "clash"
    return None


_TIME = re.compile(r"(?:^|\s)(?:om\s+|at\s+)?([01]?\d|2[0-3])[:.u]([0-5]\d)(?:\s*uur)?\s*$")


def parse_when(text: str, today: date) -> tuple[date, time] | None:
    """'12-3 14:30', 'dinsdag 9.30', '12 maart om 10:00' -> (day, time); None if unclear.
    A day in the past comes back as typed so that the coach is asked to check it."""
    cleaned = " ".join(text.lower().split())
    match = _TIME.search(cleaned)
    if match is None:
        return None
    day = parse_date(cleaned[:match.start()].strip(), today)
    if day is None:
        return None
    return day, time(int(match.group(1)), int(match.group(2)))


def reminder_moments(starts_at: datetime, person: plan.Person, rules: plan.ReminderRules,
                     now: datetime) -> list[tuple[str, datetime]]:
    """(tag, UTC moment) for the day-before and the two-hours-before reminders still to come,
    outside quiet hours and before the meeting."""
    local = starts_at.astimezone(person.zone)
    wanted = [("d-1", plan.moment_on(local.date() - timedelta(days=1), person, rules))]
    before = starts_at - BEFORE
    if plan.in_quiet_hours(before.astimezone(person.zone).time(), person.quiet_start,
                           person.quiet_end):
        before = plan.out_of_quiet(before, person).astimezone(UTC)
    wanted.append(("h-2", before))
    return [(tag, at) for tag, at in wanted if now < at < starts_at - timedelta(minutes=20)]


def key_prefix(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:"


def key(meeting_id: int, starts_at: datetime, tag: str) -> str:
    """The start is in the key: a moved meeting gets new rows, the old ones are cancelled."""
    return f"{key_prefix(meeting_id)}{starts_at.strftime('%Y%m%dT%H%M')}:{tag}"


@dataclass(frozen=True)
class MeetingFacts:
    """One organisation's meetings for the cohort report."""

    planned: int = 0  # still ahead, or not marked yet
    held: int = 0
    not_held: int = 0
    cancelled: int = 0

    def __add__(self, other: MeetingFacts) -> MeetingFacts:
        return MeetingFacts(self.planned + other.planned, self.held + other.held,
                            self.not_held + other.not_held, self.cancelled + other.cancelled)

    @classmethod
    def from_counts(cls, counts: dict[str, int]) -> MeetingFacts:
        return cls(counts.get("planned", 0), counts.get("held", 0), counts.get("not_held", 0),
                   counts.get("cancelled", 0))


def meetings_table(per_org: dict[str, MeetingFacts]) -> Table:
    """Appointments kept: held as count and % of those marked held or not held (seed 004
    note 2 speaks of 30% not kept); cancelled and unmarked ones are shown, not counted in."""
    every = dict(per_org)
    if len(per_org) > 1:
        total = MeetingFacts()
        for facts in per_org.values():
            total = total + facts
        every[ALL] = total
    rows: list[tuple[Cell, ...]] = []
    for org, f in every.items():
        marked = f.held + f.not_held
        rows += [(org, "kept", f.held, marked, percent(f.held, marked) if marked else None),
                 (org, "not_kept", f.not_held, marked,
                  percent(f.not_held, marked) if marked else None),
                 (org, "cancelled", f.cancelled, None, None),
                 (org, "not_marked_or_ahead", f.planned, None, None)]
    return Table("meetings", "Appointments kept", ("organisation", "measure", "n", "of", "pct"),
                 tuple(rows), counts=frozenset(["n", "of"]), percent_of={"pct": "n"})


def made_in_meeting(created_at: datetime, meeting_starts: list[datetime], timezone: str
                    ) -> date | None:
    """The day of the meeting a plan was made in: a meeting (held or planned, not cancelled or
    missed) on the same day, on the participant's calendar."""
    zone = plan.Person(0, timezone).zone
    day = created_at.astimezone(zone).date()
    return day if any(s.astimezone(zone).date() == day for s in meeting_starts) else None


def kept_percentage(held: int, not_held: int) -> int | None:
    """Appointments kept, in whole percent of those marked; None when none were marked."""
    marked = held + not_held
    return round(100 * held / marked) if marked else None
