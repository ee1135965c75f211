"""The glossary (locales/glossary.toml) and the checks the texts are held to.

`check(entry, nl, en)` returns the problems of one entry in both languages: a word to avoid, or
a term used in one language but not in the other (the entry then talks about two things).
Pure functions; tests/test_glossary.py feeds them every catalog entry and content text."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent.parent
GLOSSARY = ROOT / "locales" / "glossary.toml"
LANGS = ("nl", "en")

# Removed before matching: placeholders ({step}), HTML tags and /commands (/stappen).
_NOISE = re.compile(r"\{[^{}]*\}|<[^<>]*>|(?<![\w/])/[a-z_]+")


@dataclass(frozen=True)
class Term:
    thing: str
    words: dict[str, str]  # the one word per language
    match: dict[str, re.Pattern[str]]


@dataclass(frozen=True)
class Avoid:
    lang: str
    match: re.Pattern[str]
    why: str


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    avoid: tuple[Avoid, ...]
    allow: frozenset[tuple[str, str]]  # (entry, the term's nl word)


def load(path: Path = GLOSSARY) -> Glossary:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    terms = tuple(
        Term(t["thing"], {lang: t[lang] for lang in LANGS},
             {lang: re.compile(t[f"{lang}_match"], re.IGNORECASE) for lang in LANGS})
        for t in raw.get("term", []))
    avoid = tuple(Avoid(a["lang"], re.compile(a["match"], re.IGNORECASE), a["why"])
                  for a in raw.get("avoid", []))
    allow = frozenset((a["entry"], a["term"]) for a in raw.get("allow", []))
    return Glossary(terms, avoid, allow)


def words_only(text: str) -> str:
    return _NOISE.sub(" ", text)


def check(glossary: Glossary, entry: str, nl: str, en: str) -> list[str]:
    """The problems of one entry (its Dutch and English text), each naming the entry."""
    texts = {"nl": words_only(nl), "en": words_only(en)}
    problems = []
    for rule in glossary.avoid:
        found = rule.match.search(texts[rule.lang])
        if found:
            problems.append(f"{entry!r} ({rule.lang}): avoid {found.group(0)!r}: {rule.why}")
    for term in glossary.terms:
        has = {lang: bool(term.match[lang].search(texts[lang])) for lang in LANGS}
        if has["nl"] != has["en"] and (entry, term.words["nl"]) not in glossary.allow:
            with_it, without = ("nl", "en") if has["nl"] else ("en", "nl")
            problems.append(
                f"{entry!r}: {with_it} says {term.words[with_it]!r} but {without} has no "
                f"{term.words[without]!r} ({term.thing})")
    return problems


@dataclass(frozen=True)
class Entry:
    name: str
    nl: str
    en: str


def catalog_entries(root: Path = ROOT) -> Iterator[Entry]:
    """Every translated entry of the two catalogs, plural forms paired one by one."""
    catalogs = {}
    for lang in LANGS:
        with (root / "locales" / lang / "LC_MESSAGES" / "bot.po").open("rb") as f:
            catalogs[lang] = read_po(f, locale=lang)
    for message in catalogs["nl"]:
        if not message.id:
            continue
        other = catalogs["en"].get(message.id)
        if other is None:
            continue  # test_i18n reports a missing entry
        name = message.id if isinstance(message.id, str) else message.id[0]
        nl_forms, en_forms = _forms(message.string), _forms(other.string)
        for index, (nl, en) in enumerate(zip(nl_forms, en_forms, strict=False)):
            yield Entry(name if len(nl_forms) == 1 else f"{name} [{index}]", nl, en)


def _forms(string: str | Sequence[str]) -> tuple[str, ...]:
    return (string,) if isinstance(string, str) else tuple(string)
