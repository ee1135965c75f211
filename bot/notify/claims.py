"""This process's claims on outbox rows: taken (abandoned claims put back first), renewed while
the process lives, and whether they surely still count as ours.

Others take a claim over only after `timeout` without renewal (the process is gone); a sender
stops well before that, so a claim taken over is never sent by both.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.notify.claimed import Claimed
from bot.storage.db import Database
from bot.storage.uow import UnitOfWork

log = logging.getLogger(__name__)


class Claims:
    def __init__(self, db: Database, clock: Clock, worker: str, timeout: timedelta,
                 people: int) -> None:
        self.db, self.clock, self.worker = db, clock, worker
        self.timeout = timeout
        self.people = people  # people per claim
        self.held: set[int] = set()  # ids of the rows being served: the claims we renew
        # Until when (event-loop time) our claims surely still count as alive for others: a
        # sender past it (the database was unreachable, renewals failed) does not send.
        self._fresh_until = 0.0
        self._reaped_at: float | None = None  # event-loop time of the last reap_stale

    def reap_next_time(self) -> None:
        """The next claim first puts abandoned claims back (every tick starts so)."""
        self._reaped_at = None

    async def take(self, uow: UnitOfWork, now: datetime) -> list[Claimed]:
        """Claim ALL due rows of up to `people` recipients (bot/storage/repositories/outbox)."""
        loop = asyncio.get_running_loop()
        reap_every = self.timeout.total_seconds() / 4
        if self._reaped_at is None or loop.time() - self._reaped_at >= reap_every:
            await uow.outbox.reap_stale(now=now, claim_timeout=self.timeout)
            self._reaped_at = loop.time()
        rows = await uow.outbox.claim_people(now=now, worker=self.worker, people=self.people,
                                             postgres=uow.postgres)
        claimed = [Claimed(r.id, r.account_id, r.kind, r.dedupe_key, dict(r.payload),
                           r.attempts, r.due_at) for r in rows]
        if claimed:
            self._renewed(loop.time())
        return claimed

    def fresh(self) -> bool:
        return asyncio.get_running_loop().time() <= self._fresh_until

    def _renewed(self, at: float) -> None:
        self._fresh_until = max(self._fresh_until, at + self.timeout.total_seconds() * 0.6)

    async def keep_alive(self) -> None:
        """Renew the claims held, a few times per timeout, until cancelled."""
        every = max(0.05, self.timeout.total_seconds() / 4)
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(every)
            started = loop.time()
            try:
                async with self.db.uow() as uow:
                    await uow.outbox.renew(sorted(self.held), self.worker, self.clock.now())
                    await uow.commit()
            except Exception as error:  # the database is away: the claims stop being fresh
                log.warning("renewing outbox claims failed: %s", type(error).__name__)
                continue
            self._renewed(started)
