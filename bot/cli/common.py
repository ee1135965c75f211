"""What the commands share: one clock reading, the services built by the bootstrap, the bot's
name, and a refusal turned into one line. Imports no other module of bot/cli."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from bot.bootstrap import Services

Work = Callable[["Services"], Awaitable[int]]


def _now() -> datetime:
    return datetime.now(UTC)


async def _with_services(settings: Settings, work: Work, *, migrate: bool = False) -> int:
    """Build the services (bot/bootstrap.py), optionally bring the schema up to date, run
    `work`, and close the database. Admin commands plan messages too (a handover, the
    organisation's digest default): through the bootstrap they use the same zone, language and
    morning spread as the running bot."""
    from bot.bootstrap import build_services
    from bot.storage.migrate import upgrade

    services = build_services(settings)
    try:
        if migrate:
            await upgrade(services.db.engine, default_timezone=settings.default_timezone)
        return await work(services)
    finally:
        await services.db.dispose()


def _run_admin(settings: Settings, work: Work) -> int:
    """An admin command: migrate, run `work` with the services, and turn a refusal into one
    line."""
    from bot.flows.admin import AdminError

    try:
        return asyncio.run(_with_services(settings, work, migrate=True))
    except AdminError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _migrate(settings: Settings) -> int:
    async def done(_services: Services) -> int:
        return 0

    return asyncio.run(_with_services(settings, done, migrate=True))


async def _bot_username(settings: Settings, force: bool = False) -> str:
    if settings.bot_username and not force:
        return settings.bot_username.lstrip("@")
    from telegram import Bot

    base_url = "https://api.telegram.org/bot"
    if settings.bot_api_url:
        base_url = settings.bot_api_url.rstrip("/") + "/bot"
    async with Bot(settings.bot_token.get_secret_value(), base_url=base_url) as bot:
        me = await bot.get_me()
    return me.username or ""
