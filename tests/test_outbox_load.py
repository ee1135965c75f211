"""The outbox under load: a person is in one sender's hands at a time, so the daily cap holds
with several dispatchers and a slow Telegram; bundles are never split or cut; claims live as
long as their sender; an outage sends nothing twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy import update as sa_update

from bot.notify.dispatcher import Dispatcher
from bot.notify.pacing import Unpaced
from bot.storage.models import OutboxMessage, Participant
from bot.ui.screens import nudges
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI, html_to_plain

TUESDAY = date(2026, 3, 10)
ZONE = ZoneInfo("Europe/Amsterdam")


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


async def people_with_steps(db: Any, clock: Any, count: int, steps: int
                            ) -> list[tuple[int, int, list[int]]]:
    """(account id, chat id, step ids) for `count` participants with `steps` open steps."""
    world = await seed_coach(db, clock.now())
    found = []
    for n in range(count):
        pid = await seed_participant(db, world, clock.now(), name=f"P{n}",
                                     telegram_user_id=7000 + n)
        _, step_ids = await seed_goal(db, pid, clock.now(), "Doel",
                                      [StepSpec(f"Stap {n}-{s}") for s in range(steps)])
        async with db.uow() as uow:
            participant = await uow.participants.get(pid)
            found.append((participant.account_id, 7000 + n, step_ids))
    return found


async def queue_later(db: Any, account_id: int, step_id: int, due: datetime, now: datetime
                      ) -> None:
    """A 'later' reminder for one step (no date of its own to re-check), due at `due`."""
    async with db.uow() as uow:
        await uow.outbox.enqueue(account_id=account_id, kind="later", due_at=due,
                                 dedupe_key=f"step:{step_id}:later:{due.isoformat()}",
                                 payload={"step_id": step_id}, now=now)
        await uow.commit()


async def outbox(db: Any) -> list[OutboxMessage]:
    async with db.uow() as uow:
        found = list((await uow.session.execute(
            select(OutboxMessage).order_by(OutboxMessage.id))).scalars())
        uow.session.expunge_all()
        return found


def per_chat(api: FakeBotAPI) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in api.calls_to("sendMessage"))


async def test_two_dispatchers_and_a_slow_telegram_keep_the_daily_cap(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    """Four reminder moments for each person, two (fake) seconds apart, each message taking
    0.3 s to send, two dispatchers ticking all the time: never more than 2 messages a day."""
    people = await people_with_steps(db, clock, 6, 4)
    start = at_local(TUESDAY, 9, 0)
    clock.set(start)
    for account_id, _, steps in people:
        for n, step_id in enumerate(steps):
            await queue_later(db, account_id, step_id, start + timedelta(seconds=2 * n),
                              clock.now())
    telegram_api.latency = 0.3
    one = Dispatcher(db, clock, app.bot, worker="one", batch_size=2, pacer=Unpaced())
    two = Dispatcher(db, clock, app.bot, worker="two", batch_size=2, pacer=Unpaced())
    done = asyncio.Event()

    async def keep_ticking(dispatcher: Dispatcher) -> None:
        while not done.is_set():
            await dispatcher.tick()
            await asyncio.sleep(0.05)

    async def time_passes() -> None:
        for _ in range(40):  # one fake second every 0.1 s: rows fall due while others fly
            await asyncio.sleep(0.1)
            clock.advance(seconds=1)
        done.set()

    await asyncio.gather(keep_ticking(one), keep_ticking(two), time_passes())
    sent = per_chat(telegram_api)
    assert set(sent) == {chat for _, chat, _ in people}
    assert max(sent.values()) == 2, sent
    rows = await outbox(db)
    assert all(r.status in ("sent", "skipped") for r in rows)
    # Every step was either in a sent message or refused by the cap: nothing vanished.
    capped = [r for r in rows if r.status == "skipped"]
    assert capped and {r.last_error for r in capped} == {"daily_cap"}


async def test_twelve_steps_due_at_once_show_every_step_once_and_none_is_marked_unseen(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    [(account_id, chat, step_ids)] = await people_with_steps(db, clock, 1, 12)
    # This participant chose to see step texts in reminders, so the test can read which steps
    # each message shows (by default a reminder only counts them: tests/test_discreet_previews).
    async with db.uow() as uow:
        await uow.session.execute(sa_update(Participant).values(show_step_texts=True))
        await uow.commit()
    start = at_local(TUESDAY, 9, 0)
    clock.set(start)
    for step_id in step_ids:
        await queue_later(db, account_id, step_id, start, clock.now())
    # Claimed in batches of one person: all twelve rows still come in one claim.
    one = Dispatcher(db, clock, app.bot, worker="one", batch_size=1, pacer=Unpaced())
    stats = await one.tick()
    assert stats.sent == 1 and stats.rows_sent == nudges.MAX_BUNDLED
    first = html_to_plain(telegram_api.last("sendMessage").text)
    shown = [s for s in range(12) if f"Stap 0-{s}\n" in first + "\n"]
    assert shown == list(range(nudges.MAX_BUNDLED))
    waiting = [r for r in await outbox(db) if r.status == "pending"]
    assert len(waiting) == 12 - nudges.MAX_BUNDLED
    assert {r.last_error for r in waiting} == {"bundle_full"}
    assert all(r.due_at > clock.now() for r in waiting)
    clock.advance(hours=3)
    stats = await one.tick()
    assert stats.sent == 1 and stats.rows_sent == 12 - nudges.MAX_BUNDLED
    texts = [html_to_plain(c.text) for c in telegram_api.calls_to("sendMessage")]
    for s in range(12):
        assert sum(t.count(f"Stap 0-{s}\n") for t in texts) == 1, s
    assert all(r.status == "sent" for r in await outbox(db))
    assert per_chat(telegram_api) == {chat: 2}


async def test_a_slow_telegram_never_makes_a_live_sender_lose_its_claims(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    """Each call takes 0.3 s, six people one after the other take 1.8 s, the claim timeout is
    0.5 s: the sender renews its claims, so the other dispatcher takes over nothing."""
    people = await people_with_steps(db, clock, 6, 1)
    start = at_local(TUESDAY, 9, 0)
    clock.set(start)
    for account_id, _, (step_id,) in people:
        await queue_later(db, account_id, step_id, start, clock.now())
    telegram_api.latency = 0.3
    timeout = timedelta(seconds=0.5)
    slow = Dispatcher(db, clock, app.bot, worker="slow", batch_size=6, max_in_flight=6,
                      claim_timeout=timeout, pacer=SlotsApart(0.3))
    other = Dispatcher(db, clock, app.bot, worker="other", batch_size=6, claim_timeout=timeout,
                       pacer=Unpaced())
    running = asyncio.get_running_loop().create_task(slow.tick())
    taken_over = 0
    while not running.done():  # the clock follows real time; the other one keeps trying
        await asyncio.sleep(0.1)
        clock.advance(seconds=0.1)
        taken_over += (await other.tick()).sent
    assert (await running).sent == 6 and taken_over == 0
    assert per_chat(telegram_api) == {chat: 1 for _, chat, _ in people}


async def test_a_dead_sender_s_claims_are_taken_over_after_the_claim_timeout_setting(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    people = await people_with_steps(db, clock, 2, 1)
    clock.set(at_local(TUESDAY, 9, 0))
    for account_id, _, (step_id,) in people:
        await queue_later(db, account_id, step_id, clock.now(), clock.now())
    timeout = timedelta(seconds=20)
    dead = Dispatcher(db, clock, app.bot, worker="dead", claim_timeout=timeout)
    assert len(await dead._claim()) == 2  # then kill -9: never renewed
    alive = Dispatcher(db, clock, app.bot, worker="alive", claim_timeout=timeout)
    clock.advance(seconds=19)
    assert (await alive.tick()).sent == 0
    clock.advance(seconds=2)
    assert (await alive.tick()).sent == 2


async def test_an_outage_of_five_minutes_sends_nothing_twice(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    people = await people_with_steps(db, clock, 5, 1)
    clock.set(at_local(TUESDAY, 9, 0))
    for account_id, _, (step_id,) in people:
        await queue_later(db, account_id, step_id, clock.now(), clock.now())
    one = Dispatcher(db, clock, app.bot, worker="one", pacer=Unpaced())
    two = Dispatcher(db, clock, app.bot, worker="two", pacer=Unpaced())
    telegram_api.outage = True
    for _ in range(10):  # five minutes, both dispatchers ticking every 30 s
        await asyncio.gather(one.tick(), two.tick())
        clock.advance(seconds=30)
    telegram_api.outage = False
    for _ in range(20):  # the backoff runs out; then everything goes, once
        await asyncio.gather(one.tick(), two.tick())
        clock.advance(seconds=30)
    assert per_chat(telegram_api) == {chat: 1 for _, chat, _ in people}
    assert all(r.status == "sent" for r in await outbox(db))


class SlotsApart:
    """A pacer that spaces sends `gap` seconds apart, so one sender works a while."""

    def __init__(self, gap: float) -> None:
        self.gap = gap
        self.next = 0.0

    async def reserve(self) -> float:
        slot = max(asyncio.get_running_loop().time(), self.next)
        self.next = slot + self.gap
        return slot

    async def hold(self, seconds: float) -> None:
        return None
