"""PostgreSQL advisory locks that say which process does what in an installation.

A session-level advisory lock is held on a connection of its own for as long as the process
lives; PostgreSQL releases it when that connection ends, also after a kill -9, so another
process can take the role over. SQLite runs one process, so there every lock is granted.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.db import Database

log = logging.getLogger(__name__)

# The first key of every advisory lock this bot takes (the second names the role).
LOCK_SPACE = 0x0B07
POLLING = 1  # the one process that asks Telegram for updates (getUpdates)
SCHEDULER = 2  # the one process that runs the scheduled jobs (planner sweep, clean-up)


class RoleLock:
    def __init__(self, db: Database, role: int) -> None:
        self.db = db
        self.role = role
        self._conn: AsyncConnection | None = None

    async def hold(self) -> bool:
        """Take the lock, or confirm we still hold it; False when another process holds it."""
        if not self.db.is_postgres:
            return True
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT 1"))
                await self._conn.commit()
                return True
            except Exception as error:  # the connection broke: the lock went with it
                log.warning("lost the advisory lock's connection: %s", type(error).__name__)
                await self.release()
        conn = await self.db.engine.connect()
        try:
            got = (await conn.execute(text("SELECT pg_try_advisory_lock(:space, :role)"),
                                      {"space": LOCK_SPACE, "role": self.role})).scalar()
            await conn.commit()  # a session lock outlives the transaction; no idle transaction
        except BaseException:
            await conn.close()
            raise
        if got:
            self._conn = conn
            return True
        await conn.close()
        return False

    async def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                # Closed, not returned to the pool: ending the session releases the lock.
                await conn.invalidate()
                await conn.close()
            except Exception as error:
                log.warning("closing the advisory lock's connection: %s", type(error).__name__)
