"""The research export: one row per participant x measurement x pillar, per goal, per step and
per step event; HMAC pseudonyms, per-participant numbers, no names, texts or database ids."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.flows.pseudonyms import pseudonym
from bot.flows.research_export import export_research
from bot.storage.models import Organisation, Participant, Step, StepEvent
from tests.test_report import T0, _cohort


def _all_text(directory: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in directory.iterdir())


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


async def test_export_rows_columns_and_pseudonyms(db: Any, tmp_path: Path) -> None:
    await _cohort(db)
    async with db.uow() as uow:
        org = (await uow.session.execute(
            select(Organisation).where(Organisation.name == "Gemeente Noord"))).scalar_one()
        people = (await uow.session.scalars(
            select(Participant.id).where(Participant.organisation_id == org.id)
            .order_by(Participant.id))).all()
        first_step = (await uow.session.scalars(
            select(Step).where(Step.participant_id == people[0]).order_by(Step.id))).first()
        assert first_step is not None
        uow.session.add(StepEvent(step_id=first_step.id, participant_id=people[0],
                                  kind="rescheduled", at=datetime(2026, 3, 3, 10, tzinfo=UTC),
                                  data={"from": "2026-03-04", "to": "2026-03-11"}))
        uow.session.add(StepEvent(step_id=first_step.id, participant_id=people[0],
                                  kind="help_asked", at=datetime(2026, 3, 3, 11, tzinfo=UTC),
                                  data={"note": "Geheime hulpvraag"}))
        await uow.commit()
        secret = org.pseudonym_secret
    assert secret
    written = {p.name: n for p, n in await export_research(db, "Gemeente Noord", tmp_path)}
    assert written == {"participants.csv": 5, "measurements.csv": 3 * 3 + 2 * 3 + 3 + 1,
                       "goals.csv": 4, "steps.csv": 5, "step_events.csv": 2}
    names = [pseudonym(secret, pid) for pid in people]

    participants = _read(tmp_path / "participants.csv")
    assert [r["participant"] for r in participants] == names
    assert [r["status"] for r in participants] == ["active", "active", "paused", "invited",
                                                   "ended"]
    assert (participants[4]["ended_reason"], participants[3]["joined"]) == ("moved", "0")
    assert (participants[0]["cards_coach"], participants[0]["cards_goal_achieved"]) == ("1", "1")

    measurements = _read(tmp_path / "measurements.csv")
    a1 = [r for r in measurements if r["participant"] == names[0]]
    assert [(r["measurement"], r["pillar"], r["level"]) for r in a1] == [
        ("1", "housing", "2"), ("1", "health", "3"), ("1", "debts", "1"),
        ("2", "housing", "3"), ("2", "health", "3"), ("2", "debts", ""),
        ("3", "housing", "4"), ("3", "health", "2"), ("3", "debts", "2")]
    assert {r["source"] for r in measurements} == {"bot"}
    assert a1[0]["date"] == T0.date().isoformat()

    goals = _read(tmp_path / "goals.csv")
    assert [(r["goal"], r["pillars"], r["confidence"]) for r in goals if
            r["participant"] == names[0]] == [("1", "housing debts", "6"), ("2", "health", "8"),
                                              ("3", "", "")]
    steps = _read(tmp_path / "steps.csv")
    first = steps[0]
    assert (first["goal"], first["step"], first["status"], first["reschedules"],
            first["help_asked"], first["first_help_asked_at"]) == (
        "1", "1", "done", "1", "1", "2026-03-03T11:00:00Z")
    assert [r["reward_tagged"] for r in steps if r["participant"] == names[0]] == \
        ["0", "1", "0", "1"]
    events = _read(tmp_path / "step_events.csv")
    assert [(e["event"], e["from_date"], e["to_date"]) for e in events] == [
        ("rescheduled", "2026-03-04", "2026-03-11"), ("help_asked", "", "")]

    everything = _all_text(tmp_path)
    for secret_text in ("Naam Geheim", "Geheim doel", "Geheime stap", "Goed gedaan",
                        "Geheime hulpvraag"):
        assert secret_text not in everything
