"""Planning the Brug invitations: a sweep (`bot/notify/jobs.py`) queues one outbox row per due
measurement at the participant's own moment; the dispatcher checks at send time that it is still
due (`still_due`) and applies quiet hours, pause and silence like every message."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core import reminders as plan
from bot.core.brug_invites import INVITED_MOMENTS, BrugInvitePayload, invite_key
from bot.core.brug_moments import DueMeasurement
from bot.flows._tx import in_one_transaction
from bot.flows.brug import _due, _due_from
from bot.flows.reminders import _rules_for, person_of
from bot.storage.db import Database
from bot.storage.models import Account, Participant
from bot.storage.uow import UnitOfWork


async def plan_invitations(db: Database, now: datetime, *, limit: int = 500) -> int:
    return await in_one_transaction(db, lambda uow: _plan_invitations(uow, now, limit=limit))


async def _plan_invitations(uow: UnitOfWork, now: datetime, *, limit: int = 500) -> int:
    planned = 0
    after = 0
    for _ in range(1000):  # bounded, like the other sweeps
        batch = await uow.participants.active_with_account(after_id=after, limit=limit)
        if not batch:
            break
        after = batch[-1].id
        # Accounts and completed measurements of the whole batch in two queries: the sweep runs
        # every 15 minutes over every active participant.
        accounts = await uow.participants.with_accounts([p.account_id or 0 for p in batch])
        completed = await uow.brug.completed_of_many([p.id for p in batch])
        for participant in batch:
            found = accounts.get(participant.account_id or 0)
            if found is None:
                continue
            account = found[0]
            due = _due_from(completed.get(participant.id, []), participant, now,
                            account.timezone)
            if due is None or due.moment not in INVITED_MOMENTS:
                continue
            key = invite_key(participant.id, due.moment)
            person = person_of(participant, account)
            rules = await _rules_for(uow, participant)
            day = plan.local_today(now, person)
            at = plan.moment_on(day, person, rules)
            if at <= now:
                at = plan.moment_on(day + timedelta(days=1), person, rules)
            if await uow.outbox.queue(account.id, BrugInvitePayload(
                    participant_id=participant.id, moment=due.moment), due_at=at, key=key,
                    now=now):
                planned += 1
    return planned


async def still_due(uow: UnitOfWork, participant: Participant, account: Account, moment: str,
                    now: datetime) -> DueMeasurement | None:
    """At send time: the invitation's measurement, when it is still the one due."""
    due = await _due(uow, participant, now, account.timezone)
    return due if due is not None and due.moment == moment else None
