import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ui.buttons.base import BadCallback, CallbackData


class Tick(CallbackData, prefix="tk"):
    step_id: int
    page: int = 0
    undo: bool = False


class Pick(CallbackData, prefix="pk"):
    choice: str | None = None


def test_round_trip() -> None:
    data = Tick(step_id=42, page=1, undo=True).pack()
    assert data == "tk:42:1:1"
    assert Tick.unpack(data) == Tick(step_id=42, page=1, undo=True)
    assert Pick.unpack(Pick().pack()) == Pick(choice=None)


@pytest.mark.parametrize(
    "forged", ["tk:abc:0:0", "tk:1:0", "tk:1:0:0:9", "xx:1:0:0", "", "tk", "tk:1:0:maybe"]
)
def test_forged_data_is_refused(forged: str) -> None:
    with pytest.raises(BadCallback):
        Tick.unpack(forged)


def test_pattern_routes_by_prefix_only() -> None:
    assert Tick.pattern().match("tk:1:0:0")
    assert not Tick.pattern().match("tkx:1")


def test_over_64_bytes_is_refused_when_packing() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Pick(choice="é" * 40).pack()


def test_separator_inside_a_value_is_refused() -> None:
    with pytest.raises(ValueError):
        Pick(choice="a:b").pack()


@given(st.integers(min_value=0, max_value=2**53), st.integers(0, 1000), st.booleans())
def test_any_tick_round_trips_within_the_limit(step_id: int, page: int, undo: bool) -> None:
    packed = Tick(step_id=step_id, page=page, undo=undo).pack()
    assert len(packed.encode()) <= 64
    assert Tick.unpack(packed) == Tick(step_id=step_id, page=page, undo=undo)


@given(st.text(max_size=80))
def test_unpack_never_raises_anything_but_bad_callback(text: str) -> None:
    with contextlib.suppress(BadCallback):
        Tick.unpack(text)
