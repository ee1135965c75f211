"""Importing paper Brug forms: all or nothing, line numbers for every problem, twice is once,
and a coach's invite links the paper record to the person joining."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from bot.core.brug_import import PaperForm, Problems, parse_forms
from bot.flows.admin import create_organisation
from bot.flows.brug_import import ImportRefused, ImportResult, import_brug
from bot.flows.caseload import NewParticipant, renew_invite
from bot.flows.invites import ParticipantJoined, _redeem_participant_invite
from bot.flows.report import build_report
from bot.storage.models import BrugMeasurement, BrugScore, Participant, Role

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
GRONINGEN = {"housing": "Wonen", "care_for_others": "Zorg voor anderen", "health": "Gezondheid",
             "income": "Inkomen"}

GOOD = (
    "participant;datum;moment;Wonen;zorg voor anderen;health;Inkomen;coach\n"
    "K-001;2026-01-05;intake;2;3;;1;Sanne\n"
    "K-001;05-03-2026;6 maanden;3;3;2;1;Sanne\n"
    "K-002;2026-01-12;Intake;4;;5;2;\n"
).replace("datum", "date")


def test_a_good_file_with_dutch_labels_and_both_date_formats() -> None:
    forms = parse_forms(GOOD.encode("utf-8-sig"), GRONINGEN, date(2026, 3, 10))
    assert forms == [
        PaperForm(2, "K-001", date(2026, 1, 5), "intake",
                  {"housing": 2, "care_for_others": 3, "health": None, "income": 1}, "Sanne"),
        PaperForm(3, "K-001", date(2026, 3, 5), "six_months",
                  {"housing": 3, "care_for_others": 3, "health": 2, "income": 1}, "Sanne"),
        PaperForm(4, "K-002", date(2026, 1, 12), "intake",
                  {"housing": 4, "care_for_others": None, "health": 5, "income": 2}, None),
    ]
    commas = "participant,date,moment,housing\nK-9,2026-02-01,extra,5\n"
    parsed = parse_forms(commas.encode(), GRONINGEN, date(2026, 3, 10))
    assert not isinstance(parsed, Problems) and parsed[0].levels == {"housing": 5}


def test_every_bad_row_is_reported_with_its_line_number() -> None:
    bad = (
        "participant;date;moment;housing;health\n"
        "K-1;2026-01-05;intake;2;3\n"
        "K-2;2026-01-05;intake;7;3\n"
        "K-3;31-02-2026;intake;2;3\n"
        "K-4;2026-01-05;sometime;2;3\n"
        "K-5;2026-13-45;intake;2;\n"
        "K-6;2027-01-01;intake;2;\n"
        "K-1;2026-01-05;intake;2;3\n"
        ";2026-01-05;intake;2;3\n"
        "K-7;2026-01-05;intake;;\n"
    )
    found = parse_forms(bad.encode(), GRONINGEN, date(2026, 3, 10))
    assert isinstance(found, Problems)
    assert found.messages == (
        "line 3: housing must be 1-5 or empty, not '7'",
        "line 4: date '31-02-2026' does not exist",
        "line 5: unknown moment 'sometime'; use intake, 6m, 12m, end or extra",
        "line 6: date '2026-13-45' does not exist",
        "line 7: date 2027-01-01 is in the future",
        "line 8: the same participant, moment and date as line 2",
        "line 9: the participant reference is empty",
        "line 10: no pillar filled in",
    )
    header = parse_forms(b"participant;date;moment;Wonen;Spaargeld;wonen\n", GRONINGEN,
                         date(2026, 3, 10))
    assert isinstance(header, Problems)
    assert header.messages[0].startswith("line 1: unknown column 'Spaargeld'")
    assert header.messages[1] == "line 1: column 'wonen' appears twice"
    assert isinstance(parse_forms(b"\xff\xfe", GRONINGEN, date(2026, 3, 10)), Problems)


async def _org_with_coaches(db: Any, *names: str) -> int:
    org = await create_organisation(db, "Gemeente Groningen", NOW, "brug-groningen")
    async with db.uow() as uow:
        for n, name in enumerate(names):
            account = await uow.accounts.add(telegram_user_id=9001 + n, chat_id=9001 + n,
                                             role=Role.COACH.value, created_at=NOW,
                                             timezone=uow.defaults.timezone)
            await uow.coaches.add(organisation_id=org, account_id=account.id,
                                  display_name=name, created_at=NOW)
        await uow.commit()
    return org


async def _counts(db: Any) -> tuple[int, int, int]:
    async with db.uow() as uow:
        return tuple([  # type: ignore[return-value]
            int((await uow.session.execute(select(func.count()).select_from(m))).scalar_one())
            for m in (Participant, BrugMeasurement, BrugScore)])


async def test_importing_twice_changes_nothing_and_a_dry_run_changes_nothing(db: Any) -> None:
    await _org_with_coaches(db, "Sanne", "Piet")
    # K-002 has no coach and the organisation has two: nothing of the file is imported.
    refused = await import_brug(db, "Gemeente Groningen", GOOD.encode(), NOW)
    assert refused == ImportRefused(("line 4: name the coach in a 'coach' column (the "
                                     "organisation has several)",))
    assert await _counts(db) == (0, 0, 0)

    fixed = GOOD.replace("5;2;\n", "5;2;piet\n")
    dry = await import_brug(db, "gemeente groningen", fixed.encode(), NOW, dry_run=True)
    assert isinstance(dry, ImportResult)
    assert "dry run: nothing was changed" in dry.summary()
    assert (dry.new_participants, dry.new_forms) == (2, 3)
    assert await _counts(db) == (0, 0, 0)

    first = await import_brug(db, "Gemeente Groningen", fixed.encode(), NOW)
    assert isinstance(first, ImportResult)
    assert (first.new_participants, first.new_forms) == (2, 3)
    assert await _counts(db) == (2, 3, 12)
    again = await import_brug(db, "Gemeente Groningen", fixed.encode(), NOW)
    assert isinstance(again, ImportResult)
    assert (again.new_participants, again.known_participants, again.new_forms,
            again.unchanged_forms, again.updated_forms) == (0, 2, 0, 3, 0)
    assert await _counts(db) == (2, 3, 12)
    # A corrected form replaces the stored answers of that form, nothing else.
    corrected = fixed.replace("K-002;2026-01-12;Intake;4", "K-002;2026-01-12;Intake;3")
    third = await import_brug(db, "Gemeente Groningen", corrected.encode(), NOW)
    assert isinstance(third, ImportResult) and (third.updated_forms, third.unchanged_forms) \
        == (1, 2)
    assert await _counts(db) == (2, 3, 12)

    async with db.uow() as uow:
        people = (await uow.session.scalars(select(Participant).order_by(Participant.id))).all()
        assert [(p.external_ref, p.account_id, p.status) for p in people] == [
            ("K-001", None, "invited"), ("K-002", None, "invited")]
        assert people[0].created_at == datetime(2026, 1, 5, 12, tzinfo=UTC)

    report = await build_report(db, ["Gemeente Groningen"])
    change = {r[1]: r for r in report.table("brug_change").rows}
    assert change["housing"][3:7] == (0, 0, 1, 1)  # K-001: 2 -> 3
    assert "health" not in change  # left empty at K-001's intake


async def test_unknown_organisation_and_no_coach_are_refused(db: Any) -> None:
    assert await import_brug(db, "Nergens", GOOD.encode(), NOW) == ImportRefused(
        ("no organisation 'Nergens'; create it with admin create-org",))
    await _org_with_coaches(db)
    refused = await import_brug(db, "Gemeente Groningen", GOOD.encode(), NOW)
    assert isinstance(refused, ImportRefused)
    assert refused.problems[0] == "line 2: no coach named 'Sanne' in this organisation"
    assert refused.problems[1].startswith("line 4: the organisation has no coach yet")
    assert await _counts(db) == (0, 0, 0)


async def test_the_coach_links_a_paper_record_by_inviting_the_person(db: Any) -> None:
    await _org_with_coaches(db, "Sanne")
    result = await import_brug(db, "Gemeente Groningen", GOOD.encode(), NOW)
    assert isinstance(result, ImportResult) and result.new_participants == 2
    async with db.uow() as uow:
        record = (await uow.session.execute(
            select(Participant).where(Participant.external_ref == "K-001"))).scalar_one()
        coach = await uow.coaches.get(record.coach_id)
        assert coach is not None and coach.display_name == "Sanne"
        record_id, coach_id, coach_account = record.id, coach.id, coach.account_id or 0
    invite = await renew_invite(db, coach_id, coach_account, record_id, NOW)
    assert isinstance(invite, NewParticipant)
    async with db.uow() as uow:
        joined = await _redeem_participant_invite(
            uow, invite.invite.code, telegram_user_id=1001, chat_id=1001, locale="nl",
            timezone="Europe/Amsterdam", now=NOW)
        assert isinstance(joined, ParticipantJoined) and joined.participant_id == record_id
        await uow.commit()
    async with db.uow() as uow:
        history = await uow.brug.of_participant(record_id)
        assert [(m.moment, m.completed_at.date()) for m in history if m.completed_at] == [
            ("intake", date(2026, 1, 5)), ("six_months", date(2026, 3, 5))]
