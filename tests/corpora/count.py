"""Load the held-out corpora and print their counts.

    python -m tests.corpora.count

The corpora are data, not code: see README.md beside this file for how they were written.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CRISIS = HERE / "crisis.jsonl"
DATES = HERE / "dates.jsonl"

POSITIVE_KINDS = ("suicide", "self_harm", "despair", "violence")
NEGATIVE_KINDS = ("idiom", "everyday")


def load(path: Path) -> list[dict[str, Any]]:
    """One dict per non-empty line; a broken line raises with its line number."""
    entries = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name}:{number}: {exc}") from exc
    return entries


def crisis_counts(entries: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    """Per language: total, positive, negative and one count per kind."""
    out: dict[str, Counter[str]] = {}
    for e in entries:
        c = out.setdefault(e["lang"], Counter())
        c["total"] += 1
        c["positive" if e["expected"] else "negative"] += 1
        c[e["kind"]] += 1
    return out


def dates_counts(entries: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    """Per language: total, dates, times, refusals (expected null), ambiguous, other bases."""
    out: dict[str, Counter[str]] = {}
    for e in entries:
        c = out.setdefault(e["lang"], Counter())
        c["total"] += 1
        expected = e["expected"]
        if expected is None:
            c["null"] += 1
        else:
            c["date"] += 1
            if "time" in expected:
                c["time"] += 1
        if e["ambiguous"]:
            c["ambiguous"] += 1
        if not e["base"].startswith("2026-03-10T09:00"):
            c["other_base"] += 1
        c["ctx:" + e["context"]] += 1
    return out


def _sources(entries: list[dict[str, Any]]) -> str:
    counts = Counter(e["source"] for e in entries)
    return ", ".join(f"{source} {n}" for source, n in counts.most_common())


def main() -> None:
    crisis = load(CRISIS)
    print(f"crisis.jsonl: {len(crisis)} phrases")
    cols = ("total", "positive", "negative", *POSITIVE_KINDS, *NEGATIVE_KINDS)
    print("  lang " + " ".join(f"{c:>9}" for c in cols))
    for lang, c in crisis_counts(crisis).items():
        print(f"  {lang:4} " + " ".join(f"{c[k]:>9}" for k in cols))
    print("  sources: " + _sources(crisis))

    dates = load(DATES)
    print(f"dates.jsonl: {len(dates)} phrases")
    cols = ("total", "date", "time", "null", "ambiguous", "other_base",
            "ctx:deadline", "ctx:meeting", "ctx:wish")
    print("  lang " + " ".join(f"{c:>12}" for c in cols))
    for lang, c in dates_counts(dates).items():
        print(f"  {lang:4} " + " ".join(f"{c[k]:>12}" for k in cols))
    print("  sources: " + _sources(dates))


if __name__ == "__main__":
    main()
