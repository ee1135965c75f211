"""The patterns a typed date is read with, in the order they are tried (bot.core.when): each
turns the spans it matches into facts and blanks them out."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Final

from bot.core.when.facts import (
    FRIDAY,
    Clock,
    Day,
    Fact,
    PartOfDay,
    Scan,
    Week,
    Weekday,
    deadline,
)
from bot.core.when.words import (
    HEDGES,
    MODIFIERS,
    MONTHS,
    NAMED_DAYS,
    PART_OF_RELATIVE,
    PARTS,
    RELATIVE,
    WEEKDAYS,
)


def _alternation(words: Iterable[object]) -> str:
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))


_WD = _alternation(WEEKDAYS)
# In English "do", "ma", "zo" are words ("could we do wed 18 march"), not Dutch weekdays.
_WD_EN = _alternation(w for w in WEEKDAYS if len(w) > 2)


def _wd(scan: Scan) -> str:
    return _WD_EN if scan.locale == "en" else _WD
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


def _day_month(scan: Scan, day: str, month: int | None, year: str | None) -> Day | None:
    """A day and month, in the year typed or else the next occurrence. Moved to next year
    ("2 maart" typed on 10 March) it is said back: a day just past is more often a slip than
    a plan a year ahead, except around the turn of the year ("5 januari" in December)."""
    if month is None:
        return None
    if year:
        return _day_of(_make(_year(year), month, int(day)))
    found = _next_occurrence(int(day), month, scan.today)
    return _day_of(found, found is not None and found.year > scan.today.year
                   and (found - scan.today).days > 90)


def _iso(scan: Scan) -> None:
    scan.take(re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"),
              lambda m: _day_of(_make(int(m[1]), int(m[2]), int(m[3]))))


def _day_of(found: date | None, vague: bool = False) -> Day | None:
    return Day(found, vague) if found else None


def _numeric_with_year(scan: Scan) -> None:
    scan.take(re.compile(r"\b(\d{1,2})\s?([-/.])\s?(\d{1,2})\s?\2\s?('?\d{2}|\d{4})\b"),
              lambda m: _numeric(scan, m[1], m[3], m[4], m[2]))


def _numeric(scan: Scan, first: str, second: str, year: str | None, sep: str) -> Day | None:
    """Day first, as in Dutch; "3/17" (no such month) is read month first, and said back.
    In English a day like 3/4 may be meant month first: said back too."""
    a, b = int(first), int(second)
    found = _day_month(scan, first, b, year) if 1 <= b <= 12 else None
    if found is None and sep == "/" and 1 <= a <= 12 < b:
        flipped = _day_month(scan, second, a, year)
        return Day(flipped.day, True) if flipped else None
    if found is not None and scan.locale == "en" and sep == "/" and a <= 12 and a != b:
        return Day(found.day, True)
    return found


def _clock_of(hour: str, minute: str | None = None, meridiem: str | None = None
              ) -> Clock | None:
    h, m = int(hour), int(minute or 0)
    if m > 59 or h > 23:
        return None
    if meridiem:
        if not 1 <= h <= 12:
            return None
        return Clock(h, m, False, "am" if meridiem == "am" else "pm")
    # "14:30", "0:15" and "08:00" are read as a 24-hour clock; "2:30" is not.
    fixed = h > 12 or h == 0 or (len(hour) == 2 and hour.startswith("0"))
    return Clock(h, m, fixed)


def _clocks(scan: Scan) -> None:
    scan.take(re.compile(r"\b(\d{1,2}):(\d{2})(?:\s?(am|pm))?\b"),
              lambda m: _clock_of(m[1], m[2], m[3]))
    scan.take(re.compile(r"\b(\d{1,2})[uh](\d{2})?\b"), lambda m: _clock_of(m[1], m[2]))
    scan.take(re.compile(r"\b(\d{1,2})(?:\.(\d{2}))?\s?(am|pm)\b"),
              lambda m: _clock_of(m[1], m[2], m[3]))
    scan.take(re.compile(rf"\b({_AT})\s(\d{{1,2}})\.(\d{{2}})\b"),
              lambda m: _announced(scan, m[1], _clock_of(m[2], m[3])))
    scan.take(re.compile(r"\b(\d{1,2})\.(\d{2})\suur\b"), lambda m: _clock_of(m[1], m[2]))


def _announced(scan: Scan, word: str, clock: Clock | None) -> Clock | None:
    """A time after "om", "at" or an approximate word ("rond 3 uur": worth saying back)."""
    scan.hedged = scan.hedged or word in HEDGES
    return clock


_MINUTES: Final = {"kwart": 15, "quarter": 15, "half": 30}
_NOT_A_SPAN = rf"(?!\s?{_UNIT}\b)"  # "10 over 2 weken" is not ten past two


def _minutes(word: str) -> int:
    return _MINUTES.get(word) or int(word)


def _to(hour: str, minutes: int) -> Clock | None:
    """`minutes` before `hour` o'clock, on a twelve-hour clock ("kwart voor 1" is 12:45)."""
    h = int(hour)
    if not 1 <= h <= 12 or not 0 < minutes < 60:
        return None
    return Clock((h - 2) % 12 + 1, 60 - minutes)


