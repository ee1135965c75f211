"""The cohort report on a big organisation: `python -m bot report` timed as a separate process.

    .venv/bin/python bench/bench_report.py                                   # SQLite, 10,000
    .venv/bin/python bench/bench_report.py --postgres postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/bench_report.py --participants 100000 --postgres postgresql://...

Seeds one organisation (bulk inserts; seeding is not what is measured) with `participants`
participants: 2 goals with pillars and confidence, 20 steps each (half done, a quarter
reward-tagged), one completed Brug measurement of 8 pillars (one pillar left empty now and then)
and a second one for half of them, a card for every third. Then runs the report command the
operator would run and prints its wall time and the peak memory (max RSS) of that process, plus
the time of the report's queries alone (in this process). Target (issue 11): <= 10 s for 10,000
participants on SQLite and PostgreSQL; 100,000 on PostgreSQL must complete.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from bench.scratch import Scratch, services_for  # noqa: E402
from bot.storage import models as m  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402

TOKEN = "123456789:TESTtokenTESTtokenTESTtokenTESTtok"
PILLARS = ("family_stability", "social_network", "housing", "education", "health", "debts",
           "savings", "income")
CHUNK = 2000


async def _bulk(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        # COPY: several times faster than multi-row INSERTs for a million rows.
        rows = _with_defaults(table, rows)
        columns = list(rows[0])
        raw = await conn.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(
            table.__tablename__, columns=columns,
            records=[tuple(_copy_value(row[c]) for c in columns) for row in rows])
        return
    for k in range(0, len(rows), 5000):
        await conn.execute(insert(table), rows[k:k + 5000])


def _with_defaults(table: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """COPY skips the model's Python-side defaults: add them as INSERT would."""
    defaults = {}
    for column in table.__table__.columns:
        if column.default is not None and column.name not in rows[0]:
            arg = column.default.arg
            defaults[column.name] = arg(None) if column.default.is_callable else arg
    return [{**defaults, **row} for row in rows] if defaults else rows


def _copy_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)  # UTCDateTime stores naive UTC
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


async def seed(db: Database, participants: int, steps_each: int) -> None:
    start = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    async with db.engine.begin() as conn:
        await conn.execute(insert(m.Organisation).values(
            id=1, name="Bench", settings={}, created_at=start, pseudonym_secret="0" * 64))
        await conn.execute(insert(m.Account).values(id=1, telegram_user_id=1, chat_id=1,
                                                    role="coach", created_at=start,
                                                    timezone=db.defaults.timezone))
        await conn.execute(insert(m.Coach).values(id=1, organisation_id=1, account_id=1,
                                                  display_name="Coach", created_at=start))
        measurement_id = score_id = 0
        for first in range(2, participants + 2, CHUNK):
            ids = range(first, min(participants + 2, first + CHUNK))
            await _bulk(conn, m.Account, [
                {"id": i, "telegram_user_id": 10_000 + i, "chat_id": 10_000 + i,
                 "role": "participant", "timezone": db.defaults.timezone,
                 "created_at": start} for i in ids if i % 10])
            statuses = ("active", "active", "active", "paused", "ended")
            await _bulk(conn, m.Participant, [
                {"id": i, "organisation_id": 1, "coach_id": 1,
                 "account_id": i if i % 10 else None, "display_name": f"P{i}",
                 "pseudonym": f"ps{i}", "status": statuses[i % 5] if i % 10 else "invited",
                 "ended_reason": "moved" if i % 5 == 4 and i % 10 else None,
                 "created_at": start + timedelta(minutes=i)} for i in ids])
            await _bulk(conn, m.Goal, [
                {"id": 2 * i + g, "participant_id": i, "text": "Doel",
                 "pillars": [PILLARS[(i + g) % 8], PILLARS[(i + 3 * g) % 8]][:1 + (i % 2)],
                 "confidence": 1 + (i + g) % 10, "created_at": start + timedelta(days=g)}
                for i in ids for g in range(2)])
            await _bulk(conn, m.Step, [
                {"id": (i - 2) * steps_each + s + 1, "goal_id": 2 * i + s % 2,
                 "participant_id": i, "text": "Stap", "position": s,
                 "status": "done" if s % 2 else "open",
                 "done_at": start + timedelta(days=s % 9, hours=3) if s % 2 else None,
                 "reward_kind": "digid" if s % 4 == 1 else None,
                 "created_at": start, "updated_at": start}
                for i in ids for s in range(steps_each)])
            measurements, scores = [], []
            for i in ids:
                for n in range(1 if i % 2 else 2):
                    measurement_id += 1
                    at = start + timedelta(days=180 * n)
                    measurements.append({
                        "id": measurement_id, "participant_id": i, "instrument_key": "brug-alphen",
                        "instrument_version": 1, "moment": "intake" if n == 0 else "six_months",
                        "filled_by": "together", "started_at": at, "completed_at": at})
                    for p, key in enumerate(PILLARS):
                        score_id += 1
                        level = None if (i + p) % 13 == 0 else 1 + (i * (p + 1) + n * p) % 5
                        scores.append({"id": score_id, "measurement_id": measurement_id,
                                       "pillar_key": key, "level": level})
            await _bulk(conn, m.BrugMeasurement, measurements)
            await _bulk(conn, m.BrugScore, scores)
            await _bulk(conn, m.Card, [
                {"participant_id": i, "kind": "coach", "message": "Goed", "created_at": start,
                 "dedupe_key": f"bench:{i}"} for i in ids if i % 3 == 0])
        if db.is_postgres:
            for table in ("organisations", "accounts", "coaches", "participants", "goals",
                          "steps", "brug_measurements", "brug_scores"):
                await conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"))
            await conn.execute(text("ANALYZE"))


def run_cli(url: str, out: Path) -> tuple[float, float]:
    env = {**os.environ, "BOT_TOKEN": TOKEN, "DATABASE_URL": url, "DATA_DIR": str(out)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", "report", "--org", "Bench", "--out", str(out)],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024  # MiB (ru_maxrss is KiB on Linux)


async def main(args: argparse.Namespace) -> None:
    scratch = await Scratch.open(args.postgres, "brug_bench_report")
    url = scratch.url
    try:
        db = services_for(url).db
        await upgrade(db.engine)
        kind = "PostgreSQL" if db.is_postgres else "SQLite"
        began = time.perf_counter()
        await seed(db, args.participants, args.steps)
        print(f"{kind}: seeded {args.participants:,} participants, "
              f"{args.participants * args.steps:,} steps, "
              f"{args.participants * 3 // 2:,} measurements in "
              f"{time.perf_counter() - began:.1f} s")
        from bot.flows.report import build_report

        began = time.perf_counter()
        await build_report(db, ["Bench"])
        queries = time.perf_counter() - began
        await db.dispose()
        seconds, peak = await asyncio.to_thread(run_cli, url, scratch.folder / "out")
        print(f"{kind}: report queries {queries:.2f} s (in process); "
              f"`python -m bot report` {seconds:.2f} s wall, peak RSS {peak:.0f} MiB")
    finally:
        await scratch.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=20, help="steps per participant")
    parser.add_argument("--postgres", metavar="ADMIN_URL",
                        help="run on PostgreSQL: a scratch database is created and dropped")
    asyncio.run(main(parser.parse_args()))
