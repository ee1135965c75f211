"""Goals, steps and step events: the goal-action plan."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Row, Table, and_, bindparam, func, insert, or_, select, update

from bot.storage.models import (
    Account,
    Goal,
    GoalStatus,
    Organisation,
    Participant,
    Step,
    StepEvent,
    StepEventKind,
    StepOwner,
    StepStatus,
)
from bot.storage.repositories.base import Repository

# The tick path's statements, on the tables and built once at import (see Repository.core):
# a tick runs them on every tap, and building plus keying a statement each time cost as much
# as running it.
_goals, _steps, _events, _participants, _accounts, _organisations = (
    cast(Table, model.__table__)
    for model in (Goal, Step, StepEvent, Participant, Account, Organisation))

_PLAN = (
    select(_participants.c.status, _participants.c.paused_until, _goals.c.id, _goals.c.text,
           _goals.c.position, _steps.c.id, _steps.c.text, _steps.c.due_date, _steps.c.owner,
           _steps.c.status, _steps.c.challenging, _steps.c.help_asked_at, _steps.c.position)
    .select_from(_participants)
    .outerjoin(_goals, and_(_goals.c.participant_id == _participants.c.id,
                            _goals.c.status == GoalStatus.ACTIVE.value))
    .outerjoin(_steps, _steps.c.goal_id == _goals.c.id)
    .where(_participants.c.id == bindparam("participant_id"))
    .order_by(_goals.c.position, _goals.c.id, _steps.c.position, _steps.c.id)
)

_MARK_DONE_WHERE = (
    # Bind names differ from the column names, which an UPDATE reserves for its SET clause.
    _steps.c.id == bindparam("the_step"),
    _steps.c.participant_id == bindparam("the_participant"),
    _steps.c.status == StepStatus.OPEN.value,
    _steps.c.owner != StepOwner.COACH.value,
)
_MARK_DONE = (
    update(_steps).where(*_MARK_DONE_WHERE)
    .values(status=StepStatus.DONE.value, done_at=bindparam("now"),
            updated_at=bindparam("now_"))
    .returning(_steps.c.goal_id, _steps.c.challenging)
)

_OPEN_COUNT_AND_LAST_ACK = select(
    select(func.count()).select_from(_steps)
    .where(_steps.c.goal_id == bindparam("goal_id"),
           _steps.c.status == StepStatus.OPEN.value)
    .scalar_subquery(),
    select(_events.c.data)
    .where(_events.c.participant_id == bindparam("participant_id"),
           _events.c.kind == StepEventKind.DONE.value)
    .order_by(_events.c.at.desc(), _events.c.id.desc())
    .limit(1)
    .scalar_subquery(),
)

_RECORD_EVENT = insert(_events)

_CARD_FACTS = select(_steps.c.goal_id, _steps.c.text, _steps.c.challenging).where(
    _steps.c.id == bindparam("step_id"), _steps.c.participant_id == bindparam("participant_id"))

_REMINDER_INPUTS = (
    select(_steps.c.id.label("step_id"), _steps.c.due_date, _steps.c.status.label("step_status"),
           _steps.c.owner, _participants.c.id.label("participant_id"),
           _participants.c.status.label("participant_status"), _participants.c.paused_until,
           _participants.c.preferred_moment, _participants.c.quiet_start,
           _participants.c.quiet_end, _accounts.c.id.label("account_id"), _accounts.c.timezone,
           _accounts.c.reachable, _organisations.c.settings.label("org_settings"))
    .select_from(_steps)
    .join(_participants, _participants.c.id == _steps.c.participant_id)
    .join(_accounts, _accounts.c.id == _participants.c.account_id)
    .outerjoin(_organisations, _organisations.c.id == _participants.c.organisation_id)
    .where(_steps.c.id == bindparam("step_id"))
)


class GoalRepository(Repository[Goal]):
    model = Goal

    async def of_participant(self, participant_id: int, *, active_only: bool = True) -> list[Goal]:
        query = select(Goal).where(Goal.participant_id == participant_id)
        if active_only:
            query = query.where(Goal.status == GoalStatus.ACTIVE.value)
        result = await self.session.execute(query.order_by(Goal.position, Goal.id))
        return list(result.scalars())

    async def plan_of(self, participant_id: int
                      ) -> tuple[tuple[str, date | None], list[tuple[Any, ...]]] | None:
        """The participant's (status, paused_until) with their active goals and all steps
        of those goals, in one query of plain columns (the action list is redrawn after every
        tap, so no ORM objects are built). Each row: goal_id, goal_text, goal_position, then
        the step's id, text, due_date, owner, status, challenging, help_asked_at, position
        (None without steps). None: no such participant."""
        rows = (await self.core(_PLAN, {"participant_id": participant_id})).all()
        if not rows:
            return None
        return (rows[0][0], rows[0][1]), [tuple(row[2:]) for row in rows if row[2] is not None]

    async def owned(self, goal_id: int, participant_id: int) -> Goal | None:
        """The goal only when it belongs to this participant: the access check to use."""
        result = await self.session.execute(
            select(Goal).where(Goal.id == goal_id, Goal.participant_id == participant_id)
        )
        return result.scalar_one_or_none()


class StepRepository(Repository[Step]):
    model = Step

    async def of_participant(self, participant_id: int) -> list[Step]:
        result = await self.session.execute(
            select(Step)
            .where(Step.participant_id == participant_id)
            .order_by(Step.goal_id, Step.position, Step.id)
        )
        return list(result.scalars())

    async def of_goal(self, goal_id: int) -> list[Step]:
        result = await self.session.execute(
            select(Step).where(Step.goal_id == goal_id).order_by(Step.position, Step.id)
        )
        return list(result.scalars())

    async def owned(
        self, step_id: int, participant_id: int, *, for_update: bool = False
    ) -> Step | None:
        """The step only when it belongs to this participant: the access check to use."""
        query = select(Step).where(Step.id == step_id, Step.participant_id == participant_id)
        if for_update:
            query = query.with_for_update()
        result = await self.session.execute(query)
        return result.scalar_one_or_none()

    async def card_facts(self, step_id: int, participant_id: int) -> Row[Any] | None:
        """(goal_id, text, challenging) of the participant's own step: what its card needs."""
        return (await self.core(_CARD_FACTS, {"step_id": step_id,
                                              "participant_id": participant_id})).one_or_none()

    async def reminder_inputs(self, step_id: int) -> Row[Any] | None:
        """What re-planning a step's reminders reads (after every tick), in one query of plain
        columns: the step, its participant, their account and their organisation's settings
        (see `_REMINDER_INPUTS`). None when the step is gone or its participant has not joined."""
        return (await self.core(_REMINDER_INPUTS, {"step_id": step_id})).one_or_none()

    async def mark_done_if_open(self, step_id: int, participant_id: int, now: datetime
                                ) -> tuple[int, bool] | None:
        """Open -> done in one conditional UPDATE: of two concurrent taps (or a duplicate
        update) exactly one wins, on SQLite and PostgreSQL alike. Coach-owned steps are not
        the participant's to tick. Returns (goal_id, challenging) when this call ticked it."""
        if self.loaded(Step, step_id):
            # The step is an object in this unit of work: the ORM's UPDATE keeps it in step.
            result = await self.session.execute(
                update(Step)
                .where(Step.id == step_id, Step.participant_id == participant_id,
                       Step.status == StepStatus.OPEN.value,
                       Step.owner != StepOwner.COACH.value)
                .values(status=StepStatus.DONE.value, done_at=now, updated_at=now)
                .returning(Step.goal_id, Step.challenging)
            )
        else:
            result = await self.core(_MARK_DONE, {"the_step": step_id,
                                                  "the_participant": participant_id,
                                                  "now": now, "now_": now})
        row = result.first()
        return None if row is None else (int(row[0]), bool(row[1]))

    async def reopen_if_done(self, step_id: int, participant_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Step)
            .where(Step.id == step_id, Step.participant_id == participant_id,
                   Step.status == StepStatus.DONE.value)
            .values(status=StepStatus.OPEN.value, done_at=None, updated_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def open_count_and_last_ack(self, goal_id: int, participant_id: int
                                      ) -> tuple[int, str | None]:
        """The goal's open steps and the acknowledgement shown at the previous tick, in one
        round trip (both are needed on every tick)."""
        row = (await self.core(_OPEN_COUNT_AND_LAST_ACK, {
            "goal_id": goal_id, "participant_id": participant_id})).one()
        data = row[1]
        if isinstance(data, str):  # a JSON scalar subquery may come back as text on SQLite
            data = json.loads(data)
        ack = data.get("ack") if isinstance(data, dict) else None
        return int(row[0]), ack if isinstance(ack, str) else None

    async def make_room(self, goal_id: int, position: int) -> None:
        """Shift the goal's steps at `position` and later one place down (for an insert)."""
        await self.session.execute(
            update(Step)
            .where(Step.goal_id == goal_id, Step.position >= position)
            .values(position=Step.position + 1)
        )
    async def overview_rows(self, coach_id: int, done_since: datetime) -> Sequence[Row[Any]]:
        """Steps that count in the coach's overview, for all their participants at once:
        open steps, and steps done since `done_since`.
        Rows: (participant_id, status, due_date, done_at, help_asked_at)."""
        result = await self.session.execute(
            select(Step.participant_id, Step.status, Step.due_date, Step.done_at,
                   Step.help_asked_at)
            .join(Participant, Participant.id == Step.participant_id)
            .where(
                Participant.coach_id == coach_id,
                or_(Step.status == StepStatus.OPEN.value,
                    (Step.status == StepStatus.DONE.value) & (Step.done_at >= done_since)),
            )
        )
        return result.all()

    async def next_position(self, goal_id: int) -> int:
        result = await self.session.execute(
            select(func.coalesce(func.max(Step.position), -1)).where(Step.goal_id == goal_id)
        )
        return int(result.scalar_one()) + 1

    async def with_goal_texts(self, step_ids: list[int]) -> dict[int, tuple[Step, str]]:
        """Steps with the text of their goal, in one query."""
        if not step_ids:
            return {}
        result = await self.session.execute(
            select(Step, Goal.text).join(Goal, Goal.id == Step.goal_id)
            .where(Step.id.in_(step_ids))
        )
        return {step.id: (step, text) for step, text in result.tuples()}


class StepEventRepository(Repository[StepEvent]):
    model = StepEvent

    async def record(self, step_id: int, participant_id: int, kind: str, at: datetime,
                     actor_account_id: int | None = None, data: dict[str, object] | None = None,
                     ) -> None:
        # A plain INSERT: events are written on every tap and never read back in the same
        # unit of work, so the ORM's object bookkeeping would be wasted work.
        await self.core(_RECORD_EVENT, {
            "step_id": step_id, "participant_id": participant_id, "kind": kind, "at": at,
            "actor_account_id": actor_account_id, "data": data or {}})


    async def kinds_by_step(self, participant_id: int) -> dict[int, set[str]]:
        """Which kinds of event each step of this participant has had (for the coach's markers)."""
        result = await self.session.execute(
            select(StepEvent.step_id, StepEvent.kind)
            .where(StepEvent.participant_id == participant_id)
            .distinct()
        )
        kinds: dict[int, set[str]] = {}
        for step_id, kind in result.all():
            kinds.setdefault(step_id, set()).add(kind)
        return kinds

    async def latest_id(self, participant_id: int, actor_account_id: int | None = None) -> int:
        """The newest event id of this participant's steps (0 if none), optionally only those
        made by one actor (the coach's own changes, not the participant's ticks)."""
        query = select(func.coalesce(func.max(StepEvent.id), 0)).where(
            StepEvent.participant_id == participant_id)
        if actor_account_id is not None:
            query = query.where(StepEvent.actor_account_id == actor_account_id)
        result = await self.session.execute(query)
        return int(result.scalar_one())

    async def of_participant(self, participant_id: int) -> list[StepEvent]:
        result = await self.session.execute(
            select(StepEvent)
            .where(StepEvent.participant_id == participant_id)
            .order_by(StepEvent.at, StepEvent.id)
        )
        return list(result.scalars())
