"""The periodic jobs on PTB's JobQueue (APScheduler): the dispatcher tick and the planner sweep.

APScheduler only holds these two in-memory timers; every future message lives in the outbox table,
so a restart loses nothing and needs no job store.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import Application, CallbackContext

from bot.flows.brug_invites import plan_invitations
from bot.flows.digest import plan_digests
from bot.flows.reminders import plan_sweep
from bot.notify.dispatcher import Dispatcher
from bot.notify.kinds import PURGED
from bot.notify.pacing import pacer_for
from bot.storage.db import Database
from bot.storage.locks import SCHEDULER, RoleLock
from bot.storage.uow import outbox_due_now
from bot.telegram.context import Services

log = logging.getLogger(__name__)

SWEEP_INTERVAL = timedelta(minutes=15)
# Removed once old: their keys hold a date or an event, so they are never planned again (a
# kind's `purged`). Kept for good: a step's check-in and a silence's welcome back (keys that
# mean "once, ever"), lessons (their count is the series' position), and any other kind.
PURGED_KINDS = PURGED


async def purge_outbox(db: Database, now: datetime, keep_days: int) -> int:
    """Closed rows older than `keep_days`, a bounded number per run."""
    async with db.uow() as uow:
        removed = await uow.outbox.purge_closed(before=now - timedelta(days=keep_days),
                                                kinds=PURGED_KINDS)
        await uow.commit()
    return removed


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
    settings = services.settings
    dispatcher = Dispatcher(
        services.db, services.clock, app.bot,
        claim_timeout=timedelta(seconds=settings.outbox_claim_timeout_seconds),
        pacer=pacer_for(services.db, settings.send_rate))
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

    scheduler = RoleLock(services.db, SCHEDULER)
    app.bot_data["scheduler_lock"] = scheduler

    async def sweep(_: CallbackContext) -> None:  # type: ignore[type-arg]
        # Once per installation: only the process holding the scheduler lock runs it (another
        # takes over within one interval when that process is gone).
        if not await scheduler.hold():
            return
        now = services.clock.now()
        planned = await plan_sweep(services.db, now)
        planned += await plan_digests(services.db, now, services.settings.default_timezone)
        planned += await plan_invitations(services.db, now)
        if planned:
            log.info("planner sweep planned %s messages", planned)
        removed = await purge_outbox(services.db, now, settings.outbox_keep_days)
        if removed:
            log.info("removed %s closed outbox rows", removed)

    queue.run_repeating(tick, interval=services.settings.dispatch_interval_seconds, first=1,
                        name="outbox-dispatch", job_kwargs=job_kwargs)
    queue.run_repeating(sweep, interval=SWEEP_INTERVAL, first=30, name="planner-sweep",
                        job_kwargs=job_kwargs)
    return dispatcher
