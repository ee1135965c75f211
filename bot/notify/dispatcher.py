"""The outbox dispatcher: claim due people, decide at the moment of sending, pace, send, record.

Ticked by PTB's JobQueue (bot/notify/jobs.py). A claim takes ALL due rows of a person, and no
other process claims that person while the claim lives, so what decides a message's right to go
out (daily cap, quiet hours, pause, reachability, the step still open) is read right before it is
sent and counts everything sent or in flight, with any number of processes. Many people are in
flight at once; the sends themselves are paced evenly through one pace for the installation
(`bot/notify/pacing.py`). Claims are renewed while the sender lives and taken over only when they
stop being renewed (the process is gone). A row is marked sent right after Telegram accepted it,
so a kill -9 repeats at most the messages that were in flight at that moment.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.clock import Clock
from bot.core import digest as digest_rules
from bot.core import meetings as meeting_rules
from bot.core import reminders as plan
from bot.core import trajectory
from bot.core.brug_invites import BRUG_INVITE
from bot.core.events import LessonsChanged
from bot.core.privacy import PRIVACY_NOTICE
from bot.flows import brug_invites, rewards
from bot.flows import digest as digest_flow
from bot.flows.reminders import lesson_series, person_of
from bot.flows.requests import open_for_coach
from bot.i18n import using_locale
from bot.notify import coach_notices, meeting_notices
from bot.notify.drawing import draw_card
from bot.notify.pacing import Pacer, paced_send, pacer_for, wait_for
from bot.render.card import CardPicture
from bot.storage.db import Database
from bot.storage.models import (
    Account,
    OutboxStatus,
    Participant,
    ParticipantStatus,
    Step,
    StepStatus,
)
from bot.storage.repositories.outbox import PER_CHAT_GAP
from bot.storage.repositories.privacy import empty_payloads
from bot.storage.uow import UnitOfWork
from bot.ui.screens import digest as digest_text
from bot.ui.screens import handover as handover_screen
from bot.ui.screens import lessons, nudges, plan_notice
from bot.ui.screens.brug_invite import render_brug_invite
from bot.ui.screens.cards import card_texts, render_card_notice
from bot.ui.screens.farewell import render_farewell
from bot.ui.screens.privacy_notice import render_privacy_notice
from bot.ui.screens.rewards import render_reward_earned

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Messages to a coach: no participant checks, the coach's own settings instead.
COACH_KINDS = frozenset({digest_rules.DIGEST, digest_rules.PUSH})
# People per claim, and how few may still wait for a send slot before the next claim: a
# process holds only what it sends in about the next second (at a third of Telegram's rate), so
# decisions are fresh when sent and the next claim is done before the last one is used up.
BATCH_PEOPLE = 8
LOW_WATER = 4
# Decided longer ago than this (seconds) when the send slot comes: decide again first, this
# long before the slot.
RECHECK_AFTER = 2.0
RECHECK_LEAD = 0.3
# Slots missed in a row (a very busy process) before sending at the last one, late or not.
MAX_SLOT_TRIES = 10
# Steps beyond one message's MAX_BUNDLED wait this long (then the daily cap decides again).
REST_AFTER = timedelta(hours=3)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)


@dataclass(frozen=True)
class Claimed:
    """A claimed row as plain values: no ORM object lives across a network call."""

    id: int
    account_id: int
    kind: str
    key: str
    payload: dict[str, object]
    attempts: int
    due_at: datetime


@dataclass
class Stats:
    sent: int = 0
    rows_sent: int = 0
    skipped: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    rate_limited: int = 0

    def add(self, other: Stats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Decision:
    """What to do with one bundle, decided from stored state at send time."""

    chat_id: int = 0
    text: str = ""  # a picture's caption when `picture` is set
    markup: InlineKeyboardMarkup | None = None
    picture: CardPicture | None = None  # drawn at send time, off the event loop
    send_ids: list[int] = field(default_factory=list)
    skip: dict[int, str] = field(default_factory=dict)  # row id -> reason
    defer_until: datetime | None = None
    defer_ids: list[int] = field(default_factory=list)
    defer_reason: str = "deferred"


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def backoff(attempts: int) -> timedelta:
    delay = BACKOFF_BASE * (2 ** max(0, attempts - 1))
    return min(delay, BACKOFF_CAP)


class Dispatcher:
    def __init__(self, db: Database, clock: Clock, bot: Bot, *, worker: str | None = None,
                 batch_size: int = BATCH_PEOPLE, claim_timeout: timedelta = timedelta(seconds=60),
                 max_rounds: int = 2000, pacer: Pacer | None = None,
                 max_in_flight: int = 60) -> None:
        self.db = db
        self.clock = clock
        self.bot = bot
        self.worker = (worker or default_worker_id())[:64]
        self.batch_size = batch_size  # people per claim
        self.claim_timeout = claim_timeout
        self.max_rounds = max_rounds
        self.max_in_flight = max_in_flight  # people being served at once
        self.pacer: Pacer = pacer if pacer is not None else pacer_for(db)
        # Until when (event-loop time) our claims surely still count as alive for others: a
        # sender past it (the database was unreachable, renewals failed) does not send.
        self._fresh_until = 0.0
        self._held: set[int] = set()  # ids of the rows being served: the claims we renew
        self._reaped_at: float | None = None  # event-loop time of the last reap_stale
        self._turn = asyncio.Lock()  # whose turn it is to reserve this process's next slot
        self._waiting = 0  # people in hand still waiting for their first send slot
        self._slot_taken = asyncio.Event()
        # One tick at a time per process (the JobQueue's timer and wake-ups share it).
        self._lock = asyncio.Lock()
        self._again = False
        self._woken: set[asyncio.Task[Stats]] = set()

    def wake(self) -> None:
        """Something is due now (a card, a notice): tick now instead of at the next interval.
        A running tick goes round once more instead."""
        if self._lock.locked():
            self._again = True
            return
        task = asyncio.get_running_loop().create_task(self._woken_tick())
        self._woken.add(task)
        task.add_done_callback(self._woken.discard)

    async def _woken_tick(self) -> Stats:
        try:
            return await self.tick()
        except Exception as error:  # the timer's next tick tries again; nothing is lost
            log.warning("woken outbox tick failed: %s", type(error).__name__)
            return Stats()

    async def settle(self) -> None:
        """Wait until the ticks started by wake() are done (tests, shutdown)."""
        while self._woken:
            await asyncio.gather(*self._woken)

    async def tick(self) -> Stats:
        """Send what is due, until nothing is due; once more when woken meanwhile."""
        async with self._lock:
            stats = Stats()
            self._again = True
            renewing = asyncio.get_running_loop().create_task(self._keep_claims_alive())
            try:
                while self._again:
                    self._again = False
                    stats.add(await self._tick_once())
            finally:
                renewing.cancel()
                await asyncio.gather(renewing, return_exceptions=True)
            return stats

    async def _tick_once(self) -> Stats:
        """Claim a few people and serve them; claim the next few when fewer than LOW_WATER of
        them still wait for their send slot, until nothing is due (bounded). So a process holds
        only what it sends in about the next second: decisions are fresh when sent, and a
        process that dies leaves few claims behind."""
        stats = Stats()
        serving: set[asyncio.Task[None]] = set()
        loop = asyncio.get_running_loop()
        self._reaped_at = None  # every tick starts by putting abandoned claims back
        try:
            for _ in range(self.max_rounds):
                if len(serving) >= self.max_in_flight:
                    await asyncio.wait(serving, return_when=asyncio.FIRST_COMPLETED)
                    continue
                people = await self._claim_and_decide(stats)
                if not people:
                    if not serving:
                        break
                    # Someone's claim ends soon; their newly due rows may be claimable then.
                    await asyncio.wait(serving, return_when=asyncio.FIRST_COMPLETED)
                    continue
                for person in people:
                    task = loop.create_task(self._serve(person, stats))
                    serving.add(task)
                    task.add_done_callback(serving.discard)
                await self._until_few_wait(serving)
        finally:
            if serving:  # never orphan a claim: finish what is in hand
                await asyncio.gather(*serving, return_exceptions=True)
        return stats

    async def _until_few_wait(self, serving: set[asyncio.Task[None]]) -> None:
        """Until fewer than LOW_WATER people wait for a send slot (or all are served)."""
        while self._waiting >= LOW_WATER and serving:
            self._slot_taken.clear()
            taken = asyncio.get_running_loop().create_task(self._slot_taken.wait())
            try:
                await asyncio.wait({*serving, taken}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                taken.cancel()

    async def _claim(self) -> list[Claimed]:
        """Claim due people (committed), without deciding: tests stand in for a process that
        claimed and then died."""
        async with self.db.uow() as uow:
            claimed = await self._claim_in(uow, self.clock.now())
            await uow.commit()
        return claimed

    async def _claim_in(self, uow: UnitOfWork, now: datetime) -> list[Claimed]:
        loop = asyncio.get_running_loop()
        reap_every = self.claim_timeout.total_seconds() / 4
        if self._reaped_at is None or loop.time() - self._reaped_at >= reap_every:
            await uow.outbox.reap_stale(now=now, claim_timeout=self.claim_timeout)
            self._reaped_at = loop.time()
        rows = await uow.outbox.claim_people(now=now, worker=self.worker,
                                             people=self.batch_size, postgres=uow.postgres)
        claimed = [Claimed(r.id, r.account_id, r.kind, r.dedupe_key, dict(r.payload),
                           r.attempts, r.due_at) for r in rows]
        if claimed:
            self._claims_renewed(loop.time())
        return claimed

    async def _claim_and_decide(self, stats: Stats) -> list[Held]:
        """One transaction: claim, decide every bundle from what is stored right now (a few
        queries for the whole batch), close what will not be sent."""
        now = self.clock.now()
        async with self.db.uow() as uow:
            claimed = await self._claim_in(uow, now)
            decided = await self._decide_in(uow, claimed, now, stats) if claimed else {}
            await uow.commit()
        return [Held(rows, decided) for rows in by_person(claimed)]

    def _claims_renewed(self, at: float) -> None:
        # Others take a claim over only after claim_timeout without renewal; stop sending well
        # before that, so a claim taken over is never sent by us as well.
        self._fresh_until = max(self._fresh_until, at + self.claim_timeout.total_seconds() * 0.6)

    async def _keep_claims_alive(self) -> None:
        every = max(0.05, self.claim_timeout.total_seconds() / 4)
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(every)
            started = loop.time()
            try:
                async with self.db.uow() as uow:
                    await uow.outbox.renew(sorted(self._held), self.worker, self.clock.now())
                    await uow.commit()
            except Exception as error:  # the database is away: _fresh_until runs out
                log.warning("renewing outbox claims failed: %s", type(error).__name__)
                continue
            self._claims_renewed(started)

    async def _serve(self, person: Held, stats: Stats) -> None:
        """One person's claimed rows: bundle after bundle, at least PER_CHAT_GAP apart."""
        rows = person.rows
        self._held.update(r.id for r in rows)
        closed: set[int] = set()
        try:
            await self._serve_bundles(person, closed, stats)
        finally:
            self._held.difference_update(r.id for r in rows)
            unfinished = [r for r in rows if r.id not in closed]
            if unfinished:
                await self._give_back_unfinished(unfinished)

    async def _give_back_unfinished(self, rows: list[Claimed]) -> None:
        """Rows still claimed after serving (an error, renewals lost): pending again after a
        backoff, so they are neither held forever nor retried in a tight loop."""
        try:
            now = self.clock.now()
            attempts = max(r.attempts for r in rows)
            async with self.db.uow() as uow:
                await uow.outbox.release([r.id for r in rows], self.worker,
                                         now + backoff(attempts), "unfinished")
                await uow.commit()
        except Exception as error:  # not renewed any more: others take them over
            log.warning("giving back outbox rows failed: %s", type(error).__name__)

    async def _serve_bundles(self, person: Held, closed: set[int], stats: Stats) -> None:
        last_sent: float | None = None
        loop = asyncio.get_running_loop()
        waiting = person.sends  # counted in _waiting until their first slot comes
        if waiting:
            self._waiting += 1
        try:
            for bundle in bundles(person.rows):
                at, decision = person.decided[bundle[0].id]
                closed.update(i for i in (r.id for r in bundle) if i not in decision.send_ids)
                if not decision.send_ids:
                    continue
                try:
                    if last_sent is not None:  # a further message to them: the per-chat gap
                        await asyncio.sleep(max(0.0, last_sent + PER_CHAT_GAP.total_seconds()
                                                - loop.time()))
                    async with self._turn:
                        decision = await self._until_slot(bundle, at, decision, closed, stats)
                    if waiting:
                        waiting = False
                        self._waiting -= 1
                        self._slot_taken.set()
                    if not decision.send_ids:
                        continue
                    if loop.time() > self._fresh_until:
                        # Our claims may have expired for the others (renewals failed): leave
                        # the rows to whoever takes them over rather than risk sending twice.
                        log.warning("outbox claims not renewed in time; not sending")
                        return
                    sent = await self._send(bundle, decision, stats)
                    closed.update(decision.send_ids)  # sent, failed or given back: closed
                    if sent:
                        last_sent = loop.time()
                except Exception as error:  # one person's trouble never stops the others
                    log.warning("outbox bundle failed: %s", type(error).__name__)
        finally:
            if waiting:
                self._waiting -= 1
                self._slot_taken.set()

    async def _until_slot(self, bundle: Sequence[Claimed], at: float, decision: Decision,
                          closed: set[int], stats: Stats) -> Decision:
        """Reserve a send slot and sleep until it. Called under `_turn`: a process holds one
        slot at a time, so the processes' slots interleave and each has only about
        rate / processes x latency messages in flight. Woken too late for it (the process was
        busy), take a new one rather than send late: a late send bunches up with the next
        ones. A decision that would be old by then is made again just before the slot."""
        loop = asyncio.get_running_loop()
        for attempt in range(MAX_SLOT_TRIES):
            slot = await self.pacer.reserve()
            if slot - at > RECHECK_AFTER:
                # A step may have been done meanwhile.
                await asyncio.sleep(max(0.0, slot - RECHECK_LEAD - loop.time()))
                decision = await self._decide_again(bundle, decision, closed, stats)
                at = loop.time()
                if not decision.send_ids:
                    return decision  # this slot stays unused: one gap in the pace
            if await wait_for(slot) or attempt == MAX_SLOT_TRIES - 1:
                break  # on time (or a machine this busy: late at the last one)
        return decision

    async def _decide_again(self, bundle: Sequence[Claimed], decision: Decision,
                            closed: set[int], stats: Stats) -> Decision:
        again = [r for r in bundle if r.id in decision.send_ids]
        now = self.clock.now()
        async with self.db.uow() as uow:
            fresh = (await self._decide_in(uow, again, now, stats))[again[0].id][1]
            await uow.commit()
        closed.update(i for i in (r.id for r in again) if i not in fresh.send_ids)
        return fresh

    async def _decide_in(self, uow: UnitOfWork, rows: Sequence[Claimed], now: datetime,
                         stats: Stats) -> dict[int, Decided]:
        """Decide every bundle of these rows from what is stored right now (a few queries for
        the whole batch); close what will not be sent. Keyed by each bundle's first row id."""
        at = asyncio.get_running_loop().time()
        decided: dict[int, Decided] = {}
        known = await Known.load(uow, rows, now)
        for bundle in bundles(rows):
            decision = await decide(uow, bundle, now, known)
            await self._close_unsent(uow, decision, now, stats)
            decided[bundle[0].id] = (at, decision)
            # Rendering a batch takes a while: let this process's sends go out on time between.
            await asyncio.sleep(0)
        return decided

    async def _send(self, bundle: Sequence[Claimed], decision: Decision, stats: Stats) -> bool:
        now = self.clock.now()
        try:
            if decision.picture is not None:
                # Tens of milliseconds of Pillow, in a worker process (bot/notify/drawing.py).
                png = await draw_card(decision.picture)
                with paced_send():
                    await self.bot.send_photo(decision.chat_id, photo=png,
                                              caption=decision.text, reply_markup=decision.markup)
            else:
                with paced_send():
                    await self.bot.send_message(decision.chat_id, decision.text,
                                                reply_markup=decision.markup)
        except Forbidden:
            await self._blocked(bundle[0].account_id, decision.send_ids, now)
            stats.blocked += 1
            return False
        except RetryAfter as exc:
            # Telegram wants the bot to wait: the rows come back after retry_after, and no
            # process sends before then (the shared pace holds).
            wait = _retry_after(exc)
            await self._release(decision.send_ids, now + wait, "retry_after", refund=True)
            await self.pacer.hold(wait.total_seconds())
            stats.rate_limited += 1
            return False
        except BadRequest as exc:
            log.warning("outbox rows %s refused by Telegram: %s", decision.send_ids,
                        type(exc).__name__)
            await self._finish(decision.send_ids, OutboxStatus.FAILED.value, now, "bad_request")
            stats.failed += 1
            return False
        except (NetworkError, TelegramError) as exc:
            log.info("outbox send failed: %s %s", type(exc).__name__, exc)
            attempts = max(r.attempts for r in bundle if r.id in decision.send_ids)
            if attempts >= MAX_ATTEMPTS:
                await self._finish(decision.send_ids, OutboxStatus.FAILED.value, now,
                                   type(exc).__name__)
                stats.failed += 1
            else:
                await self._release(decision.send_ids, now + backoff(attempts),
                                    type(exc).__name__)
                stats.retried += 1
            return False
        await self._sent(decision.send_ids, bundle, now)
        stats.sent += 1
        stats.rows_sent += len(decision.send_ids)
        return True

    async def _close_unsent(self, uow: UnitOfWork, decision: Decision, now: datetime,
                            stats: Stats) -> None:
        for reason in set(decision.skip.values()):
            ids = [i for i, r in decision.skip.items() if r == reason]
            await uow.outbox.finish(ids, self.worker, OutboxStatus.SKIPPED.value, now, reason)
            stats.skipped += len(ids)
        if decision.defer_ids and decision.defer_until is not None:
            await uow.outbox.release(decision.defer_ids, self.worker, decision.defer_until,
                                     decision.defer_reason, refund_attempt=True)
            stats.deferred += len(decision.defer_ids)

    async def _sent(self, ids: list[int], bundle: Sequence[Claimed], now: datetime) -> None:
        """Marked sent at once, each message on its own: a kill -9 repeats only the messages
        Telegram accepted in the last moment (one statement, no transaction around it)."""
        if not any(r.kind in (PRIVACY_NOTICE, plan.LESSON) for r in bundle if r.id in ids):
            async with self.db.single_statements() as uow:
                await uow.outbox.finish(ids, self.worker, OutboxStatus.SENT.value, now)
                await uow.commit()
            return
        async with self.db.uow() as uow:
            await uow.outbox.finish(ids, self.worker, OutboxStatus.SENT.value, now)
            # A notice holds a name that may be erased elsewhere: not kept once sent.
            await empty_payloads(uow.session, [r.id for r in bundle
                                               if r.kind == PRIVACY_NOTICE and r.id in ids])
            lesson = next((r for r in bundle if r.kind == plan.LESSON and r.id in ids), None)
            if lesson is not None:
                participant = await uow.participants.by_account(lesson.account_id)
                if participant is not None:
                    uow.emit(LessonsChanged(participant.id, now))  # the next one, a week on
            await uow.commit()

    async def _finish(self, ids: list[int], status: str, now: datetime, error: str) -> None:
        async with self.db.uow() as uow:
            await uow.outbox.finish(ids, self.worker, status, now, error)
            await uow.commit()

    async def _release(self, ids: list[int], due_at: datetime, error: str | None, *,
                       refund: bool = False) -> None:
        async with self.db.uow() as uow:
            await uow.outbox.release(ids, self.worker, due_at, error, refund_attempt=refund)
            await uow.commit()

    async def _blocked(self, account_id: int, ids: list[int], now: datetime) -> None:
        """403: they blocked the bot or deleted the chat. Stop writing; the coach hears of it."""
        async with self.db.uow() as uow:
            account = await uow.accounts.get(account_id)
            if account is not None:
                account.reachable = False
            await uow.outbox.finish(ids, self.worker, OutboxStatus.FAILED.value, now, "blocked")
            await uow.outbox.cancel_pending_of_account(
                account_id, [plan.REMIND, plan.CHECKIN, plan.LATER, plan.LESSON,
                             plan.WELCOME_BACK, *plan.PROMPT_KINDS])
            await uow.commit()
        log.info("account %s blocked the bot; marked unreachable", account_id)


