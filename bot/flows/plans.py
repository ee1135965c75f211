"""Goal-action plans made by the coach: start the flow, save it in one unit of work, edit,
reorder and drop steps, close goals, and decide when the participant should hear of it.

The flow collects a `PlanDraft` in flow_states; nothing is stored elsewhere until `save_plan`,
so /annuleer (or a flow gone stale) never leaves half a plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from bot.core import plan_flow
from bot.core import plan_input as limits
from bot.core.conversations import GoalCloseFlow, PlanDraft, StepEditFlow
from bot.core.events import GoalClosed, PlanChanged, StepChanged
from bot.core.meetings import made_in_meeting
from bot.core.plan_input import TextProblem, clean_text
from bot.flows.caseload import GoalView, NewParticipant, StepView, _add_participant
from bot.flows.conversation import _move
from bot.flows.pillars import pillar_labels
from bot.storage.db import Database
from bot.storage.models import (
    Goal,
    GoalStatus,
    Participant,
    ParticipantStatus,
    Role,
    Step,
    StepEventKind,
    StepStatus,
)
from bot.storage.uow import UnitOfWork

PLAN_FLOW = PlanDraft.flow
EDIT_FLOW = StepEditFlow.flow
CLOSE_FLOW = GoalCloseFlow.flow


# --- access ----------------------------------------------------------------------------------


async def _owned_goal(uow: UnitOfWork, coach_id: int, goal_id: int) -> Goal | None:
    goal = await uow.goals.get(goal_id)
    if goal is None or await uow.participants.owned_by(goal.participant_id, coach_id) is None:
        return None
    return goal


async def _owned_step(uow: UnitOfWork, coach_id: int, step_id: int) -> Step | None:
    step = await uow.steps.get(step_id)
    if step is None or await uow.participants.owned_by(step.participant_id, coach_id) is None:
        return None
    return step


# --- starting the flow -----------------------------------------------------------------------


async def start_plan(
    db: Database, coach_id: int, account_id: int, participant_id: int, now: datetime,
    goal_id: int | None = None,
) -> PlanDraft | None:
    """Begin a new goal (or more steps for `goal_id`) for one's own participant; else None."""
    async with db.uow() as uow:
        title = ""
        if goal_id is not None:
            goal = await _owned_goal(uow, coach_id, goal_id)
            if goal is None or goal.status != GoalStatus.ACTIVE.value:
                return None
            participant_id, title = goal.participant_id, goal.text
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None:
            return None
        draft = await _begin(uow, account_id, participant, now, goal_id, title)
        await uow.commit()
        return draft


async def new_participant(
    db: Database, coach_id: int, account_id: int, raw_name: str, now: datetime
) -> tuple[NewParticipant, PlanDraft] | TextProblem | None:
    """/nieuw's answer: the participant and their invite, and straight on to their first goal
    (in a meeting that is what comes next; /annuleer or "later" leaves it). None when the
    /nieuw flow was already finished (the same message delivered twice)."""
    name = clean_text(raw_name, limits.NAME_MAX)
    if isinstance(name, TextProblem):
        return name
    async with db.uow() as uow:
        new = await _add_participant(uow, coach_id, account_id, name, now)
        participant = None if new is None else await uow.participants.owned_by(
            new.participant_id, coach_id)
        if new is None or participant is None:
            return None
        draft = await _begin(uow, account_id, participant, now, None, "")
        await uow.commit()
        return new, draft


async def _begin(uow: UnitOfWork, account_id: int, participant: Participant, now: datetime,
                 goal_id: int | None, title: str) -> PlanDraft:
    org = await uow.organisations.get(participant.organisation_id)
    draft = PlanDraft(pid=participant.id, name=participant.display_name,
                      instrument=org.instrument_key if org else "brug-alphen", gid=goal_id,
                      title=title)
    await _move(uow, account_id, plan_flow.first_step(draft), draft, now)
    await uow.audit.record(
        at=now, actor_account_id=account_id, action="plan.started",
        subject_type="participant", subject_id=participant.id,
        details={"goal_id": goal_id} if goal_id else None,
    )
    return draft


async def end_plan(db: Database, account_id: int) -> bool:
    """"Later": leave the plan flow, nothing saved. False when it had already ended."""
    async with db.uow() as uow:
        taken = await uow.flows.take(account_id, PLAN_FLOW)
        await uow.commit()
        return taken is not None


def pillar_choices(draft: PlanDraft, locale: str) -> dict[str, str]:
    try:
        return pillar_labels(draft.instrument, locale)
    except ValueError:
        return {}


