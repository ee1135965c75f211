"""The Brug's caption (the picture in words), its picture input, and the due-measurement use
cases the coach digest will call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.brug import Instrument
from bot.flows import brug as flows
from bot.flows.brug import BrugView, Snapshot
from bot.i18n import using_locale
from bot.render.brug import picture_cache_key, render_brug
from bot.ui.screens import brug as present
from tests.support.builders import seed_coach, seed_participant

WHEN = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TZ = "Europe/Amsterdam"


def _instrument(pillars: int, label: str) -> Instrument:
    statement = {"nl": "Een zin", "en": "A sentence"}
    return Instrument.model_validate({
        "key": "wide", "version": 1, "name": {"nl": "Brug", "en": "Bridge"},
        "pillars": [
            {"key": f"p{i}", "label": {"nl": f"{label}{i}"[-32:], "en": f"{label}{i}"[-32:]},
             "levels": {n: statement for n in range(1, 6)}}
            for i in range(pillars)
        ],
    })


def _view(tool: Instrument, now: dict[str, int | None], before: dict[str, int | None] | None,
          targets: dict[str, int | None] | None = None, *, by_coach: bool = False,
          mode: str = "latest", name: str = "Fatima") -> BrugView:
    previous = Snapshot(1, "intake", "participant", WHEN, before, {}) if before else None
    current = Snapshot(2, "six_months" if before else "intake", "participant",
                       WHEN + timedelta(days=180), now, targets or {})
    return BrugView(
        participant_id=7, participant_name=name, instrument=tool, mode=mode,  # type: ignore[arg-type]
        current=current, previous=previous, goal_pillars=frozenset({"p1"}),
        count=2 if before else 1, by_coach=by_coach,
    )


def test_caption_has_a_line_per_pillar_with_now_before_and_target(catalogs) -> None:
    tool = _instrument(3, "Pijler ")
    view = _view(tool, {"p0": 3, "p1": 2, "p2": None}, {"p0": 2, "p1": 2, "p2": 4},
                 {"p0": 4})
    with using_locale("nl"):
        text = present.caption(view, TZ)
    lines = text.split("\n")
    assert lines[0] == "<b>Jouw Brug</b> · Na 6 maanden · 6 september 2026"
    assert "Vergeleken met de vorige keer: 10 maart 2026" in lines
    assert "Pijler 0: nu 3, vorige keer 2 (hoger), wens 4" in lines
    assert "Pijler 1: nu 2, vorige keer 2 (gelijk)" in lines
    assert "Pijler 2: niet ingevuld, vorige keer 4" in lines
    with using_locale("en"):
        compared = _view(tool, {"p0": 1, "p1": 4, "p2": 3}, {"p0": 2}, mode="compare")
        english = present.caption(compared, TZ)
    assert "Compared with the first time: March 10, 2026" in english
    assert "Pijler 0: now 1, first time 2 (lower)" in english


def test_caption_stays_within_1024_characters_for_12_long_pillars(catalogs) -> None:
    tool = _instrument(12, "Ontwikkeling inzicht & <eigen> ")
    levels = {f"p{i}": 1 + i % 2 for i in range(12)}
    view = _view(tool, levels, {k: 3 for k in levels}, dict.fromkeys(levels, 5),
                 by_coach=True, name="Ö" * 80)
    for locale in ("nl", "en"):
        with using_locale(locale):
            text = present.caption(view, TZ)
        plain = present._plain(text)
        assert len(plain) <= 1024
        assert "&lt;eigen&gt;" in text  # escaped for HTML
        assert plain.count("\n") >= 12  # still a line per pillar (the compact form)


def test_mostly_low_gets_one_gentle_line_for_the_participant_only(catalogs) -> None:
    tool = _instrument(8, "Pijler ")
    low = {f"p{i}": 1 if i < 6 else 4 for i in range(8)}
    with using_locale("nl"):
        mine = present.caption(_view(tool, low, None), TZ)
        coach = present.caption(_view(tool, low, None, by_coach=True), TZ)
        fine = present.caption(_view(tool, {f"p{i}": 3 for i in range(8)}, None), TZ)
        picture = present.picture(_view(tool, low, None), TZ)
    line = "De Brug is een overzicht, geen cijfer."
    assert mine.count(line) == 1
    assert line not in coach and line not in fine
    assert picture.subtitle.startswith(line)


def test_same_view_same_picture_bytes_other_language_other_key(catalogs) -> None:
    tool = _instrument(8, "Pijler ")
    view = _view(tool, {f"p{i}": 1 + i % 5 for i in range(8)}, {"p0": 1}, {"p3": 5})
    with using_locale("nl"):
        first, again = present.picture(view, TZ), present.picture(view, TZ)
    with using_locale("en"):
        english = present.picture(view, TZ)
    assert picture_cache_key(first) == picture_cache_key(again)
    assert picture_cache_key(first) != picture_cache_key(english)
    assert render_brug(first) == render_brug(again)
    assert first.pillars[1].has_active_goal and first.pillars[3].target == 5
    assert first.legend.before == "Vorige keer (10 maart 2026)"


async def test_due_measurements_for_the_coach_and_refused_for_another_coach(db, clock) -> None:
    world = await seed_coach(db, clock.now())
    fresh = await seed_participant(db, world, clock.now(), telegram_user_id=1001)
    measured = await seed_participant(db, world, clock.now(), name="Sam", telegram_user_id=1002)
    other = await seed_coach(db, clock.now(), telegram_user_id=9002, org_name="Elders")
    async with db.uow() as uow:
        await uow.brug.add(participant_id=measured, instrument_key="brug-alphen",
                           instrument_version=1, moment="intake", filled_by="participant",
                           started_at=clock.now(), completed_at=clock.now())
        await uow.commit()

    due = await flows.due_for_coach(db, world.coach_id, clock.now(), TZ)
    assert {pid: d.moment for pid, d in due.items()} == {fresh: "intake"}
    clock.advance(days=170)
    due = await flows.due_for_coach(db, world.coach_id, clock.now(), TZ)
    assert {pid: d.moment for pid, d in due.items()} == {fresh: "intake", measured: "six_months"}
    found = await flows.due_for_participant(db, world.coach_id, measured, clock.now(), TZ)
    assert isinstance(found, flows.DueMeasurement) and found.moment == "six_months"
    refused = await flows.due_for_participant(db, other.coach_id, measured, clock.now(), TZ)
    assert isinstance(refused, flows.Refused)
    assert await flows.due_for_coach(db, other.coach_id, clock.now(), TZ) == {}