Decided = tuple[float, Decision]  # (event-loop time of the decision, the decision)


@dataclass
class Held:
    """One person's claimed rows, decided."""

    rows: list[Claimed]
    decided: dict[int, Decided]  # by each bundle's first row id

    @property
    def sends(self) -> bool:
        return any(d.send_ids for _, d in self.decided.values())


def by_person(rows: Sequence[Claimed]) -> list[list[Claimed]]:
    people: dict[int, list[Claimed]] = {}
    for row in rows:
        people.setdefault(row.account_id, []).append(row)
    return list(people.values())


def _retry_after(exc: RetryAfter) -> timedelta:
    # PTB 22 warns that retry_after becomes a timedelta in v23; accept both.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


def bundles(rows: Sequence[Claimed]) -> list[list[Claimed]]:
    """One message per person for all their due reminders and check-ins; lessons and welcome
    backs go on their own."""
    nudges: dict[int, list[Claimed]] = {}
    out: list[list[Claimed]] = []
    for row in rows:
        if row.kind in plan.NUDGE_KINDS:
            if row.account_id not in nudges:
                nudges[row.account_id] = []
                out.append(nudges[row.account_id])
            nudges[row.account_id].append(row)
        else:
            out.append([row])
    return out


@dataclass
class Known:
    """What a whole batch needs, read in three queries instead of three per message."""

    people: dict[int, tuple[Account, Participant | None]]
    steps: dict[int, tuple[Step, str]]
    sent: dict[int, list[datetime]]

    @classmethod
    async def load(cls, uow: UnitOfWork, rows: Sequence[Claimed], now: datetime) -> Known:
        accounts = sorted({r.account_id for r in rows})
        step_ids = sorted({_step_id(r) for r in rows if r.kind in plan.NUDGE_KINDS})
        return cls(
            await uow.participants.with_accounts(accounts),
            await uow.steps.with_goal_texts(step_ids),
            await uow.outbox.sent_moments_of(accounts, plan.NUDGE_KINDS,
                                             now - timedelta(days=2)),
        )


