"""The outbox kinds: one table, one typed payload per kind, one way to queue.

Every payload model (bot/core/outbox.py) has its kind in the table of bot/notify/kinds and
every kind its payload; payloads read what older rows stored; a row the dispatcher cannot read
(an unknown kind, a garbled payload) is skipped with a reason instead of failing the batch; and
queuing a message due now is what wakes the dispatcher after the commit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.core import reminders as plan
from bot.core.meetings import MeetingPayload
from bot.core.outbox import PAYLOADS, Payload
from bot.notify.claimed import Claimed
from bot.notify.kinds import KINDS
from bot.notify.kinds.base import BundledKind, Kind, Skip, read
from bot.storage.models import OutboxMessage
from bot.storage.uow import outbox_due_now
from tests.support.builders import seed_coach, seed_participant
from tests.support.outbox import dispatcher_of


def test_every_payload_has_its_kind_and_every_kind_its_payload() -> None:
    assert set(KINDS) == set(PAYLOADS)
    for name, kind in KINDS.items():
        assert isinstance(kind, Kind | BundledKind)
        assert kind.name == name and kind.payload is PAYLOADS[name]
    # Only the reminders share a message.
    assert {n for n, k in KINDS.items() if k.bundle} == set(plan.NUDGE_KINDS)


def test_a_payload_reads_back_what_it_stored_and_what_older_rows_stored() -> None:
    for model in PAYLOADS.values():
        empty = model()  # every field has a default: a row from before a field still reads
        assert model.model_validate(empty.dump()) == empty
    notice = plan.PlanNoticePayload(participant_id=3, change="new_goal", steps=2)
    assert notice.dump() == {"participant_id": 3, "kind": "new_goal", "steps": 2}
    assert plan.PlanNoticePayload.model_validate(notice.dump()) == notice
    assert plan.RemindPayload(step_id=4, due="2026-03-12", days_before=1).dump() == {
        "step_id": 4, "due": "2026-03-12", "days_before": 1}
    assert plan.LaterPayload.model_validate({"step_id": "7"}) == plan.LaterPayload(step_id=7)
    assert MeetingPayload.model_validate({"meeting_id": 1, "at": "x", "what": "new",
                                          "unknown": 1}).what == "new"


def test_a_garbled_payload_is_a_skip_with_its_reason() -> None:
    row = Claimed(1, 1, plan.CARD, "card:1", {"card_id": "not a number"}, 1,
                  datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    assert read(plan.CardPayload, row) == Skip("bad_payload")


def test_two_payloads_on_one_kind_fail_at_import() -> None:
    try:
        class Twice(Payload, kind=plan.CARD):
            pass
    except ValueError as error:
        assert "card" in str(error)
    else:  # pragma: no cover - the registry must refuse
        raise AssertionError("a second payload model for one kind was accepted")


async def test_queuing_a_message_due_now_wakes_the_dispatcher_after_the_commit(
    db: Any, clock: Any
) -> None:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    outbox_due_now.set(False)
    async with db.uow() as uow:
        account_id = (await uow.participants.get(pid)).account_id
        later = clock.now() + timedelta(hours=1)
        assert await uow.outbox.queue(account_id, plan.WelcomeBackPayload(participant_id=pid),
                                      due_at=later, key="later", now=clock.now())
        await uow.commit()
    assert outbox_due_now.get() is False  # due later: the timer's tick sends it
    async with db.uow() as uow:
        payload = plan.CardPayload(participant_id=pid, card_id=5)
        first = await uow.outbox.queue(account_id, payload, due_at=clock.now(), key="card:5",
                                       now=clock.now())
        assert first is not None
        assert outbox_due_now.get() is False  # not before the commit
        await uow.commit()
    assert outbox_due_now.get() is True
    outbox_due_now.set(False)
    async with db.uow() as uow:
        again = await uow.outbox.queue(account_id, plan.CardPayload(participant_id=pid,
                                                                    card_id=5),
                                       due_at=clock.now(), key="card:5", now=clock.now())
        assert again is None  # the key exists: nothing queued, nothing to wake for
        await uow.commit()
        stored = (await uow.session.execute(
            select(OutboxMessage.kind, OutboxMessage.payload)
            .where(OutboxMessage.dedupe_key == "card:5"))).one()
    assert outbox_due_now.get() is False
    assert tuple(stored) == ("card", {"participant_id": pid, "card_id": 5})


async def test_a_row_of_an_unknown_kind_or_a_garbled_payload_is_skipped_with_its_reason(
    app: Any, db: Any, clock: Any
) -> None:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    async with db.uow() as uow:
        account_id = (await uow.participants.get(pid)).account_id
        await uow.outbox.enqueue(account_id=account_id, kind="no_such_kind", due_at=clock.now(),
                                 dedupe_key="odd", payload={}, now=clock.now())
        await uow.outbox.enqueue(account_id=account_id, kind=plan.CARD, due_at=clock.now(),
                                 dedupe_key="card:x", payload={"card_id": "x"}, now=clock.now())
        await uow.commit()
    stats = await dispatcher_of(app).tick()
    assert (stats.sent, stats.skipped) == (0, 2)
    async with db.uow() as uow:
        found = dict((await uow.session.execute(
            select(OutboxMessage.dedupe_key, OutboxMessage.last_error)
            .where(OutboxMessage.status == "skipped"))).tuples().all())
    assert found == {"odd": "unknown_kind", "card:x": "bad_payload"}

