"""PostgreSQL: a pooled connection dropped while idle is replaced, not failed on (bot/storage/db.py
pings a connection that sat idle, instead of pinging on every checkout)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from bot.storage import db as db_module
from bot.storage.db import Database


async def _backend_pid(database: Database) -> int:
    async with database.uow() as uow:
        return int((await uow.session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _kill(database: Database, pid: int) -> None:
    other = db_module.create_engine(database.engine.url.render_as_string(hide_password=False),
                                    poolclass=NullPool)
    try:
        async with other.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await other.dispose()


async def test_connection_dropped_while_idle_is_replaced(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    if not db.is_postgres:
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    first = await _backend_pid(db)
    assert await _backend_pid(db) == first  # reused from the pool, no new connection
    await _kill(db, first)
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert await _backend_pid(db) != first  # pinged, found dead, replaced: no error


async def test_connection_in_recent_use_is_not_pinged(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    if not db.is_postgres:
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection

    pings: list[int] = []
    real_ping = AsyncAdapt_asyncpg_connection.ping

    def counting(self: AsyncAdapt_asyncpg_connection) -> None:
        pings.append(1)
        real_ping(self)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", counting)
    first = await _backend_pid(db)
    assert await _backend_pid(db) == first
    assert pings == []  # used a moment ago: no ping round trips
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert await _backend_pid(db) == first
    assert pings == [1]  # idle (threshold 0): pinged once, alive, kept
