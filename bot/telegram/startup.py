"""Start-up checks for `python -m bot run`: the database and Telegram, each tried with backoff.

When one stays out of reach the operator gets one clear line and a documented exit code
(docs/operations.md) instead of a long traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError

from bot.config import Settings

log = logging.getLogger("bot.telegram.startup")

EXIT_OK = 0
EXIT_SETTINGS = 2  # a setting or a content file is wrong
EXIT_TELEGRAM = 3  # Telegram could not be reached
EXIT_DATABASE = 4  # the database could not be reached
EXIT_TOKEN = 5  # Telegram refused the token

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class StartFailure(Exception):
    code: int
    line: str


def backoff_seconds(attempt: int, cap: float = 30.0) -> float:
    """1, 2, 4, 8, ... seconds, at most `cap`."""
    return min(cap, float(2 ** max(0, attempt - 1)))


async def _with_retries(what: str, attempt_once: Callable[[], Awaitable[T]], retries: int,
                        is_transient: Callable[[BaseException], bool], failure: StartFailure,
                        sleep: Sleep) -> T:
    for attempt in range(1, retries + 2):
        try:
            return await attempt_once()
        except StartFailure:
            raise
        except Exception as exc:
            if not is_transient(exc):
                raise
            if attempt > retries:
                raise failure from None
            wait = backoff_seconds(attempt)
            log.warning("%s not reachable (%s); attempt %s of %s, next in %.0f s", what,
                        type(exc).__name__, attempt, retries + 1, wait)
            await sleep(wait)
    raise failure  # pragma: no cover - the loop always returns or raises


def _database_transient(exc: BaseException) -> bool:
    from bot.storage.db import unreachable

    return unreachable(exc)


async def migrate_database(settings: Settings, sleep: Sleep = asyncio.sleep) -> None:
    """Apply migrations, retrying while the database cannot be reached."""
    from bot.storage.db import create_engine
    from bot.storage.migrate import upgrade

    async def once() -> None:
        # An engine of its own: the application's database (bot/bootstrap.py) lives on the
        # event loop the bot runs, this one on the loop of this check.
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine, default_timezone=settings.default_timezone)
        finally:
            await engine.dispose()

    await _with_retries(
        "database", once, settings.start_retries, _database_transient,
        StartFailure(EXIT_DATABASE, "error: the database cannot be reached; check DATABASE_URL "
                                    "and that the database server is running"),
        sleep)


async def check_telegram(settings: Settings, sleep: Sleep = asyncio.sleep) -> str:
    """getMe with retries: the bot's username, or a StartFailure naming what is wrong."""
    base = (settings.bot_api_url or "https://api.telegram.org").rstrip("/")

    async def once() -> str:
        async with Bot(settings.bot_token.get_secret_value(), base_url=f"{base}/bot") as bot:
            me = await bot.get_me()
        return me.username or ""

    def transient(exc: BaseException) -> bool:
        return isinstance(exc, NetworkError | RetryAfter) and not isinstance(exc, InvalidToken)

    try:
        return await _with_retries(
            "Telegram", once, settings.start_retries, transient,
            StartFailure(EXIT_TELEGRAM, f"error: Telegram cannot be reached at {base}; "
                                        "check the network (and BOT_API_URL if set)"),
            sleep)
    except InvalidToken:
        raise StartFailure(EXIT_TOKEN, "error: Telegram refused the token; check BOT_TOKEN "
                                       "(@BotFather)") from None
    except TelegramError as exc:
        raise StartFailure(EXIT_TELEGRAM, f"error: Telegram answered {type(exc).__name__} "
                                          "at start; try again later") from None
