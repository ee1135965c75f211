"""The outbox against a local fake Bot API with Telegram's limits and real latency.

    .venv/bin/python bench/bench_outbox.py [-n 3000] [--processes 3] [--kill-after 1500]
        [--latency 0.1] [--capacity] [--claim-query] [--replan]
    (DATABASE_URL=postgresql+asyncpg://... for several processes; SQLite runs one)

1. A fake Bot API HTTP server on 127.0.0.1 (asyncio, in a thread of this process, at a raised
   priority when run as root) answers like Telegram after `latency` seconds per call (half
   before the request "arrives", half after) and enforces, at arrival (read + latency / 2), a
   strict one-second window: at most 30 messages in any 1.0 s and 1 per chat per 1.0 s, 429 +
   retry_after beyond that. It records what every chat received, and its own lag.
2. `n` people with due reminders are seeded (a third with 2-12 steps due, the rest 1).
3. `processes` bot processes run the real build_application (its rate limiter, HTML defaults)
   pointed at the fake, ticking the real Dispatcher until nothing is due; one is killed with
   SIGKILL after `kill-after` messages. Reported: messages/s, 429s, lost (people who got
   nothing), duplicates, people over the daily cap, split bundles, hidden steps (marked sent,
   never shown).
4. --capacity: the same with pacing off and a fake without limits, one process: what the
   dispatcher itself can do (so the paced figure can be told apart from its ceiling).
5. --claim-query: the claim at 1,000 / 10,000 / 100,000 due rows.
Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from datetime import UTC, date, datetime, timedelta
from datetime import time as _time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "123456789:BENCHtokenBENCHtokenBENCHtokenBEN"
RATE = 30
CLAIM_TIMEOUT_S = 5.0
WINDOW = 1.0


# --- the fake Bot API --------------------------------------------------------------------------


class FakeTelegram:
    """Minimal HTTP/1.1 keep-alive server speaking enough Bot API for the dispatcher."""

    def __init__(self) -> None:
        self.received: Counter[int] = Counter()
        self.texts: dict[int, list[str]] = {}
        # Per chat, per message: the step ids its buttons name (works whether or not the
        # participant chose to see step texts).
        self.steps: dict[int, list[frozenset[int]]] = {}
        self.too_many = 0
        self.too_many_chat = 0  # of which: a second message to one chat within a second
        self.cpu = 0.0  # CPU seconds of the fake's thread since reset
        # How much later than `latency / 2` after reading a request the fake's event loop got
        # round to it: the fake shares the machine's CPUs with the bot processes.
        self.lag: list[float] = []
        self.woke: list[float] = []  # per sendMessage: when the fake got round to it
        self.refused_at: list[float] = []  # arrival of each refused message
        self.priority_raised = False
        self._cpu_at_reset = 0.0
        self.times: list[float] = []
        self.recent: deque[float] = deque()
        self.chat_last: dict[int, float] = {}
        self.latency = 0.0
        self.limits = True
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
        # Telegram's servers do not share this machine's CPUs: the fake's thread gets a higher
        # priority (root only), so a busy machine delays its reading less. Its own lag is
        # measured and reported either way.
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), -10)
            self.priority_raised = True
        except OSError:
            pass
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0, backlog=1024))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    def reset(self, latency: float, limits: bool) -> None:
        with self.lock:
            self.received.clear()
            self.texts.clear()
            self.steps.clear()
            self.lag.clear()
            self.woke.clear()
            self.refused_at.clear()
            self.too_many = 0
            self.too_many_chat = 0
            self._cpu_at_reset = -1.0  # read by the fake's own thread at its next request
            self.times.clear()
            self.recent.clear()
            self.chat_last.clear()
            self.latency = latency
            self.limits = limits

    def _admit(self, chat_id: int, now: float) -> bool:
        """Telegram's limits, strictly: 30 in any one-second window, 1 per chat a second, for
        a request that arrives at `now`."""
        with self.lock:
            if self.limits:
                while self.recent and self.recent[0] <= now - WINDOW:
                    self.recent.popleft()
                chat_too_soon = self.chat_last.get(chat_id, -9.0) > now - WINDOW
                if len(self.recent) >= RATE or chat_too_soon:
                    self.refused_at.append(now)
                    self.too_many += 1
                    self.too_many_chat += chat_too_soon
                    return False
            self.recent.append(now)
            self.chat_last[chat_id] = now
            self.times.append(now)
            return True

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            for _ in range(1_000_000):  # keep-alive: many requests per connection, bounded
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {k.strip().lower(): v.strip() for k, v in
                           (line.split(":", 1) for line in lines[1:] if ":" in line)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                # It arrives at "Telegram" exactly latency / 2 after it was read: the emulated
                # network has no jitter of its own, and the fake's own scheduling (how late its
                # loop wakes after the sleep) does not move the arrival.
                arrives = time.monotonic() + self.latency / 2
                if self.latency:
                    await asyncio.sleep(self.latency / 2)  # on its way to Telegram
                self.lag.append(time.monotonic() - arrives)
                if path.endswith("/sendMessage"):
                    self.woke.append(time.monotonic())
                status, payload = self._answer(path.rsplit("/", 1)[-1], headers, body,
                                               arrives)
                if self.latency:
                    await asyncio.sleep(self.latency / 2)  # the answer on its way back
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

    def _answer(self, method: str, headers: dict[str, str], body: bytes, arrives: float
                ) -> tuple[int, dict[str, Any]]:
        if self._cpu_at_reset < 0:
            self._cpu_at_reset = time.thread_time()
        self.cpu = time.thread_time() - self._cpu_at_reset
        params = _params(headers.get("content-type", ""), body)
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 123456789, "is_bot": True,
                                                "first_name": "Bench", "username": "BenchBot"}}
        if method != "sendMessage":
            return 200, {"ok": True, "result": True}
        chat_id = int(params["chat_id"])
        if not self._admit(chat_id, arrives):
            return 429, {"ok": False, "error_code": 429,
                         "description": "Too Many Requests: retry after 1",
                         "parameters": {"retry_after": 1}}
        with self.lock:
            self.received[chat_id] += 1
            self.texts.setdefault(chat_id, []).append(str(params.get("text", "")))
            self.steps.setdefault(chat_id, []).append(_step_ids(params.get("reply_markup")))
            self.message_id += 1
            message_id = self.message_id
        return 200, {"ok": True, "result": {
            "message_id": message_id, "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"}, "text": "x"}}


def _step_ids(markup: Any) -> frozenset[int]:
    """The steps a message's buttons mark done ("std:<step>:<page>")."""
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = (markup or {}).get("inline_keyboard", [])
    return frozenset(int(b["callback_data"].split(":")[1]) for row in rows for b in row
                     if str(b.get("callback_data", "")).startswith("std:"))


