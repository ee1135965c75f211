"""What a typed date is read as (bot.core.when): the facts found in it (a day, a weekday, a
week, a clock time, a part of the day) and how they combine into one `Understood`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Final, Literal

from bot.core.when.words import FILLERS, HEDGES, NEGATIONS, PAST, Part

Context = Literal["deadline", "meeting"]
Pick = Literal["today", "tomorrow", "this_week", "next_week", "two_weeks"]
PICKS: Final[tuple[Pick, ...]] = ("today", "tomorrow", "this_week", "next_week", "two_weeks")
FRIDAY: Final = 4


@dataclass(frozen=True)
class Understood:
    """What a typed date meant. `ambiguous`: a reading chose between meanings (a guessed part
    of the day, a corrected typo, a weekday that does not match the date, a vague span such as
    "eind van de maand" pinned to one day), so the caller should say it back before acting."""

    day: date
    time: time | None = None
    ambiguous: bool = False


def deadline(pick: Pick, today: date) -> date:
    """The day behind a named choice. "This week" is the coming Friday (today on a Friday or
    in the weekend); "next week" and "in two weeks" are the Fridays one and two weeks later."""
    if pick == "today":
        return today
    if pick == "tomorrow":
        return today + timedelta(days=1)
    weekday = today.weekday()
    this_friday = today + timedelta(days=FRIDAY - weekday) if weekday <= FRIDAY else None
    next_friday = today + timedelta(days=7 - weekday + FRIDAY)
    if pick == "this_week":
        return this_friday or today
    return next_friday + timedelta(days=7 if pick == "two_weeks" else 0)


@dataclass(frozen=True)
class Day:
    day: date
    vague: bool = False


@dataclass(frozen=True)
class Weekday:
    weekday: int
    modifier: str | None = None


@dataclass(frozen=True)
class Week:
    monday: date
    alone: date | None  # the day meant when no weekday is named (None: no day at all)
    vague: bool = True


@dataclass(frozen=True)
class Clock:
    hour: int  # 0-23 when `fixed`, else 1-12 on a twelve-hour clock
    minute: int
    fixed: bool = False  # written as a 24-hour time ("14:30", "08:00", "14u")
    meridiem: Literal["am", "pm"] | None = None


@dataclass(frozen=True)
class PartOfDay:
    part: Part


Fact = Day | Weekday | Week | Clock | PartOfDay


SPAN: Final = 0xE000  # a span taken by a pattern becomes one private-use character


@dataclass
class Scan:
    """A text being read: what is left of it, and the facts taken from it so far, one tuple
    per span (each span is replaced by a marker character, so what is left shows where)."""

    text: str
    today: date
    context: Context
    locale: str | None
    spans: list[tuple[Fact, ...]] = field(default_factory=list)
    invalid: bool = False
    hedged: bool = False  # "rond 3 uur": approximate
    in_sentence: bool = False  # words around the date that are not part of it

    @property
    def facts(self) -> list[Fact]:
        return [fact for span in self.spans for fact in span]

    def take(self, pattern: re.Pattern[str],
             make: Callable[[re.Match[str]], Fact | tuple[Fact, ...] | None]) -> None:
        """Turn every span that matches into facts (None: the span cannot be a date, so
        neither can the text) and mark it taken."""
        while not self.invalid and (match := pattern.search(self.text)):
            found = make(match)
            if found is None:
                self.invalid = True
                return
            marker = chr(SPAN + len(self.spans))
            self.spans.append(found if isinstance(found, tuple) else (found,))
            self.text = f"{self.text[:match.start()]} {marker} {self.text[match.end():]}"

    def read_the_rest(self, whole_text: bool) -> bool:
        """The words no pattern took. Fillers ("om", "op") and approximate words ("rond") may
        stand anywhere. Any other word makes the text a sentence: refused when the whole text
        must be a date; otherwise read for its date, to be said back, leaving out a day said
        not to be meant ("liever niet dinsdag", "woensdag ipv dinsdag", "dinsdag niet")."""
        words = self.text.split()
        for i, word in enumerate(words):
            if self._span(word) is not None or word in FILLERS:
                continue
            if word in HEDGES:
                self.hedged = True
                continue
            if whole_text or word in PAST:
                return False
            self.in_sentence = True
            if word in NEGATIONS:
                ahead = next((w for w in words[i + 1:] if w not in FILLERS), "")
                behind = words[i - 1] if i and word in ("niet", "not") else ""
                for k in (self._span(ahead), self._span(behind)):
                    if k is not None:
                        self.spans[k] = ()
                        break
        return True

    def _span(self, word: str) -> int | None:
        k = ord(word) - SPAN if len(word) == 1 else -1
        return k if 0 <= k < len(self.spans) else None

    def result(self) -> Understood | None:
        days = [f for f in self.facts if isinstance(f, Day)]
        weekdays = [f for f in self.facts if isinstance(f, Weekday)]
        weeks = [f for f in self.facts if isinstance(f, Week)]
        clocks = [f for f in self.facts if isinstance(f, Clock)]
        parts = {f.part for f in self.facts if isinstance(f, PartOfDay)}
        if len({d.day for d in days}) > 1 or len(weekdays) > 1 or len(weeks) > 1 \
                or len(set(clocks)) > 1 or len(parts) > 1:
            return None
        ambiguous = self.hedged or self.in_sentence or any(d.vague for d in days)
        if days:
            day = days[0].day
            if weekdays and day.weekday() != weekdays[0].weekday:
                ambiguous = True  # "di 18 maart": the date wins, the weekday is said back
            if weeks and not 0 <= (day - weeks[0].monday).days < 7:
                ambiguous = True
        elif weeks and weekdays:
            day = weeks[0].monday + timedelta(days=weekdays[0].weekday)
        elif weeks:
            if weeks[0].alone is None:
                return None
            day, ambiguous = weeks[0].alone, ambiguous or weeks[0].vague
        elif weekdays:
            day, vague = _weekday(weekdays[0], self.today)
            ambiguous = ambiguous or vague
        else:
            return None
        if not clocks:
            return Understood(day, None, ambiguous)
        at, guessed = _clock(clocks[0], next(iter(parts), None))
        return Understood(day, at, ambiguous or guessed)


def coming(weekday: int, today: date) -> date:
    """The first such weekday after today ("dinsdag" typed on a Tuesday is next Tuesday)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _weekday(fact: Weekday, today: date) -> tuple[date, bool]:
    """The coming such day. "volgende vrijdag" is the coming Friday too, but some mean the
    one after: worth saying back when that is within the week."""
    day = coming(fact.weekday, today)
    return day, fact.modifier == "next" and (day - today).days < 7


def _clock(clock: Clock, part: Part | None) -> tuple[time, bool]:
    """The time on a 24-hour clock, and whether the part of the day was guessed. Without a
    part of the day, 1 to 7 o'clock is in the afternoon (working hours), 8 to 12 as said."""
    if clock.fixed:
        return time(clock.hour, clock.minute), False
    hour = clock.hour % 12  # 12 o'clock counts as 0 here
    meridiem = clock.meridiem
    if meridiem is None and part is not None:
        meridiem = "am" if part == "morning" or (part == "night" and hour < 6) else "pm"
    if meridiem == "pm":
        return time(hour + 12, clock.minute), False  # 12 o'clock in the afternoon is 12:00
    if meridiem == "am":
        return time(hour, clock.minute), False
    if 1 <= hour <= 7:
        return time(hour + 12, clock.minute), True
    return time(hour or 12, clock.minute), False
