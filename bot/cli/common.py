"""What every admin command shares: one clock reading, one database with its reactions, and a
refusal turned into one line."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.config import Settings


def _now() -> datetime:
    return datetime.now(UTC)


async def _with_db(settings: Settings, work: Callable[..., Awaitable[int]]) -> int:
    from bot.config import use_defaults
    from bot.flows import reactions
    from bot.storage.db import Database

    # Admin commands plan messages too (a handover, the org's digest default): the same zone,
    # language and morning spread as the running bot.
    use_defaults(settings)
    db = reactions.install(Database.from_url(settings.database_url))
    try:
        return await work(db)
    finally:
        await db.dispose()


def _run_admin(settings: Settings, work: Callable[..., Awaitable[int]]) -> int:
    """An admin command: migrate, run `work` with a database, and turn a refusal into one line."""
    from bot.flows.admin import AdminError

    try:
        _migrate_quietly(settings)
        return asyncio.run(_with_db(settings, work))
    except AdminError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _migrate_quietly(settings: Settings) -> None:
    from bot.storage.migrate import upgrade

    async def work(db: object) -> int:
        await upgrade(db.engine)  # type: ignore[attr-defined]
        return 0

    asyncio.run(_with_db(settings, work))
