"""The record of updates whose handling finished (table `handled_updates`).

Outside the unit of work on purpose: it is written after the handlers' own transactions, by the
update handling in bot/updates.py, never by a use case.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from bot.storage.db import Database
from bot.storage.models import HandledUpdate


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


async def prune(db: Database, before: datetime) -> int:
    async with db.engine.begin() as conn:
        result = await conn.execute(delete(HandledUpdate).where(HandledUpdate.handled_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
