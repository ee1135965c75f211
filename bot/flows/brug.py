"""Use cases of the Brug: fill in a measurement (participant, or coach with or for them), look
at the latest, compare first and latest, list all, and which measurement is due.

Access: only the participant themselves and their own coach reach a participant's Brug; every
use case checks this from the ids it is given (button data can be forged). A measurement is a
row with completed_at NULL while it is being filled in, and each answer is saved at once, so it
can be resumed after a break (or after a restart of the bot).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from bot.core.brug import Instrument, load_instrument
from bot.core.brug_moments import (
    DueMeasurement,
    can_resume,
    due_measurement,
    moment_for_new,
    next_question,
    next_target_question,
    previous_target_question,
    target_choices,
)
from bot.flows.identity import Who
from bot.i18n import LOCALES_DIR
from bot.storage.db import Database
from bot.storage.models import BrugMeasurement, FilledBy, Participant, ParticipantStatus
from bot.storage.uow import UnitOfWork

INSTRUMENTS_DIR = LOCALES_DIR / "instruments"


@lru_cache(maxsize=16)
def instrument(key: str) -> Instrument:
    """The validated instrument content file; read once per process, on first use."""
    return load_instrument(key, INSTRUMENTS_DIR)


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """Not this person's Brug, or no such participant/measurement: change nothing, say so."""


@dataclass(frozen=True)
class Stale:
    """A button of a measurement that is finished (or a question that no longer applies)."""

    participant_id: int


@dataclass(frozen=True)
class Snapshot:
    measurement_id: int
    moment: str
    filled_by: str
    completed_at: datetime
    levels: dict[str, int | None]
    targets: dict[str, int | None]


@dataclass(frozen=True)
class BrugView:
    participant_id: int
    participant_name: str
    instrument: Instrument
    mode: Literal["latest", "compare", "one"]
    current: Snapshot
    previous: Snapshot | None
    goal_pillars: frozenset[str]
    count: int  # completed measurements in all
    by_coach: bool  # looked at by the coach (not the participant)


@dataclass(frozen=True)
class NoMeasurement:
    participant_id: int
    participant_name: str
    has_open: bool  # one was started and can be resumed
    by_coach: bool


@dataclass(frozen=True)
class History:
    participant_id: int
    participant_name: str
    items: tuple[Snapshot, ...]  # oldest first
    by_coach: bool


@dataclass(frozen=True)
class Timeline:
    """Every completed measurement, oldest first, for the picture over time."""

    participant_id: int
    participant_name: str
    instrument: Instrument
    items: tuple[Snapshot, ...]
    by_coach: bool


@dataclass(frozen=True)
class Question:
    measurement_id: int
    participant_id: int
    participant_name: str
    instrument: Instrument
    index: int
    phase: Literal["level", "target"]
    chosen: int | None  # the answer already given (after going back), for a mark
    level: int | None  # target phase: the step chosen for this pillar
    choices: tuple[int, ...]  # the steps offered as buttons
    back_to: int | None  # the pillar the back button goes to
    by_coach: bool


@dataclass(frozen=True)
class LevelsDone:
    """Every pillar answered or skipped: the measurement is complete; targets are optional."""

    measurement_id: int
    participant_id: int
    can_set_targets: bool
    by_coach: bool


@dataclass(frozen=True)
class TargetsDone:
    measurement_id: int
    participant_id: int


# --- access ----------------------------------------------------------------------------------


async def _reachable(uow: UnitOfWork, who: Who, participant_id: int) -> Participant | None:
    """The participant, when `who` is that participant or their own coach; else None."""
    if who.participant_id is not None and who.participant_id == participant_id:
        return await uow.participants.get(participant_id)
    if who.coach_id is not None:
        return await uow.participants.owned_by(participant_id, who.coach_id)
    return None


async def _measurement(
    uow: UnitOfWork, who: Who, measurement_id: int
) -> tuple[BrugMeasurement, Participant] | None:
    measurement = await uow.brug.get(measurement_id)
    if measurement is None:
        return None
    participant = await _reachable(uow, who, measurement.participant_id)
    return None if participant is None else (measurement, participant)


def _by_coach(who: Who, participant: Participant) -> bool:
    return who.participant_id != participant.id


# --- filling in ------------------------------------------------------------------------------


