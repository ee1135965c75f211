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
# Seconds after its moment that a reserved slot counts as missed.
LATE = 0.02


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
        slot = max(now, self._next)  # a missed moment is never made up for with a burst
        self._next = slot + self.step
        if slot > now:
            await asyncio.sleep(slot - now)
        return slot - now


class SharedPacer:
    """Slots `1 / rate` apart across every process using this PostgreSQL database.

    Reserves BLOCK consecutive slots per round trip: a quarter of the statements, and a
    process that has nothing to send for them only leaves a few slots unused."""

    BLOCK = 4

    def __init__(self, db: Database, rate: float = DEFAULT_RATE) -> None:
        self.db = db
        self.step = 1.0 / rate
        self._slots: list[float] = []  # event-loop times of reserved slots, in order
        self._lock = asyncio.Lock()

    async def wait_for_slot(self) -> float:
        waited = 0.0
        for _ in range(10):
            late, wait = await self._one_slot()
            waited += wait
            if not late:
                break
        return waited

    async def _one_slot(self) -> tuple[bool, float]:
        """(woke up too late for it, seconds waited)."""
        loop = asyncio.get_running_loop()
        async with self._lock:
            # A slot whose moment passed while the process was busy is dropped, not used late:
            # sending late would bunch up with the next process's slots.
            while self._slots and self._slots[0] < loop.time() - LATE:
                self._slots.pop(0)
            if not self._slots:
                async with self.db.uow() as uow:
                    wait = await uow.outbox.take_send_slots(self.step, self.BLOCK)
                    await uow.commit()
                now = loop.time()
                self._slots = [now + wait + n * self.step for n in range(self.BLOCK)]
            slot = self._slots.pop(0)
        wait = slot - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        return loop.time() - slot > LATE, max(0.0, wait)


class Unpaced:
    """No pacing at all: only for measuring the dispatcher's own capacity (bench/)."""

    async def wait_for_slot(self) -> float:
        return 0.0


def pacer_for(db: Database, rate: float = DEFAULT_RATE) -> Pacer:
    return SharedPacer(db, rate) if db.is_postgres else LocalPacer(rate)
