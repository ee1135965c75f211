"""The digest's pure rules: sections, order, once-only farewells, the weekly slot and pushes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import digest as d

AMS = "Europe/Amsterdam"
NOW = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)  # Monday 08:30 in Amsterdam
SINCE = NOW - timedelta(days=7)


def person(pid: int, name: str, status: str = "active", *, reachable: bool | None = True,
           last: datetime | None = None, **extra: object) -> d.PersonFacts:
    return d.PersonFacts(pid, name, status, reachable, last or NOW - timedelta(days=1),
                         NOW - timedelta(days=60), **extra)  # type: ignore[arg-type]


def step(sid: int, pid: int, status: str = "open", *, due: date | None = None,
         done_at: datetime | None = None, help_at: datetime | None = None,
         challenging: bool = False, moves: int = 0, owner: str = "participant",
         ) -> d.StepFacts:
    return d.StepFacts(sid, pid, f"step {sid}", status, due, done_at, help_at, challenging, owner,
                       moves)


def test_sections_in_order_with_the_reasons() -> None:
    facts = d.CaseloadFacts(
        people=(person(1, "Anna"), person(2, "Bram", last=NOW - timedelta(days=20)),
                person(3, "Cem", reachable=False), person(4, "Dirk")),
        steps=(
            step(10, 1, "done", done_at=NOW - timedelta(days=2), challenging=True),
            step(11, 1, "done", done_at=NOW - timedelta(days=3)),
            step(12, 4, "done", done_at=NOW - timedelta(days=8)),  # before the window
            step(13, 4, help_at=NOW - timedelta(days=1)),
            step(14, 2, moves=2),
            step(15, 1, due=date(2026, 12, 9)),
        ),
        talk_asked={2: NOW - timedelta(hours=3)},
        goals_reached=(d.GoalReached(1, 7, "Werk vinden", NOW - timedelta(days=1)),),
        pillars_up=(d.PillarUp(4, "money", 2, 3, NOW - timedelta(days=2)),),
        brug_due={3: "six_months"},
        rewards_to_hand_out={1: 1},
        feedback=(d.Feedback(1, 2, "yes", NOW - timedelta(days=1)),
                  d.Feedback(1, 2, "no", NOW - timedelta(hours=1))),
    )
    digest = d.build_digest(facts, SINCE, NOW, AMS)
    assert (digest.steps_done, digest.people_done, digest.caseload) == (2, 1, 4)
    # Help first, then the wish to talk, then unreachable.
    assert [(line.name, [i.need for i in line.items]) for line in digest.needs] == [
        ("Dirk", [d.Need.HELP]),
        ("Bram", [d.Need.TALK, d.Need.SILENT, d.Need.TOO_BIG]),
        ("Cem", [d.Need.UNREACHABLE]),
    ]
    assert digest.needs[1].items[1].number == 20
    assert [(w.name, w.win) for w in digest.celebrate] == [
        ("Anna", d.Win.GOAL), ("Anna", d.Win.STEP), ("Dirk", d.Win.PILLAR)]
    assert [(c.name, c.steps_due, c.brug_due, c.rewards_to_hand_out) for c in digest.coming] \
        == [("Anna", 1, None, 1), ("Cem", 0, "six_months", 0)]
    # The newest verdict per lesson counts.
    assert [(r.name, r.items) for r in digest.resonated] == [("Anna", ((2, "no"),))]
    assert not digest.quiet


def test_brug_due_only_for_active_or_paused() -> None:
    facts = d.CaseloadFacts(people=(person(1, "A"), person(2, "B", "invited", reachable=None)),
                            brug_due={1: "intake", 2: "intake"})
    digest = d.build_digest(facts, SINCE, NOW, AMS)
    assert [(c.participant_id, c.brug_due) for c in digest.coming] == [(1, "intake")]


def test_quiet_week_and_empty_caseload() -> None:
    quiet = d.build_digest(d.CaseloadFacts(people=(person(1, "Anna"),)), SINCE, NOW, AMS)
    assert quiet.quiet and not quiet.empty_caseload
    empty = d.build_digest(d.CaseloadFacts(people=()), SINCE, NOW, AMS)
    assert empty.quiet and empty.empty_caseload


def test_ended_and_declined_are_named_once() -> None:
    left = NOW - timedelta(days=2)
    facts = d.CaseloadFacts(
        people=(person(1, "Anna", "ended", left_at=left),
                person(2, "Bram", "declined", reachable=False, left_at=left)),
        steps=(step(10, 1, help_at=NOW - timedelta(days=3)),),
    )
    first = d.build_digest(facts, SINCE, NOW, AMS)
    assert [(f.name, f.status) for f in first.farewells] == [("Anna", "ended"),
                                                              ("Bram", "declined")]
    assert first.needs == () and first.caseload == 0 and not first.empty_caseload
    # The next week's window starts where this one ended: not named again.
    later = d.build_digest(facts, NOW, NOW + timedelta(days=7), AMS)
    assert later.farewells == () and later.empty_caseload


def test_invites() -> None:
    facts = d.CaseloadFacts(people=(
        person(1, "Fresh", "invited", reachable=None, invite_created_at=NOW - timedelta(days=2),
               invite_expires_at=NOW + timedelta(days=12), invite_open=True),
        person(2, "Stale", "invited", reachable=None, invite_created_at=NOW - timedelta(days=8),
               invite_expires_at=NOW + timedelta(days=6), invite_open=True),
        person(3, "Expired", "invited", reachable=None,
               invite_created_at=NOW - timedelta(days=20),
               invite_expires_at=NOW - timedelta(days=6), invite_open=True),
    ))
    digest = d.build_digest(facts, SINCE, NOW, AMS)
    assert {line.name: line.items[0].need for line in digest.needs} == {
        "Stale": d.Need.INVITE_UNUSED, "Expired": d.Need.INVITE_EXPIRED}


def test_many_due_and_coach_steps() -> None:
    due = date(2026, 12, 10)
    facts = d.CaseloadFacts(
        people=(person(1, "Anna"),),
        steps=(*(step(i, 1, due=due) for i in range(d.MANY_DUE)),
               step(99, 1, due=due, owner="coach", help_at=NOW, moves=5)),
    )
    digest = d.build_digest(facts, SINCE, NOW, AMS)
    assert [(i.need, i.number) for i in digest.needs[0].items] == [(d.Need.MANY_DUE,
                                                                    d.MANY_DUE)]


names = st.text(alphabet="abcXYZ ", min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(names, st.sampled_from(["active", "paused", "invited", "ended"]),
                          st.booleans(), st.integers(0, 40), st.integers(0, 3),
                          st.integers(0, 2)), max_size=12))
def test_every_participant_at_most_once_per_section(rows: list[tuple]) -> None:
    people, steps = [], []
    for pid, (name, status, reachable, silent, done, helps) in enumerate(rows, start=1):
        people.append(person(pid, name, status, reachable=reachable,
                             last=NOW - timedelta(days=silent), left_at=SINCE))
        steps += [step(pid * 100 + i, pid, "done", done_at=NOW - timedelta(hours=i + 1))
                  for i in range(done)]
        steps += [step(pid * 100 + 50 + i, pid, help_at=NOW) for i in range(helps)]
    digest = d.build_digest(d.CaseloadFacts(tuple(people), tuple(steps)), SINCE, NOW, AMS)
    needs = [line.participant_id for line in digest.needs]
    assert len(needs) == len(set(needs))
    shown = {p.participant_id for p in people if p.status != "ended"}
    assert set(needs) <= shown
    assert digest.caseload == len(shown)
    assert digest.steps_done == sum(r[4] for r in rows if r[1] != "ended")
    assert {f.participant_id for f in digest.farewells} == {
        p.participant_id for p in people if p.status == "ended"}
    assert digest.quiet == (not digest.needs and not digest.farewells
                            and digest.steps_done == 0)


# --- the weekly slot ---------------------------------------------------------------------------


def test_default_slot_is_monday_0830_local() -> None:
    schedule = d.CoachSchedule(AMS)
    slot = d.next_slot(5, schedule, datetime(2026, 12, 3, 12, 0, tzinfo=UTC))  # a Thursday
    assert slot is not None
    local = slot.due_at.astimezone(ZoneInfo(AMS))
    assert (local.date(), local.time()) == (date(2026, 12, 7), time(8, 30))
    assert slot.key == "coach:5:digest:2026-W50"


def test_slot_in_a_week_spanning_the_dst_switch() -> None:
    # Autumn: Sunday 25 October 2026, 03:00 CEST -> 02:00 CET. A Sunday 09:00 digest planned
    # on the Monday before keeps 09:00 on the wall clock (08:00 UTC instead of 07:00).
    schedule = d.CoachSchedule(AMS, digest_weekday=6, digest_time=time(9, 0))
    slot = d.next_slot(1, schedule, datetime(2026, 10, 19, 10, 0, tzinfo=UTC))
    assert slot is not None and slot.due_at == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)
    # Spring: 02:30 on Sunday 29 March 2026 does not exist; it comes out at 03:30 CEST.
    spring = d.CoachSchedule(AMS, digest_weekday=6, digest_time=time(2, 30))
    slot = d.next_slot(1, spring, datetime(2026, 3, 23, 10, 0, tzinfo=UTC))
    assert slot is not None and slot.due_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert slot.due_at.astimezone(ZoneInfo(AMS)).time() == time(3, 30)


def test_taken_or_late_slot_moves_to_next_week() -> None:
    schedule = d.CoachSchedule(AMS)
    this_week = d.week_slot(1, schedule, date(2026, 12, 7))
    assert d.next_slot(1, schedule, NOW) == this_week
    nxt = d.next_slot(1, schedule, NOW, taken=[this_week.key])
    assert nxt is not None and nxt.key == "coach:1:digest:2026-W51"
    # A coach who joins on a Thursday: no Monday digest on Thursday.
    thursday = NOW + timedelta(days=3)
    assert d.next_slot(1, schedule, thursday) == nxt
    assert d.next_slot(1, d.CoachSchedule(AMS, digest_enabled=False), NOW) is None


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31),
                    timezones=st.just(UTC)),
       st.integers(0, 6), st.times(), st.sampled_from([AMS, "America/New_York", "UTC"]))
def test_slot_is_unique_per_iso_week_and_on_the_wall_clock(now: datetime, weekday: int,
                                                           at: time, zone: str) -> None:
    schedule = d.CoachSchedule(zone, digest_weekday=weekday, digest_time=at)
    slot = d.next_slot(3, schedule, now)
    assert slot is not None
    local = slot.due_at.astimezone(ZoneInfo(zone))
    assert local.weekday() == weekday
    year, week, _ = local.date().isocalendar()
    assert slot.key == f"coach:3:digest:{year}-W{week:02d}"
    assert slot.due_at >= now - d.LATE_LIMIT
    assert slot.due_at <= now + timedelta(days=14)
    # The wall clock shows the chosen time, except in a spring gap (then an hour later).
    shown = datetime.combine(local.date(), local.time())
    wanted = datetime.combine(local.date(), at)
    assert shown - wanted in (timedelta(0), timedelta(hours=1))
    # Planning again with that week taken never gives the same key.
    again = d.next_slot(3, schedule, now, taken=[slot.key])
    assert again is not None and again.key != slot.key


# --- pushes inside working hours -----------------------------------------------------------------


def test_push_waits_for_working_hours() -> None:
    schedule = d.CoachSchedule(AMS)
    friday_evening = datetime(2026, 12, 4, 19, 0, tzinfo=UTC)  # 20:00 local
    due = d.push_moment(schedule, friday_evening, timedelta(minutes=3))
    assert due.astimezone(ZoneInfo(AMS)) == datetime(2026, 12, 7, 8, 0, tzinfo=ZoneInfo(AMS))
    tuesday_noon = datetime(2026, 12, 8, 11, 0, tzinfo=UTC)
    assert d.push_moment(schedule, tuesday_noon, timedelta(minutes=3)) == \
        tuesday_noon + timedelta(minutes=3)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31),
                    timezones=st.just(UTC)),
       st.sets(st.integers(0, 6), min_size=1), st.times(), st.times())
def test_push_moment_is_inside_working_hours(now: datetime, days: set[int], start: time,
                                              end: time) -> None:
    schedule = d.CoachSchedule(AMS, work_days=frozenset(days), work_start=start, work_end=end)
    due = d.next_work_moment(schedule, now)
    assert due >= now
    assert due <= now + timedelta(days=8)
    if start < end and due != now:
        assert d.within_work_hours(schedule, due) or \
            due.astimezone(ZoneInfo(AMS)).time() != start  # a start skipped by the DST gap


def test_window_never_reaches_before_the_previous_digest() -> None:
    assert d.digest_window(NOW, None) == (SINCE, NOW)
    previous = NOW - timedelta(days=5)
    assert d.digest_window(NOW, previous) == (previous, NOW)
    assert d.digest_window(NOW, NOW - timedelta(days=9)) == (SINCE, NOW)


def test_work_days_round_trip() -> None:
    assert d.parse_work_days("01234") == frozenset(range(5))
    assert d.format_work_days({4, 0, 9}) == "04"
