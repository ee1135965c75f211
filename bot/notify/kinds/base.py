"""What an outbox kind is: its payload, its decision at send time, its rendering.

A kind module (`bot/notify/kinds/<kind>.py`) writes two functions and one line:

    async def decide(at: SendTime, row: Row[MyPayload]) -> Decision[Facts]:
        ...                      # read what is stored now; Skip("why") / Defer(until) / Send(facts)
    def render(facts: Facts) -> Message:
        ...                      # pick the screen (bot/ui/screens) and fill it
    KIND = Kind(MyPayload, decide, render)

`decide` reads (in the dispatcher's unit of work, `at.uow`); `render` only fills in words, in
the recipient's language (the dispatcher sets it). What holds for every kind (attempts,
reachability) is checked first (`bot/notify/deciding.py`), which then asks the kind from the
table in `bot/notify/kinds/__init__.py`. Reminders, check-ins and 'laters' of one person go
out as one message: `BundledKind` decides them together (`kinds/nudges.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Generic, Protocol, TypeVar, cast

from pydantic import ValidationError
from telegram import InlineKeyboardMarkup

from bot.core import reminders as plan
from bot.core.outbox import PAYLOADS, Payload
from bot.flows.reminders import person_of
from bot.notify.claimed import Claimed
from bot.render.card import CardPicture
from bot.storage.models import Account, Participant
from bot.storage.uow import UnitOfWork

P = TypeVar("P", bound=Payload)
P_co = TypeVar("P_co", bound=Payload, covariant=True)
F = TypeVar("F")  # what a kind's rendering needs, read when it decided to send
T = TypeVar("T")

# The reason recorded for a message held back (quiet hours, a pause, the coach's working
# hours) and due again when that ends.
HELD = "deferred"


@dataclass(frozen=True)
class Send(Generic[F]):
    facts: F  # what `render` fills the screen with


@dataclass(frozen=True)
class Skip:
    reason: str  # recorded as the row's last_error: "inactive", "gone", "daily_cap", ...


@dataclass(frozen=True)
class Defer:
    until: datetime
    reason: str = HELD


# The one result of every kind's decision at send time.
Decision = Send[F] | Skip | Defer


@dataclass(frozen=True)
class Message:
    text: str  # a picture's caption when `picture` is set
    markup: InlineKeyboardMarkup | None = None
    picture: CardPicture | None = None  # drawn at send time, off the event loop


@dataclass(frozen=True)
class Row(Generic[P_co]):
    """A claimed row with its payload read through its kind's model."""

    id: int
    kind: str
    payload: P_co


Load = Callable[[UnitOfWork, Sequence[Claimed], datetime], Awaitable[T]]


class BatchReads:
    """Reads made once for all the rows decided together (a claim's batch): a kind asks
    `await at.reads.get(load)` and every message of the batch shares the answer."""

    def __init__(self, uow: UnitOfWork, rows: Sequence[Claimed], now: datetime) -> None:
        self.uow, self.rows, self.now = uow, rows, now
        self._done: dict[object, object] = {}

    async def get(self, load: Load[T]) -> T:
        if load not in self._done:
            self._done[load] = await load(self.uow, self.rows, self.now)
        return cast(T, self._done[load])


@dataclass
class SendTime:
    """What a kind decides with: the recipient as stored right now, the moment, the
    dispatcher's unit of work (read only: what it records, the dispatcher writes)."""

    uow: UnitOfWork
    now: datetime
    account: Account
    participant: Participant | None
    reads: BatchReads = field(repr=False)

    @property
    def locale(self) -> str:
        return self.account.locale or self.uow.defaults.locale

    @cached_property
    def person(self) -> plan.Person:
        """The participant's own clock and rules (only for kinds sent to a participant)."""
        assert self.participant is not None
        return person_of(self.participant, self.account)


AfterSent = Callable[[UnitOfWork, Sequence[Claimed], datetime], Awaitable[None]]


class OutboxKind(Protocol):
    """What the dispatcher asks of a kind (`Kind` and `BundledKind` are the two shapes)."""

    @property
    def name(self) -> str: ...
    @property
    def bundle(self) -> str | None: ...  # rows sharing a bundle name go out as one message
    @property
    def after_sent(self) -> AfterSent | None: ...
    @property
    def cancelled_when_blocked(self) -> bool: ...
    @property
    def purged(self) -> bool: ...

    async def decide_message(self, at: SendTime, rows: Sequence[Claimed]
                             ) -> list[Decision[Any]]: ...

    def render_message(self, facts: Sequence[Any]) -> Message: ...


def read(payload: type[P], row: Claimed) -> Row[P] | Skip:
    try:
        return Row(row.id, row.kind, payload.model_validate(row.payload))
    except ValidationError:
        return Skip("bad_payload")


@dataclass(frozen=True)
class Kind(Generic[P, F]):
    """A kind whose every row is a message of its own."""

    payload: type[P]
    decide: Callable[[SendTime, Row[P]], Awaitable[Decision[F]]]
    render: Callable[[F], Message]
    # Called in the transaction that marks its rows sent (a notice's payload forgotten, ...).
    after_sent: AfterSent | None = None
    # Pending rows cancelled when the person blocks the bot.
    cancelled_when_blocked: bool = False
    # Closed rows removed once old (`notify/jobs.py`): only kinds whose keys hold a date or an
    # event, so they can never be planned again.
    purged: bool = False
    bundle: str | None = field(default=None, init=False)

    @property
    def name(self) -> str:
        return self.payload.kind

    async def decide_message(self, at: SendTime, rows: Sequence[Claimed]) -> list[Decision[F]]:
        found = read(self.payload, rows[0])
        return [found if isinstance(found, Skip) else await self.decide(at, found)]

    def render_message(self, facts: Sequence[F]) -> Message:
        return self.render(facts[0])


@dataclass(frozen=True)
class BundledKind(Generic[P, F]):
    """A kind whose due rows of one person go out together, as one message, with those of the
    other kinds of its `bundle`: decided together (one decision per row), rendered once."""

    payload: type[P]
    bundle: str
    decide: Callable[[SendTime, Sequence[Row[P]]], Awaitable[list[Decision[F]]]]
    render: Callable[[Sequence[F]], Message]
    after_sent: AfterSent | None = None
    cancelled_when_blocked: bool = False
    purged: bool = False

    @property
    def name(self) -> str:
        return self.payload.kind

    async def decide_message(self, at: SendTime, rows: Sequence[Claimed]) -> list[Decision[F]]:
        read_rows = [read(cast(type[P], PAYLOADS.get(row.kind, self.payload)), row)
                     for row in rows]
        good = [r for r in read_rows if isinstance(r, Row)]
        decided = iter(await self.decide(at, good) if good else [])
        return [r if isinstance(r, Skip) else next(decided) for r in read_rows]

    def render_message(self, facts: Sequence[F]) -> Message:
        return self.render(facts)
