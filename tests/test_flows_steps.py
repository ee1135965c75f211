"""The plain step use cases other features call (reminder buttons, automatic cards)."""

import itertools
from datetime import date

from bot.core.pause import is_paused, pause_end
from bot.flows.steps import StepProblem, TickResult, _reschedule_step, _tick_step
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant


async def test_tick_step_result_and_idempotency(db, clock) -> None:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    other = await seed_participant(db, world, clock.now(), name="Piet", telegram_user_id=1002)
    goal_id, (hard, last) = await seed_goal(db, pid, clock.now(), "Doel", [
        StepSpec("Moeilijk", challenging=True), StepSpec("Laatste")])
    async with db.uow() as uow:
        first = await _tick_step(uow, pid, hard, clock.now())
        again = await _tick_step(uow, pid, hard, clock.now())
        forged = await _tick_step(uow, other, last, clock.now())
        final = await _tick_step(uow, pid, last, clock.now())
        await uow.commit()
    assert first == TickResult(hard, goal_id, True, False, False, first.acknowledgement)
    assert again == TickResult(hard, goal_id, True, False, already_done=True)
    assert forged is StepProblem.NOT_FOUND
    assert isinstance(final, TickResult) and final.goal_completed and not final.already_done
    assert final.acknowledgement != first.acknowledgement
    async with db.uow() as uow:
        kinds = [e.kind for e in await uow.step_events.of_participant(pid)]
        moved = await _reschedule_step(uow, pid, last, date(2026, 3, 20), clock.now())
    assert kinds == ["done", "done"]
    assert moved is StepProblem.NOT_OPEN


def test_pause_rules() -> None:
    today = date(2026, 3, 10)
    assert pause_end("week", today) == date(2026, 3, 17)
    assert is_paused("paused", date(2026, 3, 17), date(2026, 3, 17))
    assert not is_paused("paused", date(2026, 3, 17), date(2026, 3, 18))
    assert is_paused("paused", None, date(2030, 1, 1))
    assert not is_paused("active", None, today)


async def test_consecutive_ticks_never_get_the_same_line(db, clock) -> None:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    _goal, ids = await seed_goal(db, pid, clock.now(), "Doel",
                                 [StepSpec(f"Stap {i}") for i in range(12)])
    lines = []
    for step_id in ids[:-1]:  # the last one would complete the goal (another pool)
        clock.advance(minutes=1)
        async with db.uow() as uow:
            result = await _tick_step(uow, pid, step_id, clock.now())
            await uow.commit()
        assert isinstance(result, TickResult)
        lines.append(result.acknowledgement)
    assert all(a != b for a, b in itertools.pairwise(lines))
    assert len(set(lines)) > 2


async def test_tick_inside_a_unit_of_work_that_holds_the_rows_as_objects(db, clock) -> None:
    """The tick's statements skip the ORM, except when the caller's unit of work holds the step
    or participant as objects: those must see the tick, and pending changes are not lost."""
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    goal_id, (first, second) = await seed_goal(db, pid, clock.now(), "Doel", [
        StepSpec("Bellen"), StepSpec("Mailen")])
    async with db.uow() as uow:
        step = await uow.steps.owned(first, pid)
        participant = await uow.participants.get(pid)
        assert step is not None and participant is not None
        other = await uow.steps.owned(second, pid)
        assert other is not None
        other.text = "Mailen aan de woningcorporatie"  # pending, not flushed
        result = await _tick_step(uow, pid, first, clock.now())
        assert isinstance(result, TickResult) and not result.already_done
        assert step.status == "done" and step.done_at == clock.now()
        assert participant.last_interaction_at == clock.now()
        await uow.commit()
    async with db.uow() as uow:
        texts = {s.id: (s.text, s.status) for s in await uow.steps.of_goal(goal_id)}
    assert texts == {first: ("Bellen", "done"),
                     second: ("Mailen aan de woningcorporatie", "open")}
