"""Alembic driven from code, on our async engine (no alembic.ini to keep in sync)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import FALLBACK_TIMEZONE

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def upgrade(engine: AsyncEngine, revision: str = "head", *,
                  default_timezone: str = FALLBACK_TIMEZONE) -> None:
    """`default_timezone`: the installation's DEFAULT_TIMEZONE, for a data migration that needs
    a zone where a row names none (0010); scratch and test databases use the fallback."""

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        config.attributes["default_timezone"] = default_timezone
        command.upgrade(config, revision)

    async with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            async with conn.begin():
                await conn.run_sync(run)
            return
        # SQLite ALTERs by rebuilding a table (Alembic batch mode): dropping the old `coaches`
        # or `participants` fails on their children's foreign keys once there is data. So the
        # keys are off while migrating (the pragma only works outside a transaction) and checked
        # as a whole before the commit: a real violation still rolls everything back.
        await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        await conn.commit()
        try:
            async with conn.begin():
                await conn.run_sync(run)
                broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} broken references "
                                       f"(first: table {broken[0][0]})")
        finally:
            await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            await conn.commit()


async def current_revision(engine: AsyncEngine) -> str | None:
    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(read)


async def is_current(engine: AsyncEngine) -> bool:
    return await current_revision(engine) == head_revision()
