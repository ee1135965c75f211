"""The reward rules: once per kind, never over the annual budget, the year boundary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.rewards import (
    Line,
    Refusal,
    RewardList,
    RewardListError,
    RewardSettings,
    Status,
    check_earn,
    check_tag,
    committed,
    earned_total,
    load_reward_list,
)

ROOT = Path(__file__).resolve().parent.parent
KINDS = [f"k{i}" for i in range(8)]

attempts = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.integers(min_value=1, max_value=30_000),
        st.dates(min_value=date(2025, 11, 1), max_value=date(2027, 2, 1)),
        st.sampled_from(["tag", "earn", "cancel"]),
    ),
    max_size=40,
)


def _apply(steps, budget: int) -> list[Line]:
    """Replay tag/earn/cancel attempts through the rules, as the use cases do."""
    lines: list[Line] = []
    for n, (kind, amount, day, action) in enumerate(steps):
        if action == "tag":
            decision = check_tag(lines, kind, amount, day, budget)
            if decision.allowed:
                # A cancelled row of this kind is reused (one row per kind in the table).
                lines = [line for line in lines if line.kind != kind]
                lines.append(Line(kind, amount, decision.budget_year or 0, Status.TAGGED, n + 1))
        else:
            open_ = [line for line in lines if line.kind == kind and line.status == Status.TAGGED]
            if not open_:
                continue
            entry = open_[0]
            if action == "cancel":
                new = Line(entry.kind, entry.amount_cents, entry.budget_year, Status.CANCELLED,
                           entry.entry_id)
            else:
                decision = check_earn(lines, entry, day, budget)
                if not decision.allowed:
                    continue
                new = Line(entry.kind, entry.amount_cents, decision.budget_year or 0,
                           Status.EARNED, entry.entry_id)
            lines = [new if line is entry else line for line in lines]
    return lines


@given(attempts, st.integers(min_value=1, max_value=60_000))
def test_never_over_budget_in_any_year_and_never_twice_per_kind(steps, budget) -> None:
    lines = _apply(steps, budget)
    for year in {line.budget_year for line in lines}:
        assert committed(lines, year) <= budget
        assert earned_total(lines, year) <= budget
    live = [line.kind for line in lines if line.status != Status.CANCELLED]
    assert len(live) == len(set(live))


@given(st.integers(min_value=1, max_value=50_000), st.integers(min_value=0, max_value=50_000))
def test_a_tag_is_refused_exactly_when_it_would_exceed_the_budget(amount, used) -> None:
    lines = [Line("other", used, 2026, Status.EARNED)] if used else []
    decision = check_tag(lines, "new", amount, date(2026, 6, 1), 50_000)
    assert decision.allowed == (used + amount <= 50_000)
    if not decision.allowed:
        assert decision.refusal == Refusal.OVER_BUDGET
        assert decision.remaining_cents == 50_000 - used


def test_a_kind_is_paid_once_and_a_cancelled_tag_frees_it() -> None:
    earned = [Line("digid", 1500, 2026, Status.EARNED)]
    assert check_tag(earned, "digid", 1500, date(2026, 3, 1), 50_000).refusal == (
        Refusal.KIND_USED)
    # Once per kind ever, not per year.
    assert check_tag(earned, "digid", 1500, date(2027, 3, 1), 50_000).refusal == (
        Refusal.KIND_USED)
    cancelled = [Line("digid", 1500, 2026, Status.CANCELLED)]
    assert check_tag(cancelled, "digid", 1500, date(2026, 3, 1), 50_000).allowed


def test_year_boundary_last_year_does_not_count_and_late_confirmation_moves_year() -> None:
    full_2026 = [Line("a", 45_000, 2026, Status.HANDED_OUT, 1)]
    assert not check_tag(full_2026, "b", 10_000, date(2026, 12, 31), 50_000).allowed
    assert check_tag(full_2026, "b", 10_000, date(2027, 1, 1), 50_000).allowed
    # Tagged in December 2026, confirmed in January 2027: counted in 2027's budget.
    tagged = Line("b", 10_000, 2026, Status.TAGGED, 2)
    decision = check_earn([*full_2026, tagged], tagged, date(2027, 1, 2), 50_000)
    assert decision.allowed and decision.budget_year == 2027
    # ...and refused when 2027 has no room left.
    full_2027 = Line("c", 45_000, 2027, Status.EARNED, 3)
    decision = check_earn([*full_2026, tagged, full_2027], tagged, date(2027, 1, 2), 50_000)
    assert decision.refusal == Refusal.OVER_BUDGET


def test_only_a_tagged_reward_can_be_confirmed() -> None:
    line = Line("a", 100, 2026, Status.EARNED, 1)
    assert check_earn([line], line, date(2026, 5, 5), 50_000).refusal == Refusal.NOT_TAGGED


def test_shipped_list_is_valid_and_bilingual() -> None:
    rewards = load_reward_list("default", ROOT / "locales" / "rewards")
    assert rewards.annual_budget_cents == 50_000
    assert {kind.tier for kind in rewards.kinds} == {1, 2, 3}
    for kind in rewards.kinds:
        assert kind.name_in("nl") and kind.name_in("en")


@pytest.mark.parametrize("raw", [
    {"kinds": []},
    {"kinds": [{"key": "a", "tier": 1, "amount_cents": 100, "name": {"nl": "A"}}]},
    {"kinds": [{"key": "a", "tier": 4, "amount_cents": 100, "name": {"nl": "A", "en": "A"}}]},
    {"kinds": [{"key": "A:b", "tier": 1, "amount_cents": 100, "name": {"nl": "A", "en": "A"}}]},
    {"annual_budget_cents": 50, "kinds": [
        {"key": "a", "tier": 1, "amount_cents": 100, "name": {"nl": "A", "en": "A"}}]},
    {"kinds": [{"key": "a", "tier": 1, "amount_cents": 100, "name": {"nl": "A", "en": "A"}}] * 2},
])
def test_invalid_lists_are_refused(raw) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        RewardList.model_validate(raw)


def test_unknown_list_name_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RewardListError, match="no such reward list"):
        load_reward_list("nope", tmp_path)
    with pytest.raises(RewardListError):
        load_reward_list("../etc", tmp_path)


@pytest.mark.parametrize(("settings", "enabled", "budget"), [
    (None, False, 50_000),
    ({}, False, 50_000),
    ({"rewards": {"enabled": True}}, True, 50_000),
    ({"rewards": {"enabled": "yes"}}, False, 50_000),
    ({"rewards": {"enabled": True, "annual_budget_cents": 20_000}}, True, 20_000),
    ({"rewards": "on"}, False, 50_000),
])
def test_off_unless_switched_on_explicitly(settings, enabled, budget) -> None:
    parsed = RewardSettings.from_org(settings)
    rewards = load_reward_list("default", ROOT / "locales" / "rewards")
    assert parsed.enabled is enabled
    assert parsed.budget(rewards) == budget
