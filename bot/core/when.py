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
The text is split into spans by a fixed sequence of patterns; each span becomes a fact (a day,
a weekday, a week, a clock time, a part of the day) and the facts are then combined.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Final, Literal

Context = Literal["deadline", "meeting"]
Pick = Literal["today", "tomorrow", "this_week", "next_week", "two_weeks"]
PICKS: Final[tuple[Pick, ...]] = ("today", "tomorrow", "this_week", "next_week", "two_weeks")
FRIDAY: Final = 4
MAX_CHARS: Final = 80  # longer is a sentence, not a date


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


def understand(text: str, today: date, *, context: Context = "deadline",
               locale: str | None = None) -> Understood | None:
    """The day (and time, when typed) meant by `text`, or None. A date in the past comes back
    as typed ("1-3-2026"): the caller decides whether that is acceptable. A
    meeting needs a time: `Understood.time` is None when none was typed. `locale` ("nl",
    "en") only decides whether a numeric day like 3/4 needs saying back (in English it may be
    month first); both languages are always read."""
    cleaned, typo = _normalise(text)
    if not cleaned:
        return None
    scan = _Scan(cleaned, today, context, locale)
    for step in _STEPS:
        step(scan)
        if scan.invalid:
            return None
    if not scan.rest_is_filler():
        return None
    found = scan.result()
    if found is None or not typo:
        return found
    return Understood(found.day, found.time, True)


# --- Words ----------------------------------------------------------------------------------

# Monday = 0. Full names and the usual abbreviations in both languages.
WEEKDAYS: Final = {
    "maandag": 0, "ma": 0, "monday": 0, "mon": 0,
    "dinsdag": 1, "di": 1, "tuesday": 1, "tue": 1, "tues": 1,
    "woensdag": 2, "wo": 2, "wednesday": 2, "wed": 2,
    "donderdag": 3, "do": 3, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "vrijdag": 4, "vr": 4, "vrij": 4, "friday": 4, "fri": 4,
    "zaterdag": 5, "za": 5, "saturday": 5, "sat": 5,
    "zondag": 6, "zo": 6, "sunday": 6, "sun": 6,
}  # fmt: skip

MONTHS: Final = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "feb": 2, "febr": 2,
    "maart": 3, "march": 3, "mrt": 3, "mar": 3, "maa": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augustus": 8, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

_NUMBERS: Final = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
    "vijftien": 15, "twintig": 20, "dertig": 30,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
    "twenty": 20, "thirty": 30,
}  # fmt: skip

# Days counted from today.
_RELATIVE: Final = {
    "vandaag": 0, "today": 0, "nu": 0, "now": 0, "vanavond": 0, "vanmiddag": 0,
    "vanochtend": 0, "vanmorgen": 0, "tonight": 0,
    "morgen": 1, "tomorrow": 1, "tmrw": 1, "tmw": 1,
    "overmorgen": 2, "day after tomorrow": 2,
}  # fmt: skip
# "gisteren" and "vorige dinsdag" are dates, but never an answer the bot asks for: refused, so
# the question is asked again as not understood (a typed date in the past is said to be past).

Part = Literal["morning", "afternoon", "evening", "night"]
_PARTS: Final[dict[str, Part]] = {
    "ochtends": "morning", "morgens": "morning", "ochtend": "morning", "vroeg": "morning",
    "morning": "morning", "in the morning": "morning",
    "middags": "afternoon", "middag": "afternoon", "afternoon": "afternoon",
    "in the afternoon": "afternoon",
    "avonds": "evening", "avond": "evening", "evening": "evening", "in the evening": "evening",
    "nachts": "night", "nacht": "night", "night": "night", "at night": "night",
}  # fmt: skip
_PART_OF_RELATIVE: Final[dict[str, Part]] = {
    "vanavond": "evening", "tonight": "evening", "vanmiddag": "afternoon",
    "vanochtend": "morning", "vanmorgen": "morning",
}

# Words that may stand around a date without changing it.
_FILLERS: Final = frozenset({
    "om", "op", "de", "het", "van", "graag", "nog", "uiterlijk", "dan", "uur", "aan",
    "at", "on", "the", "of", "by", "please", "latest", "then", "-", "@",
})
# Words that make the moment approximate: understood, but worth saying back.
_HEDGES: Final = frozenset({
    "rond", "rondom", "ongeveer", "omstreeks", "tegen", "voor", "around", "about", "before",
})

