"""A person using the bot, counted from outside: every command, typed message and button tap
they send is one interaction, however many messages the bot sends back.

Used to measure how many interactions a task takes (issue 15: a participant from the invite
link to the first tick, a coach from /nieuw to a saved plan).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.support.telegram_fake import FakeBotAPI, StoredMessage, html_to_plain
from tests.support.updates import TgUser, UpdateFactory


@dataclass
class Person:
    app: Any
    updates: UpdateFactory
    api: FakeBotAPI
    user: TgUser
    log: list[str] = field(default_factory=list)  # what they did, in order (for a failure)

    @property
    def count(self) -> int:
        return len(self.log)

    async def command(self, name: str, *args: str) -> None:
        self.log.append(f"/{name}")
        await self.app.process_update(self.updates.command(self.user, name, *args))

    async def type(self, text: str) -> None:
        self.log.append(f"typed {text!r}")
        await self.app.process_update(self.updates.text(self.user, text))

    async def tap(self, label: str, message: StoredMessage | None = None) -> None:
        self.log.append(f"tap {label!r}")
        await self.app.process_update(self.updates.tap(self.user, label, message))

    def buttons(self) -> list[str]:
        return self.updates.buttons(self.user)

    def last_text(self) -> str:
        """The newest message the bot sent to (or edited in) this person's chat, as shown."""
        return html_to_plain(self.api.last_message(self.user.id).text)

    def keyboards(self) -> list[StoredMessage]:
        """Messages in the chat that still carry buttons (what the person can still tap)."""
        return [m for m in self.api.messages.values() if m.chat_id == self.user.id
                and (m.reply_markup or {}).get("inline_keyboard")]
