"""Keeping a person's planned reminders, check-ins and lessons in line with their steps.

`_replan_step` / `_replan_participant` / `_replan_lessons` run as reactions to the events of
every use case that changes a step or a preference (tick, reschedule, pause, quiet hours...;
see `bot/flows/reactions.py`), inside that use case's unit of work: stale pending rows are
cancelled and the new ones inserted in the same transaction. Only the rows of
the step (or person) in question are read or written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from bot.core import reminders as plan
from bot.core.events import StepChanged
from bot.core.lessons import LessonSeries, load_lessons
from bot.flows._tx import in_one_transaction
from bot.storage.db import Database
from bot.storage.models import (
    Account,
    Participant,
    ParticipantStatus,
    Step,
    StepOwner,
    StepStatus,
)
from bot.storage.repositories.outbox import Changes
from bot.storage.uow import UnitOfWork

STEP_KINDS = frozenset({plan.REMIND, plan.CHECKIN})
LESSON_EVENTS = ["lessons_paused", "lessons_resumed", "lessons_stopped", "lessons_started"]


@cache
def lesson_series() -> LessonSeries:
    """Loaded (and validated) on first use, not at import."""
    return load_lessons()


async def _rules_for(uow: UnitOfWork, participant: Participant) -> plan.ReminderRules:
    org = await uow.organisations.get(participant.organisation_id)
    return _rules(uow, org.settings if org else None)


def _rules(uow: UnitOfWork, org_settings: dict[str, Any] | None) -> plan.ReminderRules:
    """The organisation's reminder settings, spread by the installation's setting."""
    return plan.ReminderRules.from_settings(
        org_settings, spread=timedelta(minutes=uow.defaults.reminder_spread_minutes))


def person_of(participant: Participant, account: Account) -> plan.Person:
    return plan.Person(
        participant_id=participant.id,
        timezone=account.timezone,
        moment=participant.preferred_moment,
        quiet_start=participant.quiet_start,
        quiet_end=participant.quiet_end,
        active=_active(participant.status, account.reachable),
        paused_until=participant.paused_until,
    )


def _active(participant_status: str, reachable: bool) -> bool:
    return participant_status == ParticipantStatus.ACTIVE.value and reachable


def facts_of(step: Step) -> plan.StepFacts:
    return plan.StepFacts(step.id, step.due_date, _remindable(step.status, step.owner))


def _remindable(status: str, owner: str) -> bool:
    # The coach's own steps are the coach's to remember: no reminders to the participant.
    return status == StepStatus.OPEN.value and owner != StepOwner.COACH.value


async def _replan_step(uow: UnitOfWork, step_id: int, now: datetime) -> Changes:
    """Bring one step's reminder and check-in rows in line with the step."""
    # One query of plain columns, as person_of and facts_of read them: this runs on every tick.
    row = await uow.steps.reminder_inputs(step_id)
    if row is None:
        return Changes()
    person = plan.Person(
        participant_id=row.participant_id, timezone=row.timezone, moment=row.preferred_moment,
        quiet_start=row.quiet_start, quiet_end=row.quiet_end,
        active=_active(row.participant_status, row.reachable), paused_until=row.paused_until)
    facts = plan.StepFacts(step_id, row.due_date, _remindable(row.step_status, row.owner))
    desired = plan.plan_step(facts, person, _rules(uow, row.org_settings), now)
    existing = await uow.outbox.of_account_with_prefix(row.account_id, plan.step_prefix(step_id))
    managed = STEP_KINDS if row.step_status == StepStatus.OPEN.value else plan.NUDGE_KINDS
    return await uow.outbox.plan(row.account_id, existing, desired, managed, now)


