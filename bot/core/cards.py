"""Pure rules for a coach's card message: what may be written on a card."""

from __future__ import annotations

from enum import StrEnum

MESSAGE_MAX = 300


class MessageProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


def clean_message(text: str, limit: int = MESSAGE_MAX) -> str | MessageProblem:
    """The message as it will be stored: trimmed, otherwise exactly as typed (HTML, emoji and
    right-to-left text are kept; they are escaped when shown and dropped from the picture only
    where the font cannot draw them)."""
    cleaned = text.strip()
    if not cleaned:
        return MessageProblem.EMPTY
    if len(cleaned) > limit:
        return MessageProblem.TOO_LONG
    return cleaned
