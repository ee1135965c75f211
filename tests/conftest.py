"""Shared fixtures: databases, clock, translations, the services built by the bootstrap
(bot/bootstrap.py, as in production), and the real PTB Application wired to a fake Bot API. The
network guard is installed before any test runs, so the suite cannot reach the internet
(loopback stays open for PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot import i18n
from bot.bootstrap import Services, build_services
from bot.config import Settings, load_settings
from bot.storage.db import Database
from bot.telegram.app import build_application
from tests.support import network_guard
from tests.support.clock import FakeClock
from tests.support.databases import TestDatabases

if TYPE_CHECKING:
    from tests.support.telegram_fake import FakeBotAPI
    from tests.support.updates import UpdateFactory

TEST_TOKEN = "123456789:TESTtokenTESTtokenTESTtokenTESTtok"


def pytest_configure(config: pytest.Config) -> None:
    network_guard.install()


def pytest_report_header(config: pytest.Config) -> str:
    from tests.support.databases import test_database_url

    return "database: " + ("PostgreSQL" if test_database_url() else "SQLite")


@pytest.fixture(scope="session")
def catalogs() -> i18n.Catalogs:
    loaded = i18n.Catalogs.load("nl")
    i18n.install(loaded)
    return loaded


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabases]:
    dbs = TestDatabases(tmp_path_factory.mktemp("db"))
    dbs.setup()
    yield dbs
    dbs.teardown()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(databases: TestDatabases, tmp_path: Path) -> Settings:
    return load_settings(
        _env_file=None,
        BOT_TOKEN=TEST_TOKEN,
        DATABASE_URL=databases.fresh_url(),
        DATA_DIR=str(tmp_path),
        BOT_USERNAME="BrugTestBot",
        # Reminders at the exact moment, so tests can name the minute; spreading a moment's
        # reminders (default 30 minutes) has tests of its own (tests/test_reminder_spread.py).
        REMINDER_SPREAD_MINUTES=0,
    )


@pytest.fixture
async def services(
    settings: Settings, clock: FakeClock, catalogs: i18n.Catalogs, databases: TestDatabases
) -> AsyncIterator[Services]:
    built = build_services(settings, clock=clock, catalogs=catalogs)
    try:
        yield built
    finally:
        await databases.clean(built.db)
        await built.db.dispose()


@pytest.fixture
def db(services: Services) -> Database:
    return services.db


@pytest.fixture
def telegram_api() -> Iterator[FakeBotAPI]:
    from tests.support.telegram_fake import FakeBotAPI

    fake = FakeBotAPI()
    yield fake
    fake.finish()
    # Anything Telegram would have refused fails the test that caused it.
    assert not fake.violations, "Telegram would refuse:\n" + "\n".join(fake.violations)


@pytest.fixture
async def app(services: Services, telegram_api: FakeBotAPI) -> AsyncIterator[object]:
    application = build_application(services, request=telegram_api)
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        telegram_api.clear()
        yield application
        # A tick woken by the test's last update may still run: done before the database is
        # cleaned (a TRUNCATE beside a running transaction can deadlock on PostgreSQL).
        dispatcher = application.bot_data.get("dispatcher")
        if dispatcher is not None:
            await dispatcher.settle()


@pytest.fixture
def updates(app: object, telegram_api: FakeBotAPI) -> UpdateFactory:
    from tests.support.updates import UpdateFactory

    return UpdateFactory(app.bot, telegram_api)  # type: ignore[attr-defined]
