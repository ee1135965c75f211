"""The coach's weekly digest: plain facts about a caseload in, ordered sections out.

Pure: the repository reads the facts for all of a coach's participants at once, the use case
passes the window and the zone; nothing here reads a clock, a database or a catalog. The
renderer (gettext, HTML, pages) turns a `Digest` into text.

Sections, most important first: a headline, "needs you", "to celebrate", "coming up", "what
resonated". Participants who ended or declined inside the window are named once ("farewells");
the next digest's window starts where this one ended, so they are not named again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from bot.core.meetings import Wish
from bot.core.outbox import Payload

# Outbox kinds and keys. One digest per coach per ISO week of the slot, whatever the number of
# processes: the outbox's dedupe key is UNIQUE.
DIGEST: Final = "coach_digest"
PUSH: Final = "coach_push"


class DigestPayload(Payload, kind=DIGEST):
    """The digest names nothing itself: it is built from the state at send time."""

    coach_id: int = 0


class PushPayload(Payload, kind=PUSH):
    """Neither does the push: the dispatcher reads the open requests when it sends it."""

    coach_id: int = 0


SILENT_DAYS: Final = 14
INVITE_STALE_DAYS: Final = 7
# A step moved this often is probably too big. ("Still busy" on a check-in offers a new date,
# a smaller step or help; the digest counts the moves and help requests it leads to.)
TOO_BIG_AFTER: Final = 2
# This many steps due within the next 7 days for one person is a lot for one week.
MANY_DUE: Final = 5
WINDOW: Final = timedelta(days=7)
# A slot missed by less than this (the bot was down) is still sent; a coach who joins on a
# Thursday gets the first digest the next week rather than a Monday digest on Thursday.
LATE_LIMIT: Final = timedelta(hours=12)
# A crisis phrase typed this recently shows on the card (the digest shows those of its window).
CRISIS_SHOWN: Final = timedelta(days=7)

ENDED_STATUSES: Final = ("ended", "declined")


# --- the coach's settings and the weekly slot ---------------------------------------------------


@dataclass(frozen=True)
class CoachSchedule:
    zone: str
    digest_enabled: bool = True
    digest_weekday: int = 0  # Monday
    digest_time: time = time(8, 30)
    work_days: frozenset[int] = frozenset(range(5))  # Monday-Friday
    work_start: time = time(8, 0)
    work_end: time = time(18, 0)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


def parse_work_days(text: str) -> frozenset[int]:
    """'01234' (Monday = 0) -> {0, 1, 2, 3, 4}; anything else is ignored."""
    return frozenset(int(c) for c in text if c in "0123456")


def format_work_days(days: Iterable[int]) -> str:
    return "".join(str(d) for d in sorted(set(days)) if 0 <= d <= 6)


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at `at` on the wall clock of `zone`, in UTC. A time skipped by the spring switch
    comes out an hour later; a time that occurs twice in autumn is the first of the two."""
    naive = datetime.combine(day, at)
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def week_key(coach_id: int, slot_day: date) -> str:
    year, week, _ = slot_day.isocalendar()
    return f"coach:{coach_id}:digest:{year}-W{week:02d}"


def digest_prefix(coach_id: int) -> str:
    return f"coach:{coach_id}:digest:"


@dataclass(frozen=True)
class Slot:
    key: str
    due_at: datetime  # UTC


def week_slot(coach_id: int, schedule: CoachSchedule, day: date) -> Slot:
    """The digest slot of the ISO week that holds `day`, in the coach's zone."""
    monday = day - timedelta(days=day.weekday())
    slot_day = monday + timedelta(days=schedule.digest_weekday)
    return Slot(week_key(coach_id, slot_day),
                local_moment(slot_day, schedule.digest_time, schedule.tz))


def next_slot(coach_id: int, schedule: CoachSchedule, now: datetime,
              taken: Iterable[str] = ()) -> Slot | None:
    """The slot to plan: this week's unless it is long past or already sent (`taken`),
    otherwise next week's. None when the coach turned the digest off."""
    if not schedule.digest_enabled:
        return None
    today = now.astimezone(schedule.tz).date()
    done = set(taken)
    for weeks in (0, 1, 2):
        slot = week_slot(coach_id, schedule, today + timedelta(weeks=weeks))
        if slot.due_at >= now - LATE_LIMIT and slot.key not in done:
            return slot
    return None  # unreachable in practice: next week's slot is never taken yet