def _past(hour: str, minutes: int) -> Clock | None:
    h = int(hour)
    return Clock(h, minutes) if 1 <= h <= 12 and 0 < minutes < 60 else None


def _half(m: re.Match[str]) -> Clock | None:
    """Dutch counts half hours towards the next hour: "half 3" is 2:30, "tien over half 3"
    2:40, "vijf voor half 4" 3:25."""
    offset = _minutes(m[1]) if m[1] else 0
    return _to(m[3], 30 - offset if m[2] == "over" else 30 + offset)


def _spoken(scan: Scan) -> None:
    scan.take(re.compile(r"\b(?:(\d{1,2}|kwart)\s(over|voor)\s)?half\s(\d{1,2})\b" + _NOT_A_SPAN),
              _half)
    scan.take(re.compile(r"\b(\d{1,2}|kwart)\s(over|voor)\s(\d{1,2})\b" + _NOT_A_SPAN),
              lambda m: (_past if m[2] == "over" else _to)(m[3], _minutes(m[1])))
    scan.take(re.compile(r"\b(\d{1,2}|quarter|half)\s(past|to)\s(\d{1,2})\b" + _NOT_A_SPAN),
              lambda m: (_past if m[2] == "past" else _to)(m[3], _minutes(m[1])))
    scan.take(re.compile(r"\b(?:tussen\sde\smiddag|lunchtijd|lunchtime|lunch)\b"),
              lambda m: _announced(scan, "rond", Clock(12, 0, True)))  # about noon
    scan.take(re.compile(r"\b(?:12\s)?(noon|midday|middaguur|midnight|middernacht)\b"),
              lambda m: Clock(0 if m[1] in ("midnight", "middernacht") else 12, 0, True))
    scan.take(re.compile(r"\b(\d{1,2})\suur\b"), lambda m: _clock_of(m[1]))


def _day_months(scan: Scan) -> None:
    """"17 maart", "17e maart 2027", "17th of march", "march 17th, 2026"."""
    scan.take(re.compile(rf"\b(\d{{1,2}}){_ORD}?\s(?:of\s|van\s)?({_MON})\b(?:\s(\d{{4}}|'\d{{2}})\b)?"),
              lambda m: _day_month(scan, m[1], MONTHS[m[2]], m[3]))
    scan.take(re.compile(rf"\b({_MON})\s(\d{{1,2}}){_ORD}?\b(?:\s(\d{{4}})\b)?"),
              lambda m: _day_month(scan, m[2], MONTHS[m[1]], m[3]))


def _bare_hour(scan: Scan) -> None:
    """"om 2", "at 11": an hour after a word that announces one."""
    scan.take(re.compile(rf"\b({_AT})\s(\d{{1,2}})\b(?![-/.:]\d)"),
              lambda m: _announced(scan, m[1], _clock_of(m[2])))