async def start(
    db: Database, who: Who, participant_id: int, now: datetime, *, filled_by: FilledBy | None = None
) -> Question | LevelsDone | Refused:
    """Resume the measurement being filled in, or begin a new one at the moment that is due.

    `filled_by` defaults to the participant when they start it themselves; a coach passes
    TOGETHER or COACH. When a second person continues a measurement, it becomes "together".
    """
    async with db.uow() as uow:
        participant = await _reachable(uow, who, participant_id)
        if participant is None:
            return Refused()
        by_coach = _by_coach(who, participant)
        if not by_coach and participant.status in (
            ParticipantStatus.DECLINED.value, ParticipantStatus.INVITED.value,
        ):
            return Refused()
        filler = filled_by or (FilledBy.TOGETHER if by_coach else FilledBy.PARTICIPANT)
        if by_coach and filler == FilledBy.PARTICIPANT:
            filler = FilledBy.TOGETHER
        measurement = await uow.brug.open_of(participant.id)
        if measurement is not None and not can_resume(measurement.started_at, now):
            measurement = None
        if measurement is None:
            org = await uow.organisations.get(participant.organisation_id)
            tool = instrument(org.instrument_key if org else "brug-alphen")
            done = await uow.brug.of_participant(participant.id)
            today = _today(now, who)
            measurement = await uow.brug.add(
                participant_id=participant.id,
                instrument_key=tool.key,
                instrument_version=tool.version,
                moment=moment_for_new(
                    _day(done[0].completed_at, who) if done else None,
                    {m.moment for m in done},
                    today,
                    joined_on=_day(participant.consent_at or participant.created_at, who),
                ),
                filled_by=filler.value,
                entered_by_account_id=who.account_id,
                started_at=now,
            )
            await uow.audit.record(
                at=now, actor_account_id=who.account_id, action="brug.started",
                subject_type="brug_measurement", subject_id=measurement.id,
            )
        elif measurement.filled_by != filler.value:
            measurement.filled_by = FilledBy.TOGETHER.value
        result = await _next_step(uow, measurement, participant, by_coach, after=-1, now=now,
                                  who=who)
        await uow.commit()
        return result


async def ask(db: Database, who: Who, measurement_id: int, index: int
              ) -> Question | Stale | Refused:
    """Show the step question for pillar `index` again (the back button)."""
    async with db.uow() as uow:
        found = await _measurement(uow, who, measurement_id)
        if found is None:
            return Refused()
        measurement, participant = found
        tool = instrument(measurement.instrument_key)
        if measurement.completed_at is not None or not 0 <= index < len(tool.pillars):
            return Stale(participant.id)
        levels = await _levels(uow, measurement)
        return _level_question(measurement, participant, tool, index, levels,
                               _by_coach(who, participant))


async def answer(
    db: Database, who: Who, measurement_id: int, index: int, level: int | None, now: datetime
) -> Question | LevelsDone | Stale | Refused:
    """Save the step (None = skip) for pillar `index`, then go to the next open pillar."""
    async with db.uow() as uow:
        found = await _measurement(uow, who, measurement_id)
        if found is None:
            return Refused()
        measurement, participant = found
        tool = instrument(measurement.instrument_key)
        if measurement.completed_at is not None or not 0 <= index < len(tool.pillars):
            return Stale(participant.id)
        await uow.brug.set_level(measurement.id, tool.pillars[index].key, level)
        result = await _next_step(uow, measurement, participant, _by_coach(who, participant),
                                  after=index, now=now, who=who)
        await uow.commit()
        return result


async def ask_target(db: Database, who: Who, measurement_id: int, index: int
                     ) -> Question | TargetsDone | Stale | Refused:
    """The target question for pillar `index` (or the first pillar that can have one)."""
    async with db.uow() as uow:
        found = await _measurement(uow, who, measurement_id)
        if found is None:
            return Refused()
        measurement, participant = found
        if measurement.completed_at is None:
            return Stale(participant.id)
        tool = instrument(measurement.instrument_key)
        levels = await _levels(uow, measurement)
        ordered = [levels.get(p.key) for p in tool.pillars]
        # The first pillar from `index` on that can have a target (answered, below step 5).
        found_index = next_target_question(ordered, after=index - 1)
        if found_index is None:
            return TargetsDone(measurement.id, participant.id)
        index = found_index
        return await _target_question(uow, measurement, participant, tool, index, levels,
                                      _by_coach(who, participant))


async def set_target(
    db: Database, who: Who, measurement_id: int, index: int, target: int | None, now: datetime
) -> Question | TargetsDone | Stale | Refused:
    """Save "where do you want to be in six months" for pillar `index` (None = no target)."""
    async with db.uow() as uow:
        found = await _measurement(uow, who, measurement_id)
        if found is None:
            return Refused()
        measurement, participant = found
        if measurement.completed_at is None:
            return Stale(participant.id)
        tool = instrument(measurement.instrument_key)
        levels = await _levels(uow, measurement)
        ordered = [levels.get(p.key) for p in tool.pillars]
        if not 0 <= index < len(ordered) or (
            target is not None and target not in target_choices(ordered[index])
        ):
            return Stale(participant.id)
        await uow.brug.set_target(measurement.id, tool.pillars[index].key, target)
        following = next_target_question(ordered, after=index)
        if following is None:
            await uow.audit.record(
                at=now, actor_account_id=who.account_id, action="brug.targets_set",
                subject_type="brug_measurement", subject_id=measurement.id,
            )
            await uow.commit()
            return TargetsDone(measurement.id, participant.id)
        result = await _target_question(uow, measurement, participant, tool, following, levels,
                                        _by_coach(who, participant))
        await uow.commit()
        return result