async def advance(db: Database, account_id: int, draft: PlanDraft, step: str, now: datetime
                  ) -> str:
    """The plan flow moves to `step` with `draft`; the step it is now at."""
    async with db.uow() as uow:
        await _move(uow, account_id, step, draft, now)
        await uow.commit()
    return step


# --- notices to the participant ---------------------------------------------------------------


async def _tell(uow: UnitOfWork, participant_id: int, kind: Literal[
        "new_goal", "new_steps", "changed"], steps: int, coach_account_id: int, goal_id: int,
                now: datetime) -> bool:
    """Queue one calm message about the plan (an outbox row, through the PlanChanged
    reaction). False when the participant cannot be told: not joined, blocked us, or ended."""
    participant = await uow.participants.get(participant_id)
    contact = await uow.participants.contact(participant_id)
    if participant is None or contact is None or not contact.reachable:
        return False
    if participant.status in (ParticipantStatus.DECLINED.value, ParticipantStatus.ENDED.value):
        return False
    uow.emit(PlanChanged(participant_id, coach_account_id, kind, steps, goal_id,
                         await uow.step_events.latest_id(participant_id, coach_account_id),
                         now))
    return True


async def tell_changes(
    db: Database, coach_id: int, account_id: int, goal_id: int, now: datetime
) -> Literal["queued", "nothing_new", "not_linked", "refused"]:
    """For the coach's "done, let them know": a notice only when steps changed since the last
    one, so a second tap (or a repeated update) never sends the same news twice."""
    async with db.uow() as uow:
        goal = await _owned_goal(uow, coach_id, goal_id)
        if goal is None:
            return "refused"
        # Only the coach's own changes count: the participant's ticks are not news to them.
        latest = await uow.step_events.latest_id(goal.participant_id, account_id)
        last = await uow.audit.latest("plan.notified", "participant", goal.participant_id)
        told_upto = int(last.details.get("upto_event_id", 0)) if last is not None else 0
        if latest <= told_upto:
            return "nothing_new"
        if not await _tell(uow, goal.participant_id, "changed", 0, account_id, goal.id, now):
            return "not_linked"
        await uow.commit()
        return "queued"


# --- saving ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSaved:
    participant_id: int
    participant_name: str
    goal_id: int
    steps: int
    told: bool  # a message about it is queued for the participant


async def save_plan(
    db: Database, coach_id: int, account_id: int, now: datetime
) -> PlanSaved | None:
    """Store the goal and its steps from the flow in one unit of work and end the flow.
    None when there is no plan flow (e.g. a second tap on "save": already saved)."""
    async with db.uow() as uow:
        state = await uow.flows.take(account_id, PLAN_FLOW)
        if state is None:
            return None
        draft = plan_flow.load(state.data, state.step)
        participant = None if draft is None else await uow.participants.owned_by(draft.pid,
                                                                                   coach_id)
        if draft is None or participant is None:
            await uow.commit()  # the flow is gone: nothing of it can be saved
            return None
        if draft.gid is not None:
            goal = await _owned_goal(uow, coach_id, draft.gid)
            if goal is None:
                await uow.commit()
                return None
        else:
            if draft.goal is None:
                return None
            existing = await uow.goals.of_participant(participant.id)
            goal = await uow.goals.add(
                participant_id=participant.id, text=draft.goal.text, why=draft.goal.why,
                pillars=list(draft.goal.pillars), confidence=draft.goal.confidence,
                obstacle=draft.goal.obstacle, if_then=draft.goal.if_then,
                status=GoalStatus.ACTIVE.value, position=len(existing),
                created_by_account_id=account_id, created_at=now,
            )
        position = await uow.steps.next_position(goal.id)
        for offset, spec in enumerate(draft.steps):
            step = await uow.steps.add(
                goal_id=goal.id, participant_id=participant.id, text=spec.text,
                due_date=spec.due, owner=spec.owner, challenging=spec.hard,
                status=StepStatus.OPEN.value, position=position + offset,
                created_by_role=Role.COACH.value, created_by_account_id=account_id,
                created_at=now, updated_at=now,
            )
            await uow.step_events.add(
                step_id=step.id, participant_id=participant.id, kind=StepEventKind.CREATED.value,
                at=now, actor_account_id=account_id,
                data={"due": spec.due.isoformat() if spec.due else None, "owner": spec.owner},
            )
            uow.emit(StepChanged(step.id, now))
        await uow.audit.record(
            at=now, actor_account_id=account_id, action="plan.saved",
            subject_type="participant", subject_id=participant.id,
            details={"goal_id": goal.id, "steps": len(draft.steps)},
        )
        kind: Literal["new_goal", "new_steps"] = "new_goal" if draft.gid is None else "new_steps"
        told = False
        if draft.gid is None or draft.steps:
            await uow.flush()
            told = await _tell(uow, participant.id, kind, len(draft.steps), account_id,
                               goal.id, now)
        await uow.commit()
        return PlanSaved(participant.id, participant.display_name, goal.id, len(draft.steps),
                         told)