_MODIFIERS: Final = {
    "deze": "this", "this": "this", "komende": "this", "aanstaande": "this",
    "coming": "this", "this coming": "this",
    "volgende": "next", "next": "next",
}  # fmt: skip

# The names a misspelt word is compared with (abbreviations are too short to correct).
_SPELLED: Final = tuple(sorted(
    {w for w in (*WEEKDAYS, *MONTHS) if len(w) >= 5}
    | {"vandaag", "morgen", "overmorgen", "gisteren", "today", "tomorrow", "yesterday",
       "volgende", "aanstaande", "komende", "ochtends", "middags", "avonds", "afternoon",
       "morning", "evening", "dagen", "weken", "maanden"}))

_KNOWN: Final = frozenset({
    *WEEKDAYS, *MONTHS, *_NUMBERS, *_FILLERS, *_HEDGES, *_MODIFIERS, *_SPELLED,
    *(w for phrase in (*_RELATIVE, *_PARTS) for w in phrase.split()),
    "week", "weken", "weeks", "dag", "dagen", "day", "days", "maand", "maanden", "month",
    "months", "jaar", "year", "dit", "volgend", "komend", "over", "in", "binnen", "within",
    "from", "eind", "einde", "end", "begin",
    "start", "beginning", "early", "late", "midden", "mid", "medio", "half", "kwart",
    "quarter", "past", "to", "noon", "midday", "middernacht", "midnight", "oclock", "an",
    "erna", "after", "halverwege", "later", "uur",
})


# --- Normalising ------------------------------------------------------------------------------

