"""Cards and rewards where the coach works: the participant card in /deelnemers and the goal
screen (built by the coaches feature)."""

from __future__ import annotations

from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.cards_read import read_card
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")


async def _setup(db, clock, *, rewards=False):
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id)
    pid = await seed_participant(db, world, clock.now(), name="Fatima",
                                 telegram_user_id=FATIMA.id)
    gid, steps = await seed_goal(db, pid, clock.now(), "Werk vinden", [StepSpec("Cv maken")])
    if rewards:
        async with db.uow() as uow:
            org = await uow.organisations.get(world.org_id)
            assert org is not None
            org.settings = {"rewards": {"enabled": True}}
            await uow.commit()
    return pid, gid, steps


async def test_send_a_card_from_the_participant_card(app, db, clock, updates: UpdateFactory,
                                                     telegram_api: FakeBotAPI) -> None:
    await _setup(db, clock)
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    await app.process_update(updates.tap(COACH, "Stuur een kaartje"))
    assert "Een kaartje voor Fatima" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.text(COACH, "Wat fijn dat je je cv af hebt!"))
    await app.process_update(updates.tap(COACH, "Verstuur dit kaartje"))
    await deliver(app)
    to_fatima = [c for c in telegram_api.calls_to("sendPhoto") if c.params["chat_id"] == FATIMA.id]
    assert len(to_fatima) == 1
    assert "Wat fijn dat je je cv af hebt!" in await read_card(app, telegram_api, to_fatima[0])


async def test_goal_closed_as_achieved_by_the_coach_gives_one_card(
    app, db, clock, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    pid, _, _ = await _setup(db, clock)
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    await app.process_update(updates.tap(COACH, "Werk vinden"))
    screen = telegram_api.last_message(COACH.id)
    assert not any(b.startswith("€") for b in updates.buttons(COACH))  # rewards are off
    await app.process_update(updates.tap(COACH, "Gehaald", screen))
    confirm = updates.tap(COACH, "Ja, gehaald")
    await app.process_update(confirm)
    await deliver(app)
    [card] = [c for c in telegram_api.calls_to("sendPhoto") if c.params["chat_id"] == FATIMA.id]
    await app.process_update(updates.press(COACH, confirm.callback_query.data, screen))
    await deliver(app)
    assert len([c for c in telegram_api.calls_to("sendPhoto")
                if c.params["chat_id"] == FATIMA.id]) == 1
    assert "Je hebt je doel bereikt: “Werk vinden”" in await read_card(app, telegram_api, card)
    async with db.uow() as uow:
        assert await uow.cards.count_of(pid) == 1


async def test_goal_screen_offers_a_reward_per_open_step_when_rewards_are_on(
    app, db, clock, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    _, _, steps = await _setup(db, clock, rewards=True)
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    await app.process_update(updates.tap(COACH, "Werk vinden"))
    await app.process_update(updates.tap(COACH, "€ 1"))
    assert "Welke beloning" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.tap(COACH, "Beginnen met werk"))
    async with db.uow() as uow:
        step = await uow.steps.get(steps[0])
        assert step is not None and step.reward_kind == "job_or_volunteering"
