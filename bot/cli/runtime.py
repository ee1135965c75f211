"""`python -m bot run | worker | migrate | check`: running the bot and looking after it.

Roles: `run` answers updates (polling, or with RUN_MODE=webhook as one of several replicas
behind a load balancer) and dispatches the outbox; `worker` only dispatches and runs the
scheduled jobs, in any number. Every process dispatches; one send pace is kept for all of them
in PostgreSQL, and the scheduled jobs run in one process at a time (bot/storage/locks.py).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.cli.common import _bot_username, _migrate
from bot.config import RunMode, Settings
from bot.telegram.startup import EXIT_SETTINGS

log = logging.getLogger("bot")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("run", help="apply migrations, then run the bot").set_defaults(func=_run)
    sub.add_parser("worker", help="send the outbox and run scheduled jobs; no updates"
                   ).set_defaults(func=_worker)
    sub.add_parser("migrate", help="apply pending database migrations").set_defaults(
        func=_migrate_command
    )
    sub.add_parser("check", help="check settings, database, migrations and token").set_defaults(
        func=_check
    )


def _migrate_command(settings: Settings, _args: argparse.Namespace) -> int:
    code = _migrate(settings)
    print("OK   database is at the newest schema")
    return code


def _run(settings: Settings, args: argparse.Namespace) -> int:
    from telegram.error import InvalidToken, NetworkError

    from bot.bootstrap import build_services
    from bot.content import ContentError
    from bot.telegram.app import build_application
    from bot.telegram.startup import (
        EXIT_TELEGRAM,
        EXIT_TOKEN,
        StartFailure,
        check_telegram,
        migrate_database,
    )

    try:
        # The database first (migrations), then Telegram: each with retries and backoff.
        asyncio.run(migrate_database(settings))
        print("OK   database is at the newest schema")
        asyncio.run(check_telegram(settings))
    except StartFailure as failure:
        print(failure.line, file=sys.stderr)
        return failure.code
    try:
        app = build_application(build_services(settings))
    except ContentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SETTINGS
    from bot.telegram.app import AnotherPoller, freeze_startup_objects

    freeze_startup_objects()

    log.info("starting in %s mode", settings.run_mode.value)
    try:
        if settings.run_mode is RunMode.WEBHOOK:
            from bot.telegram.webhook import run_webhook

            run_webhook(app, settings)
        else:
            app.bot_data["role"] = "poll"
            app.run_polling(allowed_updates=["message", "callback_query"])
    except AnotherPoller as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except InvalidToken:
        print("error: Telegram refused the token; check BOT_TOKEN (@BotFather)", file=sys.stderr)
        return EXIT_TOKEN
    except NetworkError as exc:
        print(f"error: Telegram cannot be reached ({type(exc).__name__}); check the network",
              file=sys.stderr)
        return EXIT_TELEGRAM
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    """Dispatch and scheduled jobs only: the application without an updater."""
    import signal

    from bot.bootstrap import build_services
    from bot.content import ContentError
    from bot.telegram.app import build_application, freeze_startup_objects

    _migrate_command(settings, args)
    try:
        app = build_application(build_services(settings))
    except ContentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SETTINGS
    app.bot_data["role"] = "worker"
    freeze_startup_objects()

    async def work() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with app:  # initialize ... shutdown
            assert app.post_init is not None
            await app.post_init(app)
            await app.start()  # the JobQueue: dispatcher ticks, the planner sweep
            log.info("worker started")
            await stop.wait()
            await app.stop()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)

    asyncio.run(work())
    return 0


def _check(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.content import check_content

    print("OK   settings")
    failures = 0
    for checked in check_content():
        if checked.problem is None:
            print(f"OK   content {checked.path}")
        else:
            failures += 1
            print(f"FAIL content {checked.path}: {checked.problem}")
    return max(asyncio.run(_check_async(settings)), 1 if failures else 0)


async def _check_async(settings: Settings) -> int:
    from bot.bootstrap import build_services
    from bot.i18n import CatalogError
    from bot.storage.migrate import current_revision, head_revision

    failures = 0
    try:
        db = build_services(settings).db
    except CatalogError as exc:  # the translations are loaded with the services
        print(f"FAIL translations: {exc}")
        return 1
    try:
        await db.ping()
        print(f"OK   database reachable ({db.engine.dialect.name})")
        current, head = await current_revision(db.engine), head_revision()
        if current == head:
            print(f"OK   migrations current ({head})")
        else:
            failures += 1
            print(f"FAIL migrations: database at {current}, code at {head}; "
                  "run: python -m bot migrate")
    except Exception as exc:
        failures += 1
        print(f"FAIL database: {type(exc).__name__}: cannot connect; check DATABASE_URL")
    finally:
        await db.dispose()
    try:
        username = await _bot_username(settings, force=True)
        print(f"OK   token valid (bot @{username})")
    except Exception as exc:
        failures += 1
        print(f"FAIL token: {type(exc).__name__}; check BOT_TOKEN and the network")
    return 1 if failures else 0
