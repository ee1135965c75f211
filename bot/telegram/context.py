"""The typed context every handler receives, and the services it carries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.config import Settings
from bot.storage.db import Database

if TYPE_CHECKING:
    from bot.flows.identity import Who


@dataclass
class Services:
    """Long-lived collaborators, built once in bot.telegram.app.build_application."""

    settings: Settings
    db: Database
    clock: Clock


class BotContext(CallbackContext[ExtBot[None], dict, dict, dict]):  # type: ignore[type-arg]
    """One context per update (PTB shares it across handler groups), so the account resolved in
    group -1 is visible to the handler that answers."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.who: Who | None = None

    @property
    def services(self) -> Services:
        services: Services = self.application.bot_data["services"]
        return services
