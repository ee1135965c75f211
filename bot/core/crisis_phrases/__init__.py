"""The crisis phrases, one file per language (nl.txt, en.txt, ...), and how they are matched.

A file holds lines of these forms (blank lines and lines starting with "#" are skipped):

    suicide: ik wil ~ niet meer leven       a phrase, with its kind: suicide, self_harm,
                                            despair or violence
    idiom: dood van het lachen              words that are no crisis: removed before a
                                            phrase that matched is tried again
    define me = (?:me|mij|mezelf)           a part used as {me} in this file's phrases
    spell niet <- nie ni                    spellings people type for a word, matched where
                                            the phrases have the word (all files): for
                                            spellings that are real words elsewhere (Polish
                                            "nie")
    rewrite i am <- im iam                  shorthand rewritten in the message itself before
                                            anything is matched (all files)
    keep even lezen                         real words never mended towards a phrase word
    runon ik niet wil                       words that people run into the next ones
                                            ("ikwilniet"): a run is split only after these

A phrase is a regular expression over the folded words of a message (bot.core.crisis_words:
lower case, no accents, one letter for a run of one letter, words one space apart, a sentence
end is the word "_"). The letters in it are folded the same way, so it is written as people
spell it ("dood", "zelfmoord", "ölmek"). Besides the usual expression syntax:

    ~   up to two words in between ("ik wil echt gewoon dood"), never a negation
        ("ik wil niet dood") nor a sentence end; ~~ up to four; ~~ ~ up to six
    $   the end of a clause: the end of the message or sentence, or a word from the file's
        {clause} (voice typing has no full stops: "ik kan niet meer ik ben zo moe")
    _   (as the first word) the start of the message or of a sentence: "_ wil dood"

A word written in its usual spelling also matches the spellings given for it ("niet" finds
"nie"); a rewritten shorthand is never seen by a phrase ("cant" is "can not"). A phrase
matches whole words only. Every language is searched in every message: people write in their
own language, whatever language the bot speaks to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Final, Literal, cast

from bot.core.crisis_words import BREAK, Mender, fold_word

Kind = Literal["suicide", "self_harm", "despair", "violence"]
KINDS: Final[tuple[Kind, ...]] = ("suicide", "self_harm", "despair", "violence")
LANGUAGES: Final = ("nl", "en", "tr", "pl", "uk", "ar")

# A filler word is never one of these: "ik wil niet dood" and "I don't want to die" are no crisis.
NEGATIONS: Final = (
    "niet", "nie", "ni", "nit", "neit", "nt", "nooit", "geen", "gene",
    "not", "never", "no", "dont", "didnt", "cant", "cannot", "wont", "isnt", "doesnt",
    "не", "ні", "لا", "لن", "مش",
)
_FILLER: Final = (rf"(?: (?!(?:{BREAK}|{'|'.join(sorted({fold_word(n) for n in NEGATIONS}))}) )"
                  r"\S+)")
_LETTER_RUN = re.compile(r"(?<!\\)[^\W\d_]+")
_MACRO = re.compile(r"\{([a-z_]+)\}")
_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"[^\W_]+")  # a typed word may hold digits (Arabizi "3ayez")
_LOOKAROUND_TAIL = re.compile(r"\(\?<?[!=].*\)")


@dataclass(frozen=True)
class Phrase:
    kind: Kind
    lang: str
    source: str
    pattern: re.Pattern[str]
    required: frozenset[str]  # words every match holds (a cheap test before the pattern)
    one_of: tuple[frozenset[str], ...]  # for each choice it starts with: its first words
    needle: str  # without such words: letters every match holds ("zelfbeschadig")

    def may_match(self, present: set[str], line: str) -> bool:
        """The cheap test: the words and letters any match needs are all there."""
        return (self.required <= present and self.needle in line
                and all(not words.isdisjoint(present) for words in self.one_of))

    def index_words(self) -> frozenset[str]:
        """The words under which the phrase is filed: one of them is in every match."""
        if self.required:
            return frozenset({max(sorted(self.required), key=len)})
        if self.one_of:
            return max(self.one_of, key=lambda words: (min(map(len, words)), -len(words)))
        return frozenset()


@dataclass
class _File:
    lang: str
    defines: dict[str, str] = field(default_factory=dict)
    phrases: list[tuple[Kind, str]] = field(default_factory=list)
    idioms: list[str] = field(default_factory=list)
    spellings: dict[str, list[str]] = field(default_factory=dict)
    rewrites: dict[str, str] = field(default_factory=dict)  # typed word -> the words it means
    keep: list[str] = field(default_factory=list)
    runon: list[str] = field(default_factory=list)


def _read(lang: str, text: str) -> _File:
    out = _File(lang)
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.partition(" ")
        if head == "define":
            name, _, body = rest.partition("=")
            out.defines[name.strip()] = body.strip()
        elif head in ("spell", "rewrite"):
            word, _, variants = (part.strip() for part in rest.partition("<-"))
            if head == "spell" and " " in word:
                raise ValueError(f"{lang}.txt line {number}: spell one word ({word!r})")
            if head == "spell":
                out.spellings.setdefault(word, []).extend(variants.split())
            else:
                out.rewrites.update(dict.fromkeys(variants.split(), word))
        elif head == "keep":
            out.keep.extend(rest.split())
        elif head == "runon":
            out.runon.extend(rest.split())
        elif head == "idiom:":
            out.idioms.append(rest.strip())
        elif head.endswith(":") and head[:-1] in KINDS:
            out.phrases.append((cast(Kind, head[:-1]), rest.strip()))
        else:
            raise ValueError(f"{lang}.txt line {number}: cannot read {line!r}")
    return out


def _expand(source: str, defines: dict[str, str]) -> str:
    for _ in range(5):  # a define may use another
        expanded = _MACRO.sub(lambda m: defines[m.group(1)], source)
        if expanded == source:
            return expanded
        source = expanded
    raise ValueError(f"defines nest too deep in {source!r}")


def _fold_letters(source: str) -> str:
    source = source.replace("'", "").replace("’", "")
    return _LETTER_RUN.sub(lambda m: fold_word(m.group()), source)


def _without_exclusions(source: str) -> str:
    """The phrase without its "not followed by" parts: their words are no phrase words."""
    out, i = [], 0
    while i < len(source):
        if source.startswith(("(?!", "(?<!"), i) and (i == 0 or source[i - 1] != "\\"):
            depth, j = 0, i
            while j < len(source):
                if source[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(source[j], 0)
                j += 1
                if depth == 0:
                    break
            i = j
            continue
        out.append(source[i])
        i += 1
    return "".join(out)


def _split_top_level(source: str, separator: str) -> list[str]:
    """`source` cut at each `separator` outside any group or character class."""
    pieces, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == separator and depth == 0:
            pieces.append(source[start:i])
            start = i + 1
        i += 1
    pieces.append(source[start:])
    return pieces


def _top_level_pieces(source: str) -> list[str]:
    """The space-separated pieces outside any group or character class."""
    return _split_top_level(source, " ")


def _alternatives(source: str) -> list[str]:
    """A phrase "a|b" as the phrases "a" and "b" (each then has words of its own to test)."""
    return [part.strip() for part in _split_top_level(source, "|")]


def _needle(source: str) -> str:
    """The longest run of letters outside any group that every match holds."""
    best = ""
    for piece in _top_level_pieces(_without_exclusions(source)):
        depth = 0
        for m in _LETTER_RUN.finditer(piece):
            before = piece[:m.start()]
            depth = before.count("(") - before.count(")")
            if depth or before.count("[") > before.count("]"):
                continue
            run, after = m.group(), piece[m.end():m.end() + 1]
            if after and after in "?*{":
                run = run[:-1]
            best = max(best, run, key=len)
    return best


def _first_words(group: str) -> frozenset[str] | None:
    """For a choice "(?:ik wil|wil ik)": the words its options start with ({ik, wil}); None
    when an option starts otherwise (a group, a class, an optional part)."""
    if not (group.startswith("(?:") and group.endswith(")")):
        return None
    words = set()
    for option in _alternatives(group[3:-1]):
        first = _TOKEN.match(option)
        if not first or option[first.end():first.end() + 1] not in ("", " "):
            return None
        words.add(first.group())
    return frozenset(words)


def _group_end(piece: str) -> int:
    """Where the group the piece starts with closes."""
    depth = 0
    for i, c in enumerate(piece):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth == 0:
            return i
    return -1


def _one_of(source: str) -> tuple[frozenset[str], ...]:
    """The choices among a (folded) phrase's top-level pieces, each as its first words."""
    out = []
    for piece in _top_level_pieces(_without_exclusions(source)):
        piece = piece.rstrip("$")
        if piece.startswith("(?:") and _group_end(piece) == len(piece) - 1:
            words = _first_words(piece)
            if words:
                out.append(words)
    return tuple(out)


