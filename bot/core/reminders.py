"""Which reminder, check-in and lesson messages should exist: pure rules, time passed in.

Everything is decided in the person's own time zone and returned in UTC. A planned message has a
deterministic dedupe key, so planning twice yields the same rows and the outbox (UNIQUE key) never
holds a message twice. Keys of one step share the prefix `step:<id>:` so re-planning a step only
ever touches that step's rows.

Pure module: no database, no Telegram, no clock reads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from pydantic import Field

from bot.core.outbox import Payload

# Kinds of outbox rows this module plans. Reminders and check-ins count towards the daily cap.
REMIND: Final = "remind"
CHECKIN: Final = "checkin"
LATER: Final = "later"
WELCOME_BACK: Final = "welcome_back"
LESSON: Final = "lesson"
NUDGE_KINDS: Final = frozenset({REMIND, CHECKIN, LATER})
# Messages that follow from something that happened (not planned ahead): sent as soon as quiet
# hours and a pause allow, never bundled with reminders and not counted in their daily cap.
CARD: Final = "card"
PLAN_NOTICE: Final = "plan_notice"
REWARD: Final = "reward"
HANDOVER: Final = "handover"  # "from now on X is your coach" (bot.flows.handover)
PROMPT_KINDS: Final = frozenset({CARD, PLAN_NOTICE, REWARD, HANDOVER})



# --- what each kind's row carries (bot/core/outbox.py) ------------------------------------------


class StepNudgePayload(Payload):
    """A reminder, check-in or 'later' about one step, as planned for the step's date then."""

    step_id: int = 0
    due: str | None = None  # the step's date (ISO) when planned: a moved step is not nudged


class RemindPayload(StepNudgePayload, kind=REMIND):
    days_before: int = 0


class CheckinPayload(StepNudgePayload, kind=CHECKIN):
    pass


class LaterPayload(StepNudgePayload, kind=LATER):
    pass


class WelcomeBackPayload(Payload, kind=WELCOME_BACK):
    participant_id: int = 0


class LessonPayload(Payload, kind=LESSON):
    participant_id: int = 0
    number: int = 0  # the lesson's place in the series


class CardPayload(Payload, kind=CARD):
    participant_id: int = 0
    card_id: int = 0


class PlanNoticePayload(Payload, kind=PLAN_NOTICE):
    participant_id: int = 0
    # What the coach did to the plan; stored as "kind", the name the class keeps for its own.
    change: str | None = Field(default=None, validation_alias="kind", serialization_alias="kind")
    steps: int = 0


class RewardPayload(Payload, kind=REWARD):
    participant_id: int = 0
    entry_id: int = 0


class HandoverPayload(Payload, kind=HANDOVER):
    participant_id: int = 0
    coach_id: int = 0  # the new coach (the message names the coach of the moment it is sent)


DAILY_CAP: Final = 2
SILENCE_DAYS: Final = 14
LESSON_INTERVAL_DAYS: Final = 7

DEFAULT_MOMENTS: Final[Mapping[str, time]] = {
    "morning": time(9, 0),
    "afternoon": time(14, 0),
    "evening": time(19, 0),
}
DEFAULT_DAYS_BEFORE: Final = (1, 0)
MAX_DAYS_BEFORE: Final = 7
# Spreading a moment's messages: each participant gets a fixed minute after the moment, from
# the fractional parts of id x (golden ratio - 1). Consecutive ids then fill the minutes of the
# spread evenly (any N of them: at most N / minutes + 4 in one minute, tests/test_reminder_spread).
_SPREAD_STEP: Final = (math.sqrt(5) - 1) / 2