def _weekday_and_number(scan: Scan) -> None:
    """"vrijdag 13", "di de 17e": the day of this month or the next that is that weekday."""
    def make(m: re.Match[str]) -> tuple[Fact, ...] | None:
        weekday, day, today = WEEKDAYS[m[1]], int(m[2]), scan.today
        first = today.replace(day=1)
        for months in (0, 1, 2):
            month = _shift(first, months=months)
            found = _make(month.year, month.month, day) if month else None
            if found is not None and found >= today and found.weekday() == weekday:
                # Beyond the coming such weekday "vrijdag 10" may have meant ten o'clock.
                return Weekday(weekday), Day(found, (found - today).days > 7)
        return None

    scan.take(re.compile(rf"\b({_wd(scan)})\s(?:de\s|the\s)?(\d{{1,2}}){_ORD}?\b(?![-/.:]\d)"),
              make)


def _ordinals(scan: Scan) -> None:
    """"de 17e", "the 20th": that day of this month, or of the next when it has passed."""
    def make(m: re.Match[str]) -> Day | None:
        day, today = int(m[1]), scan.today
        found = _make(today.year, today.month, day)
        if found is None or found < today:
            following = today.replace(day=1) + timedelta(days=32)
            found = _make(following.year, following.month, day)
        return _day_of(found)

    scan.take(re.compile(rf"\b(\d{{1,2}}){_ORD}\b"), make)


def _numeric_plain(scan: Scan) -> None:
    scan.take(re.compile(r"\b(\d{1,2})\s?([-/])\s?(\d{1,2})\b(?![-/.:]\d)"),
              lambda m: _numeric(scan, m[1], m[3], None, m[2]))


def _relative(scan: Scan) -> None:
    def make(m: re.Match[str]) -> Fact | tuple[Fact, ...] | None:
        found = _day_of(_shift(scan.today, days=RELATIVE[m[1]]))
        part = PART_OF_RELATIVE.get(m[1])
        if found is None or part is None:
            return found
        return found, PartOfDay(part)

    scan.take(re.compile(rf"\b({_alternation(RELATIVE)})\b"), make)


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


def _week(scan: Scan, weeks: int, counted: bool = False) -> Week | None:
    """A week `weeks` on from this one. Alone, as a deadline, it means its Friday (this week:
    the coming Friday, or today in the weekend), the same day as the buttons; a meeting
    "over een week" (`counted`) is seven days on, and "volgende week" alone is no day."""
    monday = _monday(scan.today, weeks)
    if monday is None:
        return None
    if scan.context == "meeting":
        return Week(monday, _shift(scan.today, days=7 * weeks) if counted else None, False)
    if weeks == 0:
        return Week(monday, deadline("this_week", scan.today))
    return Week(monday, monday + timedelta(days=FRIDAY))


_N = r"(\d{1,3}|a|an)"


def _count(number: str) -> int:
    return 1 if number in ("a", "an") else int(number)


def _counted(scan: Scan, count: int, unit: str, vague: bool = False) -> Fact | None:
    if unit.startswith(("dag", "day")):
        return _day_of(_shift(scan.today, days=count), vague)
    if unit.startswith(("maand", "month")):
        return _day_of(_shift(scan.today, months=count), vague)
    return _week(scan, count, counted=True)


def _weekday_weeks_on(scan: Scan) -> None:
    """"vrijdag over een week", "over twee weken dinsdag", "a week from friday": that weekday
    (today or the first after it), then that many weeks on ("zaterdag over een week" is the
    Saturday after the coming one, as Taaladvies reads it; typed on a Saturday, a week from
    today)."""
    def make(weekday: str, number: str) -> Fact | None:
        first = scan.today + timedelta(days=(WEEKDAYS[weekday] - scan.today.weekday()) % 7)
        return _day_of(_shift(first, days=7 * _count(number)))

    wd, weeks = _wd(scan), r"(?:weken|week|weeks)"
    scan.take(re.compile(rf"\b({wd})\s(?:over|in)\s{_N}\s{weeks}\b"),
              lambda m: make(m[1], m[2]))
    scan.take(re.compile(rf"\b(?:over|in)\s{_N}\s{weeks}\s(?:op\s|on\s)?({wd})\b"),
              lambda m: make(m[2], m[1]))
    scan.take(re.compile(rf"\b{_N}\s{weeks}\s(?:from|after)\s(?:on\s)?({wd})\b"),
              lambda m: make(m[2], m[1]))


