"""The coach's screens, timed through the real PTB Application with the test fake Bot API.

    .venv/bin/python bench/bench_coach.py [--participants 15] [--runs 20]

Prints: /deelnemers latency and SQL statements for a caseload of N (and of 100, to show the
query count does not grow), the card's latency, and the typical goal-action plan from the issue
(one goal, two steps): how many coach actions it takes, how much of it is typing, and how long
the bot itself spends on it. The two-minute target is for the person; the bot's share should be
a small fraction of it. SQLite in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from bot.bootstrap import build_services
from bot.config import load_settings
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.telegram.app import build_application
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.clock import FakeClock
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
TOKEN = "123456789:TESTtokenTESTtokenTESTtokenTESTtok"


async def seed(db: Database, clock: FakeClock, participants: int, first_user: int) -> int:
    world = await seed_coach(db, clock.now(), telegram_user_id=9001 + first_user)
    today = clock.now().date()
    for i in range(participants):
        pid = await seed_participant(db, world, clock.now(), name=f"Deelnemer {i}",
                                     telegram_user_id=first_user * 1000 + 10_000 + i)
        for g in range(3):
            await seed_goal(db, pid, clock.now(), f"Doel {g}", [
                StepSpec(f"Stap {s}", due=today + timedelta(days=s - 2)) for s in range(4)])
    return world.coach_id


async def timed(app: object, update: object, samples: list[float]) -> None:
    start = time.perf_counter()
    await app.process_update(update)  # type: ignore[attr-defined]
    samples.append((time.perf_counter() - start) * 1000)


async def main(participants: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
        settings = load_settings(_env_file=None, BOT_TOKEN=TOKEN, DATABASE_URL=url,
                                 DATA_DIR=tmp, BOT_USERNAME="BrugBenchBot")
        services = build_services(settings, clock=clock)
        db = services.db
        await upgrade(db.engine)
        api = FakeBotAPI()
        app = build_application(services, request=api)
        statements: list[str] = []
        event.listen(db.engine.sync_engine, "before_cursor_execute",
                     lambda *args: statements.append(args[2]))
        async with app:
            updates = UpdateFactory(app.bot, api)
            await seed(db, clock, participants, 0)
            samples: list[float] = []
            for _ in range(runs):
                statements.clear()
                await timed(app, updates.command(COACH, "deelnemers"), samples)
            per_list = len(statements)
            print(f"/deelnemers, {participants} participants x 3 goals x 4 steps: "
                  f"median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms, "
                  f"{per_list} SQL statements per update")
            card: list[float] = []
            for _ in range(runs):
                await timed(app, updates.tap(COACH, "Deelnemer 0"), card)
                await app.process_update(updates.tap(COACH, "Alle deelnemers"))
            print(f"participant card: median {statistics.median(card):.1f} ms, "
                  f"max {max(card):.1f} ms")

            # The typical plan of the issue: one goal, two steps.
            await app.process_update(updates.tap(COACH, "Deelnemer 0"))
            plan = [
                updates.tap(COACH, "Nieuw doel"),
                updates.text(COACH, "Rust in mijn geldzaken"),
                updates.text(COACH, "Dan slaap ik beter"),
            ]
            flow_ms: list[float] = []
            typed = taps = 0
            for update in plan:
                await timed(app, update, flow_ms)
            # Brug part and confidence on one screen; the if-then plan answers the obstacle
            # question; a step is its text and a date (who does it: a default, changed here
            # for the first step with one tap).
            script: list[tuple[str, str]] = [
                ("tap", "Schulden"), ("tap", "8"),
                ("text", "Als ik de brief niet snap, dan bel ik Sanne"),
                ("text", "Bel de bank voor een afspraak"), ("tap", "Deze week"),
                ("tap", "Samen"),
                ("text", "Map maken voor de post"), ("tap", "Volgende week"),
                ("tap", "Plan opslaan"),
            ]
            taps, typed = 1, 2
            for kind, value in script:
                if kind == "tap":
                    taps += 1
                    update = updates.tap(COACH, value)
                else:
                    typed += 1
                    update = updates.text(COACH, value)
                await timed(app, update, flow_ms)
            assert "Opgeslagen" in api.last("sendMessage").params["text"], "plan not saved"
            print(f"typical plan (1 goal, 2 steps): {taps + typed} coach actions "
                  f"({taps} taps, {typed} typed answers); bot time {sum(flow_ms):.0f} ms in all, "
                  f"median {statistics.median(flow_ms):.1f} ms per action")

            await seed(db, clock, 100 - participants, 1)
            statements.clear()
            other = TgUser(id=9002, first_name="Piet", language_code="nl")
            await app.process_update(updates.command(other, "deelnemers"))
            print(f"/deelnemers for a coach of {100 - participants}: {len(statements)} SQL "
                  f"statements per update (same as above: no query per participant)")
        await db.dispose()
    _ = date


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=15)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.participants, args.runs))
