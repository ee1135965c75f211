"""Render the example Brug pictures in docs/img/ (Dutch, made-up participants), through the same
presenter the bot uses, so the examples show exactly what a participant receives.

.venv/bin/python scripts/render_examples.py [output-directory]
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import i18n  # noqa: E402
from bot.core.brug import is_mostly_low  # noqa: E402
from bot.flows.brug import BrugView, Snapshot, Timeline, instrument  # noqa: E402
from bot.render.brug import BrugPicture, render_brug  # noqa: E402
from bot.render.brug_timeline import render_timeline  # noqa: E402
from bot.ui.screens import brug as present  # noqa: E402

TZ = "Europe/Amsterdam"
INTAKE = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
LATER = datetime(2025, 9, 8, 10, 0, tzinfo=UTC)


def view(levels: dict[str, int | None], *, previous: dict[str, int | None] | None = None,
         targets: dict[str, int | None] | None = None, goals: frozenset[str] = frozenset()
         ) -> BrugView:
    before = Snapshot(1, "intake", "participant", INTAKE, previous, {}) if previous else None
    current = Snapshot(2 if previous else 1, "six_months" if previous else "intake",
                       "participant", LATER if previous else INTAKE, levels, targets or {})
    return BrugView(
        participant_id=1, participant_name="Fatima", instrument=instrument("brug-alphen"),
        mode="latest", current=current, previous=before, goal_pillars=goals,
        count=2 if previous else 1, by_coach=False,
    )


def examples() -> dict[str, tuple[BrugPicture, str]]:
    first = {
        "family_stability": 3, "social_network": 4, "housing": 4, "education": 2,
        "health": 3, "debts": 2, "savings": 1, "income": 2,
    }
    later = {**first, "social_network": 5, "health": 4, "debts": 3, "income": 3}
    low = {
        "family_stability": 2, "social_network": 3, "housing": 2, "education": 1,
        "health": 2, "debts": 1, "savings": 1, "income": 2,
    }
    assert is_mostly_low(low)
    views = {
        "brug-first.png": view(first),
        "brug-improved.png": view(
            later, previous=first, targets={"debts": 4, "income": 4, "savings": 2},
            goals=frozenset({"debts", "income"}),
        ),
        "brug-mostly-low.png": view(low),
    }
    return {name: (present.picture(v, TZ), present.caption(v, TZ)) for name, v in views.items()}


def over_time() -> Timeline:
    """Three times in a year: start, after six months, after twelve; health skipped once."""
    times = [
        {"family_stability": 3, "social_network": 4, "housing": 4, "education": 2,
         "health": 3, "debts": 2, "savings": 1, "income": 2},
        {"family_stability": 3, "social_network": 5, "housing": 4, "education": 2,
         "health": None, "debts": 3, "savings": 1, "income": 3},
        {"family_stability": 4, "social_network": 5, "housing": 4, "education": 3,
         "health": 4, "debts": 3, "savings": 2, "income": 3},
    ]
    moments = ("intake", "six_months", "twelve_months")
    days = (datetime(2025, 3, 3, 10, tzinfo=UTC), datetime(2025, 9, 3, 10, tzinfo=UTC),
            datetime(2026, 3, 3, 10, tzinfo=UTC))
    items = tuple(Snapshot(i + 1, moments[i], "participant", days[i], levels,
                           {"debts": 4, "income": 4} if i == 2 else {})
                  for i, levels in enumerate(times))
    return Timeline(1, "Fatima", instrument("brug-alphen"), items, False)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    i18n.install(i18n.Catalogs.load("nl"))
    drawn = {name: (render_brug(picture), caption)
             for name, (picture, caption) in examples().items()}
    timeline = over_time()
    drawn["brug-over-time.png"] = (render_timeline(present.timeline_picture(timeline, TZ)),
                                   present.timeline_caption(timeline, TZ))
    for name, (data, caption) in drawn.items():
        (out / name).write_bytes(data)
        (out / name).with_suffix(".caption.txt").write_text(caption + "\n", encoding="utf-8")
        print(f"{out / name}  {len(data) // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
