"""Migration 0010_meet13 on data written under 0009: who chose their own digest settings, the
organisation's digest default for the others, and a waiting "cannot come" notice that becomes
an open wish told in the coach's push (nothing lost, nothing told twice). On SQLite, and on a
scratch PostgreSQL database when TEST_DATABASE_URL is set."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.db import create_engine
from bot.storage.migrate import upgrade
from tests.support import databases

NOW = "'2026-03-10 09:00:00'"
SETTINGS = json.dumps({"digest_default": {"enabled": True, "weekday": 3, "time": "16:30"}})
NOTICE = json.dumps({"participant_id": 1, "meeting_id": 1, "at": "2026-03-12T13:30:00+00:00",
                     "call_me": True})
OLD_DATA = [
    "INSERT INTO organisations (id, name, instrument_key, settings, created_at) VALUES "
    f"(1, 'Gemeente Test', 'brug-alphen', '{SETTINGS}', {NOW})",
    *(f"INSERT INTO accounts (id, telegram_user_id, chat_id, role, timezone, reachable, "
      f"created_at) VALUES ({a}, {u}, {u}, '{r}', 'Europe/Amsterdam', TRUE, {NOW})"
      for a, u, r in ((1, 9001, "coach"), (2, 9002, "coach"), (3, 1001, "participant"))),
    *(f"INSERT INTO coaches (id, organisation_id, account_id, display_name, active, "
      f"created_at) VALUES ({c}, 1, {c}, 'C', TRUE, {NOW})" for c in (1, 2)),
    # Coach 2 chose a digest time of their own (audited).
    "INSERT INTO audit_log (at, action, subject_type, subject_id, details) VALUES "
    f"({NOW}, 'coach.settings_time', 'coach', 2, '{{}}')",
    "UPDATE coaches SET digest_time = '12:00:00' WHERE id = 2",
    "INSERT INTO participants (id, organisation_id, coach_id, account_id, display_name, "
    "pseudonym, status, preferred_moment, quiet_start, quiet_end, lessons_enabled, created_at) "
    f"VALUES (1, 1, 1, 3, 'Fatima', 'p1', 'active', 'morning', '21:00:00', '08:00:00', TRUE, "
    f"{NOW})",
    "INSERT INTO meetings (id, participant_id, coach_id, starts_at, place, status, created_at, "
    f"updated_at) VALUES (1, 1, 1, '2026-03-12 13:30:00', 'office', 'planned', {NOW}, {NOW})",
    "INSERT INTO outbox (account_id, kind, due_at, dedupe_key, payload, status, attempts, "
    "created_at) VALUES (1, 'meeting_notice', '2026-03-10 09:05:00', "
    f"'meeting:1:20260312T1330:cannot', '{NOTICE}', 'pending', 0, {NOW})",
]


@asynccontextmanager
async def _scratch(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    admin = databases.test_database_url()
    if admin is None:
        scratch = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
        try:
            yield scratch
        finally:
            await scratch.dispose()
        return
    name = f"brug_mig_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    scratch = create_engine(make_url(admin).set(database=name).render_as_string(
        hide_password=False))
    try:
        yield scratch
    finally:
        await scratch.dispose()
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await engine.dispose()


def _json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


async def test_0010_keeps_own_choices_applies_the_default_and_moves_notices_to_the_push(
    tmp_path: Path
) -> None:
    async with _scratch(tmp_path) as engine:
        await upgrade(engine, "0009")
        async with engine.begin() as conn:
            for statement in OLD_DATA:
                await conn.execute(text(statement))
        await upgrade(engine)
        async with engine.connect() as conn:
            coaches = (await conn.execute(text(
                "SELECT id, digest_own, digest_weekday, digest_time FROM coaches ORDER BY id"))
            ).all()
            rows = (await conn.execute(text(
                "SELECT kind, dedupe_key, payload, status FROM outbox"))).all()
            events = (await conn.execute(text(
                "SELECT participant_id, kind, data FROM participant_events"))).all()
    # Coach 1 never chose: follows the default (Thursday 16:30); coach 2 keeps their own.
    assert [(c[0], bool(c[1]), c[2], str(c[3])[:5]) for c in coaches] == [
        (1, False, 3, "16:30"), (2, True, 0, "12:00")]
    [(kind, key, payload, status)] = rows
    assert (kind, key, status) == ("coach_push", "coach:1:push:20260310T0905", "pending")
    assert _json(payload) == {"coach_id": 1}
    [(pid, event_kind, data)] = events
    assert (pid, event_kind) == (1, "meeting_wish")
    assert _json(data) == {"meeting_id": 1, "local": "2026-03-12T14:30", "wish": "call",
                           "day": None, "part": None}
