"""The content files: Brug instruments, lessons and reward lists under `locales/`.

Checked when the application is built (`require_content`: the bot refuses to start with a
one-line error naming the file) and reported by `python -m bot check` (OK/FAIL per file). Each
file is loaded through the same cached loader the use cases read, so a valid file is loaded once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bot.core.brug import InstrumentError
from bot.core.lessons import LANGUAGES, LessonError
from bot.core.rewards import RewardListError
from bot.flows import brug, reminders, rewards
from bot.i18n import LOCALES_DIR


class ContentError(Exception):
    """A content file that does not load; the message is one line naming the file."""


@dataclass(frozen=True)
class FileCheck:
    path: str  # kind/file, e.g. "instruments/brug-alphen.yaml" (under locales/)
    problem: str | None  # None: the file loads and is valid


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _check(path: Path, load: Callable[[], object]) -> FileCheck:
    name = f"{path.parent.name}/{path.name}"
    try:
        load()
    except (InstrumentError, LessonError, RewardListError, OSError, ValueError) as error:
        return FileCheck(name, _one_line(error))
    return FileCheck(name, None)


def check_content() -> list[FileCheck]:
    checks = [_check(path, partial(brug.instrument, path.stem))
              for path in sorted(brug.INSTRUMENTS_DIR.glob("*.yaml"))]
    # The lesson languages are validated together (same lessons, same order in each).
    lessons = _check(LOCALES_DIR / "lessons", reminders.lesson_series)
    for lang in LANGUAGES:
        path = LOCALES_DIR / "lessons" / f"{lang}.yaml"
        problem = lessons.problem
        if problem is None and not path.exists():
            problem = "no such file"
        checks.append(FileCheck(f"lessons/{path.name}", problem))
    checks += [_check(path, partial(rewards.reward_list, path.stem))
               for path in sorted(rewards.REWARDS_DIR.glob("*.yaml"))]
    return checks


def require_content() -> None:
    """Raise ContentError for the first content file that does not load."""
    for check in check_content():
        if check.problem is not None:
            raise ContentError(f"content file {check.path}: {check.problem}")