async def _replan_participant(uow: UnitOfWork, participant_id: int, now: datetime) -> Changes:
    """All of one person's step rows and the next lesson (after a pause, a new moment, ...)."""
    participant = await uow.participants.get(participant_id)
    if participant is None or participant.account_id is None:
        return Changes()
    account = await uow.accounts.get(participant.account_id)
    if account is None:
        return Changes()
    rules = await _rules_for(uow, participant)
    person = person_of(participant, account)
    changes = Changes()
    steps = await uow.steps.of_participant(participant.id)
    rows = await uow.outbox.of_account_with_prefix(account.id, "step:")
    for step in steps:
        prefix = plan.step_prefix(step.id)
        mine = [row for row in rows if row.dedupe_key.startswith(prefix)]
        desired = plan.plan_step(facts_of(step), person, rules, now)
        managed = STEP_KINDS if step.status == StepStatus.OPEN.value else plan.NUDGE_KINDS
        if not person.active:
            managed = plan.NUDGE_KINDS
        changes += await uow.outbox.plan(account.id, mine, desired, managed, now)
    changes += await _plan_lessons(uow, participant, account, person, rules, now)
    return changes


async def _replan_lessons(uow: UnitOfWork, participant_id: int, now: datetime) -> Changes:
    """The next lesson of one person, planned again (lessons paused, read, sent...)."""
    participant = await uow.participants.get(participant_id)
    if participant is None or participant.account_id is None:
        return Changes()
    account = await uow.accounts.get(participant.account_id)
    if account is None:
        return Changes()
    rules = await _rules_for(uow, participant)
    return await _plan_lessons(uow, participant, account, person_of(participant, account),
                               rules, now)


async def _lesson_interval(uow: UnitOfWork, participant_id: int) -> int:
    """Days between lessons: the choice stored with the last "lessons_started" (/instellingen:
    weekly or less often), a week when never chosen."""
    started = await uow.participant_events.latest_of(participant_id, ["lessons_started"])
    every = started.data.get("every_days") if started is not None else None
    return every if isinstance(every, int) and every > 0 else plan.LESSON_INTERVAL_DAYS


async def _plan_lessons(uow: UnitOfWork, participant: Participant, account: Account,
                        person: plan.Person, rules: plan.ReminderRules, now: datetime
                        ) -> Changes:
    """The one next lesson, a week after the previous one (the first a week after starting)."""
    existing = await uow.outbox.of_account_with_prefix(account.id, f"p:{participant.id}:lesson:")
    desired: list[plan.Planned] = []
    latest = await uow.participant_events.latest_of(participant.id, LESSON_EVENTS)
    stopped = latest is not None and latest.kind == "lessons_stopped"
    if participant.lessons_enabled and not stopped:
        resume_on = None
        if latest is not None and latest.kind == "lessons_paused":
            resume_on = date.fromisoformat(str(latest.data.get("until")))
        count, last = await uow.outbox.sent_count_and_last(account.id, plan.LESSON)
        started = participant.consent_at or participant.created_at
        planned = plan.plan_next_lesson(person, started, last, count, lesson_series().count,
                                        rules, now, resume_on=resume_on,
                                        every_days=await _lesson_interval(uow, participant.id))
        if planned is not None:
            desired.append(planned)
    return await uow.outbox.plan(account.id, existing, desired, frozenset({plan.LESSON}), now)


async def _plan_welcome_backs(uow: UnitOfWork, now: datetime, *, limit: int = 500) -> int:
    """One 'welcome back' for everyone silent for 14 days (the key names the silence)."""
    cutoff = now - timedelta(days=plan.SILENCE_DAYS)
    planned = 0
    after = 0
    for _ in range(1000):  # bounded: 500 000 participants at most per sweep
        batch = await uow.participants.silent_since(cutoff, after_id=after, limit=limit)
        if not batch:
            break
        after = batch[-1].id
        for participant in batch:
            account = await uow.accounts.get(participant.account_id or 0)
            if account is None:
                continue
            rules = await _rules_for(uow, participant)
            item = plan.plan_welcome_back(person_of(participant, account),
                                          participant.last_interaction_at, rules, now)
            if item is not None and await uow.outbox.queue(
                    account.id, item.payload, due_at=item.due_at, key=item.key, now=now):
                planned += 1
    return planned


