"""Help after a setback, end to end: a second move or a second "still busy" brings one kind
offer (smaller, if-then plan, ask the coach, the lesson that fits), once per step, recorded as
an event the coach's digest can read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.plan_input import IF_THEN_MAX
from bot.flows.setbacks import OFFERED
from bot.ui.buttons.participant import StepMove, StepStuck
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI, StoredMessage, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
AMS = ZoneInfo("Europe/Amsterdam")
OFFER = "Helpt een van deze?"


async def _world(db: Any, clock: Any) -> tuple[int, int, int]:
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=AMS))
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id)
    pid = await seed_participant(db, world, clock.now(), telegram_user_id=FATIMA.id)
    goal, [step] = await seed_goal(db, pid, clock.now(), "Post op orde",
                                   [StepSpec("Brief van de bank openen", date(2026, 3, 4))])
    return pid, goal, step


def _offers(api: FakeBotAPI) -> list[StoredMessage]:
    return [m for m in api.messages.values() if m.chat_id == FATIMA.id and OFFER in m.text]


async def _offered(db: Any, pid: int) -> list[dict[str, Any]]:
    async with db.uow() as uow:
        return [e.data for e in await uow.participant_events.of_participant(pid)
                if e.kind == OFFERED]


async def test_a_second_move_brings_the_offer_once(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    pid, _goal, step = await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.press(FATIMA, StepMove(step=step, to="tomorrow").pack()))
    assert _offers(telegram_api) == []
    await app.process_update(updates.press(FATIMA, StepMove(step=step, to="next_week").pack()))
    [offer] = _offers(telegram_api)
    assert "Deze stap is al vaker verschoven." in offer.text
    assert "<b>Brief van de bank openen</b>" in offer.text
    labels = [b["text"] for row in offer.reply_markup["inline_keyboard"] for b in row]
    assert labels == ["✂ Maak de stap kleiner", "🧭 Een als-dan-plan maken",
                      "🙋 Vraag mijn coach om hulp", "📖 Een korte les hierover"]
    assert await _offered(db, pid) == [{"step_id": step, "trigger": "moved",
                                        "lesson": "plans_slip"}]
    # The lesson that fits: why plans slip.
    await app.process_update(updates.tap(FATIMA, "Een korte les", offer))
    assert "Waarom plannen mislukken" in telegram_api.last_message(FATIMA.id).text
    # A third move, and "still busy" twice more: no second offer for this step.
    await app.process_update(updates.press(FATIMA, StepMove(step=step, to="tomorrow").pack()))
    for _ in range(2):
        await app.process_update(updates.command(FATIMA, "stappen"))
        await app.process_update(updates.press(FATIMA, StepStuck(step=step, page=0).pack()))
    assert len(_offers(telegram_api)) == 1
    assert len(await _offered(db, pid)) == 1


async def test_still_busy_twice_then_an_if_then_plan_the_coach_can_read(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    pid, goal, step = await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.press(FATIMA, StepStuck(step=step, page=0).pack()))
    assert _offers(telegram_api) == []
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.press(FATIMA, StepStuck(step=step, page=0).pack()))
    [offer] = _offers(telegram_api)
    assert "Deze stap duurt wat langer." in offer.text
    assert (await _offered(db, pid))[0]["trigger"] == "still_busy"
    # The coach's digest reads it: the step shows as one that keeps slipping (never moved).
    await app.process_update(updates.command(COACH, "overzicht"))
    assert "“Brief van de bank openen” schuift steeds op" in html_to_plain(
        telegram_api.last_message(COACH.id).text)
    await app.process_update(updates.tap(FATIMA, "Een korte les", offer))
    assert "Als … dan …" in telegram_api.last_message(FATIMA.id).text

    await app.process_update(updates.tap(FATIMA, "als-dan-plan", offer))
    assert "Als ..., dan ..." in telegram_api.last_message(FATIMA.id).text
    await app.process_update(updates.text(FATIMA, "a" * (IF_THEN_MAX + 1)))
    assert f"{IF_THEN_MAX} tekens" in telegram_api.last_message(FATIMA.id).text
    await app.process_update(updates.text(
        FATIMA, "Als ik <koffie> heb gezet, dan open ik de brief"))
    saved = telegram_api.last_message(FATIMA.id).text
    assert "Als ik &lt;koffie&gt; heb gezet, dan open ik de brief" in saved
    async with db.uow() as uow:
        stored = await uow.goals.owned(goal, pid)
        assert stored is not None
        assert stored.if_then == "Als ik <koffie> heb gezet, dan open ik de brief"
    # "Your coach sees it with your plan": the coach's card shows it.
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    await app.process_update(updates.tap(COACH, "Post op orde"))
    card = telegram_api.last_message(COACH.id).text
    assert "Als-dan: Als ik &lt;koffie&gt; heb gezet, dan open ik de brief" in card


async def test_someone_elses_step_gets_no_offer_and_no_plan(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    from bot.ui.buttons.setbacks import SetbackChoice

    pid, _goal, step = await _world(db, clock)
    other = TgUser(id=1002, first_name="Ali", language_code="nl")
    world = await seed_coach(db, clock.now(), telegram_user_id=9002, coach_name="Kees")
    await seed_participant(db, world, clock.now(), name="Ali", telegram_user_id=other.id)
    await app.process_update(updates.command(other, "stappen"))
    for _ in range(2):
        await app.process_update(updates.press(other, StepStuck(step=step, page=0).pack()))
    await app.process_update(updates.press(other, SetbackChoice(choice="if_then",
                                                                step=step).pack()))
    assert await _offered(db, pid) == []
    assert not [m for m in telegram_api.messages.values() if m.chat_id == other.id
                and (OFFER in m.text or "Als ..., dan" in m.text)]
