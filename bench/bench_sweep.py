"""The planner sweep (every 15 minutes, one process per installation): how its cost grows with the
number of participants. Seeds 1,000 / 10,000 / 100,000 active participants (2 steps each, the
bench_tick seeding) in a fresh database, runs the sweep once to plan what is due, then times the
steady-state runs of each part: welcome backs and first lessons (`plan_sweep`), the coaches'
digests (`plan_digests`), the Brug invitations (`plan_invitations`).

    .venv/bin/python bench/bench_sweep.py                    # SQLite, 1k and 10k
    .venv/bin/python bench/bench_sweep.py --sizes 1000 10000 100000
    .venv/bin/python bench/bench_sweep.py --postgres postgresql://postgres@127.0.0.1:5432/bench_sweep

Exits 1 when one part's time per participant at the largest size is more than 3x that at the
smallest (the cost must stay linear or better), or a part takes longer than a sweep interval.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.bench_tick import seed
from bench.scratch import Scratch, services_for
from bot.flows.brug_invites import plan_invitations
from bot.flows.digest import plan_digests
from bot.flows.reminders import plan_sweep
from bot.storage.migrate import upgrade

SWEEP_INTERVAL_S = 15 * 60
RUNS = 3


async def measure(postgres: str | None, size: int) -> dict[str, float]:
    scratch = await Scratch.open(postgres, f"bench_sweep_{size}")
    db = services_for(scratch.url).db
    try:
        await upgrade(db.engine)
        await seed(db, size, 2)
        now = datetime.now(UTC)
        parts: dict[str, Callable[[], Awaitable[int]]] = {
            "plan_sweep": lambda: plan_sweep(db, now),
            "plan_digests": lambda: plan_digests(db, now, "Europe/Amsterdam"),
            "plan_invitations": lambda: plan_invitations(db, now),
        }
        for run in parts.values():
            await run()  # the first run plans; the sweep's steady state is what repeats
        best: dict[str, float] = {}
        for name, run in parts.items():
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                await run()
                times.append(time.perf_counter() - start)
            best[name] = min(times)
        return best
    finally:
        await db.dispose()
        await scratch.close()


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (default: SQLite)")
    args = parser.parse_args()
    engine = "PostgreSQL" if args.postgres else "SQLite"
    results: dict[int, dict[str, float]] = {}
    for size in args.sizes:
        results[size] = await measure(args.postgres, size)
        line = "  ".join(f"{name} {seconds * 1000:9.1f} ms ({seconds / size * 1e6:6.1f} us/p)"
                         for name, seconds in results[size].items())
        print(f"{engine} {size:>7,} participants: {line}", flush=True)
    failed = False
    small, large = min(results), max(results)
    for name in results[small]:
        per_small = results[small][name] / small
        per_large = results[large][name] / large
        if per_large > 3 * per_small or results[large][name] > SWEEP_INTERVAL_S:
            print(f"NOT MET: {name} {per_small * 1e6:.1f} -> {per_large * 1e6:.1f} us "
                  "per participant")
            failed = True
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