def _normalise(text: str) -> tuple[str, bool]:
    """Lower case ASCII words, single spaces, abbreviations spelled out, number words as
    digits, misspelt names corrected. Also whether a correction was made."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(_ascii_digit(c) for c in decomposed if not unicodedata.combining(c))
    plain = " ".join(plain.translate(_QUOTES).split()).rstrip(".,!")
    if len(plain) > MAX_CHARS:
        return "", False
    for pattern, replacement in _REWRITES:
        plain = pattern.sub(replacement, plain)
    words = []
    typo = False
    for word in plain.split(" "):
        if word in _NUMBERS:
            word = str(_NUMBERS[word])
        elif word.isalpha() and len(word) >= 5 and word not in _KNOWN:
            corrected = _nearest(word)
            if corrected is not None:
                word, typo = corrected, True
        words.append(word)
    return " ".join(words), typo


def _ascii_digit(char: str) -> str:
    # Digits of any script count ("١٢-٣" is 12-3); everything else stays as it is.
    if char.isdecimal() and not char.isascii():
        return str(unicodedata.decimal(char))
    return char


_QUOTES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'",
                                ",": " ", ";": " "})
_PART_WORDS = "ochtend|middag|avond|nacht"
_DAY_WORDS = "|".join(w for w in WEEKDAYS if len(w) > 5 and w.endswith("dag"))
_REWRITES: Final = tuple((re.compile(p), r) for p, r in (
    (r"\ba\.s\.?(?=\s|$)", "aanstaande"),  # "a.s. vrijdag"
    (r"\b([ap])\.m\.?(?=\s|$)", r"\1m"),  # "2 p.m."
    (r"\bo'?clock\b", "uur"),
    (r"\bvd\b", "van de"),
    (r"(?:^|(?<=\s))'?s[ -]?(ochtends|morgens|middags|avonds|nachts)\b", r"\1"),  # 's middags
    (rf"\b(morgen|{_DAY_WORDS})({_PART_WORDS})\b", r"\1 \2"),  # "vrijdagmiddag"
    (r"(?<=[a-z])\.(?=\s|$)", ""),  # "di. 17 mrt."
))


def _nearest(word: str) -> str | None:
    """The one known name within one typing slip (two for longer words), starting with the
    same letter; None when there is none or more than one."""
    limit = 1 if len(word) <= 5 else 2
    best: list[tuple[int, str]] = []
    for name in _SPELLED:
        if name[0] != word[0] or abs(len(name) - len(word)) > limit:
            continue
        distance = _slips(word, name, limit)
        if distance <= limit:
            best.append((distance, name))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None
    return best[0][1]


def _slips(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of two neighbours as one slip (optimal string alignment),
    stopping early above `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


# --- Facts ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Day:
    day: date
    vague: bool = False


@dataclass(frozen=True)
class _Weekday:
    weekday: int
    modifier: str | None = None


@dataclass(frozen=True)
class _Week:
    monday: date
    alone: date | None  # the day meant when no weekday is named (None: no day at all)
    vague: bool = True


@dataclass(frozen=True)
class _Clock:
    hour: int  # 0-23 when `fixed`, else 1-12 on a twelve-hour clock
    minute: int
    fixed: bool = False  # written as a 24-hour time ("14:30", "08:00", "14u")
    meridiem: Literal["am", "pm"] | None = None


@dataclass(frozen=True)
class _PartOfDay:
    part: Part


_Fact = _Day | _Weekday | _Week | _Clock | _PartOfDay


@dataclass
class _Scan:
    text: str
    today: date
    context: Context
    locale: str | None
    facts: list[_Fact] = field(default_factory=list)
    invalid: bool = False
    hedged: bool = False

    def take(self, pattern: re.Pattern[str],
             make: Callable[[re.Match[str]], _Fact | tuple[_Fact, ...] | None]) -> None:
        """Turn every span that matches into facts (None: the span cannot be a date, so
        neither can the text) and blank it out."""
        while not self.invalid and (match := pattern.search(self.text)):
            found = make(match)
            if found is None:
                self.invalid = True
                return
            self.facts.extend(found if isinstance(found, tuple) else (found,))
            self.text = f"{self.text[:match.start()]} | {self.text[match.end():]}"

    def rest_is_filler(self) -> bool:
        for word in self.text.replace("|", " ").split():
            if word in _HEDGES:
                self.hedged = True
            elif word not in _FILLERS:
                return False
        return True

    def result(self) -> Understood | None:
        days = [f for f in self.facts if isinstance(f, _Day)]
        weekdays = [f for f in self.facts if isinstance(f, _Weekday)]
        weeks = [f for f in self.facts if isinstance(f, _Week)]
        clocks = [f for f in self.facts if isinstance(f, _Clock)]
        parts = {f.part for f in self.facts if isinstance(f, _PartOfDay)}
        if len({d.day for d in days}) > 1 or len(weekdays) > 1 or len(weeks) > 1 \
                or len(set(clocks)) > 1 or len(parts) > 1:
            return None
        ambiguous = self.hedged or any(d.vague for d in days)
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


def _weekday(fact: _Weekday, today: date) -> tuple[date, bool]:
    """The coming such day (never today). "volgende vrijdag" is the coming Friday too, but
    some mean the one after: worth saying back when that is within the week."""
    ahead = (fact.weekday - today.weekday() - 1) % 7 + 1
    return today + timedelta(days=ahead), fact.modifier == "next" and ahead < 7


def _clock(clock: _Clock, part: Part | None) -> tuple[time, bool]:
    """The time on a 24-hour clock, and whether the part of the day was guessed. Without a
    part of the day, 1 to 7 o'clock is in the afternoon (working hours), 8 to 12 as said."""
    if clock.fixed:
        return time(clock.hour, clock.minute), False
    hour = clock.hour % 12  # 12 o'clock counts as 0 here
    meridiem = clock.meridiem
    if meridiem is None and part is not None:
        meridiem = "am" if part == "morning" or (part == "night" and hour < 6) else "pm"
    if meridiem == "pm":
        return time(hour + 12 if hour or part is None or clock.meridiem else 12, clock.minute), \
            False
    if meridiem == "am":
        return time(hour, clock.minute), False
    if 1 <= hour <= 7:
        return time(hour + 12, clock.minute), True
    return time(hour or 12, clock.minute), False


# --- Patterns, in the order they are tried ----------------------------------------------------

def _alternation(words: Iterable[object]) -> str:
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))


