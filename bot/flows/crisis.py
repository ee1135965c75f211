"""The route in a crisis (issue 13): who to call, and telling the coach.

`route` reads what the /hulp screen shows. `phrase_typed` is for a clear crisis phrase typed
to the bot: the same route, one audit row and one participant event `crisis_phrase` (ids and
the moment only: no text is stored, and nothing goes into the evaluation data; the coach's
digest and the card list when), and one message to the coach inside the coach's working hours
(outbox kind `crisis_notice`, at most one per participant and day, and never a second one
while one is still waiting for the coach's working hours).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.core import crisis, org_settings
from bot.core.crisis import CRISIS_NOTICE, CrisisNoticePayload
from bot.core.digest import next_work_moment
from bot.flows.digest import schedule_of, zone_or_default
from bot.storage.db import Database
from bot.storage.models import OutboxStatus, ParticipantStatus
from bot.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Route:
    coach_name: str | None = None
    coach_phone: str | None = None
    local: list[org_settings.CrisisNumber] = field(default_factory=list)
    coach_told: bool = False  # a message to the coach is in the outbox


async def _route_in(uow: UnitOfWork, participant_id: int | None) -> Route:
    if participant_id is None:
        return Route()
    participant = await uow.participants.get(participant_id)
    if participant is None:
        return Route()
    coach = await uow.coaches.get(participant.coach_id)
    org = await uow.organisations.get(participant.organisation_id)
    settings = org.settings if org is not None else {}
    phone = coach.phone if coach is not None and org_settings.coach_phone_visible(settings) \
        else None
    return Route(coach.display_name if coach else None, phone,
                 org_settings.crisis_numbers(settings))


async def route(db: Database, participant_id: int | None) -> Route:
    async with db.uow() as uow:
        return await _route_in(uow, participant_id)


async def phrase_typed(db: Database, participant_id: int, now: datetime) -> Route:
    """A crisis phrase from a participant: the route, and the coach told in working hours."""
    async with db.uow() as uow:
        shown = await _route_in(uow, participant_id)
        participant = await uow.participants.get(participant_id)
        if participant is None:
            return shown
        told = False
        coach = await uow.coaches.get(participant.coach_id)
        account = await uow.accounts.get(coach.account_id) \
            if coach is not None and coach.account_id is not None else None
        if (coach is not None and coach.active and account is not None and account.reachable
                and participant.status != ParticipantStatus.ENDED.value):
            # The coach's own working hours (set with the digest), in the coach's zone.
            schedule = schedule_of(coach, zone_or_default(account.timezone, uow.defaults.timezone))
            day = now.astimezone(schedule.tz).date().isoformat()
            due = next_work_moment(schedule, now)
            waiting = [r for r in await uow.outbox.of_account_with_prefix(
                account.id, crisis.notice_prefix(participant_id))
                if r.kind == CRISIS_NOTICE and r.status == OutboxStatus.PENDING.value]
            if not waiting:  # a notice still waiting for working hours tells this one too
                await uow.outbox.queue(
                    account.id, CrisisNoticePayload(participant_id=participant_id,
                                                    coach_id=coach.id),
                    due_at=due, key=crisis.notice_key(participant_id, day), now=now)
            told = True
        await uow.participant_events.record(participant_id, crisis.CRISIS_EVENT, now)
        await uow.audit.record(at=now, actor_account_id=participant.account_id,
                               action="crisis.route_shown", subject_type="participant",
                               subject_id=participant_id, details={"coach_told": told})
        await uow.commit()
        return Route(shown.coach_name, shown.coach_phone, shown.local, coach_told=told)


async def _notices_follow(uow: UnitOfWork, participant_id: int, from_coach_id: int,
                          to_coach_id: int, now: datetime) -> None:
    """After a handover a crisis notice still waiting for the old coach's working hours goes
    to the new coach instead, within theirs (the old coach's would be skipped). Does not
    commit."""
    old, new = await uow.coaches.get(from_coach_id), await uow.coaches.get(to_coach_id)
    if old is None or old.account_id is None or new is None or new.account_id is None:
        return
    account = await uow.accounts.get(new.account_id)
    if account is None or not account.reachable:
        return  # the new coach's digest and card still list it
    schedule = schedule_of(new, zone_or_default(account.timezone, uow.defaults.timezone))
    waiting = [row for row in await uow.outbox.of_account_with_prefix(
        old.account_id, crisis.notice_prefix(participant_id)) if row.kind == CRISIS_NOTICE]
    await uow.outbox.hand_over(waiting, account.id,
                               CrisisNoticePayload(participant_id=participant_id,
                                                   coach_id=new.id),
                               next_work_moment(schedule, now), now)
