"""SQLAlchemy's aiosqlite adapter with fewer thread hand-offs (what a tick mostly waited on).

aiosqlite runs every sqlite3 call in its own worker thread; each call is a hand-off there and
back (a queue put, a wake-up of the event loop, the GIL changing hands), which on a busy
2-core box costs far more than the SQL. SQLAlchemy's stock adapter makes four hand-offs per
statement (open a cursor, execute, fetch, close) and one per COMMIT or ROLLBACK, also when
there is nothing to end: after a read-only unit of work, and when the pool resets a connection
that was already committed. This adapter runs a statement's whole cursor life in ONE hand-off
and skips COMMIT/ROLLBACK when sqlite3 reports no open transaction, where they are no-ops in
sqlite3 itself. Same SQL, same transactions, same results: only the number of trips changes.

It relies on aiosqlite's `_execute` (queue a function for the worker thread) and `_conn` (the
sqlite3 connection); `tests/test_sqlite_driver.py` pins the behaviour.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_only


def _run(conn: sqlite3.Connection, operation: Any, parameters: Any
         ) -> tuple[Any, list[Any] | None, int | None, int]:
    """In the worker thread: execute, fetch everything, close (what the stock adapter does in
    four hand-offs)."""
    cursor = conn.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, None, cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


class _Cursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            connection = self._connection
            description, rows, lastrowid, rowcount = self.await_(
                connection._execute(_run, connection._conn, operation, parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description = description
        self.lastrowid = lastrowid
        self.rowcount = rowcount
        if rows is not None:
            self._rows.extend(rows)


class _Connection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            return super().cursor(server_side=True)
        return _Cursor(self)

    def _in_transaction(self) -> bool:
        # A plain flag read on the sqlite3 connection (sqlite3_get_autocommit), no hand-off.
        # Unknown (closed connection): take the stock path, which raises as before.
        try:
            return bool(self._connection._conn.in_transaction)
        except Exception:
            return True

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()

    def commit(self) -> None:
        if self._in_transaction():
            super().commit()


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module shim to pass as `create_async_engine(..., module=...)`."""

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        if kw.get("async_fallback") or kw.get("async_creator_fn"):
            return super().connect(*arg, **kw)
        connection = self.aiosqlite.connect(*arg, **kw)
        connection._thread.daemon = True  # as SQLAlchemy does: never block interpreter exit
        return _Connection(self, await_only(connection))


def dbapi() -> OneHopDBAPI:
    return OneHopDBAPI(aiosqlite, sqlite3)
