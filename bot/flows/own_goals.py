"""A goal in the participant's own words (the participant holds the pen).

Collected in the `own_goal` conversation (what, why, optionally a pillar and a first step) and
saved in one unit of work that also ends the conversation. The goal is the participant's own:
`created_by_account_id` is their account, which is how the coach's card shows it as their idea;
it counts in the report like any goal. The first step is an own step (`_add_own_step`), so its
reminders are planned by the same `StepChanged` reaction as every step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.core.conversations import OwnGoalFlow
from bot.core.plan_input import GOAL_MAX, WHY_MAX, TextProblem, clean_text
from bot.flows.pillars import pillar_labels
from bot.flows.steps import StepAdded, StepProblem, _add_own_step, check_step_text
from bot.storage.db import Database
from bot.storage.models import ParticipantStatus

OWN_GOAL_EVENT = "own_goal_added"
DEFAULT_INSTRUMENT = "brug-alphen"  # the Organisation.instrument_key default


@dataclass(frozen=True)
class OwnGoalSaved:
    goal_id: int
    step_id: int | None


def check_what(raw: str) -> str | TextProblem:
    return clean_text(raw, GOAL_MAX)


def check_why(raw: str) -> str | TextProblem:
    return clean_text(raw, WHY_MAX)


async def pillars_for(db: Database, participant_id: int, locale: str) -> dict[str, str]:
    """The pillars of the participant's organisation's Brug, key -> label."""
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        org = await uow.organisations.get(participant.organisation_id) if participant else None
        key = org.instrument_key if org else DEFAULT_INSTRUMENT
    return pillar_labels(key, locale)


async def save(db: Database, participant_id: int, account_id: int, state: OwnGoalFlow,
               first_step: str | None, due: date | None, now: datetime
               ) -> OwnGoalSaved | TextProblem | StepProblem:
    """Create the goal (and its first step), end the conversation: one transaction."""
    if not state.what or not state.why:
        return TextProblem.EMPTY
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        if participant is None or participant.account_id != account_id or participant.status \
                not in (ParticipantStatus.ACTIVE.value, ParticipantStatus.PAUSED.value):
            return StepProblem.NOT_FOUND
        checked = check_step_text(first_step) if first_step is not None else None
        if isinstance(checked, StepProblem):
            return checked
        org = await uow.organisations.get(participant.organisation_id)
        labels = pillar_labels(org.instrument_key if org else DEFAULT_INSTRUMENT, "nl")
        pillars = [state.pillar] if state.pillar in labels else []  # a forged key is dropped
        existing = await uow.goals.of_participant(participant_id)
        goal = await uow.goals.add(
            participant_id=participant_id, text=state.what, why=state.why, pillars=pillars,
            position=max((g.position for g in existing), default=-1) + 1,
            created_by_account_id=account_id, created_at=now)
        step_id = None
        if checked is not None:
            added = await _add_own_step(uow, participant_id, goal.id, checked, due, now,
                                        actor_account_id=account_id)
            if isinstance(added, StepAdded):
                step_id = added.step_id
        await uow.participant_events.record(participant_id, OWN_GOAL_EVENT, now,
                                            {"goal_id": goal.id, "with_step": step_id is not None})
        await uow.participants.touch(participant_id, now)
        await uow.flows.clear(account_id)
        await uow.commit()
        return OwnGoalSaved(goal.id, step_id)
