"""The coach's digest and pushes: facts for a whole caseload, the weekly plan, requests.

Reading is a constant number of statements per coach (`storage/repositories/digest.py`); the
rules are in `core/digest.py`. Planning puts one outbox row per coach per ISO week (the UNIQUE
dedupe key makes several processes and restarts harmless); the dispatcher builds and renders
the digest at send time, so it always tells the state of that moment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import digest as rules
from bot.core import meetings
from bot.core.brug_moments import due_measurement
from bot.core.crisis import CRISIS_EVENT
from bot.flows.coach_cards import CardRefusal, CardSent, _store_coach_card
from bot.storage.db import Database
from bot.storage.models import Coach, GoalStatus, OutboxStatus, RewardStatus, StepStatus
from bot.storage.repositories.digest import DigestRepository
from bot.storage.uow import UnitOfWork

PENDING = OutboxStatus.PENDING.value
CLAIMED = OutboxStatus.CLAIMED.value


@dataclass(frozen=True)
class CoachDigest:
    """A digest with what rendering needs: the coach's language, zone and instrument."""

    coach_id: int
    locale: str | None
    zone: str
    instrument_key: str
    digest: rules.Digest


def schedule_of(coach: Coach, zone: str) -> rules.CoachSchedule:
    return rules.CoachSchedule(
        zone=zone, digest_enabled=coach.digest_enabled, digest_weekday=coach.digest_weekday,
        digest_time=coach.digest_time, work_days=rules.parse_work_days(coach.work_days),
        work_start=coach.work_start, work_end=coach.work_end,
    )


def zone_or_default(name: str | None, default: str) -> str:
    try:
        ZoneInfo(name or default)
    except (KeyError, ValueError):
        return default
    return name or default


async def caseload_facts(repo: DigestRepository, coach_id: int, since: datetime,
                         zone: str, today: date, only: int | None = None
                         ) -> rules.CaseloadFacts:
    """Seven statements whatever the caseload (see the repository); `only`: one participant."""
    people_rows = await repo.people(coach_id, only)
    invites: dict[int, tuple[datetime, datetime, bool]] = {}
    for pid, created, expires, is_open in await repo.invites(coach_id, only):
        invites[pid] = (created, expires, bool(is_open))  # ordered: the newest wins
    left: dict[int, datetime] = {}
    talk: dict[int, datetime] = {}
    feedback = []
    slipping: set[int] = set()
    wish_events: dict[int, list[tuple[str, datetime, dict[str, Any]]]] = {}
    crisis_at: dict[int, list[datetime]] = {}
    for pid, kind, at, data in await repo.events(coach_id, since, only):
        if kind in meetings.WISH_EVENTS:
            wish_events.setdefault(pid, []).append((kind, at, data))
        elif kind == CRISIS_EVENT:
            crisis_at.setdefault(pid, []).append(at)
        elif kind == "consent_declined":
            left[pid] = at
        elif kind == "contact_asked":
            talk[pid] = at
        elif kind == "contact_handled":
            talk.pop(pid, None)
        elif kind == "setback_offered":
            slipping.add(int(str(data.get("step_id", 0))))
        elif kind == "lesson_feedback":
            feedback.append(rules.Feedback(pid, int(str(data.get("number", 0))),
                                           str(data.get("verdict", "")), at))
    steps = tuple(
        rules.StepFacts(sid, pid, text, status, due, done_at, help_at, bool(challenging), owner,
                        int(moves or 0))
        for sid, pid, text, status, due, done_at, help_at, challenging, owner, moves
        in await repo.steps(coach_id, since, today, only)
    )
    goals = tuple(rules.GoalReached(pid, gid, text, at)
                  for pid, gid, text, at in await repo.goals_reached(coach_id, since, only))
    tz = ZoneInfo(zone)
    # participant -> measurements in order: (completed_at, moment, {pillar: level}, id)
    measured: dict[int, list[tuple[datetime, str, dict[str, int | None], int]]] = {}
    last_id: dict[int, int] = {}
    for pid, mid, moment, completed, pillar, level in await repo.brug(coach_id, only):
        series = measured.setdefault(pid, [])
        if last_id.get(pid) != mid:
            series.append((completed, moment, {}, mid))
            last_id[pid] = mid
        if pillar is not None:
            series[-1][2][pillar] = level
    ups: list[rules.PillarUp] = []
    for pid, series in measured.items():
        for (_, _, before, _), (at, _, after, mid) in pairwise(series):
            ups.extend(rules.PillarUp(pid, key, lo, hi, at, mid)
                       for key, lo, hi in rules.pillars_up(before, after))
    confirm: dict[int, int] = {}
    hand_out: dict[int, int] = {}
    for pid, status, step_status in await repo.rewards(coach_id, only):
        if status == RewardStatus.EARNED.value:
            hand_out[pid] = hand_out.get(pid, 0) + 1
        elif step_status == StepStatus.DONE.value:
            confirm[pid] = confirm.get(pid, 0) + 1
    people = []
    brug_due: dict[int, str] = {}
    for pid, name, status, reachable, last, created, consent, ended in people_rows:
        invite = invites.get(pid)
        people.append(rules.PersonFacts(
            pid, name, status, reachable, last, created,
            ended if status == "ended" else left.get(pid),
            invite[0] if invite else None, invite[1] if invite else None,
            invite[2] if invite else False,
        ))
        if status == "active":
            series = measured.get(pid, [])
            due = due_measurement(
                series[0][0].astimezone(tz).date() if series else None,
                {moment for _, moment, _, _ in series}, today,
                joined_on=(consent or created).astimezone(tz).date())
            if due is not None:
                brug_due[pid] = due.moment
    return rules.CaseloadFacts(
        people=tuple(people), steps=steps, talk_asked=talk, goals_reached=goals,
        pillars_up=tuple(ups), brug_due=brug_due, rewards_to_confirm=confirm,
        rewards_to_hand_out=hand_out, feedback=tuple(feedback),
        slipping_steps=frozenset(slipping),
        meeting_wishes={pid: tuple(meetings.open_wishes(pid, found).values())
                        for pid, found in wish_events.items()},
        crisis_at={pid: tuple(found) for pid, found in crisis_at.items()},
    )


