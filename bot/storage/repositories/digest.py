"""Everything the coach's digest reads, for ALL of a coach's participants at once.

Each method is one statement whatever the caseload (filtered on `participants.coach_id`, which
is indexed), so a digest costs the same number of statements for 3 participants or 60. The
statements are Core selects built once at import: a digest runs 500 times in a row on Monday
morning, and the ORM's per-statement work was most of its cost. `only` (0 = everyone) narrows
a statement to one participant, for their card. Rows come back as plain tuples;
`bot/flows/digest.py` turns them into `core.digest` facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    Integer,
    Row,
    Table,
    and_,
    bindparam,
    func,
    or_,
    select,
)

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
    StepOwner,
    StepStatus,
)
from bot.storage.repositories.base import Queries

# Participant events the digest reads whatever their age (open requests, saying no); lesson
# feedback only inside the window. When a trajectory ended is `participants.ended_at`.
# "setback_offered" (flows/setbacks.py): the step kept slipping, whatever the age of the offer.
# "meeting_wish"/"meeting_wish_handled" (core.meetings): a meeting they cannot make, open or not.
LASTING_EVENTS = ("contact_asked", "contact_handled", "consent_declined", "setback_offered",
                  "meeting_wish", "meeting_wish_handled")
FEEDBACK = "lesson_feedback"
CRISIS = "crisis_phrase"  # core.crisis.CRISIS_EVENT: a crisis phrase typed (no text kept)
WINDOWED_EVENTS = (FEEDBACK, CRISIS)
DIGEST_KIND = "coach_digest"  # core.digest.DIGEST; storage does not import core


def _t(model: Any) -> Table:
    return cast(Table, model.__table__)


coaches, accounts, orgs = _t(Coach), _t(Account), _t(Organisation)
people_t, invites_t, steps_t, step_events_t = (_t(Participant), _t(Invite), _t(Step),
                                               _t(StepEvent))
events_t, goals_t, measurements_t, scores_t = (_t(ParticipantEvent), _t(Goal),
                                               _t(BrugMeasurement), _t(BrugScore))
rewards_t, outbox_t = _t(RewardEntry), _t(OutboxMessage)

COACH_ID = bindparam("coach_id", type_=Integer)
ONLY = bindparam("only", type_=Integer)
SINCE: BindParameter[Any] = bindparam("since")  # takes the type of the column it meets


def _of_coach(table_id: Any) -> Any:
    """The coach's participants (all, or only `:only`)."""
    mine = select(people_t.c.id).where(people_t.c.coach_id == COACH_ID,
                                       or_(ONLY == 0, people_t.c.id == ONLY))
    return table_id.in_(mine.scalar_subquery())


_LAST_DIGEST = (
    select(func.max(outbox_t.c.sent_at))
    .where(outbox_t.c.account_id == coaches.c.account_id, outbox_t.c.kind == DIGEST_KIND,
           outbox_t.c.status == OutboxStatus.SENT.value)
    .scalar_subquery()
)
COACH_ROW = (
    select(coaches.c.id, coaches.c.account_id, accounts.c.timezone, accounts.c.locale,
           orgs.c.instrument_key, _LAST_DIGEST)
    .select_from(coaches.outerjoin(accounts, accounts.c.id == coaches.c.account_id)
                 .join(orgs, orgs.c.id == coaches.c.organisation_id))
    .where(coaches.c.id == COACH_ID)
)
PEOPLE = (
    select(people_t.c.id, people_t.c.display_name, people_t.c.status, accounts.c.reachable,
           people_t.c.last_interaction_at, people_t.c.created_at, people_t.c.consent_at,
           people_t.c.ended_at)
    .select_from(people_t.outerjoin(accounts, accounts.c.id == people_t.c.account_id))
    .where(people_t.c.coach_id == COACH_ID, or_(ONLY == 0, people_t.c.id == ONLY))
    .order_by(people_t.c.id)
)
INVITES = (
    select(invites_t.c.participant_id, invites_t.c.created_at, invites_t.c.expires_at,
           and_(invites_t.c.used_at.is_(None), invites_t.c.revoked_at.is_(None)))
    .select_from(invites_t.join(people_t, people_t.c.id == invites_t.c.participant_id))
    .where(people_t.c.coach_id == COACH_ID, people_t.c.account_id.is_(None),
           or_(ONLY == 0, people_t.c.id == ONLY))
    .order_by(invites_t.c.participant_id, invites_t.c.created_at, invites_t.c.id)
)
_MOVES = (
    select(func.count(step_events_t.c.id))
    .where(step_events_t.c.step_id == steps_t.c.id,
           step_events_t.c.kind == StepEventKind.RESCHEDULED.value)
    .scalar_subquery()
)
# Only the steps the digest can tell about: done in the window, or open and the participant's
# with help asked, due within the coming week, or moved twice (`core.digest.TOO_BIG_AFTER`).
# The other open steps (most of them) are not read at all.
TOO_BIG_AFTER = 2
STEPS = (
    select(steps_t.c.id, steps_t.c.participant_id, steps_t.c.text, steps_t.c.status,
           steps_t.c.due_date, steps_t.c.done_at, steps_t.c.help_asked_at,
           steps_t.c.challenging, steps_t.c.owner, _MOVES)
    .where(_of_coach(steps_t.c.participant_id),
           or_(and_(steps_t.c.status == StepStatus.DONE.value, steps_t.c.done_at >= SINCE),
               and_(steps_t.c.status == StepStatus.OPEN.value,
                    steps_t.c.owner != StepOwner.COACH.value,
                    or_(steps_t.c.help_asked_at.is_not(None),
                        and_(steps_t.c.due_date >= bindparam("today"),
                             steps_t.c.due_date < bindparam("week_end")),
                        _MOVES >= TOO_BIG_AFTER))))
    .order_by(steps_t.c.participant_id, steps_t.c.id)
)
EVENTS = (
    select(events_t.c.participant_id, events_t.c.kind, events_t.c.at, events_t.c.data)
    .where(_of_coach(events_t.c.participant_id),
           or_(events_t.c.kind.in_(LASTING_EVENTS),
               and_(events_t.c.kind.in_(WINDOWED_EVENTS), events_t.c.at >= SINCE)))
    .order_by(events_t.c.at, events_t.c.id)
)
GOALS = (
    select(goals_t.c.participant_id, goals_t.c.id, goals_t.c.text, goals_t.c.closed_at)
    .where(_of_coach(goals_t.c.participant_id),
           goals_t.c.status == GoalStatus.ACHIEVED.value, goals_t.c.closed_at >= SINCE)
    .order_by(goals_t.c.closed_at, goals_t.c.id)
)
BRUG = (
    select(measurements_t.c.participant_id, measurements_t.c.id, measurements_t.c.moment,
           measurements_t.c.completed_at, scores_t.c.pillar_key, scores_t.c.level)
    .select_from(measurements_t.outerjoin(
        scores_t, scores_t.c.measurement_id == measurements_t.c.id))
    .where(_of_coach(measurements_t.c.participant_id),
           measurements_t.c.completed_at.is_not(None))
    .order_by(measurements_t.c.participant_id, measurements_t.c.completed_at,
              measurements_t.c.id)
)
REWARDS = (
    select(rewards_t.c.participant_id, rewards_t.c.status, steps_t.c.status)
    .select_from(rewards_t.outerjoin(steps_t, steps_t.c.id == rewards_t.c.step_id))
    .where(_of_coach(rewards_t.c.participant_id),
           rewards_t.c.status.in_([RewardStatus.TAGGED.value, RewardStatus.EARNED.value]))
)


