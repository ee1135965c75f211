"""Deciding at send time, for a batch of claimed rows: which rows make one message, what holds
for every kind (attempts, reachability), and the kind's own decision and rendering (the table
in bot/notify/kinds), turned into what the dispatcher does with each row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.i18n import using_locale
from bot.notify.claimed import Claimed
from bot.notify.kinds import KINDS
from bot.notify.kinds.base import BatchReads, Defer, Message, Send, SendTime, Skip
from bot.storage.models import Account, Participant
from bot.storage.uow import UnitOfWork

# Claimed again and again without an answer (a crash while handling it): given up after this.
MAX_ATTEMPTS = 6


@dataclass
class Plan:
    """What to do with one message's rows, decided from stored state at send time."""

    chat_id: int = 0
    message: Message | None = None  # rendered when any row is sent
    send_ids: list[int] = field(default_factory=list)
    skip: dict[int, str] = field(default_factory=dict)  # row id -> reason
    defer: dict[int, Defer] = field(default_factory=dict)


def bundles(rows: Sequence[Claimed]) -> list[list[Claimed]]:
    """One message per person for all their due rows of one bundle (reminders, check-ins,
    'laters'); every other row on its own."""
    together: dict[tuple[int, str], list[Claimed]] = {}
    out: list[list[Claimed]] = []
    for row in rows:
        kind = KINDS.get(row.kind)
        bundle = kind.bundle if kind is not None else None
        if bundle is None:
            out.append([row])
            continue
        key = (row.account_id, bundle)
        if key not in together:
            together[key] = []
            out.append(together[key])
        together[key].append(row)
    return out


def by_person(rows: Sequence[Claimed]) -> list[list[Claimed]]:
    people: dict[int, list[Claimed]] = {}
    for row in rows:
        people.setdefault(row.account_id, []).append(row)
    return list(people.values())


class Batch:
    """The rows decided together, with what every message needs read once for all of them:
    the recipients (one query), and what kinds read through `reads`."""

    def __init__(self, uow: UnitOfWork, rows: Sequence[Claimed], now: datetime) -> None:
        self.uow, self.now = uow, now
        self.reads = BatchReads(uow, rows, now)
        self._accounts = sorted({r.account_id for r in rows})
        self._people: dict[int, tuple[Account, Participant | None]] | None = None

    async def plan(self, bundle: Sequence[Claimed]) -> Plan:
        """Does this still make sense now? Rendered in the recipient's language if so."""
        ids = [r.id for r in bundle]
        if max(r.attempts for r in bundle) > MAX_ATTEMPTS:
            return Plan(skip=dict.fromkeys(ids, "gave_up"))
        if self._people is None:
            self._people = await self.uow.participants.with_accounts(self._accounts)
        account, participant = self._people.get(bundle[0].account_id, (None, None))
        if account is None or not account.reachable:
            return Plan(skip=dict.fromkeys(ids, "unreachable"))
        kind = KINDS.get(bundle[0].kind)
        if kind is None:
            return Plan(skip=dict.fromkeys(ids, "unknown_kind"))
        at = SendTime(self.uow, self.now, account, participant, self.reads)
        plan = Plan(chat_id=account.chat_id)
        facts: list[object] = []
        for row, decision in zip(bundle, await kind.decide_message(at, bundle), strict=True):
            if isinstance(decision, Send):
                plan.send_ids.append(row.id)
                facts.append(decision.facts)
            elif isinstance(decision, Skip):
                plan.skip[row.id] = decision.reason
            else:
                plan.defer[row.id] = decision
        if facts:
            with using_locale(at.locale):
                plan.message = kind.render_message(facts)
        return plan