_WD = _alternation(WEEKDAYS)
_MON = _alternation(MONTHS)
_ORD = r"(?:e|ste|de|st|nd|rd|th)"
_AT = r"(?:om|at|rond|rondom|around|about|tegen|omstreeks|ongeveer)"
_UNIT = r"(?:dagen|dag|days|day|weken|week|weeks|maanden|maand|months|month)"


def _make(year: int, month: int, day: int) -> date | None:
    if not 2000 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int:
    value = int(text.lstrip("'"))
    return value + 2000 if value < 100 else value


def _next_occurrence(day: int, month: int, today: date) -> date | None:
    found = _make(today.year, month, day)
    if found is None or found < today:
        # Already past this year (or 29 February in a non-leap year): the next occurrence,
        # when that is next year; a leap day further off is too far to be meant.
        found = _make(today.year + 1, month, day)
    return found


def _day_month(scan: _Scan, day: str, month: int | None, year: str | None) -> _Day | None:
    if month is None:
        return None
    found = (_make(_year(year), month, int(day)) if year
             else _next_occurrence(int(day), month, scan.today))
    return _Day(found) if found else None


def _iso(scan: _Scan) -> None:
    scan.take(re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"),
              lambda m: _day_of(_make(int(m[1]), int(m[2]), int(m[3]))))


def _day_of(found: date | None, vague: bool = False) -> _Day | None:
    return _Day(found, vague) if found else None


def _numeric_with_year(scan: _Scan) -> None:
    scan.take(re.compile(r"\b(\d{1,2})\s?([-/.])\s?(\d{1,2})\s?\2\s?('?\d{2}|\d{4})\b"),
              lambda m: _numeric(scan, m[1], m[3], m[4], m[2]))


def _numeric(scan: _Scan, first: str, second: str, year: str | None, sep: str) -> _Day | None:
    """Day first, as in Dutch; "3/17" (no such month) is read month first, and said back.
    In English a day like 3/4 may be meant month first: said back too."""
    a, b = int(first), int(second)
    found = _day_month(scan, first, b, year) if 1 <= b <= 12 else None
    if found is None and sep == "/" and 1 <= a <= 12 < b:
        flipped = _day_month(scan, second, a, year)
        return _Day(flipped.day, True) if flipped else None
    if found is not None and scan.locale == "en" and sep == "/" and a <= 12 and a != b:
        return _Day(found.day, True)
    return found


def _clock_of(hour: str, minute: str | None = None, meridiem: str | None = None
              ) -> _Clock | None:
    h, m = int(hour), int(minute or 0)
    if m > 59 or h > 23:
        return None
    if meridiem:
        if not 1 <= h <= 12:
            return None
        return _Clock(h, m, False, "am" if meridiem == "am" else "pm")
    # "14:30", "0:15" and "08:00" are read as a 24-hour clock; "2:30" is not.
    fixed = h > 12 or h == 0 or (len(hour) == 2 and hour.startswith("0"))
    return _Clock(h, m, fixed)


def _clocks(scan: _Scan) -> None:
    scan.take(re.compile(r"\b(\d{1,2}):(\d{2})(?:\s?(am|pm))?\b"),
              lambda m: _clock_of(m[1], m[2], m[3]))
    scan.take(re.compile(r"\b(\d{1,2})[uh](\d{2})?\b"), lambda m: _clock_of(m[1], m[2]))
    scan.take(re.compile(r"\b(\d{1,2})(?:\.(\d{2}))?\s?(am|pm)\b"),
              lambda m: _clock_of(m[1], m[2], m[3]))
    scan.take(re.compile(rf"\b({_AT})\s(\d{{1,2}})\.(\d{{2}})\b"),
              lambda m: _announced(scan, m[1], _clock_of(m[2], m[3])))
    scan.take(re.compile(r"\b(\d{1,2})\.(\d{2})\suur\b"), lambda m: _clock_of(m[1], m[2]))


def _announced(scan: _Scan, word: str, clock: _Clock | None) -> _Clock | None:
    """A time after "om", "at" or an approximate word ("rond 3 uur": worth saying back)."""
    scan.hedged = scan.hedged or word in _HEDGES
    return clock


_MINUTES: Final = {"kwart": 15, "quarter": 15, "half": 30}
_NOT_A_SPAN = rf"(?!\s?{_UNIT}\b)"  # "10 over 2 weken" is not ten past two