def _in_n(scan: Scan) -> None:
    """"over 3 dagen", "binnen 2 weken", "in a month", "3 days from now"; "over een dag of 3"
    (about three days: said back)."""
    scan.take(re.compile(r"\b(?:over|in|binnen)\s1\s(dag|week|maand)\sof\s(\d{1,2})\b"),
              lambda m: _counted(scan, int(m[2]), m[1], vague=True))
    scan.take(re.compile(rf"\b(?:over|in|binnen|within)\s{_N}\s({_UNIT})\b"),
              lambda m: _counted(scan, _count(m[1]), m[2]))
    scan.take(re.compile(rf"\b{_N}\s({_UNIT})\s(?:from\s(?:now|today)|vanaf\s(?:nu|vandaag)"
                         r"|later)\b"), lambda m: _counted(scan, _count(m[1]), m[2]))


def _named_days(scan: Scan) -> None:
    """"oudejaarsdag", "tweede kerstdag", "koningsdag": the next such day (today counts)."""
    scan.take(re.compile(rf"\b({_alternation(NAMED_DAYS)})\b"),
              lambda m: _day_of(_next_occurrence(NAMED_DAYS[m[1]][1], NAMED_DAYS[m[1]][0],
                                                 scan.today)))


def _weekend(scan: Scan) -> None:
    """"voor het weekend" (Friday), "na het weekend" (the Monday after, or a weekday of that
    week), "dit weekend" (Saturday), "volgend weekend": spans, said back."""
    today = scan.today
    this_monday = today - timedelta(days=today.weekday())
    saturday = this_monday + timedelta(days=5)

    def after(m: re.Match[str]) -> Fact | None:
        monday = _monday(today, 1)
        return Week(monday, monday) if monday else None

    scan.take(re.compile(r"\b(?:voor|before)\s(?:het\s|the\s)?weekend\b"),
              lambda m: _day_of(deadline("this_week", today) if today.weekday() <= FRIDAY
                                else _shift(this_monday, days=7 + FRIDAY), True))
    scan.take(re.compile(r"\b(?:na|after)\s(?:het\s|t\s|'t\s|the\s)?weekend\b"), after)
    scan.take(re.compile(r"\b(?:volgend|volgende|next)\sweekend\b"),
              lambda m: _day_of(_shift(saturday, days=7), True))
    scan.take(re.compile(r"\b(?:(?:in\s)?(?:het|dit|deze|this|the)\s)?weekend\b"),
              lambda m: _day_of(max(saturday, today), True))


_EDGES: Final = {
    "eind": "end", "einde": "end", "end": "end", "late": "end",
    "begin": "start", "start": "start", "beginning": "start", "early": "start",
    "midden": "mid", "mid": "mid", "medio": "mid", "half": "mid", "halverwege": "mid",
}  # fmt: skip
_NEXT: Final = ("volgende", "volgend", "next", "komende", "komend", "coming")