class DigestRepository(Queries):

    async def _rows(self, statement: Any, coach_id: int, only: int | None,
                    since: datetime | None = None, **more: Any) -> Sequence[Row[Any]]:
        params: dict[str, Any] = {"coach_id": coach_id, "only": only or 0, **more}
        if since is not None:
            params["since"] = since
        return (await self.session.execute(statement, params)).all()

    async def coach(self, coach_id: int) -> Row[Any] | None:
        """(coach id, account id, timezone, locale, instrument key, when the last weekly
        digest was sent) of one coach."""
        rows = await self._rows(COACH_ROW, coach_id, None)
        return rows[0] if rows else None

    async def people(self, coach_id: int, only: int | None = None) -> Sequence[Row[Any]]:
        """(id, name, status, reachable, last_interaction_at, created_at, consent_at,
        ended_at)."""
        return await self._rows(PEOPLE, coach_id, only)

    async def invites(self, coach_id: int, only: int | None = None) -> Sequence[Row[Any]]:
        """(participant_id, created_at, expires_at, open) of participants not linked yet."""
        return await self._rows(INVITES, coach_id, only)

    async def steps(self, coach_id: int, since: datetime, today: date,
                    only: int | None = None) -> Sequence[Row[Any]]:
        """Steps that count: done since `since`; open ones with help asked, due in
        [today, today + 7 days) or moved twice. (id, participant_id, text, status, due_date,
        done_at, help_asked_at, challenging, owner, times moved)."""
        return await self._rows(STEPS, coach_id, only, since, today=today,
                                week_end=today + timedelta(days=7))

    async def events(self, coach_id: int, since: datetime, only: int | None = None
                     ) -> Sequence[Row[Any]]:
        """(participant_id, kind, at, data): requests and leaving (any age), lesson feedback
        and crisis phrases (since `since`), oldest first."""
        return await self._rows(EVENTS, coach_id, only, since)

    async def goals_reached(self, coach_id: int, since: datetime, only: int | None = None
                            ) -> Sequence[Row[Any]]:
        """(participant_id, goal id, text, closed_at) of goals achieved since `since`."""
        return await self._rows(GOALS, coach_id, only, since)

    async def brug(self, coach_id: int, only: int | None = None) -> Sequence[Row[Any]]:
        """(participant_id, measurement id, moment, completed_at, pillar key, level) of every
        completed measurement, in order: the due measurement and the pillars that went up."""
        return await self._rows(BRUG, coach_id, only)

    async def rewards(self, coach_id: int, only: int | None = None) -> Sequence[Row[Any]]:
        """(participant_id, reward status, step status) of rewards tagged or earned."""
        return await self._rows(REWARDS, coach_id, only)
