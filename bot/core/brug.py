"""The Brug naar Zelfredzaamheid: instrument content and the pure maths on measurements.

An *instrument* is a YAML file (see `locales/instruments/`): pillars, each with five ordinal steps
(1 = lowest, 5 = highest) and a statement per step in every supported language. A *measurement*
is a mapping pillar key -> step (or None when the pillar was skipped).

The steps are ordinal and mean different things per pillar, so nothing here averages or sums
across pillars: comparisons are per pillar, and reports use the five categories of the
evaluators ("zeer ongunstig" .. "zeer gunstig").

Pure module: no database, no Telegram, no clock, nothing read at import time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

LEVELS: Final = (1, 2, 3, 4, 5)
MIN_LEVEL: Final = 1
MAX_LEVEL: Final = 5
REQUIRED_LANGUAGES: Final = ("nl", "en")

# Lengths in characters. Statements stand in the question (a key word goes on the button):
# aim for <= 60, refuse above 100.
MAX_LABEL: Final = 32
MAX_STATEMENT: Final = 100
MAX_NAME: Final = 80
MAX_HINT: Final = 160
# A statement's key word goes on the answer button ("1 · geen ruimte"); the whole statement is in
# the message above, so the button stays readable on a phone.
MAX_KEYWORD: Final = 22
MAX_PILLARS: Final = 12  # the renderer lays out at most this many columns

Change = Literal["better", "same", "worse", "unknown"]
Category = Literal["very_unfavourable", "unfavourable", "moderate", "favourable", "very_favourable"]
CATEGORIES: Final[tuple[Category, ...]] = (
    "very_unfavourable",
    "unfavourable",
    "moderate",
    "favourable",
    "very_favourable",
)

_PILLAR_KEY_RE: Final = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Instrument keys double as file names, so they must not be able to leave the directory.
_INSTRUMENT_KEY_RE: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_LANGUAGE_RE: Final = re.compile(r"^[a-z]{2,3}$")
_MAX_EXTENDS_DEPTH: Final = 4


class InstrumentError(ValueError):
    """An instrument file is missing or invalid; the message names the file and the problem."""


# --- localized text ---------------------------------------------------------------------------


def _text_check(max_length: int) -> Callable[[dict[str, str]], dict[str, str]]:
    """Validator for a {language: text} mapping: required languages present, one line, short."""

    def check(value: dict[str, str]) -> dict[str, str]:
        missing = [lang for lang in REQUIRED_LANGUAGES if lang not in value]
        if missing:
            raise ValueError(f"missing text for language(s): {', '.join(missing)}")
        cleaned: dict[str, str] = {}
        for lang, text in value.items():
            if not _LANGUAGE_RE.match(lang):
                raise ValueError(f"language code {lang!r} is not a two- or three-letter code")
            text = unicodedata.normalize("NFC", text.strip())
            if not text:
                raise ValueError(f"empty text for language {lang!r}")
            if any(unicodedata.category(ch).startswith("C") for ch in text):
                raise ValueError(f"text for {lang!r} contains a line break or control character")
            if len(text) > max_length:
                raise ValueError(
                    f"text for {lang!r} is {len(text)} characters, max {max_length}: {text!r}"
                )
            cleaned[lang] = text
        return cleaned

    return check


Label = Annotated[dict[str, str], AfterValidator(_text_check(MAX_LABEL))]
Statement = Annotated[dict[str, str], AfterValidator(_text_check(MAX_STATEMENT))]
Name = Annotated[dict[str, str], AfterValidator(_text_check(MAX_NAME))]
Hint = Annotated[dict[str, str], AfterValidator(_text_check(MAX_HINT))]
KeyWord = Annotated[dict[str, str], AfterValidator(_text_check(MAX_KEYWORD))]


def pick(texts: Mapping[str, str], language: str) -> str:
    """The text in `language`, falling back to Dutch (the source language of the instrument)."""
    return texts.get(language) or texts["nl"]


# --- the instrument --------------------------------------------------------------------------


class Pillar(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    label: Label
    # Optional clarification, e.g. whether a benefit counts as income (coaches disagreed).
    hint: Hint | None = None
    levels: dict[int, Statement]
    # A key word per level for the answer buttons (the file's `keywords:` section); without
    # them a button shows the number alone.
    keywords: dict[int, KeyWord] | None = None

    @field_validator("key")
    @classmethod
    def _key_is_snake_case(cls, value: str) -> str:
        if not _PILLAR_KEY_RE.match(value):
            raise ValueError(f"pillar key {value!r} must be ascii snake_case, max 40 characters")
        return value

    @field_validator("levels")
    @classmethod
    def _exactly_five_levels(cls, value: dict[int, dict[str, str]]) -> dict[int, dict[str, str]]:
        if set(value) != set(LEVELS):
            raise ValueError(f"levels must be exactly 1..5, got {sorted(value)}")
        return {level: value[level] for level in LEVELS}

    @field_validator("keywords")
    @classmethod
    def _a_keyword_per_level(cls, value: dict[int, dict[str, str]] | None
                             ) -> dict[int, dict[str, str]] | None:
        if value is not None and set(value) != set(LEVELS):
            raise ValueError(f"keywords must be given for levels 1..5, got {sorted(value)}")
        return value

    def label_in(self, language: str) -> str:
        return pick(self.label, language)

    def keyword(self, level: int, language: str) -> str | None:
        return pick(self.keywords[check_level(level)], language) if self.keywords else None

    def statement(self, level: int, language: str) -> str:
        return pick(self.levels[check_level(level)], language)

    def hint_in(self, language: str) -> str | None:
        return pick(self.hint, language) if self.hint else None


class Instrument(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    version: int = Field(ge=1)
    name: Name
    extends: str | None = None  # the base instrument this one was built from, for the record
    pillars: tuple[Pillar, ...] = Field(min_length=1, max_length=MAX_PILLARS)

    @field_validator("key")
    @classmethod
    def _key_is_safe(cls, value: str) -> str:
        if not _INSTRUMENT_KEY_RE.match(value):
            raise ValueError(f"instrument key {value!r} must be lowercase ascii, digits, - or _")
        return value

    @field_validator("pillars")
    @classmethod
    def _unique_pillar_keys(cls, value: tuple[Pillar, ...]) -> tuple[Pillar, ...]:
        seen: set[str] = set()
        for pillar in value:
            if pillar.key in seen:
                raise ValueError(f"duplicate pillar key {pillar.key!r}")
            seen.add(pillar.key)
        return value

    @property
    def pillar_keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.pillars)

    def pillar(self, key: str) -> Pillar:
        for candidate in self.pillars:
            if candidate.key == key:
                return candidate
        raise KeyError(key)

    def name_in(self, language: str) -> str:
        return pick(self.name, language)

    def check_measurement(self, levels: Mapping[str, int | None]) -> dict[str, int | None]:
        """`levels` ordered like the pillars; refuses unknown pillars and steps outside 1..5.

        Pillars missing from `levels` come back as None (not answered).
        """
        unknown = set(levels) - set(self.pillar_keys)
        if unknown:
            raise ValueError(f"not pillars of {self.key}: {', '.join(sorted(unknown))}")
        return {key: _optional_level(levels.get(key)) for key in self.pillar_keys}


# --- loading ---------------------------------------------------------------------------------


def load_instrument(key: str, directory: Path) -> Instrument:
    """Load and validate `<directory>/<key>.yaml`, resolving `extends:` + `add_pillars:`.

    Raises InstrumentError with the file name and the first problem found.
    """
    raw = _resolve(key, Path(directory), chain=())
    try:
        return Instrument.model_validate(raw)
    except ValidationError as exc:
        raise InstrumentError(f"{key}.yaml: {_first_error(exc)}") from exc


def available_instruments(directory: Path) -> dict[str, Instrument]:
    """Every `*.yaml` instrument in `directory`, validated, by key in sorted order.

    One broken file fails the whole call: better to refuse to start than to show a half Brug.
    """
    paths = sorted(Path(directory).glob("*.yaml"))
    return {path.stem: load_instrument(path.stem, directory) for path in paths}


def _resolve(key: str, directory: Path, chain: tuple[str, ...]) -> dict[str, Any]:
    """The raw mapping for `key`, with any base instrument merged in."""
    if not _INSTRUMENT_KEY_RE.match(key):
        raise InstrumentError(f"{key!r} is not a valid instrument key")
    if key in chain:
        raise InstrumentError(f"{key}.yaml: extends itself via {' -> '.join((*chain, key))}")
    if len(chain) > _MAX_EXTENDS_DEPTH:
        raise InstrumentError(f"{key}.yaml: too many levels of extends")
    raw = _read_yaml(directory / f"{key}.yaml")
    if raw.get("key") != key:
        raise InstrumentError(
            f"{key}.yaml: key must be {key!r} (the file name), got {raw.get('key')!r}"
        )
    _attach_keywords(key, raw)
    base_key = raw.pop("extends", None)
    if base_key is None:
        if "add_pillars" in raw:
            raise InstrumentError(f"{key}.yaml: add_pillars needs extends")
        return raw
    if "pillars" in raw:
        raise InstrumentError(f"{key}.yaml: an extension lists add_pillars, not pillars")
    if not isinstance(base_key, str):
        raise InstrumentError(f"{key}.yaml: extends must be an instrument key")
    base = _resolve(base_key, directory, (*chain, key))
    added = raw.pop("add_pillars", None)
    if not isinstance(added, list) or not added:
        raise InstrumentError(f"{key}.yaml: add_pillars must be a non-empty list")
    # The extension keeps its own key, version and (optionally) name; pillars are appended so the
    # base pillars keep their order and keys, and measurements stay comparable with the base.
    return {**base, **raw, "extends": base_key, "pillars": [*base["pillars"], *added]}


def _attach_keywords(key: str, raw: dict[str, Any]) -> None:
    """Move the file's `keywords:` section (pillar key -> level -> text) onto its pillars. It is
    a section of its own, at the end of the file, so the statements above read as before."""
    keywords = raw.pop("keywords", None)
    if keywords is None:
        return
    own = [p for p in [*raw.get("pillars", []), *(raw.get("add_pillars") or [])]
           if isinstance(p, dict)]
    if not isinstance(keywords, dict):
        raise InstrumentError(f"{key}.yaml: keywords must map pillar keys to levels")
    unknown = set(keywords) - {p.get("key") for p in own}
    if unknown:
        raise InstrumentError(
            f"{key}.yaml: keywords for pillars this file does not list: {sorted(unknown)}")
    for pillar in own:
        if pillar.get("key") in keywords:
            pillar["keywords"] = keywords[pillar["key"]]


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InstrumentError(f"{path.name}: no such instrument in {path.parent}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InstrumentError(f"{path.name}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise InstrumentError(f"{path.name}: expected a mapping at the top")
    if not isinstance(data.get("pillars", []), list):
        raise InstrumentError(f"{path.name}: pillars must be a list")
    return data


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    more = exc.error_count() - 1
    return f"{where}: {first['msg']}" + (f" (and {more} more)" if more else "")


# --- measurements ----------------------------------------------------------------------------


def check_level(level: int) -> int:
    # bool is an int subclass; True as "step 1" is always a bug upstream.
    if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValueError(f"step must be an int from 1 to 5, got {level!r}")
    return level


def _optional_level(level: int | None) -> int | None:
    return None if level is None else check_level(level)


def compare(
    previous: Mapping[str, int | None], current: Mapping[str, int | None]
) -> dict[str, Change]:
    """Per pillar: did the step go up, stay, or go down between two measurements?

    "unknown" when either side is missing or None. Keys: those of `current`, then any only in
    `previous`. This is the evaluators' better/same/worse table, one row per participant.
    """
    keys = [*current, *(k for k in previous if k not in current)]
    result: dict[str, Change] = {}
    for key in keys:
        before = _optional_level(previous.get(key))
        now = _optional_level(current.get(key))
        if before is None or now is None:
            result[key] = "unknown"
        elif now > before:
            result[key] = "better"
        elif now < before:
            result[key] = "worse"
        else:
            result[key] = "same"
    return result


def category(level: int) -> Category:
    """The evaluators' category for a step: 1 -> very_unfavourable .. 5 -> very_favourable."""
    return CATEGORIES[check_level(level) - 1]


