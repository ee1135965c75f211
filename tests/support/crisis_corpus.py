"""The crisis corpora and the figures the bench and the tests report on them: per language,
recall on the crisis phrases and the share of false alarms on the others.

JSON lines with text, lang and whether it is a crisis: "crisis" in the development corpus,
"expected" in the held-out one (tests/corpora/README.md)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
DEV = ROOT / "tests/corpora_dev/crisis_dev.jsonl"
HELD_OUT = ROOT / "tests/corpora/crisis.jsonl"
MIN_RECALL = 0.97
MAX_FALSE_ALARMS = 0.03
GATED = ("nl", "en")  # the languages the bot speaks: held to the figures above


def read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for row in rows:
        row.setdefault("crisis", row.get("expected"))
        if not isinstance(row["crisis"], bool):
            raise ValueError(f"{path}: no crisis/expected in {row!r}")
    return rows


@dataclass
class Score:
    crises: int = 0
    found: int = 0
    others: int = 0
    alarms: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.crises if self.crises else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.alarms / self.others if self.others else 0.0

    def passes(self) -> bool:
        return self.recall >= MIN_RECALL and self.false_alarm_rate <= MAX_FALSE_ALARMS


def score(rows: Iterable[dict[str, Any]], recognise: Callable[[str], bool]) -> dict[str, Score]:
    """Per language (in the order met)."""
    out: dict[str, Score] = {}
    for row in rows:
        s = out.setdefault(row["lang"], Score())
        said = recognise(row["text"])
        if row["crisis"]:
            s.crises += 1
            s.found += said
            if not said:
                s.missed.append(row["text"])
        else:
            s.others += 1
            s.alarms += said
            if said:
                s.false_alarms.append(row["text"])
    return out
