"""Callback data of the cards feature (prefixes `cd*`; `home:cards` opens the collection).

`CardFor(participant_id=...)` is the button other features put where a coach looks at one
participant ("send a card"): in /deelnemers and, later, the digest.
"""

from __future__ import annotations

from pydantic import Field

from bot.ui.buttons.base import CallbackData, Id


class CardFor(CallbackData, prefix="cdn"):
    """Coach: start writing a card for this participant."""

    participant_id: Id


class CardSuggestion(CallbackData, prefix="cdg"):
    """Coach: use suggestion number `index` as the message."""

    index: int = Field(ge=0, le=20)


class CardConfirm(CallbackData, prefix="cdy"):
    """Coach: send the previewed card. The nonce ties the press to one preview."""

    nonce: str = Field(pattern=r"^[0-9a-f]{12}$")


class CardRewrite(CallbackData, prefix="cdw"):
    """Coach: write the message again."""


class CardStop(CallbackData, prefix="cdx"):
    """Coach: stop without sending."""


class CardOpen(CallbackData, prefix="cdo"):
    """Participant: show this card of my collection as its picture."""

    card_id: Id


class CardsPage(CallbackData, prefix="cdp"):
    """Participant: another page of my collection."""

    page: int = Field(ge=0, le=10_000)