@dataclass(frozen=True)
class ReminderRules:
    """Organisation-configurable: when the preferred moments are and how many days before."""

    moments: Mapping[str, time] = field(default_factory=lambda: dict(DEFAULT_MOMENTS))
    days_before: tuple[int, ...] = DEFAULT_DAYS_BEFORE
    # The installation's messages of one moment are spread over this long after it
    # (REMINDER_SPREAD_MINUTES): a burst of the whole installation at 09:00 drains within it.
    spread: timedelta = timedelta(0)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None,
                      spread: timedelta = timedelta(0)) -> ReminderRules:
        """Read `settings["reminders"]`; anything missing or malformed falls back to defaults,
        so a typo in one organisation's settings never stops its reminders."""
        raw = (settings or {}).get("reminders") or {}
        moments = dict(DEFAULT_MOMENTS)
        for name, value in (raw.get("moments") or {}).items():
            if name in moments:
                try:
                    moments[name] = time.fromisoformat(str(value))
                except ValueError:
                    continue
        days: tuple[int, ...] = DEFAULT_DAYS_BEFORE
        given = raw.get("days_before")
        if isinstance(given, list) and given and all(
            isinstance(d, int) and 0 <= d <= MAX_DAYS_BEFORE for d in given
        ):
            days = tuple(sorted(set(given), reverse=True))
        return cls(moments=moments, days_before=days, spread=spread)


@dataclass(frozen=True)
class Person:
    """What the planner needs to know about a participant."""

    participant_id: int
    timezone: str
    moment: str = "morning"
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    active: bool = True
    paused_until: date | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class StepFacts:
    step_id: int
    due_date: date | None
    is_open: bool = True


@dataclass(frozen=True)
class Planned:
    key: str
    due_at: datetime  # UTC
    payload: Payload

    @property
    def kind(self) -> str:
        return self.payload.kind


# --- time in the person's zone -----------------------------------------------------------------


