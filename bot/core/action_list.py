"""The participant's action list: which steps to show, in which order, on which page.

Goals in the participant's own words, each with its open steps, nearest deadline first. Done
steps are folded into a count per goal (the "done" view lists them). A page stays inside
Telegram's limits: a text budget well under 4096 characters and at most MAX_ROWS step rows, each
row holding at most two buttons, so with the navigation a page never nears 100 buttons.

Pure: plain values in, plain values out; the rendering (words, dates) is done by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

OPEN = "open"
DONE = "done"
COACH = "coach"

# Each step row has a "done" and a "not now" button: 2 x 40 + navigation stays under 100.
MAX_ROWS = 40
# Rendered text per page; leaves room for the header, the acknowledgement and HTML escaping.
TEXT_BUDGET = 3000
# Estimated characters a step line adds around its own text (bullet, date, "your coach does").
STEP_OVERHEAD = 45
GOAL_OVERHEAD = 30

View = Literal["open", "done"]


@dataclass(frozen=True)
class GoalItem:
    id: int
    text: str
    position: int = 0


@dataclass(frozen=True)
class StepItem:
    id: int
    goal_id: int
    text: str
    due: date | None
    owner: str
    status: str
    challenging: bool = False
    help_asked: bool = False
    position: int = 0

    @property
    def tickable(self) -> bool:
        """The participant ticks their own and shared steps; the coach's are shown, not ticked."""
        return self.status == OPEN and self.owner != COACH


@dataclass(frozen=True)
class GoalBlock:
    goal: GoalItem
    steps: tuple[StepItem, ...]
    done_count: int
    continued: bool = False  # the goal started on an earlier page


@dataclass(frozen=True)
class Page:
    blocks: tuple[GoalBlock, ...]
    number: int
    count: int

    @property
    def step_rows(self) -> list[StepItem]:
        return [step for block in self.blocks for step in block.steps]


@dataclass
class _Builder:
    pages: list[list[GoalBlock]] = field(default_factory=lambda: [[]])
    used: int = 0
    rows: int = 0


def _due_key(step: StepItem) -> tuple[int, date, int, int]:
    # Undated steps after dated ones; then the coach's plan order.
    return (step.due is None, step.due or date.max, step.position, step.id)


def build_pages(goals: list[GoalItem], steps: list[StepItem], view: View = "open"
                ) -> list[Page]:
    """Split the list into pages. Always at least one page (possibly with no blocks)."""
    by_goal: dict[int, list[StepItem]] = {goal.id: [] for goal in goals}
    for step in steps:
        if step.goal_id in by_goal:
            by_goal[step.goal_id].append(step)

    def open_steps(goal: GoalItem) -> list[StepItem]:
        return sorted((s for s in by_goal[goal.id] if s.status == OPEN), key=_due_key)

    def done_steps(goal: GoalItem) -> list[StepItem]:
        return sorted((s for s in by_goal[goal.id] if s.status == DONE),
                      key=lambda s: (s.position, s.id))

    def goal_key(goal: GoalItem) -> tuple[int, date, int, int]:
        dated = [s.due for s in open_steps(goal) if s.due is not None]
        has_open = bool(open_steps(goal))
        # Nearest deadline first; goals with only undated steps next; finished goals last.
        rank = 0 if dated else (1 if has_open else 2)
        return (rank, min(dated) if dated else date.max, goal.position, goal.id)

    builder = _Builder()
    for goal in sorted(goals, key=goal_key):
        shown = open_steps(goal) if view == "open" else done_steps(goal)
        done = sum(1 for s in by_goal[goal.id] if s.status == DONE)
        if view == "done" and not shown:
            continue
        _place(builder, goal, shown, done)
    total = len(builder.pages)
    return [Page(tuple(blocks), number, total) for number, blocks in enumerate(builder.pages)]


def _place(builder: _Builder, goal: GoalItem, steps: list[StepItem], done: int) -> None:
    header = len(goal.text) + GOAL_OVERHEAD
    chunk: list[StepItem] = []
    continued = False
    if builder.used + header > TEXT_BUDGET and builder.pages[-1]:
        _new_page(builder)
    builder.used += header
    for step in steps:
        cost = len(step.text) + STEP_OVERHEAD
        if (builder.used + cost > TEXT_BUDGET or builder.rows + 1 > MAX_ROWS) and (
            chunk or builder.pages[-1]
        ):
            builder.pages[-1].append(GoalBlock(goal, tuple(chunk), done, continued))
            _new_page(builder)
            builder.used += header
            chunk, continued = [], True
        chunk.append(step)
        builder.used += cost
        builder.rows += 1
    builder.pages[-1].append(GoalBlock(goal, tuple(chunk), done, continued))


def _new_page(builder: _Builder) -> None:
    builder.pages.append([])
    builder.used = 0
    builder.rows = 0


def clamp_page(page: int, count: int) -> int:
    return max(0, min(page, count - 1))


def page_of_step(pages: list[Page], step_id: int) -> int | None:
    for page in pages:
        if any(step.id == step_id for step in page.step_rows):
            return page.number
    return None
