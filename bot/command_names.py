"""Every command's name in Dutch and in English; both names work for everyone.

The Dutch name is the one the source texts mention ("Type /instellingen ..."); an English reader
sees the English name instead, in the menu behind the '/' button (handlers/commands) and in every
text (i18n swaps them when it translates), so nobody has to remember a word in a language they
do not read. /hulp is the crisis route (issue 13) and /help the help, in both languages, so the
crisis route's English name is /sos, never /help. Telegram allows a-z, 0-9 and _ only.
"""

from __future__ import annotations

import re
from typing import Final

# Dutch name -> English name (the same where the word is a name, like "brug" or "privacy").
ENGLISH: Final[dict[str, str]] = {
    "start": "start",
    "menu": "menu",
    "stappen": "steps",
    "pauze": "pause",
    "verder": "resume",
    "brug": "brug",
    "kaartjes": "cards",
    "les": "lesson",
    "doel": "goal",
    "instellingen": "settings",
    "privacy": "privacy",
    "mijngegevens": "mydata",
    "verwijder": "delete",
    "hulp": "sos",
    "help": "help",
    "annuleer": "cancel",
    "deelnemers": "participants",
    "nieuw": "new",
    "overzicht": "overview",
    "beloningen": "rewards",
}

_MENTION: Final = re.compile(
    r"(?<![\w/])/(" + "|".join(sorted(ENGLISH, key=len, reverse=True)) + r")(?![\w/])")


def names(dutch: str) -> list[str]:
    """Both names of a command, for registering one handler under each."""
    english = ENGLISH[dutch]
    return [dutch] if english == dutch else [dutch, english]


def in_language(dutch: str, locale: str) -> str:
    return ENGLISH[dutch] if locale == "en" else dutch


def mentions_in(text: str, locale: str) -> str:
    """`text` with every "/dutchname" written as the reader's own name for it."""
    if locale != "en" or "/" not in text:
        return text
    return _MENTION.sub(lambda match: "/" + ENGLISH[match.group(1)], text)