LOW_LEVELS: Final = (1, 2)
MOSTLY_LOW_MIN_PILLARS: Final = 3


def is_mostly_low(levels: Mapping[str, int | None]) -> bool:
    """True when more than half of the answered pillars are at step 1 or 2, and at least 3 are.

    Used to frame the picture gently (seeing nearly all bottom boxes ticked was confronting).
    With 8 answered pillars this means 5 or more low; the floor of 3 keeps a Brug with only one or
    two answers from being called "mostly low".
    """
    answered = [lvl for lvl in map(_optional_level, levels.values()) if lvl is not None]
    low = sum(1 for lvl in answered if lvl in LOW_LEVELS)
    return low >= MOSTLY_LOW_MIN_PILLARS and low * 2 > len(answered)


@dataclass(frozen=True, slots=True)
class ProgressSummary:
    """Which pillars went up, stayed, went down, or cannot be compared; and targets reached.

    Counts of pillars only: steps are never added up across pillars.
    """

    better: tuple[str, ...]
    same: tuple[str, ...]
    worse: tuple[str, ...]
    unknown: tuple[str, ...]
    targets_reached: tuple[str, ...]
    is_first: bool  # no earlier answer on any pillar: nothing to compare yet

    @property
    def compared(self) -> int:
        return len(self.better) + len(self.same) + len(self.worse)


