"""Rewards end to end: tag a step, see it, confirm when done, hand out; refusals and access."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.flows import rewards
from bot.flows.rewards import Refused, RewardProblem
from bot.storage.models import StepStatus
from bot.ui.buttons.rewards import (
    RewardConfirm,
    RewardHandOut,
    RewardTag,
    RewardTagMenu,
    RewardUntag,
)
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI, StoredMessage
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
OTHER_COACH = TgUser(id=9002, first_name="Kees", language_code="nl")
FAR_COACH = TgUser(id=9003, first_name="Ans", language_code="nl")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")


async def _setup(db, clock, *, enabled=True, budget=None):
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id)
    pid = await seed_participant(db, world, clock.now(), name="Fatima",
                                 telegram_user_id=FATIMA.id)
    _, steps = await seed_goal(db, pid, clock.now(), "Mijn papieren op orde",
                               [StepSpec("DigiD aanvragen"), StepSpec("Begroting maken"),
                                StepSpec("Post sorteren")])
    if enabled:
        settings: dict = {"rewards": {"enabled": True}}
        if budget:
            settings["rewards"]["annual_budget_cents"] = budget
        async with db.uow() as uow:
            org = await uow.organisations.get(world.org_id)
            assert org is not None
            org.settings = settings
            await uow.commit()
    return world, pid, steps


def _view(api: FakeBotAPI, chat_id: int, data: str) -> StoredMessage:
    """Stands in for the coaches feature's step view with its reward button."""
    stored = StoredMessage(chat_id, 1, "Stap", {"inline_keyboard": [[{
        "text": "Beloning", "callback_data": data}]]})
    api.messages[(chat_id, 1)] = stored
    return stored


async def _press(app, updates, api, user, data):
    await app.process_update(updates.press(user, data, message=_view(api, user.id, data)))


async def _done(db, step_id, clock):
    async with db.uow() as uow:
        step = await uow.steps.get(step_id)
        assert step is not None
        step.status, step.done_at = StepStatus.DONE.value, clock.now()
        await uow.commit()


async def _ledger(db, pid):
    async with db.uow() as uow:
        return [(e.reward_kind, e.status, e.amount_cents, e.budget_year)
                for e in await uow.rewards.of_participant(pid)]


async def test_off_by_default(app, db, clock, updates: UpdateFactory,
                              telegram_api: FakeBotAPI) -> None:
    _, _, steps = await _setup(db, clock, enabled=False)
    await _press(app, updates, telegram_api, COACH, RewardTagMenu(step_id=steps[0]).pack())
    assert "werkt niet met beloningen" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.command(FATIMA, "beloningen"))
    assert "werkt niet met beloningen" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.command(FATIMA, "kaartjes"))
    assert telegram_api.last("sendMessage").params.get("reply_markup") is None


