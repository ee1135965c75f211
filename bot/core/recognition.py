"""Cards and rewards per participant, for the evaluation data (pseudonyms only, no names)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, fields

CARD_KINDS = ("goal_achieved", "challenging_step", "coach")


@dataclass(frozen=True)
class RecognitionCounts:
    pseudonym: str
    cards_goal_achieved: int = 0
    cards_challenging_step: int = 0
    cards_coach: int = 0
    rewards_tagged: int = 0  # linked to a step, not yet earned
    rewards_earned: int = 0  # earned, including those handed out
    rewards_handed_out: int = 0
    rewards_cancelled: int = 0
    rewards_earned_cents: int = 0

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def row(self) -> tuple[str | int, ...]:
        return astuple(self)


def recognition_counts(
    pseudonyms: Mapping[int, str],
    card_counts: Iterable[tuple[int, str, int]],
    reward_counts: Iterable[tuple[int, str, int, int]],
) -> list[RecognitionCounts]:
    """One row per participant in `pseudonyms` (zeros included, so a participant without cards
    is counted too), sorted by pseudonym. Counts of unknown participants are ignored."""
    values: dict[int, dict[str, int]] = {pid: {} for pid in pseudonyms}
    for pid, kind, n in card_counts:
        if pid in values and kind in CARD_KINDS:
            key = f"cards_{kind}"
            values[pid][key] = values[pid].get(key, 0) + n
    for pid, status, n, cents in reward_counts:
        if pid not in values:
            continue
        row = values[pid]
        if status in ("earned", "handed_out"):
            row["rewards_earned"] = row.get("rewards_earned", 0) + n
            row["rewards_earned_cents"] = row.get("rewards_earned_cents", 0) + cents
        if status in ("tagged", "handed_out", "cancelled"):
            key = f"rewards_{status}"
            row[key] = row.get(key, 0) + n
    return sorted(
        (RecognitionCounts(pseudonyms[pid], **row) for pid, row in values.items()),
        key=lambda counts: counts.pseudonym,
    )
