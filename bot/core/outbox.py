"""What a queued message carries: one pydantic model per outbox kind.

A use case queues a message as its payload (`uow.outbox.queue(account_id, Payload(...), ...)`);
the row keeps it as JSON and the dispatcher reads it back through the same model at send time
(`bot/notify/kinds/<kind>.py`). A kind's name is its model's `kind`; two models on one name fail
at import. Each model sits beside its feature's rules (`core/reminders.py`, `core/meetings.py`,
...), because the use cases that build it sit below the dispatcher that reads it.

Every field has a default: a row planned before a field existed (or one a test wrote by hand)
still reads, and the kind decides what a missing value means (a step id 0 is no step).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

# kind name -> its payload model, for every kind that exists.
PAYLOADS: dict[str, type[Payload]] = {}


class Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)
    kind: ClassVar[str]

    def __init_subclass__(cls, kind: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if kind:
            if kind in PAYLOADS:
                raise ValueError(f"outbox kind {kind!r} is used by "
                                 f"{PAYLOADS[kind].__qualname__} already")
            cls.kind = kind
            PAYLOADS[kind] = cls

    def dump(self) -> dict[str, Any]:
        """The JSON stored in the row."""
        return self.model_dump(mode="json", by_alias=True)
