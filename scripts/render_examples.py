"""Render the example Brug pictures in docs/img/ (Dutch labels, made-up participants).

.venv/bin/python scripts/render_examples.py [output-directory]
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.brug import Instrument, is_mostly_low, load_instrument  # noqa: E402
from bot.render.brug import (  # noqa: E402
    BrugPicture,
    PictureLegend,
    PicturePillar,
    render_brug,
)

LEGEND = PictureLegend(now="Nu", before="Vorige keer", target="Doel", working_on="Hier werk je aan")


def picture(
    instrument: Instrument,
    date_label: str,
    current: Mapping[str, int | None],
    previous: Mapping[str, int | None] | None = None,
    targets: Mapping[str, int] | None = None,
    goals: frozenset[str] = frozenset(),
    subtitle: str = "",
) -> BrugPicture:
    return BrugPicture(
        title="Jouw Brug naar Zelfredzaamheid",
        date_label=date_label,
        subtitle=subtitle,
        legend=LEGEND,
        pillars=tuple(
            PicturePillar(
                label=pillar.label_in("nl"),
                current=current.get(pillar.key),
                previous=(previous or {}).get(pillar.key),
                target=(targets or {}).get(pillar.key),
                has_active_goal=pillar.key in goals,
            )
            for pillar in instrument.pillars
        ),
    )


def examples(instruments_dir: Path) -> dict[str, BrugPicture]:
    alphen = load_instrument("brug-alphen", instruments_dir)
    first = {
        "family_stability": 3,
        "social_network": 4,
        "housing": 4,
        "education": 2,
        "health": 3,
        "debts": 2,
        "savings": 1,
        "income": 2,
    }
    later = {**first, "social_network": 5, "health": 4, "debts": 3, "income": 3}
    low = {
        "family_stability": 2,
        "social_network": 3,
        "housing": 2,
        "education": 1,
        "health": 2,
        "debts": 1,
        "savings": 1,
        "income": 2,
    }
    assert is_mostly_low(low)
    return {
        "brug-first.png": picture(alphen, "Ingevuld op 3 maart 2025", first),
        "brug-improved.png": picture(
            alphen,
            "Ingevuld op 8 september 2025",
            later,
            previous=first,
            targets={"debts": 4, "income": 4, "savings": 2},
            goals=frozenset({"debts", "income"}),
        ),
        "brug-mostly-low.png": picture(
            alphen,
            "Ingevuld op 3 maart 2025",
            low,
            subtitle="Dit is je startpunt. Vanaf hier kun je stap voor stap verder.",
        ),
    }


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    for name, pic in examples(ROOT / "locales" / "instruments").items():
        data = render_brug(pic)
        (out / name).write_bytes(data)
        print(f"{out / name}  {len(data) // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
