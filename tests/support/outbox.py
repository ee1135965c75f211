"""Letting the outbox do its work in a test: the real dispatcher of the real application."""

from __future__ import annotations

from typing import Any

from bot.notify.dispatcher import Dispatcher, Stats


def dispatcher_of(app: Any) -> Dispatcher:
    found: Dispatcher = app.bot_data["dispatcher"]
    return found


async def woken(app: Any) -> None:
    """Wait for the ticks that handling an update started (what production does by itself)."""
    await dispatcher_of(app).settle()


async def deliver(app: Any) -> Stats:
    """Wait for woken ticks, then tick once more, as the JobQueue timer would."""
    await woken(app)
    return await dispatcher_of(app).tick()
