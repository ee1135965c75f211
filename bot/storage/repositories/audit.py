from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select

from bot.storage.models import AuditEntry
from bot.storage.repositories.base import Repository

# Built once: a tick that earns a card, a plan notice, a refused press... each writes one.
_RECORD = insert(cast(Table, AuditEntry.__table__))


class AuditRepository(Repository[AuditEntry]):
    model = AuditEntry

    async def record(
        self,
        *,
        at: datetime,
        actor_account_id: int | None,
        action: str,
        subject_type: str,
        subject_id: int | None,
        details: dict[str, Any] | None = None,
    ) -> None:
        await self.core(_RECORD, {
            "at": at, "actor_account_id": actor_account_id, "action": action,
            "subject_type": subject_type, "subject_id": subject_id, "details": details or {},
        })

    async def for_subject(self, subject_type: str, subject_id: int) -> list[AuditEntry]:
        result = await self.session.execute(
            select(AuditEntry)
            .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id == subject_id)
            .order_by(AuditEntry.id)
        )
        return list(result.scalars())

    async def latest(self, action: str, subject_type: str, subject_id: int) -> AuditEntry | None:
        result = await self.session.execute(
            select(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.subject_type == subject_type,
                   AuditEntry.subject_id == subject_id)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
        return result.scalar_one_or_none()
