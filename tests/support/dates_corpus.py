"""Corpora of typed dates and times, and how well a reader understands them (bench/bench_dates.py
and tests/test_dates_corpus.py).

A corpus is JSON lines, one phrase each: the text, its language, its form or source (what kind
of writing: "weekday", "time_spoken", "typo", "chat", ...), its context ("deadline": a day is
enough; "meeting": a day and a time; "wish": another day for a meeting), the moment it was
typed, and the expected date and time (null: no single date, to be refused or asked back).
Two shapes are read: the development corpus (`today`, `date`, `time`, `form`) and the
held-out corpus (`base`, `expected: {"date", "time"?} | null`, `ambiguous`, `source`; see
tests/corpora/README.md).

Shares, per corpus, language and form:
- dates: of the phrases that name a day, how many were read as that day;
- times: of the phrases with a time, how many were read as that day and that time;
- refusals: of the phrases that name no single date, how many were refused or would be said
  back (read as ambiguous), as the held-out corpus's README counts them; `strict` counts only
  the refused ones;
- said back: of the phrases the held-out corpus marks ambiguous, how many the reader marks
  ambiguous too (information, no threshold).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from bot.core.when import understand

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "corpora_dev" / "dates_dev.jsonl"
HELD_OUT_DIR = ROOT / "corpora"
DATES_MIN, TIMES_MIN, REFUSALS_MIN = 0.95, 0.90, 0.90

Reading = tuple[date, time | None, bool] | None  # day, time, ambiguous
Reader = Callable[["Case"], Reading]


@dataclass(frozen=True)
class Case:
    text: str
    lang: str
    form: str
    context: str  # "deadline", "meeting" or "wish"
    base: datetime  # when it was typed, on the writer's clock
    date: date | None
    time: time | None
    ambiguous: bool | None = None  # the corpus says people read it more than one way
    id: str = ""

    def understood(self, reading: Reading) -> bool:
        if self.date is None:
            return reading is None or reading[2]
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
    if "base" in row:  # the held-out shape
        base = datetime.fromisoformat(str(row["base"])).replace(tzinfo=None)
        expected = row.get("expected") or {}
        expected_day, expected_time = expected.get("date"), expected.get("time")
        form = str(row.get("source", "-"))
    else:
        base = datetime.combine(date.fromisoformat(str(row["today"])), time(9, 0))
        expected_day, expected_time = row.get("date"), row.get("time")
        form = str(row.get("form", "-"))
    return Case(
        text=str(row["text"]), lang=str(row.get("lang", "nl")), form=form,
        context=str(row.get("context", "deadline")), base=base,
        date=date.fromisoformat(expected_day) if expected_day else None,
        time=time.fromisoformat(expected_time) if expected_time else None,
        ambiguous=bool(row["ambiguous"]) if "ambiguous" in row else None,
        id=str(row.get("id", "")))


def ours(case: Case, whole_text: bool = False) -> Reading:
    """The bot's reading (bot.core.when.understand): a meeting as a meeting (weeks counted in
    days, "volgende week" alone is no day), a deadline or a wish for another day as the
    flows read them (weeks end on a Friday). A date inside a sentence is read and said back;
    `whole_text`: as `parse_date` and `parse_when` read today, every word part of the date."""
    context = "meeting" if case.context == "meeting" else "deadline"
    found = understand(case.text, case.base.date(), context=context, locale=case.lang,
                       whole_text=whole_text)
    return (found.day, found.time, found.ambiguous) if found else None


def ours_whole_text(case: Case) -> Reading:
    return ours(case, whole_text=True)


def dateparser_reader() -> Reader | None:
    """dateparser alone, told the language and the base moment, preferring the future and
    day-first numbers; None when it is not installed. It never marks a reading as a guess,
    and it gives a time even when none was typed (compared only where one is expected)."""
    try:
        import dateparser  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None

    def read(case: Case) -> Reading:
        found = dateparser.parse(case.text, languages=[case.lang], settings={
            "RELATIVE_BASE": case.base, "PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY"})
        if found is None:
            return None
        return found.date(), found.time().replace(second=0, microsecond=0), False

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
    strict: Share = field(default_factory=Share)  # refusals, counting only the refused
    said_back: Share = field(default_factory=Share)
    phrases: Share = field(default_factory=Share)  # all of them, whatever they hold

    def add(self, case: Case, reading: Reading) -> bool:
        right = case.understood(reading)
        for share, counts, ok in (
                (self.phrases, True, right), (self.dates, case.date is not None, right),
                (self.times, case.time is not None, right),
                (self.refusals, case.date is None, right),
                (self.strict, case.date is None, reading is None),
                (self.said_back, bool(case.ambiguous), reading is None or reading[2])):
            if counts:
                share.total += 1
                share.right += ok
        return right

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
        right = False
        for bucket in (overall, by_lang.setdefault(case.lang, Score()),
                       by_form.setdefault((case.form, case.lang), Score())):
            right = bucket.add(case, reading)
        if not right:
            misses.append((case, reading))
    return overall, by_lang, by_form, misses
