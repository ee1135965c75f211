"""Everything a participant does: joining, home, the action list, pause. One register call."""

from __future__ import annotations

from telegram.ext import Application

from bot.handlers import home, my_steps, onboarding, pause
from bot.handlers.conversation import TextRouter


def register(app: Application, texts: TextRouter) -> None:  # type: ignore[type-arg]
    home.register(app, texts)
    onboarding.register(app, texts)
    my_steps.register(app, texts)
    pause.register(app, texts)
