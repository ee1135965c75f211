"""The reminder planner: pure rules, time passed in; DST switches and quiet hours over midnight."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import reminders as r

AMS = ZoneInfo("Europe/Amsterdam")
RULES = r.ReminderRules()


def person(**kw: object) -> r.Person:
    return r.Person(**{"participant_id": 7, "timezone": "Europe/Amsterdam", **kw})  # type: ignore[arg-type]


def local(moment: datetime) -> datetime:
    return moment.astimezone(AMS)


def test_day_before_and_on_the_day_at_the_preferred_moment_then_one_check_in() -> None:
    now = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    plan = r.plan_step(r.StepFacts(1, date(2026, 3, 12)), person(moment="afternoon"), RULES, now)
    assert [(p.kind, local(p.due_at).replace(tzinfo=None)) for p in plan] == [
        ("remind", datetime(2026, 3, 11, 14, 0)),
        ("remind", datetime(2026, 3, 12, 14, 0)),
        ("checkin", datetime(2026, 3, 13, 14, 0)),
    ]
    assert all(p.key.startswith("step:1:") for p in plan)
    assert len({p.key for p in plan}) == 3


def test_nothing_for_done_or_dropped_or_undated_steps_or_inactive_people() -> None:
    now = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    due = date(2026, 3, 12)
    assert r.plan_step(r.StepFacts(1, due, is_open=False), person(), RULES, now) == []
    assert r.plan_step(r.StepFacts(1, None), person(), RULES, now) == []
    assert r.plan_step(r.StepFacts(1, due), person(active=False), RULES, now) == []


def test_nothing_while_paused_and_nothing_in_the_past() -> None:
    now = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    plan = r.plan_step(r.StepFacts(1, date(2026, 3, 12)),
                       person(paused_until=date(2026, 3, 12)), RULES, now)
    assert [p.kind for p in plan] == ["checkin"]
    late = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)  # 13:00 local: the morning has passed
    assert [p.kind for p in r.plan_step(r.StepFacts(1, date(2026, 3, 12)), person(), RULES,
                                        late)] == ["checkin"]


def test_organisation_settings_change_moments_and_offsets() -> None:
    rules = r.ReminderRules.from_settings(
        {"reminders": {"moments": {"morning": "10:30"}, "days_before": [2, 0]}})
    now = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    plan = r.plan_step(r.StepFacts(1, date(2026, 3, 12)), person(), rules, now)
    assert [local(p.due_at).replace(tzinfo=None) for p in plan[:2]] == [
        datetime(2026, 3, 10, 10, 30), datetime(2026, 3, 12, 10, 30)]


def test_malformed_organisation_settings_fall_back_to_defaults() -> None:
    rules = r.ReminderRules.from_settings(
        {"reminders": {"moments": {"morning": "soon"}, "days_before": ["x", -3]}})
    assert rules == r.ReminderRules()


def test_quiet_hours_spanning_midnight() -> None:
    assert r.in_quiet_hours(time(23, 0), time(21, 0), time(8, 0))
    assert r.in_quiet_hours(time(3, 0), time(21, 0), time(8, 0))
    assert not r.in_quiet_hours(time(8, 0), time(21, 0), time(8, 0))
    assert r.in_quiet_hours(time(21, 0), time(21, 0), time(8, 0))
    assert not r.in_quiet_hours(time(12, 0), time(12, 0), time(12, 0))
    # A morning person whose quiet hours last until 10:00 hears from us at 10:00, same day.
    plan = r.plan_step(r.StepFacts(1, date(2026, 3, 12)), person(quiet_end=time(10, 0)), RULES,
                       datetime(2026, 3, 1, tzinfo=UTC))
    assert local(plan[0].due_at).replace(tzinfo=None) == datetime(2026, 3, 11, 10, 0)
    # An evening person whose quiet hours start at 18:00 hears from us at 17:30, same day.
    plan = r.plan_step(r.StepFacts(1, date(2026, 3, 12)),
                       person(moment="evening", quiet_start=time(18, 0)), RULES,
                       datetime(2026, 3, 1, tzinfo=UTC))
    assert local(plan[0].due_at).replace(tzinfo=None) == datetime(2026, 3, 11, 17, 30)


def test_across_the_spring_switch_the_wall_clock_time_stays() -> None:
    # Europe/Amsterdam springs forward on Sunday 29 March 2026 (02:00 -> 03:00).
    plan = r.plan_step(r.StepFacts(1, date(2026, 3, 29)), person(), RULES,
                       datetime(2026, 3, 20, tzinfo=UTC))
    assert [p.due_at for p in plan] == [
        datetime(2026, 3, 28, 8, 0, tzinfo=UTC),  # 09:00 CET
        datetime(2026, 3, 29, 7, 0, tzinfo=UTC),  # 09:00 CEST
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
    ]


def test_across_the_autumn_switch_the_wall_clock_time_stays() -> None:
    # ... and falls back on Sunday 25 October 2026 (03:00 -> 02:00).
    plan = r.plan_step(r.StepFacts(1, date(2026, 10, 25)), person(moment="evening"), RULES,
                       datetime(2026, 10, 20, tzinfo=UTC))
    assert [p.due_at for p in plan] == [
        datetime(2026, 10, 24, 17, 0, tzinfo=UTC),  # 19:00 CEST
        datetime(2026, 10, 25, 18, 0, tzinfo=UTC),  # 19:00 CET
        datetime(2026, 10, 26, 18, 0, tzinfo=UTC),
    ]


def test_a_quiet_end_inside_the_skipped_spring_hour_is_still_outside_quiet_hours() -> None:
    p = person(quiet_start=time(22, 0), quiet_end=time(2, 30))
    moment = r.out_of_quiet(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), p)  # 01:30 local, quiet
    assert moment.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert not r.in_quiet_hours(moment.time(), p.quiet_start, p.quiet_end)


def test_an_allowed_moment_skipped_by_the_spring_switch_stays_on_its_day() -> None:
    # Found by hypothesis: awake only 00:00-02:30, so 'morning' becomes 02:00, which does not
    # exist on 29 March; the reminder must not slide to the next day.
    p = person(quiet_start=time(2, 30), quiet_end=time(0, 0))
    plan = r.plan_step(r.StepFacts(1, date(2026, 3, 29)), p, RULES,
                       datetime(2026, 1, 1, tzinfo=UTC))
    for m in plan:
        moment = local(m.due_at)
        assert not r.in_quiet_hours(moment.time(), p.quiet_start, p.quiet_end)
    assert [local(m.due_at).date() for m in plan if m.kind == "remind"] == [
        date(2026, 3, 28), date(2026, 3, 29)]


def test_later_this_evening_tomorrow_next_week() -> None:
    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 local
    p = person()
    assert local(r.later_moment("evening", p, RULES, now)).replace(tzinfo=None) == \
        datetime(2026, 3, 10, 19, 0)
    assert local(r.later_moment("tomorrow", p, RULES, now)).replace(tzinfo=None) == \
        datetime(2026, 3, 11, 9, 0)
    assert local(r.later_moment("week", p, RULES, now)).replace(tzinfo=None) == \
        datetime(2026, 3, 17, 9, 0)
    late = datetime(2026, 3, 10, 19, 45, tzinfo=UTC)  # 20:45 local: an hour on is quiet
    assert local(r.later_moment("evening", p, RULES, late)).replace(tzinfo=None) == \
        datetime(2026, 3, 11, 8, 0)


def test_welcome_back_once_per_silence() -> None:
    last = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert r.plan_welcome_back(person(), last, RULES, last + timedelta(days=13)) is None
    first = r.plan_welcome_back(person(), last, RULES, last + timedelta(days=14))
    again = r.plan_welcome_back(person(), last, RULES, last + timedelta(days=20))
    assert first is not None and again is not None and first.key == again.key
    assert r.plan_welcome_back(person(), None, RULES, last) is None


def test_first_lesson_after_a_week_then_weekly() -> None:
    start = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    first = r.plan_next_lesson(person(), start, None, 0, 12, RULES, start)
    assert first is not None and local(first.due_at).date() == date(2026, 3, 9)
    second = r.plan_next_lesson(person(), start, first.due_at, 1, 12, RULES, first.due_at)
    assert second is not None and local(second.due_at).date() == date(2026, 3, 16)
    assert second.key != first.key
    assert r.plan_next_lesson(person(), start, None, 12, 12, RULES, start) is None


def test_daily_cap_counts_bundles_not_steps() -> None:
    now = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
    p = person()
    morning = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    assert r.nudges_left_today([morning, morning], p, now) == 1
    assert r.nudges_left_today([morning, now], p, now) == 0
    assert r.nudges_left_today([morning - timedelta(days=1)], p, now) == 2


# --- properties ----------------------------------------------------------------------------------

zones = st.sampled_from(["Europe/Amsterdam", "Europe/London", "America/Curacao", "Asia/Tokyo"])
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def people(draw: st.DrawFn) -> r.Person:
    return r.Person(
        participant_id=1,
        timezone=draw(zones),
        moment=draw(st.sampled_from(["morning", "afternoon", "evening"])),
        quiet_start=draw(times),
        quiet_end=draw(times),
        paused_until=draw(st.none() | days),
    )


@settings(max_examples=400, deadline=None)
@given(p=people(), dues=st.lists(days, min_size=1, max_size=20), now_day=days)
def test_planner_properties(p: r.Person, dues: list[date], now_day: date) -> None:
    now = datetime.combine(now_day, time(12, 0), tzinfo=UTC)
    steps = [r.StepFacts(i, due) for i, due in enumerate(dues)]
    plan = r.plan_steps(steps, p, RULES, now)
    keys = [m.key for m in plan]
    assert len(keys) == len(set(keys)), "a dedupe key planned twice"
    # Deterministic: planning again gives the same rows.
    assert plan == r.plan_steps(steps, p, RULES, now)
    per_day: Counter[date] = Counter()
    instants: dict[date, set[datetime]] = {}
    for m in plan:
        assert m.due_at.tzinfo is not None and m.due_at > now
        moment = m.due_at.astimezone(p.zone)
        assert not r.in_quiet_hours(moment.time(), p.quiet_start, p.quiet_end)
        assert not r.is_paused(moment.date(), p)
        instants.setdefault(moment.date(), set()).add(m.due_at)
        per_day[moment.date()] += 1
        step = steps[int(m.key.split(":")[1])]
        assert step.due_date is not None
        if m.kind == r.REMIND:
            assert moment.date() <= step.due_date
        else:
            assert moment.date() == step.due_date + timedelta(days=1)
    # However many steps fall due, one person hears from the planner at most twice a day (and in
    # practice once: every message of a day sits on the same preferred moment and is bundled).
    assert all(len(v) <= r.DAILY_CAP for v in instants.values())


@settings(max_examples=200, deadline=None)
@given(p=people(), due=days, now_day=days)
def test_closed_steps_and_inactive_people_get_nothing(p: r.Person, due: date,
                                                      now_day: date) -> None:
    now = datetime.combine(now_day, time(6, 0), tzinfo=UTC)
    assert r.plan_step(r.StepFacts(1, due, is_open=False), p, RULES, now) == []
    inactive = r.Person(**{**p.__dict__, "active": False})
    assert r.plan_step(r.StepFacts(1, due), inactive, RULES, now) == []


@settings(max_examples=200, deadline=None)
@given(p=people(), moment=st.datetimes(min_value=datetime(2026, 1, 1),
                                        max_value=datetime(2027, 12, 31)))
def test_out_of_quiet_is_never_quiet_and_never_earlier(p: r.Person, moment: datetime) -> None:
    aware = moment.replace(tzinfo=UTC)
    result = r.out_of_quiet(aware, p)
    assert result >= aware
    if p.quiet_start != p.quiet_end:
        assert not r.in_quiet_hours(result.time(), p.quiet_start, p.quiet_end) or \
            result - aware <= timedelta(hours=1)  # only a DST gap can land us inside
