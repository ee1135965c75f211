"""Start-up when Telegram or the database is out of reach, the token in logs and tracebacks,
and the webhook's secret: one clear line and a documented exit code, never the token."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from telegram import Bot
from telegram.error import InvalidToken

from bot.logging_setup import configure_logging, install_excepthook
from bot.telegram.startup import EXIT_DATABASE, EXIT_TELEGRAM, EXIT_TOKEN, backoff_seconds
from tests.support.bot_api_server import serve_bot_api

TOKEN = "123456789:TESTtokenTESTtokenTESTtokenTESTtok"
ROOT = Path(__file__).resolve().parent.parent


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    base.update({"BOT_TOKEN": TOKEN, "DATA_DIR": str(tmp_path / "data"), "START_RETRIES": "1",
                 "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"}, **env)
    return subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=base,
                          capture_output=True, text=True, timeout=60)


def test_telegram_unreachable_at_start_is_one_line_and_exit_3(tmp_path: Path) -> None:
    done = _run_bot(tmp_path, BOT_API_URL=f"http://127.0.0.1:{_closed_port()}")
    assert done.returncode == EXIT_TELEGRAM
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("error: Telegram cannot be reached at http://127.0.0.1:")
    assert "Traceback" not in done.stderr and TOKEN not in done.stderr + done.stdout
    # One warning per failed attempt (retried once with backoff), then the one error line.
    assert len(lines) == 2 and "attempt 1 of 2, next in 1 s" in lines[0]


def test_a_refused_token_is_named_without_printing_it(tmp_path: Path) -> None:
    with serve_bot_api("999:someoneelse") as url:
        done = _run_bot(tmp_path, BOT_API_URL=url)
    assert done.returncode == EXIT_TOKEN
    assert done.stderr.strip() == "error: Telegram refused the token; check BOT_TOKEN (@BotFather)"
    assert TOKEN not in done.stdout + done.stderr


def test_database_unreachable_at_start_is_one_line_and_exit_4(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/nothing"
    done = _run_bot(tmp_path, DATABASE_URL=url)
    assert done.returncode == EXIT_DATABASE
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("error: the database cannot be reached")
    assert len(lines) == 2 and "Traceback" not in done.stderr


def test_backoff_doubles_up_to_a_cap() -> None:
    assert [backoff_seconds(n) for n in (1, 2, 3, 4, 5, 6, 7)] == [1, 2, 4, 8, 16, 30, 30]


async def _invalid_token_error() -> InvalidToken:
    """The real error PTB raises when Telegram refuses a token: its text holds the token."""
    with serve_bot_api("999:someoneelse") as url:
        bot = Bot(TOKEN, base_url=f"{url}/bot")
        try:
            await bot.get_me()
        except InvalidToken as exc:
            return exc
    raise AssertionError("the token was accepted")


@pytest.mark.parametrize("json_lines", [False, True])
async def test_the_token_never_reaches_a_log_line_or_traceback(json_lines: bool) -> None:
    error = await _invalid_token_error()
    assert TOKEN in str(error) or TOKEN in repr(error.__traceback__.tb_frame.f_locals)
    out = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("INFO", [TOKEN], json_lines=json_lines, stream=out)
        # What telegram.ext does when polling fails: ERROR with the traceback attached.
        try:
            raise error
        except InvalidToken:
            logging.getLogger("telegram.ext.Updater").exception("Error while polling")
        logging.getLogger("bot").info("url https://api.telegram.org/bot%s/getMe", TOKEN)
    finally:
        root.handlers[:], root.level = saved
        sys.excepthook = sys.__excepthook__
    text = out.getvalue()
    assert TOKEN not in text
    assert "Traceback" in text and "InvalidToken" in text and "[redacted]" in text
    if json_lines:
        entries = [json.loads(line) for line in text.splitlines()]
        assert [e["level"] for e in entries] == ["ERROR", "INFO"]
        assert "InvalidToken" in entries[0]["traceback"]


def test_an_uncaught_traceback_at_exit_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    install_excepthook([TOKEN])
    try:
        try:
            raise RuntimeError(f"request to /bot{TOKEN}/getUpdates failed")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = sys.__excepthook__
    err = capsys.readouterr().err
    assert "RuntimeError" in err and TOKEN not in err and "/bot[redacted]/getUpdates" in err


async def test_webhook_requires_the_secret(app, telegram_api, updates, caplog) -> None:
    """The real tornado endpoint on loopback: no secret or a wrong one is refused (403) and
    logged without the value; the right one puts the update in the application's queue."""
    import tornado.httpserver

    from bot.telegram.webhook import PATH, SECRET_HEADER, endpoint

    server = tornado.httpserver.HTTPServer(endpoint(app, "s3cret-Token_1"))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.setblocking(False)
    server.add_sockets([sock])
    url = f"http://127.0.0.1:{sock.getsockname()[1]}{PATH}"
    body = {"update_id": 77, "message": {"message_id": 1, "date": 0, "text": "hoi",
                                         "chat": {"id": 5, "type": "private"},
                                         "from": {"id": 5, "is_bot": False, "first_name": "x"}}}
    try:
        async with httpx.AsyncClient() as client:
            with caplog.at_level(logging.WARNING, logger="bot.telegram.webhook"):
                missing = await client.post(url, json=body)
                wrong = await client.post(url, json=body, headers={SECRET_HEADER: "guess"})
            assert app.update_queue.empty()
            right = await client.post(url, json=body, headers={SECRET_HEADER: "s3cret-Token_1"})
    finally:
        server.stop()
    assert (missing.status_code, wrong.status_code, right.status_code) == (403, 403, 200)
    assert [r.getMessage() for r in caplog.records] == [
        "webhook call refused: missing secret token", "webhook call refused: wrong secret token"]
    assert "guess" not in caplog.text
    queued = app.update_queue.get_nowait()
    assert queued.update_id == 77
