"""The one parser for typed dates and times (bot.core.when): what it understands, what it says
back, what it refuses, and properties that hold for any input."""

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.meetings import parse_when
from bot.core.when import Understood, understand

TUESDAY = date(2026, 3, 10)
NL_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def read(text: str, context: str = "deadline", today: date = TUESDAY,
         locale: str | None = None) -> Understood | None:
    return understand(text, today, context=context, locale=locale)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "expected"), [
    # The phrases of issue 21 that were refused for a step's deadline (base Tuesday 10 March).
    ("volgende week dinsdag", date(2026, 3, 17)),
    ("dinsdag 17 maart", date(2026, 3, 17)),
    ("di 17 mrt", date(2026, 3, 17)),
    ("over 3 dagen", date(2026, 3, 13)),
    ("eind van de maand", date(2026, 3, 31)),
    ("wo 18 maart", date(2026, 3, 18)),
    ("dinsdag volgende week", date(2026, 3, 17)),
    ("aanstaande vrijdag", date(2026, 3, 13)),
    ("over drie weken", date(2026, 4, 3)),  # weeks as deadlines end on a Friday
    ("over tien dagen", date(2026, 3, 20)),
    ("eind van de week", date(2026, 3, 13)),
    ("begin volgende maand", date(2026, 4, 1)),
    ("17.3", date(2026, 3, 17)),
    ("17/3/2027", date(2027, 3, 17)),
    ("next tuesday", date(2026, 3, 17)),
    ("tue 17 mar", date(2026, 3, 17)),
    ("in 3 days", date(2026, 3, 13)),
    ("end of the month", date(2026, 3, 31)),
    ("vrijdag 13", date(2026, 3, 13)),
    ("week 13", date(2026, 3, 27)),
])
def test_deadlines_as_people_write_them(text: str, expected: date) -> None:
    found = read(text)
    assert found is not None and found.day == expected


@pytest.mark.parametrize(("text", "day", "at"), [
    # The meeting phrases of issue 21, and the other ways to say a time.
    ("morgen om 2 uur", date(2026, 3, 11), time(14, 0)),  # working hours: the afternoon
    ("morgen 14u", date(2026, 3, 11), time(14, 0)),
    ("donderdag om half 3", date(2026, 3, 12), time(14, 30)),  # half 3 is 2:30
    ("morgen kwart over 10", date(2026, 3, 11), time(10, 15)),
    ("morgen kwart voor 10", date(2026, 3, 11), time(9, 45)),
    ("do 12 mrt 14.30", date(2026, 3, 12), time(14, 30)),
    ("vrijdag 9u30", date(2026, 3, 13), time(9, 30)),
    ("vrijdag 9.30", date(2026, 3, 13), time(9, 30)),  # 9 September is no Friday: a time
    ("morgen 's middags om 3", date(2026, 3, 11), time(15, 0)),
    ("morgen om 7 uur 's avonds", date(2026, 3, 11), time(19, 0)),
    ("donderdagochtend half 10", date(2026, 3, 12), time(9, 30)),
    ("morgen om tien over half 3", date(2026, 3, 11), time(14, 40)),
    ("vrijdag vijf voor half 4", date(2026, 3, 13), time(15, 25)),
    ("donderdag half 1", date(2026, 3, 12), time(12, 30)),
    ("tomorrow at 2pm", date(2026, 3, 11), time(14, 0)),
    ("friday at quarter to 3", date(2026, 3, 13), time(14, 45)),
    ("tomorrow at 12am", date(2026, 3, 11), time(0, 0)),
    ("monday at noon", date(2026, 3, 16), time(12, 0)),
    ("over een week om 10 uur", date(2026, 3, 17), time(10, 0)),  # a meeting: seven days on
    ("morgen 07:30", date(2026, 3, 11), time(7, 30)),  # a 24-hour clock is taken as written
])
def test_meetings_as_people_write_them(text: str, day: date, at: time) -> None:
    assert parse_when(text, TUESDAY) == (day, at)


@pytest.mark.parametrize(("text", "ambiguous"), [
    ("dinsdag 17 maart om 14:00", False),
    ("morgen om 14 uur", False),
    ("morgen 's middags om 3", False),
    ("tomorrow at 3pm", False),
    ("morgen om 2 uur", True),  # 14:00 is a guess
    ("morgen half 3", True),
    ("di 18 maart 14:00", True),  # 18 March is a Wednesday: the date wins, said back
    ("woensdg 11:00", True),  # a corrected typo
    ("volgende vrijdag 10:00", True),  # this Friday or the one after?
    ("morgen rond 10 uur", True),  # approximate
])
def test_what_is_said_back(text: str, ambiguous: bool) -> None:
    found = read(text, "meeting")
    assert found is not None and found.time is not None
    assert found.ambiguous is ambiguous


