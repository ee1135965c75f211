from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.storage.models import OutboxMessage, OutboxStatus
from bot.storage.repositories.base import Repository

PENDING = OutboxStatus.PENDING.value
CLAIMED = OutboxStatus.CLAIMED.value
SENT = OutboxStatus.SENT.value


class OutboxRepository(Repository[OutboxMessage]):
    model = OutboxMessage

    async def pending_keys(self, prefix: str) -> set[str]:
        """Pending dedupe keys that start with `prefix` (e.g. one step's keys)."""
        result = await self.session.execute(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.status == PENDING,
                OutboxMessage.dedupe_key.startswith(prefix, autoescape=True),
            )
        )
        return set(result.scalars())

    async def of_account_with_prefix(self, account_id: int, prefix: str) -> list[OutboxMessage]:
        """Every row of one recipient whose key starts with `prefix`, any status.

        Filtering on the indexed account first keeps this a handful of rows however large the
        outbox grows (a LIKE prefix alone cannot use the index on every database/collation)."""
        result = await self.session.execute(
            select(OutboxMessage).where(
                OutboxMessage.account_id == account_id,
                OutboxMessage.dedupe_key.startswith(prefix, autoescape=True),
            )
        )
        return list(result.scalars())

    async def existing_keys(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        if not keys:
            return set()
        result = await self.session.execute(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))
        )
        return set(result.scalars())

    async def enqueue(
        self,
        *,
        account_id: int,
        kind: str,
        due_at: datetime,
        dedupe_key: str,
        payload: dict[str, Any],
        now: datetime,
    ) -> OutboxMessage | None:
        """Insert unless a row with this dedupe key exists (then planning it again is a no-op)."""
        if await self.existing_keys([dedupe_key]):
            return None
        return await self.add(
            account_id=account_id,
            kind=kind,
            due_at=due_at,
            dedupe_key=dedupe_key,
            payload=payload,
            created_at=now,
        )

    async def insert_new(self, rows: list[dict[str, Any]], *, postgres: bool) -> int:
        """Insert rows whose dedupe key is new; a key that exists (or that another process
        inserts at the same moment) is skipped by the database, not by a prior read."""
        if not rows:
            return 0
        table = cast(Table, OutboxMessage.__table__)
        values = [{"status": PENDING, "attempts": 0, **row} for row in rows]
        if postgres:
            stmt: Any = pg_insert(table).values(values).on_conflict_do_nothing(
                index_elements=["dedupe_key"])
        else:
            stmt = sqlite_insert(table).values(values).on_conflict_do_nothing(
                index_elements=["dedupe_key"])
        await self.session.flush()
        result = await self.session.execute(stmt)
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def of_accounts_kind(self, account_ids: list[int], kind: str, *, since: datetime
                               ) -> list[OutboxMessage]:
        """Rows of one kind for many recipients, due since `since` or still pending."""
        if not account_ids:
            return []
        result = await self.session.execute(
            select(OutboxMessage).where(
                OutboxMessage.account_id.in_(account_ids),
                OutboxMessage.kind == kind,
                or_(OutboxMessage.due_at >= since, OutboxMessage.status == PENDING),
            ).order_by(OutboxMessage.id)
        )
        return list(result.scalars())

    async def bring_forward(self, account_id: int, kinds: Iterable[str], due_at: datetime
                            ) -> int:
        """Pending rows of these kinds that wait (a pause ended early): due at `due_at`."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.account_id == account_id,
                OutboxMessage.kind.in_(list(kinds)),
                OutboxMessage.status == PENDING,
                OutboxMessage.due_at > due_at,
            )
            .values(due_at=due_at)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def cancel(self, keys: Iterable[str]) -> int:
        keys = list(keys)
        if not keys:
            return 0
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.dedupe_key.in_(keys),
                OutboxMessage.status == PENDING,
            )
            .values(status=OutboxStatus.CANCELLED.value)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def cancel_pending_of_account(self, account_id: int, kinds: Iterable[str]) -> int:
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.account_id == account_id,
                OutboxMessage.kind.in_(list(kinds)),
                OutboxMessage.status == PENDING,
            )
            .values(status=OutboxStatus.CANCELLED.value)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    # --- the dispatcher ------------------------------------------------------------------------

    async def claim_due(
        self, *, now: datetime, worker: str, limit: int, claim_timeout: timedelta,
        skip_locked: bool,
    ) -> list[OutboxMessage]:
        """Claim up to `limit` due rows for `worker`, oldest first.

        A row claimed longer than `claim_timeout` ago belongs to a process that died (kill -9)
        and is claimed again. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several processes claim
        side by side without waiting for or doubling each other; SQLite runs one process.
        """
        claimable = or_(
            and_(OutboxMessage.status == PENDING, OutboxMessage.due_at <= now),
            and_(OutboxMessage.status == CLAIMED,
                 OutboxMessage.claimed_at < now - claim_timeout),
        )
        query = (
            select(OutboxMessage.id)
            .where(claimable)
            .order_by(OutboxMessage.due_at, OutboxMessage.account_id, OutboxMessage.id)
            .limit(limit)
        )
        if skip_locked:
            query = query.with_for_update(skip_locked=True)
        ids = list((await self.session.execute(query)).scalars())
        if not ids:
            return []
        # The condition is repeated in the UPDATE: a row someone else claimed between our
        # SELECT and this UPDATE (SQLite has no row locks; pysqlite starts the transaction only
        # at the first write) no longer matches, so it is never claimed twice.
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), claimable)
            .values(status=CLAIMED, claimed_by=worker, claimed_at=now,
                    attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == CLAIMED,
                   OutboxMessage.claimed_by == worker, OutboxMessage.claimed_at == now)
            .order_by(OutboxMessage.due_at, OutboxMessage.account_id, OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
        return list(result.scalars())

    async def finish(self, ids: Sequence[int], worker: str, status: str, now: datetime,
                     error: str | None = None) -> int:
        """Close claimed rows (sent / skipped / failed / cancelled), only while still ours."""
        if not ids:
            return 0
        values: dict[str, Any] = {"status": status, "last_error": error}
        if status == SENT:
            values["sent_at"] = now
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(list(ids)), OutboxMessage.status == CLAIMED,
                   OutboxMessage.claimed_by == worker)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def release(self, ids: Sequence[int], worker: str, due_at: datetime,
                      error: str | None = None, *, refund_attempt: bool = False) -> int:
        """Give claimed rows back as pending, due at `due_at` (retry, quiet hours, 429)."""
        if not ids:
            return 0
        values: dict[str, Any] = {"status": PENDING, "due_at": due_at, "last_error": error,
                                  "claimed_by": None, "claimed_at": None}
        if refund_attempt:
            values["attempts"] = OutboxMessage.attempts - 1
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(list(ids)), OutboxMessage.status == CLAIMED,
                   OutboxMessage.claimed_by == worker)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def sent_moments_of(self, account_ids: list[int], kinds: Iterable[str],
                              since: datetime) -> dict[int, list[datetime]]:
        """`sent_moments` for many people at once (a dispatcher batch)."""
        found: dict[int, list[datetime]] = {i: [] for i in account_ids}
        if not account_ids:
            return found
        result = await self.session.execute(
            select(OutboxMessage.account_id, OutboxMessage.sent_at).distinct().where(
                OutboxMessage.account_id.in_(account_ids),
                OutboxMessage.kind.in_(list(kinds)),
                OutboxMessage.status == SENT,
                OutboxMessage.sent_at >= since,
            )
        )
        for account_id, moment in result.tuples():
            if moment is not None:
                found[account_id].append(moment)
        return found

    async def sent_count_and_last(self, account_id: int, kind: str
                                  ) -> tuple[int, datetime | None]:
        result = await self.session.execute(
            select(func.count(OutboxMessage.id), func.max(OutboxMessage.sent_at)).where(
                OutboxMessage.account_id == account_id,
                OutboxMessage.kind == kind,
                OutboxMessage.status == SENT,
            )
        )
        count, last = result.one()
        return int(count), last

    async def count_by_status(self) -> dict[str, int]:
        result = await self.session.execute(
            select(OutboxMessage.status, func.count(OutboxMessage.id))
            .group_by(OutboxMessage.status)
        )
        return {status: int(n) for status, n in result.all()}
