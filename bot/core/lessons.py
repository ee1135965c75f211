"""Short lessons about stress and scarcity: content files under locales/lessons/, checked at load.

Each lesson gives one insight and ends with one concrete strategy to try. The files are written
per language (nl, en) with the same keys in the same order, so lesson number N is the same lesson
in every language. Pure module: the caller says where the files are; nothing is read at import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

LANGUAGES: Final = ("nl", "en")
MAX_CHARS: Final = 600
MIN_LESSONS: Final = 12
LESSONS_DIR: Final = Path(__file__).resolve().parent.parent.parent / "locales" / "lessons"


class LessonError(ValueError):
    """A lesson file is missing, malformed, too long or out of step with the other language."""


class Lesson(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    title: str = Field(min_length=3, max_length=60)
    text: str = Field(min_length=20)
    strategy: str = Field(min_length=10)

    @model_validator(mode="after")
    def _short_enough(self) -> Lesson:
        if self.length > MAX_CHARS:
            raise ValueError(f"lesson {self.key} has {self.length} characters (max {MAX_CHARS})")
        return self

    @property
    def length(self) -> int:
        """What the reader sees: title, text and strategy (the label adds a few characters)."""
        return len(self.title) + len(self.text) + len(self.strategy) + 20


class LessonFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    language: str
    lessons: list[Lesson] = Field(min_length=MIN_LESSONS)


class LessonSeries(BaseModel):
    model_config = ConfigDict(frozen=True)

    by_language: dict[str, LessonFile]

    @model_validator(mode="after")
    def _same_series(self) -> LessonSeries:
        orders = {lang: [lesson.key for lesson in f.lessons] for lang, f in
                  self.by_language.items()}
        first = orders[LANGUAGES[0]]
        if len(set(first)) != len(first):
            raise ValueError("a lesson key is used twice")
        for lang, keys in orders.items():
            if keys != first:
                raise ValueError(f"lessons in {lang} differ from {LANGUAGES[0]} (keys/order)")
        return self

    @property
    def count(self) -> int:
        return len(self.by_language[LANGUAGES[0]].lessons)

    def get(self, number: int, language: str) -> Lesson:
        lessons = self.by_language.get(language, self.by_language[LANGUAGES[0]]).lessons
        return lessons[number % len(lessons)]


def load_lessons(directory: Path = LESSONS_DIR) -> LessonSeries:
    files = {}
    for lang in LANGUAGES:
        path = directory / f"{lang}.yaml"
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            files[lang] = LessonFile.model_validate(raw)
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise LessonError(f"{path.name}: {exc}") from exc
        if files[lang].language != lang:
            raise LessonError(f"{path.name}: says language {files[lang].language!r}")
    try:
        return LessonSeries(by_language=files)
    except ValidationError as exc:
        raise LessonError(str(exc)) from exc
