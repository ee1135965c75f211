"""Even pacing of the outbox's sends, one pace for the whole installation.

Telegram allows about 30 messages a second per bot, measured over short windows. Sends are
spaced evenly at `rate` (a little under 30), never in catch-up bursts: a burst on top of a
steady stream is what overruns a strict one-second window. With several processes on
PostgreSQL the pace is one row in `send_pace` that every process reserves its next slot from
(`OutboxRepository.take_send_slot`, one statement): the simplest thing that holds, since it
needs no leader and no per-process share that idles when one process has nothing to send.
SQLite runs one process, so there the pace lives in memory.

The margin is small: at 29 a second, 30 messages span 1.03 s, so two sends may arrive at most
~34 ms closer together than their slots before a strict window counts 31. Hence: slot times are
converted from the database clock with the round trip taken out (`ClockOffset`), a slot missed by
more than `LATE` is given up rather than used late, and the outbox's sends bypass PTB's own rate
limiter (`DirectAnswerLimiter`), whose retries and process-wide halt after a 429 send outside the
pace and in a burst.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from telegram.ext import AIORateLimiter

from bot.storage.db import Database

DEFAULT_RATE = 29.0
# Seconds after its moment that a reserved slot counts as missed.
LATE = 0.02


class Pacer(Protocol):
    async def reserve(self) -> float:
        """The next send slot of the installation, as an event-loop time."""
        ...

    async def hold(self, seconds: float) -> None:
        """Telegram answered 429 with retry_after: no process sends for this long."""
        ...


async def wait_for(slot: float) -> bool:
    """Sleep until the slot; False when it was missed by more than LATE (woken too late)."""
    loop = asyncio.get_running_loop()
    if slot > loop.time():
        await asyncio.sleep(slot - loop.time())
    return loop.time() - slot <= LATE


class LocalPacer:
    """Slots `1 / rate` apart in this process."""

    def __init__(self, rate: float = DEFAULT_RATE) -> None:
        self.step = 1.0 / rate
        self._next = 0.0

    async def reserve(self) -> float:
        slot = max(asyncio.get_running_loop().time(), self._next)  # never a catch-up burst
        self._next = slot + self.step
        return slot

    async def hold(self, seconds: float) -> None:
        self._next = max(self._next, asyncio.get_running_loop().time() + seconds)


class ClockOffset:
    """The database clock minus this process's event-loop clock.

    Each reservation's answer carries the database's time; the answer took a round trip, so the
    estimate is the database time minus the middle of the round trip, and of the recent ones the
    one with the shortest round trip is kept (as NTP does): under load a round trip can take tens
    of milliseconds, which taken as zero would shift this process's slots against the others'."""

    def __init__(self, keep: int = 32) -> None:
        self._samples: deque[tuple[float, float]] = deque(maxlen=keep)  # (round trip, offset)

    def add(self, sent: float, received: float, remote: float) -> None:
        self._samples.append((received - sent, remote - (sent + received) / 2))

    @property
    def offset(self) -> float:
        return min(self._samples)[1]


class SharedPacer:
    """Slots `1 / rate` apart across every process using this PostgreSQL database."""

    def __init__(self, db: Database, rate: float = DEFAULT_RATE) -> None:
        self.db = db
        self.step = 1.0 / rate
        self.clock = ClockOffset()

    async def reserve(self) -> float:
        loop = asyncio.get_running_loop()
        async with self.db.single_statements() as uow:
            sent = loop.time()
            slot, database_now = await uow.outbox.take_send_slot(self.step)
            self.clock.add(sent, loop.time(), database_now)
        return slot - self.clock.offset

    async def hold(self, seconds: float) -> None:
        async with self.db.single_statements() as uow:
            await uow.outbox.hold_send_slots(seconds)


class Unpaced:
    """No pacing at all: only for measuring the dispatcher's own capacity (bench/) and tests."""

    async def reserve(self) -> float:
        return asyncio.get_running_loop().time()

    async def hold(self, seconds: float) -> None:
        return None


def pacer_for(db: Database, rate: float = DEFAULT_RATE) -> Pacer:
    return SharedPacer(db, rate) if db.is_postgres else LocalPacer(rate)


# --- PTB's rate limiter, for everything but the outbox --------------------------------------------

_paced: ContextVar[bool] = ContextVar("paced_send", default=False)


@contextmanager
def paced_send() -> Iterator[None]:
    """Around a send the pace already allowed: PTB's rate limiter lets it straight through."""
    token = _paced.set(True)
    try:
        yield
    finally:
        _paced.reset(token)


class DirectAnswerLimiter(AIORateLimiter):
    """PTB's AIORateLimiter for the direct answers to a person's own action.

    The outbox's sends skip it (`paced_send`): they are paced for all processes together, and on
    a 429 the dispatcher gives the rows back and holds the shared pace. PTB would instead retry
    the call itself after retry_after, outside the pace, while halting every other send of this
    process, which then all go at once: a burst that overruns the window again."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if _paced.get():
            return await callback(*args, **kwargs)
        return await super().process_request(callback, args, kwargs, endpoint, data,
                                              rate_limit_args)
