"""The record of updates whose handling finished (table `handled_updates`).

Written by the update handling in telegram/updates.py, never by a use case. To save a transaction
per update, the record rides along with the update's first change: while an update is handled,
`recording` holds its id, and the first unit of work of that update that commits writes the
row in its own transaction (`UnitOfWork.commit`), so the change and "this update was handled"
land together. An update that changed nothing is recorded on its own when it finished; one
whose handling failed after its change had the row removed again, so a redelivery is handled.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage.models import HandledUpdate


class Database(Protocol):
    """What these functions need of bot.storage.db.Database (which imports this module through
    the unit of work): its engine."""

    @property
    def engine(self) -> AsyncEngine: ...


@dataclass
class Recording:
    """The update the current task is handling, and whether its row was written yet."""

    update_id: int
    at: datetime
    # Only the task handling the update records it: a task started meanwhile (the dispatcher
    # woken after a card) inherits this context but commits its own work, not the update's.
    task: asyncio.Task[object] | None
    recorded: bool = False


recording: ContextVar[Recording | None] = ContextVar("recording", default=None)

_table = cast(Table, HandledUpdate.__table__)
# "Recorded already" (another process finished the same update) is the same fact, not an error
# that would undo the change it rides along with. The same words on SQLite and PostgreSQL; as
# text it costs half of what the dialects' insert constructs cost on every update.
_RECORD = text(
    "INSERT INTO handled_updates (update_id, handled_at) VALUES (:update_id, :handled_at) "
    "ON CONFLICT DO NOTHING"
).bindparams(bindparam("handled_at", type_=_table.c.handled_at.type))


def pending() -> Recording | None:
    """The current update's recording, when this task should still write it."""
    found = recording.get()
    if found is None or found.recorded:
        return None
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return None
    return found if found.task is task else None


async def record_in(session: AsyncSession, found: Recording) -> None:
    """Write the row in this transaction; `found.recorded` is set by the caller after COMMIT."""
    await session.execute(_RECORD, {"update_id": found.update_id, "handled_at": found.at})


async def was_handled(db: Database, update_id: int) -> bool:
    async with db.engine.connect() as conn:
        found = await conn.scalar(
            select(HandledUpdate.update_id).where(HandledUpdate.update_id == update_id))
    return found is not None


async def highest(db: Database) -> int:
    """The highest update id recorded (0 when none)."""
    async with db.engine.connect() as conn:
        found = await conn.scalar(select(func.max(HandledUpdate.update_id)))
    return int(found or 0)


async def mark_handled(db: Database, update_id: int, at: datetime) -> None:
    try:
        async with db.engine.begin() as conn:
            await conn.execute(insert(HandledUpdate).values(update_id=update_id, handled_at=at))
    except IntegrityError:
        pass  # recorded already (another process finished the same update): the same fact


async def forget(db: Database, update_id: int) -> None:
    """Undo the record of an update whose handling failed after its change committed."""
    async with db.engine.begin() as conn:
        await conn.execute(delete(HandledUpdate).where(HandledUpdate.update_id == update_id))


async def prune(db: Database, before: datetime) -> int:
    async with db.engine.begin() as conn:
        result = await conn.execute(delete(HandledUpdate).where(HandledUpdate.handled_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
