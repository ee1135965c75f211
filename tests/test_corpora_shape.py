"""The held-out corpora (tests/corpora/) load and keep their shape and minimum sizes.

No recogniser is tested here: the benches measure those against these files. This test only
makes a broken or shrunken corpus fail CI.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest

from tests.corpora.count import CRISIS, DATES, NEGATIVE_KINDS, POSITIVE_KINDS, load

CRISIS_KEYS = {"id", "lang", "text", "expected", "kind", "source"}
DATES_KEYS = {"id", "lang", "text", "base", "context", "expected", "ambiguous", "source"}
OPTIONAL_KEYS = {"note"}
CRISIS_SOURCES = {
    "chat", "typo", "no-accents", "all-caps", "emoji", "voice-to-text", "spoken-form", "dialect",
    "indirect", "long-message", "idiom-negative", "programme", "arabizi", "latin-script", "learner",
}
DATES_SOURCES = {
    "chat", "typo", "abbreviation", "numeric", "spoken-form", "voice-to-text", "dialect",
    "all-caps", "no-accents", "learner", "emoji",
}
MAIN_BASE = "2026-03-10T09:00:00+01:00"
HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@pytest.fixture(scope="module")
def crisis() -> list[dict[str, Any]]:
    return load(CRISIS)


@pytest.fixture(scope="module")
def dates() -> list[dict[str, Any]]:
    return load(DATES)


def _check_common(e: dict[str, Any], required: set[str], sources: set[str]) -> None:
    assert required <= e.keys(), (e.get("id"), required - e.keys())
    assert e.keys() <= required | OPTIONAL_KEYS, (e["id"], e.keys() - required - OPTIONAL_KEYS)
    assert isinstance(e["text"], str) and e["text"] == e["text"].strip() and e["text"], e["id"]
    assert e["source"] in sources, (e["id"], e["source"])
    assert isinstance(e.get("note", ""), str), e["id"]


def test_crisis_entries_have_the_documented_shape(crisis: list[dict[str, Any]]) -> None:
    ids = Counter(e["id"] for e in crisis)
    assert [i for i, n in ids.items() if n > 1] == []
    texts = Counter((e["lang"], e["text"]) for e in crisis)
    assert [t for t, n in texts.items() if n > 1] == []
    for e in crisis:
        _check_common(e, CRISIS_KEYS, CRISIS_SOURCES)
        assert e["lang"] in {"nl", "en", "ar", "tr", "pl", "uk"}, e["id"]
        assert isinstance(e["expected"], bool), e["id"]
        kinds = POSITIVE_KINDS if e["expected"] else NEGATIVE_KINDS
        assert e["kind"] in kinds, (e["id"], e["expected"], e["kind"])


def test_crisis_has_the_minimum_counts_per_language(crisis: list[dict[str, Any]]) -> None:
    by_lang: dict[str, Counter[str]] = {}
    for e in crisis:
        c = by_lang.setdefault(e["lang"], Counter())
        c["all"] += 1
        c["pos" if e["expected"] else "neg"] += 1
        c[e["kind"]] += 1
    for lang in ("nl", "en"):
        c = by_lang[lang]
        assert c["all"] >= 200, (lang, c)
        assert 0.4 <= c["pos"] / c["all"] <= 0.6, (lang, c)  # about half positives
        for kind in POSITIVE_KINDS:
            assert c[kind] >= 15, (lang, kind, c)
        assert c["idiom"] >= 30 and c["everyday"] >= 50, (lang, c)
    for lang in ("ar", "tr", "pl", "uk"):
        c = by_lang[lang]
        assert c["all"] >= 40, (lang, c)
        assert c["pos"] >= 15 and c["neg"] >= 15, (lang, c)
        for kind in POSITIVE_KINDS:
            assert c[kind] >= 1, (lang, kind, c)


def test_crisis_covers_the_forms_people_write(crisis: list[dict[str, Any]]) -> None:
    for lang in ("nl", "en"):
        sources = Counter(e["source"] for e in crisis if e["lang"] == lang and e["expected"])
        for form in ("typo", "all-caps", "emoji", "voice-to-text", "indirect", "long-message"):
            assert sources[form] >= 2, (lang, form, sources)
    assert sum(e["source"] == "arabizi" for e in crisis if e["lang"] == "ar") >= 3
    for lang in ("tr", "pl"):
        assert sum(e["source"] == "no-accents" for e in crisis if e["lang"] == lang) >= 5


def _weekday_tokens() -> dict[str, int]:
    names = {
        0: ("ma", "maandag", "mon", "monday"),
        1: ("di", "dinsdag", "tue", "tuesday"),
        2: ("wo", "woensdag", "wed", "wednesday"),
        3: ("do", "donderdag", "thu", "thursday"),
        4: ("vr", "vrijdag", "fri", "friday"),
        5: ("za", "zaterdag", "sat", "saturday"),
        6: ("zo", "zondag", "sun", "sunday"),
    }
    return {token: day for day, tokens in names.items() for token in tokens}


WEEKDAY_THEN_DAY = re.compile(r"\b([a-z]+)\s+(?:de\s+)?(\d{1,2})")


def test_dates_entries_have_the_documented_shape(dates: list[dict[str, Any]]) -> None:
    ids = Counter(e["id"] for e in dates)
    assert [i for i, n in ids.items() if n > 1] == []
    keys = Counter((e["lang"], e["text"], e["base"], e["context"]) for e in dates)
    assert [k for k, n in keys.items() if n > 1] == []
    weekdays = _weekday_tokens()
    for e in dates:
        _check_common(e, DATES_KEYS, DATES_SOURCES)
        assert e["lang"] in {"nl", "en"}, e["id"]
        base = dt.datetime.fromisoformat(e["base"])
        assert base.utcoffset() is not None, e["id"]
        assert e["context"] in {"deadline", "meeting", "wish"}, e["id"]
        assert isinstance(e["ambiguous"], bool), e["id"]
        expected = e["expected"]
        if expected is None:
            assert not e["ambiguous"], e["id"]
            continue
        assert set(expected) in ({"date"}, {"date", "time"}), e["id"]
        date = dt.date.fromisoformat(expected["date"])
        if "time" in expected:
            assert HH_MM.match(expected["time"]), e["id"]
        if date < base.date():
            assert "past" in e.get("note", ""), (e["id"], "a past date must say so in its note")
        # The corpus itself must not contradict a weekday it names next to a day number.
        for word, day in WEEKDAY_THEN_DAY.findall(e["text"].lower()):
            if word in weekdays and int(day) == date.day:
                assert date.weekday() == weekdays[word], e["id"]


def test_dates_has_the_minimum_counts(dates: list[dict[str, Any]]) -> None:
    assert len(dates) >= 250
    by_lang = Counter(e["lang"] for e in dates)
    assert by_lang["en"] >= 60 and by_lang["nl"] > by_lang["en"], by_lang
    assert sum(e["base"] != MAIN_BASE for e in dates) >= 20
    assert len({e["base"] for e in dates}) >= 4
    assert sum(e["expected"] is None for e in dates) >= 20
    assert sum(e["ambiguous"] for e in dates) >= 10
    with_time = [e for e in dates if e["expected"] and "time" in e["expected"]]
    assert len(with_time) >= 60
    contexts = Counter(e["context"] for e in dates)
    assert contexts["deadline"] >= 100 and contexts["meeting"] >= 60 and contexts["wish"] >= 15
