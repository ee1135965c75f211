"""Words as people type them, made comparable with the crisis phrases (bot.core.crisis).

A message is folded to plain words: lower case; accents, apostrophes, emoji and punctuation
dropped (the end of a sentence or clause stays, as the word "_"); each run of one letter is
one letter ("dooood" is "dod", and so is "dood": the phrases are folded the same way, so they
never see the difference); the Dutch "ij" is "y" ("zyn" is "zijn"). Then the words the phrases
do not know are mended: one typing slip in a word of five letters or more ("wanhopg",
"mysef"), words run together ("ikkannietmeer", "icant"), shorthand ("cant", "mn"). A common
word is never mended: `known` holds the common words one slip away from a phrase word ("lezen"
is not "leven") or that would split as a run ("nietig").
Pure: no telegram, no storage.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

BREAK: Final = "_"  # the word a sentence end becomes

# Apostrophes go ("can't" is "cant", "m'n" is "mn", "б'є" is "бє"); letters that NFKD leaves
# alone get their plain form; Arabic: the stretching stroke goes, final forms are one letter.
_LETTERS: Final = {
    "'": "", "’": "", "‘": "", "`": "", "´": "", "ʼ": "", "ʻ": "", "ـ": "",
    "ı": "i", "ł": "l", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d",
    "þ": "th", "ى": "ي", "ة": "ه",
}
_SPECIAL = re.compile("[" + "".join(_LETTERS) + "]")
# Combining marks after NFKD: Latin and Cyrillic accents, Arabic vowel signs and hamza.
_MARKS = re.compile("[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670]")
_ENDS = re.compile(r"[.!?;:,\n…]+")
_NOT_WORD = re.compile(r"\W+")
_REPEATS = re.compile(r"(\w)\1+")


def _plain_letters(text: str) -> str:
    text = _SPECIAL.sub(lambda m: _LETTERS[m.group()], text.lower())
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return text


def _end(match: re.Match[str]) -> str:
    """A sentence or clause end (a comma too) becomes the word "_"; an ellipsis ("ik wil...
    dood") is none."""
    return " " if match.group() in ("..", "...", "....", "…") else f" {BREAK} "


# Plain ASCII (most messages, and Dutch once its accents are gone): one pass of str.translate,
# which runs at C speed for a one-to-one ASCII table. A sentence end is marked "\x02" first.
_ASCII_TABLE: Final = {c: " " for c in range(128) if not chr(c).isalnum()} | {
    ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"} | {
    ord(c): "\x02" for c in ".!?;:,\n"}
_ASCII_ENDS = re.compile("\x02+")


def fold(text: str) -> list[str]:
    """The message as words: lower case, no accents or punctuation, a sentence end the word
    "_". Runs of a letter are left to `Mender.mend`."""
    if not text.isascii():
        text = _plain_letters(text).replace("…", " ")
    if text.isascii():
        text = text.replace("'", "").replace("`", "").replace("...", " ").replace("..", " ")
        return _ASCII_ENDS.sub(f" {BREAK} ", text.translate(_ASCII_TABLE)).split()
    text = _ENDS.sub(_end, text.replace(BREAK, " "))
    return _NOT_WORD.sub(" ", text).split()


def fold_word(word: str) -> str:
    """One word (or a phrase's run of letters) folded as a message's words are (`fold`,
    then `Mender.mend`, which makes a run of one letter one letter and "ij" "y")."""
    return _short(_plain_letters(word))


def _short(word: str) -> str:
    return _REPEATS.sub(r"\1", word).replace("ij", "y")


def _within_one_slip(a: str, b: str) -> bool:
    """Equal length, at most one letter different or two neighbours swapped."""
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) <= 1:
        return True
    return (len(diff) == 2 and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Mender:
    """Mends the words of a folded message that the phrases do not know.

    `targets`: the phrase words a slip is mended towards (five letters or more, folded);
    `parts`: the words run-together text is split into; `starts`: the words such a run may
    start with (people run "ik", "niet", "i" into what follows: "ikwil", "nietmeer", "icant";
    a compound such as "doodgewoon" is no run); `rewrites`: shorthand and the words
    it means ("im": "i am"); `known`: words left as they are (every phrase word, every
    spelling variant, and the real words in `keep`). All folded.
    """

    MIN_TARGET: Final = 5
    MAX_PARTS: Final = 4
    LONG_PART: Final = 5  # a split holds at most one part this long: "ikwilslapen", but
    # not a compound of two full words ("zelfmoordterroristen" stays one word)
    _CACHE_SIZE: Final = 20_000

    def __init__(self, targets: Iterable[str], parts: Iterable[str], known: Iterable[str],
                 rewrites: dict[str, str] | None = None, starts: Iterable[str] = ()):
        self._starts = frozenset(starts)
        self._rewrites = dict(rewrites or {})
        self._targets = {t for t in targets if len(t) >= self.MIN_TARGET}
        self._one_less: dict[str, list[str]] = {}
        for target in sorted(self._targets):
            for shorter in _deletions(target):
                self._one_less.setdefault(shorter, []).append(target)
        self._parts = frozenset(parts)
        self._longest_part = max((len(p) for p in self._parts), default=0)
        self._known = frozenset(known) | self._targets | self._parts
        self._cache: dict[str, str] = {}

    def forget(self) -> None:
        """Drop what was mended so far (the bench times a message as if all new)."""
        self._cache.clear()

    def words(self, text: str) -> list[str]:
        """The message's words, folded and mended. Remembered per piece of text between
        spaces ("Dood.", "zijn😢"): most come again, and then cost one look-up."""
        pieces = text.split()
        words = list(map(self._cache.get, pieces))
        if None in words:
            if len(self._cache) >= self._CACHE_SIZE:
                self._cache.clear()
            for i, piece in enumerate(pieces):
                if words[i] is None:
                    known = self._cache.get(piece)  # met earlier in this message
                    if known is None:
                        known = self._cache[piece] = " ".join(map(self.mend, fold(piece)))
                    words[i] = known
        return " ".join(words).split()  # type: ignore[arg-type]

    def mend(self, typed: str) -> str:
        """One word from `fold` as the phrases know it: itself, a phrase word, or words."""
        word = _short(typed)
        rewritten = self._rewrites.get(word)
        if rewritten is not None:
            return rewritten
        if (word in self._known or len(word) < self.MIN_TARGET - 1 or not word.isalpha()
                or "\u0600" <= word[0] <= "\u06ff"):  # Arabic: no word list to tell slips
            return word
        # The slip is looked for in the word as typed too: "foreer" is one from "forever",
        # though "forer" (its letters run together) is two.
        typed = typed.replace("ij", "y")
        mended = (self._slip(word) or (typed != word and self._slip(typed))
                  or self._split(word) or (typed != word and self._split(typed, True)) or word)
        return " ".join(self._rewrites.get(p, p) for p in mended.split())  # "anymore", "icant"

    def _slip(self, word: str) -> str | None:
        """A phrase word one typing slip away: a letter missing, extra, wrong or swapped."""
        missing = self._one_less.get(word)  # the word lacks one letter of a target
        if missing:
            return missing[0]
        if len(word) < self.MIN_TARGET:
            return None
        found: list[str] = []
        for shorter in sorted(_deletions(word)):
            if shorter in self._targets:  # one letter too many
                found.append(shorter)
            found.extend(t for t in self._one_less.get(shorter, ())
                         if len(t) == len(word) and _within_one_slip(t, word))
        return min(found) if found else None

    def _split(self, typed: str, fold_parts: bool = False) -> str | None:
        """Words run together ("ikwil", "nietmeer"): the split into the fewest known parts.
        With `fold_parts` the word is split as typed: "ikkan" is "ik kan", though its letters
        run together make "ikan"."""
        if not any(typed.startswith(s) for s in self._starts):
            return None
        short = _short if fold_parts else str
        best: dict[int, list[str]] = {0: []}
        longest = self._longest_part + (2 if fold_parts else 0)  # "meer" for "mer"
        for end in range(1, len(typed) + 1):
            options = [best[start] + [part]
                       for start in range(max(0, end - longest), end)
                       if start in best and len(best[start]) < self.MAX_PARTS
                       and (part := short(typed[start:end])) in self._parts]
            if options:
                best[end] = min(options, key=len)
        split = best.get(len(typed))
        if (not split or len(split) < 2 or split[0] not in self._starts
                or sum(len(p) >= self.LONG_PART for p in split) > 1
                or any(len(p) < 2 for p in split[1:])):
            return None
        return " ".join(split)