async def skip_targets(db: Database, who: Who, measurement_id: int
                       ) -> TargetsDone | Stale | Refused:
    """No targets this time: the measurement stays as it is (it is already complete)."""
    async with db.uow() as uow:
        found = await _measurement(uow, who, measurement_id)
        if found is None:
            return Refused()
        measurement, participant = found
        if measurement.completed_at is None:
            return Stale(participant.id)
        return TargetsDone(measurement.id, participant.id)


async def _next_step(
    uow: UnitOfWork, measurement: BrugMeasurement, participant: Participant, by_coach: bool,
    *, after: int, now: datetime, who: Who,
) -> Question | LevelsDone:
    tool = instrument(measurement.instrument_key)
    levels = await _levels(uow, measurement)
    answered = {i for i, p in enumerate(tool.pillars) if p.key in levels}
    index = next_question(len(tool.pillars), answered, after)
    if index is not None:
        return _level_question(measurement, participant, tool, index, levels, by_coach)
    await uow.brug.complete(measurement, now)
    await uow.audit.record(
        at=now, actor_account_id=who.account_id, action="brug.completed",
        subject_type="brug_measurement", subject_id=measurement.id,
        details={"moment": measurement.moment, "filled_by": measurement.filled_by},
    )
    ordered = [levels.get(p.key) for p in tool.pillars]
    return LevelsDone(measurement.id, participant.id,
                      can_set_targets=next_target_question(ordered) is not None,
                      by_coach=by_coach)


def _level_question(
    measurement: BrugMeasurement, participant: Participant, tool: Instrument, index: int,
    levels: dict[str, int | None], by_coach: bool,
) -> Question:
    return Question(
        measurement_id=measurement.id, participant_id=participant.id,
        participant_name=participant.display_name, instrument=tool, index=index,
        phase="level", chosen=levels.get(tool.pillars[index].key), level=None,
        choices=(1, 2, 3, 4, 5), back_to=index - 1 if index > 0 else None, by_coach=by_coach,
    )


async def _target_question(
    uow: UnitOfWork, measurement: BrugMeasurement, participant: Participant, tool: Instrument,
    index: int, levels: dict[str, int | None], by_coach: bool,
) -> Question:
    key = tool.pillars[index].key
    targets = {s.pillar_key: s.target for s in await uow.brug.scores(measurement.id)}
    ordered = [levels.get(p.key) for p in tool.pillars]
    return Question(
        measurement_id=measurement.id, participant_id=participant.id,
        participant_name=participant.display_name, instrument=tool, index=index,
        phase="target", chosen=targets.get(key), level=levels.get(key),
        choices=target_choices(levels.get(key)),
        back_to=previous_target_question(ordered, index),
        by_coach=by_coach,
    )


async def _levels(uow: UnitOfWork, measurement: BrugMeasurement) -> dict[str, int | None]:
    """Answered pillars only (a skipped one is present with None)."""
    return {s.pillar_key: s.level for s in await uow.brug.scores(measurement.id)}


# --- looking at it ---------------------------------------------------------------------------


async def view(
    db: Database, who: Who, participant_id: int, now: datetime,
    mode: Literal["latest", "compare", "one"] = "latest", measurement_id: int | None = None,
) -> BrugView | NoMeasurement | Refused:
    """latest: the newest against the one before it; compare: the newest against the first;
    one: measurement `measurement_id` against the one before it."""
    async with db.uow() as uow:
        participant = await _reachable(uow, who, participant_id)
        if participant is None:
            return Refused()
        by_coach = _by_coach(who, participant)
        snapshots = await _snapshots(uow, participant.id)
        if not snapshots and mode == "one":
            return Refused()  # a measurement id that is not one of this participant's
        if not snapshots:
            unfinished = await uow.brug.open_of(participant.id)
            has_open = unfinished is not None and can_resume(unfinished.started_at, now)
            return NoMeasurement(participant.id, participant.display_name, has_open, by_coach)
        if mode == "one":
            positions = [i for i, s in enumerate(snapshots) if s.measurement_id == measurement_id]
            if not positions:
                return Refused()
            at = positions[0]
            current, previous = snapshots[at], (snapshots[at - 1] if at > 0 else None)
        elif mode == "compare":
            current = snapshots[-1]
            previous = snapshots[0] if len(snapshots) > 1 else None
        else:
            current = snapshots[-1]
            previous = snapshots[-2] if len(snapshots) > 1 else None
        goals = frozenset(await uow.brug.active_goal_pillars(participant.id))
        if by_coach:
            await uow.audit.record(
                at=now, actor_account_id=who.account_id, action="brug.viewed",
                subject_type="participant", subject_id=participant.id,
            )
            await uow.commit()
        return BrugView(
            participant_id=participant.id, participant_name=participant.display_name,
            instrument=instrument(_instrument_key(await uow.brug.get(current.measurement_id))),
            mode=mode, current=current, previous=previous, goal_pillars=goals,
            count=len(snapshots), by_coach=by_coach,
        )


