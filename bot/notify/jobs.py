"""The periodic jobs on PTB's JobQueue (APScheduler): the dispatcher tick and the planner sweep.

APScheduler only holds these two in-memory timers; every future message lives in the outbox table,
so a restart loses nothing and needs no job store.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import Application, CallbackContext

from bot.context import Services
from bot.flows.brug_invites import plan_invitations
from bot.flows.digest import plan_digests
from bot.flows.reminders import plan_sweep
from bot.notify.dispatcher import Dispatcher
from bot.storage.uow import outbox_due_now

log = logging.getLogger(__name__)

SWEEP_INTERVAL = timedelta(minutes=15)


async def wake_after_update(_update: Update, context: CallbackContext) -> None:  # type: ignore[type-arg]
    """Registered after every other handler: when handling this update queued a message that
    is due now (a card, a notice), the dispatcher sends it at once instead of at its next tick.
    The person's own answer (the acknowledgement, the edited list) has gone out by now."""
    if not outbox_due_now.get():
        return
    outbox_due_now.set(False)
    dispatcher = context.application.bot_data.get("dispatcher")
    if isinstance(dispatcher, Dispatcher):
        dispatcher.wake()


def schedule(app: Application, services: Services) -> Dispatcher:  # type: ignore[type-arg]
    dispatcher = Dispatcher(services.db, services.clock, app.bot)
    app.bot_data["dispatcher"] = dispatcher
    queue = app.job_queue
    if queue is None:  # PTB installed without the job-queue extra
        raise RuntimeError("python-telegram-bot[job-queue] is required for the outbox")
    # One tick at a time: a long backlog keeps the running tick busy instead of piling up ticks.
    job_kwargs = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}

    async def tick(_: CallbackContext) -> None:  # type: ignore[type-arg]
        stats = await dispatcher.tick()
        if stats.sent or stats.failed or stats.blocked:
            log.info("outbox: %s", stats)

    async def sweep(_: CallbackContext) -> None:  # type: ignore[type-arg]
        now = services.clock.now()
        planned = await plan_sweep(services.db, now)
        planned += await plan_digests(services.db, now, services.settings.default_timezone)
        planned += await plan_invitations(services.db, now)
        if planned:
            log.info("planner sweep planned %s messages", planned)

    queue.run_repeating(tick, interval=services.settings.dispatch_interval_seconds, first=1,
                        name="outbox-dispatch", job_kwargs=job_kwargs)
    queue.run_repeating(sweep, interval=SWEEP_INTERVAL, first=30, name="planner-sweep",
                        job_kwargs=job_kwargs)
    return dispatcher
