"""A claimed outbox row as plain values: no ORM object lives across a network call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Claimed:
    id: int
    account_id: int
    kind: str
    key: str
    payload: dict[str, object]  # as stored; its kind reads it through its payload model
    attempts: int
    due_at: datetime