def _minutes(word: str) -> int:
    return _MINUTES.get(word) or int(word)


def _to(hour: str, minutes: int) -> _Clock | None:
    """`minutes` before `hour` o'clock, on a twelve-hour clock ("kwart voor 1" is 12:45)."""
    h = int(hour)
    if not 1 <= h <= 12 or not 0 < minutes < 60:
        return None
    return _Clock((h - 2) % 12 + 1, 60 - minutes)


def _past(hour: str, minutes: int) -> _Clock | None:
    h = int(hour)
    return _Clock(h, minutes) if 1 <= h <= 12 and 0 < minutes < 60 else None


def _half(m: re.Match[str]) -> _Clock | None:
    """Dutch counts half hours towards the next hour: "half 3" is 2:30, "tien over half 3"
    2:40, "vijf voor half 4" 3:25."""
    offset = _minutes(m[1]) if m[1] else 0
    return _to(m[3], 30 - offset if m[2] == "over" else 30 + offset)


def _spoken(scan: _Scan) -> None:
    scan.take(re.compile(r"\b(?:(\d{1,2}|kwart)\s(over|voor)\s)?half\s(\d{1,2})\b" + _NOT_A_SPAN),
              _half)
    scan.take(re.compile(r"\b(\d{1,2}|kwart)\s(over|voor)\s(\d{1,2})\b" + _NOT_A_SPAN),
              lambda m: (_past if m[2] == "over" else _to)(m[3], _minutes(m[1])))
    scan.take(re.compile(r"\b(\d{1,2}|quarter|half)\s(past|to)\s(\d{1,2})\b" + _NOT_A_SPAN),
              lambda m: (_past if m[2] == "past" else _to)(m[3], _minutes(m[1])))
    scan.take(re.compile(r"\b(?:12\s)?(noon|midday|middaguur|midnight|middernacht)\b"),
              lambda m: _Clock(0 if m[1] in ("midnight", "middernacht") else 12, 0, True))
    scan.take(re.compile(r"\b(\d{1,2})\suur\b"), lambda m: _clock_of(m[1]))


def _day_months(scan: _Scan) -> None:
    """"17 maart", "17e maart 2027", "17th of march", "march 17th, 2026"."""
    scan.take(re.compile(rf"\b(\d{{1,2}}){_ORD}?\s(?:of\s|van\s)?({_MON})\b(?:\s(\d{{4}}|'\d{{2}})\b)?"),
              lambda m: _day_month(scan, m[1], MONTHS[m[2]], m[3]))
    scan.take(re.compile(rf"\b({_MON})\s(\d{{1,2}}){_ORD}?\b(?:\s(\d{{4}})\b)?"),
              lambda m: _day_month(scan, m[2], MONTHS[m[1]], m[3]))


def _bare_hour(scan: _Scan) -> None:
    """"om 2", "at 11": an hour after a word that announces one."""
    scan.take(re.compile(rf"\b({_AT})\s(\d{{1,2}})\b(?![-/.:]\d)"),
              lambda m: _announced(scan, m[1], _clock_of(m[2])))


def _weekday_and_number(scan: _Scan) -> None:
    """"vrijdag 13", "di de 17e": the day of this month or the next that is that weekday."""
    def make(m: re.Match[str]) -> tuple[_Fact, ...] | None:
        weekday, day, today = WEEKDAYS[m[1]], int(m[2]), scan.today
        first = today.replace(day=1)
        for months in (0, 1, 2):
            month = _shift(first, months=months)
            found = _make(month.year, month.month, day) if month else None
            if found is not None and found >= today and found.weekday() == weekday:
                # Beyond the coming such weekday "vrijdag 10" may have meant ten o'clock.
                return _Weekday(weekday), _Day(found, (found - today).days > 7)
        return None

    scan.take(re.compile(rf"\b({_WD})\s(?:de\s|the\s)?(\d{{1,2}}){_ORD}?\b(?![-/.:]\d)"), make)


