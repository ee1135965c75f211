"""An organisation's settings (Organisation.settings JSON): read with defaults, set with
validation. `python -m bot admin org ORG` uses `apply`; features read with the helpers here.

Keys: rewards {enabled, list, annual_budget_cents} (bot.core.rewards.RewardSettings),
digest_default {enabled, weekday, time "HH:MM"} (the weekly digest of every coach who did not
choose their own: `digest_default` reads it), crisis_numbers [{label, number}],
coach_phone_visible (bool).
The instrument variant is a column (Organisation.instrument_key).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

MAX_CRISIS_NUMBERS = 5
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{2,19}$")
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_TRUE = {"true", "yes", "on", "1", "ja", "aan"}
_FALSE = {"false", "no", "off", "0", "nee", "uit"}


class SettingError(ValueError):
    """A value that cannot be stored, with a one-line reason for the operator."""


@dataclass(frozen=True)
class CrisisNumber:
    label: str
    number: str


@dataclass(frozen=True)
class DigestDefault:
    """The weekly digest of a coach who has not chosen their own (core.digest.CoachSchedule's
    defaults when the organisation set nothing)."""

    enabled: bool = True
    weekday: int = 0  # Monday
    at: time = time(8, 30)


def digest_default(settings: Mapping[str, Any] | None) -> DigestDefault:
    """The organisation's digest default; a value stored wrongly falls back to the built-in."""
    raw = (settings or {}).get("digest_default") or {}
    base = DigestDefault()
    if not isinstance(raw, Mapping):
        return base
    enabled = raw.get("enabled")
    weekday = raw.get("weekday")
    try:
        at = parse_time(str(raw["time"])) if raw.get("time") else base.at
    except SettingError:
        at = base.at
    return DigestDefault(
        enabled if isinstance(enabled, bool) else base.enabled,
        weekday if isinstance(weekday, int) and 0 <= weekday <= 6 else base.weekday, at)


def parse_time(text: str) -> time:
    """'8:30' or '08.30' -> 08:30."""
    match = _HHMM.fullmatch(text.strip())
    if match is None:
        raise SettingError(f"{text!r} is not a time (write it as HH:MM, e.g. 08:30)")
    return time(int(match[1]), int(match[2]))


def crisis_numbers(settings: Mapping[str, Any] | None) -> list[CrisisNumber]:
    """The organisation's own numbers for the crisis route (e.g. a debt-help line)."""
    raw = (settings or {}).get("crisis_numbers") or []
    found = []
    if isinstance(raw, list):
        for item in raw[:MAX_CRISIS_NUMBERS]:
            if isinstance(item, Mapping) and item.get("label") and item.get("number"):
                found.append(CrisisNumber(str(item["label"])[:60], str(item["number"])[:20]))
    return found


def coach_phone_visible(settings: Mapping[str, Any] | None) -> bool:
    return (settings or {}).get("coach_phone_visible") is True


def valid_phone(text: str) -> str:
    number = " ".join(text.split())
    if not _PHONE.fullmatch(number):
        raise SettingError(f"{text!r} is not a phone number (digits, spaces, '-', optional '+')")
    return number


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(f"{text!r} is not on/off (use true or false)")


def parse_crisis_number(text: str) -> CrisisNumber:
    """'Schuldhulp Alphen=0172-123456' -> a label and a number."""
    label, sep, number = text.rpartition("=")
    label = " ".join(label.split())
    if not sep or not label:
        raise SettingError(f"{text!r}: write it as 'label=number'")
    if len(label) > 60:
        raise SettingError("a crisis number's label must be at most 60 characters")
    if "<" in label or ">" in label:
        raise SettingError("a crisis number's label cannot contain < or >")
    return CrisisNumber(label, valid_phone(number))


def parse_budget_euros(text: str) -> int:
    """'1500' or '1500.50' euros -> cents; 0 < budget <= 100 000 euros."""
    try:
        cents = round(float(text.replace(",", ".")) * 100)
    except ValueError as exc:
        raise SettingError(f"{text!r} is not an amount in euros") from exc
    if not 0 < cents <= 10_000_000:
        raise SettingError("the reward budget must be more than 0 and at most 100000 euros")
    return cents


def apply(settings: Mapping[str, Any] | None, *, rewards: bool | None = None,
          budget_cents: int | None = None, digest: bool | None = None,
          digest_weekday: int | None = None, digest_time: time | None = None,
          crisis: list[CrisisNumber] | None = None, clear_crisis: bool = False,
          coach_phone: bool | None = None) -> dict[str, Any]:
    """A new settings dict with the given (already parsed) values; others stay as they were."""
    new: dict[str, Any] = dict(settings or {})
    if rewards is not None or budget_cents is not None:
        reward = dict(new.get("rewards") or {})
        if rewards is not None:
            reward["enabled"] = rewards
        if budget_cents is not None:
            reward["annual_budget_cents"] = budget_cents
        new["rewards"] = reward
    if digest is not None or digest_weekday is not None or digest_time is not None:
        default = dict(new.get("digest_default") or {})
        if digest_time is not None:
            default["time"] = digest_time.strftime("%H:%M")
        if digest is not None:
            default["enabled"] = digest
        if digest_weekday is not None:
            if not 0 <= digest_weekday <= 6:
                raise SettingError("the digest day is 0 (Monday) to 6 (Sunday)")
            default["weekday"] = digest_weekday
        new["digest_default"] = default
    if clear_crisis:
        new["crisis_numbers"] = []
    if crisis:
        current = [{"label": n.label, "number": n.number} for n in crisis_numbers(new)]
        for number in crisis:
            current = [c for c in current if c["label"] != number.label]
            current.append({"label": number.label, "number": number.number})
        if len(current) > MAX_CRISIS_NUMBERS:
            raise SettingError(f"at most {MAX_CRISIS_NUMBERS} crisis numbers")
        new["crisis_numbers"] = current
    if coach_phone is not None:
        new["coach_phone_visible"] = coach_phone
    return new