def within_work_hours(schedule: CoachSchedule, now: datetime) -> bool:
    local = now.astimezone(schedule.tz)
    return local.weekday() in schedule.work_days and \
        schedule.work_start <= local.time() < schedule.work_end


def next_work_moment(schedule: CoachSchedule, now: datetime) -> datetime:
    """Now when it is inside the coach's working hours, else the next start (UTC)."""
    if within_work_hours(schedule, now) or not schedule.work_days \
            or schedule.work_start >= schedule.work_end:
        return now
    today = now.astimezone(schedule.tz).date()
    for ahead in range(8):
        day = today + timedelta(days=ahead)
        if day.weekday() not in schedule.work_days:
            continue
        start = local_moment(day, schedule.work_start, schedule.tz)
        if start > now:
            return start
    return now


def push_key(coach_id: int, due_at: datetime) -> str:
    """One push per coach per moment it goes out: requests that arrive before it is sent join
    it (the dispatcher reads the open requests at send time)."""
    return f"coach:{coach_id}:push:{due_at.strftime('%Y%m%dT%H%M')}"


def push_moment(schedule: CoachSchedule, now: datetime, bundle: timedelta) -> datetime:
    """A few minutes after the request (to bundle several), moved into working hours."""
    soon = now + bundle
    return next_work_moment(schedule, soon)


# --- facts in ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    participant_id: int
    name: str
    status: str
    reachable: bool | None  # None: no Telegram account linked yet
    last_interaction_at: datetime | None
    created_at: datetime
    # When the status became ended/declined (for "shown once"); None when unknown.
    left_at: datetime | None = None
    # The newest invite while no account is linked.
    invite_created_at: datetime | None = None
    invite_expires_at: datetime | None = None
    invite_open: bool = False  # not used and not revoked


@dataclass(frozen=True)
class StepFacts:
    step_id: int
    participant_id: int
    text: str
    status: str
    due_date: date | None
    done_at: datetime | None
    help_asked_at: datetime | None
    challenging: bool = False
    owner: str = "participant"
    moves: int = 0  # times rescheduled


@dataclass(frozen=True)
class GoalReached:
    participant_id: int
    goal_id: int
    text: str
    at: datetime


@dataclass(frozen=True)
class PillarUp:
    participant_id: int
    pillar: str  # key; the renderer shows the label in the coach's language
    before: int
    after: int
    at: datetime
    measurement_id: int = 0  # the later measurement: one card per measurement


@dataclass(frozen=True)
class Feedback:
    participant_id: int
    lesson: int
    verdict: str  # "yes" (sounds familiar) / "no" (less for me)
    at: datetime


@dataclass(frozen=True)
class CaseloadFacts:
    people: tuple[PersonFacts, ...]
    steps: tuple[StepFacts, ...] = ()
    # participant id -> when they last asked to talk (only requests not marked handled)
    talk_asked: Mapping[int, datetime] = field(default_factory=dict)
    goals_reached: tuple[GoalReached, ...] = ()
    pillars_up: tuple[PillarUp, ...] = ()
    brug_due: Mapping[int, str] = field(default_factory=dict)  # participant id -> moment
    rewards_to_confirm: Mapping[int, int] = field(default_factory=dict)
    rewards_to_hand_out: Mapping[int, int] = field(default_factory=dict)
    feedback: tuple[Feedback, ...] = ()
    # Steps the participant was offered help for after a setback (moved twice or "still busy"
    # twice): shown like a step that keeps moving.
    slipping_steps: frozenset[int] = frozenset()
    # participant id -> open wishes about a meeting they cannot make (core.meetings)
    meeting_wishes: Mapping[int, tuple[Wish, ...]] = field(default_factory=dict)
    # participant id -> moments a crisis phrase was typed (the coach got a notice of its own)
    crisis_at: Mapping[int, tuple[datetime, ...]] = field(default_factory=dict)


# --- sections out -----------------------------------------------------------------------------


class Need(StrEnum):
    CRISIS = "crisis"
    HELP = "help"
    TALK = "talk"
    MEETING = "meeting"
    SILENT = "silent"
    UNREACHABLE = "unreachable"
    INVITE_UNUSED = "invite_unused"
    INVITE_EXPIRED = "invite_expired"
    TOO_BIG = "too_big"
    MANY_DUE = "many_due"


# Order inside a line and between lines: what asks for the coach first.
NEED_ORDER: Final = tuple(Need)


