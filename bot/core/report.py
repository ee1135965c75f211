"""The cohort report's arithmetic: tables of counts and whole-number percentages. Pure.

The database hands over counts per organisation (bot.storage.repositories.report); this module
adds the "all together" rows, the percentages, the medians and the suppression of small counts
for publication. Nothing here averages Brug steps across pillars (see bot.core.brug).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol, TypeVar

from bot.core.trajectory import END_REASONS

ALL: Final = "all"  # the organisation column of the "all together" row
LEVELS: Final = (1, 2, 3, 4, 5)
# The evaluators' names for the five steps (seed 003, figure 1).
LEVEL_NAMES: Final = {
    "nl": ("zeer ongunstig", "ongunstig", "middelmatig", "gunstig", "zeer gunstig"),
    "en": ("very unfavourable", "unfavourable", "moderate", "favourable", "very favourable"),
}
CHANGES: Final = ("worse", "same", "better")

Cell = str | int | float | None
A = TypeVar("A", bound="_Addable")


class _Addable(Protocol):
    def __add__(self: A, other: A) -> A: ...


def percent(count: int, total: int) -> int:
    """count/total as a whole percentage, rounded half up (0 when total is 0)."""
    if count < 0 or total < 0 or count > total:
        raise ValueError("a count must lie between 0 and its total")
    if total == 0:
        return 0
    return (200 * count + total) // (2 * total)


def median(histogram: Mapping[int, int]) -> float | None:
    """The median of values given as value -> how often; None when there are none."""
    total = sum(histogram.values())
    if total == 0:
        return None
    middle = ((total - 1) // 2, total // 2)  # 0-based positions of the middle value(s)
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        for position in middle:
            if seen <= position < seen + count:
                found.append(value)
        seen += count
    return (found[0] + found[1]) / 2


def mean(total: float, n: int) -> float | None:
    return round(total / n, 1) if n else None


@dataclass(frozen=True)
class Table:
    """One report table: a name (the CSV's file name), column names and rows of cells. Columns
    named in `counts` hold counts (suppressed below the threshold); a column named in `percent_of`
    holds the percentage of that count column, suppressed with it."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    counts: frozenset[str] = frozenset()
    percent_of: Mapping[str, str] = field(default_factory=dict)

    def suppressed(self, below: int | None) -> Table:
        """Counts 1..below-1 become "<below" and so do their percentages (0 stays 0: it reveals
        no person). Totals that would let a reader subtract back are the user's to watch."""
        if not below or below <= 1:
            return self
        index = {name: i for i, name in enumerate(self.columns)}
        rows = []
        for row in self.rows:
            cells = list(row)
            for name in self.counts:
                value = row[index[name]]
                if isinstance(value, int) and 0 < value < below:
                    cells[index[name]] = f"<{below}"
            for pct_name, count_name in self.percent_of.items():
                if isinstance(cells[index[count_name]], str):
                    cells[index[pct_name]] = f"<{below}"
            rows.append(tuple(cells))
        return Table(self.name, self.title, self.columns, tuple(rows), self.counts,
                     self.percent_of)


def _sum_counts(per_org: Mapping[str, Mapping[str, Sequence[int]]], width: int
                ) -> dict[str, list[int]]:
    total: dict[str, list[int]] = {}
    for table in per_org.values():
        for pillar, counts in table.items():
            row = total.setdefault(pillar, [0] * width)
            for i, n in enumerate(counts):
                row[i] += n
    return total


def _with_all(per_org: Mapping[str, Mapping[str, Sequence[int]]], width: int
              ) -> dict[str, Mapping[str, Sequence[int]]]:
    groups: dict[str, Mapping[str, Sequence[int]]] = dict(per_org)
    if len(per_org) > 1:
        groups[ALL] = _sum_counts(per_org, width)
    return groups


def start_position_table(
    per_org: Mapping[str, Mapping[str, Sequence[int]]],
    pillars: Sequence[str],
    labels: Mapping[str, str],
    level_names: Sequence[str],
) -> Table:
    """Per organisation and pillar: how many first measurements had step 1..5 (a pillar left
    empty is not counted: n is per pillar). `per_org[org][pillar]` = five counts."""
    columns = ["organisation", "pillar", "label"]
    columns += [f"level_{lvl}" for lvl in LEVELS] + ["n"]
    columns += [f"level_{lvl}_pct" for lvl in LEVELS]
    rows: list[tuple[Cell, ...]] = []
    for org, table in _with_all(per_org, len(LEVELS)).items():
        for pillar in pillars:
            if pillar not in table:
                continue
            counts = list(table[pillar])
            n = sum(counts)
            rows.append((org, pillar, labels.get(pillar, pillar), *counts, n,
                         *(percent(c, n) for c in counts)))
    return Table(
        "start_position",
        "Start position per pillar (first measurement; levels: " + ", ".join(
            f"{lvl} = {name}" for lvl, name in zip(LEVELS, level_names, strict=True)) + ")",
        tuple(columns), tuple(rows),
        counts=frozenset([*(f"level_{lvl}" for lvl in LEVELS), "n"]),
        percent_of={f"level_{lvl}_pct": f"level_{lvl}" for lvl in LEVELS},
    )


def change_table(
    per_org: Mapping[str, Mapping[str, Sequence[int]]],
    pillars: Sequence[str],
    labels: Mapping[str, str],
) -> Table:
    """Per organisation and pillar: worse / same / better between each participant's first and
    latest measurement, among those who filled in that pillar both times.
    `per_org[org][pillar]` = (worse, same, better)."""
    rows: list[tuple[Cell, ...]] = []
    for org, table in _with_all(per_org, len(CHANGES)).items():
        for pillar in pillars:
            if pillar not in table:
                continue
            worse, same, better = table[pillar]
            n = worse + same + better
            rows.append((org, pillar, labels.get(pillar, pillar), worse, same, better, n,
                         percent(worse, n), percent(same, n), percent(better, n)))
    return Table(
        "brug_change",
        "Change per pillar between the first and the latest measurement",
        ("organisation", "pillar", "label", "worse", "same", "better", "n", "worse_pct",
         "same_pct", "better_pct"),
        tuple(rows),
        counts=frozenset(["worse", "same", "better", "n"]),
        percent_of={"worse_pct": "worse", "same_pct": "same", "better_pct": "better"},
    )


@dataclass(frozen=True)
class GoalFacts:
    """One organisation's goals: total, per pillar key, and confidence (1-10) sums."""

    total: int
    per_pillar: Mapping[str, int]
    first_confidence_sum: int = 0
    first_confidence_n: int = 0
    later_confidence_sum: int = 0
    later_confidence_n: int = 0

    def __add__(self, other: GoalFacts) -> GoalFacts:
        keys = [*self.per_pillar, *(k for k in other.per_pillar if k not in self.per_pillar)]
        return GoalFacts(
            self.total + other.total,
            {k: self.per_pillar.get(k, 0) + other.per_pillar.get(k, 0) for k in keys},
            self.first_confidence_sum + other.first_confidence_sum,
            self.first_confidence_n + other.first_confidence_n,
            self.later_confidence_sum + other.later_confidence_sum,
            self.later_confidence_n + other.later_confidence_n,
        )


def _add_all(per_org: Mapping[str, A]) -> dict[str, A]:
    """The organisations' facts, plus their sum under "all" when there are several."""
    groups = dict(per_org)
    if len(per_org) > 1:
        values = list(per_org.values())
        total = values[0]
        for value in values[1:]:
            total = total + value
        groups[ALL] = total
    return groups


def goals_table(per_org: Mapping[str, GoalFacts], pillars: Sequence[str],
                labels: Mapping[str, str]) -> Table:
    """Goals per pillar as count and % of all goals (a goal for two pillars counts for both,
    so the percentages can add up to more than 100)."""
    rows: list[tuple[Cell, ...]] = []
    for org, facts in _add_all(per_org).items():
        for pillar in pillars:
            if pillar in facts.per_pillar:
                n = facts.per_pillar[pillar]
                rows.append((org, pillar, labels.get(pillar, pillar), n, facts.total,
                             percent(n, facts.total)))
    return Table(
        "goals_per_pillar", "Goals per pillar (% of all goals)",
        ("organisation", "pillar", "label", "goals", "all_goals", "goals_pct"), tuple(rows),
        counts=frozenset(["goals", "all_goals"]), percent_of={"goals_pct": "goals"},
    )


def confidence_table(per_org: Mapping[str, GoalFacts]) -> Table:
    """Mean confidence (1-10) of each participant's first goal and of their later goals."""
    rows: list[tuple[Cell, ...]] = []
    for org, f in _add_all(per_org).items():
        rows.append((org, f.first_confidence_n, mean(f.first_confidence_sum, f.first_confidence_n),
                     f.later_confidence_n, mean(f.later_confidence_sum, f.later_confidence_n)))
    return Table(
        "confidence", "Confidence (1-10) at the first plan and at later plans",
        ("organisation", "first_n", "first_mean", "later_n", "later_mean"), tuple(rows),
        counts=frozenset(["first_n", "later_n"]),
    )


@dataclass(frozen=True)
class StepGroup:
    planned: int = 0
    done: int = 0
    days_to_done: Mapping[int, int] = field(default_factory=dict)  # whole days -> steps

    def __add__(self, other: StepGroup) -> StepGroup:
        days = dict(self.days_to_done)
        for d, n in other.days_to_done.items():
            days[d] = days.get(d, 0) + n
        return StepGroup(self.planned + other.planned, self.done + other.done, days)


@dataclass(frozen=True)
class StepFacts:
    """One organisation's steps: participants with at least one step, and per reward tag."""

    participants: int = 0
    tagged: StepGroup = StepGroup()
    untagged: StepGroup = StepGroup()

    def __add__(self, other: StepFacts) -> StepFacts:
        return StepFacts(self.participants + other.participants, self.tagged + other.tagged,
                         self.untagged + other.untagged)


def steps_table(per_org: Mapping[str, StepFacts]) -> Table:
    """Steps planned and done per participant (mean over participants with at least one step),
    % done, and the median whole days from planning a step to ticking it off; for all steps,
    the reward-tagged ones and the others (the same participants in each row)."""
    rows: list[tuple[Cell, ...]] = []
    for org, f in _add_all(per_org).items():
        for which, group in (("all", f.tagged + f.untagged), ("reward_tagged", f.tagged),
                             ("not_tagged", f.untagged)):
            rows.append((org, which, f.participants, group.planned, group.done,
                         mean(group.planned, f.participants), mean(group.done, f.participants),
                         percent(group.done, group.planned), median(group.days_to_done)))
    return Table(
        "steps", "Steps planned and done",
        ("organisation", "steps", "participants", "planned", "done", "planned_per_participant",
         "done_per_participant", "done_pct", "median_days_to_done"), tuple(rows),
        counts=frozenset(["participants", "planned", "done"]), percent_of={"done_pct": "done"},
    )


@dataclass(frozen=True)
class RetentionFacts:
    """One organisation's participants by state. `ended` maps reason -> count."""

    invited: int = 0
    joined: int = 0
    active: int = 0
    paused: int = 0
    ended: Mapping[str, int] = field(default_factory=dict)
    first_brug: int = 0
    second_brug: int = 0

    def __add__(self, other: RetentionFacts) -> RetentionFacts:
        ended = dict(self.ended)
        for reason, n in other.ended.items():
            ended[reason] = ended.get(reason, 0) + n
        return RetentionFacts(self.invited + other.invited, self.joined + other.joined,
                              self.active + other.active, self.paused + other.paused, ended,
                              self.first_brug + other.first_brug,
                              self.second_brug + other.second_brug)


def retention_table(per_org: Mapping[str, RetentionFacts]) -> Table:
    """Reach and retention, each as count and % of everyone invited (the second Brug as % of
    those with a first one, as seed 003 reports 35 of 112)."""
    rows: list[tuple[Cell, ...]] = []
    for org, f in _add_all(per_org).items():
        ended_total = sum(f.ended.values())
        measures: list[tuple[str, int, int]] = [
            ("invited", f.invited, f.invited), ("joined", f.joined, f.invited),
            ("active", f.active, f.invited), ("paused", f.paused, f.invited),
            ("ended", ended_total, f.invited),
        ]
        measures += [(f"ended_{reason}", f.ended.get(reason, 0), f.invited)
                     for reason in END_REASONS]
        measures += [("first_brug", f.first_brug, f.invited),
                     ("second_brug", f.second_brug, f.first_brug)]
        rows += [(org, name, n, of, percent(n, of)) for name, n, of in measures]
    return Table(
        "retention", "Reach and retention",
        ("organisation", "measure", "n", "of", "pct"), tuple(rows),
        counts=frozenset(["n", "of"]), percent_of={"pct": "n"},
    )


@dataclass(frozen=True)
class RecognitionFacts:
    """One organisation's appreciation cards and reward ledger, as totals."""

    cards: Mapping[str, int] = field(default_factory=dict)  # kind -> count
    participants_with_card: int = 0
    rewards: Mapping[str, int] = field(default_factory=dict)  # status -> count
    earned_cents: int = 0  # earned and handed out

    def __add__(self, other: RecognitionFacts) -> RecognitionFacts:
        return RecognitionFacts(
            _merge(self.cards, other.cards),
            self.participants_with_card + other.participants_with_card,
            _merge(self.rewards, other.rewards), self.earned_cents + other.earned_cents)


def _merge(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    merged = dict(a)
    for key, n in b.items():
        merged[key] = merged.get(key, 0) + n
    return merged


CARD_KINDS: Final = ("goal_achieved", "challenging_step", "coach")
REWARD_STATUSES: Final = ("tagged", "earned", "handed_out", "cancelled")


def recognition_table(per_org: Mapping[str, RecognitionFacts]) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for org, f in _add_all(per_org).items():
        rows.append((org, *(f.cards.get(k, 0) for k in CARD_KINDS), f.participants_with_card,
                     *(f.rewards.get(s, 0) for s in REWARD_STATUSES), f.earned_cents))
    columns = ("organisation", *(f"cards_{k}" for k in CARD_KINDS), "participants_with_card",
               *(f"rewards_{s}" for s in REWARD_STATUSES), "rewards_earned_cents")
    return Table("recognition", "Appreciation cards and rewards", columns, tuple(rows),
                 counts=frozenset(columns[1:-1]))


def ordered_pillars(instrument_orders: Iterable[Sequence[str]]) -> list[str]:
    """Pillar keys of several instruments, each once, in first-seen order."""
    seen: dict[str, None] = {}
    for order in instrument_orders:
        for key in order:
            seen.setdefault(key, None)
    return list(seen)


def cell_text(value: Cell) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def markdown(table: Table) -> str:
    """The table as a Markdown pipe table under its title."""
    header = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    body = ["| " + " | ".join(cell_text(c).replace("|", "/") for c in row) + " |"
            for row in table.rows]
    return "\n".join([f"## {table.title}", "", header, rule, *body, ""])


@dataclass(frozen=True)
class Report:
    tables: tuple[Table, ...]
    labels: dict[str, str]  # pillar key -> label in the report's language
    level_names: tuple[str, ...]

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)
