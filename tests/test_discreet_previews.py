"""The first line of every message the bot sends on its own is what a lock screen shows: it never
names debts, benefits, income or health, in Dutch or English, whatever the goal says."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bot import i18n
from bot.core import reminders as plan
from bot.flows.reminders import lesson_series
from bot.ui.screens import cards, lessons, nudges, plan_notice, rewards
from tests.support.builders import StepSpec
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


PREVIEW = 100  # characters a lock screen or a notification shows


def preview(text: str) -> str:
    return html_to_plain(text)[:PREVIEW]


def private(text: str) -> bool:
    """Names a goal or step text, or one of the sensitive words."""
    plain = html_to_plain(text)
    return not discreet(plain) or any(part in plain for part in (GOAL, STEP, GOAL.split()[0],
                                                                  STEP.split()[-1]))


NUDGE_CASES = [
    [nudges.NudgeItem(1, plan.REMIND, STEP, GOAL, TODAY)],
    [nudges.NudgeItem(1, plan.REMIND, STEP, GOAL, TODAY + timedelta(1))],
    [nudges.NudgeItem(1, plan.REMIND, STEP, GOAL, TODAY + timedelta(3))],
    [nudges.NudgeItem(1, plan.CHECKIN, STEP, GOAL, TODAY - timedelta(1))],
    [nudges.NudgeItem(1, plan.LATER, STEP, GOAL, None)],
    [nudges.NudgeItem(1, plan.REMIND, STEP, GOAL, TODAY),
     nudges.NudgeItem(2, plan.CHECKIN, STEP, GOAL, TODAY - timedelta(1))],
]


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_reminders_name_no_step_or_goal_by_default(catalogs: i18n.Catalogs, locale: str) -> None:
    with i18n.using_locale(locale):
        for items in NUDGE_CASES:
            for day in range(7):  # every rotation of the wording
                text, markup = nudges.render_nudges("Sam", items, TODAY + timedelta(day), 3)
                assert not private(text), text  # not on the lock screen, not anywhere
                labels = [b.text for row in markup.inline_keyboard for b in row]
                assert labels[-1] in ("My steps", "Mijn stappen")  # the details, one tap away
        for overdue in (0, 3):
            text, _ = nudges.render_welcome_back("Sam", overdue, TODAY, 1)
            assert not private(preview(text))


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_reminders_name_the_steps_only_when_the_participant_chose_so(
    catalogs: i18n.Catalogs, locale: str
) -> None:
    with i18n.using_locale(locale):
        for items in NUDGE_CASES:
            text, _ = nudges.render_nudges("Sam", items, TODAY, 3, show_texts=True)
            assert discreet(first_line(text)) and STEP in html_to_plain(text)


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_lesson_preview_is_discreet(catalogs: i18n.Catalogs, locale: str) -> None:
    """Every lesson of the content files, in every language: its first 100 characters."""
    series = lesson_series()
    with i18n.using_locale(locale):
        for number in range(series.count):
            text, _ = lessons.render_lesson(number, series.get(number, locale))
            assert discreet(preview(text)), (locale, number, preview(text))


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_plan_notices_rewards_and_cards_show_nothing_private(
    catalogs: i18n.Catalogs, locale: str
) -> None:
    with i18n.using_locale(locale):
        for kind in ("new_goal", "new_steps", "changed"):
            for steps in (0, 1, 3):
                text, _ = plan_notice.render_plan_notice(kind, steps, "Sanne")
                assert not private(preview(text)), text
        text, _ = rewards.render_reward_earned(None)
        assert not private(text) and "€" not in text  # amounts are behind the button
        # A card's picture may carry the goal or step; its caption names neither.
        text, markup = cards.render_card_notice("Sam", 7)
        assert not private(text) and markup.inline_keyboard[0][0].callback_data == "cdo:7"
        from bot.ui.screens.privacy_notice import render_privacy_notice

        for what in ("withdrawn", "erased"):
            assert not private(preview(render_privacy_notice(what, "Sam")))


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_the_closing_message_of_a_trajectory_is_discreet(
    catalogs: i18n.Catalogs, locale: str
) -> None:
    from bot.ui.screens.farewell import render_farewell

    with i18n.using_locale(locale):
        text = render_farewell("Sam")
    assert discreet(first_line(text)) and first_line(text).startswith(("Hoi Sam", "Hi Sam"))


async def test_through_the_dispatcher_and_the_participants_choice(
    app: object, updates: object, telegram_api: object, db: object, clock: object
) -> None:
    """End to end: the reminder that goes out names no step; after the participant chooses
    "show my step texts" in /privacy, the next one does (and its first line still does not)."""
    from tests.support.updates import TgUser
    from tests.test_outbox_dispatch import at_local, dispatcher, setup

    fatima = TgUser(id=1001, first_name="Fatima", language_code="nl")
    await setup(db, clock, [StepSpec(STEP, due=TODAY + timedelta(2)),
                            StepSpec("Tweede stap", due=TODAY + timedelta(3))], goal=GOAL,
                show_texts=False)
    clock.set(at_local(TODAY + timedelta(1), 9, 1))
    await dispatcher(app).tick()
    (sent,) = [c for c in telegram_api.calls_to("sendMessage")]
    assert not private(sent.text) and "1 stap voor morgen" in html_to_plain(sent.text)
    await app.process_update(updates.command(fatima, "privacy"))
    await app.process_update(updates.tap(fatima, "Toon mijn stappen in herinneringen"))
    assert "Vanaf nu noemen je herinneringen je stappen" in telegram_api.last_message(1001).text
    telegram_api.clear()
    clock.set(at_local(TODAY + timedelta(2), 9, 1))
    await dispatcher(app).tick()
    texts = [html_to_plain(c.text) for c in telegram_api.calls_to("sendMessage")]
    assert any("Tweede stap" in text for text in texts)
    assert all(discreet(text.splitlines()[0]) for text in texts)


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_meeting_crisis_and_handover_messages_have_a_discreet_first_line(locale: str) -> None:
    from datetime import date, datetime

    from bot.core import meetings as rules
    from bot.flows.requests import CoachRequest
    from bot.ui.screens import crisis, digest, handover, meetings

    note = "Neem de brieven van de schuldhulp en de uitkering mee"
    wish = rules.Wish(1, 1, datetime(2026, 3, 12, 14, 30), "other_day", date(2026, 3, 13),
                      "morning")
    with i18n.using_locale(locale):
        push = digest.render_push([CoachRequest(1, "Fatima", False, (), (wish,))]).text
        assert "Fatima" not in first_line(push) and not private(preview(push))
        texts = [crisis.render_crisis_notice("Fatima", 1)[0],
                 handover.render_handover("Fatima", "Sanne")]
        for kind, what in ((rules.MEETING, "new"), (rules.MEETING, "moved"),
                           (rules.MEETING, "cancelled"), (rules.MEETING_REMINDER, "d-1"),
                           (rules.MEETING_REMINDER, "h-2")):
            for place in rules.PLACES:
                texts.append(meetings.render(kind, what, "Fatima", "Sanne", "morgen",
                                                    place, note, 1)[0])
        for text in texts:
            # What a lock screen shows: the first 100 characters, not only the first line.
            assert not private(preview(text)) and note[:20] not in preview(text), preview(text)
            assert "Fatima" in first_line(text)