def _step_id(row: Claimed) -> int:
    return int(str(row.payload.get("step_id", 0)))


async def decide(uow: UnitOfWork, bundle: Sequence[Claimed], now: datetime,
                 known: Known | None = None) -> Decision:
    """Does this still make sense now? Render it in the recipient's language if so."""
    decision = Decision()
    ids = [r.id for r in bundle]
    if max(r.attempts for r in bundle) > MAX_ATTEMPTS:
        # Claimed again and again without an answer (a crash while handling it): give up.
        decision.skip = dict.fromkeys(ids, "gave_up")
        return decision
    if known is None:
        known = await Known.load(uow, bundle, now)
    account, participant = known.people.get(bundle[0].account_id, (None, None))
    if account is None or not account.reachable:
        decision.skip = dict.fromkeys(ids, "unreachable")
        return decision
    if bundle[0].kind == PRIVACY_NOTICE:  # to a coach: no participant status to check
        with using_locale(account.locale or uow.defaults.locale):
            decision.chat_id, decision.send_ids = account.chat_id, ids
            decision.text = render_privacy_notice(bundle[0].payload)
        return decision
    if bundle[0].kind in COACH_KINDS:
        await _decide_for_coach(uow, decision, bundle[0], account, now)
        return decision
    if bundle[0].kind in plan.PROMPT_KINDS:
        await _decide_prompt(uow, decision, bundle[0], account, participant, now)
        return decision
    if bundle[0].kind in coach_notices.KINDS or bundle[0].kind in meeting_rules.KINDS:
        # Issue 13: to the coach within working hours; meetings on the participant's clock.
        row = bundle[0]
        said = (await coach_notices.decide_coach_notice(uow, row.kind, row.payload, account, now)
                if row.kind in coach_notices.KINDS else
                await meeting_notices.decide_meeting(uow, row.kind, row.payload, account,
                                                     participant, now))
        if isinstance(said, str):
            decision.skip = dict.fromkeys(ids, said)
        elif isinstance(said, datetime):
            decision.defer_until, decision.defer_ids = said, ids
        else:
            decision.chat_id = account.chat_id
            (decision.text, decision.markup), decision.send_ids = said, ids
        return decision
    if participant is None or participant.status != trajectory.status_for_kind(bundle[0].kind):
        decision.skip = dict.fromkeys(ids, "inactive")
        return decision
    person = person_of(participant, account)
    today = plan.local_today(now, person)
    if plan.is_paused(today, person):
        decision.skip = dict.fromkeys(ids, "paused")
        return decision
    local_now = now.astimezone(person.zone)
    if plan.in_quiet_hours(local_now.time(), person.quiet_start, person.quiet_end):
        decision.defer_until = plan.out_of_quiet(now, person)
        decision.defer_ids = ids
        return decision
    silent = plan.is_silent(participant.last_interaction_at, now)
    kind = bundle[0].kind
    locale = account.locale or uow.defaults.locale
    salt = account.id
    decision.chat_id = account.chat_id
    with using_locale(locale):
        if kind == trajectory.FAREWELL:
            decision.text, decision.send_ids = render_farewell(participant.display_name), ids
            return decision
        if kind == plan.WELCOME_BACK:
            if not silent:
                decision.skip = dict.fromkeys(ids, "answered")
                return decision
            steps = await uow.steps.of_participant(participant.id)
            overdue = [s for s in steps if _overdue(s.status, s.due_date, today)]
            decision.text, decision.markup = nudges.render_welcome_back(
                participant.display_name, len(overdue), today, salt)
            decision.send_ids = ids
            return decision
        if silent:
            # After a silence only the welcome back speaks, then quiet until they answer.
            decision.skip = dict.fromkeys(ids, "silent")
            return decision
        if kind == BRUG_INVITE:
            moment = str(bundle[0].payload.get("moment"))
            if await brug_invites.still_due(uow, participant, account, moment, now) is None:
                decision.skip = dict.fromkeys(ids, "filled_in")  # done meanwhile
                return decision
            decision.text, decision.markup = render_brug_invite(participant.display_name,
                                                                moment)
            decision.send_ids = ids
            return decision
        if kind == plan.LESSON:
            if not participant.lessons_enabled:
                decision.skip = dict.fromkeys(ids, "lessons_off")
                return decision
            number = int(str(bundle[0].payload.get("number", 0)))
            lesson = lesson_series().get(number, locale)
            decision.text, decision.markup = lessons.render_lesson(number, lesson)
            decision.send_ids = ids
            return decision
        _decide_nudges(decision, bundle, participant.id, participant.display_name, person,
                       today, now, salt, known, show_texts=participant.show_step_texts)
    return decision


