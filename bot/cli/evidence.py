"""`python -m bot report | import-brug | export-research`: evidence for evaluators and
researchers, from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli import common
from bot.config import Settings

if TYPE_CHECKING:
    from bot.bootstrap import Services


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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

    async def work(services: Services) -> int:
        report = await build_report(services.db, args.org, start=args.start,
                                    end=args.end, language=args.lang)
        print(terminal_text(report, args.suppress_below))
        for path in write_report(report, args.out, suppress_below=args.suppress_below):
            print(f"wrote {path}")
        if args.suppress_below and args.suppress_below > 1:
            print("charts left out: bar lengths would show the suppressed counts")
        return 0

    return common._run_admin(settings, work)


def _import_brug(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.brug_import import ImportRefused, import_brug

    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1

    async def work(services: Services) -> int:
        result = await import_brug(services.db, args.org, raw, common._now(),
                                   dry_run=args.dry_run)
        if isinstance(result, ImportRefused):
            for problem in result.problems:
                print(f"error: {problem}", file=sys.stderr)
            print("nothing was imported", file=sys.stderr)
            return 1
        print(result.summary())
        return 0

    return common._run_admin(settings, work)


def _export_research(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.research_export import export_research

    async def work(services: Services) -> int:
        for path, rows in await export_research(services.db, args.org, args.out):
            print(f"wrote {path} ({rows} rows)")
        return 0

    return common._run_admin(settings, work)
