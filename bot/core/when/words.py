"""The words of typed dates and times (bot.core.when): weekday and month names, numbers,
fillers, and how a text is normalised before it is read (accents, abbreviations, number words,
misspelt names)."""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

MAX_CHARS: Final = 120  # a short sentence; longer is a message, not a date

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

_NL_UNITS = ("een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
_EN_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
NUMBERS: Final = {
    **{word: n for n, word in enumerate(_NL_UNITS, 1)},
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20,
    "dertig": 30, "eenendertig": 31,
    # "eenentwintig" .. "negenentwintig" ("tweeëntwintig" loses its accent when normalised)
    **{f"{word}entwintig": 20 + n for n, word in enumerate(_NL_UNITS, 1)},
    **{word: n for n, word in enumerate(_EN_UNITS, 1)},
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "thirty-one": 31,
    **{f"twenty-{word}": 20 + n for n, word in enumerate(_EN_UNITS, 1)},
}  # fmt: skip

# Days counted from today.
RELATIVE: Final = {
    "vandaag": 0, "today": 0, "nu": 0, "now": 0, "vanavond": 0, "vanmiddag": 0,
    "vanochtend": 0, "vanmorgen": 0, "tonight": 0,
    "morgen": 1, "tomorrow": 1,
    "overmorgen": 2, "day after tomorrow": 2,
}  # fmt: skip

Part = Literal["morning", "afternoon", "evening", "night"]
PARTS: Final[dict[str, Part]] = {
    "ochtends": "morning", "morgens": "morning", "ochtend": "morning", "vroeg": "morning",
    "morning": "morning", "in the morning": "morning",
    "middags": "afternoon", "middag": "afternoon", "afternoon": "afternoon",
    "in the afternoon": "afternoon",
    "avonds": "evening", "avond": "evening", "evening": "evening", "in the evening": "evening",
    "nachts": "night", "nacht": "night", "night": "night", "at night": "night",
    # Flemish
    "voormiddag": "morning", "voormiddags": "morning", "namiddag": "afternoon",
    "namiddags": "afternoon",
}  # fmt: skip
PART_OF_RELATIVE: Final[dict[str, Part]] = {
    "vanavond": "evening", "tonight": "evening", "vanmiddag": "afternoon",
    "vanochtend": "morning", "vanmorgen": "morning",
}

# Fixed days with a name, as (month, day).
NAMED_DAYS: Final = {
    "oudejaarsdag": (12, 31), "oudjaarsdag": (12, 31), "oudjaar": (12, 31),
    "oudejaarsavond": (12, 31), "new years eve": (12, 31),
    "nieuwjaarsdag": (1, 1), "nieuwjaar": (1, 1), "new years day": (1, 1),
    "kerstavond": (12, 24), "christmas eve": (12, 24),
    "eerste kerstdag": (12, 25), "kerstmis": (12, 25), "kerst": (12, 25),
    "christmas day": (12, 25), "christmas": (12, 25),
    "tweede kerstdag": (12, 26), "boxing day": (12, 26),
    "koningsdag": (4, 27),
}  # fmt: skip

# Words that may stand around a date without changing it.
FILLERS: Final = frozenset({
    "om", "op", "de", "het", "van", "graag", "nog", "uiterlijk", "dan", "uur", "aan", "meteen",
    "at", "on", "the", "of", "by", "please", "latest", "then", "-", "@",
})
# Words that point to the past: never an answer the bot asks for, so the text is refused (the
# question is asked again as not understood).
PAST: Final = frozenset({"gisteren", "eergisteren", "vorige", "afgelopen", "yesterday", "last"})
# Before or after a day, these say it is the day NOT meant ("liever niet dinsdag", "woensdag
# ipv dinsdag", "not monday"): that day is left out.
NEGATIONS: Final = frozenset({"niet", "geen", "nooit", "ipv", "behalve", "not", "never",
                              "except"})
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
       "morning", "evening", "dagen", "weken", "maanden", "weekend"}))
# Short words beside a number are compared with these only ("17 maar", "2 weke", "om 2 uut").
_BESIDE_A_NUMBER: Final = tuple(sorted(
    {w for w in MONTHS if len(w) >= 5} | {"dagen", "weken", "maanden", "uur"}))