def in_quiet_hours(moment: time, start: time, end: time) -> bool:
    """Quiet hours [start, end) may span midnight (21:00-08:00); start == end means none."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def local_datetime(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at `at` on the wall clock of `zone`, normalised: a time skipped by the spring
    daylight-saving switch (02:30 on the last Sunday of March) comes out one hour later."""
    naive = datetime.combine(day, at)
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def out_of_quiet(moment: datetime, person: Person) -> datetime:
    """The first allowed local moment at or after `moment` (aware, in the person's zone)."""
    local = moment.astimezone(person.zone)
    if not in_quiet_hours(local.time(), person.quiet_start, person.quiet_end):
        return local
    end_day = local.date()
    if local.time() >= person.quiet_end:
        end_day += timedelta(days=1)
    return local_datetime(end_day, person.quiet_end, person.zone)


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def allowed_times(at: time, person: Person) -> list[time]:
    """`at` when it is outside quiet hours, else the allowed times of the same day nearest
    first: the end of the night's quiet hours, or half an hour before they start. Staying on
    the same day keeps a 'the day before' reminder on the day before."""
    if not in_quiet_hours(at, person.quiet_start, person.quiet_end):
        return [at]
    candidates = [person.quiet_end]
    before = _minutes(person.quiet_start) - 30
    if before >= 0:
        candidates.append(time(before // 60, before % 60))
    allowed = [c for c in candidates
               if not in_quiet_hours(c, person.quiet_start, person.quiet_end)]
    return sorted(allowed, key=lambda c: abs(_minutes(c) - _minutes(at)))


def moment_on(day: date, person: Person, rules: ReminderRules) -> datetime:
    """The person's preferred moment on `day`, kept out of quiet hours, and moved on by the
    person's own minute of the spread; returned in UTC."""
    at = rules.moments.get(person.moment, rules.moments["morning"])
    for candidate in allowed_times(at, person):
        local = local_datetime(day, candidate, person.zone)
        # A time skipped by the spring switch moves an hour on and may land in quiet hours.
        if local.date() == day and not in_quiet_hours(local.time(), person.quiet_start,
                                                      person.quiet_end):
            return spread_moment(local.astimezone(UTC), person, rules.spread)
    return out_of_quiet(local_datetime(day, at, person.zone), person).astimezone(UTC)


def spread_offset(participant_id: int, spread: timedelta) -> timedelta:
    """This participant's own whole minute within `spread` (0 <= offset < spread), the same
    every day, so all of their messages of one moment still come together as one."""
    minutes = int(spread.total_seconds() // 60)
    if minutes <= 1:
        return timedelta(0)
    return timedelta(minutes=int((participant_id * _SPREAD_STEP) % 1.0 * minutes))


def spread_moment(moment: datetime, person: Person, spread: timedelta) -> datetime:
    """`moment` moved on by the person's minute of the spread, unless that would leave the
    day or reach quiet hours (an evening moment just before them): then the moment itself."""
    moved = moment + spread_offset(person.participant_id, spread)
    local, was = moved.astimezone(person.zone), moment.astimezone(person.zone)
    if local.date() != was.date() or in_quiet_hours(local.time(), person.quiet_start,
                                                    person.quiet_end):
        return moment
    return moved


def participants_served(per_second: float, spread: timedelta) -> int:
    """How many participants with one moment the installation serves with every message
    inside that moment's spread, at `per_second` messages: each minute of the spread carries
    at most (participants / minutes + 4) of them (the spread is not perfectly even)."""
    minutes = max(1, int(spread.total_seconds() // 60))
    return max(0, int((per_second * 60 - 4) * minutes))


def local_today(now: datetime, person: Person) -> date:
    return now.astimezone(person.zone).date()


def is_paused(day: date, person: Person) -> bool:
    return person.paused_until is not None and day <= person.paused_until


def after_pause(now: datetime, person: Person) -> datetime:
    """When a message held back by a pause may go: the first allowed moment after the pause's
    last day; for a pause without an end, a day from now (resuming brings it forward)."""
    if person.paused_until is None:
        return now + timedelta(days=1)
    start = datetime.combine(person.paused_until + timedelta(days=1), time(0), person.zone)
    return out_of_quiet(max(start, now), person)


# --- keys ----------------------------------------------------------------------------------------


def step_prefix(step_id: int) -> str:
    return f"step:{step_id}:"


def remind_key(step_id: int, due: date, days_before: int) -> str:
    return f"{step_prefix(step_id)}remind:{due.isoformat()}:d-{days_before}"


def checkin_key(step_id: int) -> str:
    # No date in the key: at most one check-in per step, however often the date moves.
    return f"{step_prefix(step_id)}checkin"


def later_key(step_id: int, at: datetime) -> str:
    return f"{step_prefix(step_id)}later:{at.astimezone(UTC).strftime('%Y%m%dT%H%M')}"


def welcome_back_key(participant_id: int, silent_since: datetime) -> str:
    return f"p:{participant_id}:back:{silent_since.astimezone(UTC).date().isoformat()}"


def lesson_key(participant_id: int, number: int) -> str:
    return f"p:{participant_id}:lesson:{number}"


# --- planning ------------------------------------------------------------------------------------


def plan_step(step: StepFacts, person: Person, rules: ReminderRules, now: datetime
              ) -> list[Planned]:
    """Reminders before and on the deadline, then one check-in the day after.

    Nothing for a closed or undated step or an inactive person; nothing in the past, in quiet
    hours or on a paused day. All of a person's messages of one day fall on the same preferred
    moment, so the dispatcher bundles them into one message.
    """
    if not step.is_open or step.due_date is None or not person.active:
        return []
    due = step.due_date
    planned: list[Planned] = []
    for days_before in rules.days_before:
        day = due - timedelta(days=days_before)
        at = moment_on(day, person, rules)
        if at <= now or is_paused(day, person) or not _on_day(at, day, person):
            continue
        planned.append(Planned(remind_key(step.step_id, due, days_before), at, RemindPayload(
            step_id=step.step_id, due=due.isoformat(), days_before=days_before)))
    check_day = due + timedelta(days=1)
    at = moment_on(check_day, person, rules)
    if at > now and not is_paused(check_day, person) and _on_day(at, check_day, person):
        planned.append(Planned(checkin_key(step.step_id), at,
                               CheckinPayload(step_id=step.step_id, due=due.isoformat())))
    return planned


def _on_day(moment: datetime, day: date, person: Person) -> bool:
    """False only when quiet hours leave no allowed moment on that day at all."""
    return moment.astimezone(person.zone).date() == day


def plan_steps(steps: Iterable[StepFacts], person: Person, rules: ReminderRules, now: datetime
               ) -> list[Planned]:
    return [p for step in steps for p in plan_step(step, person, rules, now)]


def later_moment(choice: str, person: Person, rules: ReminderRules, now: datetime
                 ) -> datetime:
    """When 'later' means: this evening, tomorrow (preferred moment) or next week (same)."""
    today = local_today(now, person)
    if choice == "evening":
        at = local_datetime(today, rules.moments["evening"], person.zone)
        if at.astimezone(UTC) <= now + timedelta(minutes=30):
            # Already evening: an hour from now, still kept out of quiet hours.
            at = (now + timedelta(hours=1)).astimezone(person.zone)
        return out_of_quiet(at, person).astimezone(UTC)
    days = 7 if choice == "week" else 1
    return moment_on(today + timedelta(days=days), person, rules)


def plan_later(step_id: int, due: date | None, choice: str, person: Person,
               rules: ReminderRules, now: datetime) -> Planned:
    at = later_moment(choice, person, rules, now)
    return Planned(later_key(step_id, at), at,
                   LaterPayload(step_id=step_id, due=due.isoformat() if due else None))


def is_silent(last_interaction: datetime | None, now: datetime) -> bool:
    return last_interaction is not None and now - last_interaction >= timedelta(
        days=SILENCE_DAYS)


def plan_welcome_back(person: Person, last_interaction: datetime | None, rules: ReminderRules,
                      now: datetime) -> Planned | None:
    """One 'welcome back' per silence of 14 days; the key names the silence, so never twice."""
    if not person.active or last_interaction is None or not is_silent(last_interaction, now):
        return None
    day = local_today(now, person)
    at = moment_on(day, person, rules)
    if at <= now:
        at = moment_on(day + timedelta(days=1), person, rules)
    return Planned(welcome_back_key(person.participant_id, last_interaction), at,
                   WelcomeBackPayload(participant_id=person.participant_id))


def plan_next_lesson(person: Person, started: datetime, last_lesson: datetime | None,
                     lessons_sent: int, lesson_count: int, rules: ReminderRules,
                     now: datetime, *, resume_on: date | None = None,
                     every_days: int = LESSON_INTERVAL_DAYS) -> Planned | None:
    """The next lesson: the first `every_days` after the start, then `every_days` after the
    last (a week, or longer when the participant chose "less often")."""
    if not person.active or lessons_sent >= lesson_count:
        return None
    base = last_lesson or started
    day = local_today(base, person) + timedelta(days=every_days)
    if resume_on is not None and day < resume_on:
        day = resume_on
    if person.paused_until is not None and day <= person.paused_until:
        day = person.paused_until + timedelta(days=1)
    at = moment_on(day, person, rules)
    while at <= now:
        day += timedelta(days=1)
        at = moment_on(day, person, rules)
    return Planned(lesson_key(person.participant_id, lessons_sent), at,
                   LessonPayload(participant_id=person.participant_id, number=lessons_sent))


def nudges_left_today(sent_moments: Iterable[datetime], person: Person, now: datetime) -> int:
    """How many reminder messages may still go out today (local day), given the moments at
    which earlier ones were sent (a bundle of several steps counts once)."""
    today = local_today(now, person)
    used = {m for m in sent_moments if local_today(m, person) == today}
    return max(0, DAILY_CAP - len(used))