def progress_summary(
    previous: Mapping[str, int | None] | None,
    current: Mapping[str, int | None],
    targets: Mapping[str, int | None] | None = None,
) -> ProgressSummary:
    """Summarise two measurements (previous may be None for a first one) and any targets.

    A target counts as reached when the current step is at or above it.
    """
    before = previous or {}
    changes = compare(before, current)

    def having(change: Change) -> tuple[str, ...]:
        return tuple(k for k, v in changes.items() if v == change)

    reached = tuple(
        key
        for key, target in (targets or {}).items()
        if target is not None
        and (now := _optional_level(current.get(key))) is not None
        and now >= check_level(target)
    )
    return ProgressSummary(
        better=having("better"),
        same=having("same"),
        worse=having("worse"),
        unknown=having("unknown"),
        targets_reached=reached,
        is_first=all(_optional_level(v) is None for v in before.values()),
    )


def start_positions(
    measurements: Iterable[Mapping[str, int | None]],
) -> dict[str, dict[Category, int]]:
    """Per pillar, how many measurements fall in each category (the evaluators' figure 1)."""
    table: dict[str, dict[Category, int]] = {}
    for measurement in measurements:
        for key, level in measurement.items():
            row = table.setdefault(key, dict.fromkeys(CATEGORIES, 0))
            if (checked := _optional_level(level)) is not None:
                row[category(checked)] += 1
    return table
