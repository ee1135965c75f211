"""Reward rules: a fixed, transparent list; each kind of action paid once; an annual budget.

Pure: no database, no clock (the day is passed in), so the rules are tested with hypothesis.
The rules decide, never a mood (seed 000 §1.1.4): a tag that would exceed the participant's
budget for the year is refused with the numbers, a kind already used is refused, and a reward
confirmed in a later year than it was tagged is checked against that later year's budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_BUDGET_CENTS = 50_000
DEFAULT_LIST = "default"
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class RewardListError(ValueError):
    pass


class RewardKind(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    tier: int = Field(ge=1, le=3)
    amount_cents: int = Field(gt=0)
    name: dict[str, str]

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError("key: lowercase letters, digits and _ (at most 32)")
        return value

    @field_validator("name")
    @classmethod
    def _names(cls, value: dict[str, str]) -> dict[str, str]:
        missing = {"nl", "en"} - {k for k, v in value.items() if v.strip()}
        if missing:
            raise ValueError(f"name needs {', '.join(sorted(missing))}")
        return value

    def name_in(self, locale: str) -> str:
        return self.name.get(locale) or self.name["nl"]


class RewardList(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    annual_budget_cents: int = Field(default=DEFAULT_BUDGET_CENTS, gt=0)
    kinds: tuple[RewardKind, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> RewardList:
        keys = [kind.key for kind in self.kinds]
        if len(set(keys)) != len(keys):
            raise ValueError("each key may appear once")
        for kind in self.kinds:
            if kind.amount_cents > self.annual_budget_cents:
                raise ValueError(f"{kind.key}: amount is more than the annual budget")
        return self

    def kind(self, key: str) -> RewardKind | None:
        return next((kind for kind in self.kinds if kind.key == key), None)


def load_reward_list(key: str, directory: Path) -> RewardList:
    if not _KEY.match(key):
        raise RewardListError(f"{key!r} is not a valid reward list name")
    path = Path(directory) / f"{key}.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return RewardList.model_validate(raw)
    except FileNotFoundError as exc:
        raise RewardListError(f"{path.name}: no such reward list") from exc
    except (ValidationError, yaml.YAMLError) as exc:
        raise RewardListError(f"{path.name}: {exc}") from exc


@dataclass(frozen=True)
class RewardSettings:
    """The organisation's choice, from Organisation.settings["rewards"]. Off by default."""

    enabled: bool = False
    list_key: str = DEFAULT_LIST
    annual_budget_cents: int | None = None  # overrides the list's budget when set

    @classmethod
    def from_org(cls, settings: Mapping[str, Any] | None) -> RewardSettings:
        raw = (settings or {}).get("rewards") or {}
        if not isinstance(raw, Mapping):
            return cls()
        budget = raw.get("annual_budget_cents")
        return cls(
            enabled=raw.get("enabled") is True,
            list_key=str(raw.get("list") or DEFAULT_LIST),
            annual_budget_cents=budget if isinstance(budget, int) and budget > 0 else None,
        )

    def budget(self, rewards: RewardList) -> int:
        return self.annual_budget_cents or rewards.annual_budget_cents


# --- the ledger rules ------------------------------------------------------------------------


class Status(StrEnum):
    TAGGED = "tagged"
    EARNED = "earned"
    HANDED_OUT = "handed_out"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Line:
    """One ledger row as the rules see it."""

    kind: str
    amount_cents: int
    budget_year: int
    status: str
    entry_id: int = 0


class Refusal(StrEnum):
    KIND_USED = "kind_used"  # this kind is already tagged, earned or handed out
    OVER_BUDGET = "over_budget"
    NOT_TAGGED = "not_tagged"  # confirm/hand out on a row in the wrong state


@dataclass(frozen=True)
class Decision:
    allowed: bool
    refusal: Refusal | None = None
    budget_year: int | None = None
    committed_cents: int = 0  # already tagged or earned this year, before this change
    budget_cents: int = 0

    @property
    def remaining_cents(self) -> int:
        return max(0, self.budget_cents - self.committed_cents)


def budget_year(day: date) -> int:
    """Budgets run per calendar year, in the participant's own zone (the caller's `day`)."""
    return day.year


def committed(lines: Iterable[Line], year: int, *, leave_out: int | None = None) -> int:
    """What counts against `year`'s budget: every row not cancelled, tagged ones included, so
    two tags cannot together promise more than the budget."""
    return sum(
        line.amount_cents for line in lines
        if line.budget_year == year and line.status != Status.CANCELLED
        and (leave_out is None or line.entry_id != leave_out)
    )


def check_tag(lines: Iterable[Line], kind: str, amount_cents: int, day: date,
              budget_cents: int) -> Decision:
    lines = list(lines)
    year = budget_year(day)
    used = committed(lines, year)
    if any(line.kind == kind and line.status != Status.CANCELLED for line in lines):
        return Decision(False, Refusal.KIND_USED, year, used, budget_cents)
    if used + amount_cents > budget_cents:
        return Decision(False, Refusal.OVER_BUDGET, year, used, budget_cents)
    return Decision(True, None, year, used, budget_cents)


def check_earn(lines: Iterable[Line], entry: Line, day: date, budget_cents: int) -> Decision:
    """Confirming a tagged reward. Tagged in December, confirmed in January: it moves to the
    new year and must fit that year's budget."""
    lines = list(lines)
    year = budget_year(day)
    if entry.status != Status.TAGGED:
        return Decision(False, Refusal.NOT_TAGGED, entry.budget_year, 0, budget_cents)
    if entry.budget_year == year:
        return Decision(True, None, year, committed(lines, year, leave_out=entry.entry_id),
                        budget_cents)
    used = committed(lines, year, leave_out=entry.entry_id)
    if used + entry.amount_cents > budget_cents:
        return Decision(False, Refusal.OVER_BUDGET, year, used, budget_cents)
    return Decision(True, None, year, used, budget_cents)


def earned_total(lines: Iterable[Line], year: int | None = None) -> int:
    """Earned and handed out (in `year`, or ever)."""
    return sum(
        line.amount_cents for line in lines
        if line.status in (Status.EARNED, Status.HANDED_OUT)
        and (year is None or line.budget_year == year)
    )
