"""The outbox: every message the bot sends on its own is a row here first. All outbox SQL.

Use cases queue messages with `queue` (or keep a planned set in line with `plan`), never by
writing rows themselves: a row queued (or moved) to be due now marks the unit of work, which
then wakes the dispatcher once it committed (`due_now`, read by `UnitOfWork.commit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol, cast

from sqlalchemy import Table, and_, bindparam, delete, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.storage.models import OutboxMessage, OutboxStatus
from bot.storage.repositories.base import Repository

PENDING = OutboxStatus.PENDING.value
CLAIMED = OutboxStatus.CLAIMED.value
SENT = OutboxStatus.SENT.value
# Telegram allows about one message a second per chat: a person just written to waits.
PER_CHAT_GAP = timedelta(seconds=1.2)
# The first key of PostgreSQL advisory locks taken while claiming (the second is the account).
CLAIM_LOCK_SPACE = 0x0B0C

# Built once: every tick re-plans its step with it (building the statement each time cost as
# much as running it).
_OF_ACCOUNT_WITH_PREFIX = select(OutboxMessage).where(
    OutboxMessage.account_id == bindparam("account_id"),
    OutboxMessage.dedupe_key.like(bindparam("pattern"), escape="/"),
)

_outbox = cast(Table, OutboxMessage.__table__)
_ENQUEUE = {
    postgres: insert_.on_conflict_do_nothing(index_elements=["dedupe_key"])
    .returning(_outbox.c.id)
    for postgres, insert_ in ((False, sqlite_insert(_outbox)), (True, pg_insert(_outbox)))
}


class Payload(Protocol):
    """A kind's typed payload (bot/core/outbox.py): it names its kind and gives its JSON."""

    kind: ClassVar[str]

    def dump(self) -> dict[str, Any]: ...


class Wanted(Protocol):
    """One message that should exist (bot/core/reminders.py `Planned`)."""

    @property
    def key(self) -> str: ...

    @property
    def due_at(self) -> datetime: ...

    @property
    def payload(self) -> Payload: ...


@dataclass
class Changes:
    """What `plan` did to the pending rows."""

    inserted: int = 0
    updated: int = 0
    cancelled: int = 0

    @property
    def touched(self) -> int:
        return self.inserted + self.updated + self.cancelled

    def __iadd__(self, other: Changes) -> Changes:
        self.inserted += other.inserted
        self.updated += other.updated
        self.cancelled += other.cancelled
        return self


def _starts_with(prefix: str) -> str:
    """The LIKE pattern (escape character "/") of the keys that start with `prefix`."""
    return prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


