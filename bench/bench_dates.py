"""How many typed dates and times the bot understands (issue 21):

    .venv/bin/python bench/bench_dates.py [--held-out PATH] [--misses]

Reads the development corpus (tests/corpora_dev/dates_dev.jsonl, written by hand while the
parser was built) and the held-out corpus (tests/corpora/*date*.jsonl, written separately,
without the parser's rules at hand), and prints for each the share understood: dates (the
day right), times (day and time right), refusals (phrases naming no single date refused, or
said back as ambiguous; strict: refused), per language and per form (the held-out corpus's
source). Readers: "bot" is bot.core.when.understand (a date inside a sentence is read and
said back); "bot whole" the same with whole_text, as parse_date and parse_when read while
the flows cannot say a date back; "dateparser" alone; "bot+dp" the bot with dateparser for
what it refuses. Exits 1 when "bot" is below the thresholds (dates >= 95%, times >= 90%,
refusals >= 90%) on the held-out corpus.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.dates_corpus import (
    DATES_MIN,
    DEV,
    REFUSALS_MIN,
    TIMES_MIN,
    Case,
    Reader,
    dateparser_reader,
    held_out_path,
    load,
    ours,
    ours_whole_text,
    score,
    with_fallback,
)


def per_phrase_us(cases: list[Case], reader: Reader) -> float:
    runs = []
    for case in cases:
        start = time.perf_counter()
        reader(case)
        runs.append((time.perf_counter() - start) * 1e6)
    return statistics.median(runs)


def report(name: str, path: Path, show_misses: bool) -> bool:
    cases = load(path)
    readers: dict[str, Reader] = {"bot": ours, "bot whole": ours_whole_text}
    theirs = dateparser_reader()
    if theirs is not None:
        readers["dateparser"] = theirs
        readers["bot+dp"] = with_fallback(ours, theirs)
    print(f"\n== {name}: {path} ({len(cases)} phrases)")
    results = {label: score(cases, reader) for label, reader in readers.items()}
    for label, (overall, by_lang, _, _) in results.items():
        for lang, found in [("all", overall), *sorted(by_lang.items())]:
            print(f"{label if lang == 'all' else '':>10}  {lang:<4} dates {found.dates}  "
                  f"times {found.times}  refusals {found.refusals} (strict {found.strict})"
                  + (f"  said back {found.said_back}" if found.said_back.total else ""))
    print(f"\n{'form':<18}{'lang':<6}{'n':>4}  " + "".join(f"{label:>12}" for label in results))
    forms = sorted(results["bot"][2])
    for key in forms:
        n = results["bot"][2][key].phrases.total
        shares = "".join(f"{100 * results[label][2][key].phrases.value:11.0f}%"
                         for label in results)
        print(f"{key[0]:<18}{key[1]:<6}{n:>4}  {shares}")
    if theirs is not None:
        print(f"\nmedian per phrase: bot {per_phrase_us(cases, ours):.0f} µs, "
              f"dateparser {per_phrase_us(cases, theirs):.0f} µs")
    if show_misses:
        for case, reading in results["bot"][3]:
            print(f"  miss [{case.lang} {case.form} {case.context} {case.base:%a %Y-%m-%d %H:%M}] "
                  f"{case.text!r}: expected {case.date} {case.time}, read {reading}")
    passes = results["bot"][0].passes
    print(f"\n{name}: {'meets' if passes else 'BELOW'} the thresholds (dates >= "
          f"{DATES_MIN:.0%}, times >= {TIMES_MIN:.0%}, refusals >= {REFUSALS_MIN:.0%})")
    return passes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", type=Path, default=None,
                        help="the held-out corpus (default: tests/corpora/*date*.jsonl)")
    parser.add_argument("--misses", action="store_true", help="list the phrases not understood")
    args = parser.parse_args()
    report("development corpus", DEV, args.misses)
    held_out = args.held_out or held_out_path()
    if held_out is None:
        print("\nno held-out corpus in tests/corpora/ yet")
        return
    if not report("held-out corpus", held_out, args.misses):
        sys.exit(1)


if __name__ == "__main__":
    main()
