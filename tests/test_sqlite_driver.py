"""The one-hand-off aiosqlite adapter (bot/storage/sqlite_driver.py): same results and the same
transactions as SQLAlchemy's stock adapter, in fewer trips to aiosqlite's worker thread."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite.core
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.config import FALLBACK_LOCALE, FALLBACK_TIMEZONE, Defaults
from bot.storage.db import Database


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    # The driver on a table of its own: no installation around it, the fallback defaults.
    database = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/driver.sqlite3",
                                 Defaults(FALLBACK_TIMEZONE, FALLBACK_LOCALE, 0))
    async with database.engine.begin() as conn:
        await conn.execute(text(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"))
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts the functions queued for aiosqlite's worker thread."""
    seen: Counter[str] = Counter()
    original = aiosqlite.core.Connection._execute

    async def counting(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen[getattr(fn, "__name__", "?")] += 1
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counting)
    return seen


async def test_rows_rowcount_lastrowid_and_returning(sqlite_db: Database) -> None:
    async with sqlite_db.uow() as uow:
        inserted = await uow.session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        assert inserted.lastrowid == 1  # type: ignore[attr-defined]
        await uow.session.execute(text("INSERT INTO t (name) VALUES ('b'), ('c')"))
        updated = await uow.session.execute(text("UPDATE t SET name = name || '!' WHERE id > 1"))
        assert updated.rowcount == 2  # type: ignore[attr-defined]
        returned = await uow.session.execute(
            text("UPDATE t SET name = 'z' WHERE id = 3 RETURNING id, name"))
        assert returned.all() == [(3, "z")]
        rows = await uow.session.execute(text("SELECT id, name FROM t ORDER BY id"))
        assert [tuple(row) for row in rows] == [(1, "a"), (2, "b!"), (3, "z")]
        await uow.commit()


async def test_uncommitted_work_is_rolled_back_and_committed_work_stays(
        sqlite_db: Database) -> None:
    async with sqlite_db.uow() as uow:
        await uow.session.execute(text("INSERT INTO t (name) VALUES ('kept')"))
        await uow.commit()
    async with sqlite_db.uow() as uow:
        await uow.session.execute(text("INSERT INTO t (name) VALUES ('dropped')"))
        # no commit: leaving the unit of work must undo it
    async with sqlite_db.uow() as uow:
        names = (await uow.session.execute(text("SELECT name FROM t"))).scalars().all()
    assert names == ["kept"]


async def test_errors_are_the_usual_sqlalchemy_errors(sqlite_db: Database) -> None:
    async with sqlite_db.uow() as uow:
        await uow.session.execute(text("INSERT INTO t (name) VALUES ('x')"))
        with pytest.raises(IntegrityError):
            await uow.session.execute(text("INSERT INTO t (name) VALUES ('x')"))
        await uow.session.rollback()
        await uow.session.execute(text("INSERT INTO t (name) VALUES ('y')"))
        await uow.commit()
    async with sqlite_db.uow() as uow:
        names = (await uow.session.execute(text("SELECT name FROM t"))).scalars().all()
    assert names == ["y"]


async def test_one_hand_off_per_statement_and_none_for_empty_commits(
        sqlite_db: Database, hand_offs: Counter[str]) -> None:
    async with sqlite_db.uow() as uow:  # warm the pool: connecting has its own trips
        await uow.session.execute(text("SELECT 1"))
    hand_offs.clear()
    async with sqlite_db.uow() as uow:  # read only: nothing to commit or roll back
        await uow.session.execute(text("SELECT name FROM t"))
    assert sum(hand_offs.values()) == 1
    hand_offs.clear()
    async with sqlite_db.uow() as uow:  # a write: statement, statement, COMMIT
        await uow.session.execute(text("INSERT INTO t (name) VALUES ('w')"))
        await uow.session.execute(text("SELECT count(*) FROM t"))
        await uow.commit()
    assert sum(hand_offs.values()) == 3
    assert hand_offs["commit"] == 1
