"""The retention job on PTB's JobQueue: erase what is past its period (bot/flows/privacy.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application, CallbackContext

from bot.flows.privacy import retention_sweep
from bot.telegram.context import Services

log = logging.getLogger(__name__)

RETENTION_INTERVAL = timedelta(hours=6)


def schedule(app: Application, services: Services) -> None:  # type: ignore[type-arg]
    queue = app.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot[job-queue] is required for the retention job")

    async def sweep(_: CallbackContext) -> None:  # type: ignore[type-arg]
        swept = await retention_sweep(services.db, services.clock.now(),
                                      services.settings.retention_months)
        if swept.erased or swept.outbox_dropped:
            log.info("retention: %s trajectories erased, %s outbox rows dropped",
                     swept.erased, swept.outbox_dropped)

    queue.run_repeating(sweep, interval=RETENTION_INTERVAL, first=60, name="retention",
                        job_kwargs={"max_instances": 1, "coalesce": True,
                                    "misfire_grace_time": None})
