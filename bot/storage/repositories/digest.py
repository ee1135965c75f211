"""Everything the coach's digest reads, for ALL of a coach's participants at once.

Each method is one statement whatever the caseload (filtered on `participants.coach_id`, which
is indexed), so a digest costs the same number of statements for 3 participants or 60. `only`
narrows it to one participant (their card shows the same flags).
Rows come back as plain tuples; `bot/flows/digest.py` turns them into `core.digest` facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Account,
    BrugMeasurement,
    BrugScore,
    Coach,
    Goal,
    GoalStatus,
    Invite,
    Organisation,
    OutboxMessage,
    OutboxStatus,
    Participant,
    ParticipantEvent,
    RewardEntry,
    RewardStatus,
    Step,
    StepEvent,
    StepEventKind,
    StepStatus,
)

# Participant events the digest reads whatever their age (open requests, leaving, "still
# busy"); lesson feedback only inside the window.
LASTING_EVENTS = ("contact_asked", "contact_handled", "consent_declined", "ended",
                  "step_still_busy")
FEEDBACK = "lesson_feedback"


class DigestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _mine(self, coach_id: int, only: int | None) -> Any:
        query = select(Participant.id).where(Participant.coach_id == coach_id)
        if only is not None:
            query = query.where(Participant.id == only)
        return query.scalar_subquery()

    @staticmethod
    def _only(only: int | None) -> Any:
        return true() if only is None else Participant.id == only

    async def coach(self, coach_id: int) -> Row[Any] | None:
        """(Coach, account timezone, account locale, account chat_id, account reachable,
        instrument key) of one coach."""
        result = await self.session.execute(
            select(Coach, Account.timezone, Account.locale, Account.chat_id, Account.reachable,
                   Organisation.instrument_key)
            .outerjoin(Account, Account.id == Coach.account_id)
            .join(Organisation, Organisation.id == Coach.organisation_id)
            .where(Coach.id == coach_id)
        )
        return result.one_or_none()

    async def people(self, coach_id: int, only: int | None = None) -> Sequence[Row[Any]]:
        """(id, name, status, reachable, last_interaction_at, created_at, consent_at)."""
        result = await self.session.execute(
            select(Participant.id, Participant.display_name, Participant.status,
                   Account.reachable, Participant.last_interaction_at, Participant.created_at,
                   Participant.consent_at)
            .outerjoin(Account, Account.id == Participant.account_id)
            .where(Participant.coach_id == coach_id, self._only(only))
            .order_by(Participant.id)
        )
        return result.all()

    async def invites(self, coach_id: int, only: int | None = None) -> Sequence[Row[Any]]:
        """(participant_id, created_at, expires_at, open) of participants not linked yet."""
        result = await self.session.execute(
            select(Invite.participant_id, Invite.created_at, Invite.expires_at,
                   and_(Invite.used_at.is_(None), Invite.revoked_at.is_(None)))
            .join(Participant, Participant.id == Invite.participant_id)
            .where(Participant.coach_id == coach_id, Participant.account_id.is_(None),
                   self._only(only))
            .order_by(Invite.participant_id, Invite.created_at, Invite.id)
        )
        return result.all()

    async def steps(self, coach_id: int, since: datetime, only: int | None = None
                    ) -> Sequence[Row[Any]]:
        """Steps that count: open ones, and those done since `since`. (id, participant_id, text,
        status, due_date, done_at, help_asked_at, challenging, owner)."""
        result = await self.session.execute(
            select(Step.id, Step.participant_id, Step.text, Step.status, Step.due_date,
                   Step.done_at, Step.help_asked_at, Step.challenging, Step.owner)
            .where(
                Step.participant_id.in_(self._mine(coach_id, only)),
                or_(Step.status == StepStatus.OPEN.value,
                    and_(Step.status == StepStatus.DONE.value, Step.done_at >= since)),
            )
            .order_by(Step.participant_id, Step.id)
        )
        return result.all()

    async def moves(self, coach_id: int, only: int | None = None) -> Sequence[Row[Any]]:
        """(step_id, times rescheduled) for the coach's open steps that were moved."""
        result = await self.session.execute(
            select(StepEvent.step_id, func.count(StepEvent.id))
            .join(Step, Step.id == StepEvent.step_id)
            .where(
                Step.participant_id.in_(self._mine(coach_id, only)),
                Step.status == StepStatus.OPEN.value,
                StepEvent.kind == StepEventKind.RESCHEDULED.value,
            )
            .group_by(StepEvent.step_id)
        )
        return result.all()

    async def events(self, coach_id: int, since: datetime, only: int | None = None
                    ) -> Sequence[Row[Any]]:
        """(participant_id, kind, at, data): requests, leaving, "still busy" (any age) and
        lesson feedback (since `since`), oldest first."""
        result = await self.session.execute(
            select(ParticipantEvent.participant_id, ParticipantEvent.kind, ParticipantEvent.at,
                   ParticipantEvent.data)
            .where(
                ParticipantEvent.participant_id.in_(self._mine(coach_id, only)),
                or_(ParticipantEvent.kind.in_(LASTING_EVENTS),
                    and_(ParticipantEvent.kind == FEEDBACK, ParticipantEvent.at >= since)),
            )
            .order_by(ParticipantEvent.at, ParticipantEvent.id)
        )
        return result.all()

    async def goals_reached(self, coach_id: int, since: datetime, only: int | None = None
                            ) -> Sequence[Row[Any]]:
        """(participant_id, goal id, text, closed_at) of goals achieved since `since`."""
        result = await self.session.execute(
            select(Goal.participant_id, Goal.id, Goal.text, Goal.closed_at)
            .where(
                Goal.participant_id.in_(self._mine(coach_id, only)),
                Goal.status == GoalStatus.ACHIEVED.value,
                Goal.closed_at >= since,
            )
            .order_by(Goal.closed_at, Goal.id)
        )
        return result.all()

    async def brug(self, coach_id: int, only: int | None = None) -> Sequence[Row[Any]]:
        """(participant_id, measurement id, moment, completed_at, pillar key, level) of every
        completed measurement, in order: the due measurement and the pillars that went up."""
        result = await self.session.execute(
            select(BrugMeasurement.participant_id, BrugMeasurement.id, BrugMeasurement.moment,
                   BrugMeasurement.completed_at, BrugScore.pillar_key, BrugScore.level)
            .outerjoin(BrugScore, BrugScore.measurement_id == BrugMeasurement.id)
            .where(
                BrugMeasurement.participant_id.in_(self._mine(coach_id, only)),
                BrugMeasurement.completed_at.is_not(None),
            )
            .order_by(BrugMeasurement.participant_id, BrugMeasurement.completed_at,
                      BrugMeasurement.id)
        )
        return result.all()

    async def rewards(self, coach_id: int, only: int | None = None) -> Sequence[Row[Any]]:
        """(participant_id, reward status, step status) of rewards tagged or earned."""
        result = await self.session.execute(
            select(RewardEntry.participant_id, RewardEntry.status, Step.status)
            .outerjoin(Step, Step.id == RewardEntry.step_id)
            .where(
                RewardEntry.participant_id.in_(self._mine(coach_id, only)),
                RewardEntry.status.in_([RewardStatus.TAGGED.value, RewardStatus.EARNED.value]),
            )
        )
        return result.all()

    async def last_digest_sent(self, account_id: int, kind: str) -> datetime | None:
        result = await self.session.execute(
            select(func.max(OutboxMessage.sent_at)).where(
                OutboxMessage.account_id == account_id,
                OutboxMessage.kind == kind,
                OutboxMessage.status == OutboxStatus.SENT.value,
            )
        )
        return result.scalar_one_or_none()
