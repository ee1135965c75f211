"""A scratch database for a benchmark: a new PostgreSQL database on the given server (dropped
afterwards), or an SQLite file in a temporary folder; and the services a bench runs on, built by
the bootstrap as production builds them."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.bootstrap import Services, build_services
from bot.clock import Clock
from bot.config import load_settings, normalize_database_url
from bot.storage.db import create_engine

TOKEN = "123456789:BENCHtokenBENCHtokenBENCHtokenBENC"


def services_for(url: str, *, clock: Clock | None = None, **env: object) -> Services:
    """Services on `url` (bot/bootstrap.py); `env` sets more settings by their names
    (BOT_TOKEN, REMINDER_SPREAD_MINUTES, ...), the process environment and .env are not read.
    The caller disposes `services.db`."""
    env.setdefault("BOT_TOKEN", TOKEN)
    return build_services(load_settings(_env_file=None, DATABASE_URL=url, **env), clock=clock)


@dataclass
class Scratch:
    url: str
    admin_url: str | None
    name: str
    tmp: tempfile.TemporaryDirectory[str] = field(repr=False)

    @property
    def folder(self) -> Path:
        return Path(self.tmp.name)

    @classmethod
    async def open(cls, postgres: str | None, prefix: str) -> Scratch:
        admin_url = normalize_database_url(postgres) if postgres else None
        name = f"{prefix}_{os.getpid()}"
        tmp = tempfile.TemporaryDirectory()
        if admin_url is None:
            return cls(f"sqlite+aiosqlite:///{tmp.name}/bench.sqlite3", None, name, tmp)
        await cls._admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await cls._admin(admin_url, f'CREATE DATABASE "{name}"')
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        return cls(url, admin_url, name, tmp)

    async def close(self) -> None:
        if self.admin_url is not None:
            await self._admin(self.admin_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.tmp.cleanup()

    @staticmethod
    async def _admin(admin_url: str, statement: str) -> None:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as conn:
                await conn.execute(text(statement))
        finally:
            await admin.dispose()
