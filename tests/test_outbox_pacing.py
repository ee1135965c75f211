"""The send pace: slots evenly spaced and never made up for with a burst, the database clock
read with the round trip taken out, one slot per process at a time (so several processes'
slots interleave), and the outbox's sends kept out of PTB's own rate limiter."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.notify.dispatcher import Dispatcher
from bot.notify.pacing import LATE, ClockOffset, LocalPacer, wait_for
from tests.test_outbox_dispatch import TUESDAY
from tests.test_outbox_load import at_local, people_with_steps, queue_later


def test_the_clock_offset_comes_from_the_shortest_round_trip() -> None:
    clock = ClockOffset()
    # The database said 1000.0 while we waited 10.0 .. 10.002: offset 989.999.
    clock.add(sent=10.0, received=10.002, remote=1000.0)
    # A slow answer (a busy machine): taken at face value it would be off by 30 ms.
    clock.add(sent=20.0, received=20.080, remote=1010.010)
    assert clock.offset == pytest.approx(989.999)


async def test_local_slots_are_evenly_spaced_and_never_a_catch_up_burst() -> None:
    pacer = LocalPacer(rate=20.0)  # 50 ms apart
    loop = asyncio.get_running_loop()
    first = await pacer.reserve()
    second = await pacer.reserve()
    assert second - first == pytest.approx(0.05)
    await asyncio.sleep(0.2)  # idle: the slots missed meanwhile are not made up for
    third = await pacer.reserve()
    assert third >= loop.time() - 0.001
    fourth = await pacer.reserve()
    assert fourth - third == pytest.approx(0.05)


async def test_a_hold_moves_the_next_slot_past_it() -> None:
    pacer = LocalPacer(rate=20.0)
    loop = asyncio.get_running_loop()
    await pacer.hold(0.5)
    assert await pacer.reserve() >= loop.time() + 0.49


async def test_a_slot_woken_for_too_late_counts_as_missed() -> None:
    loop = asyncio.get_running_loop()
    assert await wait_for(loop.time() + 0.01) is True
    assert await wait_for(loop.time() - 2 * LATE) is False


class RecordingPacer:
    """Slots 0.1 s apart; records when each was reserved."""

    def __init__(self) -> None:
        self.reserved_at: list[float] = []
        self.slots: list[float] = []
        self.next = 0.0

    async def reserve(self) -> float:
        loop = asyncio.get_running_loop()
        self.reserved_at.append(loop.time())
        slot = max(loop.time(), self.next)
        self.next = slot + 0.1
        self.slots.append(slot)
        return slot

    async def hold(self, seconds: float) -> None:
        return None


async def test_a_process_holds_one_send_slot_at_a_time(
    app: Any, db: Any, clock: Any, telegram_api: Any
) -> None:
    """The next slot is reserved only when the one before has come: so with several processes
    the slots interleave, and each process has only its share of the messages in flight."""
    people = await people_with_steps(db, clock, 4, 1)
    clock.set(at_local(TUESDAY, 9, 0))
    for account_id, _, (step_id,) in people:
        await queue_later(db, account_id, step_id, clock.now(), clock.now())
    pacer = RecordingPacer()
    stats = await Dispatcher(db, clock, app.bot, worker="one", pacer=pacer).tick()
    assert stats.sent == 4
    assert len(pacer.slots) == 4
    for slot, next_reserved in zip(pacer.slots, pacer.reserved_at[1:], strict=False):
        assert next_reserved >= slot - 0.005


async def test_the_outbox_s_sends_skip_ptb_s_rate_limiter(
    app: Any, db: Any, clock: Any, telegram_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 429 on an outbox send is not retried inside PTB (test_faults shows the row comes
    back); a direct answer still is. Here: PTB's limiter is never entered for the outbox."""
    limiter = app.bot.rate_limiter
    entered: list[str] = []
    original = type(limiter).__mro__[1].process_request

    async def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        entered.append(args[3])  # endpoint
        return await original(self, *args, **kwargs)

    people = await people_with_steps(db, clock, 2, 1)
    clock.set(at_local(TUESDAY, 9, 0))
    for account_id, _, (step_id,) in people:
        await queue_later(db, account_id, step_id, clock.now(), clock.now())
    monkeypatch.setattr(type(limiter).__mro__[1], "process_request", spy)
    assert (await Dispatcher(db, clock, app.bot, worker="one").tick()).sent == 2
    assert entered == []
    await app.bot.send_message(people[0][1], "direct")
    assert entered == ["sendMessage"]


async def test_each_message_is_marked_sent_right_after_its_own_send(
    app: Any, db: Any, clock: Any, telegram_api: Any
) -> None:
    """Not in a batch at the end: while the second person's slot has not come yet, the first
    person's row is already 'sent' (a kill -9 then repeats nothing of it)."""
    from tests.test_outbox_load import SlotsApart, outbox

    people = await people_with_steps(db, clock, 2, 1)
    clock.set(at_local(TUESDAY, 9, 0))
    for account_id, _, (step_id,) in people:
        await queue_later(db, account_id, step_id, clock.now(), clock.now())
    telegram_api.latency = 0.1
    dispatcher = Dispatcher(db, clock, app.bot, worker="one", pacer=SlotsApart(0.8))
    running = asyncio.get_running_loop().create_task(dispatcher.tick())
    await asyncio.sleep(0.5)  # the first sent (0.1 s), the second waits for its slot (0.8 s)
    assert [r.status for r in await outbox(db)] == ["sent", "claimed"]
    assert (await running).sent == 2
    assert [r.status for r in await outbox(db)] == ["sent", "sent"]
