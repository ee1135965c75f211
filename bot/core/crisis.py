"""Recognising a few clear crisis phrases in what a person types (issue 13).

Deliberately a short list of unmistakable phrases, Dutch and English, found anywhere in a
longer text. No scoring and no diagnosis: a match only shows the help numbers and tells the
coach. Pure: no telegram, no storage.
"""

from __future__ import annotations

import unicodedata
from typing import Final

PHRASES: Final = (
    # Dutch
    "ik trek het niet meer",
    "ik trek het bijna niet meer",
    "ik trek dit niet meer",
    "ik wil niet meer leven",
    "ik wil dood",
    "ik wil er een eind aan maken",
    "ik wil er een einde aan maken",
    "ik maak er een eind aan",
    "ik maak er een einde aan",
    "ik wil mezelf iets aandoen",
    "ik doe mezelf iets aan",
    "zelfmoord",
    "ik zie het niet meer zitten",
    "ik wil niet meer wakker worden",
    # English (apostrophes are dropped before matching: "can't" is "cant")
    "i cant take it anymore",
    "i cant take it any more",
    "i cant do this anymore",
    "i cant go on",
    "i dont want to live",
    "i do not want to live",
    "i want to die",
    "kill myself",
    "end my life",
    "suicide",
    "hurt myself",
)

# ASCII punctuation becomes a space; apostrophes go ("can't" is "cant").
_SPACES = {c: " " for c in range(128) if not chr(c).isalnum()} | {ord("'"): None,
                                                                   ord("`"): None}


def normalise(text: str) -> str:
    """Lower case; accents, apostrophes and other non-ASCII dropped (NFKD first, so "é" is
    "e" and a typographic apostrophe goes); punctuation and runs of space one space."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return " " + " ".join(plain.translate(_SPACES).split()) + " "


_PADDED: Final = tuple(normalise(p) for p in PHRASES)


def mentions_crisis(text: str | None) -> bool:
    """Whether the text holds one of the phrases as whole words (inside a longer text too)."""
    if not text:
        return False
    plain = normalise(text[:4000])
    return any(phrase in plain for phrase in _PADDED)


def notice_key(participant_id: int, local_day: str) -> str:
    """At most one message to the coach per participant and day, however often it is typed."""
    return f"crisis:{participant_id}:{local_day}"
