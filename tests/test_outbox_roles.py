"""Process roles on one PostgreSQL: one polling process, scheduled jobs in one process, closed
outbox rows removed after the retention period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.bootstrap import build_services
from bot.notify.jobs import purge_outbox
from bot.storage.db import Database
from bot.storage.locks import POLLING, SCHEDULER, RoleLock
from bot.storage.models import OutboxMessage
from bot.telegram.app import AnotherPoller, build_application
from tests.support.builders import seed_coach, seed_participant


def needs_postgres(db: Database) -> None:
    if not db.is_postgres:
        pytest.skip("advisory locks: PostgreSQL only (SQLite runs one process)")


async def test_a_second_polling_process_refuses_to_start_with_one_clear_line(
    settings: Any, db: Database, clock: Any, telegram_api: Any, catalogs: Any
) -> None:
    needs_postgres(db)
    first = RoleLock(db, POLLING)
    assert await first.hold()  # the process that polls already
    # A second process: services of its own on the same database.
    other = build_services(settings, clock=clock, catalogs=catalogs)
    second = build_application(other, request=telegram_api)
    second.bot_data["role"] = "poll"
    try:
        async with second:
            assert second.post_init is not None
            with pytest.raises(AnotherPoller) as refused:
                await second.post_init(second)
        message = str(refused.value)
        assert "\n" not in message and "python -m bot worker" in message
    finally:
        await first.release()
        await other.db.dispose()
    # Once the first process is gone, a new one may poll.
    again = RoleLock(db, POLLING)
    assert await again.hold()
    await again.release()


async def test_scheduled_jobs_run_in_one_process_and_move_when_it_is_gone(db: Database) -> None:
    needs_postgres(db)
    one, two = RoleLock(db, SCHEDULER), RoleLock(db, SCHEDULER)
    assert await one.hold()
    assert await one.hold()  # still ours on the next run
    assert not await two.hold()
    await one.release()  # that process ended (its connection closed)
    assert await two.hold()
    assert not await one.hold()
    await two.release()


async def test_closed_rows_are_removed_after_the_retention_period_but_once_only_keys_stay(
    db: Database, clock: Any
) -> None:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    async with db.uow() as uow:
        account_id = (await uow.participants.get(pid)).account_id
        old, recent = clock.now() - timedelta(days=100), clock.now() - timedelta(days=10)
        for key, kind, status, due in [
            ("old-sent", "remind", "sent", old), ("old-cancelled", "later", "cancelled", old),
            ("old-card", "card", "sent", old), ("old-pending", "remind", "pending", old),
            ("old-checkin", "checkin", "sent", old), ("old-lesson", "lesson", "sent", old),
            ("recent-sent", "remind", "sent", recent), ("old-new-kind", "digest", "sent", old),
        ]:
            await uow.outbox.add(account_id=account_id, kind=kind, due_at=due, dedupe_key=key,
                                 payload={}, status=status, created_at=due)
        await uow.commit()
    assert await purge_outbox(db, clock.now(), keep_days=90) == 3
    async with db.uow() as uow:
        left = set((await uow.session.execute(select(OutboxMessage.dedupe_key))).scalars())
    assert left == {"old-pending", "old-checkin", "old-lesson", "recent-sent", "old-new-kind"}


async def test_every_process_reserves_its_send_slots_from_one_shared_pace(
    db: Database, settings: Any, catalogs: Any
) -> None:
    """Two processes' reservations (two connections) follow each other, never overlap."""
    needs_postgres(db)
    other = build_services(settings, catalogs=catalogs).db  # the other process's database
    try:
        async with db.single_statements() as one, other.single_statements() as two:
            first, database_now = await one.outbox.take_send_slot(0.5)
            second, _ = await two.outbox.take_send_slot(0.5)
            third, _ = await one.outbox.take_send_slot(0.5)
        # Each slot follows the one before, whichever process took it: 0.5 s apart.
        assert second - first == pytest.approx(0.5, abs=1e-6)
        assert third - second == pytest.approx(0.5, abs=1e-6)
        assert first >= database_now  # never in the past
    finally:
        await other.dispose()
