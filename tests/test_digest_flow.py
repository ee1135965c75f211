"""The digest against a real database: the facts, a constant number of statements, the weekly
plan (once per coach per week, also with two planners at once), requests and "handled"."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event, func, select

from bot.core import digest as rules
from bot.flows import digest, requests
from bot.storage.db import Database
from bot.storage.models import OutboxMessage, Participant, ParticipantEvent
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.digest_world import DIGEST_AT, seed_example

AMS = "Europe/Amsterdam"


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", note)


async def test_example_caseload(db: Database) -> None:
    example = await seed_example(db)
    async with db.uow() as uow:
        built = await digest.build(uow, example.world.coach_id, DIGEST_AT, AMS)
    assert built is not None
    found = built.digest
    assert (found.steps_done, found.people_done, found.caseload) == (3, 2, 6)
    needs = {line.name: [i.need for i in line.items] for line in found.needs}
    assert needs == {
        "Fatima": [rules.Need.HELP],
        "Johan": [rules.Need.TALK, rules.Need.SILENT],
        "Eva": [rules.Need.UNREACHABLE],
        "Mo": [rules.Need.INVITE_UNUSED],
        "Lisa": [rules.Need.TOO_BIG, rules.Need.MANY_DUE],
    }
    assert [(w.name, w.win, w.text) for w in found.celebrate] == [
        ("Sara", rules.Win.GOAL, "Mijn rijbewijs halen"),
        ("Fatima", rules.Win.STEP, "Bellen met de woningbouw"),
        ("Sara", rules.Win.PILLAR, "debts"),
    ]
    assert [(f.name, f.status) for f in found.farewells] == [("Kees", "ended")]
    coming = {c.name: (c.steps_due, c.brug_due, c.rewards_to_hand_out) for c in found.coming}
    assert coming["Fatima"] == (1, "intake", 1)  # no Brug yet: the intake is due
    assert "Sara" not in coming  # measured this week, nothing due
    assert coming["Lisa"][0] == 5
    assert [(r.name, r.items) for r in found.resonated] == [("Fatima", ((1, "no"),)),
                                                           ("Sara", ((0, "yes"),))]


async def _caseload(db: Database, size: int, tg: int, org: str) -> int:
    world = await seed_coach(db, DIGEST_AT - timedelta(days=30), telegram_user_id=tg,
                             org_name=org)
    for n in range(size):
        pid = await seed_participant(db, world, DIGEST_AT - timedelta(days=30),
                                     name=f"P{n}", telegram_user_id=tg * 100 + n)
        await seed_goal(db, pid, DIGEST_AT - timedelta(days=30), "Doel", [
            StepSpec("Stap", DIGEST_AT.date() + timedelta(days=2), challenging=True)])
    return world.coach_id


async def test_statements_do_not_grow_with_the_caseload(db: Database) -> None:
    small = await _caseload(db, 3, 71, "Small")
    large = await _caseload(db, 40, 72, "Large")
    counts = []
    for coach_id in (small, large):
        async with db.uow() as uow:
            with counted(db) as statements:
                built = await digest.build(uow, coach_id, DIGEST_AT, AMS)
            assert built is not None
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 9, counts


def test_storage_knows_the_digest_kind() -> None:
    from bot.storage.repositories import digest as repo

    assert repo.DIGEST_KIND == rules.DIGEST


async def test_one_digest_per_coach_per_week_with_two_planners(db: Database) -> None:
    example = await seed_example(db)
    before = DIGEST_AT - timedelta(days=1)

    async def plan() -> int:
        async with db.uow() as uow:
            changed = await digest._plan_digests(uow, before, AMS)
            await uow.commit()
            return changed

    await asyncio.gather(plan(), plan())
    await plan()  # a restart plans again: nothing new
    async with db.uow() as uow:
        rows = (await uow.session.execute(
            select(OutboxMessage.dedupe_key, OutboxMessage.status, OutboxMessage.due_at)
            .where(OutboxMessage.kind == rules.DIGEST))).all()
    assert [tuple(r) for r in rows] == [
        (f"coach:{example.world.coach_id}:digest:2026-W50", "pending", DIGEST_AT)]


async def test_changing_the_day_moves_the_pending_row_and_off_cancels(db: Database) -> None:
    example = await seed_example(db)
    before = DIGEST_AT - timedelta(days=1)
    async with db.uow() as uow:
        await digest._plan_digests(uow, before, AMS)
        coach = await uow.coaches.get(example.world.coach_id)
        assert coach is not None
        coach.digest_weekday = 2  # Wednesday
        await digest._replan_coach(uow, coach.id, before, AMS)
        await uow.commit()
    async with db.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage))).scalars().all()
        assert [(r.status, r.due_at) for r in rows if r.kind == rules.DIGEST] == [
            ("pending", DIGEST_AT + timedelta(days=2))]
        coach = await uow.coaches.get(example.world.coach_id)
        assert coach is not None
        coach.digest_enabled = False
        await digest._replan_coach(uow, coach.id, before, AMS)
        await uow.commit()
    async with db.uow() as uow:
        statuses = (await uow.session.execute(
            select(OutboxMessage.status).where(OutboxMessage.kind == rules.DIGEST))).scalars()
        assert list(statuses) == ["cancelled"]


async def test_wish_to_talk_is_a_request_not_contact(db: Database) -> None:
    world = await seed_coach(db, DIGEST_AT - timedelta(days=30))
    pid = await seed_participant(db, world, DIGEST_AT - timedelta(days=30))
    silent_since = DIGEST_AT - timedelta(days=21)
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        assert participant is not None
        participant.last_interaction_at = silent_since
        await uow.commit()
    # Saturday evening: the push waits for Monday 08:00 in the coach's zone.
    saturday = DIGEST_AT - timedelta(days=2) + timedelta(hours=12)
    for _ in range(2):  # a second tap adds nothing
        assert await requests.ask_for_contact(db, pid, saturday)
    async with db.uow() as uow:
        last = await uow.session.scalar(
            select(Participant.last_interaction_at).where(Participant.id == pid))
        assert last == silent_since
        pushes = (await uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.kind == rules.PUSH))).scalars().all()
        assert [(p.account_id, p.due_at) for p in pushes] == [
            (world.coach_account_id, DIGEST_AT - timedelta(minutes=30))]
        asked = await uow.session.scalar(select(func.count(ParticipantEvent.id)).where(
            ParticipantEvent.participant_id == pid, ParticipantEvent.kind == "contact_asked"))
        assert asked == 1
        found = await digest.build(uow, world.coach_id, DIGEST_AT, AMS)
        assert found is not None
        assert [i.need for i in found.digest.needs[0].items] == [rules.Need.TALK,
                                                               rules.Need.SILENT]
        assert await requests._mark_handled(uow, pid, "talk", 0, DIGEST_AT)
        assert not await requests._mark_handled(uow, pid, "talk", 0, DIGEST_AT)
        found = await digest.build(uow, world.coach_id, DIGEST_AT, AMS)
        assert found is not None
        assert [i.need for i in found.digest.needs[0].items] == [rules.Need.SILENT]


async def test_help_marked_handled_leaves_the_digest(db: Database) -> None:
    example = await seed_example(db)
    fatima = example.ids["Fatima"]
    async with db.uow() as uow:
        assert not await requests._mark_handled(uow, fatima, "help", example.steps["johan"],
                                               DIGEST_AT)  # someone else's step
        assert await requests._mark_handled(uow, fatima, "help", example.steps["fatima_form"],
                                           DIGEST_AT)
        found = await digest.build(uow, example.world.coach_id, DIGEST_AT, AMS)
        assert found is not None
        assert "Fatima" not in {line.name for line in found.digest.needs}
