"""A goal in the participant's own words, end to end: asked, checked, saved in one go, shown to
the coach as the participant's own idea, its first step planned, and counted in the report."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core.plan_input import GOAL_MAX
from bot.flows.report import build_report
from bot.storage.models import Goal, Step
from bot.ui.buttons.own_goals import OwnGoal
from tests.support.builders import seed_coach, seed_participant
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
AMS = ZoneInfo("Europe/Amsterdam")


async def _world(db: Any, clock: Any) -> int:
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=AMS))
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id)
    return await seed_participant(db, world, clock.now(), telegram_user_id=FATIMA.id)


async def _goals(db: Any) -> list[Goal]:
    async with db.uow() as uow:
        found = list((await uow.session.execute(select(Goal))).scalars())
        uow.session.expunge_all()
        return found


async def test_a_participant_makes_a_goal_in_their_own_words(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    pid = await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.tap(FATIMA, "Zelf een doel toevoegen"))
    assert "Wat wil je bereiken?" in telegram_api.last_message(FATIMA.id).text
    await app.process_update(updates.text(FATIMA, "x" * (GOAL_MAX + 1)))
    assert f"{GOAL_MAX} tekens" in telegram_api.last_message(FATIMA.id).text
    await app.process_update(updates.text(FATIMA, "Rust in <b>mijn</b> hoofd"))
    await app.process_update(updates.text(FATIMA, "Dan slaap ik beter"))
    pillar_question = telegram_api.last_message(FATIMA.id)
    assert "Overslaan" in updates.buttons(FATIMA)
    await app.process_update(updates.text(FATIMA, "gezondheid"))  # typed instead of tapped
    assert "Tik op een van de knoppen" in telegram_api.last_message(FATIMA.id).text
    await app.process_update(updates.tap(FATIMA, "Gezondheid", pillar_question))
    # A second tap on the same button (its keyboard is gone, Telegram may still deliver it).
    await app.process_update(updates.press(FATIMA, OwnGoal(at="pillar", pillar="health").pack(),
                                           pillar_question))
    await app.process_update(updates.text(FATIMA, "Om 23 uur de telefoon weg"))
    saved = telegram_api.last_message(FATIMA.id).text
    assert "Je doel is opgeslagen: <b>Rust in &lt;b&gt;mijn&lt;/b&gt; hoofd</b>" in saved
    assert "Je eerste stap staat op je lijst." in saved

    [goal] = await _goals(db)
    assert (goal.text, goal.why, goal.pillars) == ("Rust in <b>mijn</b> hoofd",
                                                   "Dan slaap ik beter", ["health"])
    async with db.uow() as uow:
        [step] = list((await uow.session.execute(select(Step))).scalars())
        assert (step.text, step.created_by_role, step.goal_id) == (
            "Om 23 uur de telefoon weg", "participant", goal.id)
        participant = await uow.participants.get(pid)
        assert participant is not None and goal.created_by_account_id == participant.account_id
        assert await uow.flows.get(participant.account_id or 0) is None  # the flow has ended

    # The coach sees it, as the participant's own idea, HTML shown as text.
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    card = telegram_api.last("editMessageText").params["text"]
    assert "<b>Rust in &lt;b&gt;mijn&lt;/b&gt; hoofd</b> <i>(eigen idee)</i>" in card

    # Counted in the report like any goal.
    report = await build_report(db, ["Gemeente Test"])
    rows = {r[1]: r for r in report.table("goals_per_pillar").rows if r[0] == "Gemeente Test"}
    columns = report.table("goals_per_pillar").columns
    health = dict(zip(columns, rows["health"], strict=True))
    assert (health["goals"], health["all_goals"]) == (1, 1)


async def test_skipping_pillar_and_step_saves_the_goal_alone(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "doel"))
    await app.process_update(updates.text(FATIMA, "Een baan vinden"))
    await app.process_update(updates.text(FATIMA, "Voor mijn kinderen"))
    await app.process_update(updates.tap(FATIMA, "Overslaan"))
    step_question = next(m for m in telegram_api.messages.values()
                         if "eerste kleine stap" in m.text)
    await app.process_update(updates.tap(FATIMA, "Nog geen stap", step_question))
    [goal] = await _goals(db)
    assert (goal.text, goal.pillars) == ("Een baan vinden", [])
    assert "eerste stap" not in telegram_api.last_message(FATIMA.id).text
    # A press of the finished flow changes nothing.
    await app.process_update(updates.press(FATIMA, OwnGoal(at="step").pack()))
    assert len(await _goals(db)) == 1


async def test_a_coach_or_stranger_gets_no_goal_flow(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    await _world(db, clock)
    stranger = TgUser(id=4242, first_name="X", language_code="nl")
    await app.process_update(updates.command(stranger, "doel"))
    # The one refusal of every participant command (it said "... Typ /start." of its own).
    assert telegram_api.last_message(stranger.id).text == (
        "Dit is voor deelnemers. Vraag je coach om je persoonlijke link.")
    await app.process_update(updates.text(stranger, "Een doel"))
    assert await _goals(db) == []