# --- the goal screen and changes --------------------------------------------------------------


@dataclass(frozen=True)
class GoalScreen:
    participant_id: int
    participant_name: str
    goal: GoalView
    open_step_ids: tuple[int, ...]
    made_in_meeting: date | None = None  # issue 13: "made in the meeting of 12 March"


async def goal_screen(
    db: Database, coach_id: int, account_id: int, goal_id: int, now: datetime, locale: str
) -> GoalScreen | None:
    async with db.uow() as uow:
        goal = await _owned_goal(uow, coach_id, goal_id)
        if goal is None:
            return None
        participant = await uow.participants.get(goal.participant_id)
        assert participant is not None
        org = await uow.organisations.get(participant.organisation_id)
        try:
            labels = pillar_labels(org.instrument_key if org else "brug-alphen", locale)
        except ValueError:
            labels = {}
        kinds = await uow.step_events.kinds_by_step(goal.participant_id)
        steps = [s for s in await uow.steps.of_goal(goal.id) if s.status != "dropped"]
        view = GoalView(
            id=goal.id, text=goal.text, why=goal.why,
            pillars=tuple(labels.get(k, k) for k in goal.pillars), confidence=goal.confidence,
            obstacle=goal.obstacle, if_then=goal.if_then, status=goal.status,
            closed_reason=goal.closed_reason,
            steps=tuple(StepView(
                id=s.id, text=s.text, due_date=s.due_date, owner=s.owner, status=s.status,
                challenging=s.challenging, added_by_participant=s.created_by_role == "participant",
                rescheduled=StepEventKind.RESCHEDULED.value in kinds.get(s.id, set()),
                help_asked=s.help_asked_at is not None and s.status == "open",
            ) for s in steps),
        )
        await uow.audit.record(
            at=now, actor_account_id=account_id, action="participant.viewed",
            subject_type="participant", subject_id=goal.participant_id,
            details={"goal_id": goal.id},
        )
        made_in = await _made_in_meeting(uow, participant.id, participant.account_id,
                                         goal.created_at)
        await uow.commit()
        return GoalScreen(goal.participant_id, participant.display_name, view,
                          tuple(s.id for s in steps if s.status == "open"), made_in)


async def _made_in_meeting(uow: UnitOfWork, participant_id: int, account_id: int | None,
                           created_at: datetime) -> date | None:
    found = [m.starts_at for m in await uow.meetings.of_participant(participant_id)
             if m.status in ("held", "planned")]
    if not found:
        return None
    account = await uow.accounts.get(account_id) if account_id else None
    return made_in_meeting(created_at, found,
                           account.timezone if account else uow.defaults.timezone)


async def move_step(db: Database, coach_id: int, step_id: int, direction: Literal["up", "down"],
                    now: datetime) -> tuple[int, bool] | None:
    """Swap with the neighbouring step of the same goal. Returns (goal id, moved); None when
    refused. The first step going up (or the last going down) stays where it is."""
    async with db.uow() as uow:
        step = await _owned_step(uow, coach_id, step_id)
        if step is None:
            return None
        siblings = [s for s in await uow.steps.of_goal(step.goal_id) if s.status != "dropped"]
        # Positions may have gaps or ties (steps added by the participant): renumber first.
        for index, sibling in enumerate(siblings):
            sibling.position = index
        index = siblings.index(step)
        other = index - 1 if direction == "up" else index + 1
        moved = 0 <= other < len(siblings) and step.status != StepStatus.DROPPED.value
        if moved:
            siblings[index].position, siblings[other].position = other, index
            step.updated_at = now
        await uow.flush()
        await uow.commit()
        return step.goal_id, moved


async def drop_step(db: Database, coach_id: int, account_id: int, step_id: int,
                    now: datetime) -> tuple[int, bool] | None:
    """Drop a step (kept for the record, no longer shown). Returns (goal id, dropped now);
    a second tap changes nothing."""
    async with db.uow() as uow:
        step = await _owned_step(uow, coach_id, step_id)
        if step is None:
            return None
        dropped = step.status != StepStatus.DROPPED.value
        if dropped:
            step.status = StepStatus.DROPPED.value
            step.updated_at = now
            await uow.step_events.add(
                step_id=step.id, participant_id=step.participant_id,
                kind=StepEventKind.DROPPED.value, at=now, actor_account_id=account_id, data={},
            )
            uow.emit(StepChanged(step.id, now))
        await uow.commit()
        return step.goal_id, dropped