async def build(uow: UnitOfWork, coach_id: int, now: datetime, default_zone: str, *,
                since: datetime | None = None) -> CoachDigest | None:
    """The digest of one coach for [since, now): by default the last 7 days, but not before
    the previous weekly digest. None when there is no such coach."""
    repo = uow.digest
    row = await repo.coach(coach_id)
    if row is None:
        return None
    _id, _account_id, zone_name, locale, instrument, previous = row
    zone = zone_or_default(zone_name, default_zone)
    if since is None:
        since, _ = rules.digest_window(now, previous)
    today = now.astimezone(ZoneInfo(zone)).date()
    facts = await caseload_facts(repo, coach_id, since, zone, today)
    return CoachDigest(coach_id, locale, zone, instrument,
                       rules.build_digest(facts, since, now, zone))


# --- planning the weekly digest -----------------------------------------------------------------


async def plan_digests(db: Database, now: datetime, default_zone: str) -> int:
    """The sweep's part for the digests, in one transaction."""
    async with db.uow() as uow:
        changed = await _plan_digests(uow, now, default_zone)
        await uow.commit()
    return changed


async def _plan_digests(uow: UnitOfWork, now: datetime, default_zone: str, *,
                        limit: int = 500) -> int:
    """Make sure every coach with the digest on has this week's (or next week's) row; move or
    cancel pending rows after a change of settings. Returns rows inserted or changed."""
    changed = 0
    after = 0
    for _ in range(1000):  # bounded: 500,000 coaches per sweep
        batch = await uow.coaches.with_schedule(after_id=after, limit=limit)
        if not batch:
            break
        after = batch[-1][0].id
        changed += await _plan_batch(uow, batch, now, default_zone)
    return changed


async def _replan_coach(uow: UnitOfWork, coach_id: int, now: datetime, default_zone: str
                       ) -> int:
    """After the coach changed the digest settings. Does not commit."""
    batch = await uow.coaches.with_schedule(only=coach_id)
    return await _plan_batch(uow, batch, now, default_zone)


async def _plan_batch(uow: UnitOfWork, batch: Sequence[Any], now: datetime,
                      default_zone: str) -> int:
    wanted: dict[int, tuple[int, rules.CoachSchedule]] = {}
    for coach, account_id, zone_name in batch:
        zone = zone_or_default(zone_name, default_zone)
        wanted[account_id] = (coach.id, schedule_of(coach, zone))
    rows = await uow.outbox.of_accounts_kind(list(wanted), rules.DIGEST, since=now
                                             - timedelta(days=15))
    by_account: dict[int, list[Any]] = {}
    for row in rows:
        by_account.setdefault(row.account_id, []).append(row)
    changed = 0
    inserts: list[tuple[int, rules.DigestPayload, datetime, str]] = []
    for account_id, (coach_id, schedule) in wanted.items():
        mine = by_account.get(account_id, [])
        taken = {r.dedupe_key for r in mine if r.status not in (PENDING,
                                                                 OutboxStatus.CANCELLED.value)}
        slot = rules.next_slot(coach_id, schedule, now, taken)
        if slot is None:
            changed += await uow.outbox.keep_one(mine, None, None)
            continue
        changed += await uow.outbox.keep_one(mine, slot.key, slot.due_at)
        if not any(r.dedupe_key == slot.key for r in mine):
            inserts.append((account_id, rules.DigestPayload(coach_id=coach_id), slot.due_at,
                            slot.key))
    # Two processes planning at once: the UNIQUE key keeps one row, the other insert is a no-op.
    changed += await uow.outbox.queue_many(inserts, now)
    return changed


