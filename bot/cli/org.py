"""`python -m bot admin org | coach-phone | handover` (issue 13): argument parsing only; the
use cases are in bot.flows.org_admin."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from bot.config import Settings
from bot.core import org_settings


def _bool(text: str) -> bool:
    try:
        return org_settings.parse_bool(text)
    except org_settings.SettingError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _typed(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def run(text: str) -> Any:
        try:
            return parse(text)
        except org_settings.SettingError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from exc
    return run


def add_commands(admin: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    org = admin.add_parser("org", help="show an organisation's settings, or change them")
    org.add_argument("organisation", help="organisation name or id")
    org.add_argument("--instrument", help="the Brug variant, e.g. brug-groningen")
    org.add_argument("--rewards", type=_bool, metavar="on|off")
    org.add_argument("--budget", type=_typed(org_settings.parse_budget_euros), metavar="EUROS",
                     help="the yearly reward budget in euros")
    org.add_argument("--digest", type=_bool, metavar="on|off",
                     help="the weekly digest of coaches who did not choose their own")
    org.add_argument("--digest-day", type=int, metavar="0-6", help="0 = Monday")
    org.add_argument("--digest-time", type=_typed(org_settings.parse_time), metavar="HH:MM",
                     help="the digest's time on the coach's clock")
    org.add_argument("--crisis-number", type=_typed(org_settings.parse_crisis_number),
                     action="append", default=[], metavar="LABEL=NUMBER",
                     help="a local number for the crisis route (repeat; same label replaces)")
    org.add_argument("--clear-crisis-numbers", action="store_true")
    org.add_argument("--coach-phone-visible", type=_bool, metavar="on|off",
                     help="show the coach's phone number in the crisis route")
    org.set_defaults(func=_org)
    phone = admin.add_parser("coach-phone", help="set or remove a coach's phone number")
    phone.add_argument("coach", type=int, help="coach id (see: admin org ORG)")
    phone.add_argument("number", nargs="?", default=None, help="leave out to remove it")
    phone.set_defaults(func=_coach_phone)
    move = admin.add_parser("handover", help="move a participant to another coach of the "
                                             "same organisation")
    move.add_argument("participant", type=int, help="participant id")
    move.add_argument("coach", type=int, help="the new coach's id")
    move.set_defaults(func=_handover)


def _run(settings: Settings, work: Callable[[Any], Any]) -> int:
    from bot.cli.common import _run_admin

    async def task(db: Any) -> int:
        for line in await work(db):
            print(line)
        return 0

    return _run_admin(settings, task)


def _org(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.common import _now
    from bot.flows.org_admin import Change, show_or_change

    change = Change(
        instrument=args.instrument, rewards=args.rewards, budget_cents=args.budget,
        digest=args.digest, digest_weekday=args.digest_day, digest_time=args.digest_time,
        crisis=tuple(args.crisis_number),
        clear_crisis=args.clear_crisis_numbers, coach_phone_visible=args.coach_phone_visible)
    return _run(settings, lambda db: show_or_change(db, args.organisation, change, _now()))


def _coach_phone(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.common import _now
    from bot.flows.org_admin import set_coach_phone

    async def work(db: Any) -> list[str]:
        return [await set_coach_phone(db, args.coach, args.number, _now())]
    return _run(settings, work)


def _handover(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.common import _now
    from bot.flows.org_admin import hand_over

    async def work(db: Any) -> list[str]:
        return [await hand_over(db, args.participant, args.coach, _now())]
    return _run(settings, work)