async def history(db: Database, who: Who, participant_id: int) -> History | Refused:
    async with db.uow() as uow:
        participant = await _reachable(uow, who, participant_id)
        if participant is None:
            return Refused()
        return History(participant.id, participant.display_name,
                       tuple(await _snapshots(uow, participant.id)),
                       _by_coach(who, participant))


async def timeline(db: Database, who: Who, participant_id: int, now: datetime
                   ) -> Timeline | NoMeasurement | Refused:
    """All measurements over time (the instrument of the latest; a pillar another version did
    not have shows as not filled in there)."""
    async with db.uow() as uow:
        participant = await _reachable(uow, who, participant_id)
        if participant is None:
            return Refused()
        by_coach = _by_coach(who, participant)
        snapshots = await _snapshots(uow, participant.id)
        if not snapshots:
            unfinished = await uow.brug.open_of(participant.id)
            has_open = unfinished is not None and can_resume(unfinished.started_at, now)
            return NoMeasurement(participant.id, participant.display_name, has_open, by_coach)
        tool = instrument(_instrument_key(await uow.brug.get(snapshots[-1].measurement_id)))
        if by_coach:
            await uow.audit.record(
                at=now, actor_account_id=who.account_id, action="brug.viewed",
                subject_type="participant", subject_id=participant.id,
            )
            await uow.commit()
        return Timeline(participant.id, participant.display_name, tool, tuple(snapshots),
                        by_coach)


def _instrument_key(measurement: BrugMeasurement | None) -> str:
    return measurement.instrument_key if measurement else "brug-alphen"


async def _snapshots(uow: UnitOfWork, participant_id: int) -> list[Snapshot]:
    measurements = await uow.brug.of_participant(participant_id)
    scores = await uow.brug.scores_of([m.id for m in measurements])
    snapshots = []
    for m in measurements:
        assert m.completed_at is not None
        rows = scores[m.id]
        snapshots.append(Snapshot(
            measurement_id=m.id, moment=m.moment, filled_by=m.filled_by,
            completed_at=m.completed_at,
            levels={s.pillar_key: s.level for s in rows},
            targets={s.pillar_key: s.target for s in rows if s.target is not None},
        ))
    return snapshots


# --- due measurements (for the coach digest) -------------------------------------------------


async def due_for_participant(
    db: Database, coach_id: int, participant_id: int, now: datetime, timezone: str
) -> DueMeasurement | Refused | None:
    """Which measurement of this coach's participant is due today (None: nothing due)."""
    async with db.uow() as uow:
        participant = await uow.participants.owned_by(participant_id, coach_id)
        if participant is None:
            return Refused()
        return await _due(uow, participant, now, timezone)


async def due_for_coach(
    db: Database, coach_id: int, now: datetime, timezone: str
) -> dict[int, DueMeasurement]:
    """participant id -> the measurement that is due, for the coach's active participants."""
    async with db.uow() as uow:
        due: dict[int, DueMeasurement] = {}
        for participant in await uow.participants.of_coach(coach_id):
            if participant.status != ParticipantStatus.ACTIVE.value:
                continue
            found = await _due(uow, participant, now, timezone)
            if found is not None:
                due[participant.id] = found
        return due


async def _due(
    uow: UnitOfWork, participant: Participant, now: datetime, timezone: str
) -> DueMeasurement | None:
    done = await uow.brug.of_participant(participant.id)
    return _due_from([(m.moment, m.completed_at) for m in done if m.completed_at],
                     participant, now, timezone)


def _due_from(completed: Sequence[tuple[str, datetime]], participant: Participant,
              now: datetime, timezone: str) -> DueMeasurement | None:
    """`completed`: (moment, completed at) of the completed measurements, oldest first."""
    zone = ZoneInfo(timezone)
    first = completed[0][1].astimezone(zone).date() if completed else None
    return due_measurement(
        first, {moment for moment, _ in completed}, now.astimezone(zone).date(),
        joined_on=(participant.consent_at or participant.created_at).astimezone(zone).date(),
    )


def _day(moment: datetime | None, who: Who) -> date:
    assert moment is not None
    return moment.astimezone(ZoneInfo(who.timezone)).date()


def _today(now: datetime, who: Who) -> date:
    return now.astimezone(ZoneInfo(who.timezone)).date()
