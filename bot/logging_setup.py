"""Logging that is safe for special-category data.

Log lines carry ids, kinds and outcomes, never names or message text. The bot token appears in
every Bot API URL, so it is scrubbed from every record whatever library logs it — from the
message, its arguments and the attached traceback (PTB logs network errors at ERROR with a
traceback whose frames and exception text hold the request URL). `LOG_FORMAT=json` writes one
JSON object per line for a log collector.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import TextIO

REDACTED = "[redacted]"


class Redactor:
    """Replaces every secret in a text. Telegram puts the token in URLs as `bot<token>/`."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text


class RedactFilter(logging.Filter):
    """Renders message and traceback once, redacted, and leaves nothing unredacted behind."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.redact = Redactor(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = self.redact(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = self.redact("".join(traceback.format_exception(*record.exc_info))
                                          .rstrip("\n"))
            # The formatter would otherwise format the live exception again, unredacted.
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["traceback"] = record.exc_text
        elif record.exc_info and record.exc_info[0] is not None:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, secrets: list[str], *, json_lines: bool = False,
                      stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if json_lines else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL (which holds the token) at INFO; APScheduler logs each run.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # tornado (webhook mode) would log request lines with client details at INFO.
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    install_excepthook(secrets)
    return handler


def install_excepthook(secrets: list[str]) -> None:
    """An exception nobody caught is printed redacted too (Python prints it at exit)."""
    redact = Redactor(secrets)

    def hook(kind: type[BaseException], value: BaseException,
             tb: TracebackType | None) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(kind, value, tb))))

    sys.excepthook = hook
