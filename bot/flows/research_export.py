"""`python -m bot export-research`: pseudonymised CSV files of one organisation for researchers.

No names, no free text (goal and step texts, card messages, reasons typed by people) and no
Telegram or database ids: a participant is their HMAC pseudonym (bot.flows.pseudonyms); goals,
steps and measurements are numbered per participant. Columns: docs/evaluation.md. Rows are
streamed from the database, so a large organisation does not have to fit in memory.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import astuple
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.core.recognition import RecognitionCounts, recognition_counts
from bot.flows.admin import organisation_named
from bot.flows.pseudonyms import pseudonymiser
from bot.storage.db import Database
from bot.storage.uow import UnitOfWork

PARTICIPANT_COLUMNS = ("participant", "status", "ended_reason", "joined", "added_on",
                       "ended_on", *RecognitionCounts.columns()[1:])
MEASUREMENT_COLUMNS = ("participant", "measurement", "moment", "date", "source", "filled_by",
                       "instrument", "instrument_version", "pillar", "level", "target")
GOAL_COLUMNS = ("participant", "goal", "created_on", "pillars", "confidence", "status",
                "closed_on", "has_obstacle", "has_if_then")
STEP_COLUMNS = ("participant", "goal", "step", "planned_at", "due_date", "owner",
                "challenging", "added_by", "reward_tagged", "status", "done_at",
                "reschedules", "help_asked", "made_smaller", "undone", "first_help_asked_at")
EVENT_COLUMNS = ("participant", "goal", "step", "event", "at", "from_date", "to_date")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


async def export_research(db: Database, organisation: str, out: Path
                          ) -> list[tuple[Path, int]]:
    _make_directory(out)
    written: list[tuple[Path, int]] = []
    async with db.uow() as uow:
        org = await organisation_named(uow, organisation)
        name = await pseudonymiser(uow, org)
        await uow.commit()  # a lazily made secret is kept, so pseudonyms stay stable
        written.append(await _write(out / "participants.csv", PARTICIPANT_COLUMNS,
                                    _participants(uow, org.id, name)))
        written.append(await _write(out / "measurements.csv", MEASUREMENT_COLUMNS,
                                    _measurements(uow, org.id, name)))
        goal_numbers: dict[int, int] = {}
        written.append(await _write(out / "goals.csv", GOAL_COLUMNS,
                                    _goals(uow, org.id, name, goal_numbers)))
        step_numbers: dict[int, tuple[int, int]] = {}
        written.append(await _write(out / "steps.csv", STEP_COLUMNS,
                                    _steps(uow, org.id, name, goal_numbers, step_numbers)))
        written.append(await _write(out / "step_events.csv", EVENT_COLUMNS,
                                    _events(uow, org.id, name, step_numbers)))
    return written


def _make_directory(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)


async def _write(path: Path, columns: Iterable[str], rows: AsyncIterator[tuple[Any, ...]]
                 ) -> tuple[Path, int]:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        async for row in rows:
            writer.writerow([_cell(v) for v in row])
            count += 1
    return path, count


async def _participants(uow: UnitOfWork, organisation_id: int, name: Callable[[int], str]
                        ) -> AsyncIterator[tuple[Any, ...]]:
    cards, rewards = await uow.report.recognition_per_participant(organisation_id)
    cards_of: dict[int, list[tuple[int, str, int]]] = {}
    for card in cards:
        cards_of.setdefault(card[0], []).append(card)
    rewards_of: dict[int, list[tuple[int, str, int, int]]] = {}
    for reward in rewards:
        rewards_of.setdefault(reward[0], []).append(reward)
    async for pid, status, reason, account, consent, created, ended \
            in uow.research.participants(organisation_id):
        counts = recognition_counts({pid: ""}, cards_of.get(pid, []),
                                    rewards_of.get(pid, []))[0]
        yield (name(pid), status, reason, account is not None or consent is not None,
               created.date(), ended.date() if ended else None, *astuple(counts)[1:])


async def _measurements(uow: UnitOfWork, organisation_id: int, name: Callable[[int], str]
                        ) -> AsyncIterator[tuple[Any, ...]]:
    numbers: dict[int, int] = {}
    current: tuple[int, int] = (0, 0)
    async for row in uow.research.measurements(organisation_id):
        pid, mid = row[0], row[1]
        if (pid, mid) != current:
            numbers[pid] = numbers.get(pid, 0) + 1
            current = (pid, mid)
        yield (name(pid), numbers[pid], row[2], row[3].date(),
               "paper" if row[4] else "bot", *row[5:])


async def _goals(uow: UnitOfWork, organisation_id: int, name: Callable[[int], str],
                 numbers: dict[int, int]) -> AsyncIterator[tuple[Any, ...]]:
    per_participant: dict[int, int] = {}
    async for pid, gid, created, pillars, confidence, status, closed, obstacle, if_then \
            in uow.research.goals(organisation_id):
        per_participant[pid] = per_participant.get(pid, 0) + 1
        numbers[gid] = per_participant[pid]
        yield (name(pid), numbers[gid], created.date(), " ".join(pillars or []), confidence,
               status, closed.date() if closed else None, bool(obstacle), bool(if_then))


async def _steps(uow: UnitOfWork, organisation_id: int, name: Callable[[int], str],
                 goals: dict[int, int], numbers: dict[int, tuple[int, int]]
                 ) -> AsyncIterator[tuple[Any, ...]]:
    counts: dict[int, dict[str, int]] = {}
    first_help: dict[int, datetime] = {}
    async for step_id, kind, at in uow.research.step_event_kinds(organisation_id):
        counts.setdefault(step_id, {}).setdefault(kind, 0)
        counts[step_id][kind] += 1
        if kind == "help_asked" and (step_id not in first_help or at < first_help[step_id]):
            first_help[step_id] = at
    per_participant: dict[int, int] = {}
    async for (pid, gid, sid, created, due, owner, challenging, role, reward, status,
               done_at) in uow.research.steps(organisation_id):
        per_participant[pid] = per_participant.get(pid, 0) + 1
        numbers[sid] = (goals.get(gid, 0), per_participant[pid])
        kinds = counts.get(sid, {})
        yield (name(pid), numbers[sid][0], numbers[sid][1], created, due, owner, challenging,
               role, reward is not None, status, done_at, kinds.get("rescheduled", 0),
               kinds.get("help_asked", 0), kinds.get("made_smaller", 0),
               kinds.get("undone", 0), first_help.get(sid))


async def _events(uow: UnitOfWork, organisation_id: int, name: Callable[[int], str],
                  steps: dict[int, tuple[int, int]]) -> AsyncIterator[tuple[Any, ...]]:
    async for pid, sid, kind, at, data in uow.research.step_events(organisation_id):
        goal, step = steps.get(sid, (0, 0))
        data = data or {}
        yield (name(pid), goal, step, kind, at, _iso_day(data.get("from")),
               _iso_day(data.get("to")))


def _iso_day(value: object) -> str | None:
    """A rescheduled step's dates, only when they really are dates (never free text)."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None
