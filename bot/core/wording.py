"""Choosing among rotating wordings: the same text every time stops being read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

T = TypeVar("T")


def rotate(variants: Sequence[T], day: date, salt: int) -> T:
    """A different variant from one day to the next, and not the same for everyone on one day.
    Deterministic, so re-rendering the same message gives the same words."""
    return variants[(day.toordinal() + salt) % len(variants)]
