"""The Brug instruments (YAML content + validation) and the pure maths on measurements."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.core.brug import (
    CATEGORIES,
    MAX_STATEMENT,
    REQUIRED_LANGUAGES,
    Instrument,
    InstrumentError,
    available_instruments,
    category,
    compare,
    is_mostly_low,
    load_instrument,
    progress_summary,
    start_positions,
)

INSTRUMENTS = Path(__file__).resolve().parent.parent / "locales" / "instruments"
SHIPPED = sorted(path.stem for path in INSTRUMENTS.glob("*.yaml"))

ALPHEN = [
    "Gezinsstabiliteit", "Sociaal netwerk", "Huisvesting", "Opleiding",
    "Gezondheid", "Schulden", "Sparen", "Inkomen",
]  # fmt: skip
GRONINGEN = [
    "Wonen", "Zorg voor anderen", "Gezondheid", "Sociale contacten",
    "Schulden", "Spaargeld", "Diploma", "Inkomen",
]  # fmt: skip


# --- shipped content -------------------------------------------------------------------------


def test_the_three_instruments_are_shipped() -> None:
    assert SHIPPED == ["brug-alphen", "brug-groningen", "example-extra-pillar"]


@pytest.mark.parametrize("key", SHIPPED)
def test_every_shipped_instrument_loads_complete(key: str) -> None:
    instrument = load_instrument(key, INSTRUMENTS)
    assert instrument.key == key
    assert instrument.version >= 1
    for pillar in instrument.pillars:
        assert list(pillar.levels) == [1, 2, 3, 4, 5]
        for texts in [pillar.label, *pillar.levels.values()]:
            assert set(REQUIRED_LANGUAGES) <= set(texts)
        for language in REQUIRED_LANGUAGES:
            statements = [pillar.statement(level, language) for level in range(1, 6)]
            assert len(set(statements)) == 5, f"{pillar.key}/{language}: steps must differ"
            # Buttons: the target is 60 characters; leave a little slack, never near the max.
            assert all(len(s) <= 64 for s in statements), statements
        for language in REQUIRED_LANGUAGES:
            labels = [p.label_in(language) for p in instrument.pillars]
            assert len(set(labels)) == len(labels)


@pytest.mark.parametrize("key", SHIPPED)
def test_shipped_texts_are_plain_and_free_of_judgement(key: str) -> None:
    instrument = load_instrument(key, INSTRUMENTS)
    judgement = ("slecht", "goed zo", "helaas", "fout", "bad", "poor", "fail", "!")
    for pillar in instrument.pillars:
        for texts in pillar.levels.values():
            for text in texts.values():
                assert not any(word in text.lower() for word in judgement), text
                assert all(ord(ch) < 0x2000 for ch in text), f"no emoji or symbols: {text!r}"


def test_alphen_and_groningen_use_the_names_from_the_pilots() -> None:
    alphen = load_instrument("brug-alphen", INSTRUMENTS)
    groningen = load_instrument("brug-groningen", INSTRUMENTS)
    assert [p.label_in("nl") for p in alphen.pillars] == ALPHEN
    assert [p.label_in("nl") for p in groningen.pillars] == GRONINGEN
    # Same life area, same key: evaluators can pool the variants per pillar.
    assert set(alphen.pillar_keys) - set(groningen.pillar_keys) == {"family_stability"}


def test_top_step_of_the_seed_is_level_5() -> None:
    alphen = load_instrument("brug-alphen", INSTRUMENTS)
    assert alphen.pillar("savings").statement(1, "nl") == "Ik heb geen spaargeld"
    assert "meer dan 3 maanden" in alphen.pillar("savings").statement(5, "nl")
    assert alphen.pillar("income").statement(1, "en") == "I have no income"


def test_example_extension_appends_a_pillar_to_its_base() -> None:
    base = load_instrument("brug-alphen", INSTRUMENTS)
    extended = load_instrument("example-extra-pillar", INSTRUMENTS)
    assert extended.extends == "brug-alphen"
    assert extended.pillar_keys == (*base.pillar_keys, "positive_health")
    assert extended.pillars[: len(base.pillars)] == base.pillars
    assert extended.pillar("positive_health").label_in("nl") == "Positieve gezondheid"
    assert extended.name_in("nl") != base.name_in("nl")


def test_available_instruments_lists_all_by_key() -> None:
    found = available_instruments(INSTRUMENTS)
    assert list(found) == SHIPPED
    assert all(isinstance(i, Instrument) for i in found.values())


def test_language_falls_back_to_dutch() -> None:
    pillar = load_instrument("brug-alphen", INSTRUMENTS).pillar("debts")
    assert pillar.label_in("tr") == pillar.label_in("nl") == "Schulden"
    assert pillar.hint_in("nl") is None


# --- validation ------------------------------------------------------------------------------


def _pillar(key: str = "debts", levels: int = 5) -> dict[str, Any]:
    return {
        "key": key,
        "label": {"nl": "Schulden", "en": "Debts"},
        "levels": {n: {"nl": f"Stap {n}", "en": f"Step {n}"} for n in range(1, levels + 1)},
    }


def _instrument(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "key": "test",
        "version": 1,
        "name": {"nl": "Brug", "en": "Bridge"},
        "pillars": [_pillar("debts"), _pillar("income")],
    }
    raw.update(changes)
    return raw


def test_a_valid_minimal_instrument_passes() -> None:
    assert Instrument.model_validate(_instrument()).pillar_keys == ("debts", "income")


def test_refuses_a_pillar_with_four_levels() -> None:
    with pytest.raises(ValidationError, match=r"exactly 1\.\.5"):
        Instrument.model_validate(_instrument(pillars=[_pillar(levels=4)]))


def test_refuses_levels_numbered_from_zero() -> None:
    pillar = _pillar()
    pillar["levels"] = {n - 1: text for n, text in pillar["levels"].items()}
    with pytest.raises(ValidationError, match=r"exactly 1\.\.5"):
        Instrument.model_validate(_instrument(pillars=[pillar]))


def test_refuses_a_missing_english_text() -> None:
    pillar = _pillar()
    del pillar["levels"][3]["en"]
    with pytest.raises(ValidationError, match="missing text for language"):
        Instrument.model_validate(_instrument(pillars=[pillar]))


def test_refuses_a_missing_english_label() -> None:
    pillar = _pillar()
    pillar["label"] = {"nl": "Schulden"}
    with pytest.raises(ValidationError, match="en"):
        Instrument.model_validate(_instrument(pillars=[pillar]))


def test_refuses_duplicate_pillar_keys() -> None:
    with pytest.raises(ValidationError, match="duplicate pillar key 'debts'"):
        Instrument.model_validate(_instrument(pillars=[_pillar("debts"), _pillar("debts")]))


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("levels", 2, "nl"), "x" * (MAX_STATEMENT + 1), "max 100"),
        (("levels", 2, "nl"), "   ", "empty text"),
        (("levels", 2, "nl"), "twee\nregels", "line break"),
        (("label", "nl"), "Een heel erg lange naam voor een pijler", "max 32"),
        (("key",), "Schulden", "snake_case"),
        (("key",), "schulden-1", "snake_case"),
    ],
)
def test_refuses_bad_texts_and_keys(path: tuple[Any, ...], value: str, message: str) -> None:
    pillar = _pillar()
    target = pillar
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises(ValidationError, match=message):
        Instrument.model_validate(_instrument(pillars=[pillar]))


def test_refuses_version_zero_unknown_fields_and_no_pillars() -> None:
    for raw in (_instrument(version=0), _instrument(colour="red"), _instrument(pillars=[])):
        with pytest.raises(ValidationError):
            Instrument.model_validate(raw)


def test_texts_are_trimmed_and_nfc_normalised() -> None:
    pillar = _pillar()
    pillar["levels"][1]["nl"] = "  Cafe\u0301  "
    loaded = Instrument.model_validate(_instrument(pillars=[pillar]))
    assert loaded.pillars[0].statement(1, "nl") == "Café"


def test_check_measurement_orders_fills_and_refuses() -> None:
    instrument = Instrument.model_validate(_instrument())
    assert instrument.check_measurement({"income": 2}) == {"debts": None, "income": 2}
    with pytest.raises(ValueError, match="not pillars"):
        instrument.check_measurement({"savings": 1})
    with pytest.raises(ValueError, match="1 to 5"):
        instrument.check_measurement({"debts": 6})


# --- loading from files ----------------------------------------------------------------------


def _write(directory: Path, raw: dict[str, Any]) -> None:
    (directory / f"{raw['key']}.yaml").write_text(
        yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8"
    )


def test_load_reports_the_file_and_the_problem(tmp_path: Path) -> None:
    _write(tmp_path, _instrument(pillars=[_pillar(levels=4)]))
    with pytest.raises(InstrumentError, match=r"^test\.yaml: pillars\.0\.levels"):
        load_instrument("test", tmp_path)


def test_load_refuses_missing_file_bad_key_and_key_mismatch(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="no such instrument"):
        load_instrument("absent", tmp_path)
    with pytest.raises(InstrumentError, match="not a valid instrument key"):
        load_instrument("../etc/passwd", tmp_path)
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(_instrument()), encoding="utf-8")
    with pytest.raises(InstrumentError, match="key must be 'other'"):
        load_instrument("other", tmp_path)
    (tmp_path / "broken.yaml").write_text("key: [unclosed", encoding="utf-8")
    with pytest.raises(InstrumentError, match="not valid YAML"):
        load_instrument("broken", tmp_path)


def test_extension_mechanism(tmp_path: Path) -> None:
    _write(tmp_path, _instrument())
    extra = _pillar("positive_health")
    _write(tmp_path, {"key": "ext", "version": 3, "extends": "test", "add_pillars": [extra]})
    loaded = load_instrument("ext", tmp_path)
    assert loaded.pillar_keys == ("debts", "income", "positive_health")
    assert (loaded.version, loaded.extends, loaded.name_in("en")) == (3, "test", "Bridge")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"extends": "test", "add_pillars": [_pillar("debts")]}, "duplicate pillar key"),
        ({"extends": "test", "add_pillars": []}, "non-empty list"),
        ({"extends": "test", "pillars": [_pillar("x")]}, "add_pillars, not pillars"),
        ({"add_pillars": [_pillar("x")]}, "needs extends"),
        ({"extends": "ext", "add_pillars": [_pillar("x")]}, "extends itself"),
        ({"extends": "nope", "add_pillars": [_pillar("x")]}, "no such instrument"),
    ],
)
def test_extension_refusals(tmp_path: Path, raw: dict[str, Any], message: str) -> None:
    _write(tmp_path, _instrument())
    _write(tmp_path, {"key": "ext", "version": 1, "name": {"nl": "E", "en": "E"}, **raw})
    with pytest.raises(InstrumentError, match=message):
        load_instrument("ext", tmp_path)


def test_available_instruments_fails_on_one_broken_file(tmp_path: Path) -> None:
    _write(tmp_path, _instrument())
    broken = copy.deepcopy(_instrument(key="broken"))
    del broken["pillars"][0]["levels"][5]
    _write(tmp_path, broken)
    with pytest.raises(InstrumentError, match=r"broken\.yaml"):
        available_instruments(tmp_path)


# --- compare, categories, summaries ----------------------------------------------------------


def test_compare_table() -> None:
    previous = {"a": 2, "b": 3, "c": 4, "d": None, "e": 1, "only_before": 2}
    current = {"a": 3, "b": 3, "c": 1, "d": 2, "e": None, "only_now": 5}
    assert compare(previous, current) == {
        "a": "better",
        "b": "same",
        "c": "worse",
        "d": "unknown",
        "e": "unknown",
        "only_now": "unknown",
        "only_before": "unknown",
    }
    assert list(compare(previous, current))[-1] == "only_before"


def test_compare_with_no_previous_is_all_unknown() -> None:
    assert compare({}, {"a": 1, "b": 5}) == {"a": "unknown", "b": "unknown"}


@pytest.mark.parametrize("bad", [0, 6, -1, True, 2.0, "3"])
def test_compare_refuses_levels_outside_1_to_5(bad: object) -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        compare({"a": 1}, {"a": bad})  # type: ignore[dict-item]


levels = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
measurements = st.dictionaries(st.sampled_from("abcdefghi"), levels, max_size=9)


@given(measurements, measurements)
def test_compare_is_antisymmetric(a: dict[str, int | None], b: dict[str, int | None]) -> None:
    forward, backward = compare(a, b), compare(b, a)
    assert forward.keys() == backward.keys() == a.keys() | b.keys()
    for key in forward:
        assert (forward[key] == "better") == (backward[key] == "worse")
        assert (forward[key] == "same") == (backward[key] == "same")
        assert (forward[key] == "unknown") == (backward[key] == "unknown")
        assert (forward[key] == "unknown") == (a.get(key) is None or b.get(key) is None)


@given(measurements)
def test_compare_with_itself_is_same_or_unknown(a: dict[str, int | None]) -> None:
    assert all(v == ("unknown" if a[k] is None else "same") for k, v in compare(a, a).items())


def test_category_keys() -> None:
    assert [category(level) for level in range(1, 6)] == list(CATEGORIES)
    assert category(1) == "very_unfavourable" and category(5) == "very_favourable"
    with pytest.raises(ValueError):
        category(0)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ({"a": 1, "b": 2, "c": 1, "d": 2, "e": 1, "f": 3, "g": 4, "h": 5}, True),  # 5 of 8
        ({"a": 1, "b": 2, "c": 1, "d": 2, "e": 3, "f": 3, "g": 4, "h": 5}, False),  # 4 of 8
        ({"a": 1, "b": 1, "c": 1, "d": None, "e": None}, True),  # 3 of 3 answered
        ({"a": 1, "b": 1, "c": None}, False),  # too few answers to say
        ({"a": 3, "b": 4, "c": 5, "d": 5}, False),
        ({}, False),
    ],
)
def test_is_mostly_low(levels: dict[str, int | None], expected: bool) -> None:
    assert is_mostly_low(levels) is expected


def test_progress_summary() -> None:
    previous = {"a": 1, "b": 2, "c": 3, "d": None}
    current = {"a": 2, "b": 2, "c": 2, "d": 4}
    summary = progress_summary(previous, current, targets={"a": 2, "c": 4, "d": 3, "e": 2})
    assert summary.better == ("a",)
    assert summary.same == ("b",)
    assert summary.worse == ("c",)
    assert summary.unknown == ("d",)
    assert summary.targets_reached == ("a", "d")
    assert summary.compared == 3
    assert summary.is_first is False


def test_progress_summary_of_a_first_measurement() -> None:
    summary = progress_summary(None, {"a": 3, "b": 1})
    assert summary.is_first is True
    assert summary.unknown == ("a", "b")
    assert summary.better == summary.worse == summary.targets_reached == ()


def test_start_positions_counts_per_pillar_and_category() -> None:
    table = start_positions([{"a": 1, "b": 5}, {"a": 1, "b": None}, {"a": 3}])
    assert table["a"]["very_unfavourable"] == 2
    assert table["a"]["moderate"] == 1
    assert table["b"]["very_favourable"] == 1
    assert sum(table["b"].values()) == 1
