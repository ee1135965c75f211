"""Engine and session factory for one database URL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from bot.config import Defaults
from bot.storage import sqlite_driver
from bot.storage.uow import Reactions, UnitOfWork


class Database:
    """Owns the engine; hands out one unit of work per use case."""

    def __init__(self, engine: AsyncEngine, defaults: Defaults) -> None:
        self.engine = engine
        # The installation's zone, language and morning spread, for code that has no person's own
        # settings at hand; every unit of work carries them (`uow.defaults`).
        self.defaults = defaults
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        # PostgreSQL without BEGIN/COMMIT: each statement commits on its own (`single_statements`).
        self._autocommit = (
            async_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"),
                               expire_on_commit=False)
            if engine.dialect.name == "postgresql" else self.sessions)
        # The reactions to domain events; installed by the bootstrap (bot/bootstrap.py).
        self.reactions: Reactions | None = None

    @classmethod
    def from_url(cls, url: str, defaults: Defaults, **engine_kwargs: Any) -> Database:
        return cls(create_engine(url, **engine_kwargs), defaults)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, postgres=self.is_postgres, reactions=self.reactions,
                          defaults=self.defaults)

    def single_statements(self) -> UnitOfWork:
        """For one write that needs no transaction around it (mark one sent message sent,
        reserve send slots): on PostgreSQL each statement commits by itself, one round trip
        instead of three, and a row it locks is free again as soon as it ran. No domain events.
        On SQLite the usual unit of work (its driver skips a COMMIT with nothing to commit)."""
        return UnitOfWork(self._autocommit, postgres=self.is_postgres, reactions=None,
                          defaults=self.defaults)

    async def ping(self) -> None:
        """One round trip (`SELECT 1`); raises when the database cannot be reached."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def unreachable(exc: BaseException) -> bool:
    """Whether an error means the database could not be reached (worth trying again)."""
    return isinstance(exc, OSError | OperationalError | DBAPIError | TimeoutError)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        if parsed.get_driver_name() == "aiosqlite":
            # Same driver, fewer thread hand-offs per statement (see sqlite_driver).
            kwargs.setdefault("module", sqlite_driver.dbapi())
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_async_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        event.listen(engine.sync_engine, "checkin", _note_idle_since)
        event.listen(engine.sync_engine, "checkout", _ping_if_idle)
    return engine


# A pooled connection that was idle this long is pinged before use, so one dropped while idle
# (a server restart, a firewall) is replaced instead of failing an update. pool_pre_ping would
# ping on every checkout: three round trips (BEGIN, ping, ROLLBACK with asyncpg) for each unit
# of work, as many as a tick's own statements, for connections that were in use a moment ago.
PING_AFTER_IDLE_SECONDS = 5.0


def _note_idle_since(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    idle_since = record.info.get("idle_since")  # None: connected just now
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dbapi_connection.ping()
    except Exception as error:
        # The pool discards this connection and checks out another (SQLAlchemy's contract).
        raise DisconnectionError("pooled connection lost while idle") from error


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers work while the dispatcher writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