def _decide_nudges(decision: Decision, bundle: Sequence[Claimed], participant_id: int,
                   name: str, person: plan.Person, today: date, now: datetime, salt: int,
                   known: Known, *, show_texts: bool = False) -> None:
    items: list[nudges.NudgeItem] = []
    seen: set[int] = set()
    rest: set[int] = set()
    for row in bundle:
        step_id = _step_id(row)
        step, goal_text = known.steps.get(step_id, (None, ""))
        if step is None or step.participant_id != participant_id \
                or step.status != StepStatus.OPEN.value:
            decision.skip[row.id] = "step_closed"
            continue
        planned_due = row.payload.get("due")
        due_iso = step.due_date.isoformat() if step.due_date else None
        if row.kind != plan.LATER and planned_due != due_iso:
            decision.skip[row.id] = "date_changed"
            continue
        if row.kind == plan.REMIND and step.due_date is not None and step.due_date < today:
            decision.skip[row.id] = "too_late"
            continue
        if step_id in rest or (step_id not in seen and len(seen) == nudges.MAX_BUNDLED):
            # One message shows at most MAX_BUNDLED steps: the rest stays pending for later,
            # never marked sent unseen.
            rest.add(step_id)
            decision.defer_ids.append(row.id)
            continue
        decision.send_ids.append(row.id)
        if step_id in seen:
            continue  # a reminder and a 'later' for one step: one line in the message
        seen.add(step_id)
        items.append(nudges.NudgeItem(step.id, row.kind, step.text, goal_text,
                                        step.due_date))
    if decision.defer_ids:
        decision.defer_until, decision.defer_reason = now + REST_AFTER, "bundle_full"
    if not decision.send_ids:
        return
    moments = known.sent.get(bundle[0].account_id, [])
    if plan.nudges_left_today(moments, person, now) == 0:
        for row_id in decision.send_ids + decision.defer_ids:
            decision.skip[row_id] = "daily_cap"
        decision.send_ids, decision.defer_ids = [], []
        return
    decision.text, decision.markup = nudges.render_nudges(name, items, today, salt,
                                                          show_texts=show_texts)