async def test_tag_see_confirm_hand_out(app, db, clock, updates: UpdateFactory,
                                        telegram_api: FakeBotAPI) -> None:
    _, pid, steps = await _setup(db, clock)
    await _press(app, updates, telegram_api, COACH, RewardTagMenu(step_id=steps[0]).pack())
    assert "Welke beloning" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.tap(COACH, "DigiD aanvragen"))
    assert "Beloning gekoppeld aan de stap: DigiD aanvragen (€\xa015,00)" in telegram_api.last(
        "sendMessage").params["text"]
    # The same tap again (duplicate update): still one row.
    await _press(app, updates, telegram_api, COACH,
                 RewardTag(step_id=steps[0], kind="digid").pack())
    assert await _ledger(db, pid) == [("digid", "tagged", 1500, clock.now().year)]

    # The participant sees it is coming, with the step; and from /kaartjes.
    await app.process_update(updates.command(FATIMA, "beloningen"))
    text = telegram_api.last("sendMessage").params["text"]
    assert "Straks" in text and "DigiD aanvragen: €\xa015,00 – “DigiD aanvragen”" in text
    assert "Verdiend dit jaar: €\xa00,00" in text
    async with db.uow() as uow:
        assert await rewards._step_rewards(uow, pid) == {steps[0]: ("DigiD aanvragen", 1500)}
    await app.process_update(updates.command(FATIMA, "stappen"))
    listed = telegram_api.last("sendMessage").params["text"]
    assert "Hiermee verdien je een beloning: DigiD aanvragen, €\xa015,00" in listed
    assert listed.count("beloning") == 1  # only the tagged step
    await app.process_update(updates.command(FATIMA, "kaartjes"))
    await app.process_update(updates.tap(FATIMA, "Mijn beloningen"))
    assert "Je beloningen" in telegram_api.last("sendMessage").params["text"]

    # Not before the step is done.
    await app.process_update(updates.command(COACH, "beloningen"))
    assert "geen beloningen" in telegram_api.last("sendMessage").params["text"]
    [entry] = await _entries(db, pid)
    await _press(app, updates, telegram_api, COACH, RewardConfirm(entry_id=entry).pack())
    assert "nog niet klaar" in telegram_api.last("sendMessage").params["text"]

    await _done(db, steps[0], clock)
    await app.process_update(updates.command(COACH, "beloningen"))
    assert "Stap klaar, beloning bevestigen" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.tap(COACH, "Bevestig: Fatima"))
    assert telegram_api.last("answerCallbackQuery").params["text"] == (
        "Bevestigd: de beloning is verdiend.")
    await deliver(app)
    told = telegram_api.last_message(FATIMA.id)
    # The amount is behind the button, not on the lock screen.
    assert "Je hebt een beloning verdiend" in told.text and "€" not in told.text
    assert updates.buttons(FATIMA) == ["Mijn beloningen"]
    await app.process_update(updates.tap(FATIMA, "Mijn beloningen"))
    assert "Verdiend dit jaar: €\xa015,00" in telegram_api.last_message(FATIMA.id).text
    # A second confirm changes nothing and tells nobody again.
    sent_before = len(telegram_api.sent_to(FATIMA.id))
    await _press(app, updates, telegram_api, COACH, RewardConfirm(entry_id=entry).pack())
    assert telegram_api.last("answerCallbackQuery").params["text"] == "Dit is al gedaan."
    assert len(telegram_api.sent_to(FATIMA.id)) == sent_before

    await app.process_update(updates.command(COACH, "beloningen"))
    await app.process_update(updates.tap(COACH, "Uitgereikt: Fatima"))
    assert telegram_api.last("answerCallbackQuery").params["text"] == "Genoteerd als uitgereikt."
    assert await _ledger(db, pid) == [("digid", "handed_out", 1500, clock.now().year)]
    await app.process_update(updates.command(FATIMA, "beloningen"))
    assert "(uitgereikt)" in telegram_api.last("sendMessage").params["text"]

    async with db.uow() as uow:
        audit = [(a.action, a.details) for a in await uow.audit.for_subject("reward_entry", entry)]
    assert [a for a, _ in audit] == ["reward.tagged", "reward.earned", "reward.handed_out"]
    assert all(d == {"participant_id": pid, "step_id": steps[0]} for _, d in audit)


async def _entries(db, pid):
    async with db.uow() as uow:
        return [e.id for e in await uow.rewards.of_participant(pid)]


async def test_over_budget_is_refused_with_the_numbers(app, db, clock, updates: UpdateFactory,
                                                       telegram_api: FakeBotAPI) -> None:
    world, pid, steps = await _setup(db, clock, budget=3000)
    assert isinstance(await rewards.tag_step(db, world.coach_id, steps[0], "digid", clock.now()),
                      rewards.Done)
    await _press(app, updates, telegram_api, COACH,
                 RewardTag(step_id=steps[1], kind="budget_plan").pack())
    text = telegram_api.last("sendMessage").params["text"]
    assert "past niet meer in het budget" in text
    assert "€\xa040,00" in text and "€\xa015,00 van €\xa030,00" in text
    assert "nog €\xa015,00 over" in text
    assert len(await _ledger(db, pid)) == 1
    # The menu lists it as not available instead of offering it.
    await _press(app, updates, telegram_api, COACH, RewardTagMenu(step_id=steps[1]).pack())
    menu = telegram_api.last("sendMessage")
    assert "Nu niet mogelijk" in menu.params["text"]
    assert not any("Een maandbegroting maken" in b["text"] for b in menu.buttons)
    assert not any("DigiD" in b["text"] for b in menu.buttons)  # used already


