"""Recognising crisis in what a person types (issue 13, issue 21): suicidal thoughts, self-harm,
despair and danger at home, as people write it: typos, no accents or apostrophes, capitals,
emoji, run-on voice typing, a long message with the signal in the middle, indirect phrasing
("niemand zou me missen"). Everyday idiom ("ik ga dood van het lachen", "this deadline is
killing me") is no crisis.

No scoring and no diagnosis: a match shows the help numbers and tells the coach. The phrases
live in bot/core/crisis_phrases (one file per language, every language searched in every
message); bot/core/crisis_words folds and mends the words. Pure: no telegram, no storage.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from bot.core.crisis_phrases import KINDS, Kind, Phrasebook, load
from bot.core.outbox import Payload

CRISIS_NOTICE: Final = "crisis_notice"  # to the coach, within working hours (bot.flows.crisis)
# Participant event: a crisis phrase was typed (no text: the digest and the card list when).
CRISIS_EVENT: Final = "crisis_phrase"
MAX_CHARS: Final = 4000  # Telegram's longest message; more is not read


class CrisisNoticePayload(Payload, kind=CRISIS_NOTICE):
    participant_id: int = 0
    coach_id: int = 0  # the coach told (after a handover the notice follows to the new one)


__all__ = ["CRISIS_EVENT", "CRISIS_NOTICE", "KINDS", "CrisisNoticePayload", "Kind", "crisis_kinds",
           "mentions_crisis", "notice_key", "notice_prefix"]


@cache
def phrasebook() -> Phrasebook:
    """Read and compiled once, at the first message."""
    return load()


def mentions_crisis(text: str | None) -> bool:
    """Whether the text holds a crisis phrase, in any language (inside a longer text too)."""
    if not text:
        return False
    return bool(phrasebook().matches(text[:MAX_CHARS], first_only=True))


def crisis_kinds(text: str | None) -> frozenset[Kind]:
    """What the text holds: "suicide", "self_harm", "despair", "violence" (for violence the
    answer adds 112 and Veilig Thuis). Empty when it is no crisis."""
    if not text:
        return frozenset()
    return frozenset(p.kind for p in phrasebook().matches(text[:MAX_CHARS]))


def notice_prefix(participant_id: int) -> str:
    return f"crisis:{participant_id}:"


def notice_key(participant_id: int, local_day: str) -> str:
    """At most one message to the coach per participant and day, however often it is typed."""
    return f"{notice_prefix(participant_id)}{local_day}"
