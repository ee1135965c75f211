"""What happened to claimed rows, written back to the outbox: sent, skipped, deferred, given
back for a retry, failed, or the person blocked the bot. Each write only touches rows this
worker still holds; the counts go into `Stats`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.notify.claimed import Claimed
from bot.notify.deciding import Plan
from bot.notify.kinds import CANCELLED_WHEN_BLOCKED, KINDS
from bot.notify.kinds.base import AfterSent
from bot.storage.db import Database
from bot.storage.models import OutboxStatus
from bot.storage.uow import UnitOfWork

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    delay = BACKOFF_BASE * (2 ** max(0, attempts - 1))
    return min(delay, BACKOFF_CAP)


@dataclass
class Stats:
    sent: int = 0
    rows_sent: int = 0
    skipped: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    rate_limited: int = 0

    def add(self, other: Stats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Recorder:
    def __init__(self, db: Database, worker: str) -> None:
        self.db, self.worker = db, worker

    async def close_unsent(self, uow: UnitOfWork, plan: Plan, now: datetime,
                           stats: Stats) -> None:
        """In the deciding transaction: skipped rows closed, deferred ones pending again."""
        for reason in set(plan.skip.values()):
            ids = [i for i, r in plan.skip.items() if r == reason]
            await uow.outbox.finish(ids, self.worker, OutboxStatus.SKIPPED.value, now, reason)
            stats.skipped += len(ids)
        for until, reason in dict.fromkeys((d.until, d.reason) for d in plan.defer.values()):
            ids = [i for i, d in plan.defer.items() if (d.until, d.reason) == (until, reason)]
            await uow.outbox.release(ids, self.worker, until, reason, refund_attempt=True)
            stats.deferred += len(ids)

    async def sent(self, ids: list[int], bundle: Sequence[Claimed], now: datetime) -> None:
        """Marked sent at once, each message on its own: a kill -9 repeats only the messages
        Telegram accepted in the last moment (one statement, no transaction around it), unless
        its kind acts on it in the same transaction (`Kind.after_sent`)."""
        sent = [r for r in bundle if r.id in ids]
        after: dict[AfterSent, list[Claimed]] = {}
        for row in sent:
            kind = KINDS.get(row.kind)
            if kind is not None and kind.after_sent is not None:
                after.setdefault(kind.after_sent, []).append(row)
        if not after:
            async with self.db.single_statements() as uow:
                await uow.outbox.finish(ids, self.worker, OutboxStatus.SENT.value, now)
                await uow.commit()
            return
        async with self.db.uow() as uow:
            await uow.outbox.finish(ids, self.worker, OutboxStatus.SENT.value, now)
            for act, rows in after.items():
                await act(uow, rows, now)
            await uow.commit()

    async def finish(self, ids: list[int], status: str, now: datetime, error: str) -> None:
        async with self.db.uow() as uow:
            await uow.outbox.finish(ids, self.worker, status, now, error)
            await uow.commit()

    async def release(self, ids: list[int], due_at: datetime, error: str | None, *,
                      refund: bool = False) -> None:
        async with self.db.uow() as uow:
            await uow.outbox.release(ids, self.worker, due_at, error, refund_attempt=refund)
            await uow.commit()

    async def give_back(self, rows: list[Claimed], now: datetime) -> None:
        """Rows still claimed after serving (an error, renewals lost): pending again after a
        backoff, so they are neither held forever nor retried in a tight loop."""
        try:
            await self.release([r.id for r in rows], now + backoff(max(r.attempts for r in rows)),
                               "unfinished")
        except Exception as error:  # not renewed any more: others take them over
            log.warning("giving back outbox rows failed: %s", type(error).__name__)

    async def blocked(self, account_id: int, ids: list[int], now: datetime) -> None:
        """403: they blocked the bot or deleted the chat. Stop writing; the coach hears of it."""
        async with self.db.uow() as uow:
            account = await uow.accounts.get(account_id)
            if account is not None:
                account.reachable = False
            await uow.outbox.finish(ids, self.worker, OutboxStatus.FAILED.value, now, "blocked")
            await uow.outbox.cancel_pending_of_account(account_id, CANCELLED_WHEN_BLOCKED)
            await uow.commit()
        log.info("account %s blocked the bot; marked unreachable", account_id)
