"""Cards and rewards counted per participant for the evaluators: pseudonyms, never names."""

from __future__ import annotations

from bot.core.recognition import RecognitionCounts, recognition_counts
from bot.flows import cards, rewards
from bot.flows.pseudonyms import pseudonym
from bot.flows.recognition_report import recognition_report
from bot.storage.models import StepStatus
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant


def test_counts_per_participant_with_zeros_and_unknowns_ignored() -> None:
    rows = recognition_counts(
        {1: "b-pseud", 2: "a-pseud"},
        [(1, "coach", 2), (1, "goal_achieved", 1), (3, "coach", 9), (1, "odd", 4)],
        [(1, "earned", 1, 1500), (1, "handed_out", 2, 6000), (1, "tagged", 1, 4000),
         (1, "cancelled", 1, 100), (3, "earned", 1, 99)],
    )
    assert rows == [
        RecognitionCounts("a-pseud"),
        RecognitionCounts("b-pseud", cards_goal_achieved=1, cards_coach=2, rewards_tagged=1,
                          rewards_earned=3, rewards_handed_out=2, rewards_cancelled=1,
                          rewards_earned_cents=7500),
    ]
    assert RecognitionCounts.columns()[0] == "pseudonym"
    assert len(rows[1].row()) == len(RecognitionCounts.columns())


async def test_report_from_the_database_holds_no_names(db, clock) -> None:
    world = await seed_coach(db, clock.now())
    fatima = await seed_participant(db, world, clock.now(), name="Fatima")
    bram = await seed_participant(db, world, clock.now(), name="Bram", telegram_user_id=1002)
    other_org = await seed_coach(db, clock.now(), telegram_user_id=9009, org_name="Elders")
    await seed_participant(db, other_org, clock.now(), name="Elders", telegram_user_id=1003)
    _, steps = await seed_goal(db, fatima, clock.now(), "Doel", [
        StepSpec("Bellen", challenging=True), StepSpec("DigiD")])
    async with db.uow() as uow:
        org = await uow.organisations.get(world.org_id)
        assert org is not None
        org.settings = {"rewards": {"enabled": True}}
        await cards._award_for_tick(uow, fatima, steps[0], challenging=True, goal_completed=False,
                                   now=clock.now())
        await uow.commit()
    tagged = await rewards.tag_step(db, world.coach_id, steps[1], "digid", clock.now())
    assert isinstance(tagged, rewards.Done)
    async with db.uow() as uow:
        step = await uow.steps.get(steps[1])
        assert step is not None
        step.status = StepStatus.DONE.value
        await uow.commit()
    assert isinstance(await rewards.confirm(db, world.coach_id, tagged.entry_id, clock.now()),
                      rewards.Done)

    rows = await recognition_report(db, world.org_id)
    async with db.uow() as uow:
        org = await uow.organisations.get(world.org_id)
        assert org is not None and org.pseudonym_secret  # made on first use, then kept
        pseud = {p.id: pseudonym(org.pseudonym_secret, p.id)
                 for p in await uow.participants.of_organisation(world.org_id)}
    assert rows == await recognition_report(db, world.org_id)  # stable pseudonyms
    by = {row.pseudonym: row for row in rows}
    assert set(by) == {pseud[fatima], pseud[bram]}  # the other organisation is not in it
    assert by[pseud[fatima]].cards_challenging_step == 1
    assert (by[pseud[fatima]].rewards_earned, by[pseud[fatima]].rewards_earned_cents) == (1, 1500)
    assert by[pseud[bram]] == RecognitionCounts(pseud[bram])
    assert "Fatima" not in repr(rows) and "Bram" not in repr(rows)
