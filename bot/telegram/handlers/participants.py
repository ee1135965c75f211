"""Everything a participant does: joining, home, the action list, pause. One register call."""

from __future__ import annotations

from telegram.ext import Application

from bot.telegram.handlers import home, my_steps, onboarding, pause
from bot.telegram.handlers.conversation import ConversationRouter


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    home.register(app, router)
    onboarding.register(app, router)
    my_steps.register(app, router)
    pause.register(app, router)
