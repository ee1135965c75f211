"""Typed dates in Dutch and English: examples, and properties that hold for any input."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.dates import MAX_AHEAD, PICKS, deadline, local_today, parse_date, parse_day

TUESDAY = date(2026, 3, 10)


@pytest.mark.parametrize(("text", "expected"), [
    ("vandaag", date(2026, 3, 10)),
    ("Morgen", date(2026, 3, 11)),
    ("overmorgen", date(2026, 3, 12)),
    ("tomorrow", date(2026, 3, 11)),
    ("vrijdag", date(2026, 3, 13)),
    ("Vrijdag.", date(2026, 3, 13)),
    ("friday", date(2026, 3, 13)),
    ("volgende vrijdag", date(2026, 3, 13)),
    ("dinsdag", date(2026, 3, 17)),  # today is Tuesday: next Tuesday ("vandaag" is today)
    ("Tuesday", date(2026, 3, 17)),
    ("maandag", date(2026, 3, 16)),
    ("vr", date(2026, 3, 13)),
    ("volgende week", date(2026, 3, 20)),  # weeks are deadlines: their Friday
    ("next week", date(2026, 3, 20)),
    ("deze week", date(2026, 3, 13)),
    ("over twee weken", date(2026, 3, 27)),
    ("in 2 weeks", date(2026, 3, 27)),
    ("12-3", date(2026, 3, 12)),
    ("12/3", date(2026, 3, 12)),
    ("12.3", date(2026, 3, 12)),
    ("1-3", date(2027, 3, 1)),  # already past this year: next year
    ("12-3-2027", date(2027, 3, 12)),
    ("12-3-27", date(2027, 3, 12)),
    ("12 maart", date(2026, 3, 12)),
    ("12 mrt", date(2026, 3, 12)),
    ("  12   MAART  ", date(2026, 3, 12)),
    ("1 april", date(2026, 4, 1)),
    ("march 12", date(2026, 3, 12)),
    ("12 March 2027", date(2027, 3, 12)),
    ("2026-04-01", date(2026, 4, 1)),
])
def test_understood(text: str, expected: date) -> None:
    assert parse_day(text, TUESDAY) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "31-2", "30 februari", "13-13", "gisteren", "9-3-2026", "2020-01-01",
    "12 blub", "<b>vrijdag</b>", "vrijdag 🙂 misschien", "12-3-2099", "0-0", "x" * 500,
])
def test_not_understood_or_in_the_past(text: str) -> None:
    assert parse_day(text, TUESDAY) is None


def test_29_february_only_in_a_leap_year() -> None:
    assert parse_day("29-2", date(2027, 6, 1)) == date(2028, 2, 29)
    assert parse_day("29 februari", date(2026, 3, 10)) is None


@given(st.text(max_size=80), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
def test_any_text_gives_none_or_a_day_from_today_within_reach(text: str, today: date) -> None:
    found = parse_day(text, today)
    assert found is None or today <= found <= today + MAX_AHEAD


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
       st.integers(min_value=0, max_value=365))
def test_numeric_day_month_round_trips(today: date, ahead: int) -> None:
    day = today + timedelta(days=ahead)
    found = parse_day(f"{day.day}-{day.month}", today)
    if day.year == today.year or (day.month, day.day) < (today.month, today.day):
        assert found == day
    else:
        assert found == day.replace(year=today.year) or found is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
       st.sampled_from(["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
                        "zondag"]))
def test_a_weekday_is_within_the_coming_week_and_falls_on_that_day(today: date, name: str
                                                                    ) -> None:
    found = parse_day(name, today)
    assert found is not None
    assert 1 <= (found - today).days <= 7  # the coming one: on that very day, a week on
    assert found.weekday() == ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
                               "zaterdag", "zondag"].index(name)


def test_local_today_uses_the_persons_zone() -> None:
    late = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 on the 11th in Amsterdam
    assert local_today(late, "Europe/Amsterdam") == date(2026, 3, 11)
    # A zone stored wrongly gives the UTC day instead of an error.
    assert local_today(late, "Not/AZone") == date(2026, 3, 10)


DAYS = st.dates(min_value=date(2000, 1, 3), max_value=date(2090, 1, 1))
# The same choice in words, as a coach or a participant would type it.
SAID = {"this_week": ["deze week", "this week"],
        "next_week": ["volgende week", "next week", "over een week", "in a week"],
        "two_weeks": ["over twee weken", "over 2 weken", "in two weeks", "in 2 weeks"],
        "today": ["vandaag", "today"], "tomorrow": ["morgen", "tomorrow"]}


@given(DAYS)
def test_week_choices_end_on_a_friday_one_week_apart(today: date) -> None:
    this_week, next_week, two_weeks = (deadline(p, today) for p in
                                       ("this_week", "next_week", "two_weeks"))
    assert next_week.weekday() == two_weeks.weekday() == 4
    assert two_weeks - next_week == timedelta(days=7)
    assert today <= this_week < next_week
    if today.weekday() <= 4:
        assert this_week.weekday() == 4 and next_week - this_week == timedelta(days=7)
    else:  # the weekend: "this week" is what is left of it, today
        assert this_week == today
    assert (next_week - today).days in range(5, 12)  # Sunday: five days on


@given(DAYS, st.sampled_from(PICKS), st.data())
def test_typed_words_mean_the_same_day_as_the_buttons(today: date, pick, data) -> None:
    said = data.draw(st.sampled_from(SAID[pick]))
    assert parse_date(said, today) == deadline(pick, today) == parse_day(said, today)
    assert parse_date(said.upper() + ".", today) == deadline(pick, today)


@given(DAYS, st.integers(min_value=0, max_value=6), st.sampled_from(["nl", "en"]))
def test_a_weekday_on_that_weekday_means_a_week_later(today: date, ahead: int, lang: str
                                                      ) -> None:
    names = (["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
             if lang == "nl" else
             ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
    day = today + timedelta(days=ahead)
    found = parse_date(names[day.weekday()], today)
    assert found == (day if ahead else today + timedelta(days=7))