def _periods(scan: Scan) -> None:
    """"eind van de week", "begin volgende maand", "eind maart", "end of the month": vague
    spans pinned to one day (start: the first, end: the last, mid: the middle)."""
    def make(m: re.Match[str]) -> Fact | None:
        edge, ahead, unit = _EDGES[m[1]], int(m[2] in _NEXT), m[3]
        if unit == "week":
            week = _week(scan, ahead)
            if week is None:
                return None
            if edge == "end" and not ahead and scan.today.weekday() <= FRIDAY:
                return Day(deadline("this_week", scan.today), True)
            if edge == "end" and not ahead:  # typed in the weekend: the coming working week
                return Day(week.monday + timedelta(days=7 + FRIDAY), True)
            offset = {"start": 0, "mid": 2, "end": FRIDAY}[edge]
            return Day(week.monday + timedelta(days=offset), True)
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
        return Day(first.replace(day={"start": 1, "mid": 15, "end": last}[edge]), True)

    scan.take(re.compile(
        rf"\b(?:(?:aan|tegen)\shet\s|(?:at|by|in)\sthe\s)?({_alternation(_EDGES)})[\s-]"
        r"(?:van\s|of\s)?(?:de\s|het\s|the\s)?(?:(deze|dit|this|volgende|volgend|next|komende|"
        rf"komend|coming)\s)?(week|maand|month|jaar|year|{_MON})\b"), make)


def _weeks(scan: Scan) -> None:
    """"deze week", "volgende week", "komende week", "week 12"."""
    def named(m: re.Match[str]) -> Week | None:
        return _week(scan, 1 if m[1] in _NEXT else 0)

    def numbered(m: re.Match[str]) -> Week | None:
        today = scan.today
        for year in (today.year, today.year + 1):
            try:
                monday = date.fromisocalendar(year, int(m[1]), 1)
            except ValueError:
                return None
            if monday + timedelta(days=6) >= today:
                friday = monday + timedelta(days=FRIDAY)
                return Week(monday, friday if scan.context == "deadline" else None)
        return None

    scan.take(re.compile(r"\b(deze|this|volgende|next|komende|coming)\sweek\b"),
              named)
    scan.take(re.compile(r"\bweek\s(\d{1,2})\b"), numbered)


_MODIFIER = _alternation(MODIFIERS)


def _weekdays(scan: Scan) -> None:
    """"dinsdag", "di", "aanstaande vrijdag", "vrijdag aanstaande", "next tuesday"."""
    scan.take(re.compile(rf"\b(?:({_MODIFIER})\s)?({_wd(scan)})\b(?:\s(aanstaande))?"),
              lambda m: Weekday(WEEKDAYS[m[2]], MODIFIERS.get(m[1] or m[3] or "")))


def _parts(scan: Scan) -> None:
    scan.take(re.compile(rf"\b({_alternation(PARTS)})\b"), lambda m: PartOfDay(PARTS[m[1]]))


def _run_together(scan: Scan) -> None:
    """"vrijdag 1530", "om 930": a time typed without its separator, when no other time was
    given (a year has been taken by then)."""
    def make(m: re.Match[str]) -> Clock | None:
        if any(isinstance(f, Clock) for f in scan.facts):
            return None
        return _clock_of(m[1], m[2])

    scan.take(re.compile(r"(?<![-/.:\d])\b([01]?\d|2[0-3])([0-5]\d)\b(?![-/.:]\d)"), make)


def _dotted(scan: Scan) -> None:
    """"17.3" is a day, "14.30" a time; "12.03" is a day unless a date was already given
    ("do 12 mrt 14.30"), or the weekday does not fit ("vrijdag 9.30")."""
    def make(m: re.Match[str]) -> Fact | None:
        day = _numeric(scan, m[1], m[2], None, ".")
        clock = _clock_of(m[1], m[2]) if len(m[2]) == 2 else None
        if day is None or clock is None:
            return day or clock
        if any(isinstance(f, Day | Week) for f in scan.facts):
            return clock
        weekdays = [f.weekday for f in scan.facts if isinstance(f, Weekday)]
        return clock if weekdays and weekdays[0] != day.day.weekday() else day

    scan.take(re.compile(r"\b(\d{1,2})\.(\d{1,2})\b(?![-/.:]\d)"), make)


STEPS: Final[tuple[Callable[[Scan], None], ...]] = (
    _iso, _numeric_with_year, _clocks, _spoken, _day_months, _bare_hour, _weekday_and_number,
    _ordinals, _numeric_plain, _weekday_weeks_on, _in_n, _relative, _named_days, _weekend,
    _periods, _weeks, _weekdays, _parts, _run_together, _dotted,
)
