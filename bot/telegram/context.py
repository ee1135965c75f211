"""The typed context every handler receives, and the services it carries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from bot.bootstrap import Services

if TYPE_CHECKING:
    from bot.flows.identity import Who

# Services is built by bot.bootstrap.build_services; named here too for the modules that
# reach it through the context.
__all__ = ["BotContext", "Services"]


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
