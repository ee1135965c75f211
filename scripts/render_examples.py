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
from bot.flows.brug import BrugView, Snapshot, instrument  # noqa: E402
from bot.render.brug import BrugPicture, render_brug  # noqa: E402
from bot.screens import brug as present  # noqa: E402

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


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    i18n.install(i18n.Catalogs.load("nl"))
    for name, (picture, caption) in examples().items():
        data = render_brug(picture)
        (out / name).write_bytes(data)
        (out / name).with_suffix(".caption.txt").write_text(caption + "\n", encoding="utf-8")
        print(f"{out / name}  {len(data) // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
