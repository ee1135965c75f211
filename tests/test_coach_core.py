"""Pure rules behind the coach screens: overview numbers, typed dates, quick picks, hints."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.dates import deadline, parse_date
from bot.core.overview import ParticipantFacts, StepFacts, overview, sorted_for_coach
from bot.core.plan_input import TextProblem, clean_text, step_hints

ZONE = "Europe/Amsterdam"


def _person(pid=1, status="active", reachable=True, last=None):
    return ParticipantFacts(pid, f"P{pid}", status, reachable, last)


def test_done_this_week_counts_from_monday_midnight_in_the_coach_zone() -> None:
    now = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)  # Wednesday
    steps = [
        # Sunday 23:30 UTC is already Monday 00:30 in Amsterdam: this week.
        StepFacts(1, "done", None, datetime(2026, 3, 8, 23, 30, tzinfo=UTC), None),
        # Sunday 22:30 UTC is Sunday 23:30 in Amsterdam: last week.
        StepFacts(1, "done", None, datetime(2026, 3, 8, 22, 30, tzinfo=UTC), None),
        StepFacts(1, "open", date(2026, 3, 10), None, now),
        StepFacts(1, "open", date(2026, 3, 11), None, None),  # due today: not overdue
        StepFacts(1, "dropped", date(2026, 3, 1), None, None),
    ]
    [line] = overview([_person(last=datetime(2026, 3, 4, 9, tzinfo=UTC))], steps, now, ZONE)
    assert (line.done_this_week, line.overdue, line.help_asked, line.days_since_contact) == (
        1, 1, 1, 7)


def test_status_shows_unreachable_unless_they_left_anyway() -> None:
    now = datetime(2026, 3, 11, tzinfo=UTC)
    lines = overview([_person(1, "active", False), _person(2, "ended", False),
                      _person(3, "invited", None)], [], now, ZONE)
    assert [line.status for line in lines] == ["unreachable", "ended", "invited"]
    assert [line.participant_id for line in sorted_for_coach(lines)] == [1, 3, 2]


@pytest.mark.parametrize(("typed", "expected"), [
    ("12-3", date(2026, 3, 12)),
    ("12/03/2026", date(2026, 3, 12)),
    ("2026-03-12", date(2026, 3, 12)),
    ("12 maart", date(2026, 3, 12)),
    ("12 March", date(2026, 3, 12)),
    ("Morgen", date(2026, 3, 11)), ("vandaag", date(2026, 3, 10)),
    ("1-3", date(2027, 3, 1)),  # without a year: the next one, never silently in the past
    ("1-3-2026", date(2026, 3, 1)),  # with a year: as typed (the flow asks about the past)
    ("31-2", None), ("29-2-2026", None), ("morgen?", None), ("12 blub", None), ("", None),
    ("99-99", None), ("1-1-1900", None), ("١٢-٣", date(2026, 3, 12)),
])
def test_typed_dates(typed: str, expected: date | None) -> None:
    assert parse_date(typed, date(2026, 3, 10)) == expected


@given(st.text(max_size=40))
def test_any_text_parses_to_a_date_or_none(text: str) -> None:
    result = parse_date(text, date(2026, 3, 10))
    assert result is None or isinstance(result, date)


def test_quick_picks_from_a_tuesday_and_a_saturday() -> None:
    tuesday, saturday = date(2026, 3, 10), date(2026, 3, 14)
    assert deadline("this_week", tuesday) == date(2026, 3, 13)
    assert deadline("next_week", tuesday) == date(2026, 3, 20)
    assert deadline("two_weeks", tuesday) == date(2026, 3, 27)  # a Friday, like the others
    assert deadline("this_week", saturday) == saturday
    assert deadline("next_week", saturday) == date(2026, 3, 20)
    assert deadline("two_weeks", saturday) == date(2026, 3, 27)


def test_clean_text_keeps_html_emoji_and_rtl_but_refuses_empty_and_long() -> None:
    assert clean_text("  <b>hi</b>\n 🌻 שלום ", 50) == "<b>hi</b> 🌻 שלום"
    assert clean_text("a\u0000b", 50) == "ab"
    assert clean_text(" \n\t", 50) is TextProblem.EMPTY
    assert clean_text("x" * 51, 50) is TextProblem.TOO_LONG
    assert clean_text("line one\nline two", 50, multiline=True) == "line one\nline two"


def test_step_hints_are_gentle_signals() -> None:
    today = date(2026, 3, 10)
    assert not step_hints("Bel de bank", date(2026, 3, 12), today).any
    hints = step_hints("Alles uitzoeken en dan " + "x" * 80, None, today)
    assert hints.long and hints.big and hints.no_date
    assert step_hints("Bel", date(2026, 6, 1), today).far


@given(st.text(max_size=120), st.integers(min_value=1, max_value=100))
def test_clean_text_never_returns_control_characters_or_too_much(raw: str, limit: int) -> None:
    import unicodedata

    result = clean_text(raw, limit)
    if not isinstance(result, TextProblem):
        assert 0 < len(result) <= limit and result == result.strip()
        assert not any(unicodedata.category(ch) == "Cc" for ch in result)
