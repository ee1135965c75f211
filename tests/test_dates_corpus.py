"""The share of typed dates and times understood (issue 21): dates >= 95%, times >= 90%,
non-dates refused >= 90%, on the development corpus (tests/corpora_dev/) and on the held-out
corpus (tests/corpora/, written separately from the parser). bench/bench_dates.py prints the
same figures per language and per form, and dateparser's beside them."""

import pytest

from tests.support.dates_corpus import DEV, Score, held_out_path, load, ours, score


def failing(found: Score) -> str:
    return (f"dates {found.dates}, times {found.times}, refusals {found.refusals}; "
            "see .venv/bin/python bench/bench_dates.py --misses")


def test_development_corpus() -> None:
    cases = load(DEV)
    assert len(cases) >= 200
    overall, by_lang, _, _ = score(cases, ours)
    assert overall.passes, failing(overall)
    for found in by_lang.values():
        assert found.passes, failing(found)


def test_held_out_corpus() -> None:
    path = held_out_path()
    if path is None:
        pytest.skip("no held-out dates corpus in tests/corpora/ yet")
    overall, _, _, _ = score(load(path), ours)
    assert overall.passes, failing(overall)
