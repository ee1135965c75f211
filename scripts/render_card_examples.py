"""Render the example appreciation cards in docs/img/ (Dutch, made-up participants).

.venv/bin/python scripts/render_card_examples.py [output-directory]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.render.card import CardPicture, render_card  # noqa: E402

LONGEST = (
    "Fatima, wat heb jij de afgelopen weken hard gewerkt. Je hebt alle brieven van de "
    "schuldeisers opgezocht, gesorteerd en samen met mij doorgenomen. Dat was niet makkelijk, "
    "en toch ben je elke keer gekomen. Ik zag je steeds rustiger worden. Ik ben trots op je "
    "en ik kijk uit naar onze volgende afspraak!"
)
assert len(LONGEST) == 300, len(LONGEST)


def examples() -> dict[str, CardPicture]:
    return {
        "card-short.png": CardPicture(
            heading="Voor Fatima",
            message="Goed gedaan!",
            signature="Sanne, je coach",
            footer="12 maart 2026",
        ),
        "card-longest.png": CardPicture(
            heading="Voor Fatima",
            message=LONGEST,
            signature="Sanne, je coach",
            footer="12 maart 2026",
        ),
        "card-long-name.png": CardPicture(
            heading="Voor Maria-Magdalena Wilhelmina van den Hoogenband-Schimmelpenninck",
            message="Je hebt je doel bereikt: Een afspraak bij de schuldhulpverlening maken. "
            "Dat is een grote stap.",
            footer="12 maart 2026",
        ),
        "card-emoji.png": CardPicture(
            heading="Voor Fatima 🌷",
            message="Je hebt de DigiD aangevraagd 🎉🎉 Wat knap van je! 💪🏽 "
            "Dat was een lastige stap.",
            signature="Sanne 😊, je coach",
            footer="12 maart 2026",
        ),
    }


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    for name, pic in examples().items():
        data = render_card(pic)
        (out / name).write_bytes(data)
        print(f"{out / name}  {len(data) // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
