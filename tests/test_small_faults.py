"""Small faults found on the way: the Brug date on the coach's card in the coach's zone, the
coach's copy of the Brug picture speaks about the participant, a stranger's /menu."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.flows.caseload import BrugSummary
from bot.i18n import using_locale
from bot.ui.screens import brug as present
from bot.ui.screens.caseload import brug_text
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory
from tests.test_brug_views import _instrument, _view

STRANGER = TgUser(id=4242, first_name="Kim", language_code="nl")


def test_the_brug_on_the_coachs_card_is_dated_in_the_coachs_zone(catalogs) -> None:
    # 23:30 UTC on 30 November is 00:30 on 1 December in Amsterdam.
    summary = BrugSummary(completed_at=datetime(2026, 11, 30, 23, 30, tzinfo=UTC),
                          moment="intake", levels=(("Wonen", 3),))
    with using_locale("nl"):
        assert "1 dec 2026" in brug_text(summary, "Europe/Amsterdam")
        assert "30 nov 2026" in brug_text(summary, "UTC")


def test_the_coachs_copy_of_the_picture_speaks_about_the_participant(catalogs) -> None:
    tool = _instrument(3, "Pijler ")
    with using_locale("nl"):
        own = present.picture(_view(tool, {"p0": 3}, None), "Europe/Amsterdam")
        coach = present.picture(_view(tool, {"p0": 3}, None, by_coach=True), "Europe/Amsterdam")
    assert own.legend.working_on == "Hier werk je aan"
    assert coach.legend.working_on == "Hier werkt de deelnemer aan"


async def test_a_strangers_menu_says_how_to_join(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    await app.process_update(updates.command(STRANGER, "menu"))
    reply = telegram_api.last("sendMessage")
    assert "persoonlijke link" in reply.text
    assert reply.buttons == []  # no participant menu that would lead nowhere
