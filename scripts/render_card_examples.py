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


def _automatic_goal_card(name: str, goal: str) -> CardPicture:
    from datetime import UTC, datetime

    from bot import i18n
    from bot.storage.models import CardKind
    from bot.ui.screens.cards import card_texts

    i18n.install(i18n.Catalogs.load("nl"))
    with i18n.using_locale("nl"):
        return card_texts(CardKind.GOAL_ACHIEVED.value, goal, name, None,
                          datetime(2026, 3, 12, 10, tzinfo=UTC), "Europe/Amsterdam")


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
        # An automatic card, in the bot's real Dutch wording.
        "card-long-name.png": _automatic_goal_card(
            "Maria-Magdalena Wilhelmina van den Hoogenband-Schimmelpenninck",
            "Een afspraak maken bij de schuldhulpverlening",
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
