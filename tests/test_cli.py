"""The operator's command line, in-process: check, admin create-org, admin invite-coach."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.__main__ import main
from bot.bootstrap import build_services
from bot.config import load_settings
from bot.flows.invites import hash_code
from tests.support.bot_api_server import serve_bot_api

TOKEN = "123456789:TESTtokenTESTtokenTESTtokenTESTtok"

@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def test_check_reports_each_item(env: Path, monkeypatch, capsys) -> None:
    assert main(["migrate"]) == 0
    with serve_bot_api(TOKEN) as url:
        monkeypatch.setenv("BOT_API_URL", url)
        assert main(["check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "OK   settings" in lines
    assert any(line.startswith("OK   database reachable (sqlite)") for line in lines)
    assert any(line.startswith("OK   migrations current") for line in lines)
    assert "OK   token valid (bot @BrugTestBot)" in lines


def test_check_fails_clearly_on_a_fresh_database_and_a_wrong_token(
    env: Path, monkeypatch, capsys
) -> None:
    with serve_bot_api("999:other") as url:
        monkeypatch.setenv("BOT_API_URL", url)
        assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL migrations" in out and "python -m bot migrate" in out
    assert "FAIL token" in out
    assert TOKEN not in out


def test_check_names_a_bad_setting(env: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("RUN_MODE", "carrier-pigeon")
    assert main(["check"]) == 2
    out = capsys.readouterr().out
    assert out.startswith("FAIL settings") and "RUN_MODE" in out


def test_admin_creates_an_organisation_and_a_coach_link_with_qr(
    env: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("BOT_USERNAME", "BrugTestBot")
    assert main(["admin", "create-org", "Gemeente Alphen"]) == 0
    assert main(["admin", "create-org", "Gemeente Alphen"]) == 1
    assert "already exists" in capsys.readouterr().err
    qr = env / "coach.png"
    assert main(["admin", "invite-coach", "Gemeente Alphen", "--qr", str(qr)]) == 0
    link = capsys.readouterr().out.splitlines()[0]
    assert link.startswith("https://t.me/BrugTestBot?start=")
    code = link.split("=", 1)[1]
    assert 1 <= len(code) <= 64
    with Image.open(io.BytesIO(qr.read_bytes())) as image:
        assert image.width >= 300

    async def stored() -> str | None:
        db = build_services(load_settings()).db
        try:
            async with db.uow() as uow:
                invite = await uow.invites.by_hash(hash_code(code))
                return invite.kind if invite else None
        finally:
            await db.dispose()

    assert asyncio.run(stored()) == "coach"
    assert main(["admin", "invite-coach", "Nowhere"]) == 1
    assert "no organisation" in capsys.readouterr().err


def test_admin_org_shows_and_sets_settings_with_clear_errors(env: Path, capsys) -> None:
    assert main(["admin", "create-org", "Gemeente Alphen"]) == 0
    assert main(["admin", "org", "Gemeente Alphen"]) == 0
    out = capsys.readouterr().out
    assert "rewards:             off" in out and "crisis numbers:      none" in out
    assert main(["admin", "org", "Gemeente Alphen", "--rewards", "on", "--budget", "1500",
                 "--crisis-number", "Schuldhulp Alphen=0172-123456",
                 "--coach-phone-visible", "yes", "--digest", "off", "--digest-day", "4",
                 "--instrument", "brug-groningen"]) == 0
    out = capsys.readouterr().out
    assert "rewards:             on" in out and "1500.00 euro a year" in out
    assert "Schuldhulp Alphen: 0172-123456" in out and "coach phone visible: yes" in out
    assert "instrument:          brug-groningen" in out and "off, day 4" in out
    # Bad values: one clear line, nothing changed.
    for bad, says in ((["--budget", "-3"], "more than 0"), (["--rewards", "maybe"], "on/off"),
                      (["--crisis-number", "no number"], "label=number"),
                      (["--crisis-number", "X=call me"], "not a phone number"),
                      (["--instrument", "brug-nowhere"], "no instrument"),
                      (["--digest-day", "9"], "0 (Monday) to 6")):
        with pytest.raises(SystemExit) if bad[0] in ("--budget", "--rewards",
                                                     "--crisis-number") else _no_raise():
            assert main(["admin", "org", "Gemeente Alphen", *bad]) == 1
        assert says in capsys.readouterr().err
    assert main(["admin", "org", "Gemeente Alphen"]) == 0
    assert "1500.00 euro a year" in capsys.readouterr().out
    assert main(["admin", "coach-phone", "7", "06-1"]) == 1
    assert "no coach 7" in capsys.readouterr().err
    assert main(["admin", "handover", "1", "2"]) == 1
    assert "no such participant" in capsys.readouterr().err


class _no_raise:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_admin_commands_plan_with_the_configured_zone_language_and_spread(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A handover or the organisation's digest default plans messages from the command line:
    # they must use the installation's settings, not the built-in fallbacks. The command builds
    # its services through the bootstrap; what its units of work carry is what it plans with.
    from bot import bootstrap

    built: list[bootstrap.Services] = []
    real = bootstrap.build_services

    def spied(*args: Any, **kwargs: Any) -> bootstrap.Services:
        built.append(real(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(bootstrap, "build_services", spied)
    monkeypatch.setenv("DEFAULT_TIMEZONE", "America/Curacao")
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    monkeypatch.setenv("REMINDER_SPREAD_MINUTES", "45")
    assert main(["admin", "create-org", "Gemeente Alphen"]) == 0
    [services] = built
    defaults = services.db.uow().defaults
    assert (defaults.timezone, defaults.locale, defaults.reminder_spread_minutes) == (
        "America/Curacao", "en", 45)
