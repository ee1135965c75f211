"""How well and how cheaply a crisis is recognised in what people type (issue 21):

    .venv/bin/python bench/bench_crisis.py [--held-out tests/corpora/crisis.jsonl]
                                           [--dev tests/corpora_dev/crisis_dev.jsonl]

Per language, on the development corpus (written while building the phrases) and on the
held-out corpus (written separately, from how people write, never used to build them):
recall on the crisis messages and the share of false alarms on the others. Exits 1 when,
on the held-out corpus, recall is below 97% or false alarms above 3% for nl or en (without
a held-out corpus: on the development corpus, and says so).

Then what it costs every typed message (it runs before every other text handler, for
everyone): `mentions_crisis` on ordinary texts of three lengths (no phrase: the whole text
is read), microseconds per message, median of 5 runs; "new words" as if every word were
typed for the first time, "seen words" with the mended words remembered.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.crisis import mentions_crisis, phrasebook
from tests.support import crisis_corpus
from tests.support.crisis_corpus import GATED, Score

SENTENCE = ("ik heb de brief van de gemeente gelezen en morgen bel ik de schuldhulp over de "
            "afspraak, ça va très bien, thank you for the help with the forms")
WORDS = SENTENCE.split(" ")


def text_of(length: int) -> str:
    out: list[str] = []
    while sum(len(w) + 1 for w in out) < length:
        out.append(WORDS[len(out) % len(WORDS)])
    return " ".join(out)[:length]


def report(name: str, path: Path) -> dict[str, Score]:
    scores = crisis_corpus.score(crisis_corpus.read(path), mentions_crisis)
    print(f"{name}: {path}")
    for lang, s in scores.items():
        print(f"  {lang}: recall {s.recall:6.1%} ({s.found}/{s.crises})   "
              f"false alarms {s.false_alarm_rate:5.1%} ({s.alarms}/{s.others})")
    return scores


def timing() -> None:
    mender = phrasebook().mender
    for length in (40, 400, 4000):
        text = text_of(length)
        assert not mentions_crisis(text)
        n = 5_000 if length < 4000 else 500
        for label, fresh in (("new words", True), ("seen words", False)):
            runs = []
            for _ in range(5):
                start = time.perf_counter()
                for _ in range(n):
                    if fresh:
                        mender.forget()
                    mentions_crisis(text)
                runs.append((time.perf_counter() - start) / n * 1e6)
            print(f"{length:>5} characters, {label:>10}: {statistics.median(runs):7.1f} µs "
                  "per message")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", type=Path, default=crisis_corpus.HELD_OUT)
    parser.add_argument("--dev", type=Path, default=crisis_corpus.DEV)
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    phrasebook()
    print(f"phrases read and compiled in {(time.perf_counter() - start) * 1e3:.0f} ms")
    judged = report("development corpus", args.dev)
    if args.held_out.exists():
        judged = report("held-out corpus", args.held_out)
    else:
        print(f"held-out corpus: {args.held_out} is absent; judging the development corpus")
    if not args.no_timing:
        timing()
    failing = [lang for lang in GATED if lang in judged and not judged[lang].passes()]
    if failing:
        print(f"FAIL: {', '.join(failing)} below {crisis_corpus.MIN_RECALL:.0%} recall or above "
              f"{crisis_corpus.MAX_FALSE_ALARMS:.0%} false alarms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
