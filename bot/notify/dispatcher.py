"""The outbox dispatcher: claim due people, decide at the moment of sending, pace, send, record.

Ticked by PTB's JobQueue (bot/notify/jobs.py). A claim takes ALL due rows of a person, and no
other process claims that person while the claim lives, so what decides a message's right to go
out (daily cap, quiet hours, pause, reachability, the step still open) is read right before it is
sent and counts everything sent or in flight, with any number of processes. Many people are in
flight at once; the sends themselves are paced evenly through one pace for the installation
(`bot/notify/pacing.py`). Claims are renewed while the sender lives and taken over only when they
stop being renewed (the process is gone). A row is marked sent right after Telegram accepted it,
so a kill -9 repeats at most the messages that were in flight at that moment.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Bot

from bot.clock import Clock
from bot.notify.claimed import Claimed
from bot.notify.claims import Claims
from bot.notify.deciding import Batch, Plan, bundles, by_person
from bot.notify.pacing import Pacer, pacer_for, wait_for
from bot.notify.recording import Recorder, Stats
from bot.notify.sending import send
from bot.storage.db import Database
from bot.storage.repositories.outbox import PER_CHAT_GAP
from bot.storage.uow import UnitOfWork

__all__ = ["BATCH_PEOPLE", "Dispatcher", "Stats"]

log = logging.getLogger(__name__)

# People per claim, and how few may still wait for a send slot before the next claim: a
# process holds only what it sends in about the next second (at a third of Telegram's rate), so
# decisions are fresh when sent and the next claim is done before the last one is used up.
BATCH_PEOPLE = 8
LOW_WATER = 4
# Decided longer ago than this (seconds) when the send slot comes: decide again first, this
# long before the slot.
RECHECK_AFTER = 2.0
RECHECK_LEAD = 0.3
# Slots missed in a row (a very busy process) before sending at the last one, late or not.
MAX_SLOT_TRIES = 10

Decided = tuple[float, Plan]  # (event-loop time of the decision, the decision)


@dataclass
class Held:
    """One person's claimed rows, decided (by each bundle's first row id)."""

    rows: list[Claimed]
    decided: dict[int, Decided]

    @property
    def sends(self) -> bool:
        return any(d.send_ids for _, d in self.decided.values())


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class Dispatcher:
    def __init__(self, db: Database, clock: Clock, bot: Bot, *, worker: str | None = None,
                 batch_size: int = BATCH_PEOPLE, claim_timeout: timedelta = timedelta(seconds=60),
                 max_rounds: int = 2000, pacer: Pacer | None = None,
                 max_in_flight: int = 60) -> None:
        self.db = db
        self.clock = clock
        self.bot = bot
        self.worker = (worker or default_worker_id())[:64]
        self.claims = Claims(db, clock, self.worker, claim_timeout, batch_size)
        self.max_rounds = max_rounds
        self.max_in_flight = max_in_flight  # people being served at once
        self.pacer: Pacer = pacer if pacer is not None else pacer_for(db)
        self.records = Recorder(db, self.worker)
        self._turn = asyncio.Lock()  # whose turn it is to reserve this process's next slot
        self._waiting = 0  # people in hand still waiting for their first send slot
        self._slot_taken = asyncio.Event()
        # One tick at a time per process (the JobQueue's timer and wake-ups share it).
        self._lock = asyncio.Lock()
        self._again = False
        self._woken: set[asyncio.Task[Stats]] = set()

    def wake(self) -> None:
        """Something is due now (a card, a notice): tick now instead of at the next interval.
        A running tick goes round once more instead."""
        if self._lock.locked():
            self._again = True
            return
        task = asyncio.get_running_loop().create_task(self._woken_tick())
        self._woken.add(task)
        task.add_done_callback(self._woken.discard)

    async def _woken_tick(self) -> Stats:
        try:
            return await self.tick()
        except Exception as error:  # the timer's next tick tries again; nothing is lost
            log.warning("woken outbox tick failed: %s", type(error).__name__)
            return Stats()

    async def settle(self) -> None:
        """Wait until the ticks started by wake() are done (tests, shutdown)."""
        while self._woken:
            await asyncio.gather(*self._woken)

    async def tick(self) -> Stats:
        """Send what is due, until nothing is due; once more when woken meanwhile."""
        async with self._lock:
            stats = Stats()
            self._again = True
            renewing = asyncio.get_running_loop().create_task(self.claims.keep_alive())
            try:
                while self._again:
                    self._again = False
                    stats.add(await self._tick_once())
            finally:
                renewing.cancel()
                await asyncio.gather(renewing, return_exceptions=True)
            return stats

    async def _tick_once(self) -> Stats:
        """Claim a few people and serve them; claim the next few when fewer than LOW_WATER of
        them still wait for their send slot, until nothing is due (bounded). So a process holds
        only what it sends in about the next second: decisions are fresh when sent, and a
        process that dies leaves few claims behind."""
        stats = Stats()
        serving: set[asyncio.Task[None]] = set()
        loop = asyncio.get_running_loop()
        self.claims.reap_next_time()
        try:
            for _ in range(self.max_rounds):
                if len(serving) >= self.max_in_flight:
                    await asyncio.wait(serving, return_when=asyncio.FIRST_COMPLETED)
                    continue
                people = await self._claim_and_decide(stats)
                if not people:
                    if not serving:
                        break
                    # Someone's claim ends soon; their newly due rows may be claimable then.
                    await asyncio.wait(serving, return_when=asyncio.FIRST_COMPLETED)
                    continue
                for person in people:
                    task = loop.create_task(self._serve(person, stats))
                    serving.add(task)
                    task.add_done_callback(serving.discard)
                await self._until_few_wait(serving)
        finally:
            if serving:  # never orphan a claim: finish what is in hand
                await asyncio.gather(*serving, return_exceptions=True)
        return stats

    async def _until_few_wait(self, serving: set[asyncio.Task[None]]) -> None:
        """Until fewer than LOW_WATER people wait for a send slot (or all are served)."""
        while self._waiting >= LOW_WATER and serving:
            self._slot_taken.clear()
            taken = asyncio.get_running_loop().create_task(self._slot_taken.wait())
            try:
                await asyncio.wait({*serving, taken}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                taken.cancel()

    async def _claim(self) -> list[Claimed]:
        """Claim due people (committed), without deciding: tests stand in for a process that
        claimed and then died."""
        async with self.db.uow() as uow:
            claimed = await self.claims.take(uow, self.clock.now())
            await uow.commit()
        return claimed

    async def _claim_and_decide(self, stats: Stats) -> list[Held]:
        """One transaction: claim, decide every bundle from what is stored right now (a few
        queries for the whole batch), close what will not be sent."""
        now = self.clock.now()
        async with self.db.uow() as uow:
            claimed = await self.claims.take(uow, now)
            decided = await self._decide_in(uow, claimed, now, stats) if claimed else {}
            await uow.commit()
        return [Held(rows, decided) for rows in by_person(claimed)]

    async def _serve(self, person: Held, stats: Stats) -> None:
        """One person's claimed rows: bundle after bundle, at least PER_CHAT_GAP apart."""
        rows = person.rows
        self.claims.held.update(r.id for r in rows)
        closed: set[int] = set()
        try:
            await self._serve_bundles(person, closed, stats)
        finally:
            self.claims.held.difference_update(r.id for r in rows)
            unfinished = [r for r in rows if r.id not in closed]
            if unfinished:
                await self.records.give_back(unfinished, self.clock.now())

    async def _serve_bundles(self, person: Held, closed: set[int], stats: Stats) -> None:
        last_sent: float | None = None
        loop = asyncio.get_running_loop()
        waiting = person.sends  # counted in _waiting until their first slot comes
        if waiting:
            self._waiting += 1
        try:
            for bundle in bundles(person.rows):
                at, plan = person.decided[bundle[0].id]
                closed.update(i for i in (r.id for r in bundle) if i not in plan.send_ids)
                if not plan.send_ids:
                    continue
                try:
                    if last_sent is not None:  # a further message to them: the per-chat gap
                        await asyncio.sleep(max(0.0, last_sent + PER_CHAT_GAP.total_seconds()
                                                - loop.time()))
                    async with self._turn:
                        plan = await self._until_slot(bundle, at, plan, closed, stats)
                    if waiting:
                        waiting = False
                        self._waiting -= 1
                        self._slot_taken.set()
                    if not plan.send_ids:
                        continue
                    if not self.claims.fresh():
                        # Our claims may have expired for the others (renewals failed): leave
                        # the rows to whoever takes them over rather than risk sending twice.
                        log.warning("outbox claims not renewed in time; not sending")
                        return
                    sent = await send(self.bot, self.pacer, self.records, bundle, plan,
                                      self.clock.now(), stats)
                    closed.update(plan.send_ids)  # sent, failed or given back: closed
                    if sent:
                        last_sent = loop.time()
                except Exception as error:  # one person's trouble never stops the others
                    log.warning("outbox bundle failed: %s", type(error).__name__)
        finally:
            if waiting:
                self._waiting -= 1
                self._slot_taken.set()

    async def _until_slot(self, bundle: Sequence[Claimed], at: float, plan: Plan,
                          closed: set[int], stats: Stats) -> Plan:
        """Reserve a send slot and sleep until it. Called under `_turn`: a process holds one
        slot at a time, so the processes' slots interleave and each has only about
        rate / processes x latency messages in flight. Woken too late for it (the process was
        busy), take a new one rather than send late: a late send bunches up with the next
        ones. A decision that would be old by then is made again just before the slot."""
        loop = asyncio.get_running_loop()
        for attempt in range(MAX_SLOT_TRIES):
            slot = await self.pacer.reserve()
            if slot - at > RECHECK_AFTER:
                # A step may have been done meanwhile.
                await asyncio.sleep(max(0.0, slot - RECHECK_LEAD - loop.time()))
                plan = await self._decide_again(bundle, plan, closed, stats)
                at = loop.time()
                if not plan.send_ids:
                    return plan  # this slot stays unused: one gap in the pace
            if await wait_for(slot) or attempt == MAX_SLOT_TRIES - 1:
                break  # on time (or a machine this busy: late at the last one)
        return plan

    async def _decide_again(self, bundle: Sequence[Claimed], plan: Plan,
                            closed: set[int], stats: Stats) -> Plan:
        again = [r for r in bundle if r.id in plan.send_ids]
        now = self.clock.now()
        async with self.db.uow() as uow:
            fresh = (await self._decide_in(uow, again, now, stats))[again[0].id][1]
            await uow.commit()
        closed.update(i for i in (r.id for r in again) if i not in fresh.send_ids)
        return fresh

    async def _decide_in(self, uow: UnitOfWork, rows: Sequence[Claimed], now: datetime,
                         stats: Stats) -> dict[int, Decided]:
        """Decide every bundle of these rows from what is stored right now (a few queries for
        the whole batch); close what will not be sent. Keyed by each bundle's first row id."""
        at = asyncio.get_running_loop().time()
        decided: dict[int, Decided] = {}
        batch = Batch(uow, rows, now)
        for bundle in bundles(rows):
            plan = await batch.plan(bundle)
            await self.records.close_unsent(uow, plan, now, stats)
            decided[bundle[0].id] = (at, plan)
            # Rendering a batch takes a while: let this process's sends go out on time between.
            await asyncio.sleep(0)
        return decided
