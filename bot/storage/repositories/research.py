"""Rows of one organisation for the research export (bot/flows/research_export.py), streamed:
a large organisation does not have to fit in memory. Every query joins participants on their
organisation, never a list of ids."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, select

from bot.storage.models import (
    BrugMeasurement,
    BrugScore,
    Goal,
    Participant,
    Step,
    StepEvent,
)
from bot.storage.repositories.base import Queries

YIELD_PER = 2000


def _of(organisation_id: int) -> ColumnElement[bool]:
    return Participant.organisation_id == organisation_id


class ResearchRepository(Queries):
    async def _stream(self, query: Select[Any]) -> AsyncIterator[Row[Any]]:
        result = await self.session.stream(query.execution_options(yield_per=YIELD_PER))
        async for row in result:
            yield row

    def participants(self, organisation_id: int) -> AsyncIterator[Row[Any]]:
        """(id, status, ended_reason, account_id, consent_at, created_at, ended_at) by id."""
        return self._stream(
            select(Participant.id, Participant.status, Participant.ended_reason,
                   Participant.account_id, Participant.consent_at, Participant.created_at,
                   Participant.ended_at)
            .where(Participant.organisation_id == organisation_id).order_by(Participant.id))

    def measurements(self, organisation_id: int) -> AsyncIterator[Row[Any]]:
        """One row per score of a completed measurement: (participant_id, measurement id,
        moment, completed_at, import_key, filled_by, instrument_key, instrument_version,
        pillar_key, level, target), per participant in the order they were completed."""
        return self._stream(
            select(BrugMeasurement.participant_id, BrugMeasurement.id,
                   BrugMeasurement.moment, BrugMeasurement.completed_at,
                   BrugMeasurement.import_key, BrugMeasurement.filled_by,
                   BrugMeasurement.instrument_key, BrugMeasurement.instrument_version,
                   BrugScore.pillar_key, BrugScore.level, BrugScore.target)
            .join(Participant, Participant.id == BrugMeasurement.participant_id)
            .join(BrugScore, BrugScore.measurement_id == BrugMeasurement.id)
            .where(_of(organisation_id), BrugMeasurement.completed_at.is_not(None))
            .order_by(BrugMeasurement.participant_id, BrugMeasurement.completed_at,
                      BrugMeasurement.id, BrugScore.id))

    def goals(self, organisation_id: int) -> AsyncIterator[Row[Any]]:
        """(participant_id, id, created_at, pillars, confidence, status, closed_at, obstacle,
        if_then), per participant oldest first."""
        return self._stream(
            select(Goal.participant_id, Goal.id, Goal.created_at, Goal.pillars,
                   Goal.confidence, Goal.status, Goal.closed_at, Goal.obstacle, Goal.if_then)
            .join(Participant, Participant.id == Goal.participant_id)
            .where(_of(organisation_id))
            .order_by(Goal.participant_id, Goal.created_at, Goal.id))

    def step_event_kinds(self, organisation_id: int) -> AsyncIterator[Row[Any]]:
        """(step_id, kind, at) of every step event, unordered: counted per step."""
        return self._stream(
            select(StepEvent.step_id, StepEvent.kind, StepEvent.at)
            .join(Participant, Participant.id == StepEvent.participant_id)
            .where(_of(organisation_id)))

    def steps(self, organisation_id: int) -> AsyncIterator[Row[Any]]:
        """(participant_id, goal_id, id, created_at, due_date, owner, challenging,
        created_by_role, reward_kind, status, done_at), per participant oldest first."""
        return self._stream(
            select(Step.participant_id, Step.goal_id, Step.id, Step.created_at, Step.due_date,
                   Step.owner, Step.challenging, Step.created_by_role, Step.reward_kind,
                   Step.status, Step.done_at)
            .join(Participant, Participant.id == Step.participant_id)
            .where(_of(organisation_id))
            .order_by(Step.participant_id, Step.created_at, Step.id))

    def step_events(self, organisation_id: int) -> AsyncIterator[Row[Any]]:
        """(participant_id, step_id, kind, at, data), per participant in time order."""
        return self._stream(
            select(StepEvent.participant_id, StepEvent.step_id, StepEvent.kind, StepEvent.at,
                   StepEvent.data)
            .join(Participant, Participant.id == StepEvent.participant_id)
            .where(_of(organisation_id))
            .order_by(StepEvent.participant_id, StepEvent.at, StepEvent.id))