async def _decide_for_coach(uow: UnitOfWork, decision: Decision, row: Claimed,
                            account: Account, now: datetime) -> None:
    """The weekly digest and the pushes about requests, built from the state at send time."""
    coach_id = int(str(row.payload.get("coach_id", 0)))
    zone = account.timezone
    found = await uow.coaches.with_schedule(only=coach_id)
    if not found or found[0][1] != account.id:
        decision.skip = {row.id: "no_coach"}
        return
    coach = found[0][0]
    decision.chat_id = account.chat_id
    if row.kind == digest_rules.PUSH:
        schedule = digest_flow.schedule_of(coach, digest_flow.zone_or_default(zone, zone))
        start = digest_rules.next_work_moment(schedule, now)
        if start > now:  # the bot was down, or the hours changed: wait for working hours
            decision.defer_until, decision.defer_ids = start, [row.id]
            return
        found_requests = await open_for_coach(uow, coach_id, now)
        if not found_requests:
            decision.skip = {row.id: "handled"}
            return
        with using_locale(account.locale or uow.defaults.locale):
            page = digest_text.render_push(found_requests)
    else:
        if not coach.digest_enabled:
            decision.skip = {row.id: "digest_off"}
            return
        built = await digest_flow.build(uow, coach_id, now, zone)
        if built is None:
            decision.skip = {row.id: "no_coach"}
            return
        with using_locale(account.locale or uow.defaults.locale):
            page = digest_text.render_page(built, 0, weekly=True)
    decision.text, decision.markup, decision.send_ids = page.text, page.markup, [row.id]


