"""When a step keeps slipping, the bot offers help once: pure rules, nothing is read here.

Coaches rarely worked out strategies after a setback (seed 000 §3.5.3, §5.1.2): the bot does it
kindly at the moment it happens, once per step: make the step smaller, make an if-then plan
("Als ..., dan ..."), or ask the coach, with the lesson that fits.
"""

from __future__ import annotations

from typing import Final, Literal

Trigger = Literal["moved", "still_busy"]

# The second move of one step, or the second "still busy" on it.
SETBACK_AFTER: Final = 2
# The lesson that fits each trigger (keys of locales/lessons/*.yaml).
LESSON_FOR: Final[dict[str, str]] = {"moved": "plans_slip", "still_busy": "if_then"}


def setback(moves: int, still_busy: int, already_offered: bool) -> Trigger | None:
    """What calls for the offer now, or None (not yet, or offered before for this step)."""
    if already_offered:
        return None
    if moves >= SETBACK_AFTER:
        return "moved"
    if still_busy >= SETBACK_AFTER:
        return "still_busy"
    return None
