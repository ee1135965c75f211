"""The outbox against a local fake Bot API that enforces Telegram's 30 messages/s.

    .venv/bin/python bench/bench_outbox.py [-n 3000] [--kill-after 1200] [--replan]
                                           [--participants 10000 --steps 20]

1. A fake Bot API HTTP server on 127.0.0.1 (asyncio, in a thread of this process) answers like
   Telegram and enforces 30 messages/s overall (token bucket: burst 30, 30/s) with
   429 + retry_after. It counts what every chat received.
2. `n` due reminders for `n` participants are seeded in a fresh SQLite file (or DATABASE_URL).
3. The bot runs as a subprocess: the real build_application (AIORateLimiter, HTML defaults),
   pointed at the fake via BOT_API_URL, ticking the real Dispatcher until nothing is due.
4. Run A: one clean run. Run B: the subprocess is killed with SIGKILL after `kill-after` messages
   and restarted; the restart picks up the killed process's claims after the claim timeout.
Prints messages/s, 429s, duplicates and losses per run. With --replan: 10,000 participants x 20
open steps, then re-plans one step and reports which rows it touched and how long it took.
Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from datetime import time as _time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "123456789:BENCHtokenBENCHtokenBENCHtokenBEN"
RATE = 30.0
CLAIM_TIMEOUT_S = 5.0


# --- the fake Bot API --------------------------------------------------------------------------


class FakeTelegram:
    """Minimal HTTP/1.1 keep-alive server speaking enough Bot API for the dispatcher."""

    def __init__(self) -> None:
        self.received: Counter[int] = Counter()
        self.too_many = 0
        self.times: list[float] = []
        self.tokens = RATE
        self.last = time.monotonic()
        self.lock = threading.Lock()
        self.port = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.message_id = 0

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True).start()
        if not self.ready.wait(10):
            raise RuntimeError("fake Bot API did not start")

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
            self.too_many = 0
            self.times.clear()

    def _take_token(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(RATE, self.tokens + (now - self.last) * RATE)
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            for _ in range(1_000_000):  # keep-alive: many requests per connection, bounded
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {k.strip().lower(): v.strip() for k, v in
                           (line.split(":", 1) for line in lines[1:] if ":" in line)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status, payload = self._answer(path.rsplit("/", 1)[-1], headers, body)
                data = json.dumps(payload).encode()
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\nConnection: keep-alive\r\n\r\n".encode()
                    + data)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def _answer(self, method: str, headers: dict[str, str], body: bytes
                ) -> tuple[int, dict[str, Any]]:
        params = _params(headers.get("content-type", ""), body)
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 123456789, "is_bot": True,
                                                "first_name": "Bench", "username": "BenchBot"}}
        if method != "sendMessage":
            return 200, {"ok": True, "result": True}
        if not self._take_token():
            with self.lock:
                self.too_many += 1
            return 429, {"ok": False, "error_code": 429,
                         "description": "Too Many Requests: retry after 1",
                         "parameters": {"retry_after": 1}}
        chat_id = int(params["chat_id"])
        with self.lock:
            self.received[chat_id] += 1
            self.times.append(time.monotonic())
            self.message_id += 1
            message_id = self.message_id
        return 200, {"ok": True, "result": {
            "message_id": message_id, "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"}, "text": "x"}}


def _params(content_type: str, body: bytes) -> dict[str, Any]:
    if "json" in content_type:
        loaded: dict[str, Any] = json.loads(body or b"{}")
        return loaded
    return {k: v[0] for k, v in parse_qs(body.decode()).items()}


# --- seeding -----------------------------------------------------------------------------------


async def seed(url: str, participants: int, steps_each: int, *, due_now: bool) -> None:
    """Organisation, coach, participants with accounts, goals and open steps; with `due_now`
    one reminder row per participant due now (bulk inserts: seeding is not what we measure)."""
    from datetime import time as _t

    from sqlalchemy import insert

    from bot.storage import models as m
    from bot.storage.db import Database
    from bot.storage.migrate import upgrade

    db = Database.from_url(url)
    await upgrade(db.engine)
    now = datetime.now(UTC)
    today = date.today()
    async with db.engine.begin() as conn:
        await conn.execute(insert(m.Organisation).values(id=1, name="Bench", settings={},
                                                         created_at=now))
        await conn.execute(insert(m.Account).values(id=1, telegram_user_id=1, chat_id=1,
                                                    role="coach", created_at=now))
        await conn.execute(insert(m.Coach).values(id=1, organisation_id=1, account_id=1,
                                                  display_name="Coach", created_at=now))
        chunk = 1000
        for start in range(0, participants, chunk):
            ids = range(start + 2, min(participants, start + chunk) + 2)
            await conn.execute(insert(m.Account), [
                {"id": i, "telegram_user_id": 10_000 + i, "chat_id": 10_000 + i,
                 "role": "participant", "locale": "nl" if i % 2 else "en", "created_at": now}
                for i in ids])
            await conn.execute(insert(m.Participant), [
                {"id": i, "organisation_id": 1, "coach_id": 1, "account_id": i,
                 "display_name": f"P{i}", "pseudonym": f"ps{i}", "status": "active",
                 "quiet_start": _t(0, 0), "quiet_end": _t(0, 0), "lessons_enabled": False,
                 "created_at": now, "consent_at": now} for i in ids])
            await conn.execute(insert(m.Goal), [
                {"id": i, "participant_id": i, "text": "Doel", "pillars": [], "created_at": now}
                for i in ids])
            steps = [{"id": (i - 2) * steps_each + s + 1, "goal_id": i, "participant_id": i,
                      "text": f"Stap {s}", "due_date": today + timedelta(days=1 + s),
                      "position": s, "created_at": now, "updated_at": now}
                     for i in ids for s in range(steps_each)]
            for k in range(0, len(steps), 5000):
                await conn.execute(insert(m.Step), steps[k:k + 5000])
            if due_now:
                await conn.execute(insert(m.OutboxMessage), [
                    {"account_id": i, "kind": "remind", "due_at": now - timedelta(seconds=1),
                     "dedupe_key": f"step:{(i - 2) * steps_each + 1}:remind:"
                                   f"{(today + timedelta(days=1)).isoformat()}:d-1",
                     "payload": {"step_id": (i - 2) * steps_each + 1,
                                 "due": (today + timedelta(days=1)).isoformat(),
                                 "days_before": 1},
                     "status": "pending", "attempts": 0, "created_at": now} for i in ids])
    await db.dispose()


# --- the bot process -----------------------------------------------------------------------------


async def worker(url: str, api: str, max_seconds: float) -> None:
    """The real application, pointed at the fake; tick the dispatcher until nothing is due."""
    from bot.app import build_application
    from bot.config import load_settings

    settings = load_settings(_env_file=None, BOT_TOKEN=TOKEN, DATABASE_URL=url,
                             BOT_API_URL=api, DATA_DIR=tempfile.gettempdir())
    app = build_application(settings)
    async with app:
        assert app.post_init is not None
        await app.post_init(app)
        dispatcher = app.bot_data["dispatcher"]
        dispatcher.claim_timeout = timedelta(seconds=CLAIM_TIMEOUT_S)
        deadline = time.monotonic() + max_seconds
        idle = 0
        while time.monotonic() < deadline and idle < 10:
            stats = await dispatcher.tick()
            if stats.sent == 0 and stats.deferred == 0:
                idle += 1
                await asyncio.sleep(1.0)  # a killed process's claims may still be timing out
            else:
                idle = 0
        await app.post_shutdown(app) if app.post_shutdown else None


def spawn(url: str, api: str, max_seconds: float) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, __file__, "--worker", "--url", url, "--api", api,
         "--max-seconds", str(max_seconds)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def report(name: str, fake: FakeTelegram, n: int, started: float, ended: float,
           kills: int) -> None:
    expected = {10_000 + i for i in range(2, n + 2)}
    got = set(fake.received)
    duplicates = sum(c - 1 for c in fake.received.values() if c > 1)
    lost = len(expected - got)
    times = fake.times
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # Sustained: while sending, i.e. without the restart pause after a kill (gaps over 1 s).
    active = sum(g for g in gaps if g <= 1.0)
    sustained = sum(1 for g in gaps if g <= 1.0) / active if active else 0.0
    pause = max((g for g in gaps if g > 1.0), default=0.0)
    print(f"{name}: {len(times)} messages to {len(got)} chats in {ended - started:.1f}s "
          f"(incl. start-up and the idle check at the end); sustained {sustained:.1f} msg/s; "
          f"429s {fake.too_many}; duplicates {duplicates}; lost {lost}; kills {kills}"
          + (f"; pause after the kill {pause:.1f}s" if kills else ""))


def run(fake: FakeTelegram, n: int, kill_after: int | None, tmp: Path, label: str) -> None:
    url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{tmp / (label + '.sqlite3')}"
    asyncio.run(seed(url, n, 1, due_now=True))
    fake.reset()
    api = f"http://127.0.0.1:{fake.port}"
    started = time.monotonic()
    proc = spawn(url, api, 600)
    kills = 0
    if kill_after is not None:
        for _ in range(6000):  # at most 10 minutes
            if sum(fake.received.values()) >= kill_after or proc.poll() is not None:
                break
            time.sleep(0.1)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills = 1
            proc = spawn(url, api, 600)
    _, err = proc.communicate(timeout=900)
    if proc.returncode:
        print(err.decode()[-2000:], file=sys.stderr)
    report(label, fake, n, started, time.monotonic(), kills)


# --- re-planning one step among 200,000 ----------------------------------------------------------


async def replan_bench(participants: int, steps_each: int, tmp: Path) -> None:
    from sqlalchemy import func, select

    from bot.flows.reminders import _replan_step
    from bot.storage.db import Database
    from bot.storage.models import OutboxMessage, Step

    url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{tmp / 'replan.sqlite3'}"
    t0 = time.monotonic()
    await seed(url, participants, steps_each, due_now=False)
    db = Database.from_url(url)
    now = datetime.now(UTC)
    # Plan everything once with the same pure planner _replan_step uses, bulk-inserted (what
    # the features would have done step by step; seeding is not what we measure).
    from sqlalchemy import insert

    from bot.core import reminders as plan

    today = date.today()
    rows: list[dict[str, Any]] = []
    async with db.engine.begin() as conn:
        for pid in range(2, participants + 2):
            person = plan.Person(participant_id=pid, timezone="Europe/Amsterdam",
                                 quiet_start=_time(0), quiet_end=_time(0))
            for s in range(steps_each):
                step_id = (pid - 2) * steps_each + s + 1
                facts = plan.StepFacts(step_id, today + timedelta(days=1 + s))
                rows += [{"account_id": pid, "kind": p.kind, "due_at": p.due_at,
                          "dedupe_key": p.key, "payload": p.payload, "status": "pending",
                          "attempts": 0, "created_at": now}
                         for p in plan.plan_step(facts, person, plan.ReminderRules(), now)]
            if len(rows) >= 20_000:
                await conn.execute(insert(OutboxMessage), rows)
                rows = []
        if rows:
            await conn.execute(insert(OutboxMessage), rows)
    seeded = time.monotonic() - t0

    async def snapshot() -> dict[int, tuple[str, datetime]]:
        async with db.uow() as uow:
            rows = await uow.session.execute(
                select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.due_at))
            return {i: (s, d) for i, s, d in rows.all()}

    before = await snapshot()
    target = participants // 2 * steps_each + 3
    timings = []
    # Warm the connection pool first (a query on another participant), then time _replan_step.
    async with db.uow() as uow:
        await _replan_step(uow, target + steps_each * 7, now)
    for shift in (2, 3):
        async with db.uow() as uow:
            step = await uow.steps.get(target)
            assert step is not None and step.due_date is not None
            step.due_date = step.due_date + timedelta(days=shift)
            started = time.perf_counter()
            changes = await _replan_step(uow, target, now)
            await uow.commit()
            timings.append(time.perf_counter() - started)
    took = min(timings)
    after = await snapshot()
    changed = [i for i in after if before.get(i) != after[i]]
    async with db.uow() as uow:
        keys = (await uow.session.execute(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.id.in_(changed)))).scalars()
        others = [k for k in keys if not k.startswith(f"step:{target}:")]
        total_steps = (await uow.session.execute(select(func.count(Step.id)))).scalar_one()
    print(f"replan: {participants} participants x {steps_each} open steps = {total_steps} steps, "
          f"{len(before)} outbox rows (seeded + planned in {seeded:.0f}s)")
    print(f"_replan_step({target}) after its date moved (twice): {took * 1000:.1f} ms "
          f"(incl. commit; slowest {max(timings) * 1000:.1f} ms); last run: "
          f"{changes.cancelled} cancelled, {changes.inserted} inserted, {changes.updated} updated;"
          f" rows changed in the table: {len(changed)}, of other steps: {len(others)}")
    await db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--kill-after", type=int, default=1200)
    parser.add_argument("--replan", action="store_true")
    parser.add_argument("--only-replan", action="store_true")
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--url")
    parser.add_argument("--api")
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(worker(args.url, args.api, args.max_seconds))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as tmpdir:
        tmp = Path(tmpdir)
        if not args.only_replan:
            fake = FakeTelegram()
            fake.start()
            print(f"fake Bot API on 127.0.0.1:{fake.port}, {RATE:.0f} msg/s (429 beyond)")
            run(fake, args.n, None, tmp, "clean run")
            run(fake, args.n, args.kill_after, tmp, "killed + restarted")
        if args.replan or args.only_replan:
            asyncio.run(replan_bench(args.participants, args.steps, tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