def _required(source: str) -> frozenset[str]:
    """Plain words at the top level of a (folded) phrase, such as "dood" in "ik wil ~ dood"."""
    if "|" in "".join(p for p in _top_level_pieces(source) if "(" not in p):
        return frozenset()
    words = set()
    for piece in _top_level_pieces(source):
        piece = _LOOKAROUND_TAIL.sub("", piece.rstrip("$"))
        if _TOKEN.fullmatch(piece):
            words.add(piece)
    return frozenset(words)


class Phrasebook:
    """All phrase files, compiled; `kinds` finds what a message holds."""

    def __init__(self, files: Iterable[_File]):
        files = list(files)
        spellings: dict[str, set[str]] = {}
        keep: set[str] = set()
        rewrites: dict[str, str] = {}
        starts: set[str] = set()
        for f in files:
            starts.update(fold_word(w) for w in f.runon)
            rewrites.update({fold_word(v): fold_word(w) for v, w in f.rewrites.items()})
            for word, variants in f.spellings.items():
                spellings.setdefault(fold_word(word), set()).update(fold_word(v) for v in variants)
            keep.update(fold_word(w) for w in f.keep)
        self._spellings = spellings
        # A typed variant stands for its word(s) in the cheap test ("nie" for "niet").
        self._stands_for: dict[str, set[str]] = {}
        for word, typed in spellings.items():
            for variant in typed:
                self._stands_for.setdefault(variant, set()).add(word)
        canon = sorted(spellings, key=len, reverse=True)
        self._canon = re.compile(r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, canon))
                                 + r")(?![^\W\d_])") if canon else None

        self.phrases: list[Phrase] = []
        idioms: list[str] = []
        phrase_words: set[str] = set()
        for f in files:
            clause = f.defines.get("clause")
            for kind, line in f.phrases:
                for source in _alternatives(line):
                    self.phrases.append(self._compile(f, kind, source, clause))
                phrase_words.update(_WORD.findall(
                    _fold_letters(_without_exclusions(_expand(line, f.defines)))))
            idioms.extend(self._body(f, source, clause) for source in f.idioms)
        self._idioms = re.compile(" (?:" + "|".join(idioms) + ") ") if idioms else None

        variant_words = {v for variants in spellings.values() for v in variants}
        meant = {w for words in rewrites.values() for w in words.split()}
        parts = {w for w in phrase_words | variant_words | meant if len(w) >= 2} | {"i"}
        self.mender = Mender(targets=phrase_words | set(rewrites), parts=parts | set(rewrites),
                             rewrites=rewrites, starts=starts,
                             known=phrase_words | variant_words | meant | keep)

        # The cheap test: a phrase is tried only when one of its index words is typed, or
        # (a phrase without whole words: "zelfbeschadig[a-z]*") when its letters are there.
        self._by_word: dict[str, list[int]] = {}
        self._by_needle: dict[str, list[int]] = {}
        for index, phrase in enumerate(self.phrases):
            for word in phrase.index_words():
                self._by_word.setdefault(word, []).append(index)
            if not phrase.index_words():
                if not phrase.needle:
                    raise ValueError(f"{phrase.lang}.txt: {phrase.source!r} has no letters "
                                     "that every match holds: it would be tried on every message")
                self._by_needle.setdefault(phrase.needle, []).append(index)
        self._index_words = frozenset(self._by_word)
        self._variants = frozenset(self._stands_for)
        self._needles = re.compile("|".join(map(re.escape, sorted(self._by_needle))))

    def _spelled(self, source: str) -> str:
        """Each word with spellings becomes a choice of them ("niet" -> (?:niet|nie|...))."""
        if self._canon is None:
            return source

        def choice(m: re.Match[str]) -> str:
            word = m.group()
            variants = sorted(self._spellings[word] - {word})
            return "(?:" + "|".join([word, *variants]) + ")"
        return self._canon.sub(choice, source)

    def _body(self, f: _File, source: str, clause: str | None) -> str:
        body = self._spelled(_fold_letters(_expand(source, f.defines)))
        end = rf"(?= $| {BREAK} " + (rf"| (?:{self._spelled(_fold_letters(clause))}) " if clause
                                      else "") + ")"
        body = body.replace(" ~~ ", _FILLER + "{0,4} ").replace(" ~ ", _FILLER + "{0,2} ")
        if "~" in body:
            raise ValueError(f"{f.lang}.txt: {source!r}: a ~ must stand between two spaces")
        return body.replace("$", end)

    def _compile(self, f: _File, kind: Kind, source: str, clause: str | None) -> Phrase:
        body = self._body(f, source, clause)
        try:
            pattern = re.compile(f" {body} ")
        except re.error as e:
            raise ValueError(f"{f.lang}.txt: {source!r}: {e}") from e
        folded = _fold_letters(_expand(source, f.defines))
        required = _required(folded)
        needle = _needle(folded)
        if needle in self._spellings:  # typed otherwise too ("nie" for "niet")
            needle = ""
        return Phrase(kind, f.lang, source, pattern, required, _one_of(folded), needle)

    def words(self, text: str) -> list[str]:
        """The message's folded words, mended."""
        return self.mender.words(text)

    def matches(self, text: str, first_only: bool = False) -> list[Phrase]:
        """The phrases the text holds (the first one only, when that is all that is asked)."""
        words = self.words(text)
        if not words:
            return []
        present = set(words)
        for variant in present & self._variants:
            present |= self._stands_for[variant]
        candidates: set[int] = set()
        for word in present & self._index_words:
            candidates.update(self._by_word[word])
        line = f" {BREAK} " + " ".join(words) + " "  # a phrase "_ wil dood" starts a sentence
        for needle in set(self._needles.findall(" ".join(present))):
            candidates.update(self._by_needle[needle])
        plain: str | None = None  # the line without idioms, made when first needed
        found: list[Phrase] = []
        for index in sorted(candidates):
            phrase = self.phrases[index]
            if not phrase.may_match(present, line) or not phrase.pattern.search(line):
                continue
            if plain is None:
                plain = (self._idioms.sub(f" {BREAK} ", line)
                         if self._idioms is not None else line)
            if plain is line or phrase.pattern.search(plain):
                found.append(phrase)
                if first_only:
                    break
        return found


def load(languages: Iterable[str] = LANGUAGES, *, real_words: bool = True) -> Phrasebook:
    """The phrase files of these languages; with `real_words`, also real_words.txt: the
    common words that are never mended (made by scripts/crisis_real_words.py)."""
    folder = resources.files(__name__)
    files = [_read(lang, (folder / f"{lang}.txt").read_text(encoding="utf-8"))
             for lang in languages]
    if real_words:
        words = (folder / "real_words.txt").read_text(encoding="utf-8").split()
        files.append(_File("real_words", keep=[w for w in words if not w.startswith("#")]))
    return Phrasebook(files)