@dataclass(frozen=True)
class NeedItem:
    need: Need
    step_id: int | None = None
    step_text: str | None = None
    number: int | None = None  # days silent, steps due, times a crisis phrase was typed
    wish: Wish | None = None  # a meeting they cannot make
    at: datetime | None = None  # the last crisis phrase


@dataclass(frozen=True)
class NeedsLine:
    participant_id: int
    name: str
    items: tuple[NeedItem, ...]


class Win(StrEnum):
    GOAL = "goal"
    STEP = "step"
    PILLAR = "pillar"


@dataclass(frozen=True)
class Celebration:
    participant_id: int
    name: str
    win: Win
    text: str  # the goal or step text, or the pillar key
    ref: int  # goal id / step id / measurement id
    before: int | None = None
    after: int | None = None


@dataclass(frozen=True)
class ComingLine:
    participant_id: int
    name: str
    steps_due: int
    brug_due: str | None
    rewards_to_confirm: int
    rewards_to_hand_out: int


@dataclass(frozen=True)
class ResonatedLine:
    participant_id: int
    name: str
    items: tuple[tuple[int, str], ...]  # (lesson number, verdict)


@dataclass(frozen=True)
class Farewell:
    participant_id: int
    name: str
    status: str


@dataclass(frozen=True)
class Digest:
    since: datetime
    until: datetime
    caseload: int  # participants shown (ended/declined earlier are not counted)
    steps_done: int
    people_done: int
    needs: tuple[NeedsLine, ...] = ()
    celebrate: tuple[Celebration, ...] = ()
    coming: tuple[ComingLine, ...] = ()
    resonated: tuple[ResonatedLine, ...] = ()
    farewells: tuple[Farewell, ...] = ()

    @property
    def empty_caseload(self) -> bool:
        return self.caseload == 0 and not self.farewells

    @property
    def quiet(self) -> bool:
        """Nothing to report: one friendly line instead of an empty report."""
        return not (self.steps_done or self.needs or self.celebrate or self.coming
                    or self.resonated or self.farewells)


def _in(moment: datetime | None, since: datetime, until: datetime) -> bool:
    return moment is not None and since <= moment < until


def _sort_key(name: str, pid: int) -> tuple[str, int]:
    return (name.casefold(), pid)


