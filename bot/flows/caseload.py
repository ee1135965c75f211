"""A coach's caseload: the overview, one participant's card, new participants and invites.

Every use case checks ownership through `participants.owned_by(pid, coach_id)` and writes an
audit entry (ids only) whenever a coach opens a participant's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.core import overview as rules
from bot.core.conversations import NewParticipantFlow
from bot.core.dates import local_today
from bot.core.overview import OverviewLine, ParticipantFacts, StepFacts
from bot.core.plan_input import NAME_MAX, TextProblem, clean_text
from bot.flows.digest import ParticipantFlags, _participant_flags
from bot.flows.invites import ParticipantInvite, _invite_participant, _revoke_participant_invites
from bot.flows.people import _create_participant
from bot.flows.pillars import pillar_labels
from bot.flows.requests import OpenRequests, _mark_handled, _open_requests
from bot.storage.db import Database
from bot.storage.models import GoalStatus, ParticipantStatus, StepEventKind
from bot.storage.uow import UnitOfWork

NEW_FLOW = NewParticipantFlow.flow


@dataclass(frozen=True)
class StepView:
    id: int
    text: str
    due_date: date | None
    owner: str
    status: str
    challenging: bool
    added_by_participant: bool
    rescheduled: bool
    help_asked: bool


@dataclass(frozen=True)
class GoalView:
    id: int
    text: str
    why: str | None
    pillars: tuple[str, ...]  # labels in the coach's language
    confidence: int | None
    obstacle: str | None
    if_then: str | None
    status: str
    closed_reason: str | None
    steps: tuple[StepView, ...]
    own_idea: bool = False  # the participant made this goal themselves


@dataclass(frozen=True)
class BrugSummary:
    completed_at: datetime
    moment: str
    levels: tuple[tuple[str, int | None], ...]  # (pillar label, step 1-5 or None = skipped)


@dataclass(frozen=True)
class ParticipantCard:
    line: OverviewLine
    goals: tuple[GoalView, ...]
    brug: BrugSummary | None
    invite_expires_at: datetime | None
    paused_until: date | None
    # The digest's flags for this person, all their lesson feedback, their open requests.
    flags: ParticipantFlags
    requests: OpenRequests


def _week_start_utc(now: datetime, zone: str) -> datetime:
    monday = rules.week_start(local_today(now, zone))
    return datetime.combine(monday, time(), ZoneInfo(zone)).astimezone(UTC)


async def list_participants(
    db: Database, coach_id: int, actor_account_id: int, now: datetime, zone: str
) -> list[OverviewLine]:
    """Two queries whatever the caseload: the participants, and their steps that count."""
    async with db.uow() as uow:
        people = [ParticipantFacts(*row) for row in await uow.participants.overview_rows(coach_id)]
        steps = [StepFacts(*row) for row in
                 await uow.steps.overview_rows(coach_id, _week_start_utc(now, zone))]
        await uow.audit.record(
            at=now, actor_account_id=actor_account_id, action="participants.listed",
            subject_type="coach", subject_id=coach_id,
        )
        await uow.commit()
    return rules.sorted_for_coach(rules.overview(people, steps, now, zone))


async def open_card(
    db: Database, coach_id: int, actor_account_id: int, participant_id: int, now: datetime,
    zone: str, locale: str,
) -> ParticipantCard | None:
    """The participant's card, or None when it is not this coach's participant."""
    async with db.uow() as uow:
        card = await _card(uow, coach_id, participant_id, now, zone, locale)
        if card is None:
            return None
        await uow.audit.record(
            at=now, actor_account_id=actor_account_id, action="participant.viewed",
            subject_type="participant", subject_id=participant_id,
        )
        await uow.commit()
        return card


async def _card(uow: UnitOfWork, coach_id: int, participant_id: int, now: datetime, zone: str,
                locale: str) -> ParticipantCard | None:
    participant = await uow.participants.owned_by(participant_id, coach_id)
    if participant is None:
        return None
    contact = await uow.participants.contact(participant_id)
    goals = await uow.goals.of_participant(participant_id, active_only=False)
    steps = await uow.steps.of_participant(participant_id)
    kinds = await uow.step_events.kinds_by_step(participant_id)
    org = await uow.organisations.get(participant.organisation_id)
    labels = _labels(org.instrument_key if org else "brug-alphen", locale)
    facts = ParticipantFacts(participant.id, participant.display_name, participant.status,
                             contact.reachable if contact else None,
                             participant.last_interaction_at)
    step_facts = [StepFacts(s.participant_id, s.status, s.due_date, s.done_at, s.help_asked_at)
                  for s in steps]
    line = rules.overview([facts], step_facts, now, zone)[0]
    views = []
    # Active goals first (in their order), then closed ones, newest first.
    ordered = [g for g in goals if g.status == GoalStatus.ACTIVE.value] + sorted(
        (g for g in goals if g.status != GoalStatus.ACTIVE.value),
        key=lambda g: (g.closed_at or g.created_at), reverse=True)
    for goal in ordered:
        goal_steps = tuple(
            StepView(
                id=s.id, text=s.text, due_date=s.due_date, owner=s.owner, status=s.status,
                challenging=s.challenging, added_by_participant=s.created_by_role == "participant",
                rescheduled=StepEventKind.RESCHEDULED.value in kinds.get(s.id, set()),
                help_asked=s.help_asked_at is not None and s.status == "open",
            )
            for s in steps if s.goal_id == goal.id and s.status != "dropped"
        )
        views.append(GoalView(
            id=goal.id, text=goal.text, why=goal.why,
            pillars=tuple(labels.get(key, key) for key in goal.pillars),
            confidence=goal.confidence, obstacle=goal.obstacle, if_then=goal.if_then,
            status=goal.status, closed_reason=goal.closed_reason, steps=goal_steps,
            own_idea=goal.created_by_account_id is not None
            and goal.created_by_account_id == participant.account_id,
        ))
    invite = None
    if participant.account_id is None:
        invite = await uow.invites.latest_open_for_participant(participant_id)
        if invite is not None and invite.expires_at <= now:
            invite = None  # shown as "no valid invite": the coach makes a new one
    flags = await _participant_flags(uow, coach_id, participant_id, participant.created_at,
                                    now, zone)
    return ParticipantCard(
        line=line, goals=tuple(views), brug=await _latest_brug(uow, participant_id, locale),
        invite_expires_at=invite.expires_at if invite else None,
        paused_until=participant.paused_until,
        flags=flags, requests=await _open_requests(uow, participant_id),
    )


def _labels(instrument_key: str, locale: str) -> dict[str, str]:
    try:
        return pillar_labels(instrument_key, locale)
    except ValueError:  # a missing instrument file must not hide the participant's card
        return {}


async def _latest_brug(uow: UnitOfWork, participant_id: int, locale: str) -> BrugSummary | None:
    measurements = await uow.brug.of_participant(participant_id)
    if not measurements:
        return None
    latest = measurements[-1]
    scores = {s.pillar_key: s.level for s in await uow.brug.scores(latest.id)}
    labels = _labels(latest.instrument_key, locale)
    order = list(labels) + [key for key in scores if key not in labels]
    levels = tuple((labels.get(key, key), scores[key]) for key in order if key in scores)
    assert latest.completed_at is not None
    return BrugSummary(latest.completed_at, latest.moment, levels)


@dataclass(frozen=True)
class NewParticipant:
    participant_id: int
    display_name: str
    invite: ParticipantInvite


async def add_participant(
    db: Database, coach_id: int, actor_account_id: int, raw_name: str, now: datetime
) -> NewParticipant | TextProblem | None:
    """A new participant and their one-time invite, in one unit of work, ending the /nieuw
    flow. None when that flow was already finished (the same message delivered twice)."""
    name = clean_text(raw_name, NAME_MAX)
    if isinstance(name, TextProblem):
        return name
    async with db.uow() as uow:
        new = await _add_participant(uow, coach_id, actor_account_id, name, now)
        await uow.commit()
        return new


async def _add_participant(uow: UnitOfWork, coach_id: int, actor_account_id: int, name: str,
                           now: datetime) -> NewParticipant | None:
    if await uow.flows.take(actor_account_id, NEW_FLOW) is None:
        return None
    participant_id = await _create_participant(uow, coach_id, name, now)
    invite = await _invite_participant(uow, participant_id, actor_account_id, now)
    return NewParticipant(participant_id, name, invite)


@dataclass(frozen=True)
class InviteRefused:
    """Not this coach's participant, or already linked (a new invite would mean nothing)."""


