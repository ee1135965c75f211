"""The cohort report on a synthetic cohort whose every count is worked out by hand below."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from bot.core.report import Report, median, percent
from bot.flows.admin import create_organisation
from bot.flows.report import build_report
from bot.render.report_files import write_report
from bot.storage.db import Database
from bot.storage.models import BrugScore, Card, Role

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def test_percentages_are_whole_and_rounded_half_up() -> None:
    # Python's round() would give 12 and 2: half to even. The evaluators round half up.
    assert percent(1, 8) == 13
    assert percent(1, 40) == 3
    assert [percent(n, 3) for n in range(4)] == [0, 33, 67, 100]
    assert percent(0, 0) == 0
    with pytest.raises(ValueError):
        percent(4, 3)


def test_median_of_a_histogram() -> None:
    assert median({}) is None
    assert median({5: 1}) == 5
    assert median({0: 1, 2: 1}) == 1.0
    assert median({0: 1, 2: 1, 5: 1}) == 2
    assert median({1: 3, 9: 1}) == 1


@dataclass
class Cohort:
    db: Database
    coach_by_org: dict[int, int]
    next_user: int = 5000

    async def person(self, org_id: int, status: str = "active", *, account: bool = True,
                     created: datetime = T0, reason: str | None = None) -> int:
        async with self.db.uow() as uow:
            account_id = None
            if account:
                self.next_user += 1
                acc = await uow.accounts.add(telegram_user_id=self.next_user,
                                             chat_id=self.next_user,
                                             role=Role.PARTICIPANT.value, created_at=created,
                                             timezone=uow.defaults.timezone)
                account_id = acc.id
            p = await uow.participants.add(
                organisation_id=org_id, coach_id=self.coach_by_org[org_id],
                account_id=account_id, display_name="Naam Geheim",
                pseudonym=f"p{self.next_user}-{org_id}-{status}-{reason}", status=status,
                ended_reason=reason, created_at=created)
            await uow.commit()
            return p.id

    async def brug(self, pid: int, at: datetime, levels: dict[str, int | None], *,
                   completed: bool = True) -> None:
        async with self.db.uow() as uow:
            m = await uow.brug.add(participant_id=pid, instrument_key="x", instrument_version=1,
                                   moment="extra", filled_by="together", started_at=at,
                                   completed_at=at if completed else None)
            for key, level in levels.items():
                uow.session.add(BrugScore(measurement_id=m.id, pillar_key=key, level=level))
            await uow.commit()

    async def goal(self, pid: int, at: datetime, pillars: list[str], confidence: int | None,
                   steps: tuple[tuple[str, bool, timedelta | None], ...] = ()) -> None:
        """steps: (status, reward-tagged, time from planning to done)."""
        async with self.db.uow() as uow:
            g = await uow.goals.add(participant_id=pid, text="Geheim doel", pillars=pillars,
                                    confidence=confidence, created_at=at)
            for status, tagged, took in steps:
                await uow.steps.add(
                    goal_id=g.id, participant_id=pid, text="Geheime stap", status=status,
                    reward_kind="digid" if tagged else None, created_at=at, updated_at=at,
                    done_at=at + took if took is not None else None)
            await uow.commit()

    async def card(self, pid: int, kind: str, n: int) -> None:
        async with self.db.uow() as uow:
            uow.session.add(Card(participant_id=pid, kind=kind, message="Goed gedaan",
                                 dedupe_key=f"{pid}:{kind}:{n}", created_at=T0))
            await uow.commit()


async def _cohort(db: Database) -> Cohort:
    noord = await create_organisation(db, "Gemeente Noord", T0)  # Alphen pillars
    zuid = await create_organisation(db, "Gemeente Zuid", T0, "brug-groningen")
    coaches = {}
    async with db.uow() as uow:
        for n, org in enumerate((noord, zuid)):
            acc = await uow.accounts.add(telegram_user_id=900 + n, chat_id=900 + n,
                                         role=Role.COACH.value, created_at=T0,
                                         timezone=uow.defaults.timezone)
            coach = await uow.coaches.add(organisation_id=org, account_id=acc.id,
                                          display_name="Sanne", created_at=T0)
            coaches[org] = coach.id
        await uow.commit()
    c = Cohort(db, coaches)
    # Noord. a1: three measurements; first vs latest: housing 2->4 better, health 3->2 worse,
    # debts 1->2 better (the middle one, with debts empty, does not count).
    a1 = await c.person(noord)
    await c.brug(a1, T0, {"housing": 2, "health": 3, "debts": 1})
    await c.brug(a1, T0 + 30 * DAY, {"housing": 3, "health": 3, "debts": None})
    await c.brug(a1, T0 + 60 * DAY, {"housing": 4, "health": 2, "debts": 2})
    # a2: housing 2->2 same, health empty at first (not compared), debts 3->1 worse.
    a2 = await c.person(noord)
    await c.brug(a2, T0, {"housing": 2, "health": None, "debts": 3})
    await c.brug(a2, T0 + 90 * DAY, {"housing": 2, "health": 4, "debts": 1})
    # a3: one measurement only (start position, no change); paused.
    a3 = await c.person(noord, "paused")
    await c.brug(a3, T0, {"housing": 5, "health": 1, "debts": 2})
    # a4: invited, never joined, never measured.
    await c.person(noord, "invited", account=False)
    # a5: a second measurement still being filled in does not count; ended, moved.
    a5 = await c.person(noord, "ended", reason="moved")
    await c.brug(a5, T0, {"housing": 1})
    await c.brug(a5, T0 + 10 * DAY, {"housing": 5}, completed=False)
    # Zuid (Groningen pillars). b1: housing 1->2 better, care 3->3 same.
    b1 = await c.person(zuid)
    await c.brug(b1, T0, {"housing": 1, "care_for_others": 3})
    await c.brug(b1, T0 + 40 * DAY, {"housing": 2, "care_for_others": 3})
    # b2: housing same; care left empty the second time.
    b2 = await c.person(zuid)
    await c.brug(b2, T0, {"housing": 3, "care_for_others": 4})
    await c.brug(b2, T0 + 40 * DAY, {"housing": 3, "care_for_others": None})
    # b3 (added in June): housing 4->3 worse.
    b3 = await c.person(zuid, created=datetime(2026, 6, 1, 9, tzinfo=UTC))
    await c.brug(b3, T0 + DAY, {"housing": 4})
    await c.brug(b3, T0 + 50 * DAY, {"housing": 3})
    # Goals and steps (Noord only). First goals: confidence 6 and 9; later: 8 (and one empty).
    await c.goal(a1, T0, ["housing", "debts"], 6, (
        ("done", False, 2 * DAY + timedelta(hours=1)), ("done", True, 5 * DAY),
        ("open", False, None), ("dropped", True, None)))
    await c.goal(a1, T0 + DAY, ["health"], 8)
    await c.goal(a1, T0 + 2 * DAY, [], None)
    await c.goal(a2, T0, ["housing"], 9, (("done", False, timedelta(hours=3)),))
    await c.card(a1, "coach", 1)
    await c.card(a1, "goal_achieved", 2)
    await c.card(b1, "coach", 3)
    return c


def _rows(table, org: str) -> dict[str, dict[str, object]]:
    return {str(r[1]): dict(zip(table.columns, r, strict=True)) for r in table.rows
            if r[0] == org}


async def test_every_count_and_percentage_matches_the_hand_computed_one(db) -> None:
    await _cohort(db)
    report = await build_report(db, ["Gemeente Noord", "gemeente zuid"])

    start = report.table("start_position")
    noord = _rows(start, "Gemeente Noord")
    assert [noord["housing"][f"level_{n}"] for n in range(1, 6)] == [1, 2, 0, 0, 1]
    assert noord["housing"]["n"] == 4
    assert [noord["housing"][f"level_{n}_pct"] for n in range(1, 6)] == [25, 50, 0, 0, 25]
    assert [noord["health"][f"level_{n}"] for n in range(1, 6)] == [1, 0, 1, 0, 0]
    assert [noord["debts"][f"level_{n}_pct"] for n in range(1, 6)] == [33, 33, 33, 0, 0]
    assert "care_for_others" not in noord and "income" not in noord  # never filled in
    together = _rows(start, "all")
    assert [together["housing"][f"level_{n}"] for n in range(1, 6)] == [2, 2, 1, 1, 1]
    assert [together["housing"][f"level_{n}_pct"] for n in range(1, 6)] == [29, 29, 14, 14, 14]
    assert together["care_for_others"]["n"] == 2
    assert noord["housing"]["label"] == "Huisvesting"
    assert [r[1] for r in start.rows if r[0] == "all"][:3] == ["housing", "health", "debts"]

    change = report.table("brug_change")
    noord = _rows(change, "Gemeente Noord")
    assert (noord["housing"]["worse"], noord["housing"]["same"], noord["housing"]["better"],
            noord["housing"]["n"]) == (0, 1, 1, 2)
    assert (noord["health"]["worse"], noord["health"]["n"], noord["health"]["worse_pct"]) \
        == (1, 1, 100)
    assert (noord["debts"]["worse_pct"], noord["debts"]["same_pct"],
            noord["debts"]["better_pct"]) == (50, 0, 50)
    zuid = _rows(change, "Gemeente Zuid")
    assert (zuid["housing"]["worse"], zuid["housing"]["same"], zuid["housing"]["better"]) \
        == (1, 1, 1)
    assert (zuid["housing"]["worse_pct"], zuid["housing"]["better_pct"]) == (33, 33)
    assert (zuid["care_for_others"]["same"], zuid["care_for_others"]["n"]) == (1, 1)
    together = _rows(change, "all")
    assert (together["housing"]["worse"], together["housing"]["same"],
            together["housing"]["better"], together["housing"]["n"]) == (1, 2, 2, 5)
    assert (together["housing"]["worse_pct"], together["housing"]["same_pct"],
            together["housing"]["better_pct"]) == (20, 40, 40)

    goals = _rows(report.table("goals_per_pillar"), "Gemeente Noord")
    assert {k: (v["goals"], v["all_goals"], v["goals_pct"]) for k, v in goals.items()} == {
        "housing": (2, 4, 50), "debts": (1, 4, 25), "health": (1, 4, 25),
        "family_stability": (0, 4, 0), "social_network": (0, 4, 0), "education": (0, 4, 0),
        "savings": (0, 4, 0), "income": (0, 4, 0)}
    confidence = {r[0]: r[1:] for r in report.table("confidence").rows}
    assert confidence["Gemeente Noord"] == (2, 7.5, 1, 8.0)
    assert confidence["Gemeente Zuid"] == (0, None, 0, None)

    steps = _rows(report.table("steps"), "Gemeente Noord")
    assert tuple(steps["all"].values())[2:] == (2, 5, 3, 2.5, 1.5, 60, 2)
    assert tuple(steps["reward_tagged"].values())[2:] == (2, 2, 1, 1.0, 0.5, 50, 5)
    assert tuple(steps["not_tagged"].values())[2:] == (2, 3, 2, 1.5, 1.0, 67, 1.0)

    retention = _rows(report.table("retention"), "Gemeente Noord")
    assert {k: (v["n"], v["of"], v["pct"]) for k, v in retention.items()
            if v["n"]} == {
        "invited": (5, 5, 100), "joined": (4, 5, 80), "active": (2, 5, 40),
        "paused": (1, 5, 20), "ended": (1, 5, 20), "ended_moved": (1, 5, 20),
        "first_brug": (4, 5, 80), "second_brug": (2, 4, 50)}
    assert _rows(report.table("retention"), "all")["second_brug"]["n"] == 5

    recognition = {r[0]: dict(zip(report.table("recognition").columns, r, strict=True))
                   for r in report.table("recognition").rows}
    assert (recognition["Gemeente Noord"]["cards_coach"],
            recognition["Gemeente Noord"]["cards_goal_achieved"],
            recognition["Gemeente Noord"]["participants_with_card"]) == (1, 1, 1)
    assert recognition["all"]["participants_with_card"] == 2


async def test_date_window_selects_participants_by_when_they_were_added(db) -> None:
    await _cohort(db)
    report = await build_report(db, ["Gemeente Zuid"], end=date(2026, 5, 31))
    change = _rows(report.table("brug_change"), "Gemeente Zuid")
    assert (change["housing"]["worse"], change["housing"]["n"]) == (0, 2)  # b3 left out
    assert all(r[0] != "all" for r in report.table("brug_change").rows)  # one organisation
    later = await build_report(db, ["Gemeente Zuid"], start=date(2026, 6, 1))
    assert _rows(later.table("retention"), "Gemeente Zuid")["invited"]["n"] == 1


async def test_files_hold_tables_and_charts_but_no_names(db, tmp_path: Path) -> None:
    await _cohort(db)
    _check_files(await build_report(db, ["Gemeente Noord", "Gemeente Zuid"]), tmp_path)


def _check_files(report: Report, tmp_path: Path) -> None:
    written = {p.name for p in write_report(report, tmp_path)}
    assert {"report.md", "start_position.csv", "brug_change.csv", "goals_per_pillar.csv",
            "steps.csv", "retention.csv", "start_position.png", "brug_change.png"} <= written
    with (tmp_path / "brug_change.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["organisation", "pillar", "label", "worse", "same", "better", "n",
                       "worse_pct", "same_pct", "better_pct"]
    assert ["all", "housing", "Huisvesting", "1", "2", "2", "5", "20", "40", "40"] in rows
    everything = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.[cm][sd]*"))
    for secret in ("Naam Geheim", "Geheim doel", "Geheime stap", "Goed gedaan"):
        assert secret not in everything
    with Image.open(io.BytesIO((tmp_path / "start_position.png").read_bytes())) as image:
        assert image.width == 1100 and image.height > 400
        colours = {c for _, c in image.convert("RGB").getcolors(1 << 20) or []}
    assert (0xE6, 0x9F, 0x00) in colours and (0x00, 0x72, 0xB2) in colours
    assert not any(r > 200 and g < 80 and b < 80 for r, g, b in colours)  # no red


async def test_small_counts_are_suppressed_for_publication(db, tmp_path: Path) -> None:
    await _cohort(db)
    _check_suppressed(await build_report(db, ["Gemeente Noord"]), tmp_path)


def _check_suppressed(report: Report, tmp_path: Path) -> None:
    written = {p.name for p in write_report(report, tmp_path, suppress_below=3)}
    assert "start_position.png" not in written
    with (tmp_path / "start_position.csv").open(encoding="utf-8") as handle:
        by_pillar = {r["pillar"]: r for r in csv.DictReader(handle)}
    housing = by_pillar["housing"]
    assert (housing["level_1"], housing["level_2"], housing["level_3"], housing["n"]) \
        == ("<3", "<3", "0", "4")
    assert (housing["level_1_pct"], housing["level_3_pct"]) == ("<3", "0")
    assert "shown as <3" in (tmp_path / "report.md").read_text(encoding="utf-8")
