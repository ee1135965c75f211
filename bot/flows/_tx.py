"""One use case, one transaction: the shared shape of a public flow around its private work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.storage.db import Database
from bot.storage.uow import UnitOfWork

T = TypeVar("T")


async def in_one_transaction(db: Database, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run `work` in a fresh unit of work and commit it once (its events' reactions included).
    A refusal that changed nothing commits nothing of note either."""
    async with db.uow() as uow:
        result = await work(uow)
        await uow.commit()
        return result
