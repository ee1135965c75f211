"""Spreading a moment's reminders (REMINDER_SPREAD_MINUTES): each participant gets a minute of
their own after the chosen moment, the same every day, never in quiet hours or on another day;
the installation's participants fill the minutes evenly, so a burst at 09:00 drains within the
spread at the measured send rate (docs/outbox.md, "How many participants")."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import reminders as r
from tests.test_core_reminders import days, people

spreads = st.integers(min_value=0, max_value=180).map(lambda m: timedelta(minutes=m))


@settings(max_examples=300, deadline=None)
@given(participant_id=st.integers(min_value=1, max_value=10**7), spread=spreads)
def test_each_participant_has_a_whole_minute_inside_the_spread(participant_id: int,
                                                               spread: timedelta) -> None:
    offset = r.spread_offset(participant_id, spread)
    assert offset.total_seconds() % 60 == 0
    assert timedelta(0) <= offset < max(spread, timedelta(minutes=1))


@settings(max_examples=200, deadline=None)
@given(first=st.integers(min_value=1, max_value=10**6),
       count=st.integers(min_value=1, max_value=60_000),
       minutes=st.integers(min_value=1, max_value=180))
def test_any_run_of_participants_fills_the_minutes_evenly(first: int, count: int,
                                                          minutes: int) -> None:
    """However many participants (ids handed out one after the other), no minute of the spread
    gets more than count / minutes + 4 of them: that is what lets a burst drain in time."""
    spread = timedelta(minutes=minutes)
    per_minute = Counter(r.spread_offset(i, spread) for i in range(first, first + count))
    assert max(per_minute.values()) <= count / minutes + 4


@settings(max_examples=400, deadline=None)
@given(p=people(), day=days, spread=spreads, participant_id=st.integers(1, 10**6))
def test_a_spread_moment_stays_on_its_day_out_of_quiet_hours_and_within_the_spread(
    p: r.Person, day: date, spread: timedelta, participant_id: int
) -> None:
    person = r.Person(**{**p.__dict__, "participant_id": participant_id})
    exact = r.moment_on(day, person, r.ReminderRules())
    spread_out = r.moment_on(day, person, r.ReminderRules(spread=spread))
    assert exact <= spread_out < exact + max(spread, timedelta(minutes=1))
    local = spread_out.astimezone(person.zone)
    assert local.date() == exact.astimezone(person.zone).date()
    if not r.in_quiet_hours(exact.astimezone(person.zone).time(), person.quiet_start,
                            person.quiet_end):
        assert not r.in_quiet_hours(local.time(), person.quiet_start, person.quiet_end)


@settings(max_examples=200, deadline=None)
@given(p=people(), dues=st.lists(days, min_size=1, max_size=12), now_day=days,
       spread=spreads)
def test_all_of_a_persons_reminders_of_a_day_still_come_at_one_moment(
    p: r.Person, dues: list[date], now_day: date, spread: timedelta
) -> None:
    """The minute is the person's own, the same for every step: still one bundle a moment."""
    now = datetime.combine(now_day, time(0, 0), tzinfo=UTC)
    rules = r.ReminderRules(spread=spread)
    plan = r.plan_steps([r.StepFacts(i, due) for i, due in enumerate(dues)], p, rules, now)
    instants: dict[date, set[datetime]] = {}
    for m in plan:
        instants.setdefault(m.due_at.astimezone(p.zone).date(), set()).add(m.due_at)
    assert all(len(v) <= r.DAILY_CAP for v in instants.values())


def test_participants_served_follows_from_the_rate_and_the_spread() -> None:
    assert r.participants_served(28.0, timedelta(0)) == (28 * 60 - 4)  # one minute
    assert r.participants_served(28.0, timedelta(minutes=30)) == (28 * 60 - 4) * 30
    # A moment whose participants all fit: every minute carries at most what the rate sends.
    served = r.participants_served(28.0, timedelta(minutes=30))
    per_minute = Counter(r.spread_offset(i, timedelta(minutes=30)) for i in range(1, served + 1))
    assert max(per_minute.values()) <= 28 * 60


async def test_the_planner_spreads_by_the_installation_setting(
    db: Any, clock: Any, settings: Any, catalogs: Any
) -> None:
    """Through the flow: REMINDER_SPREAD_MINUTES reaches the planner; twelve participants with
    a step due tomorrow get their reminders on minutes of their own, 09:00-09:29."""
    from bot.bootstrap import build_services

    # The same database, built as an installation with REMINDER_SPREAD_MINUTES=30 would be.
    spread = build_services(settings.model_copy(update={"reminder_spread_minutes": 30}),
                            clock=clock, catalogs=catalogs)
    try:
        await _plan_twelve(spread.db, clock)
    finally:
        await spread.db.dispose()


async def _plan_twelve(db: Any, clock: Any) -> None:
    from bot.flows.reminders import _replan_step
    from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant

    world = await seed_coach(db, clock.now())
    today = clock.now().astimezone(r.ZoneInfo("Europe/Amsterdam")).date()
    due_rows = []
    for n in range(12):
        pid = await seed_participant(db, world, clock.now(), name=f"P{n}",
                                     telegram_user_id=8000 + n)
        _, (step_id,) = await seed_goal(db, pid, clock.now(), "Doel",
                                        [StepSpec("Stap", due=today + timedelta(days=2))])
        async with db.uow() as uow:
            await _replan_step(uow, step_id, clock.now())
            await uow.commit()
            rows = await uow.outbox.of_account_with_prefix(
                (await uow.participants.get(pid)).account_id, f"step:{step_id}:remind")
            due_rows += [(pid, row.due_at) for row in rows if row.kind == r.REMIND]
    assert due_rows
    minutes = set()
    for pid, due_at in due_rows:
        local = due_at.astimezone(r.ZoneInfo("Europe/Amsterdam"))
        offset = r.spread_offset(pid, timedelta(minutes=30))
        assert local.time() == (datetime.combine(local.date(), time(9, 0)) + offset).time()
        minutes.add(local.minute)
    assert len(minutes) > 6  # spread, not all at 09:00
