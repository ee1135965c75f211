import subprocess
import sys

import pytest

from bot.config import DEFAULT_SQLITE_URL, RunMode, SettingsError, load_settings

TOKEN = "123456:" + "A" * 35


def settings(**env: str):
    return load_settings(_env_file=None, **env)


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "RUN_MODE", "DEFAULT_LOCALE", "DEFAULT_TIMEZONE", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    s = settings(BOT_TOKEN=TOKEN)
    assert s.database_url == DEFAULT_SQLITE_URL
    assert s.run_mode is RunMode.POLLING
    assert s.default_locale == "nl"
    assert s.default_timezone == "Europe/Amsterdam"
    assert TOKEN not in repr(s)  # a secret never shows up in logs or tracebacks


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": TOKEN, "DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"BOT_TOKEN": TOKEN, "RUN_MODE": "carrier-pigeon"}, "RUN_MODE"),
        ({"BOT_TOKEN": TOKEN, "RUN_MODE": "webhook"}, "WEBHOOK_URL"),
        (
            {"BOT_TOKEN": TOKEN, "RUN_MODE": "webhook", "WEBHOOK_URL": "https://x.example/t"},
            "WEBHOOK_SECRET",
        ),
        ({"BOT_TOKEN": TOKEN, "DEFAULT_LOCALE": "fr"}, "DEFAULT_LOCALE"),
        ({"BOT_TOKEN": TOKEN, "DEFAULT_TIMEZONE": "Mars/Olympus"}, "DEFAULT_TIMEZONE"),
        ({"BOT_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ],
)
def test_bad_setting_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], name: str
) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    with pytest.raises(SettingsError) as caught:
        settings(**env)
    message = str(caught.value)
    assert name in message
    assert "\n" not in message


def test_postgres_urls_get_the_async_driver() -> None:
    s = settings(BOT_TOKEN=TOKEN, DATABASE_URL="postgresql://postgres@127.0.0.1:5432/test")
    assert s.database_url == "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def test_cli_without_token_prints_one_line_and_exits_2(tmp_path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "BOT_TOKEN" in lines[0] and "Traceback" not in result.stderr
