"""Test databases: one migrated database per test session, cleaned between tests.

SQLite: the migrated file is a template copied for every test (a fresh file each time).
PostgreSQL (TEST_DATABASE_URL): a database of our own is created and migrated once; each test
ends with TRUNCATE ... RESTART IDENTITY so ids and rows never leak between tests.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.config import normalize_database_url
from bot.storage.db import Database, create_engine
from bot.storage.migrate import upgrade
from bot.storage.models import Base


def test_database_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalize_database_url(url) if url else None


class TestDatabases:
    __test__ = False  # not a test class, despite the name

    def __init__(self, workdir: Path) -> None:
        self.admin_url = test_database_url()
        self.workdir = workdir
        self.kind = "postgresql" if self.admin_url else "sqlite"
        self.url = ""
        self._template: Path | None = None
        self._counter = 0

    def setup(self) -> None:
        if self.admin_url:
            name = f"brug_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
            asyncio.run(self._pg_create(name))
            self.url = make_url(self.admin_url).set(database=name).render_as_string(
                hide_password=False
            )
            asyncio.run(self._migrate(self.url))
        else:
            self._template = self.workdir / "template.sqlite3"
            asyncio.run(self._migrate(f"sqlite+aiosqlite:///{self._template}"))

    def teardown(self) -> None:
        if self.admin_url and self.url:
            asyncio.run(self._pg_drop(make_url(self.url).database or ""))

    def fresh_url(self) -> str:
        """A clean, migrated database URL for one test."""
        if self.admin_url:
            return self.url
        assert self._template is not None
        self._counter += 1
        path = self.workdir / f"db{self._counter}.sqlite3"
        shutil.copyfile(self._template, path)
        return f"sqlite+aiosqlite:///{path}"

    async def clean(self, db: Database) -> None:
        if not db.is_postgres:
            return
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with db.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))

    async def _migrate(self, url: str) -> None:
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()

    async def _pg_create(self, name: str) -> None:
        engine = create_engine(self.admin_url or "", isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        await engine.dispose()

    async def _pg_drop(self, name: str) -> None:
        engine = create_engine(self.admin_url or "", isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await engine.dispose()
