"""Content files are loaded and validated when the application is built, and reported by
`python -m bot check`; the settings' zone and language are used where nothing else is known."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.bootstrap import build_services
from bot.config import load_settings
from bot.content import ContentError, check_content
from bot.flows import brug
from bot.i18n import LOCALES_DIR
from bot.telegram.app import build_application
from tests.support.bot_api_server import serve_bot_api

TOKEN = "123456789:TESTtokenTESTtokenTESTtokenTESTtok"


@pytest.fixture
def broken_instruments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the instruments with one file that says a pillar has no steps."""
    directory = tmp_path / "instruments"
    shutil.copytree(LOCALES_DIR / "instruments", directory)
    (directory / "zz-broken.yaml").write_text("key: zz-broken\npillars: []\n", encoding="utf-8")
    # Where the content lives is configuration: point it at the copy.
    monkeypatch.setattr(brug, "INSTRUMENTS_DIR", directory)
    return directory


def test_every_shipped_content_file_is_ok() -> None:
    checks = check_content()
    names = [c.path for c in checks]
    assert "instruments/brug-alphen.yaml" in names
    assert "lessons/nl.yaml" in names and "lessons/en.yaml" in names
    assert "rewards/default.yaml" in names
    assert [c for c in checks if c.problem is not None] == []


def test_a_broken_file_stops_the_build_with_one_line_naming_it(
    broken_instruments: Path, services
) -> None:
    with pytest.raises(ContentError) as caught:
        build_application(services)
    message = str(caught.value)
    assert message.startswith("content file instruments/zz-broken.yaml: ")
    assert "\n" not in message


def test_check_reports_ok_or_fail_per_file(
    broken_instruments: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    assert main(["migrate"]) == 0
    with serve_bot_api(TOKEN) as url:
        monkeypatch.setenv("BOT_API_URL", url)
        assert main(["check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "OK   content instruments/brug-alphen.yaml" in lines
    assert "OK   content lessons/nl.yaml" in lines
    assert "OK   content rewards/default.yaml" in lines
    assert any(line.startswith("FAIL content instruments/zz-broken.yaml: ") for line in lines)


async def test_the_settings_zone_and_language_are_the_defaults(
    db, tmp_path: Path, catalogs
) -> None:
    from datetime import UTC, datetime

    from bot.flows.identity import resolve
    from bot.i18n import format_datetime, using_locale

    settings = load_settings(_env_file=None, BOT_TOKEN=TOKEN, DEFAULT_TIMEZONE="Asia/Tokyo",
                             DEFAULT_LOCALE="en",
                             DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
                             DATA_DIR=str(tmp_path))
    services = build_services(settings, catalogs=catalogs)
    try:
        app = build_application(services)
        assert app.bot_data["services"].defaults.locale == "en"
        # Someone the bot does not know yet is served in the installation's zone and language.
        who = await resolve(services.db, 1, None, settings.default_locale)
        assert who.timezone == "Asia/Tokyo" and who.locale == "en"
        async with services.db.uow() as uow:
            assert (uow.defaults.timezone, uow.defaults.locale) == ("Asia/Tokyo", "en")
        with using_locale("en"):
            assert format_datetime(datetime(2026, 3, 10, 23, 30, tzinfo=UTC), "HH:mm",
                                   who.timezone) == "08:30"
    finally:
        await services.db.dispose()