@dataclass(frozen=True)
class ParticipantFlags:
    """One participant's part of the digest, for their card: what needs the coach, and every
    lesson feedback they gave (not only this week's)."""

    needs: tuple[rules.NeedItem, ...]
    feedback: tuple[tuple[int, str], ...]


async def _participant_flags(uow: UnitOfWork, coach_id: int, participant_id: int,
                            joined: datetime, now: datetime, zone: str) -> ParticipantFlags:
    today = now.astimezone(ZoneInfo(zone)).date()
    facts = await caseload_facts(uow.digest, coach_id, joined, zone, today, only=participant_id)
    found = rules.build_digest(facts, joined, now, zone)
    return ParticipantFlags(found.needs[0].items if found.needs else (),
                            found.resonated[0].items if found.resonated else ())


# --- use cases of the coach ---------------------------------------------------------------------


async def overview_now(db: Database, coach_id: int, actor_account_id: int, now: datetime,
                       default_zone: str, *, since: datetime | None = None,
                       until: datetime | None = None) -> CoachDigest | None:
    """/overzicht: the same digest on demand, for the last 7 days (or the window of a page
    being turned). The coach is evidently reachable again."""
    async with db.uow() as uow:
        moment = until or now
        built = await build(uow, coach_id, moment, default_zone,
                            since=since or moment - rules.WINDOW)
        if built is None:
            return None
        account = await uow.accounts.get(actor_account_id)
        if account is not None and not account.reachable:
            account.reachable = True
        await uow.audit.record(at=now, actor_account_id=actor_account_id,
                               action="digest.viewed", subject_type="coach", subject_id=coach_id)
        await uow.commit()
        return built


@dataclass(frozen=True)
class WinCard:
    """What a one-tap card from the digest names, for the text in the participant's language."""

    participant_id: int
    name: str
    locale: str | None
    win: str
    text: str  # goal or step text; for the Brug: pillar keys, comma separated
    instrument_key: str


async def send_win_card(db: Database, coach_id: int, participant_id: int, win: str, ref: int,
                        now: datetime, compose: Callable[[WinCard], str]
                        ) -> tuple[WinCard, CardSent | CardRefusal] | None:
    """One tap in the digest: a card naming the achievement, in one transaction. `compose`
    (from the presentation) writes the warm default text in the participant's language. The
    achievement is the card's nonce, so a second tap finds the card already sent. None when
    the button does not fit (not this coach's participant, or no such achievement)."""
    async with db.uow() as uow:
        found = await _win_for_card(uow, coach_id, participant_id, win, ref)
        if found is None:
            return None
        sent = await _store_coach_card(uow, coach_id, participant_id, compose(found)[:300],
                                       f"dg-{win}-{ref}", now)
        await uow.commit()
        return found, sent


async def _win_for_card(uow: UnitOfWork, coach_id: int, participant_id: int, win: str, ref: int
                        ) -> WinCard | None:
    """The achievement behind a "send a card" button, checked again: this coach's participant,
    and the goal / step / measurement is theirs and really is an achievement."""
    participant = await uow.participants.owned_by(participant_id, coach_id)
    if participant is None:
        return None
    contact = await uow.participants.contact(participant_id)
    locale = contact.locale if contact else None
    text = ""
    instrument = ""
    if win == rules.Win.GOAL:
        goal = await uow.goals.get(ref)
        if goal is None or goal.participant_id != participant_id \
                or goal.status != GoalStatus.ACHIEVED.value:
            return None
        text = goal.text
    elif win == rules.Win.STEP:
        step = await uow.steps.get(ref)
        if step is None or step.participant_id != participant_id \
                or step.status != StepStatus.DONE.value or not step.challenging:
            return None
        text = step.text
    else:
        series = await uow.brug.of_participant(participant_id)
        index = next((i for i, m in enumerate(series) if m.id == ref), None)
        if not index:  # not theirs, not completed, or the first measurement
            return None
        before = {s.pillar_key: s.level for s in await uow.brug.scores(series[index - 1].id)}
        after = {s.pillar_key: s.level for s in await uow.brug.scores(ref)}
        ups = rules.pillars_up(before, after)
        if not ups:
            return None
        text = ",".join(key for key, _, _ in ups)
        instrument = series[index].instrument_key
    return WinCard(participant_id, participant.display_name, locale, win, text, instrument)
