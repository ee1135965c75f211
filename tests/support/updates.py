"""Build the updates a real Telegram client would send: a command, a text, a button press.

Updates go through `Update.de_json`, exactly as PTB parses what Telegram delivers. Button presses
refer to the message the bot really sent (as recorded by the fake), so edits land on it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Update

from tests.support.telegram_fake import FakeBotAPI, StoredMessage


@dataclass(frozen=True)
class TgUser:
    id: int
    first_name: str = "Test"
    language_code: str | None = "nl"
    last_name: str | None = None
    username: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("language_code", "last_name", "username"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


class UpdateFactory:
    def __init__(self, bot: Bot, api: FakeBotAPI | None = None, first_update_id: int = 1
                 ) -> None:
        self.bot = bot
        self.api = api
        self._update_ids = itertools.count(first_update_id)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._date = 1_770_000_000

    def _chat(self, user: TgUser) -> dict[str, Any]:
        return {"id": user.id, "type": "private", "first_name": user.first_name}

    def _message(self, user: TgUser, text: str, entities: list[dict[str, Any]] | None = None
                 ) -> dict[str, Any]:
        self._date += 1
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": self._date,
            "chat": self._chat(user), "from": user.to_dict(), "text": text,
        }
        if entities:
            message["entities"] = entities
        return message

    def _update(self, **payload: Any) -> Update:
        update = Update.de_json({"update_id": next(self._update_ids), **payload}, self.bot)
        assert update is not None
        return update

    def command(self, user: TgUser, name: str, *args: str) -> Update:
        text = " ".join([f"/{name}", *args])
        entity = {"type": "bot_command", "offset": 0, "length": len(name) + 1}
        return self._update(message=self._message(user, text, [entity]))

    def text(self, user: TgUser, text: str) -> Update:
        return self._update(message=self._message(user, text))

    def _media(self, user: TgUser, caption: str | None, **media: Any) -> Update:
        message = self._message(user, "")
        del message["text"]
        if caption is not None:
            message["caption"] = caption
        return self._update(message={**message, **media})

    def photo(self, user: TgUser, file_id: str = "AgACphoto", caption: str | None = None
              ) -> Update:
        """A photo as Telegram sends it: the same picture in several sizes, largest last."""
        sizes = [{"file_id": f"{file_id}-{width}", "file_unique_id": f"u{file_id}-{width}",
                  "width": width, "height": width * 3 // 4} for width in (90, 320, 1280)]
        return self._media(user, caption, photo=sizes)

    def voice(self, user: TgUser, file_id: str = "AwACvoice", duration: int = 7) -> Update:
        return self._media(user, None, voice={
            "file_id": file_id, "file_unique_id": f"u{file_id}", "duration": duration,
            "mime_type": "audio/ogg"})

    def document(self, user: TgUser, file_id: str = "BQACdoc", name: str = "brief.pdf",
                 mime: str = "application/pdf") -> Update:
        return self._media(user, None, document={
            "file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name,
            "mime_type": mime})

    def press(self, user: TgUser, data: str, message: StoredMessage | None = None) -> Update:
        """A tap on an inline button with this callback data, on `message` (default: the
        newest message the bot sent this user)."""
        if message is None:
            assert self.api is not None, "pass the message or give the factory the fake API"
            message = self.api.last_message(user.id)
        query_id = str(next(self._query_ids))
        if self.api is not None:
            self.api.callback_pressed(query_id)
        self._date += 1
        sent: dict[str, Any] = {
            "message_id": message.message_id, "date": self._date, "chat": self._chat(user),
            "from": {"id": 123456789, "is_bot": True, "first_name": "Brug"},
        }
        if message.kind == "photo":
            sent["photo"] = [{"file_id": f"photo{message.message_id}",
                              "file_unique_id": f"u{message.message_id}", "width": 1080,
                              "height": 900}]
            sent["caption"] = message.text
        else:
            sent["text"] = message.text
        return self._update(callback_query={
            "id": query_id, "from": user.to_dict(), "chat_instance": f"ci{user.id}",
            "data": data, "message": sent,
        })

    def tap(self, user: TgUser, label: str, message: StoredMessage | None = None) -> Update:
        """A tap on the button whose visible text contains `label`, as a person would choose."""
        assert self.api is not None
        message = message or self.api.last_message(user.id)
        markup = message.reply_markup or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if label in button["text"]:
                    return self.press(user, button["callback_data"], message)
        labels = [b["text"] for row in markup.get("inline_keyboard", []) for b in row]
        raise AssertionError(f"no button with {label!r}; buttons: {labels}")

    def buttons(self, user: TgUser) -> list[str]:
        assert self.api is not None
        markup = self.api.last_message(user.id).reply_markup or {}
        return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]
