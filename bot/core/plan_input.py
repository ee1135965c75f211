"""Pure rules for what a coach types into a goal-action plan: cleaning text and the gentle
hints toward small, dated steps (hints never block). Dates: bot.core.dates."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

GOAL_MAX: Final = 300
WHY_MAX: Final = 500
OBSTACLE_MAX: Final = 500
IF_THEN_MAX: Final = 500
STEP_MAX: Final = 200
NAME_MAX: Final = 80
REASON_MAX: Final = 300

# A step longer than this is probably two steps; a hint, never a refusal.
SMALL_STEP_CHARS: Final = 90
# Words that usually mean a step is a whole project rather than one small action.
_BIG_WORDS: Final = ("en dan", "and then", "alles", "everything", "helemaal", "completely")
# A deadline further away than this makes a step easy to postpone; again only a hint.
FAR_DAYS: Final = 42


class TextProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


def clean_text(raw: str, max_chars: int, *, multiline: bool = False) -> str | TextProblem:
    """Text as typed, trimmed, with control characters removed. HTML, emoji and right-to-left
    text are kept unchanged: they are escaped when shown, never stripped."""
    text = unicodedata.normalize("NFC", raw)
    lines = [
        "".join(ch for ch in line if not unicodedata.category(ch).startswith("C")
                or ch in "\u200d\u200c\u200f\u200e")
        for line in text.splitlines()
    ]
    text = "\n".join(" ".join(line.split()) for line in lines) if multiline else " ".join(
        " ".join(lines).split()
    )
    text = text.strip()
    if not text:
        return TextProblem.EMPTY
    if len(text) > max_chars:
        return TextProblem.TOO_LONG
    return text


@dataclass(frozen=True)
class StepHints:
    """Why a step might be hard to start; the coach may go on regardless."""

    long: bool = False
    big: bool = False
    no_date: bool = False
    far: bool = False

    @property
    def any(self) -> bool:
        return self.long or self.big or self.no_date or self.far


def step_hints(text: str, due: date | None, today: date) -> StepHints:
    lowered = text.lower()
    return StepHints(
        long=len(text) > SMALL_STEP_CHARS,
        big=any(word in lowered for word in _BIG_WORDS),
        no_date=due is None,
        far=due is not None and (due - today).days > FAR_DAYS,
    )


def is_past(due: date, today: date) -> bool:
    return due < today


# "Als de brief niet te snappen is, dan bel ik Sanne" / "If ..., then ...": an if-then plan
# names its obstacle in its first half.
_IF_THEN = re.compile(r"^(?:als|wanneer|if|when)\s+(.+?)[,;]?\s+(?:dan|then)\s+\S.*$",
                      re.IGNORECASE | re.DOTALL)


def if_then_parts(text: str) -> tuple[str, str] | None:
    """(obstacle, plan) when `text` is an if-then plan, else None (then it is the obstacle
    alone, and the flow asks what they will do about it)."""
    match = _IF_THEN.match(text.strip())
    if match is None:
        return None
    return match.group(1).strip(), text.strip()

