"""Recognising a few clear crisis phrases in what a person types (issue 13).

Deliberately a short list of unmistakable phrases, Dutch and English, found anywhere in a
longer text. No scoring and no diagnosis: a match only shows the help numbers and tells the
coach. Pure: no telegram, no storage.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from bot.core.outbox import Payload

CRISIS_NOTICE: Final = "crisis_notice"  # to the coach, within working hours (bot.flows.crisis)
# Participant event: a crisis phrase was typed (no text: the digest and the card list when).
CRISIS_EVENT: Final = "crisis_phrase"


class CrisisNoticePayload(Payload, kind=CRISIS_NOTICE):
    participant_id: int = 0
    coach_id: int = 0  # the coach told (after a handover the notice follows to the new one)


# Phrases as patterns over the normalised text (lower case ASCII, single spaces). "F" stands
# for up to two filler words ("echt", "gewoon", "really", "just"), so "ik trek het echt niet
# meer" is found too.
F = r"(?: [a-z]+){0,2}"
PHRASES: Final = (
    # Dutch
    rf"ik trek (?:het|dit|t){F} niet meer",
    rf"ik wil{F} niet meer leven",
    rf"ik wil{F} dood",
    rf"ik wil{F} er een eind(?:e)? aan maken",
    r"ik maak er een eind(?:e)? aan",
    rf"ik wil{F} mezelf (?:iets )?aandoen",
    r"ik doe mezelf iets aan",
    r"zelfmoord",
    rf"ik zie het{F} niet meer zitten",
    rf"ik wil{F} niet meer wakker worden",
    # English (apostrophes are dropped before matching: "can't" is "cant")
    rf"i{F} (?:cant|cannot|can not) (?:take|do) (?:it|this){F} any ?more",
    rf"i{F} (?:cant|cannot|can not) go on",
    rf"i{F} (?:dont|do not) want to live",
    rf"i{F} want to die",
    r"kill myself",
    r"end my life",
    r"suicide",
    r"hurt myself",
)
_PATTERN: Final = re.compile(" (?:" + "|".join(PHRASES) + ") ")

# ASCII punctuation becomes a space; apostrophes go ("can't" is "cant").
_SPACES = {c: " " for c in range(128) if not chr(c).isalnum()} | {ord("'"): None,
                                                                   ord("`"): None}


def normalise(text: str) -> str:
    """Lower case; accents, apostrophes and other non-ASCII dropped (NFKD first, so "é" is
    "e" and a typographic apostrophe goes); punctuation and runs of space one space."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return " " + " ".join(plain.translate(_SPACES).split()) + " "


def mentions_crisis(text: str | None) -> bool:
    """Whether the text holds one of the phrases as whole words (inside a longer text too)."""
    if not text:
        return False
    plain = normalise(text[:4000])
    return _PATTERN.search(plain) is not None


def notice_prefix(participant_id: int) -> str:
    return f"crisis:{participant_id}:"


def notice_key(participant_id: int, local_day: str) -> str:
    """At most one message to the coach per participant and day, however often it is typed."""
    return f"{notice_prefix(participant_id)}{local_day}"
