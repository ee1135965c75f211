"""Settings from the environment and an optional `.env` file.

Invalid settings fail fast with one line that names the setting and how to fix it; the command
line turns `SettingsError` into exit code 2 without a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_URL = "sqlite+aiosqlite:///./data/bot.sqlite3"
SUPPORTED_LOCALES = ("nl", "en")
# The only place these literals live: everything else reads the settings (or their Defaults).
FALLBACK_TIMEZONE = "Europe/Amsterdam"
FALLBACK_LOCALE = "nl"
_TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,80}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# How to fix each setting, in one short sentence for the operator.
_HINTS = {
    "BOT_TOKEN": "set BOT_TOKEN to the token @BotFather gave you (digits:letters)",
    "DATABASE_URL": "use sqlite+aiosqlite:///path.db or postgresql+asyncpg://user@host/db",
    "RUN_MODE": "use 'polling' or 'webhook'",
    "WEBHOOK_URL": "set WEBHOOK_URL to the public https:// address when RUN_MODE=webhook",
    "WEBHOOK_SECRET": "set WEBHOOK_SECRET to 1-256 characters of A-Z a-z 0-9 _ -",
    "DEFAULT_LOCALE": "use one of: " + ", ".join(SUPPORTED_LOCALES),
    "DEFAULT_TIMEZONE": "use an IANA zone name such as Europe/Amsterdam",
    "LOG_LEVEL": "use DEBUG, INFO, WARNING or ERROR",
    "LISTEN_PORT": "use a port number between 1 and 65535",
    "LOG_FORMAT": "use 'text' or 'json'",
    "RETENTION_MONTHS": "use a whole number of months, at least 1",
    "START_RETRIES": "use a whole number from 0 to 100",
    "OUTBOX_CLAIM_TIMEOUT_SECONDS": "use a number of seconds between 2 and 3600",
    "SEND_RATE": "use messages per second above 0 and at most 30",
    "OUTBOX_KEEP_DAYS": "use a number of days, at least 7",
    "REMINDER_SPREAD_MINUTES": "use a whole number of minutes from 0 to 180",
}


@dataclass(frozen=True)
class Defaults:
    """The installation's DEFAULT_TIMEZONE, DEFAULT_LOCALE and REMINDER_SPREAD_MINUTES, for code
    that has no person's own settings at hand (use cases, the dispatcher). A value, built once
    from the settings by the bootstrap (bot/bootstrap.py) and handed to every unit of work
    (`uow.defaults`); never a module-level variable."""

    timezone: str
    locale: str
    reminder_spread_minutes: int

    @classmethod
    def of(cls, settings: Settings) -> Defaults:
        return cls(timezone=settings.default_timezone, locale=settings.default_locale,
                   reminder_spread_minutes=settings.reminder_spread_minutes)


class SettingsError(Exception):
    """A missing or invalid setting; the message is one line meant for the operator."""


class RunMode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr = Field(alias="BOT_TOKEN")
    database_url: str = Field(default=DEFAULT_SQLITE_URL, alias="DATABASE_URL")
    bot_api_url: str | None = Field(default=None, alias="BOT_API_URL")
    # Optional: saves a getMe call when printing invite links from the command line.
    bot_username: str | None = Field(default=None, alias="BOT_USERNAME")
    run_mode: RunMode = Field(default=RunMode.POLLING, alias="RUN_MODE")
    webhook_url: str | None = Field(default=None, alias="WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(default=None, alias="WEBHOOK_SECRET")
    listen_host: str = Field(default="0.0.0.0", alias="LISTEN_HOST")
    listen_port: int = Field(default=8080, ge=1, le=65535, alias="LISTEN_PORT")
    default_locale: str = Field(default=FALLBACK_LOCALE, alias="DEFAULT_LOCALE")
    default_timezone: str = Field(default=FALLBACK_TIMEZONE, alias="DEFAULT_TIMEZONE")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    data_dir: Path = Field(default=Path("./data"), alias="DATA_DIR")
    dispatch_interval_seconds: float = Field(default=5.0, gt=0, alias="DISPATCH_INTERVAL_SECONDS")
    # `json`: one JSON object per log line, for a log collector.
    log_format: Literal["text", "json"] = Field(default="text", alias="LOG_FORMAT")
    # Personal data of a trajectory that ended this many months ago is erased (docs/privacy.md).
    retention_months: int = Field(default=12, ge=1, le=120, alias="RETENTION_MONTHS")
    # Start-up: how often Telegram and the database are tried before giving up (with backoff).
    start_retries: int = Field(default=5, ge=0, le=100, alias="START_RETRIES")
    # A claim not renewed for this long belongs to a process that is gone; a live sender renews
    # its claims every quarter of it.
    outbox_claim_timeout_seconds: float = Field(default=60.0, ge=2, le=3600,
                                                alias="OUTBOX_CLAIM_TIMEOUT_SECONDS")
    # Messages a second for the whole installation (all processes): Telegram allows 30.
    send_rate: float = Field(default=29.0, gt=0, le=30, alias="SEND_RATE")
    # Sent, skipped, failed and cancelled outbox rows are deleted after this many days.
    outbox_keep_days: int = Field(default=90, ge=7, alias="OUTBOX_KEEP_DAYS")
    # A moment's reminders are spread over this many minutes after it, each participant on a
    # minute of their own, so the installation's burst drains within it (docs/outbox.md).
    reminder_spread_minutes: int = Field(default=30, ge=0, le=180,
                                         alias="REMINDER_SPREAD_MINUTES")

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not _TOKEN_RE.match(value.get_secret_value()):
            raise ValueError("does not look like a bot token")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("default_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError("unsupported locale")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("unknown time zone") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("unknown log level")
        return level

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET_RE.match(value.get_secret_value()):
            raise ValueError("invalid characters")
        return value

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> Settings:
        if self.run_mode is RunMode.WEBHOOK:
            if not self.webhook_url or not self.webhook_url.startswith("https://"):
                raise ValueError("WEBHOOK_URL: missing or not https")
            if self.webhook_secret is None:
                raise ValueError("WEBHOOK_SECRET: missing")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def normalize_database_url(url: str) -> str:
    """Accept the common spellings and pick the async drivers we ship."""
    url = url.strip()
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///") or url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url.split("://", 1)[1]
    if url.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        return url
    raise ValueError("unsupported database URL")


def load_settings(**overrides: object) -> Settings:
    """Build Settings or raise SettingsError with one operator-friendly line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    error = exc.errors()[0]
    loc = error.get("loc") or ()
    name = str(loc[0]).upper() if loc else ""
    message = str(error.get("msg", "invalid"))
    message = message.removeprefix("Value error, ")
    if not name:  # model-level check: the message starts with the setting's name
        name, _, message = (part.strip() for part in message.partition(":"))
    problem = "is missing" if error.get("type") == "missing" else f"is invalid ({message})"
    hint = _HINTS.get(name, "check its value")
    return f"Setting {name} {problem}: {hint}."
