"""build_application: the Telegram side of the wiring, on the Services the bootstrap built
(bot/bootstrap.py): the content check, the PTB Application, its handlers and jobs."""

from __future__ import annotations

import gc

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    TypeHandler,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.bootstrap import Services
from bot.content import require_content
from bot.notify import drawing, jobs, retention
from bot.notify.pacing import DirectAnswerLimiter
from bot.storage.locks import POLLING, RoleLock
from bot.telegram import handlers
from bot.telegram.context import BotContext
from bot.telegram.handlers.commands import publish_default_commands
from bot.telegram.updates import BotApplication, HandledUpdates, QuietEditsBot

__all__ = ["BotApplication", "build_application"]

# After every other handler of an update: its answer has gone out, so a card it queued may follow.
WAKE_GROUP = 1000


def build_application(services: Services, *, request: BaseRequest | None = None
                      ) -> BotApplication:
    """Wire the services (bot/bootstrap.py: build_services) and the handlers into a PTB
    Application.

    Tests pass their own `request` (the fake Bot API); production passes none.
    """
    settings = services.settings
    # Instruments, lessons and reward lists: a broken file stops the start, naming the file.
    require_content()
    base = (settings.bot_api_url or "https://api.telegram.org").rstrip("/")
    bot = QuietEditsBot(
        settings.bot_token.get_secret_value(),
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        # HTML everywhere: user text is always escaped before it is put in a message.
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        request=request or HTTPXRequest(connection_pool_size=256),
        get_updates_request=request or HTTPXRequest(),
        # The outbox's sends skip it: they keep one pace for all processes (bot/notify/pacing.py).
        rate_limiter=DirectAnswerLimiter(overall_max_rate=30, max_retries=3),
    )
    app = (
        ApplicationBuilder()
        .application_class(BotApplication)
        .bot(bot)
        .context_types(ContextTypes(context=BotContext))
        # Different chats concurrently; one chat's updates in order (BotApplication).
        .concurrent_updates(True)
        .post_init(_on_startup)
        .post_shutdown(_on_shutdown)
        .build()
    )
    assert isinstance(app, BotApplication)
    app.handled_updates = HandledUpdates(services.db, services.clock)
    app.bot_data["services"] = services
    handlers.register(app)
    app.add_handler(TypeHandler(Update, jobs.wake_after_update), group=WAKE_GROUP)
    return app


def freeze_startup_objects() -> None:
    """Once per process, after build_application: the modules, catalogs and content loaded at
    start live as long as the process, so full garbage collections need not walk them. Each
    such walk stops the event loop (hundreds of milliseconds on a busy machine), and the
    outbox's send slots are missed meanwhile. Not in tests: they build many applications."""
    gc.collect()
    gc.freeze()


class AnotherPoller(RuntimeError):
    """A second process tried to poll Telegram for this bot."""


async def _on_startup(app: Application) -> None:
    services: Services = app.bot_data["services"]
    if app.bot_data.get("role") == "poll":
        # Two getUpdates loops on one bot fight over the updates (409 Conflict): refuse.
        lock = RoleLock(services.db, POLLING)
        if not await lock.hold():
            raise AnotherPoller("another process already polls Telegram for this bot; run this "
                                "one as 'python -m bot worker', or use RUN_MODE=webhook")
        app.bot_data["polling_lock"] = lock
    await publish_default_commands(app.bot, services.settings.default_locale)
    # The outbox dispatcher and planner sweep (bot/notify/jobs.py) tick on PTB's JobQueue.
    jobs.schedule(app, services)
    retention.schedule(app, services)


async def _on_shutdown(app: Application) -> None:
    services: Services = app.bot_data["services"]
    dispatcher = app.bot_data.get("dispatcher")
    if dispatcher is not None:
        await dispatcher.settle()  # a woken tick finishes the messages in flight
    for name in ("polling_lock", "scheduler_lock"):
        lock = app.bot_data.get(name)
        if isinstance(lock, RoleLock):
            await lock.release()
    drawing.shutdown()
    await services.db.dispose()
