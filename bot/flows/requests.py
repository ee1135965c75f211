"""Requests that reach the coach: a help request on a step, a wish to talk, a meeting the
participant cannot make (with another day, or "please call me").

Each is stored as an open request (a step's `help_asked_at`, a `contact_asked` event, a
`meeting_wish` event: bot/core/meetings.py) and
queues one push to the coach: a few minutes later, inside the coach's working hours, bundled
(the push names no request: the dispatcher reads the open ones at send time). The coach marks
a request handled on the participant's card; then it leaves the digest and the card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import digest as rules
from bot.core import meetings
from bot.core.events import TalkAsked
from bot.flows.digest import schedule_of, zone_or_default
from bot.storage.db import Database
from bot.storage.models import OutboxStatus, StepStatus
from bot.storage.uow import UnitOfWork

PENDING = OutboxStatus.PENDING.value
# A request waits this long so that what follows joins one push.
PUSH_BUNDLE = timedelta(minutes=3)
TALK_KINDS = ["contact_asked", "contact_handled"]



async def _push_to_coach(uow: UnitOfWork, participant_id: int, now: datetime,
                        default_zone: str | None = None) -> bool:
    """Queue (or join) the coach's next push about open requests. The push names no request
    itself: the dispatcher reads the open ones at send time. Does not commit."""
    participant = await uow.participants.get(participant_id)
    if participant is None:
        return False
    batch = await uow.coaches.with_schedule(only=participant.coach_id)
    if not batch:
        return False
    coach, account_id, zone_name = batch[0]
    if account_id is None:
        return False
    schedule = schedule_of(coach, zone_or_default(zone_name, default_zone or zone_name))
    pending = [r for r in await uow.outbox.of_accounts_kind([account_id], rules.PUSH,
                                                              since=now - timedelta(days=8))
               if r.status == PENDING]
    if pending:
        return True  # the push that is waiting will carry this request too
    due = rules.push_moment(schedule, now, PUSH_BUNDLE)
    await uow.outbox.queue(account_id, rules.PushPayload(coach_id=coach.id), due_at=due,
                           key=rules.push_key(coach.id, due), now=now)
    return True


async def _push_if_open(uow: UnitOfWork, participant_id: int, now: datetime) -> None:
    """After a handover: requests still open reach the new coach in a push too."""
    found = await _open_requests(uow, participant_id)
    if found.talk_asked_at is not None or found.help_steps or found.meeting_wishes:
        await _push_to_coach(uow, participant_id, now)


async def ask_for_contact(db: Database, participant_id: int, now: datetime) -> bool:
    """'I'd like to talk to my coach' (home menu or welcome back), in one transaction."""
    async with db.uow() as uow:
        asked = await _ask_for_contact(uow, participant_id, now)
        await uow.commit()
    return asked


async def _ask_for_contact(uow: UnitOfWork, participant_id: int, now: datetime) -> bool:
    """'I'd like to talk to my coach': an open request for the coach (one while it is open, so a
    second tap adds nothing) and a push within minutes in the coach's working hours. It is not
    contact: `last_interaction_at` stays, so the silence still shows. Does not commit."""
    participant = await uow.participants.get(participant_id)
    if participant is None:
        return False
    latest = await uow.participant_events.latest_of(participant_id, TALK_KINDS)
    if latest is None or latest.kind == "contact_handled":
        await uow.participant_events.record(participant_id, "contact_asked", now)
    uow.emit(TalkAsked(participant_id, now))  # the coach hears within minutes
    return True


@dataclass(frozen=True)
class OpenRequests:
    talk_asked_at: datetime | None
    help_steps: tuple[tuple[int, str], ...]  # (step id, text)
    meeting_wishes: tuple[meetings.Wish, ...] = ()


async def _open_requests(uow: UnitOfWork, participant_id: int) -> OpenRequests:
    events = await uow.participant_events.of_participant(participant_id)
    latest_talk = next((e for e in reversed(events) if e.kind in TALK_KINDS), None)
    talk = latest_talk.at if latest_talk is not None and latest_talk.kind == "contact_asked" \
        else None
    helps = tuple((s.id, s.text) for s in await uow.steps.of_participant(participant_id)
                  if s.status == StepStatus.OPEN.value and s.help_asked_at is not None)
    wishes = meetings.open_wishes(participant_id, [
        (e.kind, e.at, e.data) for e in events if e.kind in meetings.WISH_EVENTS])
    return OpenRequests(talk, helps, tuple(wishes.values()))


async def _mark_handled(uow: UnitOfWork, participant_id: int, what: str, step_id: int,
                       now: datetime) -> bool:
    """The coach handled a request: it leaves the digest and the card. `what` is "talk" or
    "help" (then `step_id`). False when there was nothing open (a second tap). Does not
    commit; the caller has checked the participant is the coach's."""
    if what == "talk":
        latest = await uow.participant_events.latest_of(participant_id, TALK_KINDS)
        if latest is None or latest.kind != "contact_asked":
            return False
        await uow.participant_events.record(participant_id, "contact_handled", now)
        return True
    step = await uow.steps.owned(step_id, participant_id)
    if step is None or step.help_asked_at is None:
        return False
    step.help_asked_at = None
    await uow.participant_events.record(participant_id, "help_handled", now,
                                        {"step_id": step_id})
    return True


@dataclass(frozen=True)
class CoachRequest:
    participant_id: int
    name: str
    talk: bool
    help_steps: tuple[str, ...]
    meeting_wishes: tuple[meetings.Wish, ...] = ()


async def open_for_coach(uow: UnitOfWork, coach_id: int, now: datetime
                         ) -> list[CoachRequest]:
    """Every open request of the coach's participants (who still take part), three statements
    whatever the caseload: what a push tells at the moment it is sent."""
    people = {pid: name for pid, name, status, *_ in await uow.digest.people(coach_id)
              if status not in rules.ENDED_STATUSES}
    talk: set[int] = set()
    wish_events: dict[int, list[tuple[str, datetime, dict[str, object]]]] = {}
    for pid, kind, at, data in await uow.digest.events(coach_id, now):
        if kind == "contact_asked":
            talk.add(pid)
        elif kind == "contact_handled":
            talk.discard(pid)
        elif kind in meetings.WISH_EVENTS:
            wish_events.setdefault(pid, []).append((kind, at, data))
    wishes = {pid: tuple(meetings.open_wishes(pid, found).values())
              for pid, found in wish_events.items()}
    helps: dict[int, list[str]] = {}
    for _sid, pid, text, status, _due, _done, help_at, *_ in await uow.digest.steps(
            coach_id, now, now.date()):
        if status == StepStatus.OPEN.value and help_at is not None:
            helps.setdefault(pid, []).append(text)
    found = [CoachRequest(pid, name, pid in talk, tuple(helps.get(pid, ())),
                          wishes.get(pid, ()))
             for pid, name in people.items() if pid in talk or pid in helps or wishes.get(pid)]
    return sorted(found, key=lambda r: (r.name.casefold(), r.participant_id))
