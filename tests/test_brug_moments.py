"""Pure Brug rules: which measurement is due, which moment a new one gets, where the questions
go next; the Brug's button data; the picture cache."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.brug_moments import (
    DueMeasurement,
    add_months,
    due_measurement,
    moment_for_new,
    next_question,
    next_target_question,
    previous_target_question,
    target_choices,
)
from bot.render.picture_cache import PictureCache
from bot.ui.buttons.base import BadCallback
from bot.ui.buttons.brug import BrugCoach, BrugFill, BrugMine

INTAKE = date(2026, 3, 10)
JOINED = date(2026, 3, 1)


def test_add_months_clamps_to_the_end_of_a_short_month() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(INTAKE, 12) == date(2027, 3, 10)


def test_intake_is_due_until_there_is_a_measurement() -> None:
    assert due_measurement(None, set(), date(2026, 5, 1), joined_on=JOINED) == DueMeasurement(
        "intake", JOINED)
    assert due_measurement(None, set(), JOINED, joined_on=JOINED).overdue_days(
        date(2026, 3, 11)) == 10


@pytest.mark.parametrize(
    ("today", "taken", "expected"),
    [
        (date(2026, 8, 25), {"intake"}, None),  # 5.5 months: not yet
        (date(2026, 8, 27), {"intake"}, "six_months"),  # two weeks before the half year
        (date(2026, 9, 10), {"intake"}, "six_months"),
        (date(2026, 12, 1), {"intake"}, "six_months"),  # missed: still due
        (date(2026, 9, 10), {"intake", "extra"}, "six_months"),  # an extra one is not it
        (date(2026, 9, 10), {"intake", "six_months"}, None),
        (date(2027, 2, 23), {"intake", "six_months"}, None),
        (date(2027, 2, 24), {"intake", "six_months"}, "twelve_months"),
        (date(2027, 3, 10), {"intake"}, "twelve_months"),  # six missed: twelve replaces it
        (date(2027, 6, 1), {"intake", "six_months", "twelve_months"}, None),
        (date(2026, 9, 10), {"intake", "end"}, None),  # ended early: nothing more
    ],
)
def test_due_measurement(today: date, taken: set[str], expected: str | None) -> None:
    due = due_measurement(INTAKE, taken, today, joined_on=JOINED)
    assert (due.moment if due else None) == expected


def test_a_new_measurement_is_the_due_one_else_extra() -> None:
    assert moment_for_new(None, set(), INTAKE, joined_on=JOINED) == "intake"
    assert moment_for_new(INTAKE, {"intake"}, date(2026, 4, 1), joined_on=JOINED) == "extra"
    assert moment_for_new(INTAKE, {"intake"}, date(2026, 9, 1), joined_on=JOINED) == "six_months"


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
       st.integers(min_value=0, max_value=800))
def test_due_moment_only_moves_forward_in_time(first: date, days: int) -> None:
    order = ["six_months", "twelve_months"]
    earlier = due_measurement(first, {"intake"}, first, joined_on=first)
    later = due_measurement(first, {"intake"}, date.fromordinal(first.toordinal() + days),
                            joined_on=first)
    assert earlier is None
    if later is not None:
        assert later.moment in order
        assert later.due_on in (add_months(first, 6), add_months(first, 12))


def test_next_question_goes_forward_then_wraps_to_what_was_left_open() -> None:
    assert next_question(8, set()) == 0
    assert next_question(8, {0, 1}, after=1) == 2
    assert next_question(8, {0, 1, 2, 3, 4, 5, 6, 7}, after=7) is None
    # Went back to pillar 1 and answered it again: on to the first open pillar after it.
    assert next_question(8, {0, 1, 2, 3}, after=1) == 4
    # Everything after is answered, something before is open (resume after a restart).
    assert next_question(4, {1, 2, 3}, after=3) == 0


@given(st.integers(min_value=1, max_value=12), st.data())
def test_next_question_is_unanswered_or_none(count: int, data: st.DataObject) -> None:
    answered = data.draw(st.sets(st.integers(min_value=0, max_value=count - 1)))
    after = data.draw(st.integers(min_value=-1, max_value=count - 1))
    found = next_question(count, answered, after)
    if found is None:
        assert answered == set(range(count))
    else:
        assert found not in answered and 0 <= found < count


def test_targets_are_the_current_step_or_higher_and_skip_top_and_skipped_pillars() -> None:
    assert target_choices(None) == ()
    assert target_choices(3) == (3, 4, 5)
    levels = [5, None, 2, 5, 4]
    assert next_target_question(levels) == 2
    assert next_target_question(levels, after=2) == 4
    assert next_target_question(levels, after=4) is None
    assert previous_target_question(levels, 4) == 2
    assert previous_target_question(levels, 2) is None


# --- button data -----------------------------------------------------------------------------


def test_brug_button_data_round_trips_within_64_bytes() -> None:
    for data in (
        BrugFill(k="a", m=2_147_483_647, i=11, v=5),
        BrugMine(a="compare"),
        BrugMine(a="open", m=2_147_483_647),
        BrugCoach(a="together", p=2_147_483_647, m=2_147_483_647),
    ):
        packed = data.pack()
        assert len(packed.encode()) <= 64
        assert type(data).unpack(packed) == data
    assert BrugCoach(a="latest", p=42).pack() == "brc:latest:42:"


@pytest.mark.parametrize(
    ("cls", "forged"),
    [
        (BrugFill, "brf:a:1:0:6"),  # step 6 does not exist
        (BrugFill, "brf:a:0:0:1"),  # measurement id 0
        (BrugFill, "brf:x:1:0:1"),
        (BrugFill, "brf:a:1:-1:1"),
        (BrugMine, "brm:delete:"),
        (BrugMine, "brm:open:abc"),
        (BrugCoach, "brc:latest::"),  # no participant
        (BrugCoach, "brc:latest:-4:"),
        (BrugCoach, "brc:latest:1:2:3"),
        (BrugCoach, "brm:latest:1:"),
    ],
)
def test_forged_brug_button_data_is_refused(cls: type, forged: str) -> None:
    with pytest.raises(BadCallback):
        cls.unpack(forged)


def test_brug_prefixes_do_not_route_each_others_data() -> None:
    assert not BrugFill.pattern().match(BrugMine(a="list").pack())
    assert not BrugMine.pattern().match(BrugCoach(a="list", p=1).pack())
    assert BrugCoach.pattern().match(BrugCoach(a="list", p=1).pack())


# --- the picture cache -----------------------------------------------------------------------


async def test_picture_cache_draws_once_per_key_and_stays_bounded() -> None:
    cache = PictureCache(max_file_ids=2, max_pngs=2)
    drawn: list[str] = []

    def draw(name: str) -> bytes:
        drawn.append(name)
        return name.encode()

    assert await cache.png("a", lambda: draw("a")) == b"a"
    assert await cache.png("a", lambda: draw("a")) == b"a"
    assert drawn == ["a"] and cache.renders == 1
    await cache.png("b", lambda: draw("b"))
    await cache.png("a", lambda: draw("a"))  # "a" is now the most recent
    await cache.png("c", lambda: draw("c"))  # pushes out "b", the least recent
    await cache.png("a", lambda: draw("a"))
    await cache.png("b", lambda: draw("b"))
    assert drawn == ["a", "b", "c", "b"]
    assert cache.sizes[1] == 2

    for key in ("x", "y", "z"):
        cache.remember(key, f"file-{key}")
    assert cache.file_id("x") is None and cache.file_id("z") == "file-z"
    cache.forget("z")
    assert cache.file_id("z") is None
    with pytest.raises(ValueError):
        PictureCache(max_file_ids=0)


def test_a_half_done_measurement_is_resumed_for_30_days() -> None:
    from datetime import UTC, datetime, timedelta

    from bot.core.brug_moments import can_resume

    started = datetime(2026, 3, 10, 9, tzinfo=UTC)
    assert can_resume(started, started + timedelta(days=30))
    assert not can_resume(started, started + timedelta(days=30, seconds=1))
