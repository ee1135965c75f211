"""Even pacing of the outbox's sends, one pace for the whole installation.

Telegram allows about 30 messages a second per bot, measured over short windows. Sends are
spaced evenly at `rate` (a little under 30), never in catch-up bursts: a burst on top of a
steady stream is what overruns a strict one-second window. With several processes on
PostgreSQL the pace is one row in `send_pace` that every process reserves its next slot from
(`OutboxRepository.take_send_slot`): the simplest thing that holds, since it needs no leader and
no per-process share that idles when one process has nothing to send. SQLite runs one process,
so there the pace lives in memory.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from bot.storage.db import Database

DEFAULT_RATE = 29.0


class Pacer(Protocol):
    async def wait_for_slot(self) -> float:
        """Wait for this process's next send slot; returns how long it waited (seconds)."""
        ...


class LocalPacer:
    """Slots `1 / rate` apart in this process."""

    def __init__(self, rate: float = DEFAULT_RATE) -> None:
        self.step = 1.0 / rate
        self._next = 0.0

    async def wait_for_slot(self) -> float:
        loop = asyncio.get_running_loop()
        now = loop.time()
        slot = max(now, self._next)
        self._next = slot + self.step
        if slot > now:
            await asyncio.sleep(slot - now)
        return slot - now


class SharedPacer:
    """Slots `1 / rate` apart across every process using this PostgreSQL database."""

    def __init__(self, db: Database, rate: float = DEFAULT_RATE) -> None:
        self.db = db
        self.step = 1.0 / rate

    async def wait_for_slot(self) -> float:
        async with self.db.uow() as uow:
            wait = await uow.outbox.take_send_slot(self.step)
            await uow.commit()
        if wait > 0:
            await asyncio.sleep(wait)
        return wait


class Unpaced:
    """No pacing at all: only for measuring the dispatcher's own capacity (bench/)."""

    async def wait_for_slot(self) -> float:
        return 0.0


def pacer_for(db: Database, rate: float = DEFAULT_RATE) -> Pacer:
    return SharedPacer(db, rate) if db.is_postgres else LocalPacer(rate)
