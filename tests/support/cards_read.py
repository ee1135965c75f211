"""Reading a card that was sent on its own: its caption is neutral (a lock screen shows it), so
the words are read the way the participant does, with the card's "Read the card" button."""

from __future__ import annotations

from typing import Any

from tests.support.telegram_fake import ApiCall, FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory


async def read_card(app: Any, api: FakeBotAPI, photo: ApiCall) -> str:
    """Press the card's button; the caption of the card shown in answer (all its words)."""
    (button,) = [b for b in photo.buttons if b.get("callback_data", "").startswith("cdo:")]
    chat = int(photo.params["chat_id"])
    message = api.last_message(chat)
    factory = UpdateFactory(app.bot, api, first_update_id=900_000 + len(api.calls))
    before = len(api.calls_to("sendPhoto"))
    await app.process_update(factory.press(TgUser(id=chat, first_name="x"), button["callback_data"],
                                           message))
    shown = api.calls_to("sendPhoto")[before:]
    assert len(shown) == 1, "the card's button showed no card"
    return str(shown[0].params["caption"])


def colour_pixels(png: bytes) -> int:
    """Strongly coloured pixels in a card's message area. The card's words are dark grey and
    the arch and heading line lie above this area, the signature below: what is coloured
    here is an emoji drawn in colour."""
    import io

    from PIL import Image

    from bot.render.card import HEIGHT, MARGIN, TEXT_TOP, WIDTH

    image = Image.open(io.BytesIO(png)).convert("RGB")
    raw = image.crop((MARGIN + 10, TEXT_TOP + 130, WIDTH - MARGIN - 10, HEIGHT - 330)).tobytes()
    return sum(1 for i in range(0, len(raw), 3) if max(raw[i:i + 3]) - min(raw[i:i + 3]) > 80)