def _params(content_type: str, body: bytes) -> dict[str, Any]:
    if "json" in content_type:
        loaded: dict[str, Any] = json.loads(body or b"{}")
        return loaded
    return {k: v[0] for k, v in parse_qs(body.decode()).items()}


# --- seeding -----------------------------------------------------------------------------------


def due_steps(i: int) -> int:
    """How many steps participant `i` has due: a third 2-12, the others 1."""
    return 2 + (i // 3) % 11 if i % 3 == 0 else 1


async def seed(url: str, participants: int, steps_each: int, *, due_now: bool) -> None:
    """Organisation, coach, participants with accounts, goals and open steps; with `due_now`
    a reminder row due now for each of the first `due_steps(i)` steps of participant i
    (bulk inserts: seeding is not what we measure)."""
    from datetime import time as _t

    from sqlalchemy import insert

    from bench.scratch import services_for
    from bot.storage import models as m
    from bot.storage.migrate import upgrade

    db = services_for(url, BOT_TOKEN=TOKEN).db
    await upgrade(db.engine)
    zone = db.defaults.timezone
    now = datetime.now(UTC)
    today = date.today()
    async with db.engine.begin() as conn:
        await conn.execute(insert(m.Organisation).values(id=1, name="Bench", settings={},
                                                         created_at=now))
        await conn.execute(insert(m.Account).values(id=1, telegram_user_id=1, chat_id=1,
                                                    role="coach", timezone=zone, created_at=now))
        await conn.execute(insert(m.Coach).values(id=1, organisation_id=1, account_id=1,
                                                  display_name="Coach", created_at=now))
        chunk = 1000
        for start in range(0, participants, chunk):
            ids = range(start + 2, min(participants, start + chunk) + 2)
            await conn.execute(insert(m.Account), [
                {"id": i, "telegram_user_id": 10_000 + i, "chat_id": 10_000 + i,
                 "role": "participant", "locale": "nl" if i % 2 else "en", "timezone": zone,
                 "created_at": now}
                for i in ids])
            await conn.execute(insert(m.Participant), [
                {"id": i, "organisation_id": 1, "coach_id": 1, "account_id": i,
                 "display_name": f"P{i}", "pseudonym": f"ps{i}", "status": "active",
                 "quiet_start": _t(0, 0), "quiet_end": _t(0, 0), "lessons_enabled": False,
                 "show_step_texts": i % 4 < 2,  # half see their step texts, half a count
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
                     "dedupe_key": f"step:{(i - 2) * steps_each + s + 1}:remind:"
                                   f"{(today + timedelta(days=1 + s)).isoformat()}:d-1",
                     "payload": {"step_id": (i - 2) * steps_each + s + 1,
                                 "due": (today + timedelta(days=1 + s)).isoformat(),
                                 "days_before": 1},
                     "status": "pending", "attempts": 0, "created_at": now}
                    for i in ids for s in range(min(steps_each, due_steps(i)))])
    await db.dispose()


# --- the bot processes ---------------------------------------------------------------------------


async def worker(url: str, api: str, max_seconds: float, unpaced: bool) -> None:
    """The real application, pointed at the fake; tick the dispatcher until nothing is due.
    Prints one JSON line: messages sent, SQL statements and CPU seconds of this process."""
    from sqlalchemy import event
    from telegram import Bot
    from telegram.request import HTTPXRequest

    from bot.bootstrap import build_services
    from bot.config import load_settings
    from bot.notify.pacing import LATE, Unpaced
    from bot.telegram.app import build_application, freeze_startup_objects

    settings = load_settings(_env_file=None, BOT_TOKEN=TOKEN, DATABASE_URL=url,
                             BOT_API_URL=api, DATA_DIR=tempfile.gettempdir(),
                             OUTBOX_CLAIM_TIMEOUT_SECONDS=CLAIM_TIMEOUT_S)
    app = build_application(build_services(settings))
    freeze_startup_objects()  # as `python -m bot run` and `worker` do
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    db = app.bot_data["services"].db
    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    connections = [0]
    event.listen(db.engine.sync_engine, "connect",
                 lambda *_: connections.__setitem__(0, connections[0] + 1))
    # How late this process wakes for its send slots (a slot missed by more than LATE is
    # given up and a new one taken: each such miss is a slot of the pace left unused).
    import bot.notify.dispatcher as dispatching

    lateness: list[float] = []
    on_time = dispatching.wait_for

    async def timed(slot: float) -> bool:
        kept = await on_time(slot)
        lateness.append(asyncio.get_running_loop().time() - slot)
        return kept

    dispatching.wait_for = timed  # type: ignore[assignment]
    # Full garbage collections: each one stops the event loop while it walks every object.
    import gc

    collections: list[float] = []
    collecting = [0.0]

    def gc_timer(phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            if phase == "start":
                collecting[0] = time.perf_counter()
            else:
                collections.append(time.perf_counter() - collecting[0])

    gc.callbacks.append(gc_timer)
    sent = 0
    cpu_at_start = time.process_time()
    async with app:
        assert app.post_init is not None
        await app.post_init(app)
        dispatcher = app.bot_data["dispatcher"]
        bare = Bot(TOKEN, base_url=f"{api}/bot", request=HTTPXRequest(connection_pool_size=256))
        if unpaced:  # the dispatcher's own ceiling: no pace, no PTB rate limiter
            dispatcher.pacer = Unpaced()
            await bare.initialize()
            dispatcher.bot = bare
        deadline = time.monotonic() + max_seconds
        idle = 0
        while time.monotonic() < deadline and idle < 8:
            stats = await dispatcher.tick()
            sent += stats.sent
            if stats.sent == 0 and stats.deferred == 0:
                idle += 1
                await asyncio.sleep(1.0)  # a killed process's claims may still be timing out
            else:
                idle = 0
        await bare.shutdown()
        lateness.sort()
        print(json.dumps({"sent": sent, "statements": statements,
                          "cpu": time.process_time() - cpu_at_start,
                          "slots": len(lateness),
                          "missed": sum(1 for x in lateness if x > LATE),
                          "late_p50": lateness[len(lateness) // 2] if lateness else 0.0,
                          "late_p99": lateness[len(lateness) * 99 // 100] if lateness else 0.0,
                          "connections": connections[0], "gc_full": len(collections),
                          "gc_max": max(collections, default=0.0),
                          }), flush=True)
        await app.post_shutdown(app) if app.post_shutdown else None


def spawn(url: str, api: str, max_seconds: float, unpaced: bool, profile: str | None = None
          ) -> subprocess.Popen[bytes]:
    """A bot process; with `profile`, under pyinstrument (not a project dependency:
    `.venv/bin/pip install pyinstrument`), its text report written to that file."""
    runner = ([sys.executable, "-m", "pyinstrument", "-r", "text", "--show-all", "-o", profile]
              if profile else [sys.executable])
    return subprocess.Popen(
        [*runner, __file__, "--worker", "--url", url, "--api", api,
         "--max-seconds", str(max_seconds)] + (["--unpaced"] if unpaced else []),
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


async def outcome(url: str, fake: FakeTelegram, n: int) -> dict[str, int]:
    """Lost, duplicates, over the cap, split bundles and hidden steps, from the fake's record
    and the outbox table."""
    from sqlalchemy import select

    from bench.scratch import services_for
    from bot.storage.models import OutboxMessage

    ids = range(2, n + 2)
    chat = {i: 10_000 + i for i in ids}
    db = services_for(url, BOT_TOKEN=TOKEN).db
    async with db.uow() as uow:
        rows = (await uow.session.execute(select(
            OutboxMessage.account_id, OutboxMessage.status, OutboxMessage.payload,
            OutboxMessage.last_error))).all()
    await db.dispose()
    hidden = waiting = 0
    for account_id, status, payload, error in rows:
        shown = any(int(payload["step_id"]) in step_ids
                    for step_ids in fake.steps.get(chat[account_id], []))
        if status == "sent" and not shown:
            hidden += 1
        if status == "pending" and error == "bundle_full":
            waiting += 1
    got = fake.received
    return {
        "lost": sum(1 for i in ids if got[chat[i]] == 0),
        "duplicates": sum(c - 1 for c in got.values() if c > 1),
        "over_cap": sum(1 for c in got.values() if c > 2),
        # Split: one person's due steps spread over messages that show different steps (the
        # same bundle sent again after a kill is a duplicate, counted above).
        "split": sum(1 for i in ids if due_steps(i) > 1
                     and len(set(fake.steps.get(chat[i], []))) > 1),
        "hidden": hidden,
        "waiting": waiting,
    }


TARGET_RATE = 28.5  # 95% of Telegram's 30 a second


def window_refusals(arrivals: list[float]) -> int:
    """How many of these arrivals a strict window (RATE in any WINDOW) refuses."""
    admitted: deque[float] = deque()
    refused = 0
    for at in arrivals:
        while admitted and admitted[0] <= at - WINDOW:
            admitted.popleft()
        if len(admitted) >= RATE:
            refused += 1
        else:
            admitted.append(at)
    return refused


def report(name: str, fake: FakeTelegram, n: int, kills: int, found: dict[str, int],
           usage: dict[str, float], *, paced: bool, killed_at: float | None = None
           ) -> list[str]:
    """Print the figures; return what missed its target (the run fails on any)."""
    from bot.notify.pacing import LATE

    times = sorted(fake.times)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    overall = (len(times) - 1) / span if span else 0.0
    # Sustained: while sending, without the pause after a kill (gaps over 1 s).
    active = sum(g for g in gaps if g <= 1.0)
    sustained = sum(1 for g in gaps if g <= 1.0) / active if active else 0.0
    pause = max((g for g in gaps if g > 1.0), default=0.0)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{name}: {len(times)} messages to {len(fake.received)} of {n} people; "
          f"{overall:.1f} msg/s first to last, {sustained:.1f} msg/s sustained; "
          f"429s {fake.too_many} ({fake.too_many_chat} per chat); lost {found['lost']}; "
          f"duplicates {found['duplicates']}; over the cap {found['over_cap']}; "
          f"split bundles {found['split']}; hidden steps {found['hidden']}; steps waiting for "
          f"a next message (more than 8 due) {found['waiting']}; kills {kills}"
          + (f"; longest pause {pause:.1f}s" if kills else ""))
    print(f"  CPU: {usage['cpu'] * 1000:.1f} ms and {usage['statements']:.1f} SQL statements "
          f"a message in the bot processes that were not killed (after start-up); all bot "
          f"processes {usage['cpu_all']:.0f} s ({usage['connections']} database connections "
          f"opened); the fake Bot API {fake.cpu:.0f} s "
          f"({fake.cpu / span * 100 if span else 0:.0f}% of one core); load average {load}")
    lag = sorted(fake.lag)
    if lag:
        print(f"  the fake Bot API's own lag (priority "
              f"{'raised' if fake.priority_raised else 'normal'}), not counted in arrivals: "
              f"median {lag[len(lag) // 2] * 1000:.1f} ms, 99th percentile "
              f"{lag[len(lag) * 99 // 100] * 1000:.1f} ms, worst {lag[-1] * 1000:.0f} ms; "
              f"counted, the window would have refused {window_refusals(sorted(fake.woke))}")
    if paced:
        print(f"  send slots: {usage['slots']} waited for, {usage['missed']} missed by more "
              f"than {LATE * 1000:.0f} ms (given up, another taken); woken late by "
              f"{usage['late_p50'] * 1000:.1f} ms (median), {usage['late_p99'] * 1000:.1f} ms "
              f"(99th percentile), the worst process; {usage['gc_full']} full garbage "
              f"collections, the longest {usage['gc_max'] * 1000:.0f} ms")
    if paced and fake.refused_at and times:
        print("  429s at " + ", ".join(f"{t - times[0]:.1f}" for t in fake.refused_at)
              + " s" + (f"; the kill at {killed_at - times[0]:.1f} s" if killed_at else ""))
    if paced and overall:
        from bot.core.reminders import participants_served

        served = ", ".join(
            f"{minutes} min: {participants_served(overall, timedelta(minutes=minutes)):,}"
            for minutes in (0, 30, 60, 120))
        print(f"  at {overall:.1f} msg/s, participants with one moment whose reminders all go "
              f"within REMINDER_SPREAD_MINUTES = {served}")
    missed = [f"{label} {value}" for label, value, bad in [
        ("lost", found["lost"], found["lost"] > 0),
        ("duplicates", found["duplicates"], found["duplicates"] > kills),
        ("over the cap", found["over_cap"], found["over_cap"] > 0),
        ("split bundles", found["split"], found["split"] > 0),
        ("hidden steps", found["hidden"], found["hidden"] > 0),
        ("429s", fake.too_many, paced and fake.too_many > 0),
        ("msg/s", round(overall, 1), paced and overall < TARGET_RATE),
    ] if bad]
    return missed


def run(fake: FakeTelegram, n: int, processes: int, kill_after: int | None, tmp: Path,
        label: str, *, latency: float, unpaced: bool = False, profile: str | None = None
        ) -> list[str]:
    url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{tmp / (label + '.sqlite3')}"
    if url.startswith("postgresql"):
        asyncio.run(_fresh_postgres(url))
    asyncio.run(seed(url, n, 12, due_now=True))
    fake.reset(latency, limits=not unpaced)
    api = f"http://127.0.0.1:{fake.port}"
    children_cpu = _children_cpu()
    procs = [spawn(url, api, 600, unpaced, profile if i == processes - 1 else None)
             for i in range(processes)]
    kills = 0
    killed_at = None
    if kill_after is not None:
        for _ in range(6000):  # at most 10 minutes
            if sum(fake.received.values()) >= kill_after or procs[0].poll() is not None:
                break
            time.sleep(0.05)
        if procs[0].poll() is None:
            procs[0].send_signal(signal.SIGKILL)
            killed_at = time.monotonic()
            procs[0].wait()
            kills = 1
    totals: Counter[str] = Counter()
    late: list[tuple[float, float]] = []
    gc_max = 0.0
    for proc in procs:
        out, err = proc.communicate(timeout=900)
        if proc.returncode and proc.returncode != -signal.SIGKILL:
            print(err.decode()[-2000:], file=sys.stderr)
        for line in out.decode().splitlines():
            if line.startswith("{"):
                figures = json.loads(line)
                for name in ("sent", "statements", "cpu", "slots", "missed", "gc_full",
                             "connections"):
                    totals[name] += figures[name]
                gc_max = max(gc_max, figures["gc_max"])
                late.append((figures["late_p50"], figures["late_p99"]))
    sent = totals["sent"] or 1
    usage = {"cpu_all": _children_cpu() - children_cpu,
             "cpu": totals["cpu"] / sent, "statements": totals["statements"] / sent,
             "slots": totals["slots"], "missed": totals["missed"],
             "late_p50": max((p50 for p50, _ in late), default=0.0),
             "late_p99": max((p99 for _, p99 in late), default=0.0),
             "gc_full": totals["gc_full"], "gc_max": gc_max,
             "connections": totals["connections"]}
    return report(label, fake, n, kills, asyncio.run(outcome(url, fake, n)), usage,
                  paced=not unpaced, killed_at=killed_at)


def _children_cpu() -> float:
    """CPU seconds (user + system) of the child processes waited for so far, killed ones too."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


async def _fresh_postgres(url: str) -> None:
    from sqlalchemy import text

    from bot.storage.db import create_engine

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


# --- the claim query -----------------------------------------------------------------------------


async def claim_query_bench(sizes: list[int], tmp: Path) -> None:
    """The claim (stale claims back, then BATCH_PEOPLE people's due rows: what the dispatcher
    claims at a time) with N due rows; rolled back after each measurement so every repeat sees
    the same N."""
    from sqlalchemy import insert

    from bench.scratch import services_for
    from bot.notify.dispatcher import BATCH_PEOPLE as people
    from bot.storage import models as m
    from bot.storage.migrate import upgrade

    now = datetime.now(UTC)
    for size in sizes:
        url = (os.environ.get("DATABASE_URL")
               or f"sqlite+aiosqlite:///{tmp / f'claim{size}.sqlite3'}")
        if url.startswith("postgresql"):
            await _fresh_postgres(url)
        db = services_for(url, BOT_TOKEN=TOKEN).db
        await upgrade(db.engine)
        async with db.engine.begin() as conn:
            for start in range(0, size, 10_000):
                ids = range(start + 1, min(size, start + 10_000) + 1)
                await conn.execute(insert(m.Account), [
                    {"id": i, "telegram_user_id": i, "chat_id": i, "role": "participant",
                     "timezone": db.defaults.timezone, "created_at": now} for i in ids])
                await conn.execute(insert(m.OutboxMessage), [
                    {"account_id": i, "kind": "remind",
                     "due_at": now - timedelta(seconds=size - i), "dedupe_key": f"k{i}",
                     "payload": {}, "status": "pending", "attempts": 0, "created_at": now}
                    for i in ids])
                # Sent rows beside them, as a morning leaves behind.
                await conn.execute(insert(m.OutboxMessage), [
                    {"account_id": i, "kind": "remind", "due_at": now - timedelta(days=1),
                     "dedupe_key": f"s{i}", "payload": {}, "status": "sent", "attempts": 1,
                     "sent_at": now - timedelta(days=1), "created_at": now} for i in ids])
        if url.startswith("postgresql"):
            async with db.engine.connect() as conn:
                await conn.execute(text_("ANALYZE outbox"))
                await conn.commit()
        timings = []
        for _ in range(21):
            async with db.uow() as uow:
                started = time.perf_counter()
                await uow.outbox.reap_stale(now=now, claim_timeout=timedelta(seconds=60))
                rows = await uow.outbox.claim_people(now=now, worker="bench", people=people,
                                                     postgres=uow.postgres)
                timings.append(time.perf_counter() - started)
                assert len(rows) == people
                await uow.session.rollback()
        timings = sorted(timings[1:])  # the first prepares the statements
        print(f"claim of {people} people with {size:,} due rows (+{size:,} sent): fastest "
              f"{timings[0] * 1000:.1f} ms, median {timings[len(timings) // 2] * 1000:.1f} ms "
              f"({db.engine.dialect.name}, 20 runs, wall clock incl. the round trips)")
        await db.dispose()


def text_(sql: str) -> Any:
    from sqlalchemy import text

    return text(sql)


# --- re-planning one step among 200,000 ----------------------------------------------------------


async def replan_bench(participants: int, steps_each: int, tmp: Path) -> None:
    from sqlalchemy import func, select

    from bench.scratch import services_for
    from bot.flows.reminders import _replan_step
    from bot.storage.models import OutboxMessage, Step

    url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{tmp / 'replan.sqlite3'}"
    t0 = time.monotonic()
    await seed(url, participants, steps_each, due_now=False)
    # No spread: the rows below are planned with the default rules, so _replan_step of an
    # unchanged step changes nothing.
    db = services_for(url, BOT_TOKEN=TOKEN, REMINDER_SPREAD_MINUTES=0).db
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
                          "dedupe_key": p.key, "payload": p.payload.dump(), "status": "pending",
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
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--kill-after", type=int, default=1500)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--no-dispatch", action="store_true")
    parser.add_argument("--capacity", action="store_true")
    parser.add_argument("--capacity-only", action="store_true")
    parser.add_argument("--claim-query", action="store_true")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--replan", action="store_true")
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--unpaced", action="store_true")
    parser.add_argument("--url")
    parser.add_argument("--api")
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--profile", help="write a pyinstrument report of one bot process here")
    args = parser.parse_args()
    if args.worker:
        asyncio.run(worker(args.url, args.api, args.max_seconds, args.unpaced))
        return 0
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as tmpdir:
        tmp = Path(tmpdir)
        if not args.no_dispatch:
            fake = FakeTelegram()
            fake.start()
            postgres = (os.environ.get("DATABASE_URL") or "").startswith("postgresql")
            processes = args.processes if postgres else 1
            from bot.config import Settings

            send_rate = os.environ.get("SEND_RATE") or Settings.model_fields["send_rate"].default
            print(f"fake Bot API on 127.0.0.1:{fake.port}: {args.latency * 1000:.0f} ms a call, "
                  f"at most {RATE} messages in any {WINDOW:.0f} s and 1 per chat (429 beyond); "
                  f"SEND_RATE {send_rate} (the bot processes read it from the environment)")
            missed = [] if args.capacity_only else run(fake, args.n, processes,
                         args.kill_after if args.kill_after > 0 else None, tmp,
                         f"{processes} process(es), one killed", latency=args.latency,
                         profile=args.profile)
            if args.capacity or args.capacity_only:
                run(fake, args.n, 1, None, tmp, "capacity, pacing off, no limits, 1 process",
                    latency=args.latency, unpaced=True, profile=args.profile)
            if missed:
                print("NOT MET: " + "; ".join(missed))
                failed = True
        if args.claim_query:
            asyncio.run(claim_query_bench([int(x) for x in args.sizes.split(",")], tmp))
        if args.replan:
            asyncio.run(replan_bench(args.participants, args.steps, tmp))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
