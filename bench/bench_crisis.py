"""What looking for a crisis phrase costs every typed message (it runs before every other text
handler, for everyone):

    .venv/bin/python bench/bench_crisis.py

Times `bot.core.crisis.mentions_crisis` on ordinary texts of three lengths (no phrase: the
whole text is scanned) and prints microseconds per message (median of 5 runs).
"""

from __future__ import annotations

import statistics
import time

from bot.core.crisis import mentions_crisis

SENTENCE = ("ik heb de brief van de gemeente gelezen en morgen bel ik de schuldhulp over de "
            "afspraak, ça va très bien, thank you for the help with the forms")
WORDS = SENTENCE.split(" ")


def text_of(length: int) -> str:
    out: list[str] = []
    while sum(len(w) + 1 for w in out) < length:
        out.append(WORDS[len(out) % len(WORDS)])
    return " ".join(out)[:length]


def main() -> None:
    for length in (40, 400, 4000):
        text = text_of(length)
        assert not mentions_crisis(text)
        n = 20_000 if length < 4000 else 2_000
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(n):
                mentions_crisis(text)
            runs.append((time.perf_counter() - start) / n * 1e6)
        print(f"{length:>5} characters: {statistics.median(runs):7.1f} µs per message")


if __name__ == "__main__":
    main()
