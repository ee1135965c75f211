"""Command line: `python -m bot run | worker | migrate | check | admin ...`.

Roles: `run` answers updates (polling, or with RUN_MODE=webhook as one of several replicas
behind a load balancer) and dispatches the outbox; `worker` only dispatches and runs the
scheduled jobs, in any number. Every process dispatches; one send pace is kept for all of them
in PostgreSQL, and the scheduled jobs run in one process at a time (bot/storage/locks.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bot.cli import admin, evidence, runtime
from bot.config import Settings, SettingsError, load_settings
from bot.telegram.startup import EXIT_SETTINGS

# The commands live in groups, one module each (runtime, admin, evidence); what they share is in
# bot/cli/common.py. Each group imports common only, so the command line has no import cycle.


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
    runtime.add_commands(sub)
    admin.add_commands(sub)
    evidence.add_commands(sub)
    return parser
