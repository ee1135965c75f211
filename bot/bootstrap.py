"""The one place where the long-lived collaborators are built: `build_services(settings)`.

The bot (telegram/app.py), the worker, every command of `python -m bot`, the benches and the
tests build their `Services` here, so they all get the same database wiring (the reactions to
domain events, the installation's defaults on every unit of work) and none of them patches
global state: there is none. Code that needs the installation's zone, language or morning spread
reads `uow.defaults` (or `services.defaults`), or the person's own settings.

Content files (instruments, lessons, reward lists) stay in their cached loaders in bot/flows; the
bot's start checks them (`build_application` -> `require_content`), the command line does not
need them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import i18n
from bot.clock import Clock, SystemClock
from bot.config import Defaults, Settings
from bot.flows import reactions
from bot.storage.db import Database


@dataclass(frozen=True)
class Services:
    """Built once per process (per test) by `build_services`; handlers reach it as
    `context.services`."""

    settings: Settings
    db: Database
    clock: Clock
    # DEFAULT_TIMEZONE, DEFAULT_LOCALE, REMINDER_SPREAD_MINUTES: the same value the database
    # hands to every unit of work (`uow.defaults`).
    defaults: Defaults
    # The translations `_()` renders with (installed into bot.i18n).
    catalogs: i18n.Catalogs


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    catalogs: i18n.Catalogs | None = None,
) -> Services:
    """Settings -> Services. Opens no connection (the engine connects on first use).

    Tests and benches pass their own `clock` and already loaded `catalogs` (loading them is the
    slow part); production passes neither. Whoever builds Services disposes `services.db`.
    """
    defaults = Defaults.of(settings)
    loaded = catalogs or i18n.Catalogs.load(settings.default_locale)
    i18n.install(loaded)
    # Every unit of work runs the reactions to its domain events before it commits.
    db = reactions.install(Database.from_url(settings.database_url, defaults))
    return Services(settings=settings, db=db, clock=clock or SystemClock(), defaults=defaults,
                    catalogs=loaded)