def build_digest(facts: CaseloadFacts, since: datetime, until: datetime, zone: str) -> Digest:
    """The digest for the window [since, until) as the coach sees it in `zone`."""
    tz = ZoneInfo(zone)
    today = until.astimezone(tz).date()
    week_end = today + timedelta(days=7)
    shown: dict[int, PersonFacts] = {}
    farewells = []
    for person in facts.people:
        if person.status in ENDED_STATUSES:
            # Named once: in the digest whose window holds the moment they left.
            if _in(person.left_at, since, until):
                farewells.append(Farewell(person.participant_id, person.name, person.status))
            continue
        shown[person.participant_id] = person

    done_by: dict[int, int] = {}
    needs: dict[int, list[NeedItem]] = {pid: [] for pid in shown}
    wins: list[Celebration] = []
    due_soon: dict[int, int] = {}
    for step in facts.steps:
        owner = shown.get(step.participant_id)
        if owner is None:
            continue
        pid = owner.participant_id
        if step.status == "done" and _in(step.done_at, since, until):
            done_by[pid] = done_by.get(pid, 0) + 1
            if step.challenging:
                wins.append(Celebration(pid, owner.name, Win.STEP, step.text, step.step_id))
        if step.status != "open" or step.owner == "coach":
            continue
        if step.help_asked_at is not None:
            needs[pid].append(NeedItem(Need.HELP, step.step_id, step.text))
        if step.moves >= TOO_BIG_AFTER or step.step_id in facts.slipping_steps:
            needs[pid].append(NeedItem(Need.TOO_BIG, step.step_id, step.text))
        if step.due_date is not None and today <= step.due_date < week_end:
            due_soon[pid] = due_soon.get(pid, 0) + 1

    for pid, person in shown.items():
        typed = [at for at in facts.crisis_at.get(pid, ())
                 if _in(at, max(since, until - CRISIS_SHOWN), until)]
        if typed:
            needs[pid].append(NeedItem(Need.CRISIS, number=len(typed), at=max(typed)))
        if pid in facts.talk_asked:
            needs[pid].append(NeedItem(Need.TALK))
        needs[pid].extend(NeedItem(Need.MEETING, wish=wish)
                          for wish in facts.meeting_wishes.get(pid, ()))
        if person.reachable is False:
            needs[pid].append(NeedItem(Need.UNREACHABLE))
        elif person.status == "active" and person.last_interaction_at is not None:
            silent = (today - person.last_interaction_at.astimezone(tz).date()).days
            if silent >= SILENT_DAYS:
                needs[pid].append(NeedItem(Need.SILENT, number=silent))
        if person.status == "invited" and person.reachable is None:
            expired = person.invite_expires_at is not None and person.invite_expires_at <= until
            if not person.invite_open or expired:
                needs[pid].append(NeedItem(Need.INVITE_EXPIRED))
            elif person.invite_created_at is not None \
                    and until - person.invite_created_at >= timedelta(days=INVITE_STALE_DAYS):
                needs[pid].append(NeedItem(Need.INVITE_UNUSED))
        if due_soon.get(pid, 0) >= MANY_DUE:
            needs[pid].append(NeedItem(Need.MANY_DUE, number=due_soon[pid]))

    for goal in facts.goals_reached:
        achiever = shown.get(goal.participant_id)
        if achiever is not None and _in(goal.at, since, until):
            wins.append(Celebration(achiever.participant_id, achiever.name, Win.GOAL, goal.text,
                                    goal.goal_id))
    for up in facts.pillars_up:
        grower = shown.get(up.participant_id)
        if grower is not None and _in(up.at, since, until) and up.after > up.before:
            wins.append(Celebration(grower.participant_id, grower.name, Win.PILLAR, up.pillar,
                                    up.measurement_id, up.before, up.after))

    rank = {need: i for i, need in enumerate(NEED_ORDER)}
    need_lines = sorted(
        (NeedsLine(pid, shown[pid].name, tuple(sorted(items, key=lambda n: rank[n.need])))
         for pid, items in needs.items() if items),
        key=lambda line: (rank[line.items[0].need], *_sort_key(line.name, line.participant_id)),
    )
    win_rank = {Win.GOAL: 0, Win.STEP: 1, Win.PILLAR: 2}
    wins.sort(key=lambda w: (win_rank[w.win], *_sort_key(w.name, w.participant_id), w.ref,
                             w.text))

    coming = []
    for pid, person in shown.items():
        active = person.status in ("active", "paused")
        brug = facts.brug_due.get(pid) if active else None
        line = ComingLine(pid, person.name, due_soon.get(pid, 0), brug,
                          facts.rewards_to_confirm.get(pid, 0),
                          facts.rewards_to_hand_out.get(pid, 0))
        if line.steps_due or line.brug_due or line.rewards_to_confirm or line.rewards_to_hand_out:
            coming.append(line)
    coming.sort(key=lambda c: _sort_key(c.name, c.participant_id))

    heard: dict[int, dict[int, str]] = {}
    for item in sorted(facts.feedback, key=lambda f: f.at):
        if item.participant_id in shown and _in(item.at, since, until):
            heard.setdefault(item.participant_id, {})[item.lesson] = item.verdict
    resonated = sorted(
        (ResonatedLine(pid, shown[pid].name, tuple(sorted(items.items())))
         for pid, items in heard.items()),
        key=lambda r: _sort_key(r.name, r.participant_id),
    )
    farewells.sort(key=lambda f: _sort_key(f.name, f.participant_id))
    return Digest(
        since=since, until=until, caseload=len(shown),
        steps_done=sum(done_by.values()), people_done=len(done_by),
        needs=tuple(need_lines), celebrate=tuple(wins), coming=tuple(coming),
        resonated=tuple(resonated), farewells=tuple(farewells),
    )


def digest_window(now: datetime, previous_sent_at: datetime | None) -> tuple[datetime, datetime]:
    """The last 7 days, but never before the previous digest: nothing is reported twice
    when the coach moves the digest day."""
    since = now - WINDOW
    if previous_sent_at is not None and since < previous_sent_at < now:
        since = previous_sent_at
    return since, now


def pillars_up(previous: Mapping[str, int | None], latest: Mapping[str, int | None]
               ) -> list[tuple[str, int, int]]:
    """The pillars whose level went up from one completed measurement to the next."""
    ups = []
    for key, after in latest.items():
        before = previous.get(key)
        if before is not None and after is not None and after > before:
            ups.append((key, before, after))
    return ups