async def renew_invite(
    db: Database, coach_id: int, actor_account_id: int, participant_id: int, now: datetime
) -> NewParticipant | InviteRefused:
    async with db.uow() as uow:
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None or participant.account_id is not None:
            return InviteRefused()
        if participant.status != ParticipantStatus.INVITED.value:
            participant.status = ParticipantStatus.INVITED.value
        invite = await _invite_participant(uow, participant_id, actor_account_id, now)
        await uow.audit.record(
            at=now, actor_account_id=actor_account_id, action="invite.participant_renewed",
            subject_type="participant", subject_id=participant_id,
        )
        await uow.commit()
        return NewParticipant(participant_id, participant.display_name, invite)


async def revoke_invite(
    db: Database, coach_id: int, actor_account_id: int, participant_id: int, now: datetime
) -> int | InviteRefused:
    """How many open invites stopped working (0 on a second tap)."""
    async with db.uow() as uow:
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None:
            return InviteRefused()
        revoked = await _revoke_participant_invites(uow, participant_id, now)
        if revoked:
            await uow.audit.record(
                at=now, actor_account_id=actor_account_id, action="invite.participant_revoked",
                subject_type="participant", subject_id=participant_id,
            )
        await uow.commit()
        return revoked


async def handle_request(db: Database, coach_id: int, actor_account_id: int, participant_id: int,
                         what: str, step_id: int, now: datetime) -> bool | None:
    """The coach marks a wish to talk or a help request handled: it leaves the digest and the
    card. None when the participant is not this coach's; False when nothing was open."""
    async with db.uow() as uow:
        if await uow.participants.owned_by(participant_id, coach_id) is None:
            return None
        done = await _mark_handled(uow, participant_id, what, step_id, now)
        if done:
            await uow.audit.record(
                at=now, actor_account_id=actor_account_id, action=f"request.{what}_handled",
                subject_type="participant", subject_id=participant_id,
            )
        await uow.commit()
        return done
