from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete

from bot.storage.models import FlowState
from bot.storage.repositories.base import Repository


class FlowStateRepository(Repository[FlowState]):
    model = FlowState

    async def save(
        self, account_id: int, flow: str, step: str, data: dict[str, Any], now: datetime
    ) -> FlowState:
        row = await self.get(account_id)
        if row is None:
            return await self.add(account_id=account_id, flow=flow, step=step, data=data,
                                  updated_at=now)
        row.flow, row.step, row.data, row.updated_at = flow, step, dict(data), now
        await self.session.flush()
        return row

    async def clear(self, account_id: int) -> bool:
        result = await self.session.execute(
            delete(FlowState).where(FlowState.account_id == account_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def take(self, account_id: int, flow: str) -> FlowState | None:
        """Delete and return this account's flow if it is `flow`: the first statement of a use
        case that finishes a flow, so two deliveries of the same "save" can never both finish
        it (the DELETE takes the write lock before anything is read)."""
        result = await self.session.execute(
            delete(FlowState)
            .where(FlowState.account_id == account_id, FlowState.flow == flow)
            .returning(FlowState.account_id, FlowState.flow, FlowState.step, FlowState.data,
                       FlowState.updated_at)
        )
        row = result.one_or_none()
        if row is None:
            return None
        return FlowState(account_id=row.account_id, flow=row.flow, step=row.step,
                         data=dict(row.data), updated_at=row.updated_at)
