"""Stopping everything the bot still meant to send to one person."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import OutboxMessage, OutboxStatus


async def cancel_all_pending(session: AsyncSession, account_id: int) -> int:
    """Every pending outbox row of this account, whatever its kind, is cancelled. Rows already
    claimed by a dispatcher are skipped at send time by its status check."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.account_id == account_id,
               OutboxMessage.status == OutboxStatus.PENDING.value)
        .values(status=OutboxStatus.CANCELLED.value)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
