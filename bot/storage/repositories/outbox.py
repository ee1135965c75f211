from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from bot.storage.models import OutboxMessage, OutboxStatus
from bot.storage.repositories.base import Repository


class OutboxRepository(Repository[OutboxMessage]):
    model = OutboxMessage

    async def pending_keys(self, prefix: str) -> set[str]:
        """Pending dedupe keys that start with `prefix` (e.g. one step's keys)."""
        result = await self.session.execute(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.status == OutboxStatus.PENDING.value,
                OutboxMessage.dedupe_key.startswith(prefix, autoescape=True),
            )
        )
        return set(result.scalars())

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

    async def cancel(self, keys: Iterable[str]) -> int:
        keys = list(keys)
        if not keys:
            return 0
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.dedupe_key.in_(keys),
                OutboxMessage.status == OutboxStatus.PENDING.value,
            )
            .values(status=OutboxStatus.CANCELLED.value)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