@dataclass(frozen=True)
class StepForEdit:
    step_id: int
    goal_id: int
    text: str
    due: date | None


async def start_edit(db: Database, coach_id: int, account_id: int, step_id: int,
                     now: datetime) -> StepForEdit | None:
    async with db.uow() as uow:
        step = await _owned_step(uow, coach_id, step_id)
        if step is None or step.status == StepStatus.DROPPED.value:
            return None
        participant = await uow.participants.get(step.participant_id)
        await _move(uow, account_id, "text", StepEditFlow(
            sid=step.id, owner=step.owner, hard=step.challenging,  # type: ignore[arg-type]
            name=participant.display_name if participant else ""), now)
        await uow.commit()
        return StepForEdit(step.id, step.goal_id, step.text, step.due_date)


async def edit_step(
    db: Database, coach_id: int, account_id: int, step_id: int, text: str | None,
    due: date | Literal["keep"] | None, now: datetime, *,
    owner: Literal["participant", "coach", "together"] | None = None,
    challenging: bool | None = None,
) -> int | None:
    """Change text, date, who does it and/or the challenging flag (None or "keep": unchanged);
    record an 'edited' event (which fields, dates and choices; never the text) and end the
    edit flow. Returns the goal id, None when refused."""
    async with db.uow() as uow:
        step = await _owned_step(uow, coach_id, step_id)
        await uow.flows.clear(account_id)
        if step is None:
            await uow.commit()
            return None
        changed: dict[str, Any] = {}
        if text is not None and text != step.text:
            step.text = text
            changed["text"] = True
        if due != "keep" and due != step.due_date:
            changed["from"] = step.due_date.isoformat() if step.due_date else None
            changed["to"] = due.isoformat() if due else None
            step.due_date = due
        if owner is not None and owner != step.owner:
            changed["owner"] = step.owner = owner
        if challenging is not None and challenging != step.challenging:
            changed["challenging"] = step.challenging = challenging
        if changed:
            step.updated_at = now
            await uow.step_events.add(
                step_id=step.id, participant_id=step.participant_id,
                kind=StepEventKind.EDITED.value, at=now, actor_account_id=account_id,
                data=changed,
            )
            uow.emit(StepChanged(step.id, now))
        await uow.commit()
        return step.goal_id


async def close_goal(
    db: Database, coach_id: int, account_id: int, goal_id: int,
    outcome: Literal["achieved", "stopped"], reason: str | None, now: datetime,
) -> bool:
    """Close an active goal; its open steps are dropped so nothing reminds about them.
    False when refused; a goal already closed stays as it was."""
    async with db.uow() as uow:
        goal = await _owned_goal(uow, coach_id, goal_id)
        await uow.flows.clear(account_id)
        if goal is None:
            await uow.commit()
            return False
        if goal.status == GoalStatus.ACTIVE.value:
            goal.status = outcome
            goal.closed_reason = reason
            goal.closed_at = now
            for step in await uow.steps.of_goal(goal.id):
                if step.status == StepStatus.OPEN.value:
                    step.status = StepStatus.DROPPED.value
                    step.updated_at = now
                    await uow.step_events.add(
                        step_id=step.id, participant_id=step.participant_id,
                        kind=StepEventKind.DROPPED.value, at=now, actor_account_id=account_id,
                        data={"goal_closed": outcome},
                    )
                    uow.emit(StepChanged(step.id, now))
            await uow.audit.record(
                at=now, actor_account_id=account_id, action=f"goal.{outcome}",
                subject_type="participant", subject_id=goal.participant_id,
                details={"goal_id": goal.id},
            )
            # An achieved goal earns its card through the GoalClosed reaction.
            uow.emit(GoalClosed(goal.id, goal.participant_id, outcome, now))
        await uow.commit()
        return True


async def owns_goal(db: Database, coach_id: int, goal_id: int) -> bool:
    async with db.uow() as uow:
        return await _owned_goal(uow, coach_id, goal_id) is not None


async def start_close(db: Database, coach_id: int, account_id: int, goal_id: int,
                      now: datetime) -> bool:
    async with db.uow() as uow:
        goal = await _owned_goal(uow, coach_id, goal_id)
        if goal is None or goal.status != GoalStatus.ACTIVE.value:
            return False
        await _move(uow, account_id, "reason", GoalCloseFlow(gid=goal.id), now)
        await uow.commit()
        return True

