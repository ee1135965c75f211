"""Reading everything about one person (the export) and erasing it (the right to be
forgotten, and the retention job). Rules on what stays: bot/core/retention.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import DeclarativeBase

from bot.core.retention import ERASED, anonymous_telegram_id
from bot.storage.models import (
    Account,
    AuditEntry,
    BrugMeasurement,
    BrugScore,
    Card,
    Coach,
    FlowState,
    Goal,
    OutboxMessage,
    OutboxStatus,
    Participant,
    ParticipantEvent,
    ParticipantStatus,
    RewardEntry,
    Step,
    StepEvent,
)
from bot.storage.repositories.base import Queries

Row = dict[str, Any]
FINISHED = (OutboxStatus.SENT.value, OutboxStatus.SKIPPED.value, OutboxStatus.FAILED.value,
            OutboxStatus.CANCELLED.value)


def as_dict(obj: DeclarativeBase, leave_out: Sequence[str] = ()) -> Row:
    """Every column of a row as JSON-ready values (dates as ISO text)."""
    out: Row = {}
    for column in obj.__table__.columns:  # type: ignore[attr-defined]
        if column.key in leave_out:
            continue
        value = getattr(obj, column.key)
        if isinstance(value, datetime | date | time):
            value = value.isoformat()
        out[column.key] = value
    return out


class PrivacyRepository(Queries):
    """Everything about one person, to show it or to erase it; and the retention job."""

    as_dict = staticmethod(as_dict)

    async def _all(self, statement: Any) -> list[Any]:
        return list((await self.session.execute(statement)).scalars())

    async def participant_data(self, participant: Participant) -> dict[str, Any]:
        """All rows about one participant, grouped by what they are."""
        pid = participant.id
        goals = await self._all(select(Goal).where(Goal.participant_id == pid)
                                .order_by(Goal.position, Goal.id))
        steps = await self._all(select(Step).where(Step.participant_id == pid)
                                .order_by(Step.goal_id, Step.position, Step.id))
        measurements = await self._all(select(BrugMeasurement)
                                       .where(BrugMeasurement.participant_id == pid)
                                       .order_by(BrugMeasurement.started_at))
        scores = await self._all(select(BrugScore).where(
            BrugScore.measurement_id.in_([m.id for m in measurements])).order_by(BrugScore.id))
        data: dict[str, Any] = {
            "goals": [{**as_dict(g), "steps": [as_dict(s) for s in steps if s.goal_id == g.id]}
                      for g in goals],
            "step_events": [as_dict(e) for e in await self._all(
                select(StepEvent).where(StepEvent.participant_id == pid)
                .order_by(StepEvent.at, StepEvent.id))],
            "brug": [{**as_dict(m), "scores": [as_dict(s, ("id", "measurement_id"))
                                               for s in scores if s.measurement_id == m.id]}
                     for m in measurements],
            "cards": [as_dict(c, ("dedupe_key",)) for c in await self._all(
                select(Card).where(Card.participant_id == pid).order_by(Card.id))],
            "rewards": [as_dict(r) for r in await self._all(
                select(RewardEntry).where(RewardEntry.participant_id == pid)
                .order_by(RewardEntry.id))],
            "events": [as_dict(e) for e in await self._all(
                select(ParticipantEvent).where(ParticipantEvent.participant_id == pid)
                .order_by(ParticipantEvent.at, ParticipantEvent.id))],
            "seen_by_others": [as_dict(a, ("details",)) for a in await self._all(
                select(AuditEntry).where(AuditEntry.subject_type == "participant",
                                         AuditEntry.subject_id == pid)
                .order_by(AuditEntry.at, AuditEntry.id))],
        }
        return data

    async def account_data(self, account_id: int) -> dict[str, Any]:
        """What is stored about the Telegram account: messages planned and sent, a
        conversation."""
        return {
            "messages": [as_dict(o, ("claimed_by", "claimed_at", "dedupe_key"))
                         for o in await self._all(
                select(OutboxMessage).where(OutboxMessage.account_id == account_id)
                .order_by(OutboxMessage.due_at, OutboxMessage.id))],
            "conversation": [as_dict(f) for f in await self._all(
                select(FlowState).where(FlowState.account_id == account_id))],
            "own_actions": [as_dict(a, ("details",)) for a in await self._all(
                select(AuditEntry).where(AuditEntry.actor_account_id == account_id)
                .order_by(AuditEntry.at, AuditEntry.id))],
        }

    async def erase_account(self, account: Account) -> None:
        """The account row stays (other rows point at it) without anything that identifies
        the person; messages and a half-finished conversation go."""
        await self.session.execute(
            delete(OutboxMessage).where(OutboxMessage.account_id == account.id))
        await self.session.execute(delete(FlowState).where(FlowState.account_id == account.id))
        account.telegram_user_id = anonymous_telegram_id(account.id)
        account.chat_id = 0
        account.locale = None
        account.reachable = False
        account.last_seen_at = None

    async def erase_participant(self, participant: Participant) -> None:
        """Names and every text the person or the coach typed go; counts, dates, statuses,
        Brug levels and the reward ledger stay under the pseudonym for the evaluation
        report."""
        pid = participant.id
        await self.session.execute(update(Goal).where(Goal.participant_id == pid).values(
            text=ERASED, why=None, obstacle=None, if_then=None, closed_reason=None))
        await self.session.execute(
            update(Step).where(Step.participant_id == pid).values(text=ERASED))
        await self.session.execute(update(StepEvent).where(StepEvent.participant_id == pid)
                                   .values(data={}))
        await self.session.execute(
            update(Card).where(Card.participant_id == pid).values(message=ERASED))
        participant.display_name = ERASED
        participant.external_ref = None
        participant.account_id = None

    async def erase_coach(self, coach: Coach) -> None:
        coach.display_name = ERASED
        coach.active = False
        coach.account_id = None

    async def open_participants_of(self, coach_id: int) -> int:
        rows = await self.session.execute(select(Participant.id).where(
            Participant.coach_id == coach_id,
            Participant.status != ParticipantStatus.ENDED.value))
        return len(rows.all())

    async def ended_before(self, cutoff: datetime, limit: int = 200) -> list[Participant]:
        """Ended trajectories past the retention period whose personal data is still
        there."""
        return await self._all(select(Participant).where(
            Participant.status == ParticipantStatus.ENDED.value,
            Participant.ended_at < cutoff,
            or_(Participant.display_name != ERASED, Participant.account_id.is_not(None)),
        ).order_by(Participant.id).limit(limit))

    async def drop_finished_outbox(self, cutoff: datetime) -> int:
        """Sent, skipped, failed and cancelled rows that were due before the cutoff."""
        result = await self.session.execute(delete(OutboxMessage).where(
            OutboxMessage.status.in_(FINISHED), OutboxMessage.due_at < cutoff))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def empty_payloads(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                       .values(payload={}))