@pytest.mark.parametrize(("text", "ambiguous"), [
    ("vrijdag", False), ("17-3", False), ("over 3 dagen", False), ("morgen", False),
    ("eind van de maand", True), ("begin april", True), ("volgende week", True),
    ("over een week", True),  # a Friday, like the button: said back with its weekday
    ("vrijdag 10", True),  # Friday 10 April, or ten o'clock on Friday?
])
def test_vague_deadlines_are_said_back(text: str, ambiguous: bool) -> None:
    found = read(text)
    assert found is not None and found.ambiguous is ambiguous


@pytest.mark.parametrize(("text", "today", "expected"), [
    ("voor het weekend", TUESDAY, date(2026, 3, 13)),
    ("na het weekend", TUESDAY, date(2026, 3, 16)),
    ("dinsdag na het weekend", TUESDAY, date(2026, 3, 17)),
    ("dit weekend", TUESDAY, date(2026, 3, 14)),
    ("eind van de week", date(2026, 3, 15), date(2026, 3, 20)),  # typed on a Sunday
    ("oudejaarsdag", TUESDAY, date(2026, 12, 31)),
    ("new year's eve", TUESDAY, date(2026, 12, 31)),
    ("tweede kerstdag", TUESDAY, date(2026, 12, 26)),
    ("over een dag of 3", TUESDAY, date(2026, 3, 13)),
    ("vrijdag over een week", TUESDAY, date(2026, 3, 20)),  # the Friday after the coming one
    ("dinsdag over een week", TUESDAY, date(2026, 3, 17)),  # typed on a Tuesday: a week on
    ("over twee weken maandag", TUESDAY, date(2026, 3, 30)),
    ("a week from friday", TUESDAY, date(2026, 3, 20)),
    ("volg week woensdag", TUESDAY, date(2026, 3, 18)),
    ("as vrijdag", TUESDAY, date(2026, 3, 13)),
    ("mrgn", TUESDAY, date(2026, 3, 11)),
    ("2moro", TUESDAY, date(2026, 3, 11)),
    ("zeventien maart", TUESDAY, date(2026, 3, 17)),
    ("vierentwintig maart", TUESDAY, date(2026, 3, 24)),
    ("17 maar", TUESDAY, date(2026, 3, 17)),  # a short typo beside a number
])
def test_spans_named_days_and_chat_forms(text: str, today: date, expected: date) -> None:
    found = read(text, today=today)
    assert found is not None and found.day == expected


@pytest.mark.parametrize(("text", "day", "at"), [
    ("vrijdag 1530", date(2026, 3, 13), time(15, 30)),
    ("morgen om 14;00", date(2026, 3, 11), time(14, 0)),
    ("morgen om 2 uut", date(2026, 3, 11), time(14, 0)),
    ("morgen tussen de middag", date(2026, 3, 11), time(12, 0)),
    ("vrijdagvoormiddag om 10u", date(2026, 3, 13), time(10, 0)),
    ("woensdagnamiddag om 2u", date(2026, 3, 11), time(14, 0)),
])
def test_more_ways_to_type_a_time(text: str, day: date, at: time) -> None:
    found = read(text, "meeting")
    assert found is not None and (found.day, found.time) == (day, at)


def test_a_day_moved_to_next_year_is_said_back_except_at_the_turn_of_the_year() -> None:
    assert read("2 maart") == Understood(date(2027, 3, 2), None, True)
    assert read("5 januari", today=date(2026, 12, 28)) == Understood(date(2027, 1, 5))


def test_the_context_decides_what_a_week_means() -> None:
    assert read("over een week") == Understood(date(2026, 3, 20), None, True)
    assert read("over een week", "meeting") == Understood(date(2026, 3, 17), None, False)
    assert read("volgende week om 10 uur", "meeting") is None  # which day?


def test_a_meeting_needs_a_time() -> None:
    assert read("morgen", "meeting") == Understood(date(2026, 3, 11))
    assert parse_when("morgen", TUESDAY) is None
    assert parse_when("om half 3", TUESDAY) is None  # and a day


def test_english_numbers_that_may_be_month_first_are_said_back() -> None:
    assert read("3/4") == Understood(date(2026, 4, 3))
    assert read("3/4", locale="en") == Understood(date(2026, 4, 3), None, True)
    assert read("3/17") == Understood(date(2026, 3, 17), None, True)  # no 17th month


