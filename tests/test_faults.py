"""Faults, each survived: the Bot API answering 429, 5xx, 403, timing out or resetting the
connection (the fake Bot API at the HTTP boundary), and the database unavailable, read-only or
full during operation (real SQLite / PostgreSQL, faults injected at the connection pool).
Nothing is lost: every due message is sent exactly once in the end, and an update that failed
is answered with "try again" and handled when it comes again."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import time as monotonic
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from telegram.error import NetworkError, TimedOut

from bot.storage.models import OutboxMessage, Step
from tests.support.builders import StepSpec
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory
from tests.test_outbox_dispatch import TUESDAY, USER, at_local, dispatcher, rows, setup

FATIMA = TgUser(id=USER, first_name="Fatima", language_code="nl")
SORRY_UPDATE = "Sorry, er ging bij ons iets mis. Probeer het zo nog een keer."


async def _due_reminder(db: Any, clock: Any) -> None:
    await setup(db, clock, [StepSpec("Bel de woningcorporatie", due=TUESDAY + timedelta(2))])
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    await _mark_due(db, clock)


def _sends(api: FakeBotAPI) -> list[Any]:
    """Messages Telegram accepted and the person has (failed attempts leave none)."""
    return sorted((m for m in api.messages.values() if m.chat_id == USER),
                  key=lambda m: m.message_id)


DUE: dict[int, list[int]] = {}


async def _mark_due(db: Any, clock: Any) -> list[int]:
    """The ids of the rows due now: the messages that must arrive."""
    due = [r.id for r in await rows(db) if r.status == "pending" and r.due_at <= clock.now()]
    assert due
    DUE[id(db)] = due
    return due


async def _sent_rows(db: Any) -> list[str]:
    due = DUE[id(db)]
    return [r.status for r in await rows(db) if r.id in due]


async def _tick_until_sent(app: Any, db: Any, clock: Any, api: FakeBotAPI, ticks: int = 8
                           ) -> None:
    for _ in range(ticks):
        await dispatcher(app).tick()
        if "pending" not in await _sent_rows(db):
            break
        clock.advance(hours=1)  # past any backoff (capped at one hour)


@pytest.mark.parametrize("fault", ["502", "500", "timeout", "reset"])
async def test_a_send_that_fails_in_transport_or_on_the_server_is_retried_and_sent_once(
    fault: str, app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    await _due_reminder(db, clock)
    if fault in ("502", "500"):
        telegram_api.fail_next("sendMessage", int(fault), "Internal Server Error")
    elif fault == "timeout":
        telegram_api.raise_next("sendMessage", TimedOut("Timed out"))
    else:
        telegram_api.raise_next("sendMessage", NetworkError(
            "httpx.RemoteProtocolError: Server disconnected without sending a response."))
    await dispatcher(app).tick()
    assert _sends(telegram_api) == []  # the one attempt failed
    (row,) = [r for r in await rows(db) if r.id in DUE[id(db)]]
    assert row.status == "pending" and row.due_at > clock.now()  # backing off, not lost
    await _tick_until_sent(app, db, clock, telegram_api)
    assert len(_sends(telegram_api)) == 1
    assert await _sent_rows(db) == ["sent"]


async def test_a_429_gives_the_row_back_until_retry_after_and_holds_the_pace(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    """PTB does not retry an outbox send (that retry would go outside the shared pace): the
    row comes back after retry_after without costing an attempt, and no send slot starts
    before then, for any process."""
    await _due_reminder(db, clock)
    telegram_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 2",
                           {"retry_after": 2})
    ticked = monotonic.monotonic()
    await dispatcher(app).tick()
    assert monotonic.monotonic() - ticked < 1.0  # not waited for inside PTB
    assert _sends(telegram_api) == []
    assert len(telegram_api.calls_to("sendMessage")) == 1  # and not retried by PTB
    (row,) = [r for r in await rows(db) if r.id in DUE[id(db)]]
    assert row.status == "pending" and row.attempts == 0  # a rate limit costs no attempt
    assert row.due_at >= clock.now() + timedelta(seconds=2)
    loop_now = asyncio.get_running_loop().time()
    next_slot = await dispatcher(app).pacer.reserve()
    assert next_slot >= loop_now + 1.5  # held (the rest of the 2 s after the 429)
    clock.advance(seconds=3)
    await _tick_until_sent(app, db, clock, telegram_api)
    assert len(_sends(telegram_api)) == 1 and await _sent_rows(db) == ["sent"]


async def test_a_direct_answer_hit_by_a_429_is_still_retried_by_ptb(
    app: Any, updates: UpdateFactory, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    """Only the outbox skips PTB's rate limiter: an answer to a person's own command is
    retried after the second Telegram asked for."""
    await setup(db, clock, [StepSpec("Bel de woningcorporatie")])
    telegram_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1",
                           {"retry_after": 1})
    started = monotonic.monotonic()
    await app.process_update(updates.command(FATIMA, "stappen"))
    assert monotonic.monotonic() - started >= 1.0
    assert "Bel de woningcorporatie" in _sends(telegram_api)[-1].text


async def test_403_marks_the_person_unreachable_and_stops(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    await _due_reminder(db, clock)
    telegram_api.blocked_chats.add(USER)
    await dispatcher(app).tick()
    assert await _sent_rows(db) == ["failed"]
    async with db.uow() as uow:
        account = await uow.accounts.by_telegram_user(USER)
        assert account is not None and account.reachable is False


@pytest.mark.parametrize("fault", ["502", "timeout"])
async def test_a_direct_answer_that_fails_is_handled_when_the_update_comes_again(
    fault: str, app: Any, updates: UpdateFactory, db: Any, clock: Any,
    telegram_api: FakeBotAPI
) -> None:
    await setup(db, clock, [StepSpec("Bel de woningcorporatie")])
    if fault == "502":
        telegram_api.fail_next("sendMessage", 502, "Bad Gateway")
    else:
        telegram_api.raise_next("sendMessage", TimedOut("Timed out"))
    update = updates.command(FATIMA, "stappen")
    await app.process_update(update)
    # The list did not arrive; the error handler's "try again" did.
    assert [c.text for c in _sends(telegram_api)] == [SORRY_UPDATE]
    await app.process_update(update)  # Telegram (or the person) sends it again
    assert "Bel de woningcorporatie" in _sends(telegram_api)[-1].text


@contextmanager
def database_fault(db: Any, fault: str) -> Iterator[None]:
    """While inside: every connection taken from the pool fails (the server is gone), or
    SQLite refuses writes (`query_only`: a read-only file). A full disk is a real one: below.
    The hook stays installed and sets `query_only` OFF again afterwards, also on connections a
    background dispatcher tick still held while the fault was on."""
    engine = db.engine.sync_engine
    state = {"on": True}

    def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if fault == "unavailable":
            if state["on"]:
                raise OperationalError("connect", {}, ConnectionRefusedError("database gone"))
            return
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA query_only = {'ON' if state['on'] else 'OFF'}")
        cursor.close()

    event.listen(engine, "checkout", on_checkout)
    try:
        yield
    finally:
        state["on"] = False


async def _step_status(db: Any, step_id: int) -> str:
    async with db.uow() as uow:
        return str((await uow.session.execute(select(Step.status).where(Step.id == step_id))
                    ).scalar_one())


def _faults(db: Any) -> list[str]:
    return ["unavailable"] + (["read-only"] if not db.is_postgres else [])


async def test_database_faults_during_an_update_ask_to_try_again_and_lose_nothing(
    app: Any, updates: UpdateFactory, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    _, (step,) = await setup(db, clock, [StepSpec("Bel de woningcorporatie")])
    await app.process_update(updates.command(FATIMA, "stappen"))
    for fault in _faults(db):
        await app.process_update(updates.command(FATIMA, "stappen"))
        press = updates.press(FATIMA, f"std:{step}:0")
        with database_fault(db, fault):
            await app.process_update(press)
        answer = telegram_api.last("answerCallbackQuery").params.get("text")
        assert answer == "Sorry, dat lukte niet. Probeer het nog een keer.", fault
        assert await _step_status(db, step) == "open", fault
        # The person tries again, as asked (a new press: the first one was answered).
        await app.process_update(updates.press(FATIMA, f"std:{step}:0"))
        assert await _step_status(db, step) == "done", fault
        async with db.uow() as uow:  # open again for the next fault
            found = await uow.session.get(Step, step)
            found.status, found.done_at = "open", None
            await uow.commit()



async def test_database_unavailable_during_a_dispatch_loses_no_message(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    await _due_reminder(db, clock)
    with database_fault(db, "unavailable"), pytest.raises(OperationalError):
        await dispatcher(app).tick()
    assert _sends(telegram_api) == [] and await _sent_rows(db) == ["pending"]
    await _tick_until_sent(app, db, clock, telegram_api)
    assert len(_sends(telegram_api)) == 1 and await _sent_rows(db) == ["sent"]


async def test_no_message_lost_over_all_send_faults(
    app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI
) -> None:
    """Five reminders due while Telegram fails in every way at once: all five sent, once."""
    await setup(db, clock, [StepSpec(f"Stap {n}", due=TUESDAY + timedelta(2))
                            for n in range(5)])
    clock.set(at_local(TUESDAY + timedelta(1), 9, 1))
    await _mark_due(db, clock)
    telegram_api.fail_next("sendMessage", 502, "Bad Gateway")
    telegram_api.raise_next("sendMessage", TimedOut("Timed out"))
    telegram_api.raise_next("sendMessage", NetworkError("Connection reset by peer"))
    await _tick_until_sent(app, db, clock, telegram_api, ticks=12)
    statuses = await _sent_rows(db)
    assert statuses and set(statuses) == {"sent"}
    # A bundle's buttons name its steps ("✓ Stap 3"): each step in exactly one sent message.
    sent_steps = [b["text"] for m in _sends(telegram_api)
                  for row in (m.reply_markup or {}).get("inline_keyboard", []) for b in row
                  if b["text"].startswith("✓ Stap ")]
    assert sorted(sent_steps) == [f"✓ Stap {n}" for n in range(5)]
    assert len(await rows(db)) >= 5 and OutboxMessage is not None


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MiB file system (tmpfs), where the disk really runs full. Needs the right to
    mount (root in the CI container); skipped otherwise."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=False)


async def test_a_full_disk_under_sqlite_asks_to_try_again_and_loses_nothing(
    small_disk: Path, db: Any, settings: Any, clock: Any, telegram_api: FakeBotAPI,
    catalogs: Any
) -> None:
    if db.is_postgres:
        pytest.skip("SQLite only")
    from bot.bootstrap import build_services
    from bot.telegram.app import build_application

    path = small_disk / "bot.sqlite3"
    shutil.copyfile(str(db.engine.url.database), path)
    on_small_disk = build_services(
        settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{path}"}),
        clock=clock, catalogs=catalogs)
    full_db = on_small_disk.db
    app = build_application(on_small_disk, request=telegram_api)
    try:
        async with app:
            updates = UpdateFactory(app.bot, telegram_api)
            _, (step,) = await setup(full_db, clock, [StepSpec("Bel de woningcorporatie")])
            await app.process_update(updates.command(FATIMA, "stappen"))
            ballast = small_disk / "ballast"
            handle = os.open(ballast, os.O_WRONLY | os.O_CREAT)
            with contextlib.suppress(OSError):  # fill the disk to the last byte
                while os.write(handle, b"\0" * 4096):
                    pass
            os.close(handle)
            await app.process_update(updates.press(FATIMA, f"std:{step}:0"))
            answer = telegram_api.last("answerCallbackQuery").params.get("text")
            assert answer == "Sorry, dat lukte niet. Probeer het nog een keer."
            assert await _step_status(full_db, step) == "open"
            ballast.unlink()  # room again
            await app.process_update(updates.press(FATIMA, f"std:{step}:0"))
            assert await _step_status(full_db, step) == "done"
    finally:
        await full_db.dispose()
