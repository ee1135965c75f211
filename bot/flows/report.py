"""The cohort report (`python -m bot report`): tables per organisation and all together,
written as report.md, one CSV per table and PNG charts. Aggregates only: no names, no free
text, no participant ids."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.core import meetings as meeting_rules
from bot.core import report as tables
from bot.core.report import LEVEL_NAMES, Report
from bot.flows.admin import organisation_named
from bot.flows.brug import instrument
from bot.storage.db import Database
from bot.storage.repositories.report import Cohort


def window(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """[start, end] as whole UTC days: participants added from `start` up to and including
    `end`."""
    return (datetime.combine(start, time(), UTC) if start else None,
            datetime.combine(end + timedelta(days=1), time(), UTC) if end else None)


async def build_report(db: Database, organisations: list[str], *, start: date | None = None,
                       end: date | None = None, language: str = "nl") -> Report:
    since, until = window(start, end)
    starts: dict[str, dict[str, list[int]]] = {}
    changes: dict[str, dict[str, tuple[int, int, int]]] = {}
    goals: dict[str, tables.GoalFacts] = {}
    steps: dict[str, tables.StepFacts] = {}
    retention: dict[str, tables.RetentionFacts] = {}
    recognition: dict[str, tables.RecognitionFacts] = {}
    meetings: dict[str, meeting_rules.MeetingFacts] = {}
    orders: list[tuple[str, ...]] = []
    labels: dict[str, str] = {}
    async with db.uow() as uow:
        repo = uow.report
        for ref in organisations:
            org = await organisation_named(uow, ref)
            content = instrument(org.instrument_key)
            orders.append(content.pillar_keys)
            for pillar in content.pillars:
                labels.setdefault(pillar.key, pillar.label_in(language))
            cohort = Cohort(org.id, since, until)
            name = org.name
            starts[name] = await repo.start_counts(cohort)
            changes[name] = await repo.change_counts(cohort)
            goals[name] = await repo.goal_facts(cohort, list(content.pillar_keys))
            steps[name] = await repo.step_facts(cohort)
            retention[name] = await repo.retention_facts(cohort)
            recognition[name] = await repo.recognition_facts(cohort)
            meetings[name] = meeting_rules.MeetingFacts.from_counts(
                await repo.meeting_counts(cohort))
    pillars = tables.ordered_pillars(orders)
    levels = LEVEL_NAMES.get(language, LEVEL_NAMES["nl"])
    return Report(
        (
            tables.start_position_table(starts, pillars, labels, levels),
            tables.change_table(changes, pillars, labels),
            tables.goals_table(goals, pillars, labels),
            tables.confidence_table(goals),
            tables.steps_table(steps),
            tables.retention_table(retention),
            tables.recognition_table(recognition),
            meeting_rules.meetings_table(meetings),
        ),
        labels, levels,
    )