def _overdue(status: str, due: date | None, today: date) -> bool:
    return status == StepStatus.OPEN.value and due is not None and due < today


async def _decide_prompt(uow: UnitOfWork, decision: Decision, row: Claimed, account: Account,
                         participant: Participant | None, now: datetime) -> None:
    """A card, plan notice or reward message: it follows from something that happened, so no
    daily cap and no silence rule; but quiet hours and a pause hold it back, never drop it."""
    ids = [row.id]
    if participant is None or participant.status in (ParticipantStatus.DECLINED.value,
                                                     ParticipantStatus.ENDED.value):
        decision.skip = dict.fromkeys(ids, "inactive")
        return
    person = person_of(participant, account)
    paused = participant.status == ParticipantStatus.PAUSED.value and (
        participant.paused_until is None or plan.is_paused(plan.local_today(now, person), person))
    if paused:
        decision.defer_until, decision.defer_ids = plan.after_pause(now, person), ids
        return
    if plan.in_quiet_hours(now.astimezone(person.zone).time(), person.quiet_start,
                           person.quiet_end):
        decision.defer_until, decision.defer_ids = plan.out_of_quiet(now, person), ids
        return
    decision.chat_id = account.chat_id
    with using_locale(account.locale or uow.defaults.locale):
        if row.kind == plan.CARD:
            card = await uow.cards.owned(int(str(row.payload.get("card_id", 0))), participant.id)
            if card is None:
                decision.skip = dict.fromkeys(ids, "gone")
                return
            coach = await uow.coaches.get(card.author_coach_id) if card.author_coach_id else None
            decision.picture = card_texts(card.kind, card.message, participant.display_name,
                                          coach.display_name if coach else None,
                                          card.created_at, account.timezone)
            decision.text, decision.markup = render_card_notice(
                participant.display_name, card.id)
        elif row.kind == plan.PLAN_NOTICE:
            coach = await uow.coaches.get(participant.coach_id)
            decision.text, decision.markup = plan_notice.render_plan_notice(
                str(row.payload.get("kind")), int(str(row.payload.get("steps", 0))),
                coach.display_name if coach else "")
        elif row.kind == plan.HANDOVER:
            # The coach of now: after two quick handovers the participant hears the last one.
            coach = await uow.coaches.get(participant.coach_id)
            decision.text = handover_screen.render_handover(participant.display_name,
                                                          coach.display_name if coach else "")
        else:
            decision.text, decision.markup = render_reward_earned(
                await rewards.overview_in(uow, participant.id, now))
    decision.send_ids = ids
