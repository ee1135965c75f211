"""Meetings with the coach (issue 13): the rules, as pure functions.

Times are chosen on the participant's wall clock (their zone from the account, never a fixed
zone) and stored in UTC. Reminders: the day before at the participant's moment of day, and
about two hours before; neither in quiet hours (moved to the nearest allowed time that is
still before the meeting, or left out). A pause does not stop them: the meeting was agreed
together (the pause screen says so).

"I can't make it" is a wish (at first only that; then another day and part of the day, or
"please call me"): a participant event `meeting_wish`, the latest one counts, that stays open
until the coach moves, cancels or marks the meeting, taps "handled", or the participant says
they come after all (`meeting_wish_handled`). Like a wish to talk, it reaches the coach in the
bundled push and the digest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final, Literal

from bot.core import reminders as plan
from bot.core.outbox import Payload
from bot.core.report import ALL, Cell, Table, percent
from bot.core.when import understand

PLACES: Final = ("office", "home", "phone", "video")
MEETING: Final = "meeting"  # the participant hears of a new, moved or cancelled meeting
MEETING_REMINDER: Final = "meeting_reminder"
KINDS: Final = frozenset({MEETING, MEETING_REMINDER})


class MeetingPayload(Payload, kind=MEETING):
    """The meeting as it was when the message was planned: a message about an older state of
    it (moved, cancelled since) is not sent."""

    meeting_id: int = 0
    participant_id: int = 0
    at: str | None = None  # the start (ISO, UTC) it announces
    what: str = ""  # "new", "moved" or "cancelled"


class MeetingReminderPayload(Payload, kind=MEETING_REMINDER):
    meeting_id: int = 0
    participant_id: int = 0
    at: str | None = None
    tag: str = ""  # which reminder: the day before, or hours before (rules.reminder_moments)


MAX_AHEAD: Final = timedelta(days=366)
CLASH: Final = timedelta(minutes=60)  # two meetings closer than this are "at the same time"
BEFORE: Final = timedelta(hours=2)
NOTE_MAX: Final = 200
# Time buttons the coach picks from: 08:00 to 19:30 every half hour.
TIME_CHOICES: Final = tuple(time(h, m) for h in range(8, 20) for m in (0, 30))

Problem = Literal["past", "far", "clash"]

# --- "I can't make it": the participant's wish -------------------------------------------------

WISH: Final = "meeting_wish"  # participant event: another day (and part of it), or please call
WISH_HANDLED: Final = "meeting_wish_handled"
WISH_EVENTS: Final = (WISH, WISH_HANDLED)
WishKind = Literal["cannot", "other_day", "call"]  # cannot: nothing chosen (yet)
Part = Literal["morning", "afternoon", "evening"]
PARTS: Final[tuple[Part, ...]] = ("morning", "afternoon", "evening")
# The hours a part of the day covers, and the time the coach's one tap proposes in it.
PART_HOURS: Final[dict[str, tuple[time, time]]] = {
    "morning": (time(8, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), time(21, 0)),
}
PART_TIME: Final[dict[str, time]] = {"morning": time(10, 0), "afternoon": time(14, 0),
                                     "evening": time(19, 0)}
DAYS_OFFERED: Final = 3


@dataclass(frozen=True)
class Wish:
    """An open wish about one meeting, as the participant sent it. `local` is the meeting's
    start on the participant's clock (what the coach's buttons use too)."""

    meeting_id: int
    participant_id: int
    local: datetime  # naive, the participant's wall clock
    kind: WishKind
    day: date | None = None
    part: Part | None = None
    asked_at: datetime | None = None

    def data(self) -> dict[str, Any]:
        return {"meeting_id": self.meeting_id, "local": self.local.isoformat(timespec="minutes"),
                "wish": self.kind, "day": self.day.isoformat() if self.day else None,
                "part": self.part}

    @property
    def proposal(self) -> tuple[date, time] | None:
        """The moment the coach's one tap moves the meeting to: the wished day, at the
        meeting's own time when that falls in the wished part of the day, else the part's
        usual time."""
        if self.kind != "other_day" or self.day is None or self.part is None:
            return None
        start, end = PART_HOURS[self.part]
        at = self.local.time()
        return self.day, (at if start <= at < end else PART_TIME[self.part])


def wish_of(participant_id: int, data: Mapping[str, Any], at: datetime | None) -> Wish | None:
    """A stored wish back as a value; None for data that does not fit (never an error)."""
    try:
        kind = data.get("wish")
        part = data.get("part")
        day = data.get("day")
        if kind not in ("cannot", "other_day", "call") or (part is not None and part not in PARTS):
            return None
        return Wish(int(data["meeting_id"]), participant_id,
                    datetime.fromisoformat(str(data["local"])), kind,
                    date.fromisoformat(str(day)) if day else None, part, at)
    except (KeyError, TypeError, ValueError):
        return None


def open_wishes(participant_id: int, events: Iterable[tuple[str, datetime, Mapping[str, Any]]]
                ) -> dict[int, Wish]:
    """Meeting id -> the open wish, from a participant's wish events in time order."""
    found: dict[int, Wish] = {}
    for kind, at, data in events:
        if kind == WISH and (wish := wish_of(participant_id, data, at)) is not None:
            found[wish.meeting_id] = wish
        elif kind == WISH_HANDLED:
            found.pop(int(str(data.get("meeting_id", 0))), None)
    return found


def parts_offered(work_start: time, work_end: time) -> tuple[Part, ...]:
    """The parts of the day whose usual time falls in the coach's working hours."""
    found = tuple(p for p in PARTS if work_start <= PART_TIME[p] < work_end)
    return found or ("morning", "afternoon")


def days_offered(today: date, work_days: frozenset[int], count: int = DAYS_OFFERED
                 ) -> list[date]:
    """The next `count` working days of the coach, from tomorrow."""
    ahead = [today + timedelta(days=n) for n in range(1, 15)]
    return [d for d in ahead if not work_days or d.weekday() in work_days][:count]


def check_wish_day(day: date, today: date) -> Literal["past", "far"] | None:
    """A wished day is tomorrow or later, and within a year."""
    if day <= today:
        return "past"
    if day - today > MAX_AHEAD:
        return "far"
    return None


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


def parse_when(text: str, today: date, *, locale: str | None = None) -> tuple[date, time] | None:
    """'12-3 14:30', 'dinsdag 9.30', 'morgen om 2 uur', 'do 12 mrt half 3' -> (day, time);
    None if unclear or without a time (a meeting needs one). A day in the past comes back as
    typed so that the coach is asked to check it. The reading is `bot.core.when`."""
    found = understand(text, today, context="meeting", locale=locale, whole_text=True)
    if found is None or found.time is None:
        return None
    return found.day, found.time


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
