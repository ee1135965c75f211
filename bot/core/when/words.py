"""The words of typed dates and times (bot.core.when): weekday and month names, numbers,
fillers, and how a text is normalised before it is read (accents, abbreviations, number words,
misspelt names)."""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

MAX_CHARS: Final = 80  # longer is a sentence, not a date

# Monday = 0. Full names and the usual abbreviations in both languages.
WEEKDAYS: Final = {
    "maandag": 0, "ma": 0, "monday": 0, "mon": 0,
    "dinsdag": 1, "di": 1, "tuesday": 1, "tue": 1, "tues": 1,
    "woensdag": 2, "wo": 2, "wednesday": 2, "wed": 2,
    "donderdag": 3, "do": 3, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "vrijdag": 4, "vr": 4, "vrij": 4, "friday": 4, "fri": 4,
    "zaterdag": 5, "za": 5, "saturday": 5, "sat": 5,
    "zondag": 6, "zo": 6, "sunday": 6, "sun": 6,
}  # fmt: skip

MONTHS: Final = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "feb": 2, "febr": 2,
    "maart": 3, "march": 3, "mrt": 3, "mar": 3, "maa": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augustus": 8, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

NUMBERS: Final = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
    "vijftien": 15, "twintig": 20, "dertig": 30,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
    "twenty": 20, "thirty": 30,
}  # fmt: skip

# Days counted from today.
RELATIVE: Final = {
    "vandaag": 0, "today": 0, "nu": 0, "now": 0, "vanavond": 0, "vanmiddag": 0,
    "vanochtend": 0, "vanmorgen": 0, "tonight": 0,
    "morgen": 1, "tomorrow": 1, "tmrw": 1, "tmw": 1,
    "overmorgen": 2, "day after tomorrow": 2,
}  # fmt: skip
# "gisteren" and "vorige dinsdag" are dates, but never an answer the bot asks for: refused, so
# the question is asked again as not understood (a typed date in the past is said to be past).

Part = Literal["morning", "afternoon", "evening", "night"]
PARTS: Final[dict[str, Part]] = {
    "ochtends": "morning", "morgens": "morning", "ochtend": "morning", "vroeg": "morning",
    "morning": "morning", "in the morning": "morning",
    "middags": "afternoon", "middag": "afternoon", "afternoon": "afternoon",
    "in the afternoon": "afternoon",
    "avonds": "evening", "avond": "evening", "evening": "evening", "in the evening": "evening",
    "nachts": "night", "nacht": "night", "night": "night", "at night": "night",
}  # fmt: skip
PART_OF_RELATIVE: Final[dict[str, Part]] = {
    "vanavond": "evening", "tonight": "evening", "vanmiddag": "afternoon",
    "vanochtend": "morning", "vanmorgen": "morning",
}

# Words that may stand around a date without changing it.
FILLERS: Final = frozenset({
    "om", "op", "de", "het", "van", "graag", "nog", "uiterlijk", "dan", "uur", "aan",
    "at", "on", "the", "of", "by", "please", "latest", "then", "-", "@",
})
# Words that make the moment approximate: understood, but worth saying back.
HEDGES: Final = frozenset({
    "rond", "rondom", "ongeveer", "omstreeks", "tegen", "voor", "around", "about", "before",
})

MODIFIERS: Final = {
    "deze": "this", "this": "this", "komende": "this", "aanstaande": "this",
    "coming": "this", "this coming": "this",
    "volgende": "next", "next": "next",
}  # fmt: skip

# The names a misspelt word is compared with (abbreviations are too short to correct).
_SPELLED: Final = tuple(sorted(
    {w for w in (*WEEKDAYS, *MONTHS) if len(w) >= 5}
    | {"vandaag", "morgen", "overmorgen", "gisteren", "today", "tomorrow", "yesterday",
       "volgende", "aanstaande", "komende", "ochtends", "middags", "avonds", "afternoon",
       "morning", "evening", "dagen", "weken", "maanden"}))

_KNOWN: Final = frozenset({
    *WEEKDAYS, *MONTHS, *NUMBERS, *FILLERS, *HEDGES, *MODIFIERS, *_SPELLED,
    *(w for phrase in (*RELATIVE, *PARTS) for w in phrase.split()),
    "week", "weken", "weeks", "dag", "dagen", "day", "days", "maand", "maanden", "month",
    "months", "jaar", "year", "dit", "volgend", "komend", "over", "in", "binnen", "within",
    "from", "eind", "einde", "end", "begin",
    "start", "beginning", "early", "late", "midden", "mid", "medio", "half", "kwart",
    "quarter", "past", "to", "noon", "midday", "middernacht", "midnight", "oclock", "an",
    "erna", "after", "halverwege", "later", "uur",
})


# --- Normalising ------------------------------------------------------------------------------

def normalise(text: str) -> tuple[str, bool]:
    """Lower case ASCII words, single spaces, abbreviations spelled out, number words as
    digits, misspelt names corrected. Also whether a correction was made."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(_ascii_digit(c) for c in decomposed if not unicodedata.combining(c))
    plain = " ".join(plain.translate(_QUOTES).split()).rstrip(".,!")
    if len(plain) > MAX_CHARS:
        return "", False
    for pattern, replacement in _REWRITES:
        plain = pattern.sub(replacement, plain)
    words = []
    typo = False
    for word in plain.split(" "):
        if word in NUMBERS:
            word = str(NUMBERS[word])
        elif word.isalpha() and len(word) >= 5 and word not in _KNOWN:
            corrected = _nearest(word)
            if corrected is not None:
                word, typo = corrected, True
        words.append(word)
    return " ".join(words), typo


def _ascii_digit(char: str) -> str:
    # Digits of any script count ("١٢-٣" is 12-3); everything else stays as it is.
    if char.isdecimal() and not char.isascii():
        return str(unicodedata.decimal(char))
    return char


_QUOTES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'",
                                ",": " ", ";": " "})
_PART_WORDS = "ochtend|middag|avond|nacht"
_DAY_WORDS = "|".join(w for w in WEEKDAYS if len(w) > 5 and w.endswith("dag"))
_REWRITES: Final = tuple((re.compile(p), r) for p, r in (
    (r"\ba\.s\.?(?=\s|$)", "aanstaande"),  # "a.s. vrijdag"
    (r"\b([ap])\.m\.?(?=\s|$)", r"\1m"),  # "2 p.m."
    (r"\bo'?clock\b", "uur"),
    (r"\bvd\b", "van de"),
    (r"(?:^|(?<=\s))'?s[ -]?(ochtends|morgens|middags|avonds|nachts)\b", r"\1"),  # 's middags
    (rf"\b(morgen|{_DAY_WORDS})({_PART_WORDS})\b", r"\1 \2"),  # "vrijdagmiddag"
    (r"(?<=[a-z])\.(?=\s|$)", ""),  # "di. 17 mrt."
))


def _nearest(word: str) -> str | None:
    """The one known name within one typing slip (two for longer words), starting with the
    same letter; None when there is none or more than one."""
    limit = 1 if len(word) <= 5 else 2
    best: list[tuple[int, str]] = []
    for name in _SPELLED:
        if name[0] != word[0] or abs(len(name) - len(word)) > limit:
            continue
        distance = _slips(word, name, limit)
        if distance <= limit:
            best.append((distance, name))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None
    return best[0][1]


def _slips(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of two neighbours as one slip (optimal string alignment),
    stopping early above `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
