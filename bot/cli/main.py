"""Command line: `python -m bot run | worker | migrate | check | admin ...`.

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
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bot.cli.common import _now, _run_admin, _with_db
from bot.config import RunMode, Settings, SettingsError, load_settings
from bot.telegram.startup import EXIT_SETTINGS

log = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        if args.command == "check":
            print(f"FAIL settings: {exc}")
        else:
            print(f"error: {exc}", file=sys.stderr)
        return EXIT_SETTINGS
    from bot.logging_setup import configure_logging

    configure_logging(settings.log_level, [settings.bot_token.get_secret_value()],
                      json_lines=settings.log_format == "json")
    command: Callable[[Settings, argparse.Namespace], int] = args.func
    return command(settings, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="apply migrations, then run the bot").set_defaults(func=_run)
    sub.add_parser("worker", help="send the outbox and run scheduled jobs; no updates"
                   ).set_defaults(func=_worker)
    sub.add_parser("migrate", help="apply pending database migrations").set_defaults(
        func=_migrate
    )
    sub.add_parser("check", help="check settings, database, migrations and token").set_defaults(
        func=_check
    )
    admin = sub.add_parser("admin", help="operator tasks").add_subparsers(
        dest="admin_command", required=True
    )
    org = admin.add_parser("create-org", help="create an organisation")
    org.add_argument("name")
    org.add_argument("--instrument", default="brug-alphen",
                     help="the Brug variant (a file in locales/instruments/), e.g. brug-groningen")
    org.set_defaults(func=_create_org)
    coach = admin.add_parser("invite-coach", help="print a one-time coach link and QR code")
    coach.add_argument("organisation", help="organisation name or id")
    coach.add_argument("--qr", type=Path, default=None, help="where to write the QR code PNG")
    coach.set_defaults(func=_invite_coach)
    from bot.cli.org import add_commands as org_commands

    org_commands(admin)
    _evidence_commands(sub)
    return parser


def _evidence_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="the cohort report for evaluators")
    report.add_argument("--org", action="append", required=True,
                        help="organisation name or id (repeat for several)")
    report.add_argument("--from", dest="start", type=date.fromisoformat, default=None,
                        help="only participants added on or after this day (YYYY-MM-DD)")
    report.add_argument("--to", dest="end", type=date.fromisoformat, default=None,
                        help="only participants added on or before this day (YYYY-MM-DD)")
    report.add_argument("--out", type=Path, required=True, help="directory for the files")
    report.add_argument("--suppress-below", type=int, default=None, metavar="N",
                        help='show counts from 1 to N-1 as "<N" (for publication)')
    report.add_argument("--lang", choices=("nl", "en"), default="nl",
                        help="language of pillar and level names")
    report.set_defaults(func=_report)
    brug = sub.add_parser("import-brug", help="import paper Brug measurements from a CSV file")
    brug.add_argument("--org", required=True, help="organisation name or id")
    brug.add_argument("file", type=Path)
    brug.add_argument("--dry-run", action="store_true",
                      help="show what would change, change nothing")
    brug.set_defaults(func=_import_brug)
    export = sub.add_parser("export-research", help="pseudonymised CSV files for researchers")
    export.add_argument("--org", required=True, help="organisation name or id")
    export.add_argument("--out", type=Path, required=True, help="directory for the files")
    export.set_defaults(func=_export_research)


def _report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.report import build_report
    from bot.render.report_files import terminal_text, write_report

    async def work(db: object) -> int:
        report = await build_report(db, args.org, start=args.start,  # type: ignore[arg-type]
                                    end=args.end, language=args.lang)
        print(terminal_text(report, args.suppress_below))
        for path in write_report(report, args.out, suppress_below=args.suppress_below):
            print(f"wrote {path}")
        if args.suppress_below and args.suppress_below > 1:
            print("charts left out: bar lengths would show the suppressed counts")
        return 0

    return _run_admin(settings, work)


def _import_brug(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.brug_import import ImportRefused, import_brug

    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1

    async def work(db: object) -> int:
        result = await import_brug(db, args.org, raw, _now(),  # type: ignore[arg-type]
                                   dry_run=args.dry_run)
        if isinstance(result, ImportRefused):
            for problem in result.problems:
                print(f"error: {problem}", file=sys.stderr)
            print("nothing was imported", file=sys.stderr)
            return 1
        print(result.summary())
        return 0

    return _run_admin(settings, work)


def _export_research(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.research_export import export_research

    async def work(db: object) -> int:
        for path, rows in await export_research(db, args.org, args.out):  # type: ignore[arg-type]
            print(f"wrote {path} ({rows} rows)")
        return 0

    return _run_admin(settings, work)






def _migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.storage.migrate import upgrade

    async def work(db: object) -> int:
        await upgrade(db.engine)  # type: ignore[attr-defined]
        return 0

    code = asyncio.run(_with_db(settings, work))
    print("OK   database is at the newest schema")
    return code


def _run(settings: Settings, args: argparse.Namespace) -> int:
    from telegram.error import InvalidToken, NetworkError

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
        app = build_application(settings)
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

    from bot.content import ContentError
    from bot.telegram.app import build_application, freeze_startup_objects

    _migrate(settings, args)
    try:
        app = build_application(settings)
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
    from bot.storage.db import Database
    from bot.storage.migrate import current_revision, head_revision

    failures = 0
    db = Database.from_url(settings.database_url)
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


def _create_org(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.admin import create_organisation

    async def work(db: object) -> int:
        org_id = await create_organisation(db, args.name, _now(),  # type: ignore[arg-type]
                                           args.instrument)
        print(f"OK   organisation {org_id} created")
        return 0

    return _run_admin(settings, work)


def _invite_coach(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.admin import invite_coach
    from bot.flows.invites import deep_link
    from bot.render.qr import qr_png

    async def work(db: object) -> int:
        code = await invite_coach(db, args.organisation, _now())  # type: ignore[arg-type]
        link = deep_link(await _bot_username(settings), code)
        qr_path = args.qr or settings.data_dir / "invites" / f"coach-invite-{code[:6]}.png"
        qr_path.parent.mkdir(parents=True, exist_ok=True)
        qr_path.write_bytes(qr_png(link))
        print(link)
        print(f"QR code: {qr_path}")
        print("This link works once and is valid for 14 days.")
        return 0

    return _run_admin(settings, work)





