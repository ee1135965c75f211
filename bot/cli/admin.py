"""`python -m bot admin ...`: the operator's tasks (organisations, coach invites, an
organisation's settings, a coach's phone number, a handover). Argument parsing only; the use
cases are in bot.flows.admin and bot.flows.org_admin."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli import common
from bot.config import Settings
from bot.core import org_settings

if TYPE_CHECKING:
    from bot.bootstrap import Services
    from bot.storage.db import Database


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    _org_commands(admin)


def _create_org(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.admin import create_organisation

    async def work(services: Services) -> int:
        org_id = await create_organisation(services.db, args.name, common._now(),
                                           args.instrument)
        print(f"OK   organisation {org_id} created")
        return 0

    return common._run_admin(settings, work)


def _invite_coach(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.admin import invite_coach
    from bot.flows.invites import deep_link
    from bot.render.qr import qr_png

    async def work(services: Services) -> int:
        code = await invite_coach(services.db, args.organisation, common._now())
        link = deep_link(await common._bot_username(settings), code)
        qr_path = args.qr or settings.data_dir / "invites" / f"coach-invite-{code[:6]}.png"
        qr_path.parent.mkdir(parents=True, exist_ok=True)
        qr_path.write_bytes(qr_png(link))
        print(link)
        print(f"QR code: {qr_path}")
        print("This link works once and is valid for 14 days.")
        return 0

    return common._run_admin(settings, work)


# --- an organisation's settings, a coach's phone, a handover (issue 13) -----------------------


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


def _org_commands(admin: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def _print_lines(settings: Settings, work: Callable[[Database], Awaitable[list[str]]]) -> int:
    async def task(services: Services) -> int:
        for line in await work(services.db):
            print(line)
        return 0

    return common._run_admin(settings, task)


def _org(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.org_admin import Change, show_or_change

    change = Change(
        instrument=args.instrument, rewards=args.rewards, budget_cents=args.budget,
        digest=args.digest, digest_weekday=args.digest_day, digest_time=args.digest_time,
        crisis=tuple(args.crisis_number),
        clear_crisis=args.clear_crisis_numbers, coach_phone_visible=args.coach_phone_visible)
    return _print_lines(settings,
                        lambda db: show_or_change(db, args.organisation, change, common._now()))


def _coach_phone(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.org_admin import set_coach_phone

    async def work(db: Database) -> list[str]:
        return [await set_coach_phone(db, args.coach, args.number, common._now())]
    return _print_lines(settings, work)


def _handover(settings: Settings, args: argparse.Namespace) -> int:
    from bot.flows.org_admin import hand_over

    async def work(db: Database) -> list[str]:
        return [await hand_over(db, args.participant, args.coach, common._now())]
    return _print_lines(settings, work)
