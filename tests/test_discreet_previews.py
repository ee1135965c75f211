"""The first line of every message the bot sends on its own is what a lock screen shows: it never
names debts, benefits, income or health, in Dutch or English, whatever the goal says."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bot import i18n
from bot.core import reminders as plan
from bot.flows.reminders import lesson_series
from bot.screens import lessons, nudges
from tests.support.telegram_fake import html_to_plain

SENSITIVE = {
    "nl": ["schuld", "uitkering", "bijstand", "inkomen", "toeslag", "loon", "salaris", "geld",
           "deurwaarder", "incasso", "achterstand", "betalingsregeling", "budget", "rekening",
           "armoede", "gezondheid", "ziek", "dokter", "huisarts", "medicijn", "ggz",
           "depressie", "therapie", "ziekenhuis", "verslaving"],
    "en": ["debt", "benefit", "welfare", "income", "allowance", "salary", "wage", "money",
           "bailiff", "arrears", "collection", "budget", "bill", "loan", "poverty", "health",
           "sick", "ill", "doctor", "medic", "therapy", "hospital", "depress", "addict"],
}
ALL_WORDS = SENSITIVE["nl"] + SENSITIVE["en"]
# What participants really write in their goals: it must never reach the first line.
GOAL = "Schulden en uitkering regelen (debt, benefits, health)"
STEP = "Bel de schuldhulpverlening over de huisarts-rekening"
TODAY = date(2026, 3, 10)


def discreet(line: str) -> bool:
    return not any(re.search(rf"\b{word}", line, re.IGNORECASE) for word in ALL_WORDS)


def first_line(text: str) -> str:
    return html_to_plain(text).splitlines()[0]


def test_the_word_list_catches_what_it_should() -> None:
    assert not discreet("Je schulden")
    assert not discreet("Your benefits")
    assert discreet("Fatima, een kleine herinnering voor morgen")


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_heading_template_is_discreet(catalogs: i18n.Catalogs, locale: str) -> None:
    with i18n.using_locale(locale):
        for template in nudges.ALL_HEADINGS:
            line = i18n._(template).format(name="Sam")
            assert discreet(line), (locale, line)
            assert "\n" not in line


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_lesson_first_line_is_discreet(catalogs: i18n.Catalogs, locale: str) -> None:
    series = lesson_series()
    with i18n.using_locale(locale):
        for number in range(series.count):
            text, _ = lessons.render_lesson(number, series.get(number, locale))
            assert discreet(first_line(text)), (locale, number, first_line(text))


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_rendered_reminders_keep_goal_and_step_off_the_first_line(
    catalogs: i18n.Catalogs, locale: str
) -> None:
    cases = [
        [nudges.NudgeItem(1, plan.REMIND, STEP, GOAL, TODAY)],
        [nudges.NudgeItem(1, plan.REMIND, STEP, GOAL, TODAY + timedelta(1))],
        [nudges.NudgeItem(1, plan.REMIND, STEP, GOAL, TODAY + timedelta(3))],
        [nudges.NudgeItem(1, plan.CHECKIN, STEP, GOAL, TODAY - timedelta(1))],
        [nudges.NudgeItem(1, plan.LATER, STEP, GOAL, None)],
        [nudges.NudgeItem(1, plan.REMIND, STEP, GOAL, TODAY),
         nudges.NudgeItem(2, plan.CHECKIN, STEP, GOAL, TODAY - timedelta(1))],
    ]
    with i18n.using_locale(locale):
        for items in cases:
            for day in range(7):  # every rotation of the wording
                text, _ = nudges.render_nudges("Sam", items, TODAY + timedelta(day), 3)
                assert discreet(first_line(text)), first_line(text)
                assert GOAL.split()[0] in text  # the goal is named, just not on line one
        for overdue in (0, 3):
            text, _ = nudges.render_welcome_back("Sam", overdue, TODAY, 1)
            assert discreet(first_line(text))


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_the_closing_message_of_a_trajectory_is_discreet(
    catalogs: i18n.Catalogs, locale: str
) -> None:
    from bot.notify.farewell import render_farewell

    with i18n.using_locale(locale):
        text = render_farewell("Sam")
    assert discreet(first_line(text)) and first_line(text).startswith(("Hoi Sam", "Hi Sam"))