def _ordinals(scan: _Scan) -> None:
    """"de 17e", "the 20th": that day of this month, or of the next when it has passed."""
    def make(m: re.Match[str]) -> _Day | None:
        day, today = int(m[1]), scan.today
        found = _make(today.year, today.month, day)
        if found is None or found < today:
            following = today.replace(day=1) + timedelta(days=32)
            found = _make(following.year, following.month, day)
        return _day_of(found)

    scan.take(re.compile(rf"\b(\d{{1,2}}){_ORD}\b"), make)


def _numeric_plain(scan: _Scan) -> None:
    scan.take(re.compile(r"\b(\d{1,2})\s?([-/])\s?(\d{1,2})\b(?![-/.:]\d)"),
              lambda m: _numeric(scan, m[1], m[3], None, m[2]))


def _relative(scan: _Scan) -> None:
    def make(m: re.Match[str]) -> _Fact | tuple[_Fact, ...] | None:
        found = _day_of(_shift(scan.today, days=_RELATIVE[m[1]]))
        part = _PART_OF_RELATIVE.get(m[1])
        if found is None or part is None:
            return found
        return found, _PartOfDay(part)

    scan.take(re.compile(rf"\b({_alternation(_RELATIVE)})\b"), make)


def _shift(today: date, *, days: int = 0, months: int = 0) -> date | None:
    """`today` moved on; a month on from 31 January is the last day of February."""
    try:
        if months:
            index = today.year * 12 + today.month - 1 + months
            year, month = divmod(index, 12)
            last = calendar.monthrange(year, month + 1)[1] if 1 <= year <= 9999 else 0
            return _make(year, month + 1, min(today.day, last))
        found = today + timedelta(days=days)
    except OverflowError:
        return None
    return found if 2000 <= found.year <= 2100 else None


def _monday(today: date, weeks: int) -> date | None:
    return _shift(today, days=7 * weeks - today.weekday())


def _week(scan: _Scan, weeks: int, counted: bool = False) -> _Week | None:
    """A week `weeks` on from this one. Alone, as a deadline, it means its Friday (this week:
    the coming Friday, or today in the weekend), the same day as the buttons; a meeting
    "over een week" (`counted`) is seven days on, and "volgende week" alone is no day."""
    monday = _monday(scan.today, weeks)
    if monday is None:
        return None
    if scan.context == "meeting":
        return _Week(monday, _shift(scan.today, days=7 * weeks) if counted else None, False)
    if weeks == 0:
        return _Week(monday, deadline("this_week", scan.today))
    return _Week(monday, monday + timedelta(days=FRIDAY))


_N = r"(\d{1,3}|a|an)"


def _in_n(scan: _Scan) -> None:
    """"over 3 dagen", "binnen 2 weken", "in a month", "3 days from now"."""
    def make(m: re.Match[str]) -> _Fact | None:
        count = 1 if m[1] in ("a", "an") else int(m[1])
        unit = m[2]
        if unit.startswith(("dag", "day")):
            return _day_of(_shift(scan.today, days=count))
        if unit.startswith(("maand", "month")):
            return _day_of(_shift(scan.today, months=count))
        return _week(scan, count, counted=True)

    scan.take(re.compile(rf"\b(?:over|in|binnen|within)\s{_N}\s({_UNIT})\b"), make)
    scan.take(re.compile(rf"\b{_N}\s({_UNIT})\s(?:from\s(?:now|today)|vanaf\s(?:nu|vandaag)"
                         r"|later)\b"), make)


_EDGES: Final = {
    "eind": "end", "einde": "end", "end": "end", "late": "end",
    "begin": "start", "start": "start", "beginning": "start", "early": "start",
    "midden": "mid", "mid": "mid", "medio": "mid", "half": "mid", "halverwege": "mid",
}  # fmt: skip
_NEXT: Final = ("volgende", "volgend", "next", "komende", "komend", "coming")