async def _plan_first_lessons(uow: UnitOfWork, now: datetime, *, limit: int = 500) -> int:
    """The first lesson for active participants who have none planned or sent yet."""
    planned = 0
    after = 0
    for _ in range(1000):  # bounded, see _plan_welcome_backs
        batch = await uow.participants.active_with_account(after_id=after, limit=limit)
        if not batch:
            break
        after = batch[-1].id
        have = await uow.outbox.existing_keys(plan.lesson_key(p.id, 0) for p in batch)
        for participant in batch:
            if plan.lesson_key(participant.id, 0) in have or not participant.lessons_enabled:
                continue
            account = await uow.accounts.get(participant.account_id or 0)
            if account is None:
                continue
            person = person_of(participant, account)
            rules = await _rules_for(uow, participant)
            planned += (await _plan_lessons(uow, participant, account, person, rules,
                                            now)).inserted
    return planned


async def plan_sweep(db: Database, now: datetime) -> int:
    """What no step change triggers: welcome backs after a silence and first lessons."""
    async def sweep(uow: UnitOfWork) -> int:
        return await _plan_welcome_backs(uow, now) + await _plan_first_lessons(uow, now)

    return await in_one_transaction(db, sweep)


@dataclass(frozen=True)
class Snoozed:
    due_at: datetime
    new: bool  # False when the same press arrived twice


async def snooze_step(db: Database, participant_id: int, step_id: int, choice: str,
                      now: datetime) -> Snoozed | None:
    return await in_one_transaction(
        db, lambda uow: _snooze_step(uow, participant_id, step_id, choice, now))


async def _snooze_step(uow: UnitOfWork, participant_id: int, step_id: int, choice: str,
                       now: datetime) -> Snoozed | None:
    """'Later' on a reminder: one more reminder for this step only, this evening / tomorrow /
    next week. The deadline and the other steps stay as they are. None when the step is not
    this participant's or not open (a forged or stale button)."""
    step = await uow.steps.owned(step_id, participant_id)
    if step is None or step.status != StepStatus.OPEN.value:
        return None
    participant = await uow.participants.get(participant_id)
    if participant is None or participant.account_id is None:
        return None
    account = await uow.accounts.get(participant.account_id)
    if account is None:
        return None
    rules = await _rules_for(uow, participant)
    item = plan.plan_later(step.id, step.due_date, choice, person_of(participant, account),
                           rules, now)
    existing = await uow.outbox.of_account_with_prefix(account.id, plan.step_prefix(step.id))
    # One snooze per step at a time: the newest choice wins.
    changes = await uow.outbox.plan(account.id, [r for r in existing if r.kind == plan.LATER],
                           [item], frozenset({plan.LATER}), now)
    participant.last_interaction_at = now
    return Snoozed(item.due_at, changes.touched > 0)


async def fresh_start(db: Database, participant_id: int, actor_account_id: int | None,
                      now: datetime) -> int:
    return await in_one_transaction(
        db, lambda uow: _fresh_start(uow, participant_id, actor_account_id, now))


async def _fresh_start(uow: UnitOfWork, participant_id: int, actor_account_id: int | None,
                       now: datetime) -> int:
    """'Welcome back' → fresh dates: every overdue open step moves to a week from today, in one
    choice. Returns how many moved."""
    from bot.storage.models import StepEventKind

    participant = await uow.participants.get(participant_id)
    if participant is None or participant.account_id is None:
        return 0
    account = await uow.accounts.get(participant.account_id)
    if account is None:
        return 0
    today = plan.local_today(now, person_of(participant, account))
    new_date = today + timedelta(days=7)
    moved = 0
    for step in await uow.steps.of_participant(participant_id):
        if step.status != StepStatus.OPEN.value or step.due_date is None \
                or step.due_date >= today:
            continue
        old = step.due_date
        step.due_date, step.updated_at = new_date, now
        await uow.step_events.add(
            step_id=step.id, participant_id=participant_id,
            kind=StepEventKind.RESCHEDULED.value, at=now, actor_account_id=actor_account_id,
            data={"from": old.isoformat(), "to": new_date.isoformat(), "via": "welcome_back"},
        )
        uow.emit(StepChanged(step.id, now))
        moved += 1
    participant.last_interaction_at = now
    return moved
