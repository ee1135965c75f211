"""Multi-step conversations kept in the database (flow_states), so they survive a restart.

A flow is named ("plan", "step_add", ...) and sits at a named step; what it collected so far is
its typed state (`bot/core/conversations.py`, one pydantic model per flow), kept as JSON.
Nothing a flow collects is stored elsewhere until the flow's use case saves
it in one unit of work at the end, so leaving a flow (/annuleer, expiry) never leaves half a plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot.core.conversations import FlowState
from bot.storage.db import Database
from bot.storage.uow import UnitOfWork

S = TypeVar("S", bound=FlowState)

# A flow untouched for this long is stale: the next message is not taken as its answer.
FLOW_TTL = timedelta(hours=12)


@dataclass(frozen=True)
class Conversation:
    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)

    def state(self, model: type[S]) -> S:
        """The flow's typed state (the router only hands a flow its own conversations)."""
        if self.flow != model.flow:
            raise LookupError(f"conversation {self.flow!r} read as {model.flow!r}")
        return model.model_validate(self.data)


@dataclass(frozen=True)
class Expired:
    """A flow was in progress but went stale; it has been cleared."""

    flow: str


async def begin(db: Database, account_id: int, step: str, state: FlowState, now: datetime
                ) -> Conversation:
    """Start a flow, or move an ongoing one to its next step (replaces any other flow)."""
    async with db.uow() as uow:
        conversation = await _move(uow, account_id, step, state, now)
        await uow.commit()
    return conversation


async def _move(uow: UnitOfWork, account_id: int, step: str, state: FlowState, now: datetime
                ) -> Conversation:
    """Within a use case's unit of work: the flow moves to `step` with `state`."""
    data = state.dump()
    await uow.flows.save(account_id, state.flow, step, data, now)
    return Conversation(state.flow, step, data)


async def current(db: Database, account_id: int, now: datetime) -> Conversation | Expired | None:
    async with db.uow() as uow:
        row = await uow.flows.get(account_id)
        if row is None:
            return None
        if now - row.updated_at > FLOW_TTL:
            await uow.flows.clear(account_id)
            await uow.commit()
            return Expired(row.flow)
        return Conversation(row.flow, row.step, dict(row.data))


async def current_of(db: Database, account_id: int, known: Conversation | None,
                     updated_at: datetime | None, now: datetime
                     ) -> Conversation | Expired | None:
    """Like `current`, from the state read together with the account (`Who.conversation`):
    no query unless it went stale, then it is cleared."""
    if known is None or updated_at is None:
        return None
    if now - updated_at > FLOW_TTL:
        await end(db, account_id)
        return Expired(known.flow)
    return known


async def end(db: Database, account_id: int) -> bool:
    """Leave whatever flow is in progress. True when there was one."""
    async with db.uow() as uow:
        cleared = await uow.flows.clear(account_id)
        await uow.commit()
        return cleared