def _periods(scan: _Scan) -> None:
    """"eind van de week", "begin volgende maand", "eind maart", "end of the month": vague
    spans pinned to one day (start: the first, end: the last, mid: the middle)."""
    def make(m: re.Match[str]) -> _Fact | None:
        edge, ahead, unit = _EDGES[m[1]], int(m[2] in _NEXT), m[3]
        if unit == "week":
            week = _week(scan, ahead)
            if week is None:
                return None
            if edge == "end" and not ahead:
                return _Day(deadline("this_week", scan.today), True)
            offset = {"start": 0, "mid": 2, "end": FRIDAY}[edge]
            return _Day(week.monday + timedelta(days=offset), True)
        today = scan.today
        if unit in ("jaar", "year"):
            first = _make(today.year + ahead, 1 if edge == "start" else 12 if edge == "end" else 7,
                          1)
            if first is not None and edge == "start" and not m[2] and first < today:
                first = _make(today.year + 1, 1, 1)  # "begin van het jaar": the next one
        elif unit in ("maand", "month"):
            first = _shift(today.replace(day=1), months=ahead)
        else:
            month = MONTHS[unit]
            first = _make(today.year + (month < today.month), month, 1)
        if first is None:
            return None
        if edge == "start" and unit in ("maand", "month") and not m[2] and first < today:
            first = _shift(first, months=1)  # "begin van de maand" on the 10th: the next one
            if first is None:
                return None
        last = calendar.monthrange(first.year, first.month)[1]
        return _Day(first.replace(day={"start": 1, "mid": 15, "end": last}[edge]), True)

    scan.take(re.compile(
        rf"\b(?:(?:aan|tegen)\shet\s|(?:at|by|in)\sthe\s)?({_alternation(_EDGES)})[\s-]"
        r"(?:van\s|of\s)?(?:de\s|het\s|the\s)?(?:(deze|dit|this|volgende|volgend|next|komende|"
        rf"komend|coming)\s)?(week|maand|month|jaar|year|{_MON})\b"), make)


def _weeks(scan: _Scan) -> None:
    """"deze week", "volgende week", "komende week", "week 12"."""
    def named(m: re.Match[str]) -> _Week | None:
        return _week(scan, 1 if m[1] in _NEXT else 0)

    def numbered(m: re.Match[str]) -> _Week | None:
        today = scan.today
        for year in (today.year, today.year + 1):
            try:
                monday = date.fromisocalendar(year, int(m[1]), 1)
            except ValueError:
                return None
            if monday + timedelta(days=6) >= today:
                friday = monday + timedelta(days=FRIDAY)
                return _Week(monday, friday if scan.context == "deadline" else None)
        return None

    scan.take(re.compile(r"\b(deze|this|volgende|next|komende|coming)\sweek\b"),
              named)
    scan.take(re.compile(r"\bweek\s(\d{1,2})\b"), numbered)


def _weekdays(scan: _Scan) -> None:
    """"dinsdag", "di", "aanstaande vrijdag", "vrijdag aanstaande", "next tuesday"."""
    scan.take(re.compile(rf"\b(?:({_alternation(_MODIFIERS)})\s)?({_WD})\b(?:\s(aanstaande))?"),
              lambda m: _Weekday(WEEKDAYS[m[2]], _MODIFIERS.get(m[1] or m[3] or "")))


def _parts(scan: _Scan) -> None:
    scan.take(re.compile(rf"\b({_alternation(_PARTS)})\b"), lambda m: _PartOfDay(_PARTS[m[1]]))


def _dotted(scan: _Scan) -> None:
    """"17.3" is a day, "14.30" a time; "12.03" is a day unless a date was already given
    ("do 12 mrt 14.30"), or the weekday does not fit ("vrijdag 9.30")."""
    def make(m: re.Match[str]) -> _Fact | None:
        day = _numeric(scan, m[1], m[2], None, ".")
        clock = _clock_of(m[1], m[2]) if len(m[2]) == 2 else None
        if day is None or clock is None:
            return day or clock
        if any(isinstance(f, _Day | _Week) for f in scan.facts):
            return clock
        weekdays = [f.weekday for f in scan.facts if isinstance(f, _Weekday)]
        return clock if weekdays and weekdays[0] != day.day.weekday() else day

    scan.take(re.compile(r"\b(\d{1,2})\.(\d{1,2})\b(?![-/.:]\d)"), make)


_STEPS: Final[tuple[Callable[[_Scan], None], ...]] = (
    _iso, _numeric_with_year, _clocks, _spoken, _day_months, _bare_hour, _weekday_and_number,
    _ordinals,
    _numeric_plain, _in_n, _relative, _periods, _weeks, _weekdays, _parts, _dotted,
)