class OutboxRepository(Repository[OutboxMessage]):
    model = OutboxMessage
    # A row was queued or moved to be due now: the dispatcher is woken after the commit.
    due_now = False

    def _pending_at(self, due_at: datetime, now: datetime) -> None:
        if due_at <= now:
            self.due_now = True

    # --- queuing: the one way a use case writes a message ---------------------------------------

    async def queue(self, account_id: int, payload: Payload, *, due_at: datetime, key: str,
                    now: datetime) -> int | None:
        """Queue one message unless a row with this dedupe key exists (then planning it again
        is a no-op): the new row's id, else None."""
        found = await self.enqueue(account_id=account_id, kind=payload.kind, due_at=due_at,
                                   dedupe_key=key, payload=payload.dump(), now=now)
        if found is not None:
            self._pending_at(due_at, now)
        return found

    async def queue_many(self, queued: Sequence[tuple[int, Payload, datetime, str]],
                         now: datetime) -> int:
        """Messages planned ahead in bulk (the weekly digests), in one statement: keys that
        exist (or another process inserts at the same moment) are skipped by the database.
        How many were inserted. Planned ahead, they never wake the dispatcher: its next tick
        sends one whose moment has come."""
        if not queued:
            await self.session.flush()  # what the caller changed meanwhile, as an insert would
            return 0
        return await self.insert_new([
            {"account_id": account_id, "kind": payload.kind, "due_at": due_at,
             "dedupe_key": key, "payload": payload.dump(), "created_at": now}
            for account_id, payload, due_at, key in queued], postgres=self.postgres)

    async def plan(self, account_id: int, existing: Sequence[OutboxMessage],
                   desired: Sequence[Wanted], managed: frozenset[str], now: datetime
                   ) -> Changes:
        """Make the pending rows among `existing` (rows of this recipient read before) match
        `desired`: stale ones of the `managed` kinds cancelled, missing ones inserted, changed
        ones moved; rows already sent stay sent."""
        changes = Changes()
        want = {p.key: p for p in desired}
        by_key = {row.dedupe_key: row for row in existing}
        for row in existing:
            if row.status == PENDING and row.kind in managed and row.dedupe_key not in want:
                row.status = OutboxStatus.CANCELLED.value
                changes.cancelled += 1
        for p in desired:
            found = by_key.get(p.key)
            payload = p.payload.dump()
            if found is None:
                # A key another recipient's row holds (or that another process inserts at the
                # same moment) is skipped by the database.
                if await self.queue(account_id, p.payload, due_at=p.due_at, key=p.key, now=now):
                    changes.inserted += 1
            elif found.status == PENDING and (found.due_at != p.due_at
                                              or found.payload != payload):
                found.due_at, found.payload = p.due_at, payload
                changes.updated += 1
                self._pending_at(p.due_at, now)
            elif found.status == OutboxStatus.CANCELLED.value:
                # Planned again (a date moved back): the same message, pending once more.
                found.status, found.due_at, found.payload = PENDING, p.due_at, payload
                found.attempts, found.last_error = 0, None
                changes.updated += 1
                self._pending_at(p.due_at, now)
            # sent / claimed / skipped / failed: it happened (or is happening); never again.
        await self.session.flush()
        return changes

    async def keep_one(self, rows: Sequence[OutboxMessage], key: str | None,
                       due_at: datetime | None) -> int:
        """Of these rows of one recipient, only the one with `key` stays pending (due at
        `due_at`, revived when cancelled); the other pending ones are cancelled. How many
        changed. The weekly digest: one row per coach per week, moved with the settings
        (planned ahead, like `queue_many`)."""
        changed = 0
        for row in rows:
            if row.status == PENDING and row.dedupe_key != key:
                row.status = OutboxStatus.CANCELLED.value
                changed += 1
            elif row.dedupe_key == key and due_at is not None \
                    and row.status in (PENDING, OutboxStatus.CANCELLED.value) \
                    and (row.due_at != due_at or row.status != PENDING):
                row.status, row.due_at, row.attempts = PENDING, due_at, 0
                changed += 1
        return changed

    async def sent_on_request(self, account_id: int, payload: Payload, *, key: str,
                              now: datetime) -> bool:
        """The person asked for this message and has it now (a lesson): its row counts as
        sent, added if it was not planned yet. False while a dispatcher is sending it."""
        rows = await self.of_account_with_prefix(account_id, key)
        row = next((r for r in rows if r.dedupe_key == key), None)
        if row is None:
            row = await self.add(account_id=account_id, kind=payload.kind, due_at=now,
                                 dedupe_key=key, payload=payload.dump(), created_at=now)
        elif row.status == CLAIMED:
            return False
        row.status, row.sent_at, row.last_error = SENT, now, "asked"
        await self.session.flush()
        return True

    async def hand_over(self, rows: Sequence[OutboxMessage], account_id: int,
                        payload: Payload, due_at: datetime, now: datetime) -> None:
        """Pending rows go to another recipient (a new coach), due at `due_at`, carrying
        `payload` instead."""
        for row in rows:
            if row.status == PENDING:
                row.account_id, row.due_at, row.payload = account_id, due_at, payload.dump()
                self._pending_at(due_at, now)

    async def cancel_all_pending(self, account_id: int) -> int:
        """Every pending row of this account, whatever its kind, is cancelled. Rows already
        claimed by a dispatcher are skipped at send time by its status check."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.account_id == account_id,
                   OutboxMessage.status == PENDING)
            .values(status=OutboxStatus.CANCELLED.value)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def forget_payloads(self, ids: Sequence[int]) -> None:
        """A sent notice held a name that may be erased elsewhere: not kept once sent."""
        if ids:
            await self.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                       .values(payload={}))

    # --- reading and the raw writes (tests and the above) ---------------------------------------

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
            _OF_ACCOUNT_WITH_PREFIX, {"account_id": account_id, "pattern": _starts_with(prefix)})
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
    ) -> int | None:
        """Insert unless a row with this dedupe key exists (then planning it again is a no-op):
        the new row's id, else None. One statement; the database skips a key that exists."""
        result = await self.core(_ENQUEUE[self.postgres], {
            "account_id": account_id, "kind": kind, "due_at": due_at, "dedupe_key": dedupe_key,
            "payload": payload, "status": PENDING, "attempts": 0, "created_at": now})
        return result.scalar()

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
        """Pending rows of these kinds that wait (a pause ended early): due at `due_at`, which
        is now (the unit of work is marked as having something due now)."""
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
        moved = int(result.rowcount)  # type: ignore[attr-defined]
        if moved:
            self.due_now = True  # brought forward to now (a pause ended early)
        return moved

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

    async def reap_stale(self, *, now: datetime, claim_timeout: timedelta) -> int:
        """Claims not renewed for `claim_timeout` belong to a process that is gone (kill -9):
        back to pending, due at once. A live sender renews its claims (`renew`), so a slow
        Telegram never makes its rows look abandoned. Uses the partial index on claimed rows."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == CLAIMED,
                   OutboxMessage.claimed_at < now - claim_timeout)
            .values(status=PENDING, claimed_by=None, claimed_at=None, last_error="claim_expired")
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def claim_people(self, *, now: datetime, worker: str, people: int,
                           postgres: bool) -> list[OutboxMessage]:
        """Claim ALL due rows of up to `people` recipients, earliest due first.

        A person's rows are claimed together or not at all, and never while another claim of
        theirs is live or a message went to them less than PER_CHAT_GAP ago: so one person is
        in one sender's hands at a time, which is what lets the send-time checks (daily cap,
        step still open) count everything sent and in flight, with any number of processes.
        The first query walks the partial index on pending rows by due time: its cost does not
        grow with the number of due rows."""
        scan = select(OutboxMessage.account_id).where(
            OutboxMessage.status == PENDING, OutboxMessage.due_at <= now,
        ).order_by(OutboxMessage.due_at, OutboxMessage.id).limit(people * 4)
        candidates = list(dict.fromkeys((await self.session.execute(scan)).scalars()))
        if not candidates:
            return []
        if postgres:
            # Per person, one claiming transaction at a time across processes; a person another
            # process is claiming right now is skipped, never waited for.
            locked = await self.session.execute(
                text("SELECT t.a FROM unnest(CAST(:ids AS integer[])) WITH ORDINALITY AS t(a, n) "
                     "WHERE pg_try_advisory_xact_lock(:space, t.a) LIMIT :people"),
                {"ids": candidates, "space": CLAIM_LOCK_SPACE, "people": people})
            got = set(locked.scalars())
            candidates = [a for a in candidates if a in got]
        candidates = candidates[:people]
        if not candidates:
            return []
        # Not correlated, so evaluated once for the statement (SQLite would otherwise see the
        # rows this very UPDATE claims and stop after a person's first row).
        busy = select(OutboxMessage.account_id).where(
            OutboxMessage.account_id.in_(candidates),
            or_(OutboxMessage.status == CLAIMED,
                and_(OutboxMessage.status == SENT, OutboxMessage.sent_at > now - PER_CHAT_GAP)),
        ).scalar_subquery()
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.account_id.in_(candidates), OutboxMessage.status == PENDING,
                   OutboxMessage.due_at <= now, OutboxMessage.account_id.not_in(busy))
            .values(status=CLAIMED, claimed_by=worker, claimed_at=now,
                    attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.account_id.in_(candidates), OutboxMessage.status == CLAIMED,
                   OutboxMessage.claimed_by == worker, OutboxMessage.claimed_at == now)
            .order_by(OutboxMessage.due_at, OutboxMessage.account_id, OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
        return list(result.scalars())

    async def renew(self, ids: Sequence[int], worker: str, now: datetime) -> int:
        """The sender is alive and still serving these rows: their claims are fresh again."""
        if not ids:
            return 0
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(list(ids)), OutboxMessage.status == CLAIMED,
                   OutboxMessage.claimed_by == worker)
            .values(claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def still_claimed(self, ids: Sequence[int], worker: str) -> set[int]:
        result = await self.session.execute(
            select(OutboxMessage.id).where(OutboxMessage.id.in_(list(ids)),
                                           OutboxMessage.status == CLAIMED,
                                           OutboxMessage.claimed_by == worker))
        return set(result.scalars())

    async def take_send_slot(self, step: float, lead: float = 0.01) -> tuple[float, float]:
        """PostgreSQL only: reserve the installation's next send slot, `step` seconds after the
        previous one whichever process took it, and at least `lead` seconds from now (the
        answer must reach the process first). Returns the slot and the database's clock now,
        as epoch seconds: the database clock is the one clock every process shares. One
        statement: run it outside a transaction, so the row is locked only while it runs."""
        result = await self.session.execute(
            text("UPDATE send_pace SET next_at = GREATEST(next_at, clock_timestamp() "
                 "+ make_interval(secs => :lead)) + make_interval(secs => :step) WHERE id = 1 "
                 "RETURNING EXTRACT(EPOCH FROM next_at) - :step, "
                 "EXTRACT(EPOCH FROM clock_timestamp())"),
            {"step": step, "lead": lead})
        found = result.one_or_none()
        if found is None:  # the installation's first send: make the row, then reserve
            await self.session.execute(
                text("INSERT INTO send_pace (id, next_at) VALUES (1, clock_timestamp()) "
                     "ON CONFLICT (id) DO NOTHING"))
            return await self.take_send_slot(step, lead)
        return float(found[0]), float(found[1])

    async def hold_send_slots(self, seconds: float) -> None:
        """PostgreSQL only: no slot starts within `seconds` from now (Telegram said 429)."""
        await self.session.execute(
            text("UPDATE send_pace SET next_at = GREATEST(next_at, clock_timestamp() "
                 "+ make_interval(secs => :secs)) WHERE id = 1"), {"secs": seconds})

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

    async def purge_closed(self, *, before: datetime, kinds: Iterable[str],
                           limit: int = 10_000) -> int:
        """Delete up to `limit` sent, skipped, failed and cancelled rows of these kinds that were
        due before `before`. Only kinds whose key can never be planned again belong here."""
        doomed = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status.in_([SENT, OutboxStatus.SKIPPED.value,
                                             OutboxStatus.FAILED.value,
                                             OutboxStatus.CANCELLED.value]),
                   OutboxMessage.due_at < before,
                   OutboxMessage.kind.in_(list(kinds)))
            .limit(limit)
        )
        ids = list((await self.session.execute(doomed)).scalars())
        if not ids:
            return 0
        result = await self.session.execute(
            delete(OutboxMessage).where(OutboxMessage.id.in_(ids))
            .execution_options(synchronize_session=False))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def count_by_status(self) -> dict[str, int]:
        result = await self.session.execute(
            select(OutboxMessage.status, func.count(OutboxMessage.id))
            .group_by(OutboxMessage.status)
        )
        return {status: int(n) for status, n in result.all()}
