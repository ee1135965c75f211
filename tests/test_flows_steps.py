"""The plain step use cases other features call (reminder buttons, automatic cards)."""

from datetime import date

from bot.core.pause import is_paused, pause_end
from bot.flows.steps import StepProblem, TickResult, reschedule_step, tick_step
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant


async def test_tick_step_result_and_idempotency(db, clock) -> None:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    other = await seed_participant(db, world, clock.now(), name="Piet", telegram_user_id=1002)
    goal_id, (hard, last) = await seed_goal(db, pid, clock.now(), "Doel", [
        StepSpec("Moeilijk", challenging=True), StepSpec("Laatste")])
    async with db.uow() as uow:
        first = await tick_step(uow, pid, hard, clock.now())
        again = await tick_step(uow, pid, hard, clock.now())
        forged = await tick_step(uow, other, last, clock.now())
        final = await tick_step(uow, pid, last, clock.now())
        await uow.commit()
    assert first == TickResult(hard, goal_id, True, False, False, first.acknowledgement)
    assert again == TickResult(hard, goal_id, True, False, already_done=True)
    assert forged is StepProblem.NOT_FOUND
    assert isinstance(final, TickResult) and final.goal_completed and not final.already_done
    assert final.acknowledgement != first.acknowledgement
    async with db.uow() as uow:
        kinds = [e.kind for e in await uow.step_events.of_participant(pid)]
        moved = await reschedule_step(uow, pid, last, date(2026, 3, 20), clock.now())
    assert kinds == ["done", "done"]
    assert moved is StepProblem.NOT_OPEN


def test_pause_rules() -> None:
    today = date(2026, 3, 10)
    assert pause_end("week", today) == date(2026, 3, 17)
    assert is_paused("paused", date(2026, 3, 17), date(2026, 3, 17))
    assert not is_paused("paused", date(2026, 3, 17), date(2026, 3, 18))
    assert is_paused("paused", None, date(2030, 1, 1))
    assert not is_paused("active", None, today)
