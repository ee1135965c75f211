"""Corpora of typed dates and times, and how well a reader understands them (bench/bench_dates.py
and tests/test_dates_corpus.py).

A corpus is JSON lines, one phrase each: the text, its language, its form (what kind of phrase:
"weekday", "time_spoken", "not_a_date", ...), its context ("deadline": a day is enough;
"meeting": a time is needed), the base day (and time) it was typed on, and the expected date
and time (both null: the phrase is to be refused).

Three shares, per corpus, language and form:
- dates: of the phrases that name a day, how many were read as that day;
- times: of the phrases with a time, how many were read as that day and that time;
- refusals: of the phrases that are not a date (or, for a meeting, have no time), how many
  were refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from bot.core.meetings import parse_when
from bot.core.when import understand

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "corpora_dev" / "dates_dev.jsonl"
HELD_OUT_DIR = ROOT / "corpora"
DATES_MIN, TIMES_MIN, REFUSALS_MIN = 0.95, 0.90, 0.90

Reading = tuple[date, time | None] | None
Reader = Callable[["Case"], Reading]


@dataclass(frozen=True)
class Case:
    text: str
    lang: str
    form: str
    context: str  # "deadline" or "meeting"
    base: datetime  # when it was typed
    date: date | None
    time: time | None

    def understood(self, reading: Reading) -> bool:
        if self.date is None:
            return reading is None
        if reading is None or reading[0] != self.date:
            return False
        return self.time is None or reading[1] == self.time


def held_out_path() -> Path | None:
    """The held-out dates corpus in tests/corpora/, when it has been added."""
    found = sorted(HELD_OUT_DIR.glob("*date*.jsonl")) if HELD_OUT_DIR.is_dir() else []
    return found[0] if found else None


def load(path: Path) -> list[Case]:
    with path.open(encoding="utf-8") as lines:
        return [_case(json.loads(line)) for line in lines if line.strip()]


def _case(row: dict[str, Any]) -> Case:
    base = datetime.fromisoformat(str(row["today"]))
    expected_day = row.get("date")
    expected_time = row.get("time")
    return Case(
        text=str(row["text"]), lang=str(row.get("lang", "nl")), form=str(row.get("form", "-")),
        context=str(row.get("context", "deadline")),
        base=base if "T" in str(row["today"]) else datetime.combine(base.date(), time(9, 0)),
        date=date.fromisoformat(expected_day) if expected_day else None,
        time=time.fromisoformat(expected_time) if expected_time else None)


def ours(case: Case) -> Reading:
    """The bot's reading: a meeting through `parse_when` (no time, no meeting), anything
    else through the shared parser."""
    today = case.base.date()
    if case.context == "meeting":
        return parse_when(case.text, today, locale=case.lang)
    found = understand(case.text, today, locale=case.lang)
    return (found.day, found.time) if found else None


def dateparser_reader() -> Reader | None:
    """dateparser alone, told the language and the base moment, preferring the future and
    day-first numbers; None when it is not installed. It cannot say "no time was typed", so
    a meeting phrase without a time counts as read when it finds a day."""
    try:
        import dateparser  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None

    def read(case: Case) -> Reading:
        found = dateparser.parse(case.text, languages=[case.lang], settings={
            "RELATIVE_BASE": case.base, "PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY"})
        return (found.date(), found.time().replace(second=0, microsecond=0)) if found else None

    return read


def with_fallback(first: Reader, second: Reader) -> Reader:
    def read(case: Case) -> Reading:
        found = first(case)
        return found if found is not None else second(case)

    return read


@dataclass
class Share:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{100 * self.value:5.1f}% ({self.right}/{self.total})" if self.total else "-"


@dataclass
class Score:
    dates: Share = field(default_factory=Share)
    times: Share = field(default_factory=Share)
    refusals: Share = field(default_factory=Share)
    phrases: Share = field(default_factory=Share)  # all of them, whatever they hold

    def add(self, case: Case, right: bool) -> None:
        for share, counts in ((self.phrases, True), (self.dates, case.date is not None),
                              (self.times, case.time is not None),
                              (self.refusals, case.date is None)):
            if counts:
                share.total += 1
                share.right += right

    @property
    def passes(self) -> bool:
        return (self.dates.value >= DATES_MIN and self.times.value >= TIMES_MIN
                and self.refusals.value >= REFUSALS_MIN)


def score(cases: Iterable[Case], reader: Reader) -> tuple[Score, dict[str, Score],
                                                          dict[tuple[str, str], Score],
                                                          list[tuple[Case, Reading]]]:
    """The overall score, per language, per (form, language), and the misses."""
    overall, by_lang = Score(), {}
    by_form: dict[tuple[str, str], Score] = {}
    misses: list[tuple[Case, Reading]] = []
    for case in cases:
        reading = reader(case)
        right = case.understood(reading)
        for bucket in (overall, by_lang.setdefault(case.lang, Score()),
                       by_form.setdefault((case.form, case.lang), Score())):
            bucket.add(case, right)
        if not right:
            misses.append((case, reading))
    return overall, by_lang, by_form, misses
