"""Dates and times as people type them, Dutch or English: the one parser behind every typed
day (a step's deadline, a meeting, a wish for another day, a coach's date).

`understand(text, today)` gives what was understood (the day, a time when one was typed) and
whether the reading is a guess worth saying back ("dinsdag 17 maart om 14:00 — klopt dat?"),
or None when the text is not a date. The text is read as a whole: every word must belong to
the date or be a small filler word ("om", "op", "the", "graag"), so a sentence that merely
contains a date is refused rather than guessed at. Pure: today is passed in.

How it reads (the rules people use, not a library's):
- a weekday is the coming one ("dinsdag" on a Tuesday is next Tuesday); "volgende week
  dinsdag" is the Tuesday of next week (weeks run Monday to Sunday);
- weeks as deadlines end on a Friday ("volgende week", "over twee weken"), the same days as the
  date buttons (`deadline`); for a meeting "over een week" is seven days on;
- a day and month without a year is the next such day (today counts);
- an hour from 1 to 7 without a part of the day is in the afternoon ("om 2 uur" is 14:00: a
  coach meets within working hours), and "half 3" is 14:30 for the same reason;
- a misspelt weekday or month ("woensdg", "febuari") is read as the nearest name.
The text is normalised (words.py), split into spans by a fixed sequence of patterns
(patterns.py), each span a fact (a day, a weekday, a week, a clock time, a part of the day),
and the facts are combined (facts.py).
"""

from __future__ import annotations

from datetime import date

from bot.core.when.facts import FRIDAY, PICKS, Context, Pick, Scan, Understood, deadline
from bot.core.when.patterns import STEPS
from bot.core.when.words import normalise

__all__ = ["FRIDAY", "PICKS", "Context", "Pick", "Understood", "deadline", "understand"]


def understand(text: str, today: date, *, context: Context = "deadline",
               locale: str | None = None, whole_text: bool = False) -> Understood | None:
    """The day (and time, when typed) meant by `text`, or None. A date in the past comes back
    as typed ("1-3-2026"): the caller decides whether that is acceptable. A meeting needs a
    time: `Understood.time` is None when none was typed. A date inside a short sentence
    ("woensdag is goed", "kan het ook donderdag om 3?") is read and marked ambiguous, to be
    said back; with `whole_text` every word must belong to the date (or be a filler such as
    "om" or "graag"), as the flows need while they cannot say a date back. `locale` ("nl",
    "en"): in English "do" and "ma" are words, not weekdays, and a numeric day like 3/4 may be
    month first (said back); both languages are always read."""
    cleaned, typo = normalise(text)
    if not cleaned:
        return None
    scan = Scan(cleaned, today, context, locale)
    for step in STEPS:
        step(scan)
        if scan.invalid:
            return None
    if not scan.read_the_rest(whole_text):
        return None
    found = scan.result()
    if found is None or not typo:
        return found
    return Understood(found.day, found.time, True)
