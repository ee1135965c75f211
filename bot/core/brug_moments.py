"""When a Brug measurement is due, which moment a new one is, and where filling it in goes next.

Pure rules: dates are passed in (the caller's "today" in the participant's zone), nothing is read
from a clock or a database. Seed 001: the Brug is filled in at intake, after about 6 months and
after 12 months or at the end; the second and third measurements were rarely done in the pilots,
so the coach digest asks `due_measurement` which one is due.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Literal

MomentName = Literal["intake", "six_months", "twelve_months", "end", "extra"]
MOMENTS: Final[tuple[MomentName, ...]] = ("intake", "six_months", "twelve_months", "end", "extra")

# "About 6 months": the measurement counts as due from two weeks before the date, so a meeting
# shortly before the half year can be used for it.
DUE_EARLY: Final = timedelta(days=14)
# A measurement left half-way is resumed within this time; after that its answers no longer
# describe "now", so a new one is started (the old row stays, incomplete, for the record).
RESUME_WITHIN: Final = timedelta(days=30)
MAX_LEVEL: Final = 5


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class DueMeasurement:
    moment: MomentName
    due_on: date  # the nominal date (intake: when the participant joined)

    def overdue_days(self, today: date) -> int:
        return max(0, (today - self.due_on).days)


def due_measurement(
    first_on: date | None,
    taken: Collection[str],
    today: date,
    *,
    joined_on: date,
) -> DueMeasurement | None:
    """The measurement that is due today, or None.

    `first_on`: day of the first completed measurement (the intake), None when there is none;
    `taken`: the moments of the completed measurements; `joined_on`: when the participant started.
    No measurement yet -> intake. After 12 months (or once an end measurement exists) nothing
    more is planned: a six-month measurement that was missed is not asked for after the
    twelve-month one has become due.
    """
    if first_on is None:
        return DueMeasurement("intake", joined_on)
    if "end" in taken or "twelve_months" in taken:
        return None
    twelve = add_months(first_on, 12)
    if today >= twelve - DUE_EARLY:
        return DueMeasurement("twelve_months", twelve)
    six = add_months(first_on, 6)
    if "six_months" not in taken and today >= six - DUE_EARLY:
        return DueMeasurement("six_months", six)
    return None


def moment_for_new(
    first_on: date | None, taken: Collection[str], today: date, *, joined_on: date
) -> MomentName:
    """Which moment a measurement started today is: the due one, else an extra one."""
    due = due_measurement(first_on, taken, today, joined_on=joined_on)
    return due.moment if due else "extra"


def can_resume(started_at: datetime, now: datetime) -> bool:
    return now - started_at <= RESUME_WITHIN


# --- walking through the pillars -------------------------------------------------------------


def next_question(count: int, answered: Collection[int], after: int = -1) -> int | None:
    """The pillar to ask next: the first unanswered one after `after`, else the first unanswered
    one before it (after going back), else None (every pillar answered or skipped)."""
    for index in (*range(after + 1, count), *range(0, min(after + 1, count))):
        if index not in answered:
            return index
    return None


def target_choices(level: int | None) -> tuple[int, ...]:
    """Steps a target can be: the current step or higher ("where do you want to be?")."""
    if level is None:
        return ()
    return tuple(range(level, MAX_LEVEL + 1))


def next_target_question(levels: Sequence[int | None], after: int = -1) -> int | None:
    """The next pillar after `after` that can get a target: answered and not yet at the top."""
    for index in range(after + 1, len(levels)):
        level = levels[index]
        if level is not None and level < MAX_LEVEL:
            return index
    return None


def previous_target_question(levels: Sequence[int | None], before: int) -> int | None:
    for index in range(min(before, len(levels)) - 1, -1, -1):
        level = levels[index]
        if level is not None and level < MAX_LEVEL:
            return index
    return None