@pytest.mark.parametrize("text", [
    "ik weet het niet", "geen idee", "binnenkort", "later", "ik kan dinsdag niet",
    "dinsdag of woensdag", "liever niet dinsdag", "week", "volgende maand", "25:00",
    "morgen om 25 uur",
    "half 13", "over 2 uur", "14-16 uur", "32 maart", "woensdag 17", "the 32nd", "12pm",
    "no idea", "sometime", "asap", "i don't know", "x" * 121, "not on friday",
    "ik heb 3 kinderen", "de brief is verstuurd", "🙂", "vorige week kon het niet",
])
def test_what_is_not_a_date_is_refused(text: str) -> None:
    assert read(text) is None
    assert read(text, "meeting") is None
    assert understand(text, TUESDAY, whole_text=True) is None


@pytest.mark.parametrize(("text", "locale", "day", "at"), [
    ("woensdag is goed", "nl", date(2026, 3, 11), None),
    ("doe maar maandag", "nl", date(2026, 3, 16), None),
    ("morgen?", "nl", date(2026, 3, 11), None),
    ("kan ik woensdag komen ipv dinsdag", "nl", date(2026, 3, 11), None),
    ("liever niet dinsdag, woensdag kan wel", "nl", date(2026, 3, 11), None),
    ("kan het misschien donderdag om half drie want dan heb ik de kinderen niet", "nl",
     date(2026, 3, 12), time(14, 30)),
    ("can we do thursday instead", "en", date(2026, 3, 12), None),  # "do" is a word here
    ("yeah tomorrow at two would be fine for me", "en", date(2026, 3, 11), time(14, 0)),
])
def test_a_date_in_a_short_sentence_is_read_and_said_back(text: str, locale: str, day: date,
                                                          at: time | None) -> None:
    assert understand(text, TUESDAY, locale=locale) == Understood(day, at, True)
    # The flows cannot say a date back yet: for them the whole text must be a date.
    assert understand(text, TUESDAY, locale=locale, whole_text=True) is None


def test_a_typed_date_in_the_past_comes_back_but_words_for_the_past_are_refused() -> None:
    assert read("1-3-2026") == Understood(date(2026, 3, 1))  # the caller says it is past
    assert read("dinsdag 3 maart 2026") == Understood(date(2026, 3, 3))
    for text in ("gisteren", "yesterday", "vorige week dinsdag", "last friday"):
        assert read(text) is None


@pytest.mark.parametrize(("typo", "meant"), [
    ("woensdg", "woensdag"), ("donderdg", "donderdag"), ("vrydag", "vrijdag"),
    ("zatredag", "zaterdag"), ("thrusday", "thursday"), ("tomorow", "tomorrow"),
    ("17 febuari", "17 februari"), ("1 apirl", "1 april"),
])
def test_typos_read_as_the_nearest_name_and_are_said_back(typo: str, meant: str) -> None:
    found, expected = read(typo), read(meant)
    assert found is not None and expected is not None
    assert found == Understood(expected.day, expected.time, True)


@given(st.text(max_size=90), st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 1, 1)),
       st.sampled_from(["deadline", "meeting"]))
def test_any_text_gives_none_or_a_day(text: str, today: date, context: str) -> None:
    found = read(text, context, today)
    assert found is None or isinstance(found.day, date)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 1, 1)),
       st.integers(0, 23), st.integers(0, 59), st.integers(0, 6))
def test_a_24_hour_time_after_a_weekday_is_read_as_written(today: date, hour: int,
                                                           minute: int, weekday: int) -> None:
    text = f"{NL_DAYS[weekday]} {hour:02d}:{minute:02d}"
    found = read(text, "meeting", today)
    assert found is not None and found.time == time(hour, minute)
    assert found.day.weekday() == weekday and 1 <= (found.day - today).days <= 7


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 1, 1)),
       st.integers(1, 12), st.integers(0, 6))
def test_half_an_hour_before_the_hour_within_working_hours(today: date, hour: int,
                                                           weekday: int) -> None:
    found = read(f"{NL_DAYS[weekday]} om half {hour}", "meeting", today)
    assert found is not None and found.time is not None
    assert found.time.minute == 30 and (found.time.hour - hour + 1) % 12 == 0
    assert time(7, 30) <= found.time <= time(19, 30)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 6),
       st.sampled_from(["volgende week {}", "{} volgende week", "{} next week"]))
def test_a_weekday_next_week_falls_in_next_calendar_week(today: date, weekday: int,
                                                         phrase: str) -> None:
    name = NL_DAYS[weekday] if "volgende" in phrase else ["monday", "tuesday", "wednesday",
                                                           "thursday", "friday", "saturday",
                                                           "sunday"][weekday]
    found = read(phrase.format(name), today=today)
    monday = today - timedelta(days=today.weekday())
    assert found == Understood(monday + timedelta(days=7 + weekday))


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 1, 1)),
       st.integers(0, 400))
def test_in_n_days(today: date, n: int) -> None:
    assert read(f"over {n} dagen", today=today) == Understood(today + timedelta(days=n))
    assert read(f"in {n} days", today=today) == Understood(today + timedelta(days=n))
