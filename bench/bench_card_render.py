"""How long one appreciation card takes to render, and how large the PNG is.

    .venv/bin/python bench/bench_card_render.py [-n 30]

Cards are rendered again each time they are shown (same content, same bytes), so rendering must
stay cheap: target p95 <= 400 ms and <= 300 KB per card. The first (cold) render, which loads the
fonts and the character map, is reported separately. Prints figures only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.render.card import CardPicture, render_card

LONGEST = (
    "Fatima, wat heb jij de afgelopen weken hard gewerkt. Je hebt alle brieven van de "
    "schuldeisers opgezocht, gesorteerd en samen met mij doorgenomen. Dat was niet makkelijk, "
    "en toch ben je elke keer gekomen. Ik zag je steeds rustiger worden. Ik ben trots op je "
    "en ik kijk uit naar onze volgende afspraak!"
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=30)
    args = parser.parse_args()
    cases = {
        "short": CardPicture("Voor Fatima", "Goed gedaan!", "Sanne, je coach", "12 maart 2026"),
        "longest (300)": CardPicture("Voor Fatima", LONGEST, "Sanne, je coach", "12 maart 2026"),
    }
    start = time.perf_counter()
    render_card(cases["short"])
    print(f"cold first render: {(time.perf_counter() - start) * 1000:.0f} ms")
    for name, picture in cases.items():
        times = []
        for i in range(args.n):
            # A different footer each time, so nothing can be cached between runs.
            varied = CardPicture(picture.heading, picture.message, picture.signature, f"dag {i}")
            start = time.perf_counter()
            data = render_card(varied)
            times.append((time.perf_counter() - start) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name:>14}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
              f"{len(data) // 1024} KB  (n={args.n})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