async def test_one_reward_per_kind_and_untag_frees_it(db, clock) -> None:
    world, _, steps = await _setup(db, clock)
    coach = world.coach_id
    first = await rewards.tag_step(db, coach, steps[0], "digid", clock.now())
    assert isinstance(first, rewards.Done)
    again = await rewards.tag_step(db, coach, steps[1], "digid", clock.now())
    assert isinstance(again, Refused) and again.problem is RewardProblem.KIND_USED
    other = await rewards.tag_step(db, coach, steps[0], "budget_plan", clock.now())
    assert isinstance(other, Refused) and other.problem is RewardProblem.STEP_HAS_REWARD
    assert isinstance(await rewards.untag_step(db, coach, steps[0], clock.now()), rewards.Done)
    moved = await rewards.tag_step(db, coach, steps[1], "digid", clock.now())
    assert isinstance(moved, rewards.Done) and moved.entry_id == first.entry_id  # row reused
    async with db.uow() as uow:
        step0, step1 = await uow.steps.get(steps[0]), await uow.steps.get(steps[1])
        assert step0 is not None and step1 is not None
        assert (step0.reward_kind, step1.reward_kind) == (None, "digid")
    await _done(db, steps[2], clock)
    closed = await rewards.tag_step(db, coach, steps[2], "budget_plan", clock.now())
    assert isinstance(closed, Refused) and closed.problem is RewardProblem.STEP_NOT_OPEN


async def test_confirmed_in_january_counts_in_the_new_year(db, clock) -> None:
    world, pid, steps = await _setup(db, clock)
    december = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
    tagged = await rewards.tag_step(db, world.coach_id, steps[0], "digid", december)
    assert isinstance(tagged, rewards.Done)
    await _done(db, steps[0], clock)
    # 23:30 UTC on 31 December is already 1 January in Amsterdam.
    january = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert isinstance(await rewards.confirm(db, world.coach_id, tagged.entry_id, january),
                      rewards.Done)
    assert await _ledger(db, pid) == [("digid", "earned", 1500, 2027)]


async def test_other_coaches_and_forged_ids_are_refused(app, db, clock, updates: UpdateFactory,
                                                        telegram_api: FakeBotAPI) -> None:
    world, pid, steps = await _setup(db, clock)
    await seed_coach(db, clock.now(), telegram_user_id=OTHER_COACH.id, coach_name="Kees")
    await seed_coach(db, clock.now(), telegram_user_id=FAR_COACH.id, coach_name="Ans",
                     org_name="Gemeente Elders")
    tagged = await rewards.tag_step(db, world.coach_id, steps[0], "digid", clock.now())
    assert isinstance(tagged, rewards.Done)
    await _done(db, steps[0], clock)
    for coach in (OTHER_COACH, FAR_COACH):
        for data in (RewardTagMenu(step_id=steps[1]).pack(),
                     RewardTag(step_id=steps[1], kind="budget_plan").pack(),
                     RewardConfirm(entry_id=tagged.entry_id).pack()):
            await _press(app, updates, telegram_api, coach, data)
            assert telegram_api.last("answerCallbackQuery").params["text"] == (
                "Deze deelnemer staat niet in je lijst.")
        await _press(app, updates, telegram_api, coach,
                     RewardHandOut(entry_id=tagged.entry_id).pack())
        await _press(app, updates, telegram_api, coach, RewardUntag(step_id=steps[0]).pack())
        await app.process_update(updates.command(coach, "beloningen"))
        assert "geen beloningen" in telegram_api.last("sendMessage").params["text"]
    await _press(app, updates, telegram_api, FATIMA, RewardConfirm(entry_id=tagged.entry_id
                                                                   ).pack())
    assert telegram_api.last("answerCallbackQuery").params["text"] == (
        "Deze knoppen zijn voor coaches.")
    await _press(app, updates, telegram_api, COACH, "rwt:1:Not-A-Kind")
    assert telegram_api.last("answerCallbackQuery").params["text"] == "Deze knop werkt niet meer."
    await _press(app, updates, telegram_api, COACH, RewardTag(step_id=steps[1], kind="nope").pack())
    assert "niet op de lijst" in telegram_api.last("sendMessage").params["text"]
    assert await _ledger(db, pid) == [("digid", "tagged", 1500, clock.now().year)]
