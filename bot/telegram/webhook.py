"""Webhook mode: our own small tornado endpoint in front of the PTB Application.

PTB's built-in webhook server compares the secret token with `!=` and logs a wrong token in
full at DEBUG. Here the secret is required, compared in constant time (`hmac.compare_digest`),
and a refused call is logged with its reason only. TLS ends at the reverse proxy
(docs/operations.md); this server listens on plain HTTP behind it.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from http import HTTPStatus

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import Application

from bot.config import Settings

log = logging.getLogger("bot.telegram.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PATH = "/telegram"
MAX_BODY = 1_000_000


def secret_matches(given: str | None, secret: str) -> bool:
    """Constant time in the length of the secret, whatever was sent."""
    return given is not None and hmac.compare_digest(given.encode(), secret.encode())


class UpdateEndpoint(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, app: Application, secret: str) -> None:  # type: ignore[type-arg]
        self.app = app
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER)
        if not secret_matches(given, self.secret):
            log.warning("webhook call refused: %s secret token",
                        "missing" if given is None else "wrong")
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            update = Update.de_json(json.loads(self.request.body), self.app.bot)
        except (ValueError, TypeError, KeyError):
            log.warning("webhook call refused: not an update")
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if update is not None:
            await self.app.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def log_exception(self, *args: object) -> None:
        """HTTPError refusals are logged above; tornado would add request details."""


def endpoint(app: Application, secret: str) -> tornado.web.Application:  # type: ignore[type-arg]
    return tornado.web.Application([(PATH, UpdateEndpoint, {"app": app, "secret": secret})],
                                   log_function=lambda _handler: None)


async def serve(app: Application, settings: Settings,  # type: ignore[type-arg]
                stop: asyncio.Event) -> None:
    assert settings.webhook_url and settings.webhook_secret  # checked by Settings
    secret = settings.webhook_secret.get_secret_value()
    server = tornado.httpserver.HTTPServer(endpoint(app, secret), max_body_size=MAX_BODY)
    server.listen(settings.listen_port, settings.listen_host)
    async with app:
        # run_polling would call these two hooks; with our own server we do.
        if app.post_init is not None:
            await app.post_init(app)
        await app.bot.set_webhook(settings.webhook_url, secret_token=secret,
                                  allowed_updates=["message", "callback_query"])
        await app.start()
        try:
            await stop.wait()
        finally:
            server.stop()
            await app.stop()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)


def run_webhook(app: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(app, settings, stop)

    asyncio.run(main())
