"""Every coach's weekly digest: built (and rendered) for 500 coaches x 20 participants.

    .venv/bin/python bench/bench_digest.py
    .venv/bin/python bench/bench_digest.py --postgres postgresql://postgres@127.0.0.1:5432/test

Seeds 10,000 participants with 20 steps each (200,000 steps) and a week of events (steps done,
moved, help asked, wishes to talk, lesson feedback, goals reached, Brug measurements), then
builds every digest one after the other, each in its own unit of work as the dispatcher does.
Prints the total time, the time per digest and the SQL statements per digest (counted with a
SQLAlchemy event listener), and the statements for a caseload of 3 and of 60 to show that the
count does not grow with the caseload. Target: <= 30 s in total, a constant count per coach.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, text

from bench.scratch import Scratch, services_for
from bot import i18n
from bot.flows import digest
from bot.storage.db import Database, create_engine
from bot.storage.migrate import upgrade
from bot.storage.models import (
    Account,
    BrugMeasurement,
    BrugScore,
    Coach,
    Goal,
    Organisation,
    Participant,
    ParticipantEvent,
    Step,
    StepEvent,
)
from bot.ui.screens.digest import render_page

ZONE = "Europe/Amsterdam"
BATCH = 5_000
GOALS_PER = 4
PILLARS = ("housing", "debts", "income", "health")
# Monday 7 December 2026, 08:30 in Amsterdam.
NOW = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)


async def _bulk(conn: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        await conn.execute(insert(model), rows[start:start + BATCH])


async def seed(db: Database, coaches: int, per_coach: int, steps_per: int,
               first_coach: int = 1, first_participant: int = 1) -> list[int]:
    """Coaches with `per_coach` participants each; ids given explicitly for speed."""
    week = NOW - timedelta(days=7)
    today = NOW.date()
    acc0 = first_coach * 100_000
    coach_ids = [first_coach + c for c in range(coaches)]
    people = coaches * per_coach
    async with db.engine.begin() as conn:
        if first_coach == 1:
            await conn.execute(insert(Organisation), [
                {"id": 1, "name": "Gemeente Bench", "settings": {}, "created_at": week}])
        await _bulk(conn, Account, [
            {"id": acc0 + c, "telegram_user_id": acc0 + c, "chat_id": acc0 + c,
             "role": "coach", "locale": "nl", "timezone": db.defaults.timezone,
             "created_at": week} for c in range(coaches)])
        await _bulk(conn, Coach, [
            {"id": coach_ids[c], "organisation_id": 1, "account_id": acc0 + c,
             "display_name": f"Coach {c}", "created_at": week} for c in range(coaches)])
        pa0 = acc0 + coaches
        p0 = first_participant
        await _bulk(conn, Account, [
            {"id": pa0 + p, "telegram_user_id": pa0 + p, "chat_id": pa0 + p,
             "role": "participant", "locale": "nl", "reachable": p % 97 != 0,
             "timezone": db.defaults.timezone, "created_at": week} for p in range(people)])
        await _bulk(conn, Participant, [
            {"id": p0 + p, "organisation_id": 1, "coach_id": coach_ids[p // per_coach],
             "account_id": pa0 + p, "display_name": f"Deelnemer {p}",
             "pseudonym": uuid.uuid4().hex[:16], "status": "ended" if p % 53 == 0 else "active",
             "consent_at": week - timedelta(days=90),
             "last_interaction_at": NOW - timedelta(days=p % 30),
             "ended_at": NOW - timedelta(days=3) if p % 53 == 0 else None,
             "created_at": week - timedelta(days=90)} for p in range(people)])
        g0 = p0 * GOALS_PER
        await _bulk(conn, Goal, [
            {"id": g0 + p * GOALS_PER + g, "participant_id": p0 + p,
             "text": f"Doel {g}: rust in de post", "pillars": [], "position": g,
             "status": "achieved" if (p + g) % 41 == 0 else "active",
             "closed_at": NOW - timedelta(days=2) if (p + g) % 41 == 0 else None,
             "created_at": week - timedelta(days=60)}
            for p in range(people) for g in range(GOALS_PER)])
        s0 = p0 * steps_per
        steps, events = [], []
        for p in range(people):
            for s in range(steps_per):
                sid = s0 + p * steps_per + s
                done = s % 5 == 4
                done_at = NOW - timedelta(hours=(p * 7 + s * 13) % 300) if done else None
                steps.append({
                    "id": sid, "goal_id": g0 + p * GOALS_PER + s % GOALS_PER,
                    "participant_id": p0 + p, "text": f"Stap {s}: bel de instantie",
                    "due_date": today + timedelta(days=s % 15 - 3), "owner": "participant",
                    "challenging": s % 7 == 0, "status": "done" if done else "open",
                    "done_at": done_at, "position": s, "created_by_role": "coach",
                    "help_asked_at": NOW - timedelta(days=1) if s == 3 and p % 11 == 0
                    else None, "created_at": week, "updated_at": week,
                })
                if done:
                    events.append({"step_id": sid, "participant_id": p0 + p, "kind": "done",
                                   "at": done_at, "data": {}})
                if s % 9 == 1:
                    for k in range(1 + (p % 3)):
                        events.append({"step_id": sid, "participant_id": p0 + p,
                                       "kind": "rescheduled", "at": week + timedelta(days=k),
                                       "data": {}})
            if len(steps) >= BATCH:
                await _bulk(conn, Step, steps)
                await _bulk(conn, StepEvent, events)
                steps, events = [], []
        await _bulk(conn, Step, steps)
        await _bulk(conn, StepEvent, events)
        pevents = []
        for p in range(people):
            pid = p0 + p
            pevents.append({"participant_id": pid, "kind": "lesson_feedback",
                            "at": NOW - timedelta(days=p % 6 + 1),
                            "data": {"number": p % 13, "lesson": "x",
                                     "verdict": "yes" if p % 2 else "no"}})
            if p % 17 == 0:
                pevents.append({"participant_id": pid, "kind": "contact_asked",
                                "at": NOW - timedelta(days=2), "data": {}})
        await _bulk(conn, ParticipantEvent, pevents)
        m0 = p0 * 2
        measurements, scores = [], []
        for p in range(people):
            taken = [("intake", week - timedelta(days=80))]
            if p % 5 == 0:
                taken.append(("extra", NOW - timedelta(days=1)))
            for n, (moment, at) in enumerate(taken):
                mid = m0 + p * 2 + n
                measurements.append({
                    "id": mid, "participant_id": p0 + p, "instrument_key": "brug-alphen",
                    "instrument_version": 1, "moment": moment, "filled_by": "together",
                    "started_at": at, "completed_at": at})
                scores.extend({"measurement_id": mid, "pillar_key": key,
                               "level": min(5, 2 + n + (i + p) % 2)}
                              for i, key in enumerate(PILLARS))
        await _bulk(conn, BrugMeasurement, measurements)
        await _bulk(conn, BrugScore, scores)
        if db.is_postgres:
            for table in ("accounts", "coaches", "participants", "goals", "steps",
                          "brug_measurements"):
                await conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"))
    async with db.engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
    return coach_ids


async def build_all(db: Database, coach_ids: list[int], statements: list[str]
                    ) -> tuple[float, list[float], list[int], int]:
    per_ms: list[float] = []
    counts: list[int] = []
    chars = 0
    began = time.perf_counter()
    for coach_id in coach_ids:
        statements.clear()
        start = time.perf_counter()
        async with db.uow() as uow:
            built = await digest.build(uow, coach_id, NOW, ZONE)
        assert built is not None
        chars += render(built)
        per_ms.append((time.perf_counter() - start) * 1000)
        counts.append(len(statements))
    return time.perf_counter() - began, per_ms, counts, chars


def render(built: digest.CoachDigest) -> int:
    """The first page, as the dispatcher sends it: its characters."""
    with i18n.using_locale(built.locale or "nl"):
        return len(render_page(built, 0, weekly=True).text)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--coaches", type=int, default=500)
    parser.add_argument("--per-coach", type=int, default=20)
    parser.add_argument("--steps-per", type=int, default=20)
    parser.add_argument("--postgres", metavar="ADMIN_URL",
                        help="run on PostgreSQL: a scratch database is created and dropped")
    args = parser.parse_args()

    scratch = await Scratch.open(args.postgres, "brug_bench_digest")
    url = scratch.url
    try:
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()
        db = services_for(url).db  # the translations too: the digest pages are rendered
        kind = "PostgreSQL" if db.is_postgres else "SQLite"
        began = time.perf_counter()
        people = args.coaches * args.per_coach
        coach_ids = await seed(db, args.coaches, args.per_coach, args.steps_per)
        small = await seed(db, 1, 3, args.steps_per, first_coach=args.coaches + 1,
                           first_participant=people + 1)
        large = await seed(db, 1, 60, args.steps_per, first_coach=args.coaches + 2,
                           first_participant=people + 4)
        print(f"{kind}: {args.coaches} coaches x {args.per_coach} participants = {people:,}, "
              f"{people * args.steps_per:,} steps, a week of events "
              f"(seeded in {time.perf_counter() - began:.1f} s)")
        statements: list[str] = []
        event.listen(db.engine.sync_engine, "before_cursor_execute",
                     lambda *a: statements.append(a[2]))
        total, per_ms, counts, chars = await build_all(db, coach_ids, statements)
        per_ms.sort()
        print(f"all {len(coach_ids)} digests built and rendered: {total:.1f} s in total "
              f"(target <= 30 s); per digest median {statistics.median(per_ms):.1f} ms, "
              f"p95 {per_ms[int(len(per_ms) * 0.95)]:.1f} ms; "
              f"first page {chars / len(coach_ids):.0f} characters on average")
        print(f"SQL statements per digest: min {min(counts)}, max {max(counts)}")
        for label, ids in (("3", small), ("60", large)):
            _, _, counted, _ = await build_all(db, ids, statements)
            print(f"caseload of {label}: {counted[0]} SQL statements")
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        await db.dispose()
    finally:
        await scratch.close()


if __name__ == "__main__":
    asyncio.run(main())
