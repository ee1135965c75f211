"""The bot's words are promises: what a participant is told the coach sees, the coach sees.

Other promises are checked where their feature is tested (tests/test_digest_e2e.py: a wish to
talk, a help request and lesson feedback reach the coach; tests/test_own_goals.py and
tests/test_setbacks.py: an own goal and an if-then plan show on the coach's card;
tests/test_caseload.py: a step the participant added; tests/test_meetings.py: "I'll come")."""

from __future__ import annotations

from typing import Any

from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory
from tests.test_participant_join import invited

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")


async def test_saying_no_is_told_to_be_seen_and_the_coach_sees_it(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    _pid, code = await invited(db, clock, coach_user=COACH.id)
    await app.process_update(updates.command(FATIMA, "start", code))
    await app.process_update(updates.tap(FATIMA, "Nee, liever niet"))
    told = telegram_api.last("sendMessage").params["text"]  # under the welcome, which stays
    assert "Je coach kan zien dat je niet mee wilt doen" in told
    await app.process_update(updates.command(COACH, "deelnemers"))
    overview = html_to_plain(telegram_api.last_message(COACH.id).text)
    assert "Fatima · doet niet mee" in overview