_KNOWN: Final = frozenset({
    *WEEKDAYS, *MONTHS, *NUMBERS, *FILLERS, *HEDGES, *MODIFIERS, *_SPELLED,
    *(w for phrase in (*RELATIVE, *PARTS, *NAMED_DAYS, *NEGATIONS) for w in phrase.split()),
    *PAST,
    "week", "weken", "weeks", "dag", "dagen", "day", "days", "maand", "maanden", "month",
    "months", "jaar", "year", "dit", "volgend", "komend", "over", "in", "binnen", "within",
    "from", "eind", "einde", "end", "begin",
    "start", "beginning", "early", "late", "midden", "mid", "medio", "half", "kwart",
    "quarter", "past", "to", "noon", "midday", "middernacht", "midnight", "oclock", "an",
    "erna", "after", "halverwege", "later", "uur", "weekend", "na", "tussen", "lunch",
    "lunchtijd", "lunchtime",
})


# --- Normalising ------------------------------------------------------------------------------

def normalise(text: str) -> tuple[str, bool]:
    """Lower case ASCII words, single spaces, abbreviations spelled out, number words as
    digits, misspelt names corrected. Also whether a correction was made."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(_ascii_digit(c) for c in decomposed if not unicodedata.combining(c))
    plain = _PRIVATE.sub("?", plain)  # the reader marks what it took with these
    plain = " ".join(plain.translate(_QUOTES).split()).rstrip(".,!")
    if len(plain) > MAX_CHARS:
        return "", False
    for pattern, replacement in _REWRITES:
        plain = pattern.sub(replacement, plain)
    words = [str(NUMBERS[w]) if w in NUMBERS else w for w in plain.split(" ")]
    typo = False
    for i, word in enumerate(words):
        if not word.isalpha() or word in _KNOWN:
            continue
        corrected = None
        if len(word) >= 5:
            corrected = _nearest(word, _SPELLED, 1 if len(word) <= 5 else 2)
        elif len(word) >= 3 and any(w.isdigit() for w in words[max(i - 1, 0):i + 2]):
            corrected = _nearest(word, _BESIDE_A_NUMBER, 1)
        if corrected is not None:
            words[i], typo = corrected, True
    return " ".join(words), typo


def _ascii_digit(char: str) -> str:
    # Digits of any script count ("١٢-٣" is 12-3); everything else stays as it is.
    if char.isdecimal() and not char.isascii():
        return str(unicodedata.decimal(char))
    return char


_PRIVATE: Final = re.compile("[\ue000-\uf8ff]")
_QUOTES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'",
                                ",": " "})
_PART_WORDS = "voormiddag|namiddag|ochtend|middag|avond|nacht"
_DAY_WORDS = "|".join(w for w in WEEKDAYS if len(w) > 5 and w.endswith("dag"))
_REWRITES: Final = tuple((re.compile(p), r) for p, r in (
    (r"\ba\.s\.?(?=\s|$)", "aanstaande"),  # "a.s. vrijdag"
    (rf"\bas\s(?=(?:{_DAY_WORDS})\b)", "aanstaande "),  # "as vrijdag"
    (r"\bi\.?p\.?v\.?(?=\s|$)|\bin\splaats\svan\b|\binstead\sof\b|\brather\sthan\b", "ipv"),
    (r"\b(?:mrgn|mrg|morg)\b", "morgen"),
    (r"\b(?:tmrw|tmw|tmr|2moro|2morrow|2mrw|2morow)\b", "tomorrow"),
    (r"\b(?:volg|vlg|vlgnd)\b", "volgende"),
    (r"\bweds\b", "wednesday"),
    (r"\bnew\syear'?s\b", "new years"),
    (r"(?<=\d);(?=\d\d\b)", ":"),  # "14;00": the key beside the colon
    (r";", " "),
    (r"\b([ap])\.m\.?(?=\s|$)", r"\1m"),  # "2 p.m."
    (r"\bo'?clock\b", "uur"),
    (r"\bvd\b", "van de"),
    (r"(?:^|(?<=\s))'?s[ -]?(ochtends|morgens|middags|avonds|nachts)\b", r"\1"),  # 's middags
    (rf"\b(morgen|{_DAY_WORDS})({_PART_WORDS})\b", r"\1 \2"),  # "vrijdagmiddag"
    (r"(?<=[a-z])\.(?=\s|$)", ""),  # "di. 17 mrt."
))


def _nearest(word: str, names: tuple[str, ...], limit: int) -> str | None:
    """The one name within `limit` typing slips, starting with the same letter; None when
    there is none or more than one."""
    best: list[tuple[int, str]] = []
    for name in names:
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
