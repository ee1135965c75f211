"""The action list's order and paging, and the acknowledgement choice (pure rules)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.core import acknowledgements
from bot.core.action_list import MAX_ROWS, GoalItem, StepItem, build_pages, page_of_step

D = date(2026, 3, 10)


def step(id_: int, goal: int, due: date | None = None, *, status: str = "open",
         owner: str = "participant", text: str = "stap", position: int = 0) -> StepItem:
    return StepItem(id_, goal, text, due, owner, status, position=position)


def test_nearest_deadline_first_across_goals_and_within_a_goal() -> None:
    goals = [GoalItem(1, "Schulden op een rij", 0), GoalItem(2, "Werk zoeken", 1),
             GoalItem(3, "Geen datum", 2), GoalItem(4, "Alles klaar", 3)]
    steps = [
        step(10, 1, date(2026, 3, 20)), step(11, 1, None), step(12, 1, date(2026, 3, 12)),
        step(20, 2, date(2026, 3, 11)),
        step(30, 3, None),
        step(40, 4, date(2026, 3, 1), status="done"),
    ]
    [page] = build_pages(goals, steps)
    assert [b.goal.id for b in page.blocks] == [2, 1, 3, 4]
    assert [s.id for s in page.blocks[1].steps] == [12, 10, 11]
    assert page.blocks[3].steps == () and page.blocks[3].done_count == 1


def test_done_steps_are_folded_and_listed_in_the_done_view() -> None:
    goals = [GoalItem(1, "Doel")]
    steps = [step(1, 1, status="done"), step(2, 1), step(3, 1, status="done")]
    [page] = build_pages(goals, steps)
    assert [s.id for s in page.step_rows] == [2]
    assert page.blocks[0].done_count == 2
    [done] = build_pages(goals, steps, "done")
    assert [s.id for s in done.step_rows] == [1, 3]


def test_coach_steps_are_shown_but_not_tickable() -> None:
    [page] = build_pages([GoalItem(1, "Doel")], [step(1, 1, owner="coach"), step(2, 1)])
    assert [(s.id, s.tickable) for s in page.step_rows] == [(1, False), (2, True)]


def test_five_goals_and_forty_short_steps_fit_on_one_page() -> None:
    goals = [GoalItem(g, f"Doel {g}") for g in range(1, 6)]
    steps = [step(i, 1 + i % 5, date(2026, 3, 10 + i % 20), text=f"Bel instantie nummer {i}")
             for i in range(1, 41)]
    pages = build_pages(goals, steps)
    assert len(pages) == 1 and len(pages[0].step_rows) == 40


@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 200), st.booleans()),
                max_size=120),
       st.integers(1, 300))
def test_every_open_step_is_on_exactly_one_page_within_the_limits(
    specs: list[tuple[int, int, bool]], goal_len: int
) -> None:
    goals = [GoalItem(g, "g" * goal_len, g) for g in range(1, 7)]
    steps = [step(i + 1, g, None, text="x" * max(1, n), status="done" if d else "open")
             for i, (g, n, d) in enumerate(specs)]
    pages = build_pages(goals, steps)
    shown = [s.id for p in pages for s in p.step_rows]
    assert sorted(shown) == sorted(s.id for s in steps if s.status == "open")
    for page in pages:
        assert len(page.step_rows) <= MAX_ROWS
        text = sum(len(s.text) for s in page.step_rows) + sum(len(b.goal.text)
                                                              for b in page.blocks)
        assert text <= 3300
    for s in steps:
        if s.status == "open":
            assert page_of_step(pages, s.id) is not None


def test_acknowledgement_never_repeats_and_is_warmer_for_big_moments() -> None:
    previous = None
    for seed in range(200):
        line = acknowledgements.choose("step", previous, seed)
        assert line != previous
        previous = line
    assert acknowledgements.occasion_for(challenging=True, goal_completed=False) == "challenging"
    assert acknowledgements.occasion_for(challenging=True, goal_completed=True) == "goal"
    assert acknowledgements.occasion_for(challenging=False, goal_completed=False) == "step"
    # All lines of a pool get used: varied, not one stock phrase.
    used = {acknowledgements.choose("step", None, seed) for seed in range(200)}
    assert used == set(acknowledgements.POOLS["step"])
